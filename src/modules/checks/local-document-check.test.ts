// The local document check: expiry judged at its boundaries, a number format only where a rule is
// certain, MRZ check digits and cross-checks, and never "passed" when nothing identifying was verified.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ProviderRejectedInputError,
  ProviderUnavailableError,
  type CheckContext,
  type CheckOutcome,
  type IdentityDocument,
} from './check-provider.ts';
import { checkExpiry, checkIdentityDocument, createLocalDocumentCheck } from './local-document-check.ts';
import type { CheckDocumentNumber, NumberCheck } from './number-rules.ts';

const TODAY = '2026-11-20';

/** A fake of the clients module's rule: GB passports have 9 digits; no rule elsewhere. */
const checkNumber: CheckDocumentNumber = (type, country, number): NumberCheck => {
  const normalised = number.toUpperCase().replace(/[\s-]/g, '');
  if (type !== 'passport' || country !== 'GB') return { status: 'unchecked', normalised };
  return /^\d{9}$/.test(normalised)
    ? { status: 'valid', normalised }
    : { status: 'invalid', normalised, message: 'A British passport number has 9 digits.' };
};
const provider = createLocalDocumentCheck({ checkNumber });
const check = (document: IdentityDocument | undefined, today = TODAY) =>
  checkIdentityDocument(document, today, checkNumber);
const context = (today = TODAY): CheckContext => ({ today, signal: new AbortController().signal });

function document(overrides: Partial<IdentityDocument> = {}): IdentityDocument {
  return {
    type: 'passport',
    number: '123456789',
    issuingCountry: 'GB',
    expiryDate: '2030-06-30',
    ...overrides,
  };
}

const codes = (outcome: CheckOutcome) => outcome.findings.map((finding) => finding.code);

// Doc 9303's specimen passport of Utopia (expires 2012-04-15), checked as of a day it was valid.
// Utopia has no ISO code; XU is in the user-assigned range, so no format rule applies to it.
const SPECIMEN_DAY = '2011-06-01';
const SPECIMEN_MRZ = [
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
];
const specimen = (overrides: Partial<IdentityDocument> = {}) =>
  document({
    number: 'L898902C3',
    issuingCountry: 'XU',
    expiryDate: '2012-04-15',
    mrz: SPECIMEN_MRZ,
    ...overrides,
  });

test('expiry: expired the day after, a warning from 30 days before through the last day', () => {
  const cases: [string, string, string[], number][] = [
    ['2026-11-19', 'expired yesterday', ['document.expired'], -1],
    ['2025-01-01', 'expired long ago', ['document.expired'], -688],
    ['2026-11-20', 'last valid day', ['document.expiring'], 0],
    ['2026-12-20', '30 days left', ['document.expiring'], 30],
    ['2026-12-21', '31 days left', [], 31],
  ];
  for (const [expiryDate, name, expected, daysLeft] of cases) {
    const result = checkExpiry(expiryDate, TODAY);
    assert.deepEqual(
      result.findings.map((finding) => finding.code),
      expected,
      name,
    );
    assert.equal(result.daysLeft, daysLeft, name);
  }
  assert.equal(checkExpiry('2028-02-29', '2028-02-28').daysLeft, 1, 'leap day counts');
  assert.equal(checkExpiry('2027-01-01', '2026-12-31').daysLeft, 1, 'across a year');
});

test('an expired document fails the check, one about to expire asks for attention', () => {
  const expired = check(document({ expiryDate: '2026-11-19' }), TODAY);
  assert.equal(expired.status, 'failed_check');
  assert.equal(expired.findings.find((finding) => finding.code === 'document.expired')?.severity, 'critical');
  const expiring = check(document({ expiryDate: '2026-12-20' }), TODAY);
  assert.equal(expiring.status, 'attention');
  assert.equal(
    expiring.findings.find((finding) => finding.code === 'document.expiring')?.severity,
    'warning',
  );
});

test('a valid document whose number fits a certain rule passes', () => {
  const outcome = check(document({ number: '123 456 789' }), TODAY);
  assert.equal(outcome.status, 'passed');
  assert.deepEqual(codes(outcome), ['mrz.absent']);
  assert.equal(outcome.facts?.numberFormat, 'valid');
  assert.equal(outcome.facts?.daysUntilExpiry, 1318);
});

test("a number the rule refuses fails the check with the rule's message", () => {
  const outcome = check(document({ number: 'AB1234567' }));
  assert.equal(outcome.status, 'failed_check');
  assert.deepEqual(outcome.findings[0], {
    code: 'document.number_invalid',
    severity: 'critical',
    message: 'A British passport number has 9 digits.',
  });
});

