/**
 * Re-encryption after a data-key rotation: walks every sealed column of one keyring's rows in
 * id order, re-sealing values still under an older version, a batch per transaction. Progress
 * (table, last row id, count) is saved with each batch, so a crash or restart resumes where it
 * stopped. When the walk ends and a final count finds no value on an older version, the older
 * versions' key material is destroyed.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Schema } from '../../platform/db/schema.ts';
import {
  PLATFORM_SCOPE_ID,
  withIdentity,
  withPlatform,
  withTenant,
  type TenantId,
  type TenantScope,
} from '../../platform/db/scopes.ts';
import { sealedKeyVersion } from './envelope.ts';
import type { KeyProvider } from './key-provider.ts';
import { openKeyring, type UnwrapCache } from './keyring.ts';
import * as repo from './vault.repo.ts';

/**
 * A table with sealed columns, as its module declares it. `scope` says whose keyring seals it:
 * `tenant` tables (with `tenant_id`) use their tenant's, `identity` and `platform` tables the
 * keyring of the nil UUID. Every sealed table has a uuid primary key `id`.
 */
export type SealedTable = {
  table: string;
  scope: 'tenant' | 'identity' | 'platform';
  columns: readonly string[];
};

type Deps = {
  db: Kysely<Schema>;
  keys: KeyProvider;
  cache: UnwrapCache;
  clock: Clock;
  tables: readonly SealedTable[];
};

const BATCH_ROWS = 200;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks the registry once (its names become SQL identifiers). */
export function assertSealedTables(tables: readonly SealedTable[]): void {
  for (const entry of tables) {
    if (entry.columns.length === 0) throw new TypeError(`${entry.table} declares no sealed column`);
    if (tables.filter((other) => other.table === entry.table).length > 1)
      throw new TypeError(`${entry.table} is declared twice`);
  }
  for (const entry of tables)
    for (const name of [entry.table, ...entry.columns])
      if (!IDENTIFIER.test(name)) throw new TypeError(`Not a plain SQL identifier: ${name}`);
}

/**
 * Every `bytea` column named `*_sealed` must be declared: a sealed column the re-encryption does
 * not know would keep values under a key version that retirement then destroys.
 */
export async function assertEverySealedColumnDeclared(
  trx: Transaction<Schema>,
  tables: readonly SealedTable[],
): Promise<void> {
  const found = await sql<{ table_name: string; column_name: string }>`select table_name, column_name
    from information_schema.columns
    where table_schema = 'public' and data_type = 'bytea' and column_name like '%\_sealed'`.execute(trx);
  const missing = found.rows.filter(
    (row) =>
      !tables.some((entry) => entry.table === row.table_name && entry.columns.includes(row.column_name)),
  );
  if (missing.length > 0)
    throw new Error(
      `Sealed columns not declared to the vault: ${missing.map((row) => `${row.table_name}.${row.column_name}`).join(', ')}`,
    );
}

function tablesOf(tables: readonly SealedTable[], tenantId: string): SealedTable[] {
  const isNil = tenantId === PLATFORM_SCOPE_ID;
  return tables.filter((entry) => (entry.scope === 'tenant') !== isNil);
}

function inScope<T>(
  db: Kysely<Schema>,
  entry: SealedTable,
  tenantId: string,
  work: (scope: TenantScope) => Promise<T>,
) {
  if (entry.scope === 'identity') return withIdentity(db, work);
  if (entry.scope === 'platform') return withPlatform(db, work);
  return withTenant(db, tenantId as TenantId, work);
}

function versionBytes(version: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(version);
  return bytes;
}

function tenantFilter(entry: SealedTable, tenantId: string) {
  return entry.scope === 'tenant' ? sql`tenant_id = ${tenantId}` : sql`true`;
}

/** Values in `entry` still sealed under a version other than `version` (read from the raw bytes). */
async function countStaleValues(
  trx: Transaction<Schema>,
  entry: SealedTable,
  tenantId: string,
  version: number,
): Promise<number> {
  const stale = entry.columns.map(
    (column) =>
      sql`(${sql.ref(column)} is not null and substring(${sql.ref(column)} from 3 for 4) <> ${versionBytes(version)})`,
  );
  const result = await sql<{ count: string }>`select count(*)::text as count from ${sql.table(entry.table)}
    where ${tenantFilter(entry, tenantId)} and (${sql.join(stale, sql` or `)})`.execute(trx);
  return Number(result.rows[0]?.count ?? 0);
}

/** The saved state a batch expects to continue from. */
type Cursor = { target_version: number; current_table: string | null; after_row_id: string | null };

