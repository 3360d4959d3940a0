// Matching on named cases: transliterated names, reordered names, legal forms, initials, joined
// words, typos, decisive identifiers and birth-date evidence. A crafted list keeps them readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEntity } from './importers/importer-helpers.ts';
import type { ListedEntity } from './list-entity.ts';
import { MatchIndex } from './match-index.ts';
import { searchIndex, type ScreeningQuery } from './match-search.ts';

function entity(
  sourceId: string,
  schema: ListedEntity['schema'],
  names: string[],
  extra: Partial<ListedEntity> = {},
): ListedEntity {
  return {
    ...createEntity(sourceId, schema, ['sanction']),
    names: names.map((full, i) => ({ full, quality: i === 0 ? 'primary' : 'strong' })),
    ...extra,
  };
}

const LIST: ListedEntity[] = [
  entity('putin', 'person', ['PUTIN, Vladimir Vladimirovich'], {
    birthDates: ['1952-10-07'],
    nationalities: ['RU'],
  }),
  entity('salek', 'person', ['ABDULHAI SALEK'], { birthDates: ['1965'] }),
  entity('mohammed-ali', 'person', ['Muhammad Ali Hassan Al-Masri'], { birthDates: ['1970-01-01'] }),
  entity('qaida', 'organisation', ['AL-QAIDA', 'Al Qaeda']),
  entity('romashka', 'organisation', ['Obshchestvo s Ogranichennoi Otvetstvennostiu Romashka Trading']),
  entity('gazprom', 'organisation', ['PAO Gazprom Neft']),
  entity('ocean-1', 'vessel', ['OCEAN STAR 1'], { identifiers: [{ type: 'imo', value: 'IMO 9123456' }] }),
  entity('juncker', 'person', ['Jean-Claude Juncker']),
  entity('khamenei', 'person', ['Ali Khamenei']),
  entity('smith', 'person', ['John William Smith'], { birthDates: ['1980-05-05'] }),
  entity('mukhtar', 'person', ['Abdul Latif Mansur'], {
    identifiers: [{ type: 'passport', value: 'OA 123456' }],
  }),
];
const index = new MatchIndex(LIST.map((item) => ({ listId: 'test-list', entity: item })));

function search(query: ScreeningQuery, threshold = 0.85) {
  return searchIndex(index, query, { threshold, limit: 10 });
}

function topId(query: ScreeningQuery, threshold = 0.85): string | undefined {
  return search(query, threshold)[0]?.sourceId;
}

test('a Cyrillic spelling finds the Latin list entry', () => {
  assert.equal(topId({ name: 'Владимир Путин' }), 'putin');
  const [hit] = search({ name: 'Владимир Путин' });
  assert.match(hit!.explanation.summary, /"putin" exact/);
});

test('an Arabic-script name finds its vocalised Latin spelling through the consonant skeleton', () => {
  const hits = search({ name: 'محمد علي حسن المصري' }, 0.7);
  assert.equal(hits[0]?.sourceId, 'mohammed-ali');
  assert.ok(hits[0]!.explanation.tokens.some((pair) => pair.method === 'skeleton'));
});

test('name order does not matter ("Last, First" = "First Last")', () => {
  assert.equal(topId({ name: 'Salek, Abdulhai' }), 'salek');
  assert.equal(topId({ name: 'Vladimir Putin' }), 'putin');
  assert.equal(search({ name: 'Salek, Abdulhai' })[0]!.score, 1);
});

test('a dropped middle name still matches, with a lower score than the full name', () => {
  const full = search({ name: 'Vladimir Vladimirovich Putin' })[0]!;
  const short = search({ name: 'Vladimir Putin' })[0]!;
  assert.equal(short.sourceId, 'putin');
  assert.ok(short.score < full.score, `${short.score} < ${full.score}`);
  assert.deepEqual(short.explanation.unmatchedListTokens, ['vladimirovich']);
});

