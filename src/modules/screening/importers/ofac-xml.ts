/**
 * OFAC's legacy XML (`sdnList` of `sdnEntry`), the schema of SDN.XML and CONSOLIDATED.XML (the
 * non-SDN lists). Unlike the CSV, it marks each alias strong or weak and structures birth data,
 * nationalities, identifiers and addresses.
 */
import type { EntitySchema, EntityTopic, ListFile, ListedEntity, ParsedList } from '../list-entity.ts';
import { childNodes, decodeText, readXml, textOf, textsOf, type Node } from './importer-files.ts';
import {
  addCountry,
  addIdentifier,
  addName,
  addValue,
  buildDate,
  createEntity,
  createWarnings,
  finishList,
  toCountryCode,
  type Warnings,
  ownValue,
} from './importer-helpers.ts';
import { REGISTRATION_COUNTRY_LABEL, ofacIdentifierType, parseOfacBirthDates } from './ofac-remarks.ts';

const LIST_NAME = 'an OFAC XML list (sdnList)';

const REPEATED = new Set([
  'sdnEntry',
  'aka',
  'program',
  'id',
  'address',
  'dateOfBirthItem',
  'placeOfBirthItem',
  'nationality',
  'citizenship',
]);

const SCHEMA_BY_TYPE: Record<string, EntitySchema> = {
  individual: 'person',
  entity: 'organisation',
  vessel: 'vessel',
  aircraft: 'aircraft',
};

// Written like the CSV ("LAST, First") so both OFAC formats give the same names.
function fullName(node: Node): string {
  const [last, first] = [textOf(node, 'lastName'), textOf(node, 'firstName')];
  return first === '' ? last : last === '' ? first : `${last}, ${first}`;
}

// Each OFAC list (`dateOfBirthList` …) wraps repeated items; this returns the items.
function items(entry: Node, list: string, item: string): Node[] {
  return childNodes(entry, list).flatMap((node) => childNodes(node, item));
}

function addIdentifiers(entity: ListedEntity, entry: Node, warnings: Warnings): void {
  for (const id of items(entry, 'idList', 'id')) {
    const [label, value] = [textOf(id, 'idType'), textOf(id, 'idNumber')];
    if (label === REGISTRATION_COUNTRY_LABEL) {
      addCountry(entity.countries, value, warnings, 'registration country');
      continue;
    }
    const type = ofacIdentifierType(label, value);
    if (type === null || value === '') continue;
    const country = textOf(id, 'idCountry');
    const code = country === '' ? undefined : toCountryCode(country, warnings, 'identifier country');
    addIdentifier(entity, type, value, code);
  }
}

function addAddresses(entity: ListedEntity, entry: Node, warnings: Warnings): void {
  for (const address of items(entry, 'addressList', 'address')) {
    const parts = ['address1', 'address2', 'address3', 'city', 'stateOrProvince', 'postalCode'].map((key) =>
      textOf(address, key),
    );
    const country = textOf(address, 'country');
    if (country !== '') addCountry(entity.countries, country, warnings, 'address country');
    const lines = parts.filter((part) => part !== '');
    if (lines.length > 0)
      addValue(entity.addresses, [...lines, country].filter((part) => part !== '').join(', '));
  }
}

function readEntry(entry: Node, topics: EntityTopic[], warnings: Warnings): ListedEntity {
  const type = textOf(entry, 'sdnType').toLowerCase();
  const schema = ownValue(SCHEMA_BY_TYPE, type);
  if (schema === undefined) warnings.add('unknown sdnType, kept as unknown', type);
  const entity = createEntity(textOf(entry, 'uid'), schema ?? 'unknown', topics);
  addName(entity, fullName(entry), 'primary');
  for (const aka of items(entry, 'akaList', 'aka')) {
    addName(entity, fullName(aka), textOf(aka, 'category').toLowerCase() === 'weak' ? 'weak' : 'strong');
  }
  for (const programme of childNodes(entry, 'programList').flatMap((list) => textsOf(list, 'program'))) {
    addValue(entity.programmes, programme);
  }
  for (const item of items(entry, 'dateOfBirthList', 'dateOfBirthItem')) {
    for (const date of parseOfacBirthDates(textOf(item, 'dateOfBirth'), warnings, 'dateOfBirth')) {
      addValue(entity.birthDates, date);
    }
  }
  for (const item of items(entry, 'placeOfBirthList', 'placeOfBirthItem')) {
    addValue(entity.birthPlaces, textOf(item, 'placeOfBirth'));
  }
  for (const list of ['nationalityList', 'citizenshipList']) {
    for (const item of [...items(entry, list, 'nationality'), ...items(entry, list, 'citizenship')]) {
      addCountry(entity.nationalities, textOf(item, 'country'), warnings, 'nationality');
    }
  }
  for (const vessel of childNodes(entry, 'vesselInfo')) {
    const flag = textOf(vessel, 'vesselFlag');
    if (flag !== '') addCountry(entity.countries, flag, warnings, 'vessel flag');
    const callSign = textOf(vessel, 'callSign');
    if (callSign !== '') addIdentifier(entity, 'other', callSign);
  }
  addIdentifiers(entity, entry, warnings);
  addAddresses(entity, entry, warnings);
  const remarks = textOf(entry, 'remarks');
  entity.remarks = remarks === '' ? null : remarks;
  return entity;
}

// Publish_Date is MM/DD/YYYY.
function publishDate(root: Node): string | null {
  const raw = childNodes(root, 'publshInformation').map((node) => textOf(node, 'Publish_Date'))[0] ?? '';
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  const date = match ? buildDate(Number(match[3]), Number(match[1]), Number(match[2])) : null;
  return date !== null && date.length === 10 ? date : null;
}

/** Parses an OFAC legacy XML file (SDN.XML, CONSOLIDATED.XML); sourceId = the entry's uid. */
export function parseOfacXml(file: ListFile, defaultTopics: EntityTopic[]): ParsedList {
  const warnings = createWarnings();
  const root = readXml(file, decodeText(file), { root: 'sdnList', repeated: REPEATED, listName: LIST_NAME });
  const entities = childNodes(root, 'sdnEntry').map((entry) => readEntry(entry, defaultTopics, warnings));
  const declared = childNodes(root, 'publshInformation').map((node) => textOf(node, 'Record_Count'))[0] ?? '';
  if (declared !== '' && Number(declared) !== entities.length) {
    warnings.add(`${file.name}: Record_Count says ${declared} entries, the file holds ${entities.length}`);
  }
  return finishList(file.name, entities, publishDate(root), warnings);
}
