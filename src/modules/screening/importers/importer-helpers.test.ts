// The shared normalisation rules: dates, countries, names and list finishing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListFormatError } from '../list-entity.ts';
import { lookUpCountryName } from './country-names.ts';
import { decodeText } from './importer-files.ts';
import {
  addIdentifier,
  addName,
  createEntity,
  createWarnings,
  finishList,
  listYears,
  normaliseDate,
  ownValue,
  toCountryCode,
} from './importer-helpers.ts';
import { parseOfacBirthDates, splitIdentifierText } from './ofac-remarks.ts';

const dates: [string, string | null][] = [
  ['1960', '1960'],
  ['1960-03', '1960-03'],
  ['1960-03-12', '1960-03-12'],
  ['1960-03-12T00:00:00', '1960-03-12'],
  ['1970-00-00', '1970'],
  ['12 Mar 1960', '1960-03-12'],
  ['Mar 1960', '1960-03'],
  ['Nov. 1973', '1973-11'],
  ['1960-02-30', null],
  ['1961-13-01', null],
  ['0213', null],
  ['31 Apr 1980', null],
  ['30-35 years old', null],
  ['1960 to 1962', null],
];

for (const [raw, expected] of dates) {
  test(`normaliseDate(${JSON.stringify(raw)}) is ${expected}`, () => {
    assert.equal(normaliseDate(raw), expected);
  });
}

test('OFAC birth dates: circa, ranges as each year, a range inside one month as the month', () => {
  const warnings = createWarnings();
  assert.deepEqual(parseOfacBirthDates('circa 1960', warnings, 'test'), ['1960']);
  assert.deepEqual(parseOfacBirthDates('1960 to 1962', warnings, 'test'), ['1960', '1961', '1962']);
  assert.deepEqual(parseOfacBirthDates('circa 1971-1972', warnings, 'test'), ['1971', '1972']);
  assert.deepEqual(parseOfacBirthDates('01 Mar 1960 to 31 Mar 1960', warnings, 'test'), ['1960-03']);
  assert.deepEqual(parseOfacBirthDates('01 Jan 1960 to 31 Dec 1961', warnings, 'test'), ['1960', '1961']);
  assert.deepEqual(warnings.list(), []);
  assert.deepEqual(parseOfacBirthDates('31 Feb 1960', warnings, 'test'), []);
  assert.match(warnings.list()[0] ?? '', /not a possible date.*: 1 \(e\.g\. 31 Feb 1960\)/);
});

test('a birth-year range over 20 years keeps only its ends, with a warning', () => {
  const warnings = createWarnings();
  assert.deepEqual(listYears(1950, 1990, warnings, 'test'), ['1950', '1990']);
  assert.equal(warnings.list().length, 1);
});

const countries: [string, string | null | undefined][] = [
  ['Korea, North', 'KP'],
  ["Democratic People's Republic of Korea", 'KP'],
  ['Iran (Islamic Republic of)', 'IR'],
  ['Türkiye', 'TR'],
  ['Bahamas, The', 'BS'],
  ['St. Kitts & Nevis', 'KN'],
  ['Congo, Democratic Republic of the', 'CD'],
  ['Congo', 'CG'],
  ['Burma', 'MM'],
  ['Palestinian', 'PS'],
  ['Kosovo', 'XK'],
  ['None Identified', null],
  ['Region: Crimea', undefined],
  ['former Soviet Union', undefined],
];

for (const [name, code] of countries) {
  test(`country ${JSON.stringify(name)} is ${code}`, () => {
    assert.equal(lookUpCountryName(name), code);
  });
}

test('country codes pass in any case; unknown names and codes give nothing and a warning', () => {
  const warnings = createWarnings();
  assert.equal(toCountryCode('ru', warnings, 'test'), 'RU');
  assert.equal(toCountryCode('Russia', warnings, 'test'), 'RU');
  assert.equal(toCountryCode('QQ', warnings, 'test'), undefined);
  assert.equal(toCountryCode('Atlantis', warnings, 'test'), undefined);
  assert.deepEqual(warnings.list(), [
    'test: country not mapped to an ISO code, left out: 2 (e.g. QQ; Atlantis)',
  ]);
});

