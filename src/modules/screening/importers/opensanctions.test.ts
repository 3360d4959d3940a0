// OpenSanctions exports: targets.simple.csv, Senzing and FollowTheMoney JSON lines, told apart by content.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { EntityTopic, ParsedList } from '../list-entity.ts';
import { parseListFiles } from './index.ts';
import { DATA_DIR, SKIP, hasData } from './importer.test-fixtures.ts';

const lists = new Map<string, ParsedList>();
function realList(relative: string, defaultTopics: EntityTopic[]): ParsedList {
  let list = lists.get(relative);
  if (list === undefined) {
    const file = {
      name: path.basename(relative),
      bytes: readFileSync(path.join(DATA_DIR, 'opensanctions', relative)),
    };
    list = parseListFiles('opensanctions', [file], { defaultTopics });
    lists.set(relative, list);
  }
  return list;
}

function crafted(name: string, text: string, defaultTopics: EntityTopic[] = ['sanction']): ParsedList {
  return parseListFiles('opensanctions', [{ name, bytes: Buffer.from(text) }], { defaultTopics });
}

test('real ua_war_sanctions targets.simple.csv: 5,600 targets by schema, vessels with IMO numbers', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList('ua_war_sanctions/targets.simple.csv', ['sanction']);
  const bySchema = Object.groupBy(list.entities, (entity) => entity.schema);
  assert.equal(list.entities.length, 5_600);
  assert.equal(bySchema.person?.length, 1_543);
  assert.equal(bySchema.vessel?.length, 1_340);
  assert.equal(bySchema.organisation?.length, 1_524 + 1_193);
  assert.equal(list.publishedAt, '2026-03-11');
  const rosalin = list.entities.find((entity) => entity.sourceId === 'NK-24cf2zYe7LEKhr2zFck73j');
  assert.deepEqual(
    rosalin?.names.map((name) => name.full),
    ['ROSALIN', 'Ceram Sea', 'Gold Sun', 'Nurkez'],
  );
  assert.deepEqual(rosalin?.identifiers, [{ type: 'imo', value: '9253325' }]);
  assert.deepEqual(rosalin?.countries, ['LR', 'PA', 'SG', 'ST']);
  assert.deepEqual(rosalin?.programmes, ['UA-WS-MARE']);
});

test('real interpol_red_notices: 6,561 persons, a Red Notice is not a sanction', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList('interpol_red_notices/targets.simple.csv', ['crime']);
  assert.equal(list.entities.length, 6_561);
  assert.ok(list.entities.every((entity) => entity.schema === 'person' && entity.topics.join() === 'crime'));
  assert.equal(list.publishedAt, '2025-05-23');
});

test('real us_congress Senzing file: 1,317 PEPs; the 2 position records are not listed persons', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList('us_congress_peps/us_congress_senzing.json', ['pep']);
  assert.equal(list.entities.length, 1_317);
  assert.ok(list.entities.every((entity) => entity.schema === 'person' && entity.topics.join() === 'pep'));
  assert.equal(list.publishedAt, '2025-12-08');
  assert.match(list.warnings.join('\n'), /RECORD_TYPE or RISKS.*: 2 \(e\.g\. Q13218630; Q4416090\)/);
  const britt = list.entities.find((entity) => entity.names[0]?.full === 'Katie Boyd Britt');
  assert.deepEqual(britt?.names[1], { full: 'Katie Britt', quality: 'strong' });
  assert.deepEqual(britt?.nationalities, ['US']);
  assert.equal(britt?.birthDates.length, 1);
});

test('real FollowTheMoney base export (yente fixture): targets only, Address entities left out', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList('delta_format_fixtures/t1/entities.ftm.json', ['sanction']);
  assert.equal(list.entities.length, 6);
  assert.equal(list.publishedAt, '2024-03-28');
  const person = list.entities.find((entity) => entity.sourceId === 'NK-2Ka3UvopqbpZmVDFjWd4LA');
  assert.equal(person?.names[0]?.full, 'Vitaly Yurievich KUZMENKO');
  assert.deepEqual(person?.birthDates, ['1971-01-22']);
  assert.deepEqual(person?.nationalities, ['RU']);
  assert.deepEqual(person?.identifiers, [{ type: 'tax_id', value: '366510784303' }]);
});

test('crafted targets.simple.csv: a sanctioned PEP keeps the list topic and gains sanction', () => {
  const header =
    'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,dataset,last_change\n';
  const list = crafted(
    'targets.simple.csv',
    `${header}p1,Person,Jane Roe,J. Roe;Jane R.,1970-01-02;1970,us;suhh,,,"""EU sanctions""",x,2026-01-02T00:00:00\n` +
      `p2,Airplane,EP-ABC,,,,,,"""""",x,2025-01-01T00:00:00\n`,
    ['pep'],
  );
  assert.deepEqual(
    list.entities.map((entity) => [
      entity.sourceId,
      entity.schema,
      entity.topics,
      entity.birthDates,
      entity.countries,
    ]),
    [
      ['p1', 'person', ['pep', 'sanction'], ['1970-01-02', '1970'], ['US']],
      ['p2', 'aircraft', ['pep'], [], []],
    ],
  );
  assert.equal(list.publishedAt, '2026-01-02');
  assert.match(list.warnings.join('\n'), /no ISO 3166-1 code.*: 1 \(e\.g\. suhh\)/);
});

test('crafted FollowTheMoney lines: weak aliases, topics, identifiers and resolved addresses', () => {
  const lines = [
    { id: 'a1', schema: 'Address', properties: { full: ['1 Main St, Riga'] } },
    {
      id: 'c1',
      caption: 'ACME SIA',
      schema: 'Company',
      properties: {
        name: ['ACME SIA'],
        weakAlias: ['ACME'],
        topics: ['crime.fin', 'sanction'],
        registrationNumber: ['4000'],
        country: ['lv'],
        addressEntity: ['a1'],
      },
      last_change: '2024-05-01T00:00:00',
    },
    { id: 's1', schema: 'Sanction', properties: { entity: ['c1'] } },
  ];
  const list = crafted('entities.ftm.json', lines.map((line) => JSON.stringify(line)).join('\n'));
  assert.deepEqual(list.entities, [
    {
      sourceId: 'c1',
      schema: 'organisation',
      names: [
        { full: 'ACME SIA', quality: 'primary' },
        { full: 'ACME', quality: 'weak' },
      ],
      birthDates: [],
      birthPlaces: [],
      nationalities: [],
      countries: ['LV'],
      identifiers: [{ type: 'registration', value: '4000' }],
      addresses: ['1 Main St, Riga'],
      programmes: [],
      topics: ['crime', 'sanction'],
      listedOn: null,
      remarks: null,
    },
  ]);
});
