// The platform's country list: complete, well-formed, and strict about what counts as a code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCountryCode, ISO_COUNTRY_CODES, USER_ASSIGNED_COUNTRY_CODES } from './iso-countries.ts';

test('the list holds the 249 officially assigned codes, once each, in order', () => {
  assert.equal(ISO_COUNTRY_CODES.length, 249);
  assert.equal(new Set(ISO_COUNTRY_CODES).size, 249);
  assert.deepEqual([...ISO_COUNTRY_CODES].sort(), ISO_COUNTRY_CODES);
  for (const code of ISO_COUNTRY_CODES) assert.match(code, /^[A-Z]{2}$/);
  assert.deepEqual(USER_ASSIGNED_COUNTRY_CODES, ['XK']);
});

test('the lists cannot be changed at run time', () => {
  assert.throws(() => (ISO_COUNTRY_CODES as string[]).push('ZZ'), TypeError);
});

const cases: [code: string, expected: boolean, why: string][] = [
  ['DK', true, 'an assigned code'],
  ['GB', true, 'the United Kingdom'],
  ['AX', true, 'Åland, a territory with its own code'],
  ['XK', true, 'Kosovo, user-assigned'],
  ['UK', false, 'exceptionally reserved, not assigned'],
  ['EU', false, 'exceptionally reserved, not a country'],
  ['ZZ', false, 'user-assigned, unused here'],
  ['dk', false, 'codes are stored in capitals'],
  ['DNK', false, 'alpha-3 is not alpha-2'],
  ['', false, 'empty'],
];
for (const [code, expected, why] of cases) {
  test(`isCountryCode('${code}') is ${expected}: ${why}`, () => {
    assert.equal(isCountryCode(code), expected);
  });
}
