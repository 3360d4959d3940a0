// ICAO 9303 check digits: the specimens printed in Doc 9303 verify, and a single changed character
// (a misread, a typo or an alteration) is caught in the field it belongs to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCheckDigit, verifyMrz, type MrzField } from './mrz-check-digits.ts';

// Doc 9303 part 4 (TD3 passport), part 5 (TD1 card), part 6 (TD2 card), part 7 (MRV-A visa).
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const MRV_A = [
  'VIUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L8988901C4XXX4009078F96121096ZE184226B<<<<<<',
];

function replaceAt(line: string, position: number, character: string): string {
  return line.slice(0, position) + character + line.slice(position + 1);
}

test('check digits weigh characters 7, 3, 1 with A=10 … Z=35 and < = 0', () => {
  const cases: [string, number][] = [
    ['L898902C3', 6],
    ['740812', 2],
    ['120415', 9],
    ['ZE184226B<<<<<', 1],
    ['<<<<', 0],
    ['A', 0], // 10 × 7 = 70
    ['Z', 5], // 35 × 7 = 245
    ['0Z', 5], // 35 × 3 = 105
  ];
  for (const [field, digit] of cases) assert.equal(computeCheckDigit(field), digit, field);
  assert.throws(() => computeCheckDigit('a'), RangeError);
});

test('the Doc 9303 specimens verify in every layout', () => {
  for (const [layout, lines] of [
    ['TD3', TD3],
    ['TD1', TD1],
    ['TD2', TD2],
    ['MRV-A', MRV_A],
  ] as const) {
    const reading = verifyMrz(lines);
    assert.ok(reading.isRecognised, layout);
    assert.equal(reading.layout, layout);
    assert.deepEqual(reading.failedFields, [], layout);
    assert.deepEqual(reading.uncheckedFields, [], layout);
  }
  const passport = verifyMrz(TD3);
  assert.ok(passport.isRecognised);
  assert.equal(passport.documentNumber, 'L898902C3');
  assert.equal(passport.expiryDate, '120415');
});

test('one corrupted character fails the field it belongs to and the composite', () => {
  const line = TD3[1]!;
  const cases: { change: string; position: number; character: string; failed: MrzField[] }[] = [
    { change: 'document number', position: 8, character: '4', failed: ['document_number', 'composite'] },
    { change: 'birth date', position: 14, character: '5', failed: ['birth_date', 'composite'] },
    { change: 'expiry date', position: 22, character: '3', failed: ['expiry_date', 'composite'] },
    { change: 'personal number', position: 29, character: 'F', failed: ['optional_data', 'composite'] },
    {
      change: 'document number check digit',
      position: 9,
      character: '7',
      failed: ['document_number', 'composite'],
    },
    { change: 'composite check digit', position: 43, character: '1', failed: ['composite'] },
    // Nationality and sex carry no check digit of their own, and the composite covers neither.
    { change: 'sex', position: 20, character: 'M', failed: [] },
  ];
  for (const { change, position, character, failed } of cases) {
    const reading = verifyMrz([TD3[0]!, replaceAt(line, position, character)]);
    assert.ok(reading.isRecognised, change);
    assert.deepEqual(reading.failedFields, failed, change);
  }
});

test('a corrupted TD1 card fails its document number and composite', () => {
  const reading = verifyMrz([replaceAt(TD1[0]!, 6, '3'), TD1[1]!, TD1[2]!]);
  assert.ok(reading.isRecognised);
  assert.deepEqual(reading.failedFields, ['document_number', 'composite']);
});

test('an all-filler personal number may carry < as its check digit, other fields may not', () => {
  const unused = 'L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8';
  const reading = verifyMrz([TD3[0]!, unused]);
  assert.ok(reading.isRecognised);
  assert.deepEqual(reading.failedFields, []);
  const fillerForNumber = verifyMrz([TD3[0]!, replaceAt(TD3[1]!, 9, '<')]);
  assert.ok(fillerForNumber.isRecognised);
  assert.ok(fillerForNumber.failedFields.includes('document_number'));
});

test('a TD1 number longer than nine characters is reported as not verified, not guessed', () => {
  const overflowing = ['I<UTOD23145890<7349<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', TD1[2]!];
  const reading = verifyMrz(overflowing);
  assert.ok(reading.isRecognised);
  assert.deepEqual(reading.uncheckedFields, ['document_number']);
  assert.deepEqual(reading.failedFields, []);
  assert.equal(reading.documentNumber, null);
});

test('lines are read trimmed and upper-cased, as people paste them', () => {
  const reading = verifyMrz(TD3.map((line) => ` ${line.toLowerCase()}\n`));
  assert.ok(reading.isRecognised);
  assert.deepEqual(reading.failedFields, []);
});

test('a zone in no Doc 9303 layout is not recognised', () => {
  const cases: [string, string[]][] = [
    ['one line', [TD3[1]!]],
    ['a line too short', [TD3[0]!, TD3[1]!.slice(0, 43)]],
    ['lines of different lengths', [TD2[0]!, TD3[1]!]],
    ['a character outside A-Z 0-9 <', [TD3[0]!, replaceAt(TD3[1]!, 5, '-')]],
    ['no lines', []],
  ];
  for (const [name, lines] of cases) assert.deepEqual(verifyMrz(lines), { isRecognised: false }, name);
});
