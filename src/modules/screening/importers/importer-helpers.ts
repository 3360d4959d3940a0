/**
 * What every importer shares once a file is read: building entities with deduplicated names and
 * values, normalising dates and countries, counting warnings, and finishing a list (merged
 * duplicate ids, a stable order, never empty).
 */
import {
  ListFormatError,
  type EntitySchema,
  type EntityTopic,
  type ListedEntity,
  type NameQuality,
  type ParsedList,
} from '../list-entity.ts';
import { isCountryCode, lookUpCountryName } from './country-names.ts';

/** The identifier kinds importers emit. */
export type IdentifierType =
  'passport' | 'national_id' | 'imo' | 'registration' | 'tax_id' | 'swift' | 'other';

/** Problems counted during an import, reported once per kind with a few examples. */
export type Warnings = { add(kind: string, example?: string): void; list(): string[] };

const EXAMPLES_PER_KIND = 3;

/** An empty warning counter. */
export function createWarnings(): Warnings {
  const kinds = new Map<string, { count: number; examples: string[] }>();
  return {
    add(kind, example) {
      const entry = kinds.get(kind) ?? { count: 0, examples: [] };
      entry.count += 1;
      if (example !== undefined && entry.examples.length < EXAMPLES_PER_KIND) {
        if (!entry.examples.includes(example)) entry.examples.push(example);
      }
      kinds.set(kind, entry);
    },
    list: () =>
      [...kinds].map(([kind, { count, examples }]) =>
        examples.length > 0 ? `${kind}: ${count} (e.g. ${examples.join('; ')})` : `${kind}: ${count}`,
      ),
  };
}

/** A new entity with every list empty. */
export function createEntity(sourceId: string, schema: EntitySchema, topics: EntityTopic[]): ListedEntity {
  return {
    sourceId,
    schema,
    names: [],
    birthDates: [],
    birthPlaces: [],
    nationalities: [],
    countries: [],
    identifiers: [],
    addresses: [],
    programmes: [],
    topics: [...topics],
    listedOn: null,
    remarks: null,
  };
}

const QUALITY_RANK: Record<NameQuality, number> = { primary: 0, strong: 1, weak: 2 };

/**
 * Adds a name unless the entity has it already (then the better quality is kept). Only the first
 * name is primary: a later "primary" (a second primary row, a merged duplicate) becomes strong.
 */
export function addName(entity: ListedEntity, raw: string, quality: NameQuality): void {
  const full = raw.replace(/\s+/g, ' ').trim();
  if (full === '') return;
  const wanted: NameQuality = quality === 'primary' && entity.names.length > 0 ? 'strong' : quality;
  const existing = entity.names.find((name) => name.full === full);
  if (!existing) entity.names.push({ full, quality: wanted });
  else if (QUALITY_RANK[wanted] < QUALITY_RANK[existing.quality]) existing.quality = wanted;
}

/** Adds a trimmed, non-empty value once. */
export function addValue(list: string[], raw: string): void {
  const value = raw.replace(/\s+/g, ' ').trim();
  if (value !== '' && !list.includes(value)) list.push(value);
}

/** Adds an identifier once (same type, value and country). */
export function addIdentifier(
  entity: ListedEntity,
  type: IdentifierType,
  raw: string,
  country?: string,
): void {
  const value = type === 'imo' ? (imoNumber(raw) ?? raw.trim()) : raw.replace(/\s+/g, ' ').trim();
  if (value === '') return;
  const isKnown = entity.identifiers.some(
    (identifier) => identifier.type === type && identifier.value === value && identifier.country === country,
  );
  if (isKnown) return;
  entity.identifiers.push(country === undefined ? { type, value } : { type, value, country });
}

/** The seven digits of an IMO number written as `IMO 1234567`, `IMO1234567` or `1234567`. */
export function imoNumber(raw: string): string | undefined {
  const digits = raw.trim().replace(/^IMO\s*/i, '');
  return /^\d{7}$/.test(digits) ? digits : undefined;
}

/**
 * The ISO code for a country as a list writes it (a name, or an alpha-2 code in any case);
 * undefined, with a warning, when it cannot be mapped — never a guess.
 */
export function toCountryCode(raw: string, warnings: Warnings, context: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (/^[A-Za-z]{2}$/.test(value) && isCountryCode(value.toUpperCase())) return value.toUpperCase();
  const code = lookUpCountryName(value);
  if (code === undefined) warnings.add(`${context}: country not mapped to an ISO code, left out`, value);
  return code ?? undefined;
}

/** Adds the country's ISO code to the list when it maps. */
export function addCountry(list: string[], raw: string, warnings: Warnings, context: string): void {
  const code = toCountryCode(raw, warnings, context);
  if (code !== undefined && !list.includes(code)) list.push(code);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from parts; a zero month or day means "not known" (lists write
 * 1970-00-00), anything impossible (month 13, 31 April, year 0213) gives null.
 */
export function buildDate(year: number, month = 0, day = 0): string | null {
  if (!Number.isInteger(year) || year < 1800 || year > 2100) return null;
  const yyyy = String(year);
  if (!month) return yyyy;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  const mm = String(month).padStart(2, '0');
  if (!day) return `${yyyy}-${mm}`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth) return null;
  return `${yyyy}-${mm}-${String(day).padStart(2, '0')}`;
}

/** The month number of an English month name or abbreviation; 0 when it is not one. */
export function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const index = MONTHS.indexOf(lower.slice(0, 3));
  return index >= 0 && lower.length >= 3 ? index + 1 : 0;
}

