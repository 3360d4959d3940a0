/**
 * The audit log benchmark on one backend (DILIGENCE_TEST_BACKEND, as in the tests): append rates,
 * one event per transaction and batched, and the time to verify a long chain, each printed beside
 * the spec's goal. It exits non-zero when a chain it wrote does not verify in full, so a run that
 * measured nothing cannot pass for a fast one. BENCH_VERIFY_ENTRIES shortens the verified chain.
 */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createAuditService, type AuditEvent, type AuditService } from '../src/modules/audit/index.ts';
import type { Database } from '../src/platform/db/database.ts';
import type { Schema } from '../src/platform/db/schema.ts';
import { toTenantId, withTenant, type TenantId } from '../src/platform/db/scopes.ts';
import { createTestDatabase, testBackend } from '../test/test-database.ts';
import {
  describeMachine,
  formatInteger,
  formatSeconds,
  formatTable,
  judgeRate,
  timeWork,
  type BenchRow,
} from './bench-report.ts';

// Goals from the spec. The append goal is for batched appends ("batched where the API allows").
const APPEND_GOAL_PER_SECOND = testBackend === 'postgres' ? 20_000 : 5_000;
const VERIFY_GOAL_SECONDS = 10;

const WARM_UP_APPENDS = 200;
const SINGLE_APPENDS = 2_000;
const BATCHED_EVENTS = 100_000;
const BATCH_SIZES = [500, 1_000] as const;
const CONCURRENT_WORKERS = 8;
const CONCURRENT_APPENDS_PER_WORKER = 500;
const FILL_BATCH_SIZE = 1_000;
const PROGRESS_EVERY = 250_000;

/** Raised when the benchmark's own writes do not read back as expected. */
class BenchFailure extends Error {}

// Lets a quick run verify a shorter chain; `npm run bench` keeps the spec's million.
function readVerifyEntries(fallback: number): number {
  const raw = process.env.BENCH_VERIFY_ENTRIES;
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1)
    throw new BenchFailure(`BENCH_VERIFY_ENTRIES must be a positive integer, got "${raw}".`);
  return value;
}

// What one request typically records: ids only, as the audit log requires, never personal data.
function sampleEvent(): AuditEvent {
  return {
    action: 'client.updated',
    actor: { kind: 'user', id: randomUUID() },
    outcome: 'success',
    target: { type: 'client', id: randomUUID() },
    requestId: randomUUID(),
    sourceIp: '127.0.0.1',
    details: { field: 'address', version: 3 },
  };
}

// Each measurement writes to a chain of its own, so no figure includes another's lock waits.
function newTenant(): TenantId {
  return toTenantId(randomUUID());
}

function expectChainLength(what: string, lastSeq: bigint, expected: number): void {
  if (lastSeq !== BigInt(expected)) {
    throw new BenchFailure(`${what}: the chain ends at entry ${lastSeq}, expected ${expected}.`);
  }
}

type Appender = { readonly db: Kysely<Schema>; readonly audit: AuditService };

/** Appends `total` events to one chain in transactions of `batchSize`; returns the last seq. */
async function appendInBatches(
  { db, audit }: Appender,
  tenantId: TenantId,
  total: number,
  batchSize: number,
  onProgress: (done: number) => void = () => undefined,
): Promise<bigint> {
  let lastSeq = 0n;
  for (let done = 0; done < total;) {
    const events = Array.from({ length: Math.min(batchSize, total - done) }, sampleEvent);
    const entries = await withTenant(db, tenantId, (scope) => audit.record(scope, events));
    lastSeq = entries.at(-1)!.seq;
    done += events.length;
    onProgress(done);
  }
  return lastSeq;
}

async function measureAppends(
  appender: Appender,
  name: string,
  total: number,
  batchSize: number,
): Promise<BenchRow> {
  const { result: lastSeq, seconds } = await timeWork(() =>
    appendInBatches(appender, newTenant(), total, batchSize),
  );
  expectChainLength(name, lastSeq, total);
  const isBatched = batchSize > 1;
  return {
    name,
    count: total,
    seconds,
    goal: isBatched ? `≥ ${formatInteger(APPEND_GOAL_PER_SECOND)}/s` : '—',
    verdict: isBatched ? judgeRate(total / seconds, APPEND_GOAL_PER_SECOND) : 'info',
  };
}

/**
 * Single appends from several requests at once, each to its own tenant: chains serialize only
 * within a tenant, so this shows what the server does with parallel requests. It gets a pool with
 * a connection per worker, as the server's pool (10 by default) would give it.
 */
async function measureConcurrentAppends(database: Database, audit: AuditService): Promise<BenchRow> {
  const pool = new pg.Pool({ ...database.pool.options, max: CONCURRENT_WORKERS });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const name = `append, single, ${CONCURRENT_WORKERS} tenants at once`;
  try {
    const workers = Array.from({ length: CONCURRENT_WORKERS }, newTenant);
    const { result: lengths, seconds } = await timeWork(() =>
      Promise.all(
        workers.map((tenantId) => appendInBatches({ db, audit }, tenantId, CONCURRENT_APPENDS_PER_WORKER, 1)),
      ),
    );
    for (const lastSeq of lengths) expectChainLength(name, lastSeq, CONCURRENT_APPENDS_PER_WORKER);
    return {
      name,
      count: CONCURRENT_WORKERS * CONCURRENT_APPENDS_PER_WORKER,
      seconds,
      goal: '—',
      verdict: 'info',
    };
  } finally {
    await db.destroy();
  }
}

