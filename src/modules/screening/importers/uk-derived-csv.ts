/**
 * A third party's re-tabulation of the FCDO UK Sanctions List (covyr/uk-sanctions-list): five CSV
 * files keyed on `unique_id` (e.g. `RUS0001`). subjects.csv and subject_names.csv are required;
 * dates of birth, identifiers and countries are optional. Files are recognised by their header.
 */
import {
  ListFormatError,
  type EntitySchema,
  type EntityTopic,
  type ListFile,
  type ListedEntity,
  type NameQuality,
  type ParsedList,
} from '../list-entity.ts';
import { lookUpCountryName } from './country-names.ts';
import { decodeText, readCsvRows, toCsvTable, type CsvTable } from './importer-files.ts';
import {
  addCountry,
  addIdentifier,
  addName,
  addValue,
  buildDate,
  createEntity,
  createWarnings,
  dayMonthYear,
  finishList,
  laterDate,
  type IdentifierType,
  type Warnings,
  ownValue,
} from './importer-helpers.ts';

type Role = 'subjects' | 'names' | 'dobs' | 'identifiers' | 'countries';

// The column that tells each file apart, then the columns the importer reads from it.
const ROLES: { role: Role; file: string; marker: string; required: string[] }[] = [
  {
    role: 'subjects',
    file: 'subjects.csv',
    marker: 'subject_type',
    required: ['date_designated', 'last_updated'],
  },
  {
    role: 'names',
    file: 'subject_names.csv',
    marker: 'name_type',
    required: ['alias_strength', 'full_name'],
  },
  { role: 'dobs', file: 'subject_dobs.csv', marker: 'precision', required: ['year', 'month', 'day'] },
  {
    role: 'identifiers',
    file: 'subject_identifiers.csv',
    marker: 'identifier_type',
    required: ['raw_value'],
  },
  {
    role: 'countries',
    file: 'subject_countries.csv',
    marker: 'country_type',
    required: ['raw_value', 'iso'],
  },
];
const LIST_NAME = 'the derived UK Sanctions List';

const SCHEMA_BY_TYPE: Record<string, EntitySchema> = {
  individual: 'person',
  entity: 'organisation',
  ship: 'vessel',
};

const IDENTIFIER_TYPES: Record<string, IdentifierType> = {
  passport: 'passport',
  national: 'national_id',
  business_registration_numbers: 'registration',
  imo: 'imo',
};

// Primary names first, so the first name added is the entry's primary one.
const NAME_ORDER: Record<string, number> = { primary: 0, primary_variation: 1, alias: 2 };

function classifyFiles(files: ListFile[]): Map<Role, { file: ListFile; table: CsvTable }> {
  const byRole = new Map<Role, { file: ListFile; table: CsvTable }>();
  for (const file of files) {
    const rows = readCsvRows(file, decodeText(file), LIST_NAME);
    const header = (rows[0]?.fields ?? []).map((column) => column.trim());
    const spec = ROLES.find(({ marker }) => header.includes(marker));
    if (spec === undefined) {
      throw new ListFormatError(
        `${file.name} is not a file of ${LIST_NAME} (${ROLES.map((role) => role.file).join(', ')}): ` +
          `its header is ${header.slice(0, 8).join(', ')}`,
      );
    }
    if (byRole.has(spec.role)) {
      throw new ListFormatError(`${byRole.get(spec.role)?.file.name} and ${file.name} are both ${spec.file}`);
    }
    const table = toCsvTable(file, rows, ['unique_id', spec.marker, ...spec.required], `${spec.file}`);
    byRole.set(spec.role, { file, table });
  }
  return byRole;
}

function nameQuality(nameType: string, strength: string): NameQuality {
  if (nameType === 'primary') return 'primary';
  return strength === 'low_quality_aka' ? 'weak' : 'strong';
}

type Join = { rows: CsvTable['rows']; byId: Map<string, ListedEntity>; warnings: Warnings; file: string };

// Calls `apply` for each row whose subject exists; rows of unknown subjects are counted.
function joinRows(
  { rows, byId, warnings, file }: Join,
  apply: (entity: ListedEntity, row: Record<string, string>) => void,
) {
  for (const { values } of rows) {
    const entity = byId.get(values.unique_id ?? '');
    if (entity) apply(entity, values);
    else warnings.add(`${file}: rows of subjects not in subjects.csv, left out`, values.unique_id);
  }
}

