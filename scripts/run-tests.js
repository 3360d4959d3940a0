// Runs the whole test suite on PGlite, then again on the PostgreSQL server when one is reachable
// (DILIGENCE_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
// Extra arguments are passed to `node --test` (e.g. a file list).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { globSync } from 'node:fs';
import pg from 'pg';

const postgresUrl = process.env.DILIGENCE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const requested = process.argv.slice(2);
const files = requested.length > 0 ? requested : globSync('{src,test}/**/*.test.ts').sort();

async function postgresReachable() {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    console.log(
      `PostgreSQL not reachable at ${new URL(postgresUrl).host} (${error.message}); skipping that backend.`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Test databases are created from a per-run template, dropped here when the run ends.
const runId = randomBytes(5).toString('hex');

async function dropRunDatabases() {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      "select datname from pg_database where datname like 'diligence\\_%' and datname like $1",
      [`%_${runId}`],
    );
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}

function runSuite(backend) {
  console.log(`\n=== Test suite on ${backend} ===`);
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=2', '--test-timeout=120000', ...files],
    {
      stdio: 'inherit',
      env: { ...process.env, DILIGENCE_TEST_BACKEND: backend, DILIGENCE_TEST_RUN_ID: runId },
    },
  );
  return result.status ?? 1;
}

let failed = runSuite('pglite') !== 0;
if (await postgresReachable()) {
  failed = runSuite('postgres') !== 0 || failed;
  await dropRunDatabases();
} else if (process.env.DILIGENCE_REQUIRE_POSTGRES === 'true') failed = true;
process.exit(failed ? 1 : 0);
