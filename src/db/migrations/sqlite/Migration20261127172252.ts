import { Migration } from '@mikro-orm/migrations';

export class Migration20261127172252 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`users\` (\`id\` integer not null primary key autoincrement, \`username\` text not null, \`email\` text not null, \`password_hash\` text not null, \`image_file\` text null);`);
    this.addSql(`create unique index \`users_username_ci_unique\` on \`users\` (lower(\`username\`));`);
    this.addSql(`create unique index \`users_email_ci_unique\` on \`users\` (lower(\`email\`));`);

    this.addSql(`create table \`posts\` (\`id\` integer not null primary key autoincrement, \`title\` text not null, \`content\` text not null, \`date_posted\` datetime not null, \`user_id\` integer not null, constraint \`posts_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`posts_user_id_index\` on \`posts\` (\`user_id\`);`);
    this.addSql(`create index \`posts_date_posted_id_index\` on \`posts\` (\`date_posted\`, \`id\`);`);
  }

}
