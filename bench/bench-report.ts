/**
 * What every benchmark prints: the machine a figure came from and one fixed-width table, so runs
 * on different machines and backends can be read side by side.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** Whether a figure met the spec's goal; `info` rows have no goal of their own. */
export type BenchVerdict = 'PASS' | 'BELOW' | 'info';

/** One measured figure: `count` things done in `seconds`. */
export type BenchRow = {
  readonly name: string;
  readonly count: number;
  readonly seconds: number;
  readonly goal: string;
  readonly verdict: BenchVerdict;
};

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `1234567` as `1,234,567`. */
export function formatInteger(value: number): string {
  return integer.format(value);
}

/** Seconds with two decimals. */
export function formatSeconds(seconds: number): string {
  return twoDecimals.format(seconds);
}

/** The hardware and runtime, printed above every table (figures mean little without them). */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memory = os.totalmem() / 1024 ** 3;
  return `${cpus.length} CPUs (${model}), ${memory.toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** Runs `work` once and reports how long it took, in seconds. */
export async function timeWork<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/** A rate measured against a minimum rate. */
export function judgeRate(perSecond: number, goalPerSecond: number): BenchVerdict {
  return perSecond >= goalPerSecond ? 'PASS' : 'BELOW';
}

/** Renders the rows as an aligned text table, numbers right-aligned. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['measurement', 'count', 'seconds', 'per second', 'goal', 'verdict'];
  const cells = rows.map((row) => [
    row.name,
    formatInteger(row.count),
    formatSeconds(row.seconds),
    formatInteger(row.count / row.seconds),
    row.goal,
    row.verdict,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line.at(column) ?? '').length)),
  );
  // The first column is text (left-aligned); the numbers line up on their last digit.
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) =>
        column === 0 || column >= 4
          ? cell.padEnd(widths.at(column) ?? 0)
          : cell.padStart(widths.at(column) ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(header), rule, ...cells.map(render)].join('\n');
}
