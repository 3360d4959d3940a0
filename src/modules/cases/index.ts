/** The cases module's public surface: the case lifecycle, four eyes, and disposition memory. */
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
