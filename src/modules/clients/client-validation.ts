/**
 * The checks on a client's data that a schema cannot make: dates that exist and make sense, country
 * codes that exist, identity documents still valid, registration numbers whose check digits match.
 * Run after the schema accepted the shape; every message is written for the person who typed it.
 */
import { isCountryCode } from '../../platform/iso-countries.ts';
import type { ClientData, LegalEntityData, NaturalPersonData } from './client-data.schemas.ts';
import { checkDocumentNumber, checkRegistrationNumber } from './registration-numbers.ts';

/** One problem, at a JSON pointer into the submitted data. */
export type ClientIssue = { pointer: string; message: string };

/** Errors refuse the data; warnings are shown and the data is still accepted. */
export type ClientValidation = { errors: ClientIssue[]; warnings: ClientIssue[] };

// Documents a few weeks from expiry are accepted, but the firm should ask for the renewal now.
const EXPIRY_WARNING_DAYS = 30;
// Older than the oldest person on record (122): a typing error in the year, not a client.
const MAX_AGE_YEARS = 130;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is YYYY-MM-DD and that day exists in the Gregorian calendar. */
function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= (monthDays[month - 1] ?? 0);
}

function addDays(date: string, days: number): string {
  const moved = new Date(`${date}T00:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

// YYYY-MM-DD strings compare in calendar order, so dates need no parsing to be compared.
function yearsBefore(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) - years).padStart(4, '0')}${date.slice(4)}`;
}

type Collect = {
  error(pointer: string, message: string): void;
  warn(pointer: string, message: string): void;
};

/** Adds an error when `date` is not a real day; answers whether it is, so later checks can skip it. */
function checkDate(report: Collect, pointer: string, date: string, label: string): boolean {
  if (isCalendarDate(date)) return true;
  report.error(pointer, `${label} ${date} is not a date in the calendar.`);
  return false;
}

function checkCountry(report: Collect, pointer: string, code: string): void {
  if (!isCountryCode(code))
    report.error(pointer, `${code} is not a country code (ISO 3166-1, e.g. DE or FR).`);
}

function checkPerson(report: Collect, person: NaturalPersonData, today: string): void {
  if (checkDate(report, '/birthDate', person.birthDate, 'The birth date')) {
    if (person.birthDate > today) report.error('/birthDate', 'The birth date is in the future.');
    else if (person.birthDate < yearsBefore(today, MAX_AGE_YEARS))
      report.error('/birthDate', `The birth date makes the person over ${MAX_AGE_YEARS}: check the year.`);
  }
  person.nationalities.forEach((code, index) => checkCountry(report, `/nationalities/${index}`, code));
  checkCountry(report, '/countryOfResidence', person.countryOfResidence);

  const document = person.identityDocument;
  checkCountry(report, '/identityDocument/issuingCountry', document.issuingCountry);
  const number = checkDocumentNumber(document.type, document.issuingCountry, document.number);
  if (number.status === 'invalid') report.error('/identityDocument/number', number.message);
  const expiry = document.expiryDate;
  if (checkDate(report, '/identityDocument/expiryDate', expiry, 'The expiry date')) {
    if (expiry < today)
      report.error('/identityDocument/expiryDate', `The identity document expired on ${expiry}.`);
    else if (expiry <= addDays(today, EXPIRY_WARNING_DAYS))
      report.warn(
        '/identityDocument/expiryDate',
        `The identity document expires on ${expiry}, within ${EXPIRY_WARNING_DAYS} days: ask for the new one.`,
      );
  }
  // Enhanced due diligence depends on the function held, so a bare "yes" leaves the firm guessing.
  if (person.pepDeclaration.isPep && !person.pepDeclaration.role)
    report.warn('/pepDeclaration/role', 'The client declares being a PEP: say which public function.');
}

function checkEntity(report: Collect, entity: LegalEntityData, today: string): void {
  checkCountry(report, '/registrationCountry', entity.registrationCountry);
  const number = checkRegistrationNumber(entity.registrationCountry, entity.registrationNumber);
  if (number.status === 'invalid') report.error('/registrationNumber', number.message);
  if (
    checkDate(report, '/incorporationDate', entity.incorporationDate, 'The incorporation date') &&
    entity.incorporationDate > today
  )
    report.error('/incorporationDate', 'The incorporation date is in the future.');
}

/** Checks a client's data, already of the schema's shape, on `today` (YYYY-MM-DD, the firm's date). */
export function validateClient(data: ClientData, today: string): ClientValidation {
  if (!isCalendarDate(today)) throw new TypeError(`today must be a YYYY-MM-DD date, not ${today}`);
  const result: ClientValidation = { errors: [], warnings: [] };
  const report: Collect = {
    error: (pointer, message) => result.errors.push({ pointer, message }),
    warn: (pointer, message) => result.warnings.push({ pointer, message }),
  };
  checkCountry(report, '/address/country', data.address.country);
  if (data.kind === 'natural_person') checkPerson(report, data, today);
  else checkEntity(report, data, today);
  return result;
}
