import { Migration } from '@mikro-orm/migrations';
import { fillNameKeys } from '../../name-keys.js';

// Usernames and emails are unique by a stored key (src/rules/names.ts) instead of lower(...).
// Hand-edited from the generated diff: the keys of existing rows are computed in JS, so the
// columns are added nullable, filled, then required; collisions are reported, never fatal.
// Every step runs in order through execute(), inside the migration's transaction.
export class Migration20261202024507 extends Migration {

  override async up(): Promise<void> {
    await this.execute(`alter table "users" add column "username_key" text null, add column "email_key" text null;`);
    await fillNameKeys(this);
    await this.execute(`alter table "users" alter column "username_key" set not null, alter column "email_key" set not null;`);

    await this.execute(`drop index "users_email_ci_unique";`);
    await this.execute(`drop index "users_username_ci_unique";`);
    await this.execute(`alter table "users" add constraint "users_username_key_unique" unique ("username_key");`);
    await this.execute(`alter table "users" add constraint "users_email_key_unique" unique ("email_key");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_username_key_unique";`);
    this.addSql(`alter table "users" drop constraint "users_email_key_unique";`);
    this.addSql(`alter table "users" drop column "username_key", drop column "email_key";`);

    this.addSql(`create unique index "users_email_ci_unique" on "users" (lower("email"));`);
    this.addSql(`create unique index "users_username_ci_unique" on "users" (lower("username"));`);
  }

}
