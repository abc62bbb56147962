import { Migration } from '@mikro-orm/migrations';

// Sessions: one row per sign-in, and every refresh token each was issued (by selector and the
// verifier's SHA-256), the live one and those rotated away. Access tokens issued before name no
// session and stop working: everyone signs in once more.
export class Migration20261207054028 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`sessions\` (\`id\` text not null, \`user_id\` integer not null, \`created_at\` datetime not null, \`last_used_at\` datetime not null, \`expires_at\` datetime not null, \`client_address\` text not null, \`user_agent\` text null, constraint \`sessions_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`sessions_user_id_index\` on \`sessions\` (\`user_id\`);`);
    this.addSql(`create index \`sessions_expires_at_index\` on \`sessions\` (\`expires_at\`);`);

    this.addSql(`create table \`refresh_tokens\` (\`selector\` text not null, \`session_id\` text not null, \`verifier_hash\` text not null, \`created_at\` datetime not null, \`rotated_at\` datetime null, constraint \`refresh_tokens_session_id_foreign\` foreign key(\`session_id\`) references \`sessions\`(\`id\`) on delete cascade on update cascade, primary key (\`selector\`));`);
    this.addSql(`create index \`refresh_tokens_session_id_index\` on \`refresh_tokens\` (\`session_id\`);`);
  }

}
