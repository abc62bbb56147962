import { Migration } from '@mikro-orm/migrations';

export class Migration20261127173733 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`users\` add column \`password_changed_at\` datetime null;`);
  }

}
