import { Migration } from '@mikro-orm/migrations';

// Email verification: the tokens of the links mailed to verify an address (by SHA-256, with the
// address each was sent to), and whether the account's email is verified. Accounts made before
// start unverified.
export class Migration20261207041446 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "email_verification_tokens" ("id" serial primary key, "user_id" int not null, "email" varchar(120) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null);`);
    this.addSql(`alter table "email_verification_tokens" add constraint "email_verification_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "email_verification_tokens_user_id_index" on "email_verification_tokens" ("user_id");`);

    this.addSql(`alter table "email_verification_tokens" add constraint "email_verification_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add column "email_verified" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "email_verification_tokens" cascade;`);

    this.addSql(`alter table "users" drop column "email_verified";`);
  }

}
