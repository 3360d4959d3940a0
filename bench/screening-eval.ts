/**
 * `npm run eval:screening`: how well the screening matcher finds who it should and leaves alone
 * who it should not, on the labelled data in ../shared/data/matching. Each query is screened once
 * at a low threshold and every threshold is applied afterwards, so one pass gives the whole table.
 * Ends with one JSON line holding every figure. Exits 0 with a message when the data is absent.
 * Section 2 (name pairs) is in screening-eval-pairs.ts, the tables and other sections' reports in
 * screening-eval-report.ts.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MatchIndex } from '../src/modules/screening/match-index.ts';
import { searchIndex, type ScreeningQuery } from '../src/modules/screening/match-search.ts';
import { normaliseName } from '../src/modules/screening/name-normalise.ts';
import { compareNames, tokenWeight } from '../src/modules/screening/name-score.ts';
import { DEFAULT_THRESHOLD } from '../src/modules/screening/screening.service.ts';
import { collectBaselineNames, runBaselineInWorker } from './screening-baselines.ts';
import * as data from './screening-eval-data.ts';
import { reportPairs } from './screening-eval-pairs.ts';
import { reportComparison, reportMisses, reportSets, reportThresholds } from './screening-eval-report.ts';
import type { Case, EvaluationRun, Hit, Miss, MissCauses, Summary } from './screening-eval-report.ts';
import { loadSharedLists } from './screening-lists.ts';

const SEARCH = { threshold: 0.5, limit: 10 };
const SEED = 20260427;
const NEGATIVE_SAMPLE = 10_000;
const VARIANT_SOURCES = { person: 1_000, organisation: 300 } as const;
// Sample A (ours) ⊃ A' (ours, Jaro-Winkler) ⊃ B (ours, both baselines), each every n-th query of the
// one before: Jaro-Winkler over every name takes ~50 ms a query here, fuse.js ~1 s.
const COMPARISON = { perPositiveSet: 125, perNegativeSet: 1_000, everyA2: [2, 4], everyB: [5, 10] } as const;

const started = performance.now();
const loaded = existsSync(data.MATCHING) ? loadSharedLists() : null;
if (!loaded) {
  console.log('screening evaluation skipped: ../shared/data (sanctions lists, matching data) is absent');
  process.exit(0);
}
const index = new MatchIndex(loaded.entities);
const entityOf = new Map(index.entities.map((item, i) => [`${item.listId}/${item.entity.sourceId}`, i]));
const tokenKey = (tokens: { text: string }[], sorted = false) =>
  (sorted ? tokens.map((token) => token.text).sort() : tokens.map((token) => token.text)).join(' ');
const random = data.createRandom(SEED);

// An entity's names sit together in the index, from its primary name on.
function namesOf(entity: number): (typeof index.names)[number][] {
  const names = [];
  for (let n = index.primaryNameOf(entity); index.names[n]?.entity === entity; n++)
    names.push(index.names[n]!);
  return names;
}

/**
 * Ground truth for benchmark rows: the entity of `listId` one of whose names normalises to exactly
 * the row's name, token for token; when several do, those whose birth year agrees.
 */
function findTruth(listId: string, rows: data.PersonRow[]): number[][] {
  const byName = new Map<string, Set<number>>();
  for (const name of index.names) {
    if (index.entities[name.entity]!.listId !== listId) continue;
    byName.set(tokenKey(name.tokens), (byName.get(tokenKey(name.tokens)) ?? new Set()).add(name.entity));
  }
  return rows.map((row) => {
    const found = [...(byName.get(tokenKey(normaliseName(row.full_name, 'person').tokens)) ?? [])];
    const year = row.date_of_birth.slice(0, 4);
    const dated = found.filter((i) => index.entities[i]!.entity.birthDates.some((d) => d.startsWith(year)));
    return dated.length > 0 ? dated : found;
  });
}

// The same person on another list: a shared name of two or more words (in any order) and, where
// both give birth dates, a shared birth year. Such hits are right, but not the entity looked for.
const bySortedName = Map.groupBy(
  index.names.filter((name) => name.tokens.length >= 2),
  (name) => tokenKey(name.tokens, true),
);
const samePersonCache = new Map<number, Set<number>>();
function samePerson(truth: number[]): Set<number> {
  const cached = samePersonCache.get(truth[0]!);
  if (cached) return cached;
  const years = (i: number) => index.entities[i]!.entity.birthDates.map((date) => date.slice(0, 4));
  const found = new Set<number>();
  const names = truth.flatMap((entity) => namesOf(entity)).filter((name) => name.tokens.length >= 2);
  for (const name of names) {
    for (const { entity } of bySortedName.get(tokenKey(name.tokens, true)) ?? []) {
      const [mine, theirs] = [years(name.entity), years(entity)];
      const isAgreeing = mine.length === 0 || theirs.length === 0 || mine.some((y) => theirs.includes(y));
      if (!truth.includes(entity) && isAgreeing) found.add(entity);
    }
  }
  samePersonCache.set(truth[0]!, found);
  return found;
}

