import { Migration } from '@mikro-orm/migrations';

export class Migration20261202024557 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "pictures" ("name" varchar(37) not null, "user_id" int not null, "bytes" bytea not null, "content_type" varchar(50) not null, "created_at" timestamptz not null, constraint "pictures_pkey" primary key ("name"));`);
    this.addSql(`alter table "pictures" add constraint "pictures_user_id_unique" unique ("user_id");`);

    this.addSql(`alter table "pictures" add constraint "pictures_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    // Until now image_file could only name a file that nothing could upload, so every name set
    // shows a broken picture: those users go back to the default one.
    this.addSql(`update "users" set "image_file" = null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pictures" cascade;`);
  }

}
