/**
 * The password hashing benchmark: how long one argon2id hash and one verification take with the
 * parameters in use (the goal is 50–250 ms each), and the sign-in rate that cost allows with one
 * and two hashes at a time. It exits non-zero when a verification gives the wrong answer, so a
 * broken hasher cannot pass for a fast one. Takes about 10 s.
 */
import { performance } from 'node:perf_hooks';
import {
  PASSWORD_HASH_PARAMETERS,
  hashPassword,
  verifyPassword,
} from '../src/modules/auth/password-hasher.ts';
import { describeMachine, formatTable, timeWork, type BenchRow } from './bench-report.ts';

const GOAL_MIN_MS = 50;
const GOAL_MAX_MS = 250;
const WARM_UP = 2;
const SAMPLES = 20;
const THROUGHPUT_HASHES_PER_WORKER = 10;
const CONCURRENCIES = [1, 2] as const;

/** Raised when the hasher's own results do not check out. */
class BenchFailure extends Error {}

// A fixed, made-up password: the benchmark prints timings only, never what it hashed.
const PASSWORD = 'bench: staple battery horse correct';

type Latency = { readonly medianMs: number; readonly p95Ms: number; readonly totalSeconds: number };

// Nearest-rank percentile over sorted samples.
function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function measureLatency(work: () => Promise<unknown>): Promise<Latency> {
  const samples: number[] = [];
  for (let index = 0; index < SAMPLES; index += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  const sorted = samples.toSorted((a, b) => a - b);
  return {
    medianMs: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    totalSeconds: samples.reduce((sum, ms) => sum + ms, 0) / 1000,
  };
}

function describeLatency(name: string, latency: Latency): string {
  const within = latency.medianMs >= GOAL_MIN_MS && latency.medianMs <= GOAL_MAX_MS;
  return `${name.padEnd(7)} median ${latency.medianMs.toFixed(1)} ms, p95 ${latency.p95Ms.toFixed(1)} ms over ${SAMPLES} (goal ${GOAL_MIN_MS}–${GOAL_MAX_MS} ms: ${within ? 'PASS' : 'OUTSIDE'})`;
}

/** Hashes with `workers` hashes in flight at once: the ceiling on password sign-ins per second. */
async function measureThroughput(workers: number): Promise<BenchRow> {
  const { seconds } = await timeWork(() =>
    Promise.all(
      Array.from({ length: workers }, async () => {
        for (let index = 0; index < THROUGHPUT_HASHES_PER_WORKER; index += 1) await hashPassword(PASSWORD);
      }),
    ),
  );
  return {
    name: `hashes, ${workers} at a time`,
    count: workers * THROUGHPUT_HASHES_PER_WORKER,
    seconds,
    goal: '—',
    verdict: 'info',
  };
}

async function main(): Promise<void> {
  const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_PARAMETERS;
  console.log(
    `Password hashing benchmark: argon2id m=${memoryCost} KiB (${memoryCost / 1024} MiB), t=${timeCost}, p=${parallelism}`,
  );
  console.log(`machine: ${describeMachine()}`);

  const stored = await hashPassword(PASSWORD);
  for (let index = 0; index < WARM_UP; index += 1) await verifyPassword(stored, PASSWORD);
  if (!(await verifyPassword(stored, PASSWORD))) throw new BenchFailure('the right password did not verify.');
  if (await verifyPassword(stored, `${PASSWORD}!`)) throw new BenchFailure('a wrong password verified.');

  const hashing = await measureLatency(() => hashPassword(PASSWORD));
  let mismatches = 0;
  const verifying = await measureLatency(async () => {
    if (!(await verifyPassword(stored, PASSWORD))) mismatches += 1;
  });
  if (mismatches > 0) throw new BenchFailure(`${mismatches} verifications of the right password failed.`);

  const rows: BenchRow[] = [];
  for (const workers of CONCURRENCIES) rows.push(await measureThroughput(workers));

  console.log(`\n${describeLatency('hash', hashing)}`);
  console.log(describeLatency('verify', verifying));
  console.log(`\nSign-in throughput bound (one hash per password sign-in):`);
  console.log(formatTable(rows));
  console.log(
    `Each hash in flight holds ${memoryCost / 1024} MiB; libuv runs up to ${process.env.UV_THREADPOOL_SIZE ?? 4} at once.`,
  );
}

try {
  await main();
} catch (error) {
  // Loud and non-zero: a failed run must never read as a result.
  console.error(`\nFAILED: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof BenchFailure)) console.error(error);
  process.exitCode = 1;
}
