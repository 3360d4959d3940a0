// Registration and document numbers: real published numbers pass, one wrong check digit fails, the
// usual ways of writing a number (spaces, dashes, dots, a VAT prefix) normalise to one compact form,
// and a country without a published rule is never called valid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDocumentNumber, checkRegistrationNumber, type DocumentType } from './registration-numbers.ts';

type Case = [country: string, input: string, status: 'valid' | 'invalid' | 'unchecked', normalised: string];

const registrationCases: Record<string, Case[]> = {
  'Denmark, CVR': [
    ['DK', '24256790', 'valid', '24256790'], // Novo Nordisk A/S
    ['DK', 'DK 54 56 25 19', 'valid', '54562519'], // LEGO A/S, written as its VAT number
    ['DK', '24256791', 'invalid', '24256791'], // last digit changed
    ['DK', '2425679', 'invalid', '2425679'],
  ],
  'Norway, organisasjonsnummer': [
    ['NO', '923 609 016', 'valid', '923609016'], // Equinor ASA
    ['NO', 'NO 974 760 673 MVA', 'valid', '974760673'], // Brønnøysundregistrene, as a VAT number
    ['NO', '923609017', 'invalid', '923609017'],
    ['NO', '92360901', 'invalid', '92360901'],
  ],
  'Sweden, organisationsnummer': [
    ['SE', '556012-5790', 'valid', '5560125790'], // AB Volvo
    ['SE', 'SE556016068001', 'valid', '5560160680'], // Telefonaktiebolaget LM Ericsson, VAT form
    ['SE', '556012-5791', 'invalid', '5560125791'],
    ['SE', '55601257', 'invalid', '55601257'],
  ],
  'Finland, Y-tunnus': [
    ['FI', '0112038-9', 'valid', '01120389'], // Nokia Oyj
    ['FI', 'FI19274001', 'valid', '19274001'], // Kone Oyj, as a VAT number
    ['FI', '0112038-8', 'invalid', '01120388'],
    ['FI', '1000008-0', 'invalid', '10000080'], // remainder 1: no check digit exists, never issued
    ['FI', '112038-9', 'invalid', '1120389'],
  ],
  'Netherlands, KvK (format only)': [
    ['NL', '17085815', 'valid', '17085815'],
    ['NL', '1708 5815', 'valid', '17085815'],
    ['NL', '1708581', 'invalid', '1708581'],
    ['NL', 'NL17085815', 'invalid', 'NL17085815'], // NL + digits is a VAT number, not a KvK number
  ],
  'United Kingdom, Companies House (format only)': [
    ['GB', '00445790', 'valid', '00445790'],
    ['GB', 'sc 045551', 'valid', 'SC045551'], // Scotland
    ['GB', 'IP12345R', 'unchecked', 'IP12345R'], // a rarer shape: not refused, not claimed valid
    ['GB', '445790', 'invalid', '445790'], // leading zeros left out
    ['GB', 'SC04555', 'invalid', 'SC04555'],
  ],
  'Belgium, enterprise number': [
    ['BE', '0417.497.106', 'valid', '0417497106'], // Anheuser-Busch InBev
    ['BE', 'BE 428759497', 'valid', '0428759497'], // the old 9-digit form takes a leading 0
    ['BE', '0417.497.107', 'invalid', '0417497107'],
    ['BE', '12345', 'invalid', '12345'],
  ],
  'Estonia, registry code (format only)': [
    ['EE', '12417834', 'valid', '12417834'],
    ['EE', '1241783', 'invalid', '1241783'],
  ],
  'LEI, any country': [
    ['CH', '506700GE1G29325QX363', 'valid', '506700GE1G29325QX363'], // GLEIF
    ['DE', '7LTW FZYI CNSX 8D62 1K86', 'valid', '7LTWFZYICNSX8D621K86'], // Deutsche Bank AG
    ['DK', '506700GE1G29325QX363', 'valid', '506700GE1G29325QX363'], // an LEI is checked as one anywhere
    ['CH', '506700GE1G29325QX364', 'invalid', '506700GE1G29325QX364'],
    ['US', '506700GE1G29325QX336', 'invalid', '506700GE1G29325QX336'], // two digits swapped
  ],
  'countries without a rule here': [
    ['DE', 'HRB 12345', 'unchecked', 'HRB12345'],
    ['FR', '552 100 554', 'unchecked', '552100554'],
    ['XX', 'anything-1', 'unchecked', 'ANYTHING1'],
  ],
};

