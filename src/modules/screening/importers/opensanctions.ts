/**
 * OpenSanctions exports, recognised by content: `targets.simple.csv`, Senzing JSON lines and
 * FollowTheMoney JSON lines (the last two in opensanctions-json.ts).
 */
import { ListFormatError, type EntityTopic, type ListFile, type ParsedList } from '../list-entity.ts';
import { decodeText, readCsvTable, readJsonLines } from './importer-files.ts';
import {
  addCountry,
  addDate,
  addIdentifier,
  addName,
  addValue,
  createEntity,
  createWarnings,
  finishList,
  imoNumber,
  type Warnings,
  ownValue,
} from './importer-helpers.ts';
import { SCHEMA_BY_FTM, newerChange, parseFollowTheMoney, parseSenzing } from './opensanctions-json.ts';

const LIST_NAME = 'an OpenSanctions export (targets.simple.csv, senzing.json or entities.ftm.json)';

const REQUIRED_COLUMNS = [
  'id',
  'schema',
  'name',
  'aliases',
  'birth_date',
  'countries',
  'identifiers',
  'sanctions',
];

function splitValues(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(';')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

// The sanctions cell is quoted text, or `""` when there is none.
function sanctionText(cell: string | undefined): string {
  return (cell ?? '').replace(/^"+|"+$/g, '').trim();
}

function topicsFor(sanctions: string, defaultTopics: EntityTopic[]): EntityTopic[] {
  const topics = [...defaultTopics];
  // OpenSanctions models INTERPOL Red Notices as sanction records too; a notice is not a sanction.
  const isSanctioned = sanctions !== '' && !sanctions.startsWith('Red Notice');
  if (isSanctioned && !topics.includes('sanction')) topics.push('sanction');
  return topics;
}

function addCodes(list: string[], cell: string | undefined, warnings: Warnings) {
  // OpenSanctions writes lower-case codes, and its own for places without one (suhh, ge-ab …).
  for (const code of splitValues(cell)) {
    if (/^[a-z]{2}$/.test(code)) addCountry(list, code, warnings, 'countries');
    else warnings.add('countries: OpenSanctions code with no ISO 3166-1 code, left out', code);
  }
}

function parseTargetsCsv(file: ListFile, text: string, defaultTopics: EntityTopic[]): ParsedList {
  const warnings = createWarnings();
  const table = readCsvTable(file, text, REQUIRED_COLUMNS, 'OpenSanctions targets.simple.csv');
  let publishedAt: string | null = null;
  const entities = table.rows.map(({ values }) => {
    const schema = ownValue(SCHEMA_BY_FTM, values.schema ?? '');
    if (schema === undefined) warnings.add('unknown schema, kept as unknown', values.schema);
    const sanctions = sanctionText(values.sanctions);
    const entity = createEntity(values.id ?? '', schema ?? 'unknown', topicsFor(sanctions, defaultTopics));
    addName(entity, values.name ?? '', 'primary');
    for (const alias of splitValues(values.aliases)) addName(entity, alias, 'strong');
    for (const date of splitValues(values.birth_date)) {
      addDate(entity.birthDates, date, warnings, 'birth_date');
    }
    // The column mixes nationality, residence and registration, so none is claimed as nationality.
    addCodes(entity.countries, values.countries, warnings);
    for (const address of splitValues(values.addresses)) addValue(entity.addresses, address);
    for (const identifier of splitValues(values.identifiers)) {
      addIdentifier(entity, imoNumber(identifier) === undefined ? 'other' : 'imo', identifier);
    }
    for (const programme of splitValues(values.program_ids)) addValue(entity.programmes, programme);
    entity.remarks = sanctions === '' ? null : sanctions;
    publishedAt = newerChange(publishedAt, values.last_change);
    return entity;
  });
  return finishList(file.name, entities, publishedAt, warnings);
}

/** Parses one OpenSanctions export file of any of the three supported kinds. */
export function parseOpenSanctions(file: ListFile, defaultTopics: EntityTopic[]): ParsedList {
  const text = decodeText(file);
  const start = text.trimStart();
  if (!start.startsWith('{')) {
    if (!/^"?id"?,"?schema"?,/.test(start)) {
      throw new ListFormatError(
        `${file.name} is not ${LIST_NAME}: it is neither JSON lines nor a CSV whose header starts id,schema`,
      );
    }
    return parseTargetsCsv(file, text, defaultTopics);
  }
  const records = readJsonLines(file, text, LIST_NAME);
  const first = records[0] ?? {};
  if ('DATA_SOURCE' in first && 'RECORD_ID' in first) return parseSenzing(file, records, defaultTopics);
  if ('op' in first && 'entity' in first) {
    throw new ListFormatError(
      `${file.name} is an OpenSanctions delta file (ADD/MOD/DEL operations), not a full export; ` +
        'import entities.ftm.json or targets.simple.csv',
    );
  }
  if ('schema' in first && 'properties' in first) return parseFollowTheMoney(file, records, defaultTopics);
  throw new ListFormatError(
    `${file.name} is not ${LIST_NAME}: its first line has neither DATA_SOURCE/RECORD_ID (Senzing) ` +
      'nor schema/properties (FollowTheMoney)',
  );
}
