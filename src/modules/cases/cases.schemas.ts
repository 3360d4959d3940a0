/** Request and response schemas of the case routes. */
import { Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });

/** `:caseId`. */
export const CaseParams = Type.Object({ caseId: Uuid }, { additionalProperties: false });
/** `:caseId/hits/:hitId`. */
export const HitParams = Type.Object({ caseId: Uuid, hitId: Uuid }, { additionalProperties: false });
/** `:clientId`. */
export const ClientParams = Type.Object({ clientId: Uuid }, { additionalProperties: false });

/** How an officer resolves a hit. */
export const ResolveHitBody = Type.Object(
  {
    resolution: Type.Enum(['true_match', 'false_positive'] as const),
    reason: Type.String({ minLength: 10, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

/** A decision. */
export const DecisionBody = Type.Object(
  { outcome: Type.Enum(['approved', 'rejected', 'needs_info'] as const) },
  { additionalProperties: false },
);
