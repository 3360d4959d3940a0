// OFAC legacy XML: the real consolidated non-SDN list of 2026-01-08, and a crafted SDN.XML entry.
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
    'ofac-xml',
    [
      {
        name: 'consolidated.xml',
        bytes: readFileSync(path.join(DATA_DIR, 'ofac/consolidated_non_sdn_2026-01-08.xml')),
      },
    ],
    { defaultTopics: ['sanction'] },
  );
  return parsed;
}

test('real consolidated non-SDN list: 442 entries (79 individuals, 363 entities), published 2026-01-08', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList();
  const bySchema = Object.groupBy(list.entities, (entity) => entity.schema);
  assert.equal(list.entities.length, 442);
  assert.equal(bySchema.person?.length, 79);
  assert.equal(bySchema.organisation?.length, 363);
  assert.equal(list.publishedAt, '2026-01-08');
  assert.deepEqual(list.warnings, []);
  const weak = list.entities.flatMap((entity) => entity.names.filter((name) => name.quality === 'weak'));
  assert.equal(weak.length, 72);
});

test('real consolidated: names written "LAST, First" like the CSV, birth data from the lists', (t) => {
  if (!hasData) return t.skip(SKIP);
  const haniya = entry(realList(), '9639');
  assert.deepEqual(haniya.names, [
    { full: 'HANIYA, Ismail Abdul Salah', quality: 'primary' },
    { full: 'HANIYA, Ismail', quality: 'strong' },
    { full: 'HANIYYA, Ismaeel', quality: 'strong' },
  ]);
  assert.deepEqual(haniya.birthDates, ['1962']);
  assert.deepEqual(haniya.birthPlaces, ['Shati']);
  assert.deepEqual(haniya.programmes, ['NS-PLC']);
});

test('real consolidated: weak aka, identifiers with issuing country, OFAC non-identifiers left out', (t) => {
  if (!hasData) return t.skip(SKIP);
  const vtb = entry(realList(), '17013');
  assert.ok(
    vtb.names.some((name) => name.full === 'JSC VTB BANK NEW DELHI BRANCH' && name.quality === 'weak'),
  );
  assert.ok(vtb.identifiers.some((id) => id.type === 'swift' && id.value === 'VTBRRUMM'));
  assert.ok(
    vtb.identifiers.some((id) => id.type === 'tax_id' && id.value === '7702070139' && id.country === 'RU'),
  );
  assert.ok(vtb.identifiers.every((id) => !/Directive|sanctions/i.test(id.value)));
  assert.deepEqual(vtb.programmes, ['UKRAINE-EO13662', 'RUSSIA-EO14024']);
});

const CRAFTED = `<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation><Publish_Date>11/03/2026</Publish_Date><Record_Count>1</Record_Count></publshInformation>
  <sdnEntry>
    <uid>7</uid><lastName>SEA STAR</lastName><sdnType>Vessel</sdnType>
    <programList><program>IRAN</program></programList>
    <idList>
      <id><uid>1</uid><idType>Vessel Registration Identification</idType><idNumber>IMO 9187629</idNumber></id>
      <id><uid>2</uid><idType>Website</idType><idNumber>example.com</idNumber></id>
    </idList>
    <akaList><aka><uid>3</uid><type>f.k.a.</type><category>weak</category><lastName>STAR</lastName></aka></akaList>
    <vesselInfo><callSign>9HA1</callSign><vesselFlag>Malta</vesselFlag></vesselInfo>
  </sdnEntry>
</sdnList>`;

test('crafted SDN.XML vessel: IMO, flag, call sign, weak former name, MM/DD/YYYY publish date', () => {
  const list = parseListFiles('ofac-xml', [{ name: 'sdn.xml', bytes: Buffer.from(CRAFTED) }], {
    defaultTopics: ['sanction'],
  });
  assert.equal(list.publishedAt, '2026-11-03');
  assert.deepEqual(list.entities[0], {
    sourceId: '7',
    schema: 'vessel',
    names: [
      { full: 'SEA STAR', quality: 'primary' },
      { full: 'STAR', quality: 'weak' },
    ],
    birthDates: [],
    birthPlaces: [],
    nationalities: [],
    countries: ['MT'],
    identifiers: [
      { type: 'other', value: '9HA1' },
      { type: 'imo', value: '9187629' },
    ],
    addresses: [],
    programmes: ['IRAN'],
    topics: ['sanction'],
    listedOn: null,
    remarks: null,
  });
});
