/**
 * The identity-document check that runs on this machine: expiry, the number's format where the
 * clients module's rule is certain (injected, as this module may not import it), and the MRZ check
 * digits. It sees only what the client record says about the document, so it can find
 * inconsistencies but never confirm that a document is genuine; it passes only when an identifying
 * detail (the number's format or the MRZ) was actually verified.
 */
import {
  assertNotAborted,
  decideOutcome,
  IDENTITY_DOCUMENT_TYPES,
  ProviderRejectedInputError,
  type CheckFinding,
  type CheckOutcome,
  type CheckProvider,
  type IdentityDocument,
} from './check-provider.ts';
import {
  findingsForNumberCheck,
  versionWithRules,
  type CheckDocumentNumber,
  type NumberCheck,
} from './number-rules.ts';
import { verifyMrz, type MrzField } from './mrz-check-digits.ts';

/** The provider's id in tenants' configurations. */
export const LOCAL_DOCUMENT_CHECK_ID = 'local-document-check';

/** Days before expiry from which a document draws a warning, since a renewal takes weeks. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const MAX_NUMBER_LENGTH = 64;
const MAX_MRZ_LINES = 3;
const MAX_MRZ_LINE_LENGTH = 60;

const FIELD_NAMES: Record<MrzField, string> = {
  document_number: 'document number',
  birth_date: 'date of birth',
  expiry_date: 'expiry date',
  optional_data: 'optional data',
  composite: 'whole zone (composite)',
};

/** Days since 1970-01-01 of a real calendar date in YYYY-MM-DD form, or undefined. */
function toDayNumber(date: string): number | undefined {
  const match = ISO_DATE.exec(date);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  const isReal =
    parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
  return isReal ? parsed.getTime() / DAY_MS : undefined;
}

/** Refuses a document the caller built wrongly; messages name the field, never its value. */
function assertReadableDocument(document: IdentityDocument): void {
  if (!(IDENTITY_DOCUMENT_TYPES as readonly string[]).includes(document.type)) {
    throw new ProviderRejectedInputError('The identity document type is not one this check knows.');
  }
  const number = document.number.trim();
  if (number === '' || number.length > MAX_NUMBER_LENGTH) {
    throw new ProviderRejectedInputError('The identity document number is empty or too long.');
  }
  if (!COUNTRY_CODE.test(document.issuingCountry)) {
    throw new ProviderRejectedInputError(
      'The issuing country must be an upper-case ISO 3166-1 alpha-2 code.',
    );
  }
  if (toDayNumber(document.expiryDate) === undefined) {
    throw new ProviderRejectedInputError('The expiry date must be a calendar date in YYYY-MM-DD form.');
  }
  const mrz = document.mrz;
  if (
    mrz !== undefined &&
    (mrz.length > MAX_MRZ_LINES || mrz.some((line) => line.length > MAX_MRZ_LINE_LENGTH))
  ) {
    throw new ProviderRejectedInputError('The machine-readable zone has too many or too long lines.');
  }
}

/** The expiry findings, and the days left (negative once expired). */
export function checkExpiry(
  expiryDate: string,
  today: string,
): { findings: CheckFinding[]; daysLeft: number } {
  const daysLeft = toDayNumber(expiryDate)! - toDayNumber(today)!;
  if (daysLeft < 0) {
    return {
      daysLeft,
      findings: [{ code: 'document.expired', severity: 'critical', message: 'The document has expired.' }],
    };
  }
  if (daysLeft <= EXPIRY_WARNING_DAYS) {
    const message = `The document expires within ${EXPIRY_WARNING_DAYS} days (in ${daysLeft}).`;
    return { daysLeft, findings: [{ code: 'document.expiring', severity: 'warning', message }] };
  }
  return { daysLeft, findings: [] };
}

const DOCUMENT_WORDING = {
  prefix: 'document',
  invalid: 'The document number does not have the format for this document type and issuing country.',
  unchecked: 'Format not checked: no certain rule for this document type and issuing country.',
};

/** Discrepancies between a zone and the recorded fields: a typo on either side, or another document. */
function compareMrzWithRecord(
  reading: { documentNumber: string | null; expiryDate: string },
  document: IdentityDocument,
  recordedNumber: string,
): CheckFinding[] {
  const findings: CheckFinding[] = [];
  if (reading.documentNumber !== null && reading.documentNumber !== recordedNumber) {
    const message = 'The document number in the MRZ differs from the recorded one.';
    findings.push({ code: 'mrz.number_mismatch', severity: 'warning', message });
  }
  // The zone prints YYMMDD; comparing digits avoids guessing its century.
  if (reading.expiryDate !== document.expiryDate.slice(2).replaceAll('-', '')) {
    const message = 'The expiry date in the MRZ differs from the recorded one.';
    findings.push({ code: 'mrz.expiry_mismatch', severity: 'warning', message });
  }
  return findings;
}

