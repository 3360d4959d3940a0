/**
 * The two JSON-lines exports of OpenSanctions: Senzing records (`DATA_SOURCE`, `RECORD_ID`,
 * `NAMES`, `RISKS` …) and FollowTheMoney entities (`{id, schema, properties}`).
 */
import type {
  EntitySchema,
  EntityTopic,
  ListFile,
  ListedEntity,
  NameQuality,
  ParsedList,
} from '../list-entity.ts';
import { isNode, textOf, type Node } from './importer-files.ts';
import {
  addCountry,
  addDate,
  addIdentifier,
  addName,
  addValue,
  createEntity,
  createWarnings,
  finishList,
  laterDate,
  toCountryCode,
  toListingDate,
  type IdentifierType,
  type Warnings,
  ownValue,
} from './importer-helpers.ts';

/** FollowTheMoney schemata that are list targets, and what they are in our model. */
export const SCHEMA_BY_FTM: Record<string, EntitySchema> = {
  Person: 'person',
  Organization: 'organisation',
  Company: 'organisation',
  LegalEntity: 'organisation',
  PublicBody: 'organisation',
  Vessel: 'vessel',
  Airplane: 'aircraft',
};

/** Our topic for an OpenSanctions topic (`role.pep`, `sanction`, `crime.fraud` …), if any. */
export function mapTopic(topic: string): EntityTopic | undefined {
  if (topic === 'sanction') return 'sanction';
  if (topic === 'role.pep') return 'pep';
  if (topic === 'crime' || topic.startsWith('crime.') || topic === 'wanted') return 'crime';
  if (topic === 'debarment') return 'debarment';
  return undefined;
}

/** The newest `last_change` as `YYYY-MM-DD`. */
export function newerChange(current: string | null, lastChange: unknown): string | null {
  return typeof lastChange === 'string'
    ? laterDate(current, toListingDate(lastChange.slice(0, 10)))
    : current;
}

const SENZING_SCHEMAS: Record<string, EntitySchema> = { PERSON: 'person', ORGANIZATION: 'organisation' };

// Senzing identifier features worth matching on; OPEN_SANCTIONS and WIKIDATA ids are cross-references.
const SENZING_IDENTIFIERS: [string, string, IdentifierType][] = [
  ['PASSPORT_NUMBER', 'PASSPORT_COUNTRY', 'passport'],
  ['NATIONAL_ID_NUMBER', 'NATIONAL_ID_COUNTRY', 'national_id'],
  ['TAX_ID_NUMBER', 'TAX_ID_COUNTRY', 'tax_id'],
];

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function topicsOf(topics: string[], defaultTopics: EntityTopic[]): EntityTopic[] {
  const mapped = [...new Set(topics.map(mapTopic).filter((topic) => topic !== undefined))];
  return mapped.length > 0 ? mapped : [...defaultTopics];
}

// Primary names first, whatever order the record lists them in.
function addSenzingNames(entity: ListedEntity, names: Node[]): void {
  const isPrimary = (name: Node) => textOf(name, 'NAME_TYPE') === 'PRIMARY';
  for (const name of [...names].sort((a, b) => Number(isPrimary(b)) - Number(isPrimary(a)))) {
    const parts = [textOf(name, 'NAME_FIRST'), textOf(name, 'NAME_LAST')].join(' ');
    const full = textOf(name, 'NAME_FULL') || textOf(name, 'NAME_ORG') || parts;
    addName(entity, full, isPrimary(name) ? 'primary' : 'strong');
  }
}

function addSenzingIdentifiers(entity: ListedEntity, identifiers: Node[], warnings: Warnings): void {
  for (const identifier of identifiers) {
    for (const [numberKey, countryKey, type] of SENZING_IDENTIFIERS) {
      const number = textOf(identifier, numberKey);
      if (number === '') continue;
      const country = textOf(identifier, countryKey);
      addIdentifier(
        entity,
        type,
        number,
        country === '' ? undefined : toCountryCode(country, warnings, 'IDENTIFIERS'),
      );
    }
  }
}

function readSenzingRecord(record: Node, defaultTopics: EntityTopic[], warnings: Warnings): ListedEntity {
  const schema = SENZING_SCHEMAS[textOf(record, 'RECORD_TYPE')] ?? 'unknown';
  const topics = topicsOf(
    nodes(record.RISKS).map((risk) => textOf(risk, 'TOPIC')),
    defaultTopics,
  );
  const entity = createEntity(textOf(record, 'RECORD_ID'), schema, topics);
  addSenzingNames(entity, nodes(record.NAMES));
  for (const date of nodes(record.DATES)) {
    addDate(entity.birthDates, textOf(date, 'DATE_OF_BIRTH'), warnings, 'DATES');
  }
  // Each COUNTRIES item is one {KIND: country}; nationality and citizenship are nationalities.
  for (const [kind, value] of nodes(record.COUNTRIES).flatMap((country) => Object.entries(country))) {
    const isNationality = kind === 'NATIONALITY' || kind === 'CITIZENSHIP';
    addCountry(isNationality ? entity.nationalities : entity.countries, textOf(value), warnings, 'COUNTRIES');
  }
  for (const address of nodes(record.ADDRESSES)) addValue(entity.addresses, textOf(address, 'ADDR_FULL'));
  addSenzingIdentifiers(entity, nodes(record.IDENTIFIERS), warnings);
  return entity;
}