function screen(cases: Case[]): void {
  for (const item of cases) {
    const before = performance.now();
    const hits = searchIndex(index, item.query, SEARCH);
    item.ms = performance.now() - before;
    item.hits = hits.map((hit) => ({
      entity: entityOf.get(`${hit.listId}/${hit.sourceId}`)!,
      score: hit.score,
      matched: hit.explanation.matchedName,
      summary: hit.explanation.summary,
    }));
  }
}

/**
 * At one threshold: recall (positives whose entity is among the hits), precision (hits that are
 * the entity or the same person elsewhere, over all hits of all queries), FP rate (negatives
 * with any hit). F1 combines the first two.
 */
function summarise(cases: Case[], threshold: number): Summary {
  const counts = { positives: 0, found: 0, elsewhere: 0, negatives: 0, flagged: 0, correct: 0, wrong: 0 };
  for (const item of cases) {
    const hits = item.hits.filter((hit) => hit.score >= threshold);
    if (item.truth.length === 0) {
      counts.negatives++;
      counts.flagged += hits.length > 0 ? 1 : 0;
      counts.wrong += hits.length;
      continue;
    }
    counts.positives++;
    const also = samePerson(item.truth);
    const isRight = (hit: Hit) => item.truth.includes(hit.entity) || also.has(hit.entity);
    if (hits.some((hit) => item.truth.includes(hit.entity))) counts.found++;
    else if (hits.some(isRight)) counts.elsewhere++;
    for (const hit of hits) counts[isRight(hit) ? 'correct' : 'wrong']++;
  }
  const recall = counts.found / Math.max(1, counts.positives);
  const precision = counts.correct / Math.max(1, counts.correct + counts.wrong);
  const f1 = recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
  const fpRate = counts.flagged / Math.max(1, counts.negatives);
  return { threshold, ...counts, recall, precision, f1, fpRate };
}

// Where a miss's expected entity stands on its name alone, scored as the search would score it.
function nameAloneScore(query: ScreeningQuery, entity: number): number {
  const normalised = normaliseName(query.name, query.schema);
  const weigh = (tokens: typeof normalised.tokens) =>
    tokens.map((token) => ({ ...token, weight: tokenWeight(token.role, index.rarity(token.text)) }));
  const scores = namesOf(entity).map(
    (name) => compareNames(weigh(normalised.tokens), weigh(name.tokens), normalised.isAbjad).score,
  );
  return Math.max(0, ...scores);
}

// The positives whose entity is not among the hits at the default threshold, with evidence, and why.
function findMisses(): { misses: Miss[]; causes: MissCauses } {
  const isFound = (c: Case) => c.hits.some((h) => h.score >= DEFAULT_THRESHOLD && c.truth.includes(h.entity));
  const causes = { returnedBelow: 0, notReturnedNameWouldPass: 0, notReturnedNameBelow: 0 };
  const misses = [...withEvidence, ...variants]
    .filter((c) => c.truth.length > 0 && !isFound(c))
    .map((c) => {
      const returned = c.hits.find((hit) => c.truth.includes(hit.entity));
      const alone = nameAloneScore(c.query, c.truth[0]!);
      const wouldPass = alone >= DEFAULT_THRESHOLD;
      causes[returned ? 'returnedBelow' : wouldPass ? 'notReturnedNameWouldPass' : 'notReturnedNameBelow']++;
      return {
        ...c,
        where: returned ? `returned at ${returned.score}` : `not returned (name alone ${alone.toFixed(3)})`,
      };
    });
  return { misses, causes };
}

