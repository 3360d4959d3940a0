// The derived UK Sanctions List CSVs (covyr/uk-sanctions-list, April 2026).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ParsedList } from '../list-entity.ts';
import { parseListFiles } from './index.ts';
import { DATA_DIR, SKIP, hasData, entry } from './importer.test-fixtures.ts';

const UK_DIR = path.join(DATA_DIR, 'uk/uk_sanctions_list_2026-04_derived');

let parsed: ParsedList | undefined;
function realList(): ParsedList {
  const files = () =>
    readdirSync(UK_DIR).map((name) => ({ name, bytes: readFileSync(path.join(UK_DIR, name)) }));
  parsed ??= parseListFiles('uk-derived-csv', files(), { defaultTopics: ['sanction'] });
  return parsed;
}

test('real UK list: 6,046 subjects (3,883 persons, 1,531 organisations, 632 vessels), updated 2026-04-29', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList();
  const bySchema = Object.groupBy(list.entities, (entity) => entity.schema);
  assert.equal(list.entities.length, 6_046);
  assert.equal(bySchema.person?.length, 3_883);
  assert.equal(bySchema.organisation?.length, 1_531);
  assert.equal(bySchema.vessel?.length, 632);
  assert.equal(list.publishedAt, '2026-04-29');
  const weak = list.entities.flatMap((entity) => entity.names.filter((name) => name.quality === 'weak'));
  assert.equal(weak.length, 605);
});

test('real UK list: names by quality, dates of birth, national ids, nationality vs other countries', (t) => {
  if (!hasData) return t.skip(SKIP);
  const subject = entry(realList(), 'AFG0012');
  assert.deepEqual(subject.names, [
    { full: 'Shams Ur-Rahman ABDUL ZAHIR', quality: 'primary' },
    { full: 'Shamsurrahman Abdurahman', quality: 'strong' },
    { full: 'Shams ur-Rahman Sher Alam', quality: 'weak' },
    { full: 'Shams-u-Rahman', quality: 'strong' },
    { full: 'Shamsurrahman', quality: 'strong' },
  ]);
  assert.deepEqual(subject.birthDates, ['1963', '1956', '1957']);
  assert.deepEqual(subject.identifiers, [
    { type: 'national_id', value: '2132370' },
    { type: 'national_id', value: '812673' },
  ]);
  assert.deepEqual(subject.nationalities, ['AF']);
  assert.equal(subject.listedOn, '2001-02-23');
  assert.deepEqual(subject.programmes, ['AFG']);
});

test('real UK list: a ship with its IMO number', (t) => {
  if (!hasData) return t.skip(SKIP);
  const ship = entry(realList(), 'DPR0075');
  assert.equal(ship.schema, 'vessel');
  assert.equal(ship.names[0]?.full, 'Petrel 8');
  assert.deepEqual(ship.identifiers, [{ type: 'imo', value: '9562233' }]);
});

const SUBJECTS = 'unique_id,subject_type,un_reference_number,ofsi_group_id,date_designated,last_updated\n';
const NAMES =
  'name_id,unique_id,name_type,alias_strength,full_name,name_6,name_1,name_2,name_3,name_4,name_5\n';

test('crafted files under other names: recognised by header; primary first whatever the row order', () => {
  const list = parseListFiles(
    'uk-derived-csv',
    [
      {
        name: 'names-2026.csv',
        bytes: Buffer.from(
          `${NAMES}1,RUS0001,alias,low_quality_aka,Ivan,,,,,,\n2,RUS0001,primary,,Ivan IVANOV,,,,,,\n`,
        ),
      },
      {
        name: 'subjects-2026.csv',
        bytes: Buffer.from(`${SUBJECTS}RUS0001,individual,,1,31/02/2022,01/11/2026\n`),
      },
      {
        name: 'countries.csv',
        bytes: Buffer.from(
          'id,unique_id,raw_value,country_type,iso,resolution_method,iso_available\n' +
            '1,RUS0001,Russia,nationality,RU,direct,True\n2,RUS0001,Former USSR,birth,,unmapped,False\n' +
            '3,XXX0001,Russia,address,RU,direct,True\n',
        ),
      },
    ],
    { defaultTopics: ['sanction'] },
  );
  const [subject] = list.entities;
  assert.deepEqual(subject?.names, [
    { full: 'Ivan IVANOV', quality: 'primary' },
    { full: 'Ivan', quality: 'weak' },
  ]);
  assert.deepEqual(subject?.nationalities, ['RU']);
  assert.equal(subject?.listedOn, null, '31 February is not a date');
  assert.equal(list.publishedAt, '2026-11-01');
  assert.equal(list.warnings.length, 3, list.warnings.join('\n'));
});
