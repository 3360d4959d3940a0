/**
 * The fuse.js comparison: a Fuse index over the very names our index holds, and the same sample
 * of UN positives screened by both, name only. Per-query latency, and recall: a positive is found
 * when its UN entry is among the top 10 results.
 */
import { performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import type { MatchIndex } from '../src/modules/screening/match-index.ts';
import { searchIndex } from '../src/modules/screening/match-search.ts';
import { summariseLatencies, type LatencySummary } from './screening-bench-stats.ts';

/** One matcher's figures over the sample. */
export type MatcherFigures = { readonly latency: LatencySummary; readonly found: number };

/** Both matchers over the same sample. */
export type FuseComparison = {
  readonly names: number;
  readonly buildSeconds: number;
  readonly sample: number;
  readonly fuse: MatcherFigures;
  readonly ours: MatcherFigures;
};

const TOP = 10;
// fuse.js takes hundreds of milliseconds a query here; a few queries warm its code first.
const WARM_UP = 3;

/** Screens `sample` (UN positives with their UN source ids) with fuse.js and with our index. */
export function compareWithFuse(
  index: MatchIndex,
  sample: readonly { name: string; sourceIds: string[] }[],
  threshold: number,
): FuseComparison {
  const documents = index.names.map((name) => ({ name: name.full, entity: name.entity }));
  const built = performance.now();
  const fuse = new Fuse(documents, { keys: ['name'], threshold: 0.3, ignoreLocation: true });
  const buildSeconds = (performance.now() - built) / 1000;
  const isUnEntry = (entityNumber: number, sourceIds: readonly string[]) => {
    const indexed = index.entities[entityNumber]!;
    return indexed.listId === 'un-sc' && sourceIds.includes(indexed.entity.sourceId);
  };

  for (const { name } of sample.slice(0, WARM_UP)) fuse.search(name, { limit: TOP });
  const fuseLatencies: number[] = [];
  let fuseFound = 0;
  for (const { name, sourceIds } of sample) {
    const started = performance.now();
    const results = fuse.search(name, { limit: TOP });
    fuseLatencies.push(performance.now() - started);
    if (results.some((result) => isUnEntry(result.item.entity, sourceIds))) fuseFound += 1;
  }

  const options = { threshold, limit: TOP };
  for (const { name } of sample.slice(0, WARM_UP)) searchIndex(index, { name }, options);
  const ourLatencies: number[] = [];
  let ourFound = 0;
  for (const { name, sourceIds } of sample) {
    const started = performance.now();
    const hits = searchIndex(index, { name }, options);
    ourLatencies.push(performance.now() - started);
    if (hits.some((hit) => hit.listId === 'un-sc' && sourceIds.includes(hit.sourceId))) ourFound += 1;
  }

  return {
    names: documents.length,
    buildSeconds,
    sample: sample.length,
    fuse: { latency: summariseLatencies(fuseLatencies), found: fuseFound },
    ours: { latency: summariseLatencies(ourLatencies), found: ourFound },
  };
}
