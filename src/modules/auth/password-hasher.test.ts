// Password storage: a leaked hash must not give the password back cheaply, a wrong or mangled input
// must never sign anyone in, and an unknown account must cost as much time as a known one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash } from '@node-rs/argon2';
import {
  PASSWORD_HASH_PARAMETERS,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from './password-hasher.ts';

const PASSWORD = 'correct horse battery staple';

test('a hash verifies against its password and no other', async () => {
  const hashed = await hashPassword(PASSWORD);
  assert.match(hashed, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
  assert.equal(await verifyPassword(hashed, PASSWORD), true);
  assert.equal(await verifyPassword(hashed, 'correct horse battery stapler'), false);
  assert.equal(await verifyPassword(hashed, ''), false);
});

test('the same password hashes differently each time (salted)', async () => {
  assert.notEqual(await hashPassword(PASSWORD), await hashPassword(PASSWORD));
});

test('composed and decomposed accents are the same password (NFKC)', async () => {
  const hashed = await hashPassword('caf\u00e9 au lait, s\u2019il vous pla\u00eet');
  assert.equal(await verifyPassword(hashed, 'cafe\u0301 au lait, s\u2019il vous plai\u0302t'), true);
});

test('the current parameters are at least the OWASP minimum', () => {
  assert.ok(PASSWORD_HASH_PARAMETERS.memoryCost >= 19_456);
  assert.ok(PASSWORD_HASH_PARAMETERS.timeCost >= 2);
  assert.ok(PASSWORD_HASH_PARAMETERS.parallelism >= 1);
});

test('a malformed hash verifies as false instead of throwing', async () => {
  const valid = await hashPassword(PASSWORD);
  const malformed = [
    '',
    'not a hash',
    '$argon2id$v=19$m=65536,t=3,p=1$abc',
    valid.slice(0, -8),
    '$2b$10$abcdefghijklmnopqrstuu5Lq4k0bZ0g2u0a0a0a0a0a0a0a0a0a',
  ];
  for (const hashed of malformed) assert.equal(await verifyPassword(hashed, PASSWORD), false, hashed);
});

test('a stored hash demanding an absurd cost is refused without running it', async () => {
  const valid = await hashPassword(PASSWORD);
  const planted = valid.replace(/m=\d+/, 'm=4194304');
  const started = performance.now();
  assert.equal(await verifyPassword(planted, PASSWORD), false);
  assert.ok(performance.now() - started < 50, 'a 4 GiB verification must not be attempted');
});

test('the dummy verification is always false and costs about as much as a real one', async () => {
  const hashed = await hashPassword(PASSWORD);
  await verifyAgainstDummy(PASSWORD); // the first call also computes the dummy hash
  let started = performance.now();
  assert.equal(await verifyPassword(hashed, PASSWORD), true);
  const real = performance.now() - started;
  started = performance.now();
  assert.equal(await verifyAgainstDummy(PASSWORD), false);
  const dummy = performance.now() - started;
  assert.ok(dummy > real / 3 && dummy < real * 3, `dummy ${dummy} ms vs real ${real} ms`);
});

test('needsRehash is false for current hashes and true for other parameters or garbage', async () => {
  const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_PARAMETERS;
  const cases: Array<[string, string, boolean]> = [
    ['current parameters', await hashPassword(PASSWORD), false],
    ['less memory', await hash(PASSWORD, { memoryCost: 19_456, timeCost, parallelism }), true],
    ['fewer passes', await hash(PASSWORD, { memoryCost, timeCost: timeCost - 1, parallelism }), true],
    ['more lanes', await hash(PASSWORD, { memoryCost, timeCost, parallelism: parallelism + 1 }), true],
    ['argon2i', await hash(PASSWORD, { memoryCost, timeCost, parallelism, algorithm: 1 }), true],
    ['not a hash', 'not a hash', true],
  ];
  for (const [name, hashed, expected] of cases) assert.equal(needsRehash(hashed), expected, name);
});
