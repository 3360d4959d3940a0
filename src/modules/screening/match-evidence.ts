/**
 * Secondary evidence beside the name: birth date, country and identifiers. An identifier that
 * matches is decisive; a birth date far from every listed one lowers the score; agreement raises
 * it a little. Each outcome and its adjustment go into the hit's explanation.
 */
import type { ListedEntity } from './list-entity.ts';

/** What the query may add to a name. */
export type QueryEvidence = {
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  birthDate?: string;
  /** ISO 3166-1 alpha-2. */
  countries?: string[];
  identifiers?: { type?: string; value: string }[];
};

/** How the birth date compared. */
export type BirthDateOutcome =
  'exact' | 'same_year' | 'within_one_year' | 'different_day' | 'mismatch' | 'not_compared';

/** How the countries compared. */
export type CountryOutcome = 'match' | 'mismatch' | 'not_compared';

/** Secondary evidence for one entity. */
export type Evidence = {
  birthDate: { outcome: BirthDateOutcome; adjustment: number; listed: string[] };
  country: { outcome: CountryOutcome; adjustment: number; listed: string[] };
  /** The identifier that matched, if one did (decisive). */
  identifier: { type: string; value: string } | null;
};

const BIRTH_DATE_ADJUSTMENT: Record<BirthDateOutcome, number> = {
  exact: 0.05,
  same_year: 0.02,
  within_one_year: 0,
  different_day: -0.05,
  mismatch: -0.2,
  not_compared: 0,
};
const BIRTH_DATE_RANK: BirthDateOutcome[] = [
  'exact',
  'same_year',
  'within_one_year',
  'different_day',
  'mismatch',
];
const COUNTRY_ADJUSTMENT: Record<CountryOutcome, number> = { match: 0.03, mismatch: -0.03, not_compared: 0 };

/** An identifier reduced to what identifies it: letters and digits, upper case. */
export function normaliseIdentifier(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

// Shorter than this, a "number" (a serial "12", a placeholder "0000") identifies nothing.
const MIN_IDENTIFIER_LENGTH = 5;

/** True when a normalised identifier is long enough to decide a match on its own. */
export function isDistinctiveIdentifier(normalised: string): boolean {
  return normalised.length >= MIN_IDENTIFIER_LENGTH && !/^0+$/.test(normalised);
}

function compareBirthDate(query: string, listed: string): BirthDateOutcome {
  const queryYear = Number(query.slice(0, 4));
  const listedYear = Number(listed.slice(0, 4));
  if (!Number.isFinite(queryYear) || !Number.isFinite(listedYear)) return 'not_compared';
  const distance = Math.abs(queryYear - listedYear);
  if (distance > 1) return 'mismatch';
  if (distance === 1) return 'within_one_year';
  const precision = Math.min(query.length, listed.length);
  if (query.slice(0, precision) !== listed.slice(0, precision)) return 'different_day';
  return query.length === listed.length ? 'exact' : 'same_year';
}

function weighBirthDate(query: string | undefined, entity: ListedEntity): Evidence['birthDate'] {
  const listed = entity.birthDates;
  if (!query || listed.length === 0) return { outcome: 'not_compared', adjustment: 0, listed };
  const outcomes = listed.map((date) => compareBirthDate(query, date));
  const outcome = BIRTH_DATE_RANK.find((rank) => outcomes.includes(rank)) ?? 'not_compared';
  return { outcome, adjustment: BIRTH_DATE_ADJUSTMENT[outcome], listed };
}

function weighCountry(query: string[] | undefined, entity: ListedEntity): Evidence['country'] {
  const listed = [...new Set([...entity.nationalities, ...entity.countries])];
  if (!query || query.length === 0 || listed.length === 0) {
    return { outcome: 'not_compared', adjustment: 0, listed };
  }
  const wanted = new Set(query.map((country) => country.toUpperCase()));
  const outcome: CountryOutcome = listed.some((country) => wanted.has(country)) ? 'match' : 'mismatch';
  return { outcome, adjustment: COUNTRY_ADJUSTMENT[outcome], listed };
}

function findIdentifier(query: QueryEvidence['identifiers'], entity: ListedEntity): Evidence['identifier'] {
  if (!query || query.length === 0) return null;
  const wanted = new Set(
    query.map((identifier) => normaliseIdentifier(identifier.value)).filter(isDistinctiveIdentifier),
  );
  const found = entity.identifiers.find((identifier) => wanted.has(normaliseIdentifier(identifier.value)));
  return found ? { type: found.type, value: found.value } : null;
}

/** Weighs the query's secondary evidence against one entity. */
export function weighEvidence(query: QueryEvidence, entity: ListedEntity): Evidence {
  return {
    birthDate: weighBirthDate(query.birthDate, entity),
    country: weighCountry(query.countries, entity),
    identifier: findIdentifier(query.identifiers, entity),
  };
}
