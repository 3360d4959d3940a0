/** The checks module's public surface: the provider contract, the registry and the local providers. */
export {
  CHECK_KINDS,
  IDENTITY_DOCUMENT_TYPES,
  ProviderRejectedInputError,
  ProviderUnavailableError,
  assertNotAborted,
  decideOutcome,
  inputsDigest,
  isRetryableCheckError,
  type CheckContext,
  type CheckFinding,
  type CheckInput,
  type CheckKind,
  type CheckOutcome,
  type CheckProvider,
  type CheckStatus,
  type EntityCheckInput,
  type FindingSeverity,
  type IdentityDocument,
  type IdentityDocumentType,
  type PersonCheckInput,
  type UnavailableReason,
} from './check-provider.ts';
export {
  createCheckRegistry,
  type CheckConfig,
  type CheckRegistry,
  type KindAvailability,
  type ProviderSummary,
} from './check-registry.ts';
export { createLocalDocumentCheck, LOCAL_DOCUMENT_CHECK_ID } from './local-document-check.ts';
export { createLocalRegistrationCheck, LOCAL_REGISTRATION_CHECK_ID } from './local-registration-check.ts';
export type { CheckDocumentNumber, CheckRegistrationNumber, NumberCheck } from './number-rules.ts';
