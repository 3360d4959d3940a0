// OFAC sdn.csv + alt.csv + add.csv: the real 2024 list, and the Remarks parser on crafted rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ListFile, ParsedList } from '../list-entity.ts';
import { parseListFiles } from './index.ts';
import { DATA_DIR, SKIP, hasData, entry } from './importer.test-fixtures.ts';

function realFile(relative: string): ListFile {
  return { name: path.basename(relative), bytes: readFileSync(path.join(DATA_DIR, relative)) };
}

let parsed: ParsedList | undefined;
// The big files are parsed once for all tests in this file.
function realList(): ParsedList {
  parsed ??= parseListFiles(
    'ofac-sdn-csv',
    [realFile('ofac/sdn_2024-05-03.csv'), realFile('ofac/alt_2026-06.csv'), realFile('ofac/add_2026-06.csv')],
    { defaultTopics: ['sanction'] },
  );
  return parsed;
}

test('real sdn_2024-05-03: 14,965 entries by type, sorted by ent_num, no publication date', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList();
  const bySchema = Object.groupBy(list.entities, (entity) => entity.schema);
  assert.equal(list.entities.length, 14_965);
  assert.equal(bySchema.person?.length, 6_854);
  assert.equal(bySchema.vessel?.length, 851);
  assert.equal(bySchema.aircraft?.length, 376);
  assert.equal(bySchema.organisation?.length, 6_884);
  assert.equal(list.publishedAt, null);
  assert.equal(list.entities[0]?.sourceId, '36');
  assert.equal(list.entities.at(-1)?.sourceId, '48907');
  assert.ok(
    list.entities.every(
      (entity) => entity.topics.join() === 'sanction' && entity.names[0]?.quality === 'primary',
    ),
  );
});

test('real sdn: the 2026 alias and address rows of entries designated after May 2024 are counted', (t) => {
  if (!hasData) return t.skip(SKIP);
  const { warnings } = realList();
  assert.ok(
    warnings.some((warning) =>
      /^alt\.csv: aliases of entries not in sdn\.csv, left out: 2727 /.test(warning),
    ),
  );
  assert.ok(
    warnings.some((warning) =>
      /^add\.csv: addresses of entries not in sdn\.csv, left out: 5598 /.test(warning),
    ),
  );
});

test('real sdn: weak alias from Remarks, strong alias from alt.csv, addresses from add.csv', (t) => {
  if (!hasData) return t.skip(SKIP);
  const bank = entry(realList(), '306');
  assert.deepEqual(bank.names, [
    { full: 'BANCO NACIONAL DE CUBA', quality: 'primary' },
    { full: 'BNC', quality: 'weak' },
    { full: 'NATIONAL BANK OF CUBA', quality: 'strong' },
  ]);
  assert.ok(bank.addresses.includes('Zweierstrasse 35, Zurich CH-8022, Switzerland'));
  assert.deepEqual(bank.countries, ['CH', 'ES', 'JP', 'PA']);
  assert.deepEqual(bank.programmes, ['CUBA']);
});

test('real sdn: birth date, place, nationality and documents from an individual’s Remarks', (t) => {
  if (!hasData) return t.skip(SKIP);
  const minister = entry(realList(), '31945');
  assert.equal(minister.names[0]?.full, 'SHEIN, Win');
  assert.deepEqual(minister.birthDates, ['1957-07-31']);
  assert.deepEqual(minister.birthPlaces, ['Mandalay, Burma']);
  assert.deepEqual(minister.nationalities, ['MM']);
  assert.deepEqual(minister.identifiers, [
    { type: 'passport', value: 'DM001478', country: 'MM' },
    { type: 'national_id', value: '12DAGANA011336', country: 'MM' },
  ]);
});

test('real sdn: a vessel’s IMO number, flag and former names; an entity’s registration numbers', (t) => {
  if (!hasData) return t.skip(SKIP);
  const vessel = entry(realList(), '4243');
  assert.equal(vessel.schema, 'vessel');
  assert.deepEqual(vessel.identifiers, [{ type: 'imo', value: '7406784' }]);
  assert.deepEqual(vessel.countries, ['PA']);
  assert.deepEqual(
    vessel.names.map((name) => name.full),
    ['EBANO', 'ANA I', 'SAND SWAN'],
  );
  const company = entry(realList(), '44239');
  assert.deepEqual(company.identifiers, [
    { type: 'tax_id', value: 'DE349865878', country: 'DE' },
    { type: 'registration', value: 'HRA 738569', country: 'DE' },
  ]);
  assert.deepEqual(entry(realList(), '12169').programmes, ['SDNTK']);
  assert.deepEqual(entry(realList(), '12888').birthDates, ['1963']);
});

const CRAFTED_SDN = [
  '1,"DOE, John",individual,"SDGT] [IRGC",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,' +
    '"DOB circa 1960 to 1962; alt. DOB 12 Mar 1961; POB Tehran, Iran; nationality Iran; alt. citizen Iraq; ' +
    "Passport A123 (Iran) issued 01 Jan 2010; f.k.a. 'JOHNNY'; a.k.a. 'ABU MUS'AB'; Gender Male.\"",
  '2,"SHIP ONE",vessel,IRAN,-0- ,"ABC1",Tanker,-0- ,-0- ,"Korea, North",-0- ,"Identification Number IMO 1234567."',
  '\u001a',
].join('\r\n');

test('crafted sdn.csv under a dated name: Remarks parsed, alt and add joined by width', () => {
  const list = parseListFiles(
    'ofac-sdn-csv',
    [
      { name: 'ALT_2026.CSV', bytes: Buffer.from('1,10,"aka","DOE, Johnny",-0- \r\n') },
      { name: 'sdn_2026-11-01.csv', bytes: Buffer.from(CRAFTED_SDN) },
      { name: 'addresses.csv', bytes: Buffer.from('2,20,-0- ,"Pyongyang","Korea, North",-0- \r\n') },
    ],
    { defaultTopics: ['sanction'] },
  );
  const [person, ship] = list.entities;
  assert.deepEqual(person?.names, [
    { full: 'DOE, John', quality: 'primary' },
    { full: 'JOHNNY', quality: 'weak' },
    { full: "ABU MUS'AB", quality: 'weak' },
    { full: 'DOE, Johnny', quality: 'strong' },
  ]);
  assert.deepEqual(person?.birthDates, ['1960', '1961', '1962', '1961-03-12']);
  assert.deepEqual(person?.birthPlaces, ['Tehran, Iran']);
  assert.deepEqual(person?.nationalities, ['IR', 'IQ']);
  assert.deepEqual(person?.identifiers, [{ type: 'passport', value: 'A123', country: 'IR' }]);
  assert.deepEqual(person?.programmes, ['SDGT', 'IRGC']);
  assert.deepEqual(ship?.identifiers, [
    { type: 'other', value: 'ABC1' },
    { type: 'imo', value: '1234567' },
  ]);
  assert.deepEqual(ship?.countries, ['KP']);
  assert.deepEqual(ship?.addresses, ['Pyongyang, Korea, North']);
  assert.deepEqual(list.warnings, []);
});
