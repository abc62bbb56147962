import { Migration } from '@mikro-orm/migrations';

// The mail outbox (src/mail/outbox.ts): one row per mail, written in the transaction of the
// change that causes it. The sender claims due pending mails by (status, due_at); the purge of
// sent and failed rows after OUTBOX_RETENTION_DAYS finds them by (status, finished_at).
export class Migration20261207033357 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox\` (\`id\` integer not null primary key autoincrement, \`message_id\` text not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`body\` blob null, \`created_at\` datetime not null, \`due_at\` datetime not null, \`finished_at\` datetime null, \`last_error\` text null);`);
    this.addSql(`create unique index \`outbox_message_id_unique\` on \`outbox\` (\`message_id\`);`);
    this.addSql(`create index \`outbox_status_due_at_index\` on \`outbox\` (\`status\`, \`due_at\`);`);
    this.addSql(`create index \`outbox_status_finished_at_index\` on \`outbox\` (\`status\`, \`finished_at\`);`);
  }

}
