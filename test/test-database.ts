/**
 * Test databases on the backend chosen by DILIGENCE_TEST_BACKEND (`pglite`, the default, or
 * `postgres`). Each test gets its own database started from a migrated template, so tests never
 * share rows and the suite stays fast (a fresh PGlite initdb costs seconds; a template copy, not).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { databaseFromPglite, openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrate, readMigrationFiles } from '../src/platform/db/migrator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = path.join(ROOT, '.diligence-test');
/** A non-superuser login that is a member of diligence_app: what production should use. */
export const TEST_RUNTIME_LOGIN = 'diligence_test_runtime';

/** The backend this test process runs against. */
export const testBackend: 'pglite' | 'postgres' =
  process.env.DILIGENCE_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';

/** The PostgreSQL server tests use (a superuser connection used only to create databases). */
export const testPostgresAdminUrl =
  process.env.DILIGENCE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function schemaFingerprint(): Promise<string> {
  const files = await readMigrationFiles();
  const hash = createHash('sha256');
  // The job queue's schema is part of the template too; a pg-boss upgrade must rebuild it.
  hash.update(createRequire(import.meta.url)('pg-boss/package.json').version as string);
  // So do the grants the migrator adds after the SQL files.
  hash.update(await readFile(new URL('../src/platform/db/migrator.ts', import.meta.url)));
  for (const file of files) hash.update(file.version).update(file.checksum);
  return hash.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(CACHE_DIR, `pglite-template-${await schemaFingerprint()}.tar.gz`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const pglite = await PGlite.create();
    const database = databaseFromPglite(pglite);
    await migrate(database.adminPool);
    const blob = await pglite.dumpDataDir('gzip');
    await database.close();
    await mkdir(CACHE_DIR, { recursive: true });
    // Write then rename, so a parallel test process never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
    await rename(partial, file);
    return blob;
  }
}

function urlFor(base: string, database: string, user?: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  if (user !== undefined) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor(testPostgresAdminUrl, database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// A run id (set by scripts/run-tests.js) makes the template throwaway: the runner drops it after.
const RUN_SUFFIX = /^[a-z0-9]{1,16}$/.test(process.env.DILIGENCE_TEST_RUN_ID ?? '')
  ? `_${process.env.DILIGENCE_TEST_RUN_ID}`
  : '';

async function postgresTemplate(): Promise<string> {
  const name = `diligence_tpl_${await schemaFingerprint()}${RUN_SUFFIX}`;
  await withAdmin(async (client) => {
    await client.query("select pg_advisory_lock(hashtext('diligence.test-template'))");
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building_${process.pid}`;
        await client.query(`create database ${building}`);
        const pool = new pg.Pool({ connectionString: urlFor(testPostgresAdminUrl, building), max: 1 });
        try {
          await migrate(pool);
        } finally {
          await pool.end();
        }
        await client.query(`alter database ${building} rename to ${name}`);
      }
      await client.query(`do $$ begin
          if not exists (select 1 from pg_roles where rolname = '${TEST_RUNTIME_LOGIN}') then
            create role ${TEST_RUNTIME_LOGIN} login nosuperuser nocreatedb nocreaterole nobypassrls;
          end if;
        end $$`);
      await client.query(`grant diligence_app to ${TEST_RUNTIME_LOGIN}`);
    } finally {
      await client.query("select pg_advisory_unlock(hashtext('diligence.test-template'))");
    }
  });
  return name;
}

/** A throwaway, migrated database; `close()` releases (and on PostgreSQL drops) it. */
export type TestDatabase = Database & { readonly name: string };

/** Creates a fresh migrated database for one test (or one test file). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testBackend === 'pglite') {
    const pglite = await PGlite.create({ loadDataDir: await pgliteTemplate() });
    return Object.assign(databaseFromPglite(pglite), { name: 'pglite-memory' });
  }
  const template = await postgresTemplate();
  const name = `diligence_t_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`create database ${name} template ${template}`));
  const database = await openDatabase({
    kind: 'postgres',
    url: urlFor(testPostgresAdminUrl, name, TEST_RUNTIME_LOGIN),
    adminUrl: urlFor(testPostgresAdminUrl, name),
    poolSize: 4,
  });
  const close = database.close;
  return Object.assign(database, {
    name,
    async close() {
      await close();
      await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  });
}

/** Runs SQL as the database owner/superuser, bypassing the application role (to play an attacker with DBA rights). */
export async function runAsOwner(
  database: Database,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult> {
  return database.adminPool.query(text, values);
}

/**
 * Plays an attacker with owner rights rewriting audit history: switches the append-only trigger
 * off, runs the statement, switches it back on, in one transaction.
 */
export async function tamperWithAuditLog(
  database: Database,
  statement: string,
  values: unknown[] = [],
): Promise<void> {
  const client = await database.adminPool.connect();
  try {
    await client.query('begin');
    await client.query('alter table audit_entries disable trigger audit_entries_append_only');
    await client.query(statement, values);
    await client.query('alter table audit_entries enable trigger audit_entries_append_only');
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
