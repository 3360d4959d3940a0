/**
 * What the engine (main thread) and its workers send each other. No side effects here: the main
 * thread imports this file, never the worker module itself (which would build an index in-process).
 */
import type { ScreeningQuery, SearchOptions } from './match-search.ts';

/** The index's source: JSON lines `{"l": listId, "e": entity}` in shared memory, numbered. */
export type IndexSnapshot = { generation: number; bytes: SharedArrayBuffer; length: number };

/** A search task. */
export type SearchTask = { snapshot: IndexSnapshot; queries: ScreeningQuery[]; options: SearchOptions };

/** A broadcast to every worker: build this snapshot now; workers answer with `IndexReady`. */
export type WarmMessage = { kind: 'warm'; snapshot: IndexSnapshot };

/** A worker's answer to a warm broadcast. */
export type IndexReady = {
  kind: 'ready';
  generation: number;
  threadId: number;
  buildMs: number;
  heapUsed: number;
};

/** The channel the pool and its workers talk on (one per process). */
export const WARM_CHANNEL = 'diligence-screening-index';
