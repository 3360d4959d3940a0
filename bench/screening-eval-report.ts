/**
 * What the screening evaluation prints: aligned tables, the section 1 and 3 reports and the misses,
 * each read from one finished run (screening-eval.ts) and returning its figures for the JSON line.
 */
import type { MatchIndex } from '../src/modules/screening/match-index.ts';
import type { ScreeningQuery } from '../src/modules/screening/match-search.ts';
import { DEFAULT_THRESHOLD } from '../src/modules/screening/screening.service.ts';
import type { BaselineRun } from './screening-baselines.ts';

/** The thresholds every table is printed at; the default threshold is among them. */
export const THRESHOLDS = [0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

/** A hit of one query: the entity's number in the index, its score and, from our matcher, why. */
export type Hit = { entity: number; score: number; matched?: string; summary?: string };

/** One query of a set, the entities it should find (none for a negative), what it found and how fast. */
export type Case = { set: string; query: ScreeningQuery; truth: number[]; hits: Hit[]; ms: number };

/** The counts and figures of a set of cases at one threshold. */
export type Summary = {
  threshold: number;
  positives: number;
  found: number;
  elsewhere: number;
  negatives: number;
  flagged: number;
  correct: number;
  wrong: number;
  recall: number;
  precision: number;
  f1: number;
  fpRate: number;
};

/** A positive not found at the default threshold, and where its entity stood instead. */
export type Miss = Case & { where: string };

/** How many misses had each cause. */
export type MissCauses = Record<
  'returnedBelow' | 'notReturnedNameWouldPass' | 'notReturnedNameBelow',
  number
>;

/** The comparison samples, all name only: A, A' (part of A) and B (part of A'). */
export type Samples = { A: Case[]; "A'": Case[]; B: Case[] };

/** One finished run: the index, the screened cases, what was sampled, and how cases are scored. */
export type EvaluationRun = {
  index: MatchIndex;
  withEvidence: Case[];
  nameOnly: Case[];
  modes: { evidence: Case[]; nameOnly: Case[] };
  samples: Samples;
  truth: { un: number[][]; congress: number[][] };
  sampling: {
    negativesPerFile: number;
    variantSources: Record<'person' | 'organisation', number>;
    comparison: Record<'perPositiveSet' | 'perNegativeSet', number> &
      Record<'everyA2' | 'everyB', readonly number[]>;
  };
  summarise: (cases: Case[], threshold: number) => Summary;
};

/** A share as a percentage with one decimal. */
export const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** A threshold as a table shows it, the default one starred. */
export const mark = (threshold: number) =>
  threshold === DEFAULT_THRESHOLD ? `${threshold} *` : `${threshold}`;

/** One column of a printed table: its header and how a row fills it. */
export type Column<T> = [header: string, cell: (row: T) => string | number];

/** Prints an aligned plain-text table under a title. */
export function printTable<T>(title: string, columns: Column<T>[], rows: T[]): void {
  const cells = [
    columns.map(([header]) => header),
    ...rows.map((row) => columns.map(([, cell]) => String(cell(row)))),
  ];
  const widths = columns.map((_, c) => Math.max(...cells.map((line) => line[c]!.length)));
  const render = (line: string[]) =>
    line
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}\n${render(cells[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of cells.slice(1)) console.log(render(line));
}

function timing(cases: { ms: number }[]): { mean: number; p99: number } {
  const sorted = cases.map((item) => item.ms).sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return {
    mean: Math.round(mean * 100) / 100,
    p99: Math.round((sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 100) / 100,
  };
}

// Takes the first of each set in turn, so every kind of miss shows, not just the most common.
function roundRobin<T extends { set: string }>(items: T[], count: number): T[] {
  const groups = [...Map.groupBy(items, (item) => item.set).values()];
  const picked: T[] = [];
  for (let i = 0; picked.length < Math.min(count, items.length); i++)
    picked.push(...groups.flatMap((g) => g[i] ?? []));
  return picked.slice(0, count);
}

const describeEntity = (index: MatchIndex, entity: number) =>
  `${index.entities[entity]!.listId}: ${index.entities[entity]!.entity.names[0]!.full}`;
const describeQuery = (query: ScreeningQuery) =>
  [query.name, query.birthDate, query.countries?.join(' ')].filter(Boolean).join(' | ');

const atThresholds = ({ summarise }: EvaluationRun, cases: Case[], set?: string) =>
  THRESHOLDS.map((t) => summarise(set ? cases.filter((c) => c.set === set) : cases, t));

/** Section 1: recall, precision and FP rate at each threshold, with evidence and name only. */
export function reportThresholds(run: EvaluationRun) {
  const { index, withEvidence, nameOnly, modes } = run;
  const [e, n] = [modes.evidence, modes.nameOnly].map((cases) => ({
    all: atThresholds(run, cases),
    global: atThresholds(run, cases, 'negatives global'),
    us: atThresholds(run, cases, 'negatives us'),
  }));
  printTable(
    `1. List screening against all lists (${index.entities.length} entities). Positives: UN untreated + treated, congress, ` +
      `variants (${e!.all[0]!.positives}); negatives: ${run.sampling.negativesPerFile} sampled from each 50,000-row file. ` +
      'ev = with birth date and nationality, name = name only (variants are name only in both). * = default threshold',
    [
      ['threshold', (i) => mark(THRESHOLDS[i]!)],
      ['recall ev', (i) => pct(e!.all[i]!.recall)],
      ['recall name', (i) => pct(n!.all[i]!.recall)],
      ['other list ev', (i) => e!.all[i]!.elsewhere],
      ['precision ev', (i) => pct(e!.all[i]!.precision)],
      ['precision name', (i) => pct(n!.all[i]!.precision)],
      ['FP global ev', (i) => pct(e!.global[i]!.fpRate)],
      ['FP us ev', (i) => pct(e!.us[i]!.fpRate)],
      ['FP all ev', (i) => pct(e!.all[i]!.fpRate)],
      ['FP global name', (i) => pct(n!.global[i]!.fpRate)],
      ['FP us name', (i) => pct(n!.us[i]!.fpRate)],
      ['FP all name', (i) => pct(n!.all[i]!.fpRate)],
    ],
    THRESHOLDS.map((_, i) => i),
  );
  const [timeEvidence, timeName] = [timing(withEvidence), timing(nameOnly)];
  console.log(
    `time per query (${withEvidence.length} each): with evidence mean ${timeEvidence.mean} ms, p99 ${timeEvidence.p99} ms; ` +
      `name only mean ${timeName.mean} ms, p99 ${timeName.p99} ms. "other list" = positives found only as the same person ` +
      'on another list (not counted in recall, counted as right in precision)',
  );
  return { evidence: e, nameOnly: n, time: { evidence: timeEvidence, nameOnly: timeName } };
}

/** Section 1, by set: which kinds of query the matcher finds, and how long each kind takes. */
export function reportSets(run: EvaluationRun) {
  const { modes, sampling } = run;
  const sets = [...new Set(modes.evidence.map((c) => c.set))].filter((set) => !set.startsWith('negatives'));
  const bySet = Object.fromEntries(
    sets.map((set) => [
      set,
      { evidence: atThresholds(run, modes.evidence, set), nameOnly: atThresholds(run, modes.nameOnly, set) },
    ]),
  );
  const time = (set: string) => timing(modes.evidence.filter((c) => c.set === set));
  const recall = (set: string, i: number) => {
    const [ev, name] = [bySet[set]!.evidence[i]!.recall, bySet[set]!.nameOnly[i]!.recall];
    return set.includes(':') ? pct(ev) : `${pct(ev)} / ${pct(name)}`;
  };
  printTable(
    `1. Recall by set (benchmark sets: with evidence / name only); variants of ${sampling.variantSources.person} persons (p:) and ` +
      `${sampling.variantSources.organisation} organisations (o:) drawn from the lists, name only; time per query with evidence`,
    [
      ['set', (set) => set],
      ['queries', (set) => bySet[set]!.evidence[0]!.positives],
      ...THRESHOLDS.map((t, i): Column<string> => [mark(t), (set) => recall(set, i)]),
      ['mean ms', (set) => time(set).mean],
      ['p99 ms', (set) => time(set).p99],
    ],
    sets,
  );
  const unknown = (truth: number[][]) => truth.filter((t) => t.length === 0).length;
  console.log(
    `ground truth: ${unknown(run.truth.un)} UN and ${unknown(run.truth.congress)} congress rows name nobody on the current list and are left out. ` +
      "UN truth = the un-sc entity one of whose names normalises to the untreated row's name token for token " +
      '(birth year breaks ties); the treated row on the same line reuses it. Congress likewise.',
  );
  return bySet;
}

// The negatives flagged at the default threshold, with evidence: prints them and returns how many.
function reportFalsePositives({ index, withEvidence }: EvaluationRun): number {
  const flagged = withEvidence
    .filter((c) => c.truth.length === 0 && (c.hits[0]?.score ?? 0) >= DEFAULT_THRESHOLD)
    .sort((a, b) => b.hits[0]!.score - a.hits[0]!.score);
  const seen = new Set<number>();
  printTable(
    `False positives at ${DEFAULT_THRESHOLD}, with evidence: ${flagged.length} negative queries flagged (highest first, one per listed entity)`,
    [
      ['set', (c) => c.set],
      ['query', (c) => describeQuery(c.query)],
      ['hit', (c) => describeEntity(index, c.hits[0]!.entity)],
      ['matched name', (c) => c.hits[0]!.matched!],
      ['why', (c) => c.hits[0]!.summary!],
    ],
    roundRobin(
      flagged.filter((c) => !seen.has(c.hits[0]!.entity) && seen.add(c.hits[0]!.entity)),
      30,
    ),
  );
  return flagged.length;
}

/** The misses and false positives at the default threshold, with evidence, for tuning. */
export function reportMisses(run: EvaluationRun, { misses, causes }: { misses: Miss[]; causes: MissCauses }) {
  const describe = (entity: number) => describeEntity(run.index, entity);
  printTable(
    `Misses at ${DEFAULT_THRESHOLD}, with evidence: ${misses.length} (${causes.returnedBelow} returned below it, ` +
      `${causes.notReturnedNameWouldPass} not returned though the name alone scores ≥ it, ` +
      `${causes.notReturnedNameBelow} not returned, name alone below it)`,
    [
      ['set', (c) => c.set],
      ['query', (c) => describeQuery(c.query)],
      ['expected', (c) => describe(c.truth[0]!)],
      ['where', (c) => c.where],
      ['top hit', (c) => (c.hits[0] ? `${c.hits[0].score} ${describe(c.hits[0].entity)}` : '-')],
    ],
    roundRobin(misses, 40),
  );
  const falsePositiveQueries = reportFalsePositives(run);
  return { misses: misses.length, causes, falsePositiveQueries };
}

// Ours and the baselines, each at its thresholds, with the sample and the times behind each row.
function compareMatchers(
  { samples, summarise }: EvaluationRun,
  [jaroWinkler, fuse]: [BaselineRun, BaselineRun],
) {
  const withRun = (cases: Case[], run: BaselineRun) =>
    cases.map((c, i) => ({ ...c, hits: run.hits[i]!, ms: run.ms[i]! }));
  const jaroWinklerA2 = withRun(samples["A'"], jaroWinkler);
  const jaroWinklerB = samples.B.map((c) => jaroWinklerA2[samples["A'"].indexOf(c)]!);
  const fuseB = withRun(samples.B, fuse);
  // Each matcher at the threshold that gives it the best F1 on its sample, searched in steps of 0.01.
  const bestF1 = (cases: Case[], from: number) =>
    Array.from({ length: Math.round((1 - from) * 100) + 1 }, (_, i) =>
      summarise(cases, (Math.round(from * 100) + i) / 100),
    ).reduce((best, next) => (next.f1 > best.f1 ? next : best));
  const tuned = bestF1(jaroWinklerA2, 0.8);
  const rows: [string, keyof Samples, Case[], Summary][] = [
    ['ours (default)', 'A', samples.A, summarise(samples.A, DEFAULT_THRESHOLD)],
    ['ours (best F1)', 'A', samples.A, bestF1(samples.A, 0.5)],
    ['ours (default)', "A'", samples["A'"], summarise(samples["A'"], DEFAULT_THRESHOLD)],
    ['Jaro-Winkler (best F1)', "A'", jaroWinklerA2, tuned],
    ['Jaro-Winkler', "A'", jaroWinklerA2, summarise(jaroWinklerA2, 0.9)],
    ['ours (default)', 'B', samples.B, summarise(samples.B, DEFAULT_THRESHOLD)],
    ["Jaro-Winkler (A' best F1)", 'B', jaroWinklerB, summarise(jaroWinklerB, tuned.threshold)],
    ['Jaro-Winkler', 'B', jaroWinklerB, summarise(jaroWinklerB, 0.9)],
    ['fuse.js (best F1)', 'B', fuseB, bestF1(fuseB, 0.7)],
  ];
  const label = (sample: keyof Samples) => {
    const positives = samples[sample].filter((c) => c.truth.length > 0).length;
    return `${sample} ${positives}+${samples[sample].length - positives}`;
  };
  return rows.map(([matcher, sample, cases, s]) => ({
    matcher,
    sample: label(sample),
    ...s,
    ms: timing(cases),
  }));
}

/** Section 3: ours and the two baselines (Jaro-Winkler, then fuse.js) on the same name-only queries. */
export function reportComparison(run: EvaluationRun, baselines: [BaselineRun, BaselineRun]) {
  const figures = compareMatchers(run, baselines);
  const { comparison } = run.sampling;
  printTable(
    `3. Ours against baselines, name only. A: ${comparison.perPositiveSet} each of UN untreated, UN treated, congress, ` +
      `variants + ${comparison.perNegativeSet} from each negatives file. A' keeps 1 in ${comparison.everyA2[0]} positives ` +
      `and 1 in ${comparison.everyA2[1]} negatives of A, B 1 in ${comparison.everyB[0]} and 1 in ${comparison.everyB[1]} of A' (the baselines are slow). ` +
      'Baselines ran in worker threads beside our passes, so times are under contention: compare them, not their absolutes',
    [
      ['matcher', (f) => f.matcher],
      ['sample', (f) => f.sample],
      ['threshold', (f) => f.threshold.toFixed(2)],
      ['recall', (f) => pct(f.recall)],
      ['precision', (f) => pct(f.precision)],
      ['FP rate', (f) => pct(f.fpRate)],
      ['F1', (f) => f.f1.toFixed(3)],
      ['mean ms', (f) => f.ms.mean.toFixed(1)],
      ['p99 ms', (f) => f.ms.p99.toFixed(1)],
    ],
    figures,
  );
  return figures;
}
