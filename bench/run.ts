/**
 * `npm run bench`: the audit log benchmark on PGlite, then on PostgreSQL when a server answers.
 * Each backend runs in a child process of its own, so one backend's heap, JIT state and open
 * handles cannot colour the other's figures. Exits non-zero when any backend's run failed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { testPostgresAdminUrl } from '../test/test-database.ts';

const AUDIT_BENCH = fileURLToPath(new URL('./audit.bench.ts', import.meta.url));
const PROBE_TIMEOUT_MS = 3_000;

type Backend = 'pglite' | 'postgres';
type Outcome = 'ok' | 'failed' | 'skipped';

// Only host and port are printed: the URL may carry a password.
function describeServer(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || '5432'}`;
}

/** Connects once to the server the PostgreSQL run would use; returns why it failed, or null. */
async function probePostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs the audit benchmark in a child process on one backend; its output goes straight through. */
function runAuditBench(backend: Backend): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUDIT_BENCH], {
      stdio: 'inherit',
      env: { ...process.env, DILIGENCE_TEST_BACKEND: backend },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code === 0 ? 'ok' : 'failed'));
  });
}

const outcomes: Record<Backend, Outcome> = { pglite: 'skipped', postgres: 'skipped' };

console.log('== audit log on PGlite ==');
outcomes.pglite = await runAuditBench('pglite');

console.log('\n== audit log on PostgreSQL ==');
const unreachable = await probePostgres(testPostgresAdminUrl);
if (unreachable === null) {
  outcomes.postgres = await runAuditBench('postgres');
} else {
  console.log(
    `skipped: PostgreSQL not reachable at ${describeServer(testPostgresAdminUrl)} (${unreachable})`,
  );
}

console.log(`\nbench: pglite ${outcomes.pglite}, postgres ${outcomes.postgres}`);
if (Object.values(outcomes).includes('failed')) process.exitCode = 1;
