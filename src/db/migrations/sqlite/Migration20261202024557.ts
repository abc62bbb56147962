import { Migration } from '@mikro-orm/migrations';

export class Migration20261202024557 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`pictures\` (\`name\` text not null, \`user_id\` integer not null, \`bytes\` blob not null, \`content_type\` text not null, \`created_at\` datetime not null, constraint \`pictures_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`name\`));`);
    this.addSql(`create index \`pictures_user_id_index\` on \`pictures\` (\`user_id\`);`);
    this.addSql(`create unique index \`pictures_user_id_unique\` on \`pictures\` (\`user_id\`);`);

    // Until now image_file could only name a file that nothing could upload, so every name set
    // shows a broken picture: those users go back to the default one.
    this.addSql(`update \`users\` set \`image_file\` = null;`);
  }

}
