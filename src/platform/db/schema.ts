/**
 * Row types of every table, as Kysely sees them. Kept in step with `migrations/` by hand; the
 * migration test compares this list of tables with the database catalog.
 */
import type { ColumnType, Generated } from 'kysely';
import type { ClientsSchema } from './schema-clients.ts';
import type { RiskSchema } from './schema-risk.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** A customer organisation; the unit of isolation. */
export type TenantsTable = {
  id: Generated<string>;
  slug: string;
  name: string;
  status: ColumnType<'active' | 'suspended', 'active' | 'suspended' | undefined>;
  created_at: CreatedAt;
};

/** One link of a tenant's tamper-evident audit chain. */
export type AuditEntriesTable = {
  tenant_id: string;
  seq: ColumnType<string, string | number | bigint, never>;
  id: string;
  occurred_at: ColumnType<Date, Date, never>;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  source_ip: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: Buffer;
  hash: Buffer;
};

/** The last link of each chain, so appends need no scan and truncation is detectable. */
export type AuditChainHeadsTable = {
  tenant_id: string;
  last_seq: ColumnType<string, string | number | bigint, string | number | bigint>;
  last_hash: Buffer;
  updated_at: ColumnType<Date, Date | undefined, Date>;
};

/** A person who can sign in (global: one person may work in several tenants). */
export type UsersTable = {
  id: Generated<string>;
  /** Plaintext from before sealing; null for every row once sealed at start. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  email_sealed: Buffer | null;
  email_index: Buffer | null;
  is_operator: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<'pending' | 'active' | 'disabled', 'pending' | 'active' | 'disabled' | undefined>;
  created_at: CreatedAt;
};

/** A user's password hash (argon2id), apart from the user row that tenants may read. */
export type UserPasswordsTable = {
  user_id: string;
  password_hash: string;
  changed_at: Date;
};

/** A user's roles and teams in one tenant. */
export type MembershipsTable = {
  tenant_id: string;
  user_id: string;
  roles: string[];
  teams: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
};

/** An invitation to join a tenant; the token is stored only as its hash. */
export type InvitationsTable = {
  id: Generated<string>;
  tenant_id: string;
  /** Plaintext from before sealing; null for every row once sealed at start. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  email_sealed: Buffer | null;
  email_index: Buffer | null;
  roles: string[];
  teams: ColumnType<string[], string[] | undefined, string[]>;
  token_hash: Buffer;
  invited_by: string | null;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
  created_at: CreatedAt;
};

/** A one-time link to set a first password. */
export type AccountSetupTokensTable = {
  token_hash: Buffer;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
};

/** A TOTP authenticator or a passkey. */
export type SecondFactorsTable = {
  id: Generated<string>;
  user_id: string;
  kind: 'totp' | 'passkey';
  label: string;
  /** Plaintext from before sealing; null for every row once sealed at start. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_secret_sealed: Buffer | null;
  totp_last_step: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  credential_id: string | null;
  public_key: Buffer | null;
  sign_count: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  transports: string[] | null;
  confirmed_at: Date | null;
  last_used_at: Date | null;
  created_at: CreatedAt;
};

/** Single-use recovery codes, hashed. */
export type RecoveryCodesTable = {
  user_id: string;
  code_hash: Buffer;
  used_at: Date | null;
  created_at: CreatedAt;
};

/** A sign-in session; the cookie holds the token, the table only its hash. */
export type SessionsTable = {
  id: Generated<string>;
  token_hash: Buffer;
  csrf_token_hash: Buffer;
  user_id: string;
  active_tenant_id: string | null;
  stage: 'second_factor' | 'enrolment' | 'full';
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  second_factor_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  source_ip: string | null;
  user_agent: string | null;
};

/** Failed sign-in counters per account key and per source address. */
export type SignInThrottlesTable = {
  key: string;
  failures: number;
  window_started_at: Date;
  next_attempt_at: Date | null;
  locked_until: Date | null;
  updated_at: Date;
};

/** Single-use WebAuthn challenges. */
export type AuthChallengesTable = {
  id: Generated<string>;
  purpose: 'passkey_registration' | 'passkey_sign_in' | 'passkey_step_up';
  challenge: string;
  user_id: string | null;
  expires_at: Date;
};

/** Mail kept instead of sent (development, tests). */
export type MailOutboxTable = {
  id: Generated<string>;
  /** Plaintext from before sealing; null for every row once sealed at start. */
  recipient: ColumnType<string | null, string | null | undefined, string | null>;
  subject: ColumnType<string | null, string | null | undefined, string | null>;
  body: ColumnType<string | null, string | null | undefined, string | null>;
  message_sealed: Buffer | null;
  created_at: CreatedAt;
};

/** A key-encryption key the database holds data under (the key itself lives outside). */
export type VaultKeyEncryptionKeysTable = {
  id: string;
  canary: Buffer;
  state: 'active' | 'decrypt_only' | 'retired';
  created_at: CreatedAt;
  retired_at: Date | null;
};

/** A tenant's keyring (the nil UUID: people and platform mail). */
export type VaultKeyringsTable = {
  tenant_id: string;
  active_version: number;
  shredded_at: Date | null;
  created_at: CreatedAt;
};

/** A data key, wrapped by a KEK; no material once retired or shredded. */
export type VaultDataKeysTable = {
  tenant_id: string;
  purpose: 'fields' | 'blind_index';
  version: number;
  kek_id: string;
  wrapped_key: Buffer | null;
  state: 'active' | 'decrypt_only' | 'retired' | 'shredded';
  created_at: CreatedAt;
  retired_at: Date | null;
};

/** Progress of the re-encryption after a data-key rotation. */
export type VaultReencryptionsTable = {
  tenant_id: string;
  target_version: number;
  state: 'running' | 'finishing' | 'done';
  current_table: string | null;
  after_row_id: string | null;
  rows_rewritten: ColumnType<string, string | number | bigint, string | number | bigint>;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
};

/** An encrypted document: its key sealed here, its bytes in document storage. */
export type VaultDocumentsTable = {
  tenant_id: string;
  id: string;
  key_sealed: Buffer;
  media_type: string;
  byte_size: ColumnType<string, string | number | bigint, string | number | bigint>;
  created_at: CreatedAt;
};

/** A sanctions or PEP list and the version screening uses. */
export type ScreeningListsTable = {
  id: string;
  active_version_id: string | null;
  created_at: CreatedAt;
};

/** One imported version of a list, with its counts and delta sizes. */
export type ScreeningListVersionsTable = {
  id: string;
  list_id: string;
  sequence: number;
  format: string;
  source_label: string;
  files_hash: string;
  published_at: string | null;
  imported_at: Date;
  entity_count: number;
  counts: ColumnType<Record<string, number>, string, string>;
  added: number;
  removed: number;
  changed: number;
  warnings: ColumnType<string[], string, string>;
};

/** A list entity's content, valid from `added_in` until `removed_in` (list version sequences). */
export type ScreeningEntitiesTable = {
  list_id: string;
  source_id: string;
  added_in: number;
  removed_in: number | null;
  content_hash: string;
  data: ColumnType<unknown, string, string>;
};

/** One entity's change in one list version. */
export type ScreeningListChangesTable = {
  version_id: string;
  source_id: string;
  change: 'added' | 'removed' | 'changed';
  previous_hash: string | null;
  content_hash: string | null;
};

/** A tenant's screening threshold. */
export type ScreeningSettingsTable = {
  tenant_id: string;
  threshold: ColumnType<string, number, number>;
  updated_at: Date;
  updated_by: string;
};

/** Applied migrations. */
export type SchemaMigrationsTable = {
  version: string;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
};

/** The whole database as Kysely sees it. */
export type Schema = RiskSchema &
  ClientsSchema & {
    tenants: TenantsTable;
    audit_entries: AuditEntriesTable;
    audit_chain_heads: AuditChainHeadsTable;
    schema_migrations: SchemaMigrationsTable;
    users: UsersTable;
    user_passwords: UserPasswordsTable;
    memberships: MembershipsTable;
    invitations: InvitationsTable;
    account_setup_tokens: AccountSetupTokensTable;
    second_factors: SecondFactorsTable;
    recovery_codes: RecoveryCodesTable;
    sessions: SessionsTable;
    sign_in_throttles: SignInThrottlesTable;
    auth_challenges: AuthChallengesTable;
    mail_outbox: MailOutboxTable;
    vault_key_encryption_keys: VaultKeyEncryptionKeysTable;
    vault_keyrings: VaultKeyringsTable;
    vault_data_keys: VaultDataKeysTable;
    vault_reencryptions: VaultReencryptionsTable;
    vault_documents: VaultDocumentsTable;
    screening_lists: ScreeningListsTable;
    screening_list_versions: ScreeningListVersionsTable;
    screening_entities: ScreeningEntitiesTable;
    screening_list_changes: ScreeningListChangesTable;
    screening_settings: ScreeningSettingsTable;
  };

/** Tables whose rows belong to one tenant (they carry `tenant_id` and a row-level-security policy). */
export type TenantTableName = {
  [K in keyof Schema]: Schema[K] extends { tenant_id: unknown } ? K : never;
}[keyof Schema];
