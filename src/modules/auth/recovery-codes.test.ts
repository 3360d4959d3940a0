// Recovery codes stand in for a lost second factor: they must be unguessable, stored only as
// hashes, and tolerant of how people retype them without accepting anything that is not a code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECOVERY_CODE_COUNT, createRecoveryCodes, hashRecoveryCode } from './recovery-codes.ts';

const GROUP = /^[0-9a-hjkmnp-tv-z]{5}$/;

function assertCodeFormat(code: string): void {
  const groups = code.split('-');
  assert.equal(groups.length, 4, code);
  for (const group of groups) assert.match(group, GROUP, code);
}

test('ten distinct codes in groups of five, each with its hash', () => {
  const { codes, hashes } = createRecoveryCodes();
  assert.equal(codes.length, RECOVERY_CODE_COUNT);
  assert.equal(RECOVERY_CODE_COUNT, 10);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assertCodeFormat(code);
  assert.equal(hashes.length, codes.length);
  codes.forEach((code, index) => {
    assert.equal(hashes[index]?.length, 32);
    assert.deepEqual(hashRecoveryCode(code), hashes[index]);
  });
});

test('codes carry at least 80 random bits and use the whole alphabet', () => {
  // 20 characters of a 32-letter alphabet are 100 bits; across many codes every letter shows up.
  const letters = new Set(
    Array.from({ length: 20 }, () => createRecoveryCodes().codes)
      .flat()
      .join('')
      .replaceAll('-', ''),
  );
  assert.equal(letters.size, 32);
  assert.ok(20 * Math.log2(letters.size) >= 80);
});

test('dashes, spaces, case and look-alike letters do not matter', () => {
  const code = 'ab0c1-defgh-jk1mn-pqrst';
  const expected = hashRecoveryCode(code);
  assert.ok(expected);
  const variants = [
    'ab0c1defghjk1mnpqrst',
    'AB0C1-DEFGH-JK1MN-PQRST',
    ' ab0c1 defgh jk1mn pqrst ',
    'abOc1-defgh-jk1mn-pqrst', // O typed for 0
    'ab0cl-defgh-jkimn-pqrst', // l and i typed for 1
    'ab0c1--defgh--jk1mn--pqrst',
  ];
  for (const variant of variants) assert.deepEqual(hashRecoveryCode(variant), expected, variant);
  assert.notDeepEqual(hashRecoveryCode('ab0c1-defgh-jk1mn-pqrsv'), expected);
});

test('input that cannot be a code hashes to null', () => {
  const garbage = [
    '',
    'hello',
    'ab0c1-defgh-jk1mn-pqrs', // 19 characters
    'ab0c1-defgh-jk1mn-pqrstv', // 21 characters
    'ab0c1-defgh-jk1mn-pqrsu', // u is not in the alphabet
    'ab0c1-defgh-jk1mn-pqrs!',
    'ab0c1-defgh-jk1mn-pqrs\u00e9',
    ' '.repeat(100) + 'ab0c1defghjk1mnpqrst',
    "' or 1=1 --",
  ];
  for (const input of garbage) assert.equal(hashRecoveryCode(input), null, JSON.stringify(input));
});
