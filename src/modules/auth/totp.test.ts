// Second factor: a code observed once (shoulder-surfed, phished, replayed from a log) must not work
// again, an old code must not work after a newer one, and a wrong code must never read as valid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTotpSecret, generateTotp, totpUri, verifyTotp } from './totp.ts';

const secret = createTotpSecret();
// The middle of a 30-second step, so ±30 s lands in the neighbouring steps and nowhere else.
const now = new Date(Date.UTC(2025, 0, 15, 12, 0, 15));
const at = (offsetSeconds: number) => new Date(now.getTime() + offsetSeconds * 1000);
const stepAt = (date: Date) => Math.floor(date.getTime() / 1000 / 30);

async function check(code: string, when: Date, lastUsedStep: number | null = null) {
  return verifyTotp({ secret, code, now: when, lastUsedStep });
}

test('a new secret is base32 of 160 bits', () => {
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.notEqual(createTotpSecret(), secret);
});

test('the URI names the issuer and the account', () => {
  const uri = totpUri({ secret, accountName: 'jane@example.com', issuer: 'Diligence' });
  assert.match(uri, /^otpauth:\/\/totp\//);
  assert.ok(uri.includes(`secret=${secret}`));
  assert.ok(uri.includes('issuer=Diligence'));
  assert.ok(uri.includes('jane%40example.com'));
  assert.equal(totpUri({ secret, accountName: 'jane@example.com' }), uri);
});

const windowCases: Array<[name: string, generatedOffset: number, valid: boolean]> = [
  ['the current code', 0, true],
  ['the previous step (clock 30 s behind)', -30, true],
  ['the next step (clock 30 s ahead)', 30, true],
  ['90 s old', -90, false],
  ['90 s in the future', 90, false],
];

for (const [name, generatedOffset, valid] of windowCases) {
  test(`window: ${name} is ${valid ? 'accepted' : 'refused'}`, async () => {
    const generatedAt = at(generatedOffset);
    const result = await check(await generateTotp(secret, generatedAt), now);
    assert.deepEqual(result, valid ? { valid: true, step: stepAt(generatedAt) } : { valid: false });
  });
}

test('replay: the same code is refused once its step has been used', async () => {
  const code = await generateTotp(secret, now);
  const first = await check(code, now);
  assert.ok(first.valid);
  assert.deepEqual(await check(code, now, first.step), { valid: false });
  assert.deepEqual(await check(code, at(10), first.step), { valid: false });
});

test('replay: an older step is refused after a newer one was used', async () => {
  const newer = await check(await generateTotp(secret, now), now);
  assert.ok(newer.valid);
  const older = await generateTotp(secret, at(-30));
  assert.deepEqual(await check(older, now, newer.step), { valid: false });
  // …while the next step still works.
  const next = await check(await generateTotp(secret, at(30)), at(30), newer.step);
  assert.deepEqual(next, { valid: true, step: newer.step + 1 });
});

const malformed = [
  '12345',
  '1234567',
  '12a456',
  ' 123456',
  '123 456',
  '',
  '١٢٣٤٥٦',
  '+12345',
  '１２３４５６',
];
for (const code of malformed) {
  test(`format: ${JSON.stringify(code)} is refused`, async () => {
    assert.deepEqual(await check(code, now), { valid: false });
  });
}

test('a wrong code yields { valid: false }, an object whose validity must be read, not its truthiness', async () => {
  const right = await generateTotp(secret, now);
  const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
  const result = await check(wrong, now);
  assert.equal(typeof result, 'object');
  assert.equal(result.valid, false);
  assert.deepEqual(result, { valid: false });
});

test('a code for another secret is refused', async () => {
  const other = await generateTotp(createTotpSecret(), now);
  const own = await generateTotp(secret, now);
  if (other !== own) assert.deepEqual(await check(other, now), { valid: false });
});
