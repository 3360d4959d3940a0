/** Request and response schemas of the firm-wide risk assessment routes (responses are whitelists). */
import { Type, type Static } from 'typebox';
import { DateTime } from './risk-catalog.schemas.ts';
import { RISK_FACTORS, RISK_LEVELS } from './risk-model.schema.ts';

const Level = Type.Enum(RISK_LEVELS);
const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
// A calendar day; the format also refuses days that do not exist (2027-02-30).
const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });

/**
 * The assessment (EU AMLD art. 8, Danish AML Act §7): what it covers, each risk the firm faces
 * with its likelihood, impact and mitigations, and the conclusion. A draft may be unfinished;
 * signing asks for a scope, a conclusion and at least one risk. The bounds keep the largest
 * document under the 1 MiB request limit.
 */
export const AssessmentDocumentSchema = Type.Object(
  {
    scope: Type.String({ maxLength: 10_000 }),
    riskFactors: Type.Array(
      Type.Object(
        {
          area: Type.Enum(RISK_FACTORS),
          description: Type.String({ minLength: 1, maxLength: 2000 }),
          likelihood: Level,
          impact: Level,
          mitigations: Type.String({ maxLength: 2000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 60 },
    ),
    conclusion: Type.String({ maxLength: 10_000 }),
  },
  { additionalProperties: false },
);
/** The assessment document. */
export type AssessmentDocument = Static<typeof AssessmentDocumentSchema>;

/** Signing the draft: when the next review is due. */
export const SignBody = Type.Object({ reviewDue: Day }, { additionalProperties: false });

/** One version of the assessment. */
export const VersionResponse = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  status: Type.Enum(['draft', 'signed'] as const),
  document: AssessmentDocumentSchema,
  reviewDue: Nullable(Type.String()),
  createdAt: DateTime,
  createdBy: Uuid,
  updatedAt: DateTime,
  updatedBy: Uuid,
  signedAt: Nullable(DateTime),
  signedBy: Nullable(Uuid),
});
/** The signed version in force and the open draft. */
export const AssessmentResponse = Type.Object({
  current: Nullable(VersionResponse),
  draft: Nullable(VersionResponse),
});
/** Every version, newest first. */
export const VersionsResponse = Type.Object({ versions: Type.Array(VersionResponse) });

const Count = Type.Integer({ minimum: 0 });

/** Figures on the client book, computed now. */
export const OverviewResponse = Type.Object({
  asOf: DateTime,
  clients: Count,
  byLevel: Type.Object({ low: Count, medium: Count, high: Count }),
  neverEvaluated: Count,
  overridden: Count,
  peps: Count,
  highRiskShare: Type.Number({ minimum: 0, maximum: 1 }),
  reviewDue: Count,
  byService: Type.Array(Type.Object({ code: Type.String(), clients: Count })),
  byCountry: Type.Array(Type.Object({ countryCode: Nullable(Type.String()), clients: Count })),
  otherCountries: Count,
  byClientType: Type.Array(Type.Object({ code: Type.String(), clients: Count })),
});
