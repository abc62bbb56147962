import { Migration } from '@mikro-orm/migrations';

// Email verification: the tokens of the links mailed to verify an address (by SHA-256, with the
// address each was sent to), and whether the account's email is verified. Accounts made before
// start unverified.
export class Migration20261207041445 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`email_verification_tokens\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`email\` text not null, \`token_hash\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`used_at\` datetime null, constraint \`email_verification_tokens_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create unique index \`email_verification_tokens_token_hash_unique\` on \`email_verification_tokens\` (\`token_hash\`);`);
    this.addSql(`create index \`email_verification_tokens_user_id_index\` on \`email_verification_tokens\` (\`user_id\`);`);

    this.addSql(`alter table \`users\` add column \`email_verified\` integer not null default false;`);
  }

}
