// The local registration check maps the clients module's number rule to an outcome, with a small
// fake rule in its place: 'unchecked' and a missing number never read as "passed".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderRejectedInputError, type CheckContext, type EntityCheckInput } from './check-provider.ts';
import { createLocalRegistrationCheck } from './local-registration-check.ts';
import type { CheckRegistrationNumber, NumberCheck } from './number-rules.ts';

const context = (): CheckContext => ({ today: '2026-11-20', signal: new AbortController().signal });

/**
 * A fake rule: GB numbers of eight digits are valid, other GB numbers invalid, NL numbers valid by
 * format only, other countries unknown.
 */
function fakeRule() {
  const calls: [string, string][] = [];
  const checkNumber: CheckRegistrationNumber = (country, number): NumberCheck => {
    calls.push([country, number]);
    if (country === 'NL')
      return { status: 'valid', normalised: number, message: 'Only the format was checked.' };
    if (country !== 'GB') return { status: 'unchecked', normalised: number };
    return /^\d{8}$/.test(number)
      ? { status: 'valid', normalised: number }
      : { status: 'invalid', normalised: number, message: 'A company number has eight digits.' };
  };
  return { calls, checkNumber };
}

const entity = (registrationNumber?: string, registrationCountry?: string): EntityCheckInput => ({
  kind: 'entity',
  registrationNumber,
  registrationCountry,
});

test('a number the rule accepts passes, and the rule sees the trimmed number', async () => {
  const rule = fakeRule();
  const outcome = await createLocalRegistrationCheck(rule).run(entity(' 01234567 ', 'GB'), context());
  assert.equal(outcome.status, 'passed');
  assert.deepEqual(outcome.findings, []);
  assert.deepEqual(rule.calls, [['GB', '01234567']]);
});

test("a number the rule refuses fails the check with the rule's message", async () => {
  const outcome = await createLocalRegistrationCheck(fakeRule()).run(entity('0123456', 'GB'), context());
  assert.equal(outcome.status, 'failed_check');
  assert.deepEqual(outcome.findings, [
    {
      code: 'registration.number_invalid',
      severity: 'critical',
      message: 'A company number has eight digits.',
    },
  ]);
});

test("a rule's note on a valid number is kept as info, and the check passes", async () => {
  const outcome = await createLocalRegistrationCheck(fakeRule()).run(entity('12345678', 'NL'), context());
  assert.equal(outcome.status, 'passed');
  assert.deepEqual(outcome.findings, [
    { code: 'registration.number_note', severity: 'info', message: 'Only the format was checked.' },
  ]);
});

test('a country with no rule is said with an info finding, not passed', async () => {
  const outcome = await createLocalRegistrationCheck(fakeRule()).run(entity('HRB 12345', 'DE'), context());
  assert.equal(outcome.status, 'attention');
  assert.deepEqual(
    outcome.findings.map((finding) => [finding.code, finding.severity]),
    [['registration.number_not_checked', 'info']],
  );
  assert.equal(outcome.facts?.registrationNumber, 'unchecked');
});

test('no number or no country means nothing was checked, and the rule is not called', async () => {
  const rule = fakeRule();
  const provider = createLocalRegistrationCheck(rule);
  for (const input of [entity(), entity('01234567'), entity(undefined, 'GB'), entity('   ', 'GB')]) {
    const outcome = await provider.run(input, context());
    assert.equal(outcome.status, 'attention');
    assert.deepEqual(
      outcome.findings.map((finding) => finding.code),
      ['registration.missing'],
    );
  }
  assert.deepEqual(rule.calls, []);
});

test('a malformed country or an over-long number is rejected input', async () => {
  const provider = createLocalRegistrationCheck(fakeRule());
  await assert.rejects(provider.run(entity('01234567', 'gb'), context()), ProviderRejectedInputError);
  await assert.rejects(provider.run(entity('1'.repeat(65), 'GB'), context()), ProviderRejectedInputError);
  await assert.rejects(provider.run({ kind: 'person' }, context()), ProviderRejectedInputError);
});

test("the provider applies to entities, and its version names the injected rules' version", () => {
  const provider = createLocalRegistrationCheck({ ...fakeRule(), numberRulesVersion: '2026-11' });
  assert.equal(provider.appliesTo({ kind: 'entity' }), true);
  assert.equal(provider.appliesTo({ kind: 'person' }), false);
  assert.equal(provider.version, '1.0.0+rules.2026-11');
  assert.equal(createLocalRegistrationCheck(fakeRule()).version, '1.0.0');
});
