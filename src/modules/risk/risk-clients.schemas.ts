/** Request and response schemas of the client risk routes (responses are whitelists). */
import { Type } from 'typebox';
import { DISPOSITIONS, RISK_FACTORS, RISK_LEVELS } from './risk-model.schema.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', maxLength: 40 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Level = Type.Enum(RISK_LEVELS);
const Disposition = Type.Enum(DISPOSITIONS);

/** A fact's value: codes, counts, flags and lists of codes only. */
const FactValue = Type.Union([
  Type.Number(),
  Type.Boolean(),
  Type.String({ maxLength: 60 }),
  Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 }),
  Type.Null(),
]);
const Facts = Type.Record(Type.String({ pattern: '^[a-z_][a-z0-9_.]{0,119}$' }), FactValue, {
  maxProperties: 200,
});

/** `:clientId`. */
export const ClientParams = Type.Object({ clientId: Uuid }, { additionalProperties: false });
/** `:clientId/documents/:requirementCode`. */
export const DocumentParams = Type.Object(
  { clientId: Uuid, requirementCode: Code },
  { additionalProperties: false },
);
/** `:evaluationId`. */
export const EvaluationParams = Type.Object({ evaluationId: Uuid }, { additionalProperties: false });
/** How many evaluations to list. */
export const EvaluationsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
  { additionalProperties: false },
);

/** A client's risk profile. */
export const ProfileBody = Type.Object(
  {
    clientType: Code,
    countryCode: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$' }))),
    industryCode: Type.Optional(
      Nullable(Type.String({ pattern: '^[A-U](\\d{2}(\\.\\d{1,2})?)?$', maxLength: 6 })),
    ),
    services: Type.Array(Code, { maxItems: 50 }),
    facts: Type.Optional(Facts),
  },
  { additionalProperties: false },
);

/** The stored profile. */
export const ProfileResponse = Type.Object({
  clientId: Uuid,
  clientType: Type.String(),
  countryCode: Nullable(Type.String()),
  industryCode: Nullable(Type.String()),
  services: Type.Array(Type.String()),
  facts: Facts,
});

/** A document's status. */
export const DocumentBody = Type.Object(
  {
    status: Type.Enum(['missing', 'received', 'approved', 'expired'] as const),
    expiresOn: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  },
  { additionalProperties: false },
);
/** The document as recorded. */
export const DocumentResponse = Type.Object({
  requirementCode: Type.String(),
  status: Type.String(),
  expiresOn: Nullable(Type.String()),
});
/** The documents a client needs. */
export const DocumentsResponse = Type.Object({
  documents: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      status: Type.String(),
      expiresOn: Nullable(Type.String()),
    }),
  ),
});

const RuleTrace = Type.Object({
  id: Type.String(),
  outcome: Type.Enum(['fired', 'not_fired', 'unknown', 'error'] as const),
  points: Type.Number(),
  forceLevel: Type.Optional(Level),
  forceDisposition: Type.Optional(Disposition),
  missing: Type.Optional(Type.Array(Type.String())),
  error: Type.Optional(Type.String()),
});

/** What the model concluded, and why. */
export const ResultSchema = Type.Object({
  level: Level,
  disposition: Disposition,
  points: Type.Number(),
  levelFromPoints: Level,
  pointsByFactor: Type.Object(Object.fromEntries(RISK_FACTORS.map((factor) => [factor, Type.Number()]))),
  reasons: Type.Array(Type.String()),
  rules: Type.Array(RuleTrace),
  variables: Type.Record(Type.String(), FactValue),
  hasFailure: Type.Optional(Type.Boolean()),
  override: Type.Optional(Nullable(Type.Object({ id: Uuid, level: Level, expiresAt: DateTime }))),
});

/** A stored evaluation. */
export const EvaluationResponse = Type.Object({
  id: Uuid,
  clientId: Uuid,
  modelId: Uuid,
  modelVersion: Type.Integer(),
  level: Level,
  disposition: Disposition,
  overrideId: Nullable(Uuid),
  evaluatedAt: DateTime,
  evaluatedBy: Nullable(Type.String()),
  facts: Facts,
  result: ResultSchema,
});
/** A client's evaluations. */
export const EvaluationsResponse = Type.Object({ evaluations: Type.Array(EvaluationResponse) });
/** A replay compared with the original. */
export const ReplayResponse = Type.Object({
  evaluationId: Uuid,
  modelVersion: Type.Integer(),
  isSame: Type.Boolean(),
  original: ResultSchema,
  replayed: ResultSchema,
});

/** An officer's override. */
export const OverrideBody = Type.Object(
  { level: Level, reason: Type.String({ minLength: 10, maxLength: 2000 }), expiresAt: DateTime },
  { additionalProperties: false },
);
/** The override in force. */
export const OverrideResponse = Type.Object({
  id: Uuid,
  clientId: Uuid,
  level: Level,
  reason: Type.String(),
  expiresAt: DateTime,
  createdAt: DateTime,
  createdBy: Type.String(),
});
/** The override in force, if any. */
export const CurrentOverrideResponse = Type.Object({ override: Nullable(OverrideResponse) });
