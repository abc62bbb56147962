import { Migration } from '@mikro-orm/migrations';

export class Migration20261202020404 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`rate_limits\` (\`key\` text not null, \`points\` integer not null default 0, \`expire\` bigint null, primary key (\`key\`));`);
  }

}
