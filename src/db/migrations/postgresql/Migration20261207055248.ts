import { Migration } from '@mikro-orm/migrations';

// Two-factor sign-in: each user's TOTP secret (sealed; pending until confirmed; the last time
// step used, so no code works twice), their recovery codes by HMAC, and the MFA challenges that
// a right password opens (selector and the verifier's SHA-256). Every account starts without.
export class Migration20261207055248 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "two_factor_secrets" ("user_id" int not null, "secret_sealed" text not null, "created_at" timestamptz not null, "confirmed_at" timestamptz null, "last_used_step" int null, constraint "two_factor_secrets_pkey" primary key ("user_id"));`);

    this.addSql(`create table "recovery_codes" ("id" serial primary key, "user_id" int not null, "code_hash" varchar(64) not null, "used_at" timestamptz null);`);
    this.addSql(`alter table "recovery_codes" add constraint "recovery_codes_user_id_code_hash_unique" unique ("user_id", "code_hash");`);

    this.addSql(`create table "mfa_challenges" ("selector" varchar(22) not null, "user_id" int not null, "verifier_hash" varchar(64) not null, "expires_at" timestamptz not null, "failures" int not null default 0, "used_at" timestamptz null, constraint "mfa_challenges_pkey" primary key ("selector"));`);
    this.addSql(`create index "mfa_challenges_user_id_index" on "mfa_challenges" ("user_id");`);

    this.addSql(`alter table "two_factor_secrets" add constraint "two_factor_secrets_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "recovery_codes" add constraint "recovery_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "mfa_challenges" add constraint "mfa_challenges_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add column "two_factor_enabled" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "two_factor_secrets" cascade;`);

    this.addSql(`drop table if exists "recovery_codes" cascade;`);

    this.addSql(`drop table if exists "mfa_challenges" cascade;`);

    this.addSql(`alter table "users" drop column "two_factor_enabled";`);
  }

}
