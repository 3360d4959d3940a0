/**
 * Forward-only SQL migrations from `migrations/`, plus the job queue's own schema.
 *
 * All pending migrations run in ONE transaction under an advisory lock: PostgreSQL DDL is
 * transactional, so a failing migration leaves the database exactly as it was, and two
 * processes starting at once cannot both migrate.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { getConstructionPlans, getMigrationPlans } from 'pg-boss';
import { APP_ROLE } from './scopes.ts';

/** The folder holding the SQL migrations shipped with this version. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

const JOBS_SCHEMA = 'pgboss';
// pg-boss's schema version this release expects; checked against the installed one.
const JOBS_SCHEMA_VERSION = 43;

/** A migration file on disk. */
export type MigrationFile = { version: string; name: string; sql: string; checksum: string };

/** Raised when migrations cannot be applied; the database is left unchanged. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Reads and orders the migration files (`<timestamp>_<name>.sql`). */
export async function readMigrationFiles(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the shipped migrations folder
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (fileName) => {
      const match = /^(\d{14})_([a-z0-9_]+)\.sql$/.exec(fileName);
      if (!match)
        throw new MigrationError(`Migration file name "${fileName}" must look like 20260101120000_name.sql`);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a name matched above, inside that folder
      const sql = await readFile(path.join(dir, fileName), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      return { version: match[1]!, name: match[2]!, sql, checksum };
    }),
  );
}

type AppliedMigration = { version: string; checksum: string };

async function readApplied(client: pg.PoolClient): Promise<AppliedMigration[]> {
  const exists = await client.query<{ present: boolean }>(
    "select to_regclass('public.schema_migrations') is not null as present",
  );
  if (!exists.rows[0]?.present) return [];
  const result = await client.query<AppliedMigration>(
    'select version, checksum from schema_migrations order by version',
  );
  return result.rows;
}

/** Compares applied migrations with the files; throws if history was rewritten. */
function findPending(files: MigrationFile[], applied: AppliedMigration[]): MigrationFile[] {
  const byVersion = new Map(files.map((file) => [file.version, file]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file)
      throw new MigrationError(
        `The database has migration ${row.version}, which this version does not know. Is this an older release?`,
      );
    if (file.checksum !== row.checksum)
      throw new MigrationError(
        `Migration ${row.version} was changed after it was applied; migrations are forward-only.`,
      );
  }
  const done = new Set(applied.map((row) => row.version));
  return files.filter((file) => !done.has(file.version));
}

// pg-boss wraps its plans in BEGIN/COMMIT; inside our transaction that COMMIT would end it early.
function unwrapTransaction(plan: string): string {
  const match = /^\s*BEGIN;([\s\S]*)COMMIT;\s*$/.exec(plan);
  if (!match)
    throw new MigrationError('Unexpected job-queue schema plan format; cannot apply it atomically.');
  return match[1]!;
}

async function migrateJobsSchema(client: pg.PoolClient): Promise<boolean> {
  const present = await client.query<{ present: boolean }>(
    `select to_regclass('${JOBS_SCHEMA}.version') is not null as present`,
  );
  if (!present.rows[0]?.present) {
    await client.query(unwrapTransaction(getConstructionPlans(JOBS_SCHEMA)));
  } else {
    const installed = await client.query<{ version: number }>(`select version from ${JOBS_SCHEMA}.version`);
    const version = installed.rows[0]?.version ?? 0;
    if (version === JOBS_SCHEMA_VERSION) return false;
    if (version > JOBS_SCHEMA_VERSION)
      throw new MigrationError(`The job queue schema (v${version}) is newer than this release expects.`);
    await client.query(unwrapTransaction(getMigrationPlans(JOBS_SCHEMA, version)));
  }
  await client.query(`
    GRANT USAGE ON SCHEMA ${JOBS_SCHEMA} TO ${APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOBS_SCHEMA} TO ${APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${JOBS_SCHEMA} TO ${APP_ROLE};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOBS_SCHEMA} TO ${APP_ROLE};`);
  return true;
}

/** What a migration run did. */
export type MigrationReport = { applied: string[]; jobsSchemaChanged: boolean };

/** Applies every pending migration atomically; returns the versions applied. */
export async function migrate(adminPool: pg.Pool, files?: MigrationFile[]): Promise<MigrationReport> {
  const migrationFiles = files ?? (await readMigrationFiles());
  const client = await adminPool.connect();
  try {
    await client.query('BEGIN');
    await client.query("select pg_advisory_xact_lock(hashtext('diligence.migrations'))");
    await client.query(`create table if not exists schema_migrations (
      version text primary key, name text not null, checksum text not null,
      applied_at timestamptz not null default now())`);
    const pending = findPending(migrationFiles, await readApplied(client));
    for (const file of pending) {
      try {
        await client.query(file.sql);
      } catch (error) {
        throw new MigrationError(
          `Migration ${file.version}_${file.name} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
      await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        file.version,
        file.name,
        file.checksum,
      ]);
    }
    await client.query(`GRANT SELECT ON schema_migrations TO ${APP_ROLE}`);
    const jobsSchemaChanged = await migrateJobsSchema(client);
    await client.query('COMMIT');
    return { applied: pending.map((file) => file.version), jobsSchemaChanged };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Versions present as files but not applied; empty when the database is current. */
export async function listPendingMigrations(pool: pg.Pool, files?: MigrationFile[]): Promise<string[]> {
  const migrationFiles = files ?? (await readMigrationFiles());
  const client = await pool.connect();
  try {
    return findPending(migrationFiles, await readApplied(client)).map((file) => file.version);
  } finally {
    client.release();
  }
}
