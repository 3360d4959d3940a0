/**
 * Opens the database: embedded PGlite (default) or a PostgreSQL server, both behind the same
 * Kysely instance and the same SQL.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../../config.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { createPglitePool } from './pglite-pool.ts';
import type { Schema } from './schema.ts';

// Return bigint (int8) as string, not a lossy number; counts and sequence numbers use it.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

/** An open database: the query builder, the raw pools and how to close them. */
export type Database = {
  readonly backend: 'pglite' | 'postgres';
  readonly db: Kysely<Schema>;
  /** Runtime connections (queries, jobs). */
  readonly pool: pg.Pool;
  /** Connections allowed to change the schema (the same pool on PGlite). */
  readonly adminPool: pg.Pool;
  /** True when the runtime login is a superuser, which could lift row-level security. */
  isRuntimeSuperuser(): Promise<boolean>;
  close(): Promise<void>;
};

// An idle connection that dies (server restart, admin termination) is replaced on the next
// checkout; without a listener, node-postgres would turn it into an uncaught exception.
function ignoreIdleErrors(pool: pg.Pool): pg.Pool {
  pool.on('error', () => undefined);
  return pool;
}

function fromPools(
  backend: Database['backend'],
  pool: pg.Pool,
  adminPool: pg.Pool,
  onClose: () => Promise<void>,
): Database {
  ignoreIdleErrors(pool);
  if (adminPool !== pool) ignoreIdleErrors(adminPool);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    backend,
    db,
    pool,
    adminPool,
    async isRuntimeSuperuser() {
      const result = await sql<{
        super: boolean;
      }>`select rolsuper as super from pg_roles where rolname = current_user`.execute(db);
      return result.rows[0]?.super === true;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
        // Kysely ends only a pool it has used; a process that only ran jobs never did.
        if (!pool.ended) await pool.end();
        if (adminPool !== pool && !adminPool.ended) await adminPool.end();
      } finally {
        // Always close PGlite and release the data-folder lock, even if a pool failed to end.
        await onClose();
      }
    },
  };
}

/** Wraps an already-created PGlite instance (tests start these from a template). */
export function databaseFromPglite(
  pglite: PGlite,
  onClose: () => Promise<void> = async () => undefined,
): Database {
  const pool = createPglitePool(pglite);
  return fromPools('pglite', pool, pool, async () => {
    await pglite.close();
    await onClose();
  });
}

/** Opens the configured database. On PGlite, holds the data-folder lock until closed. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize });
    const adminPool =
      config.adminUrl === config.url ? pool : new pg.Pool({ connectionString: config.adminUrl, max: 2 });
    return fromPools('postgres', pool, adminPool, async () => undefined);
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own DILIGENCE_DATA_DIR
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const release = await lockDataFolder(config.dataDir);
  try {
    const pglite = await PGlite.create(config.dataDir);
    return databaseFromPglite(pglite, release);
  } catch (error) {
    await release();
    throw error;
  }
}