test('one typo in a long word still matches', () => {
  assert.equal(topId({ name: 'Vladimir Vladimirovich Puitn' }), 'putin');
  assert.equal(topId({ name: 'Abdulhia Salek' }), 'salek');
});

test('legal forms are ignored: OOO spelt out, PAO, LLC', () => {
  assert.equal(topId({ name: 'ООО Ромашка Трейдинг', schema: 'organisation' }), 'romashka');
  assert.equal(topId({ name: 'Romashka Trading LLC', schema: 'organisation' }), 'romashka');
  assert.equal(topId({ name: 'Gazprom Neft PJSC' }), 'gazprom');
});

test('a joined or split word matches its other spelling', () => {
  assert.equal(topId({ name: 'ALQAIDA' }), 'qaida');
  assert.equal(topId({ name: 'Abdul Hai Salek' }), 'salek');
});

test('initials match the names they abbreviate', () => {
  assert.equal(topId({ name: 'J.-C. Juncker' }), 'juncker');
  assert.equal(topId({ name: 'A. Khamenei' }), 'khamenei');
});

test('a number in a vessel name must be equal: OCEAN STAR 2 is not OCEAN STAR 1', () => {
  assert.equal(topId({ name: 'Ocean Star 1', schema: 'vessel' }), 'ocean-1');
  assert.equal(topId({ name: 'Ocean Star 2', schema: 'vessel' }), undefined);
});

test('an identifier match is decisive, whatever the name', () => {
  const [hit] = search({ name: 'Somebody Else', identifiers: [{ value: 'oa-123456' }] });
  assert.equal(hit?.sourceId, 'mukhtar');
  assert.equal(hit.score, 1);
  assert.deepEqual(hit.explanation.identifier, { type: 'passport', value: 'OA 123456' });
  assert.match(hit.explanation.summary, /decisive/);
});

test('a short or placeholder identifier decides nothing', () => {
  assert.equal(search({ name: 'Somebody Else', identifiers: [{ value: '1234' }] }).length, 0);
});

test('a birth date far from the listed one lowers the score; an exact one raises it', () => {
  const none = search({ name: 'John William Smith' }, 0.5)[0]!;
  const exact = search({ name: 'John William Smith', birthDate: '1980-05-05' }, 0.5)[0]!;
  const far = search({ name: 'John William Smith', birthDate: '1950-01-01' }, 0.5)[0]!;
  assert.ok(exact.score > none.score || exact.score === 1);
  assert.ok(far.score < none.score, `${far.score} < ${none.score}`);
  assert.equal(far.explanation.birthDate.outcome, 'mismatch');
  assert.equal(exact.explanation.birthDate.outcome, 'exact');
  assert.equal(search({ name: 'John William Smith', birthDate: '1950-01-01' }).length, 0);
});

test('a common name that shares one word with a listed one is not a hit', () => {
  assert.equal(search({ name: 'Ali Hassan' }).length, 0);
  assert.equal(search({ name: 'John Smithson' }).length, 0);
  assert.equal(search({ name: 'Putin' }).length, 0);
});

test('a person query does not hit an organisation of the same name', () => {
  assert.equal(search({ name: 'Al Qaida', schema: 'person' }).length, 0);
});

test('every hit explains itself against the threshold', () => {
  const [hit] = search({ name: 'Vladimir Putin', birthDate: '1952', countries: ['RU'] });
  assert.equal(hit!.explanation.matchedName, 'PUTIN, Vladimir Vladimirovich');
  assert.equal(hit!.explanation.birthDate.outcome, 'same_year');
  assert.equal(hit!.explanation.country.outcome, 'match');
  assert.match(hit!.explanation.summary, /≥ threshold 0\.85$/);
});

test('a query of many repeated words is screened on its distinct words only (no work multiplier)', () => {
  assert.deepEqual(search({ name: 'Salek Abdulhai '.repeat(20) }), search({ name: 'Salek Abdulhai' }));
  assert.deepEqual(search({ name: '😍'.repeat(300) }), []);
});