test('with no format rule and no MRZ the check says so and does not pass', () => {
  const outcome = check(document({ issuingCountry: 'FR', number: '19AB12345' }), TODAY);
  assert.equal(outcome.status, 'attention');
  assert.deepEqual(codes(outcome), ['document.number_not_checked', 'mrz.absent']);
  assert.ok(outcome.findings.every((finding) => finding.severity === 'info'));
});

test('no document on record is said, not passed', async () => {
  const outcome = await provider.run({ kind: 'person' }, context());
  assert.equal(outcome.status, 'attention');
  assert.deepEqual(codes(outcome), ['document.missing']);
});

test('the specimen MRZ verifies, and identifies the document when no format rule could', () => {
  const outcome = check(specimen(), SPECIMEN_DAY);
  assert.equal(outcome.status, 'passed');
  assert.deepEqual(codes(outcome), ['document.number_not_checked']);
  assert.equal(outcome.facts?.mrz, 'valid');
});

test('a corrupted MRZ fails the check with the field named', () => {
  const corrupted = [SPECIMEN_MRZ[0]!, SPECIMEN_MRZ[1]!.replace('7408122', '7408132')];
  const outcome = check(specimen({ mrz: corrupted }), SPECIMEN_DAY);
  assert.equal(outcome.status, 'failed_check');
  const failed = outcome.findings.filter((finding) => finding.code === 'mrz.check_digit_failed');
  assert.deepEqual(
    failed.map((finding) => [finding.severity, finding.message]),
    [
      ['critical', 'The MRZ check digit for the date of birth does not match.'],
      ['critical', 'The MRZ check digit for the whole zone (composite) does not match.'],
    ],
  );
  assert.equal(outcome.facts?.mrz, 'invalid');
});

test('the MRZ is compared with the number as the rule normalised it', () => {
  assert.equal(check(specimen({ number: 'l898 902-c3' }), SPECIMEN_DAY).status, 'passed');
});

test('an MRZ that disagrees with the recorded number or expiry asks for attention', () => {
  const otherNumber = check(specimen({ number: 'L898902C4' }), SPECIMEN_DAY);
  assert.equal(otherNumber.status, 'attention');
  assert.ok(codes(otherNumber).includes('mrz.number_mismatch'));
  const otherExpiry = check(specimen({ expiryDate: '2012-04-16' }), SPECIMEN_DAY);
  assert.equal(otherExpiry.status, 'attention');
  assert.ok(codes(otherExpiry).includes('mrz.expiry_mismatch'));
});

test('an MRZ in no known layout is a warning, not a pass', () => {
  const outcome = check(specimen({ mrz: ['P<UTOERIKSSON', 'L898902C36'] }), SPECIMEN_DAY);
  assert.equal(outcome.status, 'attention');
  assert.ok(codes(outcome).includes('mrz.unreadable'));
});

test('results hold no document number, so stored outcomes carry no personal value', () => {
  const outcome = check(specimen({ number: 'L898902C4' }), SPECIMEN_DAY);
  assert.doesNotMatch(JSON.stringify(outcome), /L898902C|ERIKSSON|740812/);
});

test('input the caller built wrongly is rejected, without echoing the value', async () => {
  const cases: Partial<IdentityDocument>[] = [
    { expiryDate: '2026-02-30' },
    { expiryDate: '30/06/2030' },
    { issuingCountry: 'gbr' },
    { number: ' - ' },
    { type: 'library_card' as IdentityDocument['type'] },
  ];
  for (const overrides of cases) {
    await assert.rejects(
      provider.run({ kind: 'person', identityDocument: document(overrides) }, context()),
      (error: unknown) => error instanceof ProviderRejectedInputError && !error.message.includes('30/06'),
      JSON.stringify(overrides),
    );
  }
  await assert.rejects(provider.run({ kind: 'person' }, context('2026-13-01')), ProviderRejectedInputError);
});

test('the provider applies to persons only and stops when its run was aborted', async () => {
  assert.equal(provider.appliesTo({ kind: 'person' }), true);
  assert.equal(provider.appliesTo({ kind: 'entity' }), false);
  await assert.rejects(provider.run({ kind: 'entity' }, context()), ProviderRejectedInputError);
  const aborted = { today: TODAY, signal: AbortSignal.abort() };
  await assert.rejects(
    provider.run({ kind: 'person', identityDocument: document() }, aborted),
    ProviderUnavailableError,
  );
});
