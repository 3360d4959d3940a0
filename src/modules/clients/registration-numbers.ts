/**
 * Checks of company registration numbers and identity-document numbers, for the countries whose
 * rule is published and simple. A number is called valid only when a check ran and passed; for
 * every other country the answer is 'unchecked', never a guess. Format-only rules say so in their
 * message, since a well-formed number can still belong to no one.
 */

/** What a check concluded, with the number in the compact form it is stored and indexed in. */
export type NumberCheck =
  | { status: 'valid' | 'unchecked'; normalised: string; message?: string }
  | { status: 'invalid'; normalised: string; message: string };

/** The identity documents a natural person may show. */
export const DOCUMENT_TYPES = ['passport', 'national_id', 'driving_licence', 'residence_permit'] as const;
/** One of `DOCUMENT_TYPES`. */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

// Registers and their users write separators at will: "556012-5790", "0417.497.106", "DK 24 25 67 90".
const compact = (value: string): string =>
  value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-./]/g, '');

const digitsOf = (value: string): number[] => [...value].map(Number);
const weightedSum = (digits: readonly number[], weights: readonly number[]): number =>
  weights.reduce((sum, weight, index) => sum + weight * (digits[index] ?? 0), 0);

const FORMAT_ONLY = 'Well-formed: no check digit is published for it, so only the format was checked.';
const TYPING_ERROR = 'check it for a typing error.';

const valid = (normalised: string, message?: string): NumberCheck =>
  message ? { status: 'valid', normalised, message } : { status: 'valid', normalised };
const invalid = (normalised: string, message: string): NumberCheck => ({
  status: 'invalid',
  normalised,
  message,
});

/** The ISO 7064 MOD 97-10 remainder of an alphanumeric string (letters count A=10 … Z=35). */
function mod97(value: string): number {
  let remainder = 0;
  for (const character of value) {
    const code = Number.parseInt(character, 36);
    remainder = (code < 10 ? remainder * 10 + code : remainder * 100 + code) % 97;
  }
  return remainder;
}

