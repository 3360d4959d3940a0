/**
 * OFAC's legacy CSV files: sdn.csv (one row per entry, required), alt.csv (aliases) and add.csv
 * (addresses), all headerless with `-0-` for "no value". Files are told apart by their width, so
 * dated names such as sdn_2024-05-03.csv work.
 */
import {
  ListFormatError,
  type EntitySchema,
  type EntityTopic,
  type ListFile,
  type ListedEntity,
  type ParsedList,
} from '../list-entity.ts';
import { decodeText, readCsvRows, type CsvRow } from './importer-files.ts';
import {
  addCountry,
  addIdentifier,
  addName,
  addValue,
  createEntity,
  createWarnings,
  finishList,
  type Warnings,
  ownValue,
} from './importer-helpers.ts';
import { applyOfacRemarks } from './ofac-remarks.ts';

type Role = 'sdn' | 'alt' | 'add';

const COLUMNS: Record<Role, number> = { sdn: 12, alt: 5, add: 6 };
const ROLE_BY_WIDTH = new Map<number, Role>([
  [12, 'sdn'],
  [5, 'alt'],
  [6, 'add'],
]);
const DESCRIPTION: Record<Role, string> = {
  sdn: 'an OFAC SDN file (sdn.csv)',
  alt: 'an OFAC alias file (alt.csv)',
  add: 'an OFAC address file (add.csv)',
};
const LIST_NAME = 'an OFAC SDN CSV file';

const SCHEMA_BY_TYPE: Record<string, EntitySchema> = {
  individual: 'person',
  vessel: 'vessel',
  aircraft: 'aircraft',
  '': 'organisation',
};

// OFAC writes "-0-" (often with a trailing space) for an empty field.
function field(row: CsvRow, index: number): string {
  const value = (row.fields[index] ?? '').trim();
  return value === '-0-' ? '' : value;
}

function entryNumber(file: ListFile, row: CsvRow): string {
  const value = field(row, 0);
  if (!/^\d+$/.test(value)) {
    throw new ListFormatError(
      `${file.name}: line ${row.line} starts with "${value.slice(0, 40)}" where an OFAC file has its ` +
        'entry number (ent_num); OFAC CSV files have no header row',
    );
  }
  return value;
}

// The role comes from the first row's width; every other row must have the same width.
function classifyFiles(files: ListFile[]): Map<Role, { file: ListFile; rows: CsvRow[] }> {
  const byRole = new Map<Role, { file: ListFile; rows: CsvRow[] }>();
  for (const file of files) {
    const rows = readCsvRows(file, decodeText(file), LIST_NAME);
    const width = rows[0]?.fields.length ?? 0;
    const role = ROLE_BY_WIDTH.get(width);
    if (role === undefined) {
      throw new ListFormatError(
        `${file.name}: line ${rows[0]?.line ?? 1} has ${width} columns; OFAC's sdn.csv has 12, ` +
          'alt.csv 5 and add.csv 6',
      );
    }
    const misfit = rows.find((row) => row.fields.length !== COLUMNS[role]);
    if (misfit) {
      throw new ListFormatError(
        `${file.name}: line ${misfit.line} has ${misfit.fields.length} columns, ${DESCRIPTION[role]} has ` +
          `${COLUMNS[role]}`,
      );
    }
    const earlier = byRole.get(role);
    if (earlier) {
      throw new ListFormatError(`${earlier.file.name} and ${file.name} are both ${DESCRIPTION[role]}`);
    }
    byRole.set(role, { file, rows });
  }
  return byRole;
}

function readEntry(file: ListFile, row: CsvRow, topics: EntityTopic[], warnings: Warnings): ListedEntity {
  const type = field(row, 2).toLowerCase();
  const schema = ownValue(SCHEMA_BY_TYPE, type);
  if (schema === undefined) warnings.add('sdn.csv: unknown SDN_Type, kept as unknown', type);
  const entity = createEntity(entryNumber(file, row), schema ?? 'unknown', topics);
  // Individuals are written "LAST, First Middle"; kept as written, the matcher handles the order.
  addName(entity, field(row, 1), 'primary');
  const program = field(row, 3).replace(/^\[|\]$/g, '');
  for (const programme of program.split('] [')) addValue(entity.programmes, programme);
  const callSign = field(row, 5);
  if (callSign !== '') addIdentifier(entity, 'other', callSign);
  const flag = field(row, 9);
  if (flag !== '') addCountry(entity.countries, flag, warnings, 'sdn.csv vessel flag');
  const remarks = field(row, 11);
  if (remarks !== '') {
    entity.remarks = remarks;
    applyOfacRemarks(entity, remarks, warnings);
  }
  return entity;
}

function joinAliases(file: ListFile, rows: CsvRow[], byId: Map<string, ListedEntity>, warnings: Warnings) {
  for (const row of rows) {
    const entity = byId.get(entryNumber(file, row));
    if (!entity) {
      warnings.add('alt.csv: aliases of entries not in sdn.csv, left out', field(row, 0));
      continue;
    }
    // alt.csv holds OFAC's strong aliases (aka, fka, nka); weak ones are in the Remarks.
    addName(entity, field(row, 3), 'strong');
  }
}

function joinAddresses(file: ListFile, rows: CsvRow[], byId: Map<string, ListedEntity>, warnings: Warnings) {
  for (const row of rows) {
    const entity = byId.get(entryNumber(file, row));
    if (!entity) {
      warnings.add('add.csv: addresses of entries not in sdn.csv, left out', field(row, 0));
      continue;
    }
    const [street, city, country] = [field(row, 2), field(row, 3), field(row, 4)];
    if (country !== '') addCountry(entity.countries, country, warnings, 'add.csv country');
    // A bare country is a country link, not an address worth matching on.
    if (street !== '' || city !== '') {
      addValue(entity.addresses, [street, city, country].filter((part) => part !== '').join(', '));
    }
  }
}

/** Parses sdn.csv with the optional alt.csv and add.csv into one list (sourceId = ent_num). */
export function parseOfacSdnCsv(files: ListFile[], defaultTopics: EntityTopic[]): ParsedList {
  const warnings = createWarnings();
  const byRole = classifyFiles(files);
  const sdn = byRole.get('sdn');
  if (!sdn) {
    const given = files.map((file) => file.name).join(', ');
    throw new ListFormatError(
      `no sdn.csv among the files (${given}): an OFAC SDN import needs the 12-column sdn.csv`,
    );
  }
  const entities = sdn.rows.map((row) => readEntry(sdn.file, row, defaultTopics, warnings));
  const byId = new Map(entities.map((entity) => [entity.sourceId, entity]));
  const alt = byRole.get('alt');
  if (alt) joinAliases(alt.file, alt.rows, byId, warnings);
  const add = byRole.get('add');
  if (add) joinAddresses(add.file, add.rows, byId, warnings);
  // sdn.csv carries no publication date.
  return finishList(sdn.file.name, entities, null, warnings);
}