// The queries: benchmark positives with their truth, a negatives sample, variants of listed names.
const read = (file: string) => data.readCsv<data.PersonRow>(`yente_benchmark/${file}.csv`);
const [un, congress] = [read('positives_un_untreated'), read('positives_us_congress_untreated')];
const [unTruth, congressTruth] = [findTruth('un-sc', un), findTruth('opensanctions-us-congress', congress)];
const positiveSets: [string, data.PersonRow[], number[][]][] = [
  ['un untreated', un, unTruth],
  ['un treated', read('positives_un_treated'), unTruth],
  ['congress', congress, congressTruth],
];
const negativeSets = ['global', 'us'].map((file): [string, data.PersonRow[]] => {
  const rows = read(`negatives_${file}`);
  return [`negatives ${file}`, data.sampleIndices(rows.length, NEGATIVE_SAMPLE, random).map((i) => rows[i]!)];
});
const toCase = (set: string, query: ScreeningQuery, truth: number[]): Case => ({
  set,
  query,
  truth,
  hits: [],
  ms: 0,
});
const personCases = (withEvidence: boolean): Case[] => [
  ...positiveSets.flatMap(([set, rows, truth]) =>
    rows.flatMap((row, i) =>
      truth[i]!.length > 0 ? [toCase(set, data.toPersonQuery(row, withEvidence), truth[i]!)] : [],
    ),
  ),
  ...negativeSets.flatMap(([set, rows]) =>
    rows.map((row) => toCase(set, data.toPersonQuery(row, withEvidence), [])),
  ),
];
const variants = (['person', 'organisation'] as const).flatMap((schema) => {
  const eligible = index.entities.flatMap((item, i) =>
    item.entity.schema === schema && item.entity.names.some((name) => data.isLatinName(name.full)) ? [i] : [],
  );
  return data.sampleIndices(eligible.length, VARIANT_SOURCES[schema], random).flatMap((pick) => {
    const entity = eligible[pick]!;
    const source = index.entities[entity]!.entity.names.find((name) => data.isLatinName(name.full))!;
    return data
      .makeVariants(source.full, schema, random)
      .map((variant) => toCase(`${schema[0]}:${variant.kind}`, { name: variant.name, schema }, [entity]));
  });
});
const withEvidence = personCases(true);
const nameOnly = personCases(false);

// The comparison samples (name only: the baselines take nothing else), drawn before screening
// so the baselines start in their workers at once and overlap our passes.
const pick = (pool: Case[], count: number) =>
  data.sampleIndices(pool.length, count, random).map((i) => pool[i]!);
const every = (cases: Case[], step: number) => cases.filter((_, i) => i % step === 0);
const positivesA = [...positiveSets.map(([set]) => nameOnly.filter((c) => c.set === set)), variants].flatMap(
  (pool) => pick(pool, COMPARISON.perPositiveSet),
);
const negativesA = negativeSets.flatMap(([set]) =>
  pick(
    nameOnly.filter((c) => c.set === set),
    COMPARISON.perNegativeSet,
  ),
);
const [positivesA2, negativesA2] = [
  every(positivesA, COMPARISON.everyA2[0]),
  every(negativesA, COMPARISON.everyA2[1]),
];
const samples = {
  A: [...positivesA, ...negativesA],
  "A'": [...positivesA2, ...negativesA2],
  B: [...every(positivesA2, COMPARISON.everyB[0]), ...every(negativesA2, COMPARISON.everyB[1])],
};
const baselineNames = collectBaselineNames(
  index.entities.map((item) => item.entity.names.map((n) => n.full)),
);
const jaroWinklerRun = runBaselineInWorker(
  'jaro-winkler',
  baselineNames,
  samples["A'"].map((c) => c.query.name),
);
const fuseRun = runBaselineInWorker(
  'fuse',
  baselineNames,
  samples.B.map((c) => c.query.name),
);

screen(variants);
screen(withEvidence);
screen(nameOnly);
const screenedSeconds = (performance.now() - started) / 1000;

const run: EvaluationRun = {
  index,
  withEvidence,
  nameOnly,
  // Variants are name only, so they join both modes.
  modes: { evidence: [...withEvidence, ...variants], nameOnly: [...nameOnly, ...variants] },
  samples,
  truth: { un: unTruth, congress: congressTruth },
  sampling: { negativesPerFile: NEGATIVE_SAMPLE, variantSources: VARIANT_SOURCES, comparison: COMPARISON },
  summarise,
};
const screening = { ...reportThresholds(run), bySet: reportSets(run) };
const pairs = reportPairs(index, entityOf, SEARCH);
const comparison = reportComparison(run, await Promise.all([jaroWinklerRun, fuseRun]));
const misses = reportMisses(run, findMisses());
const runSeconds = (performance.now() - started) / 1000;
console.log(
  `\nrun time ${runSeconds.toFixed(1)} s (our screening passes were done at ${screenedSeconds.toFixed(1)} s)`,
);
const sampleSizes = {
  negativesPerFile: NEGATIVE_SAMPLE,
  variants: variants.length,
  A: samples.A.length,
  "A'": samples["A'"].length,
  B: samples.B.length,
};
const lists = loaded.counts;
console.log(
  JSON.stringify({
    runSeconds,
    defaultThreshold: DEFAULT_THRESHOLD,
    lists,
    sampleSizes,
    screening,
    misses,
    comparison,
    pairs,
  }),
);
