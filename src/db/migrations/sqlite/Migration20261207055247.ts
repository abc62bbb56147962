import { Migration } from '@mikro-orm/migrations';

// Two-factor sign-in: each user's TOTP secret (sealed; pending until confirmed; the last time
// step used, so no code works twice), their recovery codes by HMAC, and the MFA challenges that
// a right password opens (selector and the verifier's SHA-256). Every account starts without.
export class Migration20261207055247 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`two_factor_secrets\` (\`user_id\` integer not null, \`secret_sealed\` text not null, \`created_at\` datetime not null, \`confirmed_at\` datetime null, \`last_used_step\` integer null, constraint \`two_factor_secrets_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`user_id\`));`);
    this.addSql(`create index \`two_factor_secrets_user_id_index\` on \`two_factor_secrets\` (\`user_id\`);`);

    this.addSql(`create table \`recovery_codes\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`code_hash\` text not null, \`used_at\` datetime null, constraint \`recovery_codes_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`recovery_codes_user_id_index\` on \`recovery_codes\` (\`user_id\`);`);
    this.addSql(`create unique index \`recovery_codes_user_id_code_hash_unique\` on \`recovery_codes\` (\`user_id\`, \`code_hash\`);`);

    this.addSql(`create table \`mfa_challenges\` (\`selector\` text not null, \`user_id\` integer not null, \`verifier_hash\` text not null, \`expires_at\` datetime not null, \`failures\` integer not null default 0, \`used_at\` datetime null, constraint \`mfa_challenges_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`selector\`));`);
    this.addSql(`create index \`mfa_challenges_user_id_index\` on \`mfa_challenges\` (\`user_id\`);`);

    this.addSql(`alter table \`users\` add column \`two_factor_enabled\` integer not null default false;`);
  }

}
