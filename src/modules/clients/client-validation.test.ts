// The checks beyond the schema: calendar dates, plausible ages, identity documents that have
// expired or soon will, country codes that exist, and registration numbers' check digits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientData, LegalEntityData, NaturalPersonData } from './client-data.schemas.ts';
import { validateClient, type ClientIssue } from './client-validation.ts';

const TODAY = '2026-06-30';

type Relationship = Pick<
  ClientData,
  | 'clientType'
  | 'services'
  | 'relationshipPurpose'
  | 'expectedAnnualVolume'
  | 'sourceOfFunds'
  | 'deliveryChannel'
>;
const shared: Relationship = {
  clientType: 'company',
  services: ['bookkeeping'],
  relationshipPurpose: 'annual_reporting',
  expectedAnnualVolume: 50_000,
  sourceOfFunds: 'business_income',
  deliveryChannel: 'remote',
};

const person = (overrides: Partial<NaturalPersonData> = {}): NaturalPersonData => ({
  kind: 'natural_person',
  name: { givenNames: 'Jan', familyName: 'de Vries' },
  birthDate: '1975-09-01',
  nationalities: ['NL'],
  countryOfResidence: 'NL',
  address: { lines: ['Damrak 1'], postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' },
  identityDocument: { type: 'passport', number: 'XR1001R58', issuingCountry: 'NL', expiryDate: '2031-03-15' },
  occupation: 'Teacher',
  pepDeclaration: { isPep: false },
  ...shared,
  clientType: 'private_individual',
  ...overrides,
});

const document = (overrides: Partial<NaturalPersonData['identityDocument']>) => ({
  identityDocument: { ...person().identityDocument, ...overrides },
});

const entity = (overrides: Partial<LegalEntityData> = {}): LegalEntityData => ({
  kind: 'legal_entity',
  name: 'Equinor ASA',
  registrationNumber: '923 609 016',
  registrationCountry: 'NO',
  legalForm: 'Allmennaksjeselskap',
  address: { lines: ['Forusbeen 50'], postalCode: '4035', city: 'Stavanger', country: 'NO' },
  industryCode: 'B06',
  incorporationDate: '1972-09-18',
  ...shared,
  ...overrides,
});

const pointers = (issues: ClientIssue[]) => issues.map((issue) => issue.pointer);

test('sound data has no errors and no warnings', () => {
  assert.deepEqual(validateClient(person(), TODAY), { errors: [], warnings: [] });
  assert.deepEqual(validateClient(entity(), TODAY), { errors: [], warnings: [] });
});

test('dates must exist in the calendar', () => {
  const cases: [date: string, exists: boolean][] = [
    ['2023-02-30', false],
    ['2023-02-29', false],
    ['2024-02-29', true], // leap year
    ['1900-02-29', false], // a century, not a leap year
    ['2000-02-29', true], // divisible by 400
    ['1999-04-31', false],
    ['1999-13-01', false],
    ['1999-00-10', false],
    ['1999-12-00', false],
    ['1999-12-31', true],
  ];
  for (const [date, exists] of cases) {
    const { errors } = validateClient(person({ birthDate: date }), TODAY);
    assert.equal(pointers(errors).includes('/birthDate'), !exists, date);
    const founded = validateClient(entity({ incorporationDate: date }), TODAY);
    assert.equal(pointers(founded.errors).includes('/incorporationDate'), !exists, date);
  }
  const [issue] = validateClient(person({ birthDate: '2023-02-30' }), TODAY).errors;
  assert.deepEqual(issue, {
    pointer: '/birthDate',
    message: 'The birth date 2023-02-30 is not a date in the calendar.',
  });
});

test('a birth date is not in the future, and makes the person at most 130', () => {
  const cases: [birthDate: string, isError: boolean][] = [
    [TODAY, false], // born today: a newborn client is unusual, not impossible
    ['2026-07-01', true],
    ['1896-06-30', false], // exactly 130
    ['1896-06-29', true],
  ];
  for (const [birthDate, isError] of cases) {
    const { errors } = validateClient(person({ birthDate }), TODAY);
    assert.equal(pointers(errors).includes('/birthDate'), isError, birthDate);
  }
  assert.match(
    validateClient(person({ birthDate: '1066-10-14' }), TODAY).errors[0]?.message ?? '',
    /over 130/,
  );
});

test('an expired document is an error; one expiring within 30 days a warning', () => {
  const cases: [expiryDate: string, outcome: 'error' | 'warning' | 'none'][] = [
    ['2026-06-29', 'error'], // expired yesterday
    ['2020-01-01', 'error'],
    [TODAY, 'warning'], // still valid on its last day
    ['2026-07-30', 'warning'], // the 30th day
    ['2026-07-31', 'none'],
    ['2026-02-30', 'error'], // no such day
  ];
  for (const [expiryDate, outcome] of cases) {
    const { errors, warnings } = validateClient(person(document({ expiryDate })), TODAY);
    const at = '/identityDocument/expiryDate';
    assert.equal(pointers(errors).includes(at), outcome === 'error', `${expiryDate} error`);
    assert.equal(pointers(warnings).includes(at), outcome === 'warning', `${expiryDate} warning`);
  }
  const { errors } = validateClient(person(document({ expiryDate: '2026-06-29' })), TODAY);
  assert.equal(errors[0]?.message, 'The identity document expired on 2026-06-29.');
});

test('country codes must exist, wherever they appear', () => {
  const cases: [Partial<NaturalPersonData>, string][] = [
    [{ nationalities: ['NL', 'ZZ'] }, '/nationalities/1'],
    [{ countryOfResidence: 'UK' }, '/countryOfResidence'],
    [{ address: { ...person().address, country: 'EU' } }, '/address/country'],
    [document({ issuingCountry: 'QQ' }), '/identityDocument/issuingCountry'],
  ];
  for (const [override, pointer] of cases) {
    const { errors } = validateClient(person(override), TODAY);
    assert.deepEqual(pointers(errors), [pointer], pointer);
    assert.match(errors[0]?.message ?? '', /is not a country code/);
  }
  assert.deepEqual(pointers(validateClient(entity({ registrationCountry: 'XY' }), TODAY).errors), [
    '/registrationCountry',
  ]);
  assert.deepEqual(validateClient(person({ nationalities: ['XK'] }), TODAY).errors, [], 'Kosovo is accepted');
});

test('identity document numbers follow the published format where there is one', () => {
  const { errors } = validateClient(person(document({ number: 'XR1O01R58' })), TODAY);
  assert.deepEqual(pointers(errors), ['/identityDocument/number']);
  const elsewhere = validateClient(person(document({ issuingCountry: 'BE', number: 'EH000001' })), TODAY);
  assert.deepEqual(elsewhere.errors, [], 'no Belgian rule here, so no error');
});

test('registration numbers: a wrong check digit is an error; an unknown rule is not', () => {
  const wrong = validateClient(entity({ registrationNumber: '923609017' }), TODAY);
  assert.deepEqual(pointers(wrong.errors), ['/registrationNumber']);
  assert.match(wrong.errors[0]?.message ?? '', /check digit/);
  const german = entity({ registrationCountry: 'DE', registrationNumber: 'HRB 86891' });
  assert.deepEqual(validateClient(german, TODAY).errors, []);
  const badLei = entity({ registrationCountry: 'DE', registrationNumber: '7LTWFZYICNSX8D621K87' });
  assert.deepEqual(pointers(validateClient(badLei, TODAY).errors), ['/registrationNumber']);
});

test('an incorporation date is not in the future', () => {
  assert.deepEqual(pointers(validateClient(entity({ incorporationDate: '2026-07-01' }), TODAY).errors), [
    '/incorporationDate',
  ]);
  assert.deepEqual(validateClient(entity({ incorporationDate: TODAY }), TODAY).errors, []);
});

test('a PEP who names no function gets a warning, not an error', () => {
  const bare = validateClient(person({ pepDeclaration: { isPep: true } }), TODAY);
  assert.deepEqual(bare.errors, []);
  assert.deepEqual(pointers(bare.warnings), ['/pepDeclaration/role']);
  const named = validateClient(
    person({ pepDeclaration: { isPep: true, role: 'Member of parliament' } }),
    TODAY,
  );
  assert.deepEqual(named.warnings, []);
});

test('errors and warnings are reported together, each at its own pointer', () => {
  const data = person({
    birthDate: '2030-01-01',
    nationalities: ['ZZ'],
    ...document({ expiryDate: '2026-07-10' }),
  });
  const { errors, warnings } = validateClient(data, TODAY);
  assert.deepEqual(pointers(errors).sort(), ['/birthDate', '/nationalities/0']);
  assert.deepEqual(pointers(warnings), ['/identityDocument/expiryDate']);
});

test('today must itself be a date', () => {
  assert.throws(() => validateClient(person(), '30/06/2026'), TypeError);
  assert.throws(() => validateClient(person(), '2026-02-30'), TypeError);
});
