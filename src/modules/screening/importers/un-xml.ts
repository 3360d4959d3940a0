/**
 * The UN Security Council Consolidated List XML (`CONSOLIDATED_LIST` with `INDIVIDUALS` and
 * `ENTITIES`), schema https://www.un.org/sc/resources/sc-sanctions.xsd.
 */
import type { EntityTopic, ListFile, ListedEntity, ParsedList } from '../list-entity.ts';
import { childNodes, decodeText, readXml, textOf, textsOf, type Node } from './importer-files.ts';
import {
  addCountry,
  addDate,
  addIdentifier,
  addName,
  addValue,
  createEntity,
  createWarnings,
  finishList,
  listYears,
  toCountryCode,
  toListingDate,
  type IdentifierType,
  type Warnings,
} from './importer-helpers.ts';

const LIST_NAME = 'a UN consolidated list';

const REPEATED = new Set([
  'INDIVIDUAL',
  'ENTITY',
  'VALUE',
  'INDIVIDUAL_ALIAS',
  'ENTITY_ALIAS',
  'INDIVIDUAL_ADDRESS',
  'ENTITY_ADDRESS',
  'INDIVIDUAL_DATE_OF_BIRTH',
  'INDIVIDUAL_PLACE_OF_BIRTH',
  'INDIVIDUAL_DOCUMENT',
]);

const NAME_PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'];

// QUALITY is "Good"/"Low" for individuals, "a.k.a."/"f.k.a." for entities; only "Low" is weak.
function aliasQuality(quality: string): 'strong' | 'weak' {
  return quality.toLowerCase() === 'low' ? 'weak' : 'strong';
}

function addBirthDates(entity: ListedEntity, record: Node, warnings: Warnings): void {
  for (const birth of childNodes(record, 'INDIVIDUAL_DATE_OF_BIRTH')) {
    const [from, to] = [textOf(birth, 'FROM_YEAR'), textOf(birth, 'TO_YEAR')];
    if (textOf(birth, 'TYPE_OF_DATE') === 'BETWEEN' && from !== '' && to !== '') {
      for (const year of listYears(Number(from), Number(to), warnings, 'UN date of birth')) {
        addValue(entity.birthDates, year);
      }
      continue;
    }
    // EXACT and APPROXIMATELY give a DATE or a YEAR; a few entries only have a NOTE ("Nov. 1973").
    const value = textOf(birth, 'DATE') || textOf(birth, 'YEAR') || textOf(birth, 'NOTE');
    addDate(entity.birthDates, value, warnings, 'UN date of birth');
  }
}

function joinParts(node: Node, keys: string[], separator = ', '): string {
  return keys
    .map((key) => textOf(node, key))
    .filter((part) => part !== '')
    .join(separator);
}

function documentType(node: Node): IdentifierType {
  const kind = `${textOf(node, 'TYPE_OF_DOCUMENT')} ${textOf(node, 'TYPE_OF_DOCUMENT2')}`.toLowerCase();
  if (/passport|pasaporte|passeport/.test(kind)) return 'passport';
  if (/national\s+identification|national\s+id|identity\s+card/.test(kind)) return 'national_id';
  return 'other';
}

function addDocuments(entity: ListedEntity, record: Node, warnings: Warnings): void {
  for (const document of childNodes(record, 'INDIVIDUAL_DOCUMENT')) {
    const number = textOf(document, 'NUMBER');
    if (number === '') continue;
    const issuer = textOf(document, 'ISSUING_COUNTRY') || textOf(document, 'COUNTRY_OF_ISSUE');
    const country = issuer === '' ? undefined : toCountryCode(issuer, warnings, 'UN document issuer');
    addIdentifier(entity, documentType(document), number, country);
  }
}

function addAddresses(entity: ListedEntity, addresses: Node[], warnings: Warnings): void {
  for (const address of addresses) {
    const country = textOf(address, 'COUNTRY');
    if (country !== '') addCountry(entity.countries, country, warnings, 'UN address country');
    // A bare country is a country link, not an address worth matching on.
    const lines = joinParts(address, ['STREET', 'CITY', 'STATE_PROVINCE', 'ZIP_CODE']);
    if (lines !== '') addValue(entity.addresses, [lines, country].filter((part) => part !== '').join(', '));
  }
}

function readRecord(
  record: Node,
  isPerson: boolean,
  topics: EntityTopic[],
  warnings: Warnings,
): ListedEntity {
  const entity = createEntity(
    textOf(record, 'REFERENCE_NUMBER'),
    isPerson ? 'person' : 'organisation',
    topics,
  );
  addName(entity, joinParts(record, NAME_PARTS, ' '), 'primary');
  addName(entity, textOf(record, 'NAME_ORIGINAL_SCRIPT'), 'strong');
  for (const alias of childNodes(record, isPerson ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS')) {
    addName(entity, textOf(alias, 'ALIAS_NAME'), aliasQuality(textOf(alias, 'QUALITY')));
  }
  addValue(entity.programmes, textOf(record, 'UN_LIST_TYPE'));
  entity.listedOn = toListingDate(textOf(record, 'LISTED_ON'));
  const comments = textOf(record, 'COMMENTS1');
  entity.remarks = comments === '' ? null : comments;
  for (const nationality of childNodes(record, 'NATIONALITY').flatMap((node) => textsOf(node, 'VALUE'))) {
    addCountry(entity.nationalities, nationality, warnings, 'UN nationality');
  }
  addBirthDates(entity, record, warnings);
  for (const birthPlace of childNodes(record, 'INDIVIDUAL_PLACE_OF_BIRTH')) {
    addValue(entity.birthPlaces, joinParts(birthPlace, ['STREET', 'CITY', 'STATE_PROVINCE', 'COUNTRY']));
  }
  addDocuments(entity, record, warnings);
  addAddresses(entity, childNodes(record, isPerson ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS'), warnings);
  return entity;
}

/** Parses the UN consolidated XML; sourceId = REFERENCE_NUMBER, programme = UN_LIST_TYPE. */
export function parseUnXml(file: ListFile, defaultTopics: EntityTopic[]): ParsedList {
  const warnings = createWarnings();
  const root = readXml(file, decodeText(file), {
    root: 'CONSOLIDATED_LIST',
    repeated: REPEATED,
    listName: LIST_NAME,
  });
  const individuals = childNodes(root, 'INDIVIDUALS').flatMap((node) => childNodes(node, 'INDIVIDUAL'));
  const organisations = childNodes(root, 'ENTITIES').flatMap((node) => childNodes(node, 'ENTITY'));
  const entities = [
    ...individuals.map((record) => readRecord(record, true, defaultTopics, warnings)),
    ...organisations.map((record) => readRecord(record, false, defaultTopics, warnings)),
  ];
  const generated = textOf(root, '@dateGenerated').slice(0, 10);
  const publishedAt = toListingDate(generated);
  return finishList(file.name, entities, publishedAt, warnings);
}
