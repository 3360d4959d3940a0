/**
 * Event-loop responsiveness for the screening benchmark: a Fastify server in this process answers
 * `GET /ping` while a client in this process keeps a few requests in flight (keep-alive), so a
 * blocked main thread shows up as slow or missing answers and as event-loop delay.
 */
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { formatInteger } from './bench-report.ts';
import { formatMs, summariseLatencies, type LatencySummary } from './screening-bench-stats.ts';

/** What the client saw while `work` ran, and how late the event loop was meanwhile. */
export type PingFigures = {
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Every request sent before the work ended, including those answered only after it. */
  readonly latency: LatencySummary;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** The main thread's longest garbage-collection pause in the window (its heap holds the lists). */
  readonly gcPauseMaxMs: number;
};

const CONCURRENCY = 10;
// The client settles before the window opens, so the first connections are not counted.
const RAMP_MS = 300;
// The event-loop delay histogram samples every millisecond (its default is 10 ms).
const LOOP_DELAY_RESOLUTION_MS = 1;

/** Starts the server on a free port of 127.0.0.1; returns its /ping URL and how to stop it. */
export async function startPingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/ping', async () => ({ pong: true }));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/ping`, close: () => app.close() };
}

/** Hammers `url` with CONCURRENCY request loops while `work` runs; only that window is counted. */
export async function measurePing(url: string, work: () => Promise<unknown>): Promise<PingFigures> {
  let isRunning = true;
  const latencies: number[] = [];
  const loop = async () => {
    while (isRunning) {
      const started = performance.now();
      const response = await fetch(url);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`GET /ping answered ${response.status}.`);
      latencies.push(performance.now() - started);
    }
  };
  const loops = Array.from({ length: CONCURRENCY }, loop);
  await sleep(RAMP_MS);
  const delay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  delay.enable();
  // The histogram records the gap between two of its ticks: the first must come before any stall.
  await sleep(LOOP_DELAY_RESOLUTION_MS * 5);
  latencies.length = 0;
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  isRunning = false;
  // Requests stalled by the work are answered now; their wait is the point, so they count.
  await Promise.all(loops);
  // The delay timer must fire once after a stall, or the histogram never sees it.
  await sleep(LOOP_DELAY_RESOLUTION_MS * 5);
  delay.disable();
  for (const entry of gcObserver.takeRecords()) gcPauses.push(entry.duration);
  gcObserver.disconnect();
  return {
    seconds,
    requestsPerSecond: latencies.length / seconds,
    latency: summariseLatencies(latencies),
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    loopDelayMaxMs: delay.max / 1e6,
    gcPauseMaxMs: Math.max(0, ...gcPauses),
  };
}

/** One line: the window, req/s, /ping latency, event-loop delay and the longest GC pause. */
export function formatPing(label: string, figures: PingFigures): string {
  const { latency } = figures;
  return (
    `  ${label.padEnd(25)} ${figures.seconds.toFixed(1).padStart(5)} s ${formatInteger(figures.requestsPerSecond).padStart(6)} req/s  ` +
    `/ping p50 ${formatMs(latency.p50)}, p99 ${formatMs(latency.p99)}, max ${formatMs(latency.max)}  ` +
    `loop delay p99 ${formatMs(figures.loopDelayP99Ms)}, max ${formatMs(figures.loopDelayMaxMs)}  ` +
    `longest main-thread GC ${formatMs(figures.gcPauseMaxMs)}`
  );
}
