import { Migration } from '@mikro-orm/migrations';

// Sessions: one row per sign-in, and every refresh token each was issued (by selector and the
// verifier's SHA-256), the live one and those rotated away. Access tokens issued before name no
// session and stop working: everyone signs in once more.
export class Migration20261207054029 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sessions" ("id" varchar(36) not null, "user_id" int not null, "created_at" timestamptz not null, "last_used_at" timestamptz not null, "expires_at" timestamptz not null, "client_address" varchar(64) not null, "user_agent" varchar(512) null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);

    this.addSql(`create table "refresh_tokens" ("selector" varchar(22) not null, "session_id" varchar(36) not null, "verifier_hash" varchar(64) not null, "created_at" timestamptz not null, "rotated_at" timestamptz null, constraint "refresh_tokens_pkey" primary key ("selector"));`);
    this.addSql(`create index "refresh_tokens_session_id_index" on "refresh_tokens" ("session_id");`);

    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_tokens" drop constraint "refresh_tokens_session_id_foreign";`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`drop table if exists "refresh_tokens" cascade;`);
  }

}