/** The Luhn (mod 10) test: every second digit from the right doubled, the sum a multiple of ten. */
function passesLuhn(digits: readonly number[]): boolean {
  let sum = 0;
  for (const [index, digit] of digits.toReversed().entries()) {
    const doubled = digit * 2;
    sum += index % 2 === 0 ? digit : doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
}

type Rule = (compacted: string) => NumberCheck;

// Each rule cites where it is published. Country prefixes are stripped only where the VAT number
// is the registration number itself, so a pasted VAT number still finds the company.
const RULES: Record<string, Rule> = {
  // Erhvervsstyrelsen (Danish Business Authority), "Modulus 11-kontrol" of CVR numbers:
  // 8 digits, weights 2 7 6 5 4 3 2 1, weighted sum divisible by 11. DK + CVR is the VAT number.
  DK: (value) => {
    const number = value.replace(/^DK(?=\d{8}$)/, '');
    if (!/^\d{8}$/.test(number)) return invalid(number, 'A Danish CVR number has 8 digits.');
    if (weightedSum(digitsOf(number), [2, 7, 6, 5, 4, 3, 2, 1]) % 11 !== 0)
      return invalid(number, `The check digit of this CVR number does not match: ${TYPING_ERROR}`);
    return valid(number);
  },
  // Brønnøysundregistrene, "Organisasjonsnummer": 9 digits, the last a modulus 11 check digit over
  // weights 3 2 7 6 5 4 3 2. The VAT number is NO + number + MVA.
  NO: (value) => {
    const number = value.replace(/^(?:NO)?(\d{9})(?:MVA)?$/, '$1');
    if (!/^\d{9}$/.test(number)) return invalid(number, 'A Norwegian organisation number has 9 digits.');
    if (weightedSum(digitsOf(number), [3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 !== 0)
      return invalid(number, `The check digit of this organisation number does not match: ${TYPING_ERROR}`);
    return valid(number);
  },
  // Skatteverket, SKV 709 "Organisationsnummer": 10 digits, the last a Luhn (modulus 10) check
  // digit. The VAT number is SE + number + 01.
  SE: (value) => {
    const number = value.replace(/^SE(\d{10})(?:01)?$/, '$1');
    if (!/^\d{10}$/.test(number)) return invalid(number, 'A Swedish organisation number has 10 digits.');
    if (!passesLuhn(digitsOf(number)))
      return invalid(number, `The check digit of this organisation number does not match: ${TYPING_ERROR}`);
    return valid(number);
  },
  // Verohallinto and PRH, check digit of the business ID (Y-tunnus): 7 digits and a check digit,
  // weights 7 9 10 5 8 4 2; remainder 0 gives 0, remainder 1 is never issued, else 11 − remainder.
  // FI + the 8 digits is the VAT number.
  FI: (value) => {
    const number = value.replace(/^FI(?=\d{8}$)/, '');
    if (!/^\d{8}$/.test(number))
      return invalid(number, 'A Finnish business ID has 7 digits, a dash and a check digit (1234567-8).');
    const remainder = weightedSum(digitsOf(number), [7, 9, 10, 5, 8, 4, 2]) % 11;
    // Remainder 1 would need check digit 10: such numbers are never issued, and no digit matches.
    const check = remainder === 0 ? 0 : 11 - remainder;
    if (check !== Number(number[7]))
      return invalid(number, `The check digit of this business ID does not match: ${TYPING_ERROR}`);
    return valid(number);
  },
  // KvK (Kamer van Koophandel): the KvK number has 8 digits and no published check digit.
  NL: (value) =>
    /^\d{8}$/.test(value) ? valid(value, FORMAT_ONLY) : invalid(value, 'A KvK number has 8 digits.'),
  // Companies House: a company number has 8 characters, 8 digits or a 2-letter prefix (SC, NI, OC…)
  // and 6 digits. Rarer shapes exist (e.g. registered societies), so another 8-character value is
  // left unchecked rather than refused.
  GB: (value) => {
    if (/^(?:\d{8}|[A-Z]{2}\d{6})$/.test(value)) return valid(value, FORMAT_ONLY);
    if (/^[A-Z0-9]{8}$/.test(value)) return { status: 'unchecked', normalised: value };
    const hint = /^\d{1,7}$/.test(value) ? ' Write the leading zeros (e.g. 00012345).' : '';
    return invalid(value, `A Companies House number has 8 characters.${hint}`);
  },
  // FPS Economy, Crossroads Bank for Enterprises (KBO/BCE): the enterprise number has 10 digits,
  // the last two equal to 97 − (the first 8 mod 97). Older 9-digit numbers take a leading 0, and
  // BE + the number is the VAT number.
  BE: (value) => {
    const stripped = value.replace(/^BE(?=\d{9,10}$)/, '');
    const number = /^\d{9}$/.test(stripped) ? `0${stripped}` : stripped;
    if (!/^\d{10}$/.test(number)) return invalid(number, 'A Belgian enterprise number has 10 digits.');
    if (97 - (Number(number.slice(0, 8)) % 97) !== Number(number.slice(8)))
      return invalid(number, `The check digits of this enterprise number do not match: ${TYPING_ERROR}`);
    return valid(number);
  },
  // RIK e-Business Register (äriregister): the registry code has 8 digits; its check digit is not
  // published, so only the format is checked.
  EE: (value) =>
    /^\d{8}$/.test(value)
      ? valid(value, FORMAT_ONLY)
      : invalid(value, 'An Estonian registry code has 8 digits.'),
};

// ISO 17442: 18 alphanumerics then 2 check digits. No register above uses 20 characters, so a
// value of this shape is taken for an LEI whatever the country.
const LEI_SHAPE = /^[0-9A-Z]{18}\d{2}$/;

/** Checks a company registration number (or an LEI, for any country) by the register's published rule. */
export function checkRegistrationNumber(country: string, number: string): NumberCheck {
  const value = compact(number);
  // ISO 17442 with ISO 7064 MOD 97-10, as GLEIF publishes it: the whole code mod 97 is 1.
  if (LEI_SHAPE.test(value)) {
    return mod97(value) === 1
      ? valid(value)
      : invalid(value, `This looks like an LEI, but its check digits do not match: ${TYPING_ERROR}`);
  }
  const rule = Object.hasOwn(RULES, country) ? RULES[country] : undefined;
  return rule ? rule(value) : { status: 'unchecked', normalised: value };
}

// ICAO Doc 9303 Part 3: the machine-readable zone, where the document number is printed, holds only
// the letters A–Z and the digits 0–9.
const ICAO_NUMBER = /^[A-Z0-9]+$/;
// RvIG (Rijksdienst voor Identiteitsgegevens), "Documentnummer": 9 characters, 2 letters, 6 letters
// or digits, then a digit; the letter O is never used, so it cannot be mistaken for a zero.
const DUTCH_DOCUMENT = /^[A-NP-Z]{2}[A-NP-Z0-9]{6}\d$/;

/** Checks an identity document's number where the rule is published and simple; else 'unchecked'. */
export function checkDocumentNumber(type: DocumentType, country: string, number: string): NumberCheck {
  const value = compact(number);
  if (country === 'NL' && (type === 'passport' || type === 'national_id')) {
    return DUTCH_DOCUMENT.test(value)
      ? valid(value, FORMAT_ONLY)
      : invalid(
          value,
          'A Dutch document number has 9 characters: 2 letters, 6 letters or digits, then a digit (never the letter O).',
        );
  }
  if (type === 'passport' && !ICAO_NUMBER.test(value)) {
    return invalid(value, 'A passport number has only the letters A–Z and digits.');
  }
  return { status: 'unchecked', normalised: value };
}