function countryCode(row: Record<string, string>, warnings: Warnings): string | undefined {
  // The table's own `iso` column already resolves names like "Former USSR Currently Ukraine".
  const iso = row.iso ?? '';
  if (/^[A-Z]{2}$/.test(iso)) return iso;
  const codes: string[] = [];
  addCountry(codes, row.raw_value ?? '', warnings, 'subject_countries.csv');
  return codes[0];
}

function readSubjects(table: CsvTable, topics: EntityTopic[], warnings: Warnings) {
  let publishedAt: string | null = null;
  const entities = table.rows.map(({ values }) => {
    const type = (values.subject_type ?? '').toLowerCase();
    const schema = ownValue(SCHEMA_BY_TYPE, type);
    if (schema === undefined) warnings.add('subjects.csv: unknown subject_type, kept as unknown', type);
    const id = values.unique_id ?? '';
    const entity = createEntity(id, schema ?? 'unknown', topics);
    entity.listedOn = dayMonthYear(values.date_designated ?? '');
    if (entity.listedOn === null && values.date_designated) {
      warnings.add(
        'subjects.csv: date_designated that is not a possible date, left out',
        values.date_designated,
      );
    }
    // The id's letters are the regime's code (RUS, AFG, CYB …).
    addValue(entity.programmes, /^[A-Z]+/.exec(id)?.[0] ?? '');
    publishedAt = laterDate(publishedAt, dayMonthYear(values.last_updated ?? ''));
    return entity;
  });
  return { entities, publishedAt };
}

function joinDetails(
  byRole: ReturnType<typeof classifyFiles>,
  byId: Map<string, ListedEntity>,
  warnings: Warnings,
) {
  const join = (role: Role, apply: (entity: ListedEntity, row: Record<string, string>) => void) => {
    const found = byRole.get(role);
    if (found) joinRows({ rows: found.table.rows, byId, warnings, file: found.file.name }, apply);
  };
  join('dobs', (entity, row) => {
    if ((row.year ?? '') === '') return;
    const date = buildDate(Number(row.year), Number(row.month || 0), Number(row.day || 0));
    if (date === null) warnings.add('subject_dobs.csv: date that is not possible, left out', row.dob_id);
    else addValue(entity.birthDates, date);
  });
  join('identifiers', (entity, row) => {
    const type = ownValue(IDENTIFIER_TYPES, row.identifier_type ?? '') ?? 'other';
    // additional_info is free text; it is the issuing country only when it is exactly a country.
    const issuer = lookUpCountryName(row.additional_info ?? '');
    addIdentifier(entity, type, row.raw_value ?? '', typeof issuer === 'string' ? issuer : undefined);
  });
  join('countries', (entity, row) => {
    const code = countryCode(row, warnings);
    if (code === undefined) return;
    // Nationality is a nationality; birth and address countries are other country links.
    const list = row.country_type === 'nationality' ? entity.nationalities : entity.countries;
    if (!list.includes(code)) list.push(code);
  });
}

/** Parses the derived UK Sanctions List CSVs; sourceId = unique_id. */
export function parseUkDerivedCsv(files: ListFile[], defaultTopics: EntityTopic[]): ParsedList {
  const warnings = createWarnings();
  const byRole = classifyFiles(files);
  const subjects = byRole.get('subjects');
  const names = byRole.get('names');
  if (!subjects || !names) {
    const missing = [subjects ? '' : 'subjects.csv', names ? '' : 'subject_names.csv'].filter(Boolean);
    const given = files.map((file) => file.name).join(', ');
    const its = missing.length > 1 ? 'their' : 'its';
    throw new ListFormatError(
      `${LIST_NAME} needs ${missing.join(' and ')}, but no file given (${given}) has ${its} columns`,
    );
  }
  const { entities, publishedAt } = readSubjects(subjects.table, defaultTopics, warnings);
  const byId = new Map(entities.map((entity) => [entity.sourceId, entity]));
  const nameRows = [...names.table.rows].sort(
    (a, b) =>
      (ownValue(NAME_ORDER, a.values.name_type ?? '') ?? 3) -
      (ownValue(NAME_ORDER, b.values.name_type ?? '') ?? 3),
  );
  joinRows({ rows: nameRows, byId, warnings, file: names.file.name }, (entity, row) =>
    addName(entity, row.full_name ?? '', nameQuality(row.name_type ?? '', row.alias_strength ?? '')),
  );
  joinDetails(byRole, byId, warnings);
  return finishList(subjects.file.name, entities, publishedAt, warnings);
}
