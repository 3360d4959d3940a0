/**
 * Realistic screening queries from the yente benchmark files (../shared/data/matching): positives
 * taken from the UN and US Congress lists and synthetic negatives, mixed in fixed shares, half of
 * them with a birth date. Also the ground truth for the UN positives: which UN entry each one is.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { IndexedEntity } from '../src/modules/screening/match-index.ts';
import type { ScreeningQuery } from '../src/modules/screening/match-search.ts';
import { SHARED_DATA } from './screening-lists.ts';

/** The folder of the yente benchmark files. */
export const YENTE_BENCHMARK = path.join(SHARED_DATA, 'matching', 'yente_benchmark');

/** The UN positives as the list writes them (no typos), used for the recall comparison. */
export const UN_POSITIVES = 'positives_un_untreated.csv';

type Row = { full_name: string; date_of_birth: string };
type Source = { file: string; share: number; isPositive: boolean; rows: Row[]; cursor: number };

// Mostly negatives, as a client book is; the positives make the matcher score real candidates.
const MIX = [
  { file: UN_POSITIVES, share: 0.05, isPositive: true },
  { file: 'positives_un_treated.csv', share: 0.05, isPositive: true },
  { file: 'positives_us_congress_untreated.csv', share: 0.1, isPositive: true },
  { file: 'negatives_global.csv', share: 0.4, isPositive: false },
  { file: 'negatives_us.csv', share: 0.4, isPositive: false },
] as const;

// The negatives files hold 50,000 rows each; the benchmark never needs more than this many.
const MAX_ROWS = 25_000;

/** Queries and, for each, whether it names someone who is listed. */
export type QuerySet = { queries: ScreeningQuery[]; isPositive: boolean[] };

/** Reads one benchmark file's rows (name and birth date). */
export function readBenchmarkRows(file: string): Row[] {
  return parse(readFileSync(path.join(YENTE_BENCHMARK, file)), {
    columns: true,
    skip_empty_lines: true,
    to: MAX_ROWS,
  }) as Row[];
}

// A small seeded generator (mulberry32), so every run screens the same queries in the same order.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** True when the benchmark files are there. */
export function hasBenchmarkQueries(): boolean {
  return MIX.every(({ file }) => existsSync(path.join(YENTE_BENCHMARK, file)));
}

/**
 * A source of query sets: each `take` continues where the last stopped in every file (positives
 * wrap around, the negatives never do), so the sets measured one after another do not repeat.
 */
export function createQueryPool(seed = 1) {
  const sources: Source[] = MIX.map((item) => ({ ...item, rows: readBenchmarkRows(item.file), cursor: 0 }));
  const random = seededRandom(seed);
  return {
    /** `count` queries in the mix's shares, shuffled; every other row of a file has its birth date. */
    take(count: number): QuerySet {
      const taken: { query: ScreeningQuery; isPositive: boolean }[] = [];
      for (const source of sources) {
        for (let n = 0; n < Math.round(count * source.share); n++) {
          const position = source.cursor++;
          const row = source.rows[position % source.rows.length]!;
          const query: ScreeningQuery = { name: row.full_name };
          if (position % 2 === 0 && row.date_of_birth) query.birthDate = row.date_of_birth;
          taken.push({ query, isPositive: source.isPositive });
        }
      }
      for (let i = taken.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [taken[i], taken[j]] = [taken[j]!, taken[i]!];
      }
      return { queries: taken.map((item) => item.query), isPositive: taken.map((item) => item.isPositive) };
    },
  };
}

// Case, punctuation and spacing do not tell names apart for the ground truth.
const nameKey = (name: string) =>
  name
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * `count` UN positives spread evenly over the file, each with the source ids of the UN entries
 * that carry exactly that name (the file has no ids); rows whose name no UN entry carries are left out.
 */
export function sampleUnPositives(
  entities: readonly IndexedEntity[],
  count: number,
): { name: string; sourceIds: string[] }[] {
  const byName = new Map<string, Set<string>>();
  for (const { listId, entity } of entities) {
    if (listId !== 'un-sc') continue;
    for (const name of entity.names) {
      const key = nameKey(name.full);
      byName.set(key, (byName.get(key) ?? new Set()).add(entity.sourceId));
    }
  }
  const rows = readBenchmarkRows(UN_POSITIVES);
  const step = Math.max(1, rows.length / count);
  const sample: { name: string; sourceIds: string[] }[] = [];
  for (let position = 0; position < rows.length && sample.length < count; position += step) {
    const name = rows[Math.floor(position)]!.full_name;
    const sourceIds = byName.get(nameKey(name));
    if (sourceIds) sample.push({ name, sourceIds: [...sourceIds] });
  }
  return sample;
}
