import { Migration } from '@mikro-orm/migrations';

// Post counts kept by the database, so a page of posts reads its total instead of counting:
// `counters` holds the number of all posts (name 'posts'), users.post_count each author's. The
// generated diff (the counters table, the column, the author's index), plus by hand: the counts
// of the rows already there, and the triggers that keep them in the same transaction as every
// write to posts.
//
// Inserts and deletes are counted once per statement, from its transition table grouped by
// author, so a bulk insert of a million rows updates each counter once. Every writer locks the
// users rows first, in id order, and the counters row last: concurrent writes wait for each other
// but never deadlock. (The foreign key's check takes FOR KEY SHARE on the author, which FOR NO KEY
// UPDATE does not conflict with.)
//
// The author's index gains (date_posted, id) so that a user's page, like the list of all posts,
// is a walk down one index; it still serves the foreign key, so the old one on user_id goes.
export class Migration20261202051949 extends Migration {

  override async up(): Promise<void> {
    // Writers of an older instance wait until the counts and their triggers are in place.
    this.addSql(`lock table "posts" in share row exclusive mode;`);

    this.addSql(`create table "counters" ("name" varchar(50) not null, "value" int not null default 0, constraint "counters_pkey" primary key ("name"));`);

    this.addSql(`alter table "users" add column "post_count" int not null default 0;`);

    this.addSql(`drop index "posts_user_id_index";`);
    this.addSql(`create index "posts_user_id_date_posted_id_index" on "posts" ("user_id", "date_posted", "id");`);

    this.addSql(`insert into "counters" ("name", "value") select 'posts', count(*) from "posts";`);
    this.addSql(`update "users" set "post_count" = "counted"."n" from (select "user_id", count(*) as "n" from "posts" group by "user_id") as "counted" where "users"."id" = "counted"."user_id";`);

    // The functions resolve table names in the schema they were made in, whoever calls them.
    this.addSql(`create function "posts_count_inserted"() returns trigger language plpgsql set search_path from current as $$
    begin
      if not exists (select from "new_posts") then return null; end if;
      perform from "users" where "id" in (select "user_id" from "new_posts") order by "id" for no key update;
      update "users" set "post_count" = "post_count" + "added"."n"
        from (select "user_id", count(*) as "n" from "new_posts" group by "user_id") as "added"
        where "users"."id" = "added"."user_id";
      update "counters" set "value" = "value" + (select count(*) from "new_posts") where "name" = 'posts';
      return null;
    end $$;`);
    this.addSql(`create trigger "posts_count_insert" after insert on "posts" referencing new table as "new_posts" for each statement execute function "posts_count_inserted"();`);

    // When a user is deleted, the cascade deletes the posts after the user's row is gone: only
    // the total changes.
    this.addSql(`create function "posts_count_deleted"() returns trigger language plpgsql set search_path from current as $$
    begin
      if not exists (select from "old_posts") then return null; end if;
      perform from "users" where "id" in (select "user_id" from "old_posts") order by "id" for no key update;
      update "users" set "post_count" = "post_count" - "removed"."n"
        from (select "user_id", count(*) as "n" from "old_posts" group by "user_id") as "removed"
        where "users"."id" = "removed"."user_id";
      update "counters" set "value" = "value" - (select count(*) from "old_posts") where "name" = 'posts';
      return null;
    end $$;`);
    this.addSql(`create trigger "posts_count_delete" after delete on "posts" referencing old table as "old_posts" for each statement execute function "posts_count_deleted"();`);

    // No route moves a post to another author, but SQL may. A trigger with a column list cannot
    // have transition tables, so this one is per row, and fires only when user_id changes. A
    // users.id change cascades here too; the count then moved with the user's row already, which
    // the old id's absence tells apart.
    this.addSql(`create function "posts_count_moved"() returns trigger language plpgsql set search_path from current as $$
    begin
      perform from "users" where "id" in (old."user_id", new."user_id") order by "id" for no key update;
      update "users" set "post_count" = "post_count" + 1 where "id" = new."user_id" and exists (select from "users" where "id" = old."user_id");
      update "users" set "post_count" = "post_count" - 1 where "id" = old."user_id";
      return null;
    end $$;`);
    this.addSql(`create trigger "posts_count_move" after update of "user_id" on "posts" for each row when (old."user_id" is distinct from new."user_id") execute function "posts_count_moved"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "posts_count_move" on "posts";`);
    this.addSql(`drop trigger "posts_count_delete" on "posts";`);
    this.addSql(`drop trigger "posts_count_insert" on "posts";`);
    this.addSql(`drop function "posts_count_moved"();`);
    this.addSql(`drop function "posts_count_deleted"();`);
    this.addSql(`drop function "posts_count_inserted"();`);

    this.addSql(`drop table if exists "counters" cascade;`);

    this.addSql(`drop index "posts_user_id_date_posted_id_index";`);
    this.addSql(`create index "posts_user_id_index" on "posts" ("user_id");`);

    this.addSql(`alter table "users" drop column "post_count";`);
  }

}
