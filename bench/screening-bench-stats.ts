/**
 * Small measuring helpers for the screening benchmark: latency percentiles, memory read after a
 * full garbage collection, and the goals table with PASS/MISS beside each measured figure.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Percentiles of a set of latencies, in milliseconds. */
export type LatencySummary = {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
};

/** One goal of the spec and what this run measured against it. */
export type GoalRow = { readonly goal: string; readonly measured: string; readonly isMet: boolean };

// Node only exposes `gc` when started with --expose-gc; turning the flag on at run time and
// reading `gc` from a fresh context gives the same, so `node bench/screening.bench.ts` needs no flag.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Nearest-rank percentile over sorted samples.
function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Summarises latencies given in milliseconds. */
export function summariseLatencies(samples: readonly number[]): LatencySummary {
  const sorted = samples.toSorted((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
  };
}

/** A millisecond figure with precision that suits its size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}

/** `p50 … p95 … p99 … max …` on one line. */
export function formatLatency(summary: LatencySummary): string {
  return `p50 ${formatMs(summary.p50)}, p95 ${formatMs(summary.p95)}, p99 ${formatMs(summary.p99)}, max ${formatMs(summary.max)} (n=${summary.count})`;
}

/** Bytes as MiB, no decimals. */
export function formatMiB(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2).toLocaleString('en-US')} MiB`;
}

/** This thread's heap and the process's RSS after a full collection, so garbage does not count. */
export function measureMemory(): { heapUsed: number; rss: number } {
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

/** Renders the goals as an aligned table: goal, measured figure, PASS or MISS. */
export function formatGoals(rows: readonly GoalRow[]): string {
  const header = ['goal', 'measured', 'verdict'];
  const cells = rows.map((row) => [row.goal, row.measured, row.isMet ? 'PASS' : 'MISS']);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line.at(column) ?? '').length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => cell.padEnd(widths.at(column) ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(header), rule, ...cells.map(render)].join('\n');
}
