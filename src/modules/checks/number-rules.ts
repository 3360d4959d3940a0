/**
 * The number rules the local checks apply belong to the clients module (one rule table for the
 * platform), which this module may not import; the composition root passes them in, and this file
 * turns their answers into findings the same way for documents and registrations.
 */
import type { CheckFinding, IdentityDocumentType } from './check-provider.ts';

/** What a number rule concluded, with the number in its compact form. */
export type NumberCheck = { status: 'valid' | 'invalid' | 'unchecked'; normalised: string; message?: string };

/** The clients module's rule for company registration numbers. */
export type CheckRegistrationNumber = (country: string, number: string) => NumberCheck;

/** The clients module's rule for identity-document numbers. */
export type CheckDocumentNumber = (
  type: IdentityDocumentType,
  country: string,
  number: string,
) => NumberCheck;

/** The finding codes and fallback messages of one kind of number. */
type NumberWording = { prefix: string; invalid: string; unchecked: string };

/**
 * Findings for a rule's answer. A rule answers 'invalid' only when it is certain, so that fails the
 * check; 'unchecked' is said with an info finding; a 'valid' answer's note (say, "only the format was
 * checked") is kept as info.
 */
export function findingsForNumberCheck(result: NumberCheck, wording: NumberWording): CheckFinding[] {
  switch (result.status) {
    case 'valid':
      return result.message === undefined
        ? []
        : [{ code: `${wording.prefix}.number_note`, severity: 'info', message: result.message }];
    case 'invalid':
      return [
        {
          code: `${wording.prefix}.number_invalid`,
          severity: 'critical',
          message: result.message ?? wording.invalid,
        },
      ];
    case 'unchecked':
      return [
        {
          code: `${wording.prefix}.number_not_checked`,
          severity: 'info',
          message: result.message ?? wording.unchecked,
        },
      ];
  }
}

/** A provider's version joined with its injected rules' version, so a result records which rules judged it. */
export function versionWithRules(ownVersion: string, rulesVersion: string | undefined): string {
  return rulesVersion === undefined ? ownVersion : `${ownVersion}+rules.${rulesVersion}`;
}
