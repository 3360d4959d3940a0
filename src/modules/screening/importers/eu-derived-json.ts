/**
 * A third party's table of the EU Financial Sanctions Files (haverisenosku/pakote_data all.json):
 * `{metadata:{generated}, entities:[{name, type, aliases, birthdates, identifiers, source, source_id}]}`.
 * The file also merges the UN and OFAC non-SDN lists, which have importers of their own, so only
 * entries whose `source` includes "EU" are read.
 */
import {
  ListFormatError,
  type EntitySchema,
  type EntityTopic,
  type ListFile,
  type ParsedList,
} from '../list-entity.ts';
import { decodeText, isNode, readJson, type Node } from './importer-files.ts';
import {
  addDate,
  addIdentifier,
  addName,
  createEntity,
  createWarnings,
  finishList,
  toCountryCode,
  toListingDate,
  type IdentifierType,
  type Warnings,
  ownValue,
} from './importer-helpers.ts';
import { ofacIdentifierType } from './ofac-remarks.ts';

const LIST_NAME = 'the derived EU list (a JSON object with metadata and entities)';

const SCHEMA_BY_TYPE: Record<string, EntitySchema> = { individual: 'person', entity: 'organisation' };

// EU FSF identification type codes, plus the UN and OFAC labels of entries merged from those lists.
const TYPE_BY_CODE: Record<string, IdentifierType> = {
  passport: 'passport',
  id: 'national_id',
  'national identification number': 'national_id',
  regnumber: 'registration',
  tradelic: 'registration',
  fiscalcode: 'tax_id',
  taxid: 'tax_id',
  euvat: 'tax_id',
  imo: 'imo',
  swiftbic: 'swift',
};

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function identifierType(rawType: string, number: string): IdentifierType | null {
  const known = ownValue(TYPE_BY_CODE, rawType.toLowerCase());
  if (known !== undefined) return known;
  if (/passport/i.test(rawType)) return 'passport';
  // Labels such as "Government Gazette Number" come from the merged OFAC entry; OFAC's own table
  // knows which of them are identifiers ("Organization Established Date" is not).
  if (/[A-Z ]/.test(rawType)) return ofacIdentifierType(rawType, number);
  return 'other';
}

function addIdentifiers(entity: ReturnType<typeof createEntity>, value: unknown, warnings: Warnings): void {
  for (const identifier of Array.isArray(value) ? value.filter(isNode) : []) {
    const [type, number, country] = [identifier.type, identifier.number, identifier.country];
    // Untyped rows repeat a typed row of the merged OFAC entry.
    if (typeof type !== 'string' || typeof number !== 'string' || number.trim() === '') continue;
    const kind = identifierType(type, number);
    if (kind === null) continue;
    // "00" is the FSF's "no country".
    const code =
      typeof country === 'string' && country !== '00'
        ? toCountryCode(country, warnings, 'identifier country')
        : undefined;
    addIdentifier(entity, kind, number, code);
  }
}

function readRecord(record: Node, topics: EntityTopic[], warnings: Warnings) {
  const type = typeof record.type === 'string' ? record.type : '';
  const schema = ownValue(SCHEMA_BY_TYPE, type);
  if (schema === undefined) warnings.add('unknown entry type, kept as unknown', type);
  const entity = createEntity(String(record.source_id ?? ''), schema ?? 'unknown', topics);
  if (typeof record.name === 'string') addName(entity, record.name, 'primary');
  // The table kept no alias quality, so every alias counts as strong.
  for (const alias of strings(record.aliases)) addName(entity, alias, 'strong');
  for (const date of strings(record.birthdates)) addDate(entity.birthDates, date, warnings, 'birthdates');
  addIdentifiers(entity, record.identifiers, warnings);
  return entity;
}

/** Parses the derived EU JSON, EU entries only; sourceId = the EU logicalId (`source_id`). */
export function parseEuDerivedJson(file: ListFile, defaultTopics: EntityTopic[]): ParsedList {
  const warnings = createWarnings();
  const document = readJson(file, decodeText(file), LIST_NAME);
  if (!isNode(document) || !Array.isArray(document.entities)) {
    throw new ListFormatError(`${file.name} is not ${LIST_NAME}: it has no "entities" array`);
  }
  const records = document.entities.filter(isNode);
  const euRecords = records.filter((record) => strings(record.source).includes('EU'));
  const missingId = euRecords.find((record) => record.source_id === undefined || record.source_id === '');
  if (missingId)
    throw new ListFormatError(`${file.name}: an EU entry has no source_id (${String(missingId.name)})`);
  const entities = euRecords.map((record) => readRecord(record, defaultTopics, warnings));
  const generated = isNode(document.metadata) ? document.metadata.generated : undefined;
  const publishedAt = typeof generated === 'string' ? toListingDate(generated.slice(0, 10)) : null;
  if (entities.length === 0 && records.length > 0) {
    throw new ListFormatError(`${file.name}: none of its ${records.length} entries comes from the EU list`);
  }
  return finishList(file.name, entities, publishedAt, warnings);
}
