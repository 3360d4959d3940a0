/**
 * Starts the screening engine for the benchmark, fed straight from the parsed lists (no database),
 * and measures its first index: how long `reload()` takes, when every worker really is ready, and
 * what memory the warm pool adds. Workers announce each finished index on a broadcast channel, with
 * their thread id and heap; the benchmark listens there too, so it need not take `reload()`'s word.
 */
import { WARM_CHANNEL } from '../src/modules/screening/screening-protocol.ts';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BroadcastChannel } from 'node:worker_threads';
import type { IndexedEntity } from '../src/modules/screening/match-index.ts';
import { createScreeningEngine, type ScreeningEngine } from '../src/modules/screening/screening-engine.ts';
import { measureMemory } from './screening-bench-stats.ts';

/** What the first index cost. */
export type EngineStart = {
  readonly engine: ScreeningEngine;
  /** Until `reload()` resolved. */
  readonly reloadSeconds: number;
  /** Until every worker thread had announced its index (NaN if one never did). */
  readonly allReadySeconds: number;
  /** The engine's own figure: its slowest worker's build. */
  readonly buildMs: number | null;
  readonly snapshotBytes: number;
  /** Heap each announcing thread reported right after its build (garbage included), by thread id. */
  readonly heaps: ReadonlyMap<number, number>;
  /** The main thread (id 0) announced an index: it built one itself. */
  readonly hasMainThreadIndex: boolean;
  readonly rssBefore: number;
  readonly rssWarm: number;
  /** Growth of this thread's heap over the reload, after full collections. */
  readonly mainHeapGrowth: number;
};

const WORKER_CHANNEL = WARM_CHANNEL;
const SNAPSHOT_PAGE = 2_000;
const READY_TIMEOUT_MS = 120_000;
const MAIN_THREAD_ID = 0;

type ReadyMessage = { kind?: string; generation?: number; threadId?: number; heapUsed?: number };

/** Starts the pool (one worker per core, as in production), builds the index, and measures it. */
export async function startEngine(entities: readonly IndexedEntity[]): Promise<EngineStart> {
  const heaps = new Map<number, number>();
  const readyAt = new Map<number, number>();
  const channel = new BroadcastChannel(WORKER_CHANNEL);
  channel.onmessage = (event) => {
    const message = (event as { data: ReadyMessage }).data;
    if (message.kind !== 'ready' || message.threadId === undefined || readyAt.has(message.threadId)) return;
    readyAt.set(message.threadId, performance.now());
    if (message.heapUsed !== undefined) heaps.set(message.threadId, message.heapUsed);
  };
  const before = measureMemory();
  const engine = createScreeningEngine({
    async *readSnapshot() {
      for (let start = 0; start < entities.length; start += SNAPSHOT_PAGE)
        yield entities
          .slice(start, start + SNAPSHOT_PAGE)
          .map(({ listId, entity }) => JSON.stringify({ l: listId, e: entity }));
    },
  });
  const started = performance.now();
  const state = await engine.reload();
  const reloadSeconds = (performance.now() - started) / 1000;
  const workersReady = () => [...readyAt.keys()].filter((id) => id !== MAIN_THREAD_ID).length;
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (workersReady() < engine.threads && performance.now() < deadline) await sleep(10);
  const workerTimes = [...readyAt].filter(([id]) => id !== MAIN_THREAD_ID).map(([, at]) => at);
  const allReadySeconds =
    workersReady() >= engine.threads ? (Math.max(...workerTimes) - started) / 1000 : Number.NaN;
  channel.close();
  const warm = measureMemory();
  return {
    engine,
    reloadSeconds,
    allReadySeconds,
    buildMs: state.buildMs,
    snapshotBytes: state.snapshotBytes,
    heaps,
    hasMainThreadIndex: readyAt.has(MAIN_THREAD_ID),
    rssBefore: before.rss,
    rssWarm: warm.rss,
    mainHeapGrowth: warm.heapUsed - before.heapUsed,
  };
}
