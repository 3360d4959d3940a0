// UN Security Council consolidated XML: the real lists of 2026-01-28 and 2026-02-27.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { hashEntity, type ParsedList } from '../list-entity.ts';
import { parseListFiles } from './index.ts';
import { DATA_DIR, SKIP, hasData, entry } from './importer.test-fixtures.ts';

const lists = new Map<string, ParsedList>();
function realList(date: string): ParsedList {
  let list = lists.get(date);
  if (list === undefined) {
    const bytes = readFileSync(path.join(DATA_DIR, `un/consolidated_${date}.xml`));
    list = parseListFiles('un-xml', [{ name: 'consolidated.xml', bytes }], { defaultTopics: ['sanction'] });
    lists.set(date, list);
  }
  return list;
}

test('real UN list of 2026-02-27: 730 persons and 273 organisations, published 2026-02-27', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList('2026-02-27');
  const bySchema = Object.groupBy(list.entities, (entity) => entity.schema);
  assert.equal(bySchema.person?.length, 730);
  assert.equal(bySchema.organisation?.length, 273);
  assert.equal(list.publishedAt, '2026-02-27');
  const originalScript = list.entities.filter((entity) =>
    entity.names.some((name) => /[^\p{Script=Latin}\p{P}\p{N}\s]/u.test(name.full)),
  );
  assert.ok(originalScript.length >= 370, `${originalScript.length} entries with a non-Latin name`);
});

test('real UN list: the delta to 2026-01-28 is the four Sudan designations SDi.007–SDi.010', (t) => {
  if (!hasData) return t.skip(SKIP);
  const earlier = new Map(
    realList('2026-01-28').entities.map((entity) => [entity.sourceId, hashEntity(entity)]),
  );
  const later = realList('2026-02-27').entities;
  assert.deepEqual(
    later.filter((entity) => !earlier.has(entity.sourceId)).map((entity) => entity.sourceId),
    ['SDi.007', 'SDi.008', 'SDi.009', 'SDi.010'],
  );
  assert.ok(
    later.every(
      (entity) => !earlier.has(entity.sourceId) || earlier.get(entity.sourceId) === hashEntity(entity),
    ),
  );
});

test('real UN list: original-script name, weak "Low" alias, birth data, listing date, programme', (t) => {
  if (!hasData) return t.skip(SKIP);
  const saddam = entry(realList('2026-02-27'), 'IQi.001');
  assert.deepEqual(saddam.names, [
    { full: 'SADDAM HUSSEIN AL-TIKRITI', quality: 'primary' },
    { full: 'صدام حسين التكريتي', quality: 'strong' },
    { full: 'Abu Ali', quality: 'weak' },
  ]);
  assert.deepEqual(saddam.birthDates, ['1937-04-28']);
  assert.deepEqual(saddam.birthPlaces, ['al-Awja, near Tikrit, Iraq']);
  assert.deepEqual(saddam.nationalities, ['IQ']);
  assert.equal(saddam.listedOn, '2003-06-27');
  assert.deepEqual(saddam.programmes, ['Iraq']);
});

test('real UN list: BETWEEN birth years listed one by one; documents typed with their issuer', (t) => {
  if (!hasData) return t.skip(SKIP);
  const list = realList('2026-02-27');
  assert.deepEqual(entry(list, 'CDi.042').birthDates, ['1987', '1988', '1991', '1992', '1993']);
  const withPassport = list.entities.find((entity) =>
    entity.identifiers.some((id) => id.type === 'passport' && id.value === 'OB 0243318'),
  );
  assert.deepEqual(
    withPassport?.identifiers.find((id) => id.value === 'OB 0243318'),
    { type: 'passport', value: 'OB 0243318', country: 'CD' },
  );
  const adf = entry(list, 'CDe.001');
  assert.equal(adf.schema, 'organisation');
  assert.ok(
    adf.names.some(
      (name) => name.full === 'Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda',
    ),
  );
  assert.deepEqual(adf.addresses, ['North Kivu, Democratic Republic of the Congo']);
});

test('the same bytes always give the same entities in the same order', (t) => {
  if (!hasData) return t.skip(SKIP);
  const bytes = readFileSync(path.join(DATA_DIR, 'un/consolidated_2026-02-27.xml'));
  const again = parseListFiles('un-xml', [{ name: 'consolidated.xml', bytes }], {
    defaultTopics: ['sanction'],
  });
  assert.deepEqual(again, realList('2026-02-27'));
});
