/**
 * OFAC's own vocabulary, shared by the CSV and XML importers: the identifier labels OFAC writes
 * (as `idType` in XML, as "Label value (Country)" in the CSV Remarks field), its birth-date forms,
 * and the Remarks parser that recovers birth data, nationalities, identifiers and weak aliases.
 */
import type { ListedEntity } from '../list-entity.ts';
import { lookUpCountryName } from './country-names.ts';
import {
  addCountry,
  addDate,
  addIdentifier,
  addName,
  addValue,
  imoNumber,
  listYears,
  normaliseDate,
  type IdentifierType,
  type Warnings,
} from './importer-helpers.ts';

// Only labels that clearly name an identity or registration number; the rest of OFAC's idTypes
// (Website, Gender, "Secondary sanctions risk:", directive dates …) are not identifiers.
const LABELS_BY_TYPE: Record<IdentifierType, string[]> = {
  passport: ['Passport', 'Diplomatic Passport', 'Travel Document Number'],
  national_id: [
    'National ID No.',
    'Cedula No.',
    'C.U.R.P.',
    'D.N.I.',
    'Personal ID Card',
    'National Foreign ID Number',
    'Turkish Identification Number',
    "Citizen's Card Number",
    'Kenyan ID No.',
    'Numero de Identidad',
    'C.U.I.',
    'SSN',
  ],
  registration: [
    'Registration Number',
    'Registration ID',
    'Business Registration Number',
    'Business Registration Document #',
    'Business Number',
    'Company Number',
    'UK Company Number',
    'Commercial Registry Number',
    'Legal Entity Number',
    'Chamber of Commerce Number',
    'Istanbul Chamber of Comm. No.',
    'Dubai Chamber of Commerce Membership No.',
    'Trade License No.',
    'Folio Mercantil No.',
    'Matricula Mercantil No',
    'Certificate of Incorporation Number',
    'C.R. No.',
    'Public Registration Number',
    'Central Registration System Number',
    'Economic Register Number (CBLS)',
    'Unified Social Credit Code (USCC)',
    'United Social Credit Code Certificate (USCCC)',
    'Enterprise Number',
    'Government Gazette Number',
    'Registered Charity No.',
  ],
  tax_id: [
    'Tax ID No.',
    'R.F.C.',
    'RFC',
    'NIT #',
    'RUC #',
    'RIF #',
    'V.A.T. Number',
    'C.U.I.T.',
    'US FEIN',
    'Italian Fiscal Code',
    'RTN',
  ],
  swift: ['SWIFT/BIC'],
  imo: ['Vessel Registration Identification'],
  other: [
    'Identification Number',
    'MMSI',
    'Aircraft Tail Number',
    "Aircraft Manufacturer's Serial Number (MSN)",
    'Birth Certificate Number',
    'Residency Number',
    "Driver's License No.",
    'Electoral Registry No.',
    'Credencial electoral',
    'I.F.E.',
    'D-U-N-S Number',
    'BIK (RU)',
    'Permit Number',
  ],
};

const TYPE_BY_LABEL = new Map<string, IdentifierType>(
  Object.entries(LABELS_BY_TYPE).flatMap(([type, labels]) =>
    labels.map((label): [string, IdentifierType] => [label, type as IdentifierType]),
  ),
);

// Longest first, so "Business Registration Number" wins over "Business Number"'s neighbours.
const LABELS_LONGEST_FIRST = [...TYPE_BY_LABEL.keys()].sort((a, b) => b.length - a.length);

/** OFAC XML's country-of-registration idType, which is a country link rather than an identifier. */
export const REGISTRATION_COUNTRY_LABEL = 'Nationality of Registration';

/**
 * The identifier type for an OFAC label and value, or null when the label is not an identifier.
 * An "Identification Number" holding `IMO 1234567` is a company's IMO number.
 */
export function ofacIdentifierType(label: string, value: string): IdentifierType | null {
  const type = TYPE_BY_LABEL.get(label.trim());
  if (type === undefined) return null;
  if (type === 'imo') return imoNumber(value) === undefined ? 'other' : 'imo';
  if (label.trim() === 'Identification Number' && imoNumber(value) !== undefined) return 'imo';
  return type;
}