test('names: trimmed, deduplicated keeping the best quality, one primary only', () => {
  const entity = createEntity('1', 'person', ['sanction']);
  addName(entity, '  DOE,  John ', 'primary');
  addName(entity, 'JD', 'weak');
  addName(entity, 'JD', 'strong');
  addName(entity, 'DOE, John', 'weak');
  addName(entity, 'John Doe', 'primary');
  addName(entity, '   ', 'strong');
  assert.deepEqual(entity.names, [
    { full: 'DOE, John', quality: 'primary' },
    { full: 'JD', quality: 'strong' },
    { full: 'John Doe', quality: 'strong' },
  ]);
});

test('identifiers: IMO numbers keep their seven digits, duplicates are dropped', () => {
  const entity = createEntity('1', 'vessel', ['sanction']);
  addIdentifier(entity, 'imo', 'IMO 9253325');
  addIdentifier(entity, 'imo', 'IMO9253325');
  addIdentifier(entity, 'passport', 'A1', 'DE');
  addIdentifier(entity, 'passport', 'A1', 'FR');
  assert.deepEqual(entity.identifiers, [
    { type: 'imo', value: '9253325' },
    { type: 'passport', value: 'A1', country: 'DE' },
    { type: 'passport', value: 'A1', country: 'FR' },
  ]);
});

test('OFAC identifier text: value, then the last parenthesised country', () => {
  assert.deepEqual(splitIdentifierText('HRA 738569 (Stuttgart) (Germany)'), {
    value: 'HRA 738569',
    countryName: 'Germany',
  });
  assert.deepEqual(splitIdentifierText('DM001478 (Burma) issued 10 Sep 2012 expires 09 Sep 2022'), {
    value: 'DM001478',
    countryName: 'Burma',
  });
  assert.equal(splitIdentifierText('issued in Sarajevo').value, '');
});

test('finishing a list: sorted by source id (numbers as numbers), duplicates merged with a warning', () => {
  const warnings = createWarnings();
  const make = (id: string, name: string) => {
    const entity = createEntity(id, 'organisation', ['sanction']);
    addName(entity, name, 'primary');
    return entity;
  };
  const nameless = createEntity('7', 'person', ['sanction']);
  const list = finishList(
    'test.csv',
    [make('10', 'B'), make('9', 'A'), make('10', 'C'), nameless],
    null,
    warnings,
  );
  assert.deepEqual(
    list.entities.map((entity) => [
      entity.sourceId,
      entity.names.map((name) => `${name.full}:${name.quality}`),
    ]),
    [
      ['9', ['A:primary']],
      ['10', ['B:primary', 'C:strong']],
    ],
  );
  assert.equal(list.warnings.length, 2);
});

test('a list with no entries is refused', () => {
  assert.throws(
    () => finishList('empty.csv', [], null, createWarnings()),
    (error: unknown) =>
      error instanceof ListFormatError && /empty\.csv: .*no list entries/.test(error.message),
  );
});

test('text: UTF-8 with its BOM removed, Windows-1252 for older exports, OFAC’s end-of-file mark dropped', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  assert.equal(decodeText({ name: 'a.csv', bytes: Buffer.concat([bom, Buffer.from('Müller')]) }), 'Müller');
  assert.equal(
    decodeText({ name: 'b.csv', bytes: Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]) }),
    'Müller',
  );
  assert.equal(decodeText({ name: 'c.csv', bytes: Buffer.from('1,2\r\n\u001a') }), '1,2');
});

test('a type name from a list file is looked up as an own key only ("constructor" is not a schema)', () => {
  const table: Record<string, string> = { individual: 'person' };
  assert.equal(ownValue(table, 'individual'), 'person');
  assert.equal(ownValue(table, 'constructor'), undefined);
  assert.equal(ownValue(table, '__proto__'), undefined);
});
