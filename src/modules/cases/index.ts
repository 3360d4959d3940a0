/** The cases module's public surface: the case lifecycle, four eyes, and disposition memory. */
import type { SealedTable } from '../vault/index.ts';

export {
  CASE_STATES,
  DECIDED_STATES,
  CaseMoveError,
  decisionRequirement,
  nextState,
  type CaseMove,
  type CaseState,
  type DecisionRequirement,
  type DecisionRoles,
} from './case-lifecycle.ts';
export {
  materialEntityHash,
  treatHit,
  type HitKey,
  type HitTreatment,
  type MaterialEntityFields,
  type RememberedResolution,
} from './hit-memory.ts';

/** The cases module's sealed columns, for key rotation and re-encryption. */
export const CASES_SEALED_TABLES: SealedTable[] = [
  { table: 'kyc_case_comments', scope: 'tenant', columns: ['body_sealed'] },
  { table: 'kyc_hits', scope: 'tenant', columns: ['explanation_sealed', 'reason_sealed'] },
];
export { createCasesService, type CasesService, type ClientChange } from './cases.service.ts';
export { registerCaseRoutes } from './cases.routes.ts';
export { ownershipFacts } from './kyc-ownership.ts';
