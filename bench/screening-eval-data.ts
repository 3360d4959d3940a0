/**
 * Readers for the labelled name-matching data in ../shared/data/matching, the queries built from
 * them, and deterministic variants of listed names (reordered, shortened, misspelt, accented,
 * Cyrillic) for the screening evaluation. Randomness comes only from a seeded generator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { lookUpCountryName } from '../src/modules/screening/importers/country-names.ts';
import type { EntitySchema } from '../src/modules/screening/list-entity.ts';
import type { ScreeningQuery } from '../src/modules/screening/match-search.ts';
import { normaliseName } from '../src/modules/screening/name-normalise.ts';
import { compareNames, withRoleWeights } from '../src/modules/screening/name-score.ts';
import { SHARED_DATA } from './screening-lists.ts';

/** The labelled matching data beside the checkout. */
export const MATCHING = path.join(SHARED_DATA, 'matching');

/** One row of the yente benchmark files. */
export type PersonRow = { full_name: string; date_of_birth: string; nationality: string };

/** Reads a CSV file under MATCHING into objects keyed by its header. */
export function readCsv<T>(relative: string): T[] {
  const text = readFileSync(path.join(MATCHING, relative));
  return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as T[];
}

/** Reads the non-empty lines of a text file under MATCHING. */
export function readLines(relative: string): string[] {
  return readFileSync(path.join(MATCHING, relative), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

// The shared country table covers the names the lists write; the benchmark uses a few more.
const EXTRA_COUNTRIES: Record<string, string> = {
  bhutan: 'BT',
  botswana: 'BW',
  'east timor': 'TL',
  nepal: 'NP',
  'puerto rico': 'PR',
};

// The birth dates the screening API accepts; the treated rows carry typos like "1969-7-16".
function isApiBirthDate(date: string): boolean {
  const [year, month, day, ...rest] = date.split('-');
  const isPart = (part: string | undefined, max: number) =>
    part === undefined || (/^\d\d$/.test(part) && Number(part) >= 1 && Number(part) <= max);
  return (
    /^\d{4}$/.test(year ?? '') &&
    isPart(month, 12) &&
    isPart(day, 31) &&
    (day === undefined || month !== undefined) &&
    rest.length === 0
  );
}

function toCountry(nationality: string): string | undefined {
  if (/^[a-z]{2}$/i.test(nationality)) return nationality.toUpperCase();
  return lookUpCountryName(nationality) ?? EXTRA_COUNTRIES[nationality.toLowerCase()];
}

/**
 * A person query from a benchmark row. With evidence, the birth date goes in as the API would
 * accept it (a malformed date is cut to its year, as a form would) and the nationality as ISO2.
 */
export function toPersonQuery(row: PersonRow, withEvidence: boolean): ScreeningQuery {
  const query: ScreeningQuery = { name: row.full_name, schema: 'person' };
  if (!withEvidence) return query;
  const date = row.date_of_birth;
  if (isApiBirthDate(date)) query.birthDate = date;
  else if (/^\d{4}/.test(date)) query.birthDate = date.slice(0, 4);
  const country = row.nationality ? toCountry(row.nationality) : undefined;
  if (country) query.countries = [country];
  return query;
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same run. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct indices below `total`, drawn with `random`, in ascending order. */
export function sampleIndices(total: number, count: number, random: () => number): number[] {
  const pool = Array.from({ length: total }, (_, i) => i);
  const size = Math.min(count, total);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (total - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, size).sort((a, b) => a - b);
}

/** How a variant was made from a listed name. */
export type VariantKind = 'reordered' | 'dropped_middle' | 'typo' | 'diacritics' | 'cyrillic';

/** A query name derived from a listed name. */
export type NameVariant = { kind: VariantKind; name: string };

const LATIN_NAME = /^[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]+$/u;

/** True when a name is written in Latin script (the variants below are Latin edits). */
export function isLatinName(name: string): boolean {
  return LATIN_NAME.test(name) && /[a-z]/i.test(name);
}

// Digraphs first, so "shch" becomes one Cyrillic letter, not four.
const CYRILLIC: [string, string][] = (
  'shch:щ zh:ж kh:х ch:ч sh:ш ts:ц ya:я yu:ю yo:ё a:а b:б c:к d:д e:е f:ф g:г h:х i:и j:дж k:к l:л ' +
  'm:м n:н o:о p:п q:к r:р s:с t:т u:у v:в w:в x:кс z:з'
)
  .split(' ')
  .map((pair) => pair.split(':') as [string, string]);

function stripMarks(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** A Latin name written in Cyrillic the way a Russian form would spell it. */
export function toCyrillic(name: string): string {
  return stripMarks(name)
    .split(/\s+/)
    .map((word) => {
      const lower = word.toLowerCase();
      let out = '';
      for (let i = 0; i < lower.length;) {
        // "y" after a vowel is the short "й" (Sergey), elsewhere the vowel "и".
        if (lower[i] === 'y' && !/[auo]/.test(lower[i + 1] ?? '')) {
          out += i > 0 && /[aeiou]/.test(lower[i - 1]!) ? 'й' : 'и';
          i++;
          continue;
        }
        const pair = CYRILLIC.find(([latin]) => lower.startsWith(latin, i));
        out += pair ? pair[1] : /[a-z]/.test(lower[i]!) ? '' : lower[i];
        i += pair ? pair[0].length : 1;
      }
      const isUpper = word === word.toUpperCase() && /[A-Z]/.test(word);
      return isUpper ? out.toUpperCase() : out.charAt(0).toUpperCase() + out.slice(1);
    })
    .join(' ');
}

// Lists write "LAST, First Middle"; variants work on "First Middle Last".
function naturalWords(name: string): string[] {
  const comma = name.indexOf(',');
  const ordered = comma < 0 ? name : `${name.slice(comma + 1)} ${name.slice(0, comma)}`;
  return ordered.split(/\s+/).filter((word) => word !== '');
}

const ACCENTS: Record<string, string> = {
  a: 'á',
  e: 'é',
  i: 'í',
  o: 'ö',
  u: 'ü',
  c: 'ç',
  n: 'ñ',
  s: 'š',
  z: 'ž',
};

function addTypo(word: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  const operation = Math.floor(random() * 3);
  if (operation === 0) return word.slice(0, at) + word.slice(at + 1);
  if (operation === 1 && word[at] !== word[at + 1])
    return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz'.replace(word[at]!.toLowerCase(), '');
  const letter = alphabet[Math.floor(random() * alphabet.length)]!;
  const cased = word[at] === word[at]!.toUpperCase() ? letter.toUpperCase() : letter;
  return word.slice(0, at) + cased + word.slice(at + 1);
}

function toggleDiacritics(name: string, random: () => number): string | null {
  const stripped = stripMarks(name);
  if (stripped !== name) return stripped;
  const positions = [...name].flatMap((char, i) => (ACCENTS[char.toLowerCase()] ? [i] : []));
  if (positions.length === 0) return null;
  const chars = [...name];
  for (let n = 0; n < 2; n++) {
    const at = positions[Math.floor(random() * positions.length)]!;
    const accented = ACCENTS[chars[at]!.toLowerCase()];
    if (!accented) continue; // already accented by the first pick
    chars[at] = chars[at] === chars[at]!.toUpperCase() ? accented.toUpperCase() : accented;
  }
  return chars.join('');
}

/**
 * Variants of a Latin listed name. Persons get all five kinds where the name allows (a middle name
 * to drop, a word of ≥ 5 letters to misspell); organisations only typo, diacritics and Cyrillic,
 * since their word order is not a convention that forms flip.
 */
export function makeVariants(name: string, schema: EntitySchema, random: () => number): NameVariant[] {
  const words = schema === 'person' ? naturalWords(name) : name.split(/\s+/).filter((word) => word !== '');
  const variants: NameVariant[] = [];
  if (schema === 'person' && words.length >= 2) {
    // A name the list already writes "LAST, First" is reordered into "First Last".
    const reordered = name.includes(',')
      ? words.join(' ')
      : `${words.at(-1)}, ${words.slice(0, -1).join(' ')}`;
    variants.push({ kind: 'reordered', name: reordered });
  }
  if (schema === 'person' && words.length >= 3) {
    const drop = 1 + Math.floor(random() * (words.length - 2));
    variants.push({ kind: 'dropped_middle', name: words.filter((_, i) => i !== drop).join(' ') });
  }
  const long = words.flatMap((word, i) => (/^\p{L}{5,}$/u.test(word) ? [i] : []));
  if (long.length > 0) {
    const at = long[Math.floor(random() * long.length)]!;
    const typo = words.map((word, i) => (i === at ? addTypo(word, random) : word));
    variants.push({ kind: 'typo', name: typo.join(' ') });
  }
  const accented = toggleDiacritics(words.join(' '), random);
  if (accented) variants.push({ kind: 'diacritics', name: accented });
  variants.push({ kind: 'cyrillic', name: toCyrillic(words.join(' ')) });
  return variants;
}

/** A labelled name pair with our score and, where the frozen run has the pair, logic-v2's. */
export type ScoredPair = {
  group: string;
  name1: string;
  name2: string;
  isMatch: boolean;
  ours: number;
  logicV2: number | null;
};

type BenchRow = {
  case_group: string;
  schema: string;
  name1: string;
  name2: string;
  is_match: string;
  score?: string;
};

/** Compares two names outside an index (no rarity weights), as the pair benchmarks need. */
export function scorePair(query: string, candidate: string, schema: EntitySchema = 'unknown'): number {
  const [a, b] = [normaliseName(query, schema), normaliseName(candidate, schema)];
  return compareNames(withRoleWeights(a.tokens), withRoleWeights(b.tokens), a.isAbjad).score;
}

/**
 * nomenklatura's name_bench cases scored by us, joined to logic-v2's frozen scores by schema and
 * both names (the frozen run predates a renaming of case groups, and scores do not depend on one).
 */
export function scoreNameBench(): ScoredPair[] {
  const key = (row: BenchRow) => `${row.schema}\u0000${row.name1}\u0000${row.name2}`;
  const frozen = new Map(
    readCsv<BenchRow>('nomenklatura/name_bench_logicv2_frozen_scores.csv').map((row) => [
      key(row),
      Number(row.score),
    ]),
  );
  return readCsv<BenchRow>('nomenklatura/name_bench_cases.csv').map((row) => {
    const schema = row.schema === 'Person' ? 'person' : row.schema === 'Vessel' ? 'vessel' : 'organisation';
    const ours = scorePair(row.name1, row.name2, schema);
    const logicV2 = frozen.get(key(row)) ?? null;
    return {
      group: row.case_group,
      name1: row.name1,
      name2: row.name2,
      isMatch: row.is_match === 'true',
      ours,
      logicV2,
    };
  });
}

/** Precision, recall and F1 of one scorer over labelled pairs at a threshold. */
export function pairFigures(pairs: ScoredPair[], scorer: 'ours' | 'logicV2', threshold: number) {
  const predicted = pairs.filter((pair) => (pair[scorer] ?? 0) >= threshold);
  const right = predicted.filter((pair) => pair.isMatch).length;
  const precision = right / Math.max(1, predicted.length);
  const recall = right / Math.max(1, pairs.filter((pair) => pair.isMatch).length);
  return { precision, recall, f1: (2 * precision * recall) / Math.max(1e-9, precision + recall) };
}

/** watchman's cross-script pairs (the file's header is a comment line, so columns are named here). */
export function readCrossScriptPairs(): { query: string; expected: string; minScore: number }[] {
  const text = readFileSync(path.join(MATCHING, 'watchman/cross_script_pairs.csv'));
  const rows = parse(text, {
    columns: ['query', 'expected', 'minScore', 'description'],
    comment: '#',
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  return rows.map((row) => ({ query: row.query!, expected: row.expected!, minScore: Number(row.minScore) }));
}
