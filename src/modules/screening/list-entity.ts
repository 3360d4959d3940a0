/**
 * The one model every list is imported into. Importers map their source's format onto it; the
 * matcher, the version store and (later) case screening read only this shape.
 */
import { createHash } from 'node:crypto';

/** What kind of thing a list entry is; `unknown` where the source does not say. */
export const ENTITY_SCHEMAS = ['person', 'organisation', 'vessel', 'aircraft', 'unknown'] as const;

/** One of the entity schemas. */
export type EntitySchema = (typeof ENTITY_SCHEMAS)[number];

/**
 * How much a name can be trusted: the primary name and strong aliases identify the entry; weak
 * aliases (OFAC "weak aka", UK "low quality", nicknames) are short or generic and score lower.
 */
export type NameQuality = 'primary' | 'strong' | 'weak';

/** One name of a listed entity. */
export type ListedName = {
  /** As the list writes it (original script kept; the matcher transliterates). */
  full: string;
  quality: NameQuality;
};

/** An identity document or registration number. */
export type ListedIdentifier = {
  /** Lower-case kind: passport, national_id, imo, registration, tax_id, swift, other … */
  type: string;
  /** As the list writes it; the matcher compares a normalised form. */
  value: string;
  /** ISO 3166-1 alpha-2 (upper case) when the list says which country issued it. */
  country?: string;
};

/** Why an entity is on a list: sanctions, PEP status, wanted notices, debarment. */
export type EntityTopic = 'sanction' | 'pep' | 'crime' | 'debarment';

/** One entry of one list, normalised. */
export type ListedEntity = {
  /** The entry's id in its source (OFAC ent_num, UN reference number, EU logicalId …); unique per list. */
  sourceId: string;
  schema: EntitySchema;
  /** All names; the first is the primary name. Never empty. */
  names: ListedName[];
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  birthDates: string[];
  birthPlaces: string[];
  /** ISO 3166-1 alpha-2, upper case. */
  nationalities: string[];
  /** Other country links (residence, address, registration, flag), ISO 3166-1 alpha-2, upper case. */
  countries: string[];
  identifiers: ListedIdentifier[];
  addresses: string[];
  /** Sanctions programmes or regimes (e.g. `SDGT`, `RUSSIA-EO14024`, `Afghanistan`). */
  programmes: string[];
  topics: EntityTopic[];
  /** `YYYY-MM-DD` when the list says when the entry was designated. */
  listedOn: string | null;
  /** Free-text remarks from the list (public list data, not our clients' personal data). */
  remarks: string | null;
};

/** What an importer returns for one file set. */
export type ParsedList = {
  /** `YYYY-MM-DD` publication date written in the file, or null when the format has none. */
  publishedAt: string | null;
  entities: ListedEntity[];
  /** Problems that did not stop the import (e.g. an alias whose entry is missing), counted. */
  warnings: string[];
};

/** A file handed to an importer: its base name (used to tell files of one list apart) and bytes. */
export type ListFile = { name: string; bytes: Buffer };

/** A file that cannot be read as the list it claims to be; the message is for the person importing. */
export class ListFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListFormatError';
  }
}

/**
 * A stable hash of an entity's content: the same entry imported twice hashes the same, any change
 * to what the list says about it changes the hash (the delta between versions is keyed on it).
 */
export function hashEntity(entity: ListedEntity): string {
  return createHash('sha256').update(canonicalJson(entity)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
