import { Migration } from '@mikro-orm/migrations';

// Passkeys: each user's WebAuthn credentials (id, public key, signature counter, transports,
// device type and backup state), and the challenges given out with registration and sign-in
// options, single use and short-lived, shared by every instance.
export class Migration20261207135406 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "passkeys" ("id" varchar(36) not null, "user_id" int not null, "name" varchar(64) not null, "credential_id" varchar(1364) not null, "public_key" text not null, "counter" bigint not null, "transports" varchar(255) not null, "device_type" varchar(16) not null, "backed_up" boolean not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, constraint "passkeys_pkey" primary key ("id"));`);
    this.addSql(`create index "passkeys_user_id_index" on "passkeys" ("user_id");`);
    this.addSql(`alter table "passkeys" add constraint "passkeys_credential_id_unique" unique ("credential_id");`);

    this.addSql(`create table "webauthn_challenges" ("challenge" varchar(64) not null, "purpose" varchar(16) not null, "user_id" int null, "expires_at" timestamptz not null, constraint "webauthn_challenges_pkey" primary key ("challenge"));`);
    this.addSql(`create index "webauthn_challenges_user_id_index" on "webauthn_challenges" ("user_id");`);
    this.addSql(`create index "webauthn_challenges_expires_at_index" on "webauthn_challenges" ("expires_at");`);

    this.addSql(`alter table "passkeys" add constraint "passkeys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webauthn_challenges" add constraint "webauthn_challenges_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "passkeys" cascade;`);

    this.addSql(`drop table if exists "webauthn_challenges" cascade;`);
  }

}
