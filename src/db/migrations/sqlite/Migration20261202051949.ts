import { Migration } from '@mikro-orm/migrations';

// Post counts kept by the database, so a page of posts reads its total instead of counting:
// `counters` holds the number of all posts (name 'posts'), users.post_count each author's. The
// generated diff (the counters table, the column, the author's index), plus by hand: the counts
// of the rows already there, and the triggers that keep them in the same transaction as every
// write to posts. SQLite has row triggers only; a bulk insert pays two updates per row.
//
// The author's index gains (date_posted, id) so that a user's page, like the list of all posts,
// is a walk down one index; it still serves the foreign key, so the old one on user_id goes.
export class Migration20261202051949 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`counters\` (\`name\` text not null, \`value\` integer not null default 0, primary key (\`name\`));`);

    this.addSql(`alter table \`users\` add column \`post_count\` integer not null default 0;`);

    this.addSql(`drop index \`posts_user_id_index\`;`);
    this.addSql(`create index \`posts_user_id_date_posted_id_index\` on \`posts\` (\`user_id\`, \`date_posted\`, \`id\`);`);

    this.addSql(`insert into \`counters\` (\`name\`, \`value\`) select 'posts', count(*) from \`posts\`;`);
    this.addSql(`update \`users\` set \`post_count\` = (select count(*) from \`posts\` where \`posts\`.\`user_id\` = \`users\`.\`id\`);`);

    this.addSql(`create trigger \`posts_count_insert\` after insert on \`posts\` begin
      update \`users\` set \`post_count\` = \`post_count\` + 1 where \`id\` = new.\`user_id\`;
      update \`counters\` set \`value\` = \`value\` + 1 where \`name\` = 'posts';
    end;`);
    // When a user is deleted, the cascade deletes the posts after the user's row is gone: only
    // the total changes.
    this.addSql(`create trigger \`posts_count_delete\` after delete on \`posts\` begin
      update \`users\` set \`post_count\` = \`post_count\` - 1 where \`id\` = old.\`user_id\`;
      update \`counters\` set \`value\` = \`value\` - 1 where \`name\` = 'posts';
    end;`);
    // No route moves a post to another author, but SQL may. A users.id change cascades here too;
    // the count then moved with the user's row already, which the old id's absence tells apart.
    this.addSql(`create trigger \`posts_count_move\` after update of \`user_id\` on \`posts\` when new.\`user_id\` is not old.\`user_id\` begin
      update \`users\` set \`post_count\` = \`post_count\` + 1 where \`id\` = new.\`user_id\` and exists (select 1 from \`users\` where \`id\` = old.\`user_id\`);
      update \`users\` set \`post_count\` = \`post_count\` - 1 where \`id\` = old.\`user_id\`;
    end;`);
  }

}
