// The derived EU FSF table (pakote_data all.json): only the EU entries are imported.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ParsedList } from '../list-entity.ts';
import { parseListFiles } from './index.ts';
import { DATA_DIR, SKIP, hasData, entry } from './importer.test-fixtures.ts';

let parsed: ParsedList | undefined;
function realList(): ParsedList {
  parsed ??= parseListFiles(
    'eu-derived-json',
    [{ name: 'all.json', bytes: readFileSync(path.join(DATA_DIR, 'eu_derived/pakote_all_2026-01-28.json')) }],
    { defaultTopics: ['sanction'] },
  );
  return parsed;
}

test('real derived EU table: the 5,795 EU entries (4,302 persons, 1,493 organisations), generated 2026-01-28', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList();
  const bySchema = Object.groupBy(list.entities, (entity) => entity.schema);
  assert.equal(list.entities.length, 5_795);
  assert.equal(bySchema.person?.length, 4_302);
  assert.equal(bySchema.organisation?.length, 1_493);
  assert.equal(list.publishedAt, '2026-01-28');
  assert.deepEqual(list.warnings, []);
});

test('real derived EU table: aliases, birth dates and typed identifiers', (t) => {
  if (!hasData) return t.skip(SKIP);
  const saddam = entry(realList(), '13');
  assert.deepEqual(saddam.names, [
    { full: 'Saddam Hussein Al-Tikriti', quality: 'primary' },
    { full: 'Abu Ali', quality: 'strong' },
    { full: 'Abou Ali', quality: 'strong' },
  ]);
  assert.deepEqual(saddam.birthDates, ['1937-04-28']);
  const types = new Set(realList().entities.flatMap((entity) => entity.identifiers.map((id) => id.type)));
  assert.deepEqual([...types].sort(), [
    'imo',
    'national_id',
    'other',
    'passport',
    'registration',
    'swift',
    'tax_id',
  ]);
});

test('real derived EU table: an EU entry merged with OFAC keeps identifiers, not OFAC’s directive notes', (t) => {
  if (!hasData) return t.skip(SKIP);
  const company = entry(realList(), '137721');
  assert.deepEqual(company.identifiers, [
    { type: 'registration', value: '1097746068012' },
    { type: 'tax_id', value: '7704721192' },
    { type: 'registration', value: '60390527', country: 'RU' },
  ]);
  assert.ok(company.names.some((name) => name.full === 'АО НПО Высокоточные комплексы'));
});

test('crafted table: UN-only and OFAC-only entries are left to their own importers', () => {
  const document = {
    metadata: { generated: '2026-11-01T06:00:00Z' },
    entities: [
      {
        name: 'Only UN',
        type: 'individual',
        aliases: [],
        birthdates: [],
        identifiers: [],
        source: ['UN'],
        source_id: 'QDi.1',
      },
      {
        name: 'Both',
        type: 'entity',
        aliases: ['Both Ltd'],
        birthdates: [],
        identifiers: [{ type: 'imo', number: 'IMO 9187629', country: '00' }],
        source: ['EU', 'UN'],
        source_id: '42',
      },
    ],
  };
  const list = parseListFiles(
    'eu-derived-json',
    [{ name: 'all.json', bytes: Buffer.from(JSON.stringify(document)) }],
    {
      defaultTopics: ['sanction'],
    },
  );
  assert.deepEqual(
    list.entities.map((entity) => [entity.sourceId, entity.schema, entity.identifiers]),
    [['42', 'organisation', [{ type: 'imo', value: '9187629' }]]],
  );
  assert.equal(list.publishedAt, '2026-11-01');
});