/** Fills one chain with `entries` entries, then times verifying it from the first link. */
async function measureVerification(appender: Appender, entries: number): Promise<BenchRow[]> {
  const tenantId = newTenant();
  const fillName = `fill chain, batches of ${formatInteger(FILL_BATCH_SIZE)}`;
  const fill = await timeWork(() =>
    appendInBatches(appender, tenantId, entries, FILL_BATCH_SIZE, (done) => {
      if (done % PROGRESS_EVERY === 0 && done < entries)
        console.log(`  filled ${formatInteger(done)} / ${formatInteger(entries)}`);
    }),
  );
  expectChainLength(fillName, fill.result, entries);
  console.log(`  filled ${formatInteger(entries)} in ${formatSeconds(fill.seconds)} s; verifying…`);

  const verify = await timeWork(() => appender.audit.verifyChain(tenantId));
  const { broken, entriesChecked } = verify.result;
  if (broken !== null)
    throw new BenchFailure(
      `verify: the chain is broken at entry ${broken.seq} (${broken.reason}): ${broken.message}`,
    );
  if (entriesChecked !== entries)
    throw new BenchFailure(`verify: checked ${entriesChecked} entries, expected ${entries}.`);

  return [
    {
      name: fillName,
      count: entries,
      seconds: fill.seconds,
      goal: `≥ ${formatInteger(APPEND_GOAL_PER_SECOND)}/s`,
      verdict: judgeRate(entries / fill.seconds, APPEND_GOAL_PER_SECOND),
    },
    {
      name: 'verify chain (intact)',
      count: entriesChecked,
      seconds: verify.seconds,
      goal: `< ${VERIFY_GOAL_SECONDS} s`,
      verdict: verify.seconds < VERIFY_GOAL_SECONDS ? 'PASS' : 'BELOW',
    },
  ];
}

async function describeServer(database: Database): Promise<string> {
  const settings = await sql<{ version: string; commit: string }>`
    select current_setting('server_version') as version, current_setting('synchronous_commit') as commit`.execute(
    database.db,
  );
  const row = settings.rows[0]!;
  // synchronous_commit decides what one-event-per-transaction costs, so it belongs beside the figure.
  const where = database.backend === 'pglite' ? 'in-process (WASM), in memory' : 'server';
  return `${database.backend}: PostgreSQL ${row.version} ${where}, synchronous_commit=${row.commit}`;
}

async function runBenchmarks(database: Database, verifyEntries: number): Promise<BenchRow[]> {
  const appender: Appender = { db: database.db, audit: createAuditService({ db: database.db }) };
  // Connections, JIT and the plan cache warm up here, outside every timed figure.
  await appendInBatches(appender, newTenant(), WARM_UP_APPENDS, 1);

  const rows: BenchRow[] = [];
  console.log(`  ${formatInteger(SINGLE_APPENDS)} single appends…`);
  rows.push(await measureAppends(appender, 'append, single (1 tx each)', SINGLE_APPENDS, 1));
  if (database.backend === 'postgres') {
    console.log(`  ${CONCURRENT_WORKERS} concurrent tenants…`);
    rows.push(await measureConcurrentAppends(database, appender.audit));
  }
  for (const batchSize of BATCH_SIZES) {
    console.log(`  ${formatInteger(BATCHED_EVENTS)} appends in batches of ${formatInteger(batchSize)}…`);
    rows.push(
      await measureAppends(
        appender,
        `append, batches of ${formatInteger(batchSize)}`,
        BATCHED_EVENTS,
        batchSize,
      ),
    );
  }
  console.log(`  filling a chain of ${formatInteger(verifyEntries)}…`);
  rows.push(...(await measureVerification(appender, verifyEntries)));
  return rows;
}

async function main(): Promise<void> {
  const verifyEntries = readVerifyEntries(1_000_000);
  const database = await createTestDatabase();
  // On PostgreSQL the run leaves a database of ~1M rows behind unless it is dropped, even on Ctrl-C.
  const interrupt = () => void database.close().finally(() => process.exit(130));
  process.once('SIGINT', interrupt);
  try {
    const server = await describeServer(database);
    console.log(`Audit log benchmark: ${server}`);
    console.log(`machine: ${describeMachine()}`);
    const rows = await runBenchmarks(database, verifyEntries);
    console.log(`\nAudit log on ${database.backend}:`);
    console.log(formatTable(rows));
    console.log(
      'Append goals apply to batched appends; single appends (one transaction per event) are for reference.',
    );
  } finally {
    process.off('SIGINT', interrupt);
    await database.close();
  }
}

try {
  await main();
} catch (error) {
  // Loud and non-zero: a failed run must never read as a result.
  console.error(`\nFAILED (${testBackend}): ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof BenchFailure)) console.error(error);
  process.exitCode = 1;
}