/** MRZ findings; `isVerified` when every check digit in the zone was verified and matched. */
function checkMrz(
  document: IdentityDocument,
  recordedNumber: string,
): {
  findings: CheckFinding[];
  status: string;
  isVerified: boolean;
} {
  if (document.mrz === undefined || document.mrz.length === 0) {
    const message = 'No machine-readable zone was supplied, so its check digits were not verified.';
    return {
      status: 'absent',
      isVerified: false,
      findings: [{ code: 'mrz.absent', severity: 'info', message }],
    };
  }
  const reading = verifyMrz(document.mrz);
  if (!reading.isRecognised) {
    const message =
      'The machine-readable zone is not in an ICAO 9303 layout (TD1, TD2, TD3 or visa); not verified.';
    return {
      status: 'unreadable',
      isVerified: false,
      findings: [{ code: 'mrz.unreadable', severity: 'warning', message }],
    };
  }
  const findings: CheckFinding[] = [
    ...reading.failedFields.map((field): CheckFinding => ({
      code: 'mrz.check_digit_failed',
      severity: 'critical',
      message: `The MRZ check digit for the ${FIELD_NAMES[field]} does not match.`,
    })),
    ...reading.uncheckedFields.map((field): CheckFinding => ({
      code: 'mrz.check_digit_not_checked',
      severity: 'info',
      message: `The MRZ check digit for the ${FIELD_NAMES[field]} was not checked (long-number form).`,
    })),
  ];
  findings.push(...compareMrzWithRecord(reading, document, recordedNumber));
  const hasFailed = reading.failedFields.length > 0;
  const isVerified = !hasFailed && reading.uncheckedFields.length === 0;
  return { status: hasFailed ? 'invalid' : isVerified ? 'valid' : 'not_verified', isVerified, findings };
}

/** Checks a person's identity document as of `today` (YYYY-MM-DD), with the injected number rule. */
export function checkIdentityDocument(
  document: IdentityDocument | undefined,
  today: string,
  checkNumber: CheckDocumentNumber,
): CheckOutcome {
  if (toDayNumber(today) === undefined) {
    throw new ProviderRejectedInputError('The check date must be a calendar date in YYYY-MM-DD form.');
  }
  if (document === undefined) {
    const message = 'No identity document is on record, so nothing was checked.';
    return decideOutcome([{ code: 'document.missing', severity: 'info', message }], false, {
      hasDocument: false,
    });
  }
  assertReadableDocument(document);
  const number: NumberCheck = checkNumber(document.type, document.issuingCountry, document.number);
  if (number.normalised === '') {
    throw new ProviderRejectedInputError('The identity document number has no letters or digits.');
  }
  const expiry = checkExpiry(document.expiryDate, today);
  const mrz = checkMrz(document, number.normalised);
  const hasEvidence = expiry.daysLeft >= 0 && (number.status === 'valid' || mrz.isVerified);
  const findings = [...expiry.findings, ...findingsForNumberCheck(number, DOCUMENT_WORDING), ...mrz.findings];
  return decideOutcome(findings, hasEvidence, {
    hasDocument: true,
    daysUntilExpiry: expiry.daysLeft,
    numberFormat: number.status,
    mrz: mrz.status,
  });
}

type Deps = {
  checkNumber: CheckDocumentNumber;
  /** The version of the injected rules, when they have one. */
  numberRulesVersion?: string;
};

/** The local identity-document check provider, built around the clients module's number rules. */
export function createLocalDocumentCheck({ checkNumber, numberRulesVersion }: Deps): CheckProvider {
  return {
    id: LOCAL_DOCUMENT_CHECK_ID,
    // Bump with any change to the rules in this file or in mrz-check-digits.ts.
    version: versionWithRules('1.0.0', numberRulesVersion),
    kind: 'identity_document',
    isLocal: true,
    appliesTo: (subject) => subject.kind === 'person',
    run: async (input, context) => {
      assertNotAborted(context.signal);
      if (input.kind !== 'person') {
        throw new ProviderRejectedInputError('The identity-document check runs on persons only.');
      }
      return checkIdentityDocument(input.identityDocument, context.today, checkNumber);
    },
  };
}
