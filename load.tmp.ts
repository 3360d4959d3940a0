import { loadSharedLists } from './bench/screening-lists.ts';
import { MatchIndex } from './src/modules/screening/match-index.ts';
let t = performance.now();
const loaded = loadSharedLists()!;
console.log('parse ms', Math.round(performance.now() - t), loaded.counts, loaded.entities.length);
const before = process.memoryUsage().heapUsed;
t = performance.now();
const index = new MatchIndex(loaded.entities);
console.log('build ms', Math.round(performance.now() - t), index.stats(), 'heap MB', Math.round((process.memoryUsage().heapUsed - before) / 1e6));
const anyIndex = index as any;
let joined = 0; for (const j of anyIndex.isJoined) if (j) joined++;
const kinds: Record<string, number> = {}; let totalPostings = 0;
for (const [k, v] of anyIndex.keys) { kinds[k[0]] = (kinds[k[0]] ?? 0) + 1; totalPostings += v.length; }
console.log({ joined, real: anyIndex.isJoined.length - joined, kinds, totalPostings });
