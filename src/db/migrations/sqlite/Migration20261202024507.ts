import { Migration } from '@mikro-orm/migrations';
import { fillNameKeys } from '../../name-keys.js';
import { requireColumns } from '../../sqlite-rebuild.js';

// Usernames and emails are unique by a stored key (src/rules/names.ts) instead of lower(...).
// Hand-edited from the generated diff: the keys of existing rows are computed in JS, so the
// columns are added nullable, filled, then required (SQLite can only do that by rebuilding the
// table); collisions are reported, never fatal. Every step runs in order through execute(),
// inside the migration's transaction.
export class Migration20261202024507 extends Migration {

  override async up(): Promise<void> {
    await this.execute(`alter table \`users\` add column \`username_key\` text null;`);
    await this.execute(`alter table \`users\` add column \`email_key\` text null;`);
    await fillNameKeys(this);

    await this.execute(`drop index \`users_email_ci_unique\`;`);
    await this.execute(`drop index \`users_username_ci_unique\`;`);
    await requireColumns(this, 'users', ['username_key', 'email_key']);
    await this.execute(`create unique index \`users_username_key_unique\` on \`users\` (\`username_key\`);`);
    await this.execute(`create unique index \`users_email_key_unique\` on \`users\` (\`email_key\`);`);
  }

}
