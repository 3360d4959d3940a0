/**
 * The shape of a risk model definition: the one schema the API, the CLI and the compiler use.
 * A definition is plain JSON, so a model can be exported, reviewed, diffed and tested offline.
 */
import { Type, type Static } from 'typebox';

/** Risk levels, lowest first. */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
/** A risk level. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What happens to a client at a level, mildest first. */
export const DISPOSITIONS = ['auto_approve', 'manual_review', 'reject'] as const;
/** A disposition. */
export type Disposition = (typeof DISPOSITIONS)[number];

/** The risk-factor groups of the EBA risk-factor guidelines (EBA/GL/2021/02), plus other. */
export const RISK_FACTORS = ['customer', 'geography', 'product', 'channel', 'other'] as const;
/** A risk-factor group. */
export type RiskFactor = (typeof RISK_FACTORS)[number];

const Slug = Type.String({ pattern: '^[a-z][a-z0-9_]{0,59}$', maxLength: 60 });
const VariableName = Type.String({ pattern: '^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*){0,3}$', maxLength: 120 });
const Options = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 300 });

/** The type of an input the model reads. */
export const ValueTypeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('number') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('boolean') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('text'), options: Type.Optional(Options), ordered: Type.Optional(Type.Boolean()) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('list'), options: Type.Optional(Options) },
    { additionalProperties: false },
  ),
]);

/** A value computed from the facts, read by rules as `derived.<name>`. */
export const DerivedDefinition = Type.Object(
  {
    name: Slug,
    description: Type.String({ maxLength: 500 }),
    expression: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

/** One rule: a condition, and the points or outcome it adds when it holds. */
export const RuleDefinition = Type.Object(
  {
    id: Slug,
    description: Type.String({ minLength: 1, maxLength: 500 }),
    factor: Type.Enum(RISK_FACTORS),
    when: Type.String({ minLength: 1, maxLength: 2000 }),
    points: Type.Optional(Type.Integer({ minimum: -100, maximum: 100 })),
    forceLevel: Type.Optional(Type.Enum(['medium', 'high'] as const)),
    forceDisposition: Type.Optional(Type.Enum(['manual_review', 'reject'] as const)),
  },
  { additionalProperties: false },
);

/** A whole model definition. */
export const ModelDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    // The type of every fact the model reads; filled in from the catalogue when a model is saved,
    // so that a stored model can be evaluated (and replayed) on its own.
    // A pattern-keyed record checks only keys that match; refuse the others outright.
    inputs: Type.Optional(
      Type.Record(VariableName, ValueTypeSchema, { maxProperties: 500, additionalProperties: false }),
    ),
    derived: Type.Optional(Type.Array(DerivedDefinition, { maxItems: 100 })),
    rules: Type.Array(RuleDefinition, { minItems: 1, maxItems: 300 }),
    thresholds: Type.Object(
      {
        medium: Type.Integer({ minimum: -1000, maximum: 10000 }),
        high: Type.Integer({ minimum: -1000, maximum: 10000 }),
      },
      { additionalProperties: false },
    ),
    dispositions: Type.Object(
      { low: Type.Enum(DISPOSITIONS), medium: Type.Enum(DISPOSITIONS), high: Type.Enum(DISPOSITIONS) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** A model definition. */
export type ModelDefinition = Static<typeof ModelDefinitionSchema>;
/** A rule of a model. */
export type RuleDefinitionInput = Static<typeof RuleDefinition>;