/** Re-seals one batch of `entry` after the saved cursor and moves the cursor, in one transaction. */
async function rewriteBatch(
  deps: Deps,
  tenantId: string,
  entry: SealedTable,
  next: SealedTable | undefined,
  seen: Cursor,
) {
  await inScope(deps.db, entry, tenantId, async (scope) => {
    const keyring = await openKeyring(scope.trx, tenantId, deps);
    const progress = await scope.trx
      .selectFrom('vault_reencryptions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    // Another worker moved on, or a newer rotation restarted the walk: the caller re-reads the state.
    if (
      !progress ||
      progress.state !== 'running' ||
      progress.target_version !== keyring.activeVersion ||
      progress.target_version !== seen.target_version ||
      progress.current_table !== seen.current_table ||
      progress.after_row_id !== seen.after_row_id
    )
      return;
    const afterRowId = progress.after_row_id;
    const columns = entry.columns.map((column) => sql.ref(column));
    const rows = await sql<Record<string, Buffer | string | null>>`select id::text as id, ${sql.join(columns)}
      from ${sql.table(entry.table)}
      where ${tenantFilter(entry, tenantId)} and (${afterRowId}::uuid is null or id > ${afterRowId}::uuid)
      order by id limit ${BATCH_ROWS} for update`.execute(scope.trx);
    let rewritten = 0;
    for (const row of rows.rows) {
      const rowId = row.id as string;
      const sets = [];
      for (const column of entry.columns) {
        const sealed = row[column];
        if (!Buffer.isBuffer(sealed) || sealedKeyVersion(sealed) === keyring.activeVersion) continue;
        sets.push(sql`${sql.ref(column)} = ${keyring.reseal({ table: entry.table, column, rowId }, sealed)}`);
      }
      if (sets.length === 0) continue;
      await sql`update ${sql.table(entry.table)} set ${sql.join(sets)} where id = ${rowId}::uuid`.execute(
        scope.trx,
      );
      rewritten += 1;
    }
    const isTableDone = rows.rows.length < BATCH_ROWS;
    await scope.trx
      .updateTable('vault_reencryptions')
      .set({
        state: isTableDone && !next ? 'finishing' : 'running',
        current_table: isTableDone ? (next?.table ?? null) : entry.table,
        after_row_id: isTableDone ? null : (rows.rows.at(-1)?.id as string),
        rows_rewritten: sql`rows_rewritten + ${rewritten}`,
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', tenantId)
      .execute();
  });
}

/** What one run of the re-encryption did. */
export type ReencryptionRun = { state: 'done' | 'idle'; retiredVersions: number[] };

/** Runs (or resumes) the re-encryption of one keyring to its active version, to the end. */
export async function runReencryption(deps: Deps, tenantId: string): Promise<ReencryptionRun> {
  const tables = tablesOf(deps.tables, tenantId);
  for (;;) {
    const progress = await withPlatform(deps.db, (scope) =>
      scope.trx
        .selectFrom('vault_reencryptions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst(),
    );
    if (!progress || progress.state === 'done') return { state: 'idle', retiredVersions: [] };
    if (progress.state === 'finishing' || tables.length === 0) {
      const retired = await finish(deps, tenantId, tables, progress.target_version);
      if (retired) return { state: 'done', retiredVersions: retired };
      continue;
    }
    const found =
      progress.current_table === null ? 0 : tables.findIndex((t) => t.table === progress.current_table);
    const index = Math.max(found, 0); // a table no longer registered: walk from the start
    if (found < 0 && progress.current_table !== null) {
      await resetWalk(deps, tenantId, progress.target_version);
      continue;
    }
    await rewriteBatch(deps, tenantId, tables[index]!, tables[index + 1], progress);
  }
}

async function resetWalk(deps: Deps, tenantId: string, target: number): Promise<void> {
  await withPlatform(deps.db, (scope) =>
    scope.trx
      .updateTable('vault_reencryptions')
      .set({ state: 'running', current_table: null, after_row_id: null, updated_at: deps.clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('target_version', '=', target)
      .where('state', '<>', 'done')
      .execute(),
  );
}

async function finish(
  deps: Deps,
  tenantId: string,
  tables: SealedTable[],
  target: number,
): Promise<number[] | null> {
  // Once the rotation committed nothing seals with an older version, so the count only falls;
  // a value found here means the walk missed it, and it walks again rather than lose it.
  for (const entry of tables) {
    const stale = await inScope(deps.db, entry, tenantId, (scope) =>
      countStaleValues(scope.trx, entry, tenantId, target),
    );
    if (stale > 0) {
      await resetWalk(deps, tenantId, target);
      return null;
    }
  }
  return withPlatform(deps.db, async (scope) => {
    await repo.lockKeyring(scope.trx, tenantId, 'exclusive');
    const ring = await repo.findKeyring(scope.trx, tenantId);
    const progress = await scope.trx
      .selectFrom('vault_reencryptions')
      .select(['state', 'target_version'])
      .where('tenant_id', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!ring || ring.active_version !== target || progress?.target_version !== target) return null; // rotated again
    if (progress.state === 'done') return [];
    const retired = await repo.retireFieldKeysBefore(scope.trx, tenantId, target, deps.clock.now());
    const now = deps.clock.now();
    await scope.trx
      .updateTable('vault_reencryptions')
      .set({ state: 'done', current_table: null, after_row_id: null, finished_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .execute();
    return retired;
  });
}
