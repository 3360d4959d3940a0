/**
 * `npm run bench`: the audit log benchmark on PGlite, then on PostgreSQL when a server answers,
 * then the password hashing benchmark, then the vault benchmark on each backend, then the screening
 * benchmark (it skips itself without ../shared/data), then the risk model benchmark on each backend. Each runs in a
 * child process of its own, so one run's heap, JIT state and open handles cannot colour another's
 * figures. Exits non-zero when any run failed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { testPostgresAdminUrl } from '../test/test-database.ts';

const AUDIT_BENCH = fileURLToPath(new URL('./audit.bench.ts', import.meta.url));
const ARGON2_BENCH = fileURLToPath(new URL('./argon2.bench.ts', import.meta.url));
const VAULT_BENCH = fileURLToPath(new URL('./vault.bench.ts', import.meta.url));
const SCREENING_BENCH = fileURLToPath(new URL('./screening.bench.ts', import.meta.url));
const RISK_BENCH = fileURLToPath(new URL('./risk.bench.ts', import.meta.url));
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

/** Runs one benchmark script in a child process; its output goes straight through. */
function runBench(script: string, env: NodeJS.ProcessEnv = process.env): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code === 0 ? 'ok' : 'failed'));
  });
}

/** Runs the audit benchmark on one backend. */
function runAuditBench(backend: Backend): Promise<Outcome> {
  return runBench(AUDIT_BENCH, { ...process.env, DILIGENCE_TEST_BACKEND: backend });
}

const outcomes: Record<
  Backend | 'argon2' | 'vault-pglite' | 'vault-postgres' | 'screening' | 'risk-pglite' | 'risk-postgres',
  Outcome
> = {
  pglite: 'skipped',
  postgres: 'skipped',
  argon2: 'skipped',
  'vault-pglite': 'skipped',
  'vault-postgres': 'skipped',
  screening: 'skipped',
  'risk-pglite': 'skipped',
  'risk-postgres': 'skipped',
};

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

console.log('\n== password hashing (argon2id) ==');
outcomes.argon2 = await runBench(ARGON2_BENCH);

console.log('\n== vault (field and document encryption) on PGlite ==');
outcomes['vault-pglite'] = await runBench(VAULT_BENCH, { ...process.env, DILIGENCE_TEST_BACKEND: 'pglite' });
if (unreachable === null) {
  console.log('\n== vault (field and document encryption) on PostgreSQL ==');
  outcomes['vault-postgres'] = await runBench(VAULT_BENCH, {
    ...process.env,
    DILIGENCE_TEST_BACKEND: 'postgres',
  });
}

console.log('\n== screening (index, latency, throughput, event loop, fuse.js) ==');
outcomes.screening = await runBench(SCREENING_BENCH);

console.log('\n== risk model (evaluations of the default model; dry run over 100,000 clients) on PGlite ==');
outcomes['risk-pglite'] = await runBench(RISK_BENCH, { ...process.env, DILIGENCE_TEST_BACKEND: 'pglite' });
if (unreachable === null) {
  console.log('\n== risk model (evaluations; dry run over 100,000 clients) on PostgreSQL ==');
  outcomes['risk-postgres'] = await runBench(RISK_BENCH, {
    ...process.env,
    DILIGENCE_TEST_BACKEND: 'postgres',
  });
}

console.log(
  `\nbench: ${Object.entries(outcomes)
    .map(([name, outcome]) => `${name} ${outcome}`)
    .join(', ')}`,
);
if (Object.values(outcomes).includes('failed')) process.exitCode = 1;
