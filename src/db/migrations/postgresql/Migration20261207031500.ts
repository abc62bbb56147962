import { Migration } from '@mikro-orm/migrations';
import { KEYS_ADDED_RULES, recomputeNameKeys } from '../../name-keys.js';

// Usernames with a default-ignorable character or a braille blank (U+2800), or without a letter
// or a digit, are refused now, and keys leave those characters out (src/rules/names.ts), so a
// name registered earlier with one of them shares its key with the plain name. Written by hand
// (the schema does not change): the keys of existing rows are computed again in JS, with the
// unique indexes off meanwhile, since a row may take a key another gives up in the same pass.
// Each new collision, and each existing username the rules now refuse, is reported, never fatal.
export class Migration20261207031500 extends Migration {

  override async up(): Promise<void> {
    await this.execute(`alter table "users" drop constraint "users_username_key_unique";`);
    await this.execute(`alter table "users" drop constraint "users_email_key_unique";`);
    await recomputeNameKeys(this, KEYS_ADDED_RULES);
    await this.execute(`alter table "users" add constraint "users_username_key_unique" unique ("username_key");`);
    await this.execute(`alter table "users" add constraint "users_email_key_unique" unique ("email_key");`);
  }

}