for (const [rule, cases] of Object.entries(registrationCases)) {
  test(`registration numbers: ${rule}`, () => {
    for (const [country, input, status, normalised] of cases) {
      const result = checkRegistrationNumber(country, input);
      assert.equal(result.status, status, `${country} ${input}`);
      assert.equal(result.normalised, normalised, `${country} ${input}`);
      if (status === 'invalid') assert.ok(result.message && result.message.length > 10, `${input} says why`);
    }
  });
}

test('a format-only rule says that no check digit was checked', () => {
  for (const [country, number] of [
    ['NL', '17085815'],
    ['GB', '00445790'],
    ['EE', '12417834'],
  ] as const) {
    assert.match(checkRegistrationNumber(country, number).message ?? '', /only the format/);
  }
  assert.equal(checkRegistrationNumber('DK', '24256790').message, undefined);
});

test('an invalid number says what is wrong in words', () => {
  assert.match(checkRegistrationNumber('DK', '24256791').message ?? '', /check digit/);
  assert.match(checkRegistrationNumber('DK', '123').message ?? '', /8 digits/);
  assert.match(checkRegistrationNumber('GB', '445790').message ?? '', /leading zeros/);
  assert.match(checkRegistrationNumber('CH', '506700GE1G29325QX364').message ?? '', /LEI/);
});

test('every single wrong digit of a checked number is caught', () => {
  for (const [country, number] of [
    ['DK', '24256790'],
    ['NO', '923609016'],
    ['SE', '5560125790'],
    ['BE', '0417497106'],
  ] as const) {
    for (let position = 0; position < number.length; position += 1) {
      const digit = Number(number[position]);
      const changed = `${number.slice(0, position)}${(digit + 1) % 10}${number.slice(position + 1)}`;
      assert.equal(checkRegistrationNumber(country, changed).status, 'invalid', `${country} ${changed}`);
    }
  }
});

type DocumentCase = [
  type: DocumentType,
  country: string,
  input: string,
  status: 'valid' | 'invalid' | 'unchecked',
  normalised: string,
];
const documentCases: DocumentCase[] = [
  ['passport', 'NL', 'SPECI2014', 'valid', 'SPECI2014'], // the specimen number RvIG prints
  ['national_id', 'NL', 'xr 1001 r58', 'valid', 'XR1001R58'],
  ['passport', 'NL', 'XR1O01R58', 'invalid', 'XR1O01R58'], // the letter O is never used
  ['passport', 'NL', '581001RXR', 'invalid', '581001RXR'],
  ['passport', 'NL', 'XR1001R5', 'invalid', 'XR1001R5'],
  ['passport', 'UT', 'L898902C3', 'unchecked', 'L898902C3'], // ICAO Doc 9303 specimen
  ['passport', 'DE', 'C01X-00T47', 'unchecked', 'C01X00T47'],
  ['passport', 'RU', 'АВ123456', 'invalid', 'АВ123456'], // Cyrillic letters cannot be in an MRZ
  ['driving_licence', 'RU', '77 АВ 123456', 'unchecked', '77АВ123456'], // no such rule for licences
  ['national_id', 'GR', 'ΑΒ 123456', 'unchecked', 'ΑΒ123456'], // older Greek ID cards use Greek letters
  ['residence_permit', 'NL', 'ABC', 'unchecked', 'ABC'], // the Dutch rule covers passports and ID cards
];

test('identity documents: published formats only, everything else unchecked', () => {
  for (const [type, country, input, status, normalised] of documentCases) {
    const result = checkDocumentNumber(type, country, input);
    assert.equal(result.status, status, `${type} ${country} ${input}`);
    assert.equal(result.normalised, normalised, `${type} ${country} ${input}`);
  }
});
