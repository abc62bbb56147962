import { Migration } from '@mikro-orm/migrations';

// The mail outbox (src/mail/outbox.ts): one row per mail, written in the transaction of the
// change that causes it. The sender claims due pending mails by (status, due_at); the purge of
// sent and failed rows after OUTBOX_RETENTION_DAYS finds them by (status, finished_at).
export class Migration20261207033357 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "outbox" ("id" serial primary key, "message_id" varchar(255) not null, "status" varchar(10) not null default 'pending', "attempts" int not null default 0, "body" bytea null, "created_at" timestamptz not null, "due_at" timestamptz not null, "finished_at" timestamptz null, "last_error" varchar(500) null);`);
    this.addSql(`alter table "outbox" add constraint "outbox_message_id_unique" unique ("message_id");`);
    this.addSql(`create index "outbox_status_due_at_index" on "outbox" ("status", "due_at");`);
    this.addSql(`create index "outbox_status_finished_at_index" on "outbox" ("status", "finished_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox" cascade;`);
  }

}
