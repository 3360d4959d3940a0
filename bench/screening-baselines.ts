/**
 * Two naive matchers to hold ours against, over the very names our index holds: whole-string
 * Jaro-Winkler against every name, and fuse.js. Both are slow (they read every name for every
 * query), so the evaluation runs each in a worker thread of its own while it screens with ours.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Fuse from 'fuse.js';
import { jaroWinkler } from '../src/modules/screening/name-similarity.ts';

/** The names to search: distinct normalised texts and, for each, the entities that carry it. */
export type BaselineNames = { texts: string[]; owners: number[][] };

/** One entity a baseline returned, with its best similarity (0–1). */
export type BaselineHit = { entity: number; score: number };

/** Per query: the hits, best first, and how long the query took. */
export type BaselineRun = { hits: BaselineHit[][]; ms: number[] };

/** Which baseline. */
export type BaselineKind = 'jaro-winkler' | 'fuse';

type Job = { role: 'screening-baseline'; kind: BaselineKind; names: BaselineNames; queries: string[] };

/** Lower-cased, diacritics stripped (NFKD), punctuation turned into spaces, spaces collapsed. */
export function normaliseForBaseline(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every name of every entity, normalised and deduplicated (a name shared by entities is read once). */
export function collectBaselineNames(entityNames: string[][]): BaselineNames {
  const byText = new Map<string, number[]>();
  entityNames.forEach((names, entity) => {
    for (const text of names.map(normaliseForBaseline).filter((text) => text !== '')) {
      const owners = byText.get(text) ?? [];
      if (owners.at(-1) !== entity) owners.push(entity);
      byText.set(text, owners);
    }
  });
  return { texts: [...byText.keys()], owners: [...byText.values()] };
}

// Whole-string Jaro-Winkler below this is never a match worth tuning for; the bound below lets
// the scan skip names that cannot reach it, which leaves every score at or above it exact.
const JARO_WINKLER_FLOOR = 0.8;
const LIMIT = 10;
const queryCounts = new Int32Array(65536);
const usedCounts = new Int32Array(65536);

// The most Jaro-Winkler can give: matches cannot exceed the letters the two strings share, and
// transpositions only lower it. `queryCounts` holds the query's letter counts.
function upperBound(query: string, name: string): number {
  let shared = 0;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (usedCounts[code]! < queryCounts[code]!) {
      usedCounts[code]!++;
      shared++;
    }
  }
  for (let i = 0; i < name.length; i++) usedCounts[name.charCodeAt(i)] = 0;
  const jaro = (shared / query.length + shared / name.length + 1) / 3;
  return jaro + commonPrefix(query, name) * 0.1 * (1 - jaro);
}

function commonPrefix(a: string, b: string): number {
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return prefix;
}

function topHits(scores: Map<number, number>): BaselineHit[] {
  return [...scores]
    .map(([entity, score]) => ({ entity, score }))
    .sort((a, b) => b.score - a.score || a.entity - b.entity)
    .slice(0, LIMIT);
}

function keepBest(scores: Map<number, number>, owners: number[], score: number): void {
  for (const entity of owners) if ((scores.get(entity) ?? 0) < score) scores.set(entity, score);
}

/** Baseline (b): the query against every name, whole string; hits scoring ≥ 0.8, best 10 entities. */
export function searchJaroWinkler(names: BaselineNames, query: string): BaselineHit[] {
  const scores = new Map<number, number>();
  if (query === '') return [];
  for (let i = 0; i < query.length; i++) queryCounts[query.charCodeAt(i)]!++;
  names.texts.forEach((text, i) => {
    if (upperBound(query, text) < JARO_WINKLER_FLOOR) return;
    const score = jaroWinkler(query, text);
    if (score >= JARO_WINKLER_FLOOR) keepBest(scores, names.owners[i]!, score);
  });
  for (let i = 0; i < query.length; i++) queryCounts[query.charCodeAt(i)] = 0;
  return topHits(scores);
}

/** Baseline (c): fuse.js over the same names; similarity is 1 − fuse's score (0 = perfect). */
export function createFuseSearch(names: BaselineNames): (query: string) => BaselineHit[] {
  const documents = names.texts.map((name, i) => ({ name, i }));
  const fuse = new Fuse(documents, {
    keys: ['name'],
    includeScore: true,
    threshold: 0.3,
    ignoreLocation: true,
  });
  return (query) => {
    const scores = new Map<number, number>();
    for (const result of fuse.search(query)) {
      keepBest(scores, names.owners[result.item.i]!, 1 - (result.score ?? 1));
    }
    return topHits(scores);
  };
}

function runJob(job: Job): BaselineRun {
  const search =
    job.kind === 'fuse'
      ? createFuseSearch(job.names)
      : (query: string) => searchJaroWinkler(job.names, query);
  const run: BaselineRun = { hits: [], ms: [] };
  for (const query of job.queries) {
    const started = performance.now();
    run.hits.push(search(normaliseForBaseline(query)));
    run.ms.push(performance.now() - started);
  }
  return run;
}

/** Runs one baseline over the queries in a worker thread, so it overlaps the main thread's work. */
export function runBaselineInWorker(
  kind: BaselineKind,
  names: BaselineNames,
  queries: string[],
): Promise<BaselineRun> {
  const job: Job = { role: 'screening-baseline', kind, names, queries };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (run: BaselineRun) => resolve(run));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the ${kind} baseline worker stopped with code ${code}`));
    });
  });
}

if (!isMainThread && (workerData as Partial<Job> | null)?.role === 'screening-baseline') {
  parentPort!.postMessage(runJob(workerData as Job));
}