/** Parses Senzing JSON lines; sourceId = RECORD_ID, topics from RISKS. */
export function parseSenzing(file: ListFile, records: Node[], defaultTopics: EntityTopic[]): ParsedList {
  const warnings = createWarnings();
  let publishedAt: string | null = null;
  const entities: ListedEntity[] = [];
  for (const record of records) {
    publishedAt = newerChange(publishedAt, record.LAST_CHANGE);
    // Records with neither a type nor a risk are relationship anchors (e.g. the position
    // "United States senator" that members point to), not listed persons.
    if (textOf(record, 'RECORD_TYPE') === '' && nodes(record.RISKS).length === 0) {
      warnings.add(
        'records without RECORD_TYPE or RISKS (relationship anchors such as positions), left out',
        textOf(record, 'RECORD_ID'),
      );
      continue;
    }
    entities.push(readSenzingRecord(record, defaultTopics, warnings));
  }
  return finishList(file.name, entities, publishedAt, warnings);
}

// Which FollowTheMoney property feeds which field of the entity.
const FTM_NAMES: [string, NameQuality][] = [
  ['name', 'strong'],
  ['alias', 'strong'],
  ['previousName', 'strong'],
  ['weakAlias', 'weak'],
];
const FTM_COUNTRIES: [string, 'nationalities' | 'countries'][] = [
  ['nationality', 'nationalities'],
  ['citizenship', 'nationalities'],
  ['country', 'countries'],
  ['jurisdiction', 'countries'],
  ['mainCountry', 'countries'],
  ['flag', 'countries'],
];
const FTM_IDENTIFIERS: [string, IdentifierType][] = [
  ['passportNumber', 'passport'],
  ['imoNumber', 'imo'],
  ['registrationNumber', 'registration'],
  ['ogrnCode', 'registration'],
  ['taxNumber', 'tax_id'],
  ['innCode', 'tax_id'],
  ['vatCode', 'tax_id'],
  ['swiftBic', 'swift'],
  ['mmsi', 'other'],
];

function values(properties: Node, key: string): string[] {
  const value = properties[key];
  return Array.isArray(value) ? value.map((item) => textOf(item)).filter((item) => item !== '') : [];
}

type FtmContext = { addressById: Map<string, string>; defaultTopics: EntityTopic[]; warnings: Warnings };

function readFtmEntity(record: Node, schema: EntitySchema, context: FtmContext): ListedEntity {
  const { addressById, defaultTopics, warnings } = context;
  const properties = isNode(record.properties) ? record.properties : {};
  const topics = topicsOf(values(properties, 'topics'), defaultTopics);
  const entity = createEntity(textOf(record, 'id'), schema, topics);
  // The caption is the name OpenSanctions displays; it is one of the names.
  addName(entity, textOf(record, 'caption') || (values(properties, 'name')[0] ?? ''), 'primary');
  for (const [key, quality] of FTM_NAMES) {
    for (const name of values(properties, key)) addName(entity, name, quality);
  }
  for (const date of values(properties, 'birthDate')) addDate(entity.birthDates, date, warnings, 'birthDate');
  for (const place of values(properties, 'birthPlace')) addValue(entity.birthPlaces, place);
  for (const [key, field] of FTM_COUNTRIES) {
    for (const code of values(properties, key)) addCountry(entity[field], code, warnings, key);
  }
  // idNumber is a person's national id; on a company it is some other number.
  const idNumberType: IdentifierType = schema === 'person' ? 'national_id' : 'other';
  for (const [key, type] of [...FTM_IDENTIFIERS, ['idNumber', idNumberType] as const]) {
    for (const value of values(properties, key)) addIdentifier(entity, type, value);
  }
  for (const address of values(properties, 'address')) addValue(entity.addresses, address);
  for (const id of values(properties, 'addressEntity')) addValue(entity.addresses, addressById.get(id) ?? '');
  for (const programme of values(properties, 'programId')) addValue(entity.programmes, programme);
  const notes = values(properties, 'notes');
  entity.remarks = notes.length > 0 ? notes.join('\n') : null;
  return entity;
}

/** Parses FollowTheMoney JSON lines; only target schemata (Person, Company …) become entities. */
export function parseFollowTheMoney(
  file: ListFile,
  records: Node[],
  defaultTopics: EntityTopic[],
): ParsedList {
  const warnings = createWarnings();
  // Addresses are separate entities that targets point to by id.
  const addressById = new Map<string, string>();
  for (const record of records) {
    if (textOf(record, 'schema') !== 'Address' || !isNode(record.properties)) continue;
    const full = values(record.properties, 'full')[0] ?? textOf(record, 'caption');
    if (full !== '') addressById.set(textOf(record, 'id'), full);
  }
  let publishedAt: string | null = null;
  const entities: ListedEntity[] = [];
  for (const record of records) {
    publishedAt = newerChange(publishedAt, record.last_change);
    // Sanction, Ownership, Address … describe targets; they are not listed themselves.
    const schema = ownValue(SCHEMA_BY_FTM, textOf(record, 'schema'));
    if (schema !== undefined)
      entities.push(readFtmEntity(record, schema, { addressById, defaultTopics, warnings }));
  }
  return finishList(file.name, entities, publishedAt, warnings);
}
