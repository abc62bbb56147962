import { Migration } from '@mikro-orm/migrations';

export class Migration20261127172252 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "users" ("id" serial primary key, "username" varchar(50) not null, "email" varchar(120) not null, "password_hash" text not null, "image_file" varchar(200) null);`);
    this.addSql(`create unique index "users_username_ci_unique" on "users" (lower("username"));`);
    this.addSql(`create unique index "users_email_ci_unique" on "users" (lower("email"));`);

    this.addSql(`create table "posts" ("id" serial primary key, "title" varchar(100) not null, "content" text not null, "date_posted" timestamptz not null, "user_id" int not null);`);
    this.addSql(`create index "posts_user_id_index" on "posts" ("user_id");`);
    this.addSql(`create index "posts_date_posted_id_index" on "posts" ("date_posted", "id");`);

    this.addSql(`alter table "posts" add constraint "posts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

}
