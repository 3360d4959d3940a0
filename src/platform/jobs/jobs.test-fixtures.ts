/**
 * Fixtures for the job-runner tests: a fresh database with an unstarted runner, a log capture,
 * polling helpers, and a database that can be closed and reopened like a restarted process.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createTestDatabase,
  testBackend,
  testPostgresAdminUrl,
  TEST_RUNTIME_LOGIN,
} from '../../../test/test-database.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrator.ts';
import { toTenantId, withPlatform, withTenant, type TenantId } from '../db/scopes.ts';
import { createLogger, type Logger } from '../logger.ts';
import { createJobs } from './jobs.ts';
import type { EnqueueOptions, EnqueueResult, Jobs, Queue } from './jobs.types.ts';

/** pg-boss's minimum poll, so a test waits half a second per hop rather than two. */
export const POLL_SECONDS = 0.5;

/** The data the test queues carry: ids only, like real ones. */
export type ClientJob = { tenantId: string; clientId: string };

/** A logger that keeps every line it writes, to check what reaches the log. */
export function captureLogs(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => void lines.push(line) }) };
}

/** Polls `check` every 50 ms; throws after `timeoutMs` so a broken runner fails instead of hanging. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Closes a database. pg's `pool.end()` resolves before its sockets finish closing, so the test
 * harness's `drop database … with (force)` can terminate one mid-close, and the pool re-emits that
 * as an unhandled 'error' that would crash the run. Only that termination (57P01) is ignored.
 */
export async function closeDatabase(database: Database): Promise<void> {
  const ignoreTermination = (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  };
  database.pool.on('error', ignoreTermination);
  database.adminPool.on('error', ignoreTermination);
  await database.close();
}

/** Creates a tenant through the platform scope, as the application would. */
export async function createTenant(database: Database): Promise<TenantId> {
  const row = await withPlatform(database.db, ({ trx }) =>
    trx
      .insertInto('tenants')
      .values({ slug: `t-${randomBytes(6).toString('hex')}`, name: 'Test tenant' })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return toTenantId(row.id);
}

/** A job's pg-boss state, read as the owner; undefined when no row exists. */
export async function readJobState(database: Database, id: string): Promise<string | undefined> {
  const result = await database.adminPool.query<{ state: string }>(
    'select state from pgboss.job where id = $1',
    [id],
  );
  return result.rows[0]?.state;
}

/** Enqueues one job in its own tenant transaction, committed on return. */
export function enqueueCommitted(
  database: Database,
  jobs: Jobs,
  tenantId: TenantId,
  queue: Queue<ClientJob>,
  clientId: string,
  options?: EnqueueOptions,
): Promise<EnqueueResult> {
  return withTenant(database.db, tenantId, (scope) =>
    jobs.enqueue(scope.trx, queue, { tenantId, clientId }, options),
  );
}

/** What a test gets: a fresh database, its tenant, an unstarted runner and its log lines. */
export type JobsFixture = { database: Database; tenantId: TenantId; jobs: Jobs; logLines: string[] };

/** Runs `work` against a fresh database and runner, then stops the runner and closes the database. */
export async function withJobs(work: (fixture: JobsFixture) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const { lines, logger } = captureLogs();
  const jobs = createJobs({ database, logger, pollingIntervalSeconds: POLL_SECONDS });
  try {
    await work({ database, tenantId: await createTenant(database), jobs, logLines: lines });
  } finally {
    await jobs.stop({ graceful: false });
    await closeDatabase(database);
  }
}

/** A database that can be closed and opened again, as a restarted process (or server) would see it. */
export async function reopenableDatabase(): Promise<{ open(): Promise<Database>; dispose(): Promise<void> }> {
  if (testBackend === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'diligence-jobs-'));
    const dataDir = path.join(dir, 'data');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await migrate(first.adminPool);
    await first.close();
    return {
      open: () => openDatabase({ kind: 'pglite', dataDir }),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  }
  // The test database is dropped by its own close(), so it stays open until the end while each
  // "process" connects to it afresh: queries with the runtime login, migrations as the owner.
  const template = await createTestDatabase();
  const adminUrl = new URL(testPostgresAdminUrl);
  adminUrl.pathname = `/${template.name}`;
  const url = new URL(adminUrl);
  url.username = TEST_RUNTIME_LOGIN;
  url.password = '';
  return {
    open: () =>
      openDatabase({ kind: 'postgres', url: url.toString(), adminUrl: adminUrl.toString(), poolSize: 2 }),
    dispose: () => closeDatabase(template),
  };
}
