/**
 * Row types of every table, as Kysely sees them. Kept in step with `migrations/` by hand; the
 * migration test compares this list of tables with the database catalog.
 */
import type { ColumnType, Generated } from 'kysely';

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

/** Applied migrations. */
export type SchemaMigrationsTable = {
  version: string;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
};

/** The whole database as Kysely sees it. */
export type Schema = {
  tenants: TenantsTable;
  audit_entries: AuditEntriesTable;
  audit_chain_heads: AuditChainHeadsTable;
  schema_migrations: SchemaMigrationsTable;
};

/** Tables whose rows belong to one tenant (they carry `tenant_id` and a row-level-security policy). */
export type TenantTableName = {
  [K in keyof Schema]: Schema[K] extends { tenant_id: unknown } ? K : never;
}[keyof Schema];
