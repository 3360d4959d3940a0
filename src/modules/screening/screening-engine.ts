/**
 * The main thread's side of screening: it reads the active list entities into a snapshot in shared
 * memory, has every worker build its index from it (while they keep answering with the previous
 * one), swaps to it when all are ready, and sends queries to the pool in small batches. Nothing
 * here scores or indexes names, so the HTTP server's event loop stays free.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError } from '../../platform/errors.ts';
import type { ScreeningHit, ScreeningQuery, SearchOptions } from './match-search.ts';
import {
  WARM_CHANNEL,
  type IndexReady,
  type IndexSnapshot,
  type SearchTask,
  type WarmMessage,
} from './screening-protocol.ts';

/** Reads the active entities as JSON lines (`{"l": listId, "e": entity}`), page by page. */
export type SnapshotReader = () => AsyncIterable<string[]>;

/** What the index holds now. */
export type IndexState = {
  state: 'empty' | 'loading' | 'ready';
  generation: number;
  entities: number;
  snapshotBytes: number;
  builtAt: Date | null;
  /** Slowest worker's build time of the current index. */
  buildMs: number | null;
};

/** The state before any list is loaded. */
export const EMPTY_INDEX: IndexState = {
  state: 'empty',
  generation: 0,
  entities: 0,
  snapshotBytes: 0,
  builtAt: null,
  buildMs: null,
};

// Queries per pool task: big enough to amortise the hand-over, small enough to spread a batch.
const QUERIES_PER_TASK = 25;
const WARM_TIMEOUT_MS = 180_000;
const REBROADCAST_MS = 250;

/** The screening engine: a worker pool holding the index. */
export type ScreeningEngine = ReturnType<typeof createScreeningEngine>;

/** Starts the pool (`threads` workers; default: one per core). */
export function createScreeningEngine({
  readSnapshot,
  threads,
}: {
  readSnapshot: SnapshotReader;
  threads?: number;
}) {
  // Each worker holds a whole index (~300 MB with every list); more than four rarely pays.
  const size = Math.max(1, threads ?? Math.min(availableParallelism(), 4));
  // One channel per engine, so two engines in one process (tests) never hear each other's indexes.
  const channelName = `${WARM_CHANNEL}-${randomUUID()}`;
  const pool = new Piscina<SearchTask, ScreeningHit[][]>({
    filename: new URL('./screening-worker.ts', import.meta.url).href,
    minThreads: size,
    maxThreads: size,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Idle workers must keep their event loop running: they build indexes between tasks.
    atomics: 'disabled',
    workerData: { channel: channelName },
  });
  const channel = new BroadcastChannel(channelName);
  channel.unref();
  const readyListeners = new Set<(message: IndexReady) => void>();
  channel.onmessage = (event) => {
    const message = (event as { data: WarmMessage | IndexReady }).data;
    if (message.kind === 'ready') readyListeners.forEach((listener) => listener(message));
  };

  let current: IndexSnapshot | null = null;
  let state: IndexState = EMPTY_INDEX;
  let loading: Promise<IndexState> | null = null;

  async function takeSnapshot(generation: number): Promise<{ snapshot: IndexSnapshot; entities: number }> {
    const pages: Buffer[] = [];
    let entities = 0;
    for await (const lines of readSnapshot()) {
      entities += lines.length;
      pages.push(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    }
    const length = pages.reduce((sum, page) => sum + page.length, 0);
    const bytes = new SharedArrayBuffer(Math.max(1, length));
    const view = Buffer.from(bytes);
    let offset = 0;
    for (const page of pages) offset += page.copy(view, offset);
    return { snapshot: { generation, bytes, length }, entities };
  }

  function warmEveryWorker(snapshot: IndexSnapshot): Promise<number> {
    return new Promise((resolve) => {
      const ready = new Map<number, number>();
      const finish = () => {
        clearInterval(rebroadcast);
        clearTimeout(deadline);
        readyListeners.delete(listener);
        resolve(Math.max(0, ...ready.values()));
      };
      const listener = (message: IndexReady) => {
        if (message.generation !== snapshot.generation) return;
        ready.set(message.threadId, message.buildMs);
        if (ready.size >= pool.threads.length) finish();
      };
      readyListeners.add(listener);
      const warm: WarmMessage = { kind: 'warm', snapshot };
      channel.postMessage(warm);
      // A worker still starting up misses a broadcast; building is idempotent, so repeat it.
      const rebroadcast = setInterval(() => channel.postMessage(warm), REBROADCAST_MS);
      // Past the deadline, workers that are not ready build on their first query instead.
      const deadline = setTimeout(finish, WARM_TIMEOUT_MS);
    });
  }

  async function load(): Promise<IndexState> {
    const generation = state.generation + 1;
    state = { ...state, state: current ? 'ready' : 'loading' };
    const { snapshot, entities } = await takeSnapshot(generation);
    if (entities === 0) {
      current = null;
      state = {
        state: 'empty',
        generation,
        entities: 0,
        snapshotBytes: 0,
        builtAt: new Date(),
        buildMs: null,
      };
      return state;
    }
    const buildMs = await warmEveryWorker(snapshot);
    current = snapshot;
    state = {
      state: 'ready',
      generation,
      entities,
      snapshotBytes: snapshot.length,
      builtAt: new Date(),
      buildMs,
    };
    return state;
  }

  return {
    /** Rebuilds the index from the active list versions; queries keep using the old one meanwhile. */
    reload(): Promise<IndexState> {
      const run = (loading ?? Promise.resolve(state)).catch(() => state).then(load);
      loading = run.finally(() => {
        if (loading === run) loading = null;
      });
      return run;
    },

    /** Screens queries (one result list per query, in order). */
    async search(queries: ScreeningQuery[], options: SearchOptions): Promise<ScreeningHit[][]> {
      if (!current && loading) await loading.catch(() => undefined);
      const snapshot = current;
      if (!snapshot) {
        throw new AppError(
          'unavailable',
          'No sanctions or PEP list is loaded, so nothing can be screened. Import a list first ' +
            '(`diligence lists update` or `diligence lists import`).',
        );
      }
      const tasks: Promise<ScreeningHit[][]>[] = [];
      for (let i = 0; i < queries.length; i += QUERIES_PER_TASK) {
        tasks.push(pool.run({ snapshot, queries: queries.slice(i, i + QUERIES_PER_TASK), options }));
      }
      return (await Promise.all(tasks)).flat();
    },

    status: (): IndexState => state,
    threads: size,

    async close(): Promise<void> {
      channel.close();
      await pool.destroy();
    },
  };
}
