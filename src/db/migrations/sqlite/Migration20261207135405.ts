import { Migration } from '@mikro-orm/migrations';

// Passkeys: each user's WebAuthn credentials (id, public key, signature counter, transports,
// device type and backup state), and the challenges given out with registration and sign-in
// options, single use and short-lived, shared by every instance.
export class Migration20261207135405 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`passkeys\` (\`id\` text not null, \`user_id\` integer not null, \`name\` text not null, \`credential_id\` text not null, \`public_key\` text not null, \`counter\` bigint not null, \`transports\` text not null, \`device_type\` text not null, \`backed_up\` integer not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, constraint \`passkeys_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`passkeys_user_id_index\` on \`passkeys\` (\`user_id\`);`);
    this.addSql(`create unique index \`passkeys_credential_id_unique\` on \`passkeys\` (\`credential_id\`);`);

    this.addSql(`create table \`webauthn_challenges\` (\`challenge\` text not null, \`purpose\` text not null, \`user_id\` integer null, \`expires_at\` datetime not null, constraint \`webauthn_challenges_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`challenge\`));`);
    this.addSql(`create index \`webauthn_challenges_user_id_index\` on \`webauthn_challenges\` (\`user_id\`);`);
    this.addSql(`create index \`webauthn_challenges_expires_at_index\` on \`webauthn_challenges\` (\`expires_at\`);`);
  }

}
