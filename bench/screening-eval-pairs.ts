/**
 * Section 2 of the screening evaluation: labelled name pairs scored one against the other
 * (nomenklatura's name_bench beside logic-v2's frozen scores, watchman's cross-script pairs), and
 * the spellings of Putin's name searched against the whole index.
 */
import type { MatchIndex } from '../src/modules/screening/match-index.ts';
import { searchIndex, type SearchOptions } from '../src/modules/screening/match-search.ts';
import { DEFAULT_THRESHOLD } from '../src/modules/screening/screening.service.ts';
import * as data from './screening-eval-data.ts';
import { mark, pct, printTable, THRESHOLDS } from './screening-eval-report.ts';

// nomenklatura's labelled name pairs, ours beside logic-v2's frozen scores.
function reportNameBench() {
  const pairs = data.scoreNameBench();
  const common = pairs.filter((pair) => pair.logicV2 !== null);
  const prf = (items: data.ScoredPair[], scorer: 'ours' | 'logicV2', threshold: number) => {
    const f = data.pairFigures(items, scorer, threshold);
    return `${pct(f.precision)} ${pct(f.recall)} ${f.f1.toFixed(3)}`;
  };
  printTable(
    `2. Name pairs (nomenklatura name_bench, ${pairs.length}; ${common.length} also in logic-v2's frozen run, whose threshold is 0.7): precision recall F1`,
    [
      ['threshold', (t) => `${mark(t)}${t === 0.7 ? ' (logic-v2)' : ''}`],
      [`ours, all ${pairs.length}`, (t) => prf(pairs, 'ours', t)],
      [`ours, common ${common.length}`, (t) => prf(common, 'ours', t)],
      [`logic-v2, common ${common.length}`, (t) => prf(common, 'logicV2', t)],
    ],
    THRESHOLDS,
  );
  printTable(
    `2. Name pairs by group, common pairs: ours at ${DEFAULT_THRESHOLD}, logic-v2 at 0.7 (precision recall F1)`,
    [
      ['group', ([group]) => group],
      ['pairs', ([, items]) => items.length],
      ['ours', ([, items]) => prf(items, 'ours', DEFAULT_THRESHOLD)],
      ['logic-v2', ([, items]) => prf(items, 'logicV2', 0.7)],
    ],
    [...Map.groupBy(common, (pair) => pair.group)],
  );
  return THRESHOLDS.map((threshold) => ({
    threshold,
    ours: data.pairFigures(pairs, 'ours', threshold),
    oursCommon: data.pairFigures(common, 'ours', threshold),
    logicV2: data.pairFigures(common, 'logicV2', threshold),
  }));
}

// watchman's cross-script pairs, scored pair by pair against their Min Score.
function reportCrossScript() {
  const pairs = data
    .readCrossScriptPairs()
    .map((p) => ({ ...p, score: data.scorePair(p.query, p.expected, 'person') }));
  const reached = pairs.filter((p) => p.score >= p.minScore).length;
  printTable(
    `2. Cross-script pairs (watchman, scored pair by pair): ${reached}/${pairs.length} reach their Min Score`,
    [
      ['query', (p) => p.query],
      ['expected', (p) => p.expected],
      ['min score', (p) => p.minScore],
      ['ours', (p) => p.score.toFixed(3)],
      ['reached', (p) => (p.score >= p.minScore ? 'yes' : 'NO')],
    ],
    pairs,
  );
  return { reached, of: pairs.length, pairs };
}

// Each spelling of Putin's name searched against the index; found = a Putin entry ≥ default.
function reportPutin(index: MatchIndex, entityOf: Map<string, number>, search: SearchOptions) {
  const isPutin = (name: (typeof index.names)[number]) =>
    index.entities[name.entity]!.entity.schema === 'person' &&
    ['putin', 'vladimir'].every((word) => name.tokens.some((token) => token.text === word));
  const entities = new Set(index.names.filter(isPutin).map((name) => name.entity));
  const spellings = data.readLines('nomenklatura/putin_names.txt').map((name) => {
    const hit = searchIndex(index, { name }, search).find((h) =>
      entities.has(entityOf.get(`${h.listId}/${h.sourceId}`)!),
    );
    return { name, score: hit?.score ?? 0 };
  });
  const missed = spellings.filter((p) => p.score < DEFAULT_THRESHOLD);
  const where = [...entities].map(
    (e) => `${index.entities[e]!.listId} ${index.entities[e]!.entity.sourceId}`,
  );
  console.log(
    `\n2. Putin in ${spellings.length} spellings (putin_names.txt, searched against the index, no schema): ` +
      `${spellings.length - missed.length} find him at ${DEFAULT_THRESHOLD}. He is ${where.join(', ')}. Missed:\n` +
      missed.map((p) => `  ${p.name}  (${p.score || 'not returned'})`).join('\n'),
  );
  return { found: spellings.length - missed.length, of: spellings.length, spellings };
}

/** Section 2: the name-pair benchmarks, then Putin's spellings searched in `index` as the run searches. */
export function reportPairs(index: MatchIndex, entityOf: Map<string, number>, search: SearchOptions) {
  return {
    nameBench: reportNameBench(),
    crossScript: reportCrossScript(),
    putin: reportPutin(index, entityOf, search),
  };
}
