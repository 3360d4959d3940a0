/**
 * A screening worker thread (run by the piscina pool). It holds its own copy of the index, built
 * from a snapshot in shared memory, in slices, so that while a new index is built the worker keeps
 * answering queries with the previous one. The main thread's event loop never does this work.
 */
import { BroadcastChannel, isMainThread, threadId, workerData } from 'node:worker_threads';
import type { ListedEntity } from './list-entity.ts';
import { MatchIndex } from './match-index.ts';
import { searchIndex, type ScreeningHit } from './match-search.ts';
import {
  WARM_CHANNEL,
  type IndexReady,
  type IndexSnapshot,
  type SearchTask,
  type WarmMessage,
} from './screening-protocol.ts';

const SLICE = 1_000;
const indexes = new Map<number, Promise<MatchIndex>>();
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

async function buildIndex(snapshot: IndexSnapshot): Promise<MatchIndex> {
  const text = Buffer.from(snapshot.bytes, 0, snapshot.length).toString('utf8');
  const index = new MatchIndex();
  let start = 0;
  let slice: { listId: string; entity: ListedEntity }[] = [];
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const line = JSON.parse(text.slice(start, end)) as { l: string; e: ListedEntity };
      slice.push({ listId: line.l, entity: line.e });
    }
    start = end + 1;
    if (slice.length === SLICE) {
      index.add(slice);
      slice = [];
      await pause();
    }
  }
  index.add(slice);
  let [from, to] = index.pendingTokens;
  while (from < to) {
    const next = Math.min(from + SLICE * 5, to);
    index.finish(from, next);
    from = next;
    await pause();
  }
  [from, to] = index.pendingTokens;
  index.finish(from, to);
  return index;
}

// Queries already handed to a worker may still name the previous generation; after this long
// none can, and its index is dropped (otherwise every reload would double the memory held).
const RETIRE_AFTER_MS = 30_000;

function indexFor(snapshot: IndexSnapshot): Promise<MatchIndex> {
  let index = indexes.get(snapshot.generation);
  if (!index) {
    index = buildIndex(snapshot);
    indexes.set(snapshot.generation, index);
    // A failed build is forgotten, so the next task tries again instead of failing for good.
    index.catch(() => indexes.delete(snapshot.generation));
    void index.then(() => {
      setTimeout(() => {
        for (const generation of indexes.keys()) {
          if (generation < snapshot.generation) indexes.delete(generation);
        }
      }, RETIRE_AFTER_MS).unref();
    });
  }
  return index;
}

if (isMainThread) {
  throw new Error('screening-worker.ts runs only in the screening pool’s worker threads');
}

const channel = new BroadcastChannel((workerData as { channel?: string } | null)?.channel ?? WARM_CHANNEL);
channel.unref();
channel.onmessage = (event) => {
  const message = (event as { data: WarmMessage | IndexReady }).data;
  if (message.kind !== 'warm') return;
  const started = performance.now();
  void indexFor(message.snapshot).then(
    () => {
      const ready: IndexReady = {
        kind: 'ready',
        generation: message.snapshot.generation,
        threadId,
        buildMs: Math.round(performance.now() - started),
        heapUsed: process.memoryUsage().heapUsed,
      };
      channel.postMessage(ready);
    },
    // Not reported ready: the engine's deadline passes and the next query retries the build.
    () => undefined,
  );
};

/** Screens each query of the task; one result list per query, in order. */
export default async function screen(task: SearchTask): Promise<ScreeningHit[][]> {
  const index = await indexFor(task.snapshot);
  return task.queries.map((query) => searchIndex(index, query, task.options));
}
