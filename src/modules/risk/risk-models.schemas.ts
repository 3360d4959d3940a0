/** Request and response schemas of the risk model routes (responses are whitelists). */
import { Type } from 'typebox';
import { ModelDefinitionSchema, RISK_LEVELS, DISPOSITIONS, ValueTypeSchema } from './risk-model.schema.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** `:modelId`. */
export const ModelParams = Type.Object({ modelId: Uuid }, { additionalProperties: false });
/** `:dryRunId`. */
export const DryRunParams = Type.Object({ dryRunId: Uuid }, { additionalProperties: false });

/** A body carrying a model definition. */
export const DefinitionBody = Type.Object(
  { definition: ModelDefinitionSchema },
  { additionalProperties: false },
);

/** The approver's optional note. */
export const ApproveBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
  { additionalProperties: false },
);
/** Why a version is sent back. */
export const RejectBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

/** A page of a dry run's changes. */
export const DryRunQuery = Type.Object(
  {
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const ModelFields = {
  id: Uuid,
  version: Type.Integer(),
  name: Type.String(),
  status: Type.Enum(['draft', 'pending_approval', 'published', 'superseded', 'rejected'] as const),
  editors: Type.Array(Uuid),
  createdAt: DateTime,
  createdBy: Nullable(Uuid),
  updatedAt: DateTime,
  submittedAt: Nullable(DateTime),
  submittedBy: Nullable(Uuid),
  decidedAt: Nullable(DateTime),
  decidedBy: Nullable(Uuid),
  decisionNote: Nullable(Type.String()),
  publishedAt: Nullable(DateTime),
};

/** One version with its definition. */
export const ModelResponse = Type.Object({ ...ModelFields, definition: ModelDefinitionSchema });
/** Every version, without definitions. */
export const ModelListResponse = Type.Object({ models: Type.Array(Type.Object(ModelFields)) });

const Issue = Type.Object({
  path: Type.String(),
  message: Type.String(),
  start: Type.Optional(Type.Integer()),
  end: Type.Optional(Type.Integer()),
  pointer: Type.Optional(Type.String()),
});

/** The outcome of checking a definition. */
export const CheckResponse = Type.Object({
  isValid: Type.Boolean(),
  issues: Type.Array(Issue),
  inputs: Type.Array(Type.String()),
});

/** The variables and functions rules may use. */
export const VariablesResponse = Type.Object({
  variables: Type.Array(
    Type.Object({ name: Type.String(), type: ValueTypeSchema, description: Type.String() }),
  ),
  functions: Type.Array(Type.String()),
});

const Outcome = Nullable(
  Type.Object({ level: Type.Enum(RISK_LEVELS), disposition: Type.Enum(DISPOSITIONS), points: Type.Number() }),
);
const Change = Type.Object({
  clientId: Type.String(),
  from: Outcome,
  to: Outcome,
  error: Type.Optional(Type.String()),
});
const Distribution = Type.Record(Type.String(), Type.Integer());
const Summary = Type.Object({
  clients: Type.Integer(),
  failed: Type.Integer(),
  changed: Type.Integer(),
  candidate: Distribution,
  baseline: Nullable(Distribution),
  milliseconds: Type.Integer(),
});

/** A dry run with one page of its changes. */
export const DryRunResponse = Type.Object({
  id: Uuid,
  modelId: Uuid,
  baselineModelId: Nullable(Uuid),
  createdAt: DateTime,
  summary: Summary,
  total: Type.Integer(),
  changes: Type.Array(Change),
});
