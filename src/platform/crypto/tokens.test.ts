// Bearer tokens: unguessable, stored only as hashes, compared without leaking timing or throwing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createToken, hashToken, tokensEqual } from './tokens.ts';

const lengthCases: Array<[bytes: number | undefined, characters: number]> = [
  [undefined, 43],
  [16, 22],
  [32, 43],
  [48, 64],
];

for (const [bytes, characters] of lengthCases) {
  test(`createToken(${bytes ?? ''}) is ${characters} base64url characters`, () => {
    const token = createToken(bytes);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.equal(token.length, characters);
    assert.equal(Buffer.from(token, 'base64url').length, bytes ?? 32);
  });
}

test('tokens do not repeat', () => {
  const tokens = new Set(Array.from({ length: 1_000 }, () => createToken()));
  assert.equal(tokens.size, 1_000);
});

test('tokens shorter than 128 bits are refused', () => {
  for (const bytes of [0, 8, 15, 16.5, Number.NaN]) assert.throws(() => createToken(bytes), RangeError);
});

test('hashToken is SHA-256: 32 bytes, stable, different per token', () => {
  const token = createToken();
  assert.equal(hashToken(token).length, 32);
  assert.deepEqual(hashToken(token), hashToken(token));
  assert.notDeepEqual(hashToken(token), hashToken(createToken()));
  assert.equal(
    hashToken('abc').toString('hex'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('tokensEqual compares contents and refuses different lengths without throwing', () => {
  const token = createToken();
  const cases: Array<[Buffer, Buffer, boolean]> = [
    [hashToken(token), hashToken(token), true],
    [hashToken(token), hashToken(createToken()), false],
    [hashToken(token), hashToken(token).subarray(0, 31), false],
    [Buffer.alloc(0), Buffer.alloc(0), true],
    [Buffer.alloc(0), hashToken(token), false],
  ];
  for (const [a, b, expected] of cases) assert.equal(tokensEqual(a, b), expected);
});
