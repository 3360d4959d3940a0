// New-password rules (NIST SP 800-63B): refuse what attackers guess first — short, breached or
// email-derived passwords — without composition rules, and never refuse a long passphrase.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, checkPassword } from './password-policy.ts';

type Case = [name: string, password: string, email: string | undefined, expected: string];

const cases: Case[] = [
  ['11 characters', 'abcdefghijk', undefined, 'too_short'],
  ['12 characters', 'tulip-anchor', undefined, 'ok'],
  ['128 characters', 'x'.repeat(127) + 'y', undefined, 'ok'],
  ['129 characters', 'x'.repeat(128) + 'y', undefined, 'too_long'],
  ['megabytes of input', 'x'.repeat(1_000_000), undefined, 'too_long'],
  ['no composition rules: lowercase words only', 'lantern orchard velvet', undefined, 'ok'],
  // Entries checked to be in passwords-common and at least 12 characters long.
  ['breached: password1234', 'password1234', undefined, 'common'],
  ['breached: qwerty123456', 'qwerty123456', undefined, 'common'],
  ['breached: 1qaz2wsx3edc', '1qaz2wsx3edc', undefined, 'common'],
  ['breached, whatever the case', 'PassWord1234', undefined, 'common'],
  [
    'breached, fullwidth (NFKC)',
    '\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11\uff12\uff13\uff14',
    undefined,
    'common',
  ],
  ['the email itself', 'jane.doe@example.com', 'jane.doe@example.com', 'contains_email'],
  ['the email, other case', 'Jane.Doe@Example.com', 'jane.doe@example.com', 'contains_email'],
  ['the email with a suffix', 'jane.doe@example.com!', 'jane.doe@example.com', 'contains_email'],
  ['the local part', 'janedoe.smith', 'JaneDoe.Smith@example.com', 'contains_email'],
  ['unrelated to the email', 'plum kettle river', 'jane.doe@example.com', 'ok'],
  // Code points, not UTF-16 units: 11 emoji are 22 units but 11 characters.
  ['11 astral code points', '\u{1F600}'.repeat(11), undefined, 'too_short'],
  ['12 astral code points', '\u{1F600}'.repeat(12), undefined, 'ok'],
  ['128 astral code points', '\u{1F600}'.repeat(128), undefined, 'ok'],
  // Decomposed "é" (e + combining accent) composes to one character under NFKC.
  ['15 code points, 11 once composed', 'caf' + 'e\u0301'.repeat(4) + 'wxyz', undefined, 'too_short'],
  ['12 accented characters', '\u00e9'.repeat(12), undefined, 'ok'],
];

for (const [name, password, email, expected] of cases) {
  test(`checkPassword: ${name} → ${expected}`, () => {
    const result = checkPassword(password, email === undefined ? undefined : { email });
    assert.equal(result.ok ? 'ok' : result.reason, expected);
    if (!result.ok) assert.ok(result.message.length > 20, 'a refusal explains itself');
  });
}

test('the limits are the ones NIST allows', () => {
  assert.equal(MIN_PASSWORD_LENGTH, 12);
  assert.ok(MAX_PASSWORD_LENGTH >= 128);
});

test('refusal messages name the limit and do not echo the password', () => {
  const short = checkPassword('abc');
  const long = checkPassword('z'.repeat(200));
  assert.ok(!short.ok && short.message.includes(String(MIN_PASSWORD_LENGTH)));
  assert.ok(!long.ok && long.message.includes(String(MAX_PASSWORD_LENGTH)));
  const common = checkPassword('password1234');
  assert.ok(!common.ok && !common.message.includes('password1234'));
});