/**
 * Birth dates from an OFAC date: `12 Mar 1960`, `Mar 1960`, `1960`, `circa 1960`, and ranges
 * (`1960 to 1962`, `01 Jan 1960 to 31 Dec 1962`) as each year, or the month when both ends share it.
 */
export function parseOfacBirthDates(raw: string, warnings: Warnings, context: string): string[] {
  const value = raw
    .trim()
    .replace(/\.$/, '')
    .replace(/^circa\s+/i, '');
  const single = normaliseDate(value);
  if (single !== null) return [single];
  const range = /^(.+?)\s*(?:\bto\b|-)\s*(.+)$/.exec(value);
  if (range) {
    const from = normaliseDate(range[1] ?? '');
    const to = normaliseDate(range[2] ?? '');
    if (from !== null && to !== null) {
      if (from === to) return [from];
      if (from.slice(0, 7) === to.slice(0, 7) && from.length >= 7) return [from.slice(0, 7)];
      return listYears(Number(from.slice(0, 4)), Number(to.slice(0, 4)), warnings, context);
    }
  }
  const dates: string[] = [];
  addDate(dates, value, warnings, context);
  return dates;
}

/** An OFAC-style "value (Place) (Country) issued … expires …" split into the value and country. */
export function splitIdentifierText(rest: string): { value: string; countryName: string | undefined } {
  const text = rest.replace(/^(?:No\.?|Number|#)\s+/, '');
  const end = text.search(/\s\(|(?:^|\s)(?:issued|expires)\b/);
  const value = (end >= 0 ? text.slice(0, end) : text).replace(/[.,]$/, '');
  // The country is the last parenthesised part that is a country: "HRA 738569 (Stuttgart) (Germany)".
  const groups = [...text.matchAll(/\(([^()]+)\)/g)].map((match) => match[1] ?? '');
  const countryName = groups.reverse().find((group) => typeof lookUpCountryName(group) === 'string');
  return { value, countryName };
}

function addRemarkIdentifier(entity: ListedEntity, part: string, warnings: Warnings): boolean {
  const label = LABELS_LONGEST_FIRST.find((candidate) => part.startsWith(`${candidate} `));
  if (label === undefined) return false;
  const { value, countryName } = splitIdentifierText(part.slice(label.length + 1));
  const type = ofacIdentifierType(label, value);
  if (type === null || value === '') return false;
  const country =
    countryName === undefined ? undefined : addCountryCode(countryName, warnings, 'sdn.csv Remarks');
  addIdentifier(entity, type, value, country);
  return true;
}

function addCountryCode(name: string, warnings: Warnings, context: string): string | undefined {
  const codes: string[] = [];
  addCountry(codes, name, warnings, context);
  return codes[0];
}

/**
 * Reads the semicolon-separated Remarks of an sdn.csv entry into the entity. The quoted `a.k.a.`
 * names there are OFAC's weak aliases (strong ones are in alt.csv), so they are added as weak.
 */
export function applyOfacRemarks(entity: ListedEntity, remarks: string, warnings: Warnings): void {
  const context = 'sdn.csv Remarks';
  for (const rawPart of remarks.split(';')) {
    const part = rawPart
      .trim()
      .replace(/^alt\.\s+/, '')
      .replace(/\.$/, '');
    const alias = /^[afn]\.k\.a\.,?\s+'(.*)$/.exec(part);
    if (alias) {
      addName(entity, (alias[1] ?? '').replace(/'$/, ''), 'weak');
      continue;
    }
    const registration = new RegExp(`^${REGISTRATION_COUNTRY_LABEL} (.+)$`).exec(part);
    if (registration) {
      addCountry(entity.countries, registration[1] ?? '', warnings, context);
      continue;
    }
    const [, key, rest = ''] = /^(DOB|POB|nationality|citizen) (.+)$/.exec(part) ?? [];
    if (key === 'DOB') {
      for (const date of parseOfacBirthDates(rest, warnings, context)) addValue(entity.birthDates, date);
    } else if (key === 'POB') addValue(entity.birthPlaces, rest);
    else if (key !== undefined) addCountry(entity.nationalities, rest, warnings, context);
    else addRemarkIdentifier(entity, part, warnings);
  }
}