/**
 * A date as lists write it: ISO (`1960`, `1960-03`, `1960-03-12`, with or without a time) or
 * OFAC-style (`12 Mar 1960`, `Mar 1960`); null when it is not a date or not a possible one.
 */
export function normaliseDate(raw: string): string | null {
  const value = raw.trim().replace(/\.$/, '');
  // A time after a full date ("1960-03-12T00:00:00") is dropped.
  const date = /^\d{4}-\d{2}-\d{2}[T ]/.test(value) ? value.slice(0, 10) : value;
  const [year = '', month = '0', day = '0', ...rest] = date.split('-');
  const isIso = /^\d{4}$/.test(year) && /^\d{1,2}$/.test(month) && /^\d{1,2}$/.test(day) && rest.length === 0;
  if (isIso) return buildDate(Number(year), Number(month), Number(day));
  const withDay = /^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$/.exec(value);
  const withoutDay = /^([A-Za-z]{3,9})\.? (\d{4})$/.exec(value);
  if (withDay) return writtenDate(withDay[3], withDay[2], withDay[1]);
  if (withoutDay) return writtenDate(withoutDay[2], withoutDay[1], '0');
  return null;
}

function writtenDate(year = '', monthName = '', day = '0'): string | null {
  const month = monthNumber(monthName);
  return month ? buildDate(Number(year), month, Number(day)) : null;
}

/** Adds a birth date, counting a warning when it is not a possible date. */
export function addDate(list: string[], raw: string, warnings: Warnings, context: string): void {
  if (raw.trim() === '') return;
  const date = normaliseDate(raw);
  if (date === null) warnings.add(`${context}: birth date that is not a possible date, left out`, raw.trim());
  else addValue(list, date);
}

const MAX_YEAR_SPAN = 20;

/** Each year of a birth-year range ("between 1960 and 1964"); over 20 years, only the ends. */
export function listYears(from: number, to: number, warnings: Warnings, context: string): string[] {
  const first = buildDate(Math.min(from, to));
  const last = buildDate(Math.max(from, to));
  if (first === null || last === null) {
    warnings.add(`${context}: birth-year range that is not possible, left out`, `${from}-${to}`);
    return [];
  }
  if (Number(last) - Number(first) > MAX_YEAR_SPAN) {
    warnings.add(`${context}: birth-year range over ${MAX_YEAR_SPAN} years, only its ends kept`);
    return [first, last];
  }
  return Array.from({ length: Number(last) - Number(first) + 1 }, (_, offset) =>
    String(Number(first) + offset),
  );
}

/** Only a full `YYYY-MM-DD` is a listing date; anything less is left out. */
export function toListingDate(raw: string): string | null {
  const date = normaliseDate(raw);
  return date !== null && date.length === 10 ? date : null;
}

/** `dd/mm/yyyy` (UK) as `YYYY-MM-DD`, or null. */
export function dayMonthYear(raw: string): string | null {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw.trim());
  const date = match ? buildDate(Number(match[3]), Number(match[2]), Number(match[1])) : null;
  return date !== null && date.length === 10 ? date : null;
}

/** The later of two `YYYY-MM-DD` dates, either possibly null. */
export function laterDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

// Numeric ids (OFAC ent_num) sort as numbers; others (UN, UK, OpenSanctions) by code unit, which
// unlike localeCompare does not depend on the machine's locale.
function compareSourceIds(a: string, b: string): number {
  const isNumeric = /^\d+$/.test(a) && /^\d+$/.test(b);
  if (isNumeric && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeEntity(into: ListedEntity, from: ListedEntity): void {
  for (const name of from.names) addName(into, name.full, name.quality);
  for (const key of [
    'birthDates',
    'birthPlaces',
    'nationalities',
    'countries',
    'addresses',
    'programmes',
  ] as const) {
    for (const value of from[key]) addValue(into[key], value);
  }
  for (const topic of from.topics) if (!into.topics.includes(topic)) into.topics.push(topic);
  for (const { type, value, country } of from.identifiers) {
    addIdentifier(into, type as IdentifierType, value, country);
  }
  if (into.schema === 'unknown') into.schema = from.schema;
  into.listedOn ??= from.listedOn;
  into.remarks ??= from.remarks;
}

/**
 * The finished list: nameless entries dropped, entries sharing a source id merged (both with a
 * warning), sorted by source id. A list with no entries is refused: an empty list would make a
 * version that "removes" every entry.
 */
export function finishList(
  listName: string,
  entities: ListedEntity[],
  publishedAt: string | null,
  warnings: Warnings,
): ParsedList {
  const bySourceId = new Map<string, ListedEntity>();
  for (const entity of entities) {
    if (entity.names.length === 0) {
      warnings.add(`${listName}: entry without a name, left out`, entity.sourceId);
      continue;
    }
    const earlier = bySourceId.get(entity.sourceId);
    if (earlier) {
      mergeEntity(earlier, entity);
      warnings.add(`${listName}: entries sharing a source id with an earlier one, merged`, entity.sourceId);
    } else bySourceId.set(entity.sourceId, entity);
  }
  if (bySourceId.size === 0) {
    throw new ListFormatError(`${listName}: the file parsed but holds no list entries`);
  }
  const sorted = [...bySourceId.values()].sort((a, b) => compareSourceIds(a.sourceId, b.sourceId));
  return { publishedAt, entities: sorted, warnings: warnings.list() };
}

/** A table's own value for a key read from a list file ("constructor" or "__proto__" are not keys). */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
