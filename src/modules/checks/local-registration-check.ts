/**
 * The company-registry check that runs on this machine: the registration number's format and
 * checksum for its country. The rules belong to the clients module, which this module may not
 * import, so the composition root injects them; without a registry lookup this check proves a
 * number is well formed, never that the company exists.
 */
import {
  assertNotAborted,
  decideOutcome,
  ProviderRejectedInputError,
  type CheckOutcome,
  type CheckProvider,
  type EntityCheckInput,
} from './check-provider.ts';
import { findingsForNumberCheck, versionWithRules, type CheckRegistrationNumber } from './number-rules.ts';

/** The provider's id in tenants' configurations. */
export const LOCAL_REGISTRATION_CHECK_ID = 'local-registration-check';

type Deps = {
  checkNumber: CheckRegistrationNumber;
  /** The version of the injected rules, when they have one, so results record which rules judged them. */
  numberRulesVersion?: string;
};

const COUNTRY_CODE = /^[A-Z]{2}$/;
const REGISTRATION_WORDING = {
  prefix: 'registration',
  invalid: 'The registration number fails the format or checksum for its country.',
  unchecked: 'Format not checked: no certain rule for registration numbers of this country.',
};
const MAX_NUMBER_LENGTH = 64;

/** Checks an entity's registration number with the injected rule. */
export function checkRegistration(
  input: EntityCheckInput,
  checkNumber: CheckRegistrationNumber,
): CheckOutcome {
  const number = input.registrationNumber?.trim() ?? '';
  const country = input.registrationCountry ?? '';
  if (number === '' || country === '') {
    const message = 'No registration number and country are on record, so nothing was checked.';
    return decideOutcome([{ code: 'registration.missing', severity: 'info', message }], false, {
      registrationNumber: 'missing',
    });
  }
  if (!COUNTRY_CODE.test(country)) {
    throw new ProviderRejectedInputError(
      'The registration country must be an upper-case ISO 3166-1 alpha-2 code.',
    );
  }
  if (number.length > MAX_NUMBER_LENGTH) {
    throw new ProviderRejectedInputError('The registration number is too long.');
  }
  const result = checkNumber(country, number);
  const findings = findingsForNumberCheck(result, REGISTRATION_WORDING);
  return decideOutcome(findings, result.status === 'valid', { registrationNumber: result.status });
}

/** The local company-registry check provider, built around the clients module's number rules. */
export function createLocalRegistrationCheck({ checkNumber, numberRulesVersion }: Deps): CheckProvider {
  return {
    id: LOCAL_REGISTRATION_CHECK_ID,
    // Bump with any change to the rules in this file.
    version: versionWithRules('1.0.0', numberRulesVersion),
    kind: 'company_registry',
    isLocal: true,
    appliesTo: (subject) => subject.kind === 'entity',
    run: async (input, context) => {
      assertNotAborted(context.signal);
      if (input.kind !== 'entity') {
        throw new ProviderRejectedInputError('The registration check runs on entities only.');
      }
      return checkRegistration(input, checkNumber);
    },
  };
}
