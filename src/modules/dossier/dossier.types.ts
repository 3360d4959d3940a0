/**
 * The due-diligence dossier: everything a firm keeps as evidence of its customer due diligence,
 * gathered for one client at one moment. It is a snapshot, so every value is plain data (times as
 * ISO 8601 texts, people as id and name) and the renderers need no database.
 *
 * The enumerations are spelled out here rather than imported from the risk or screening modules:
 * a dossier is an archived record whose JSON form is versioned, so it must not change shape when
 * those modules evolve. A change here is a new `version` of the JSON form.
 *
 * The dossier holds personal data (names, birth dates, identity documents). It is only handed to
 * users allowed to read the client, and it never goes to a log.
 */
import { Type, type Static } from 'typebox';

const Text = Type.String({ maxLength: 10_000 });
const ShortText = Type.String({ maxLength: 500 });
const Id = Type.String({ minLength: 1, maxLength: 100 });
/** An instant, ISO 8601 with time zone (`2026-03-14T09:30:00.000Z`). */
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
/** A calendar date (`1984-07-02`). */
const CalendarDate = Type.String({ format: 'date', maxLength: 10 });
const CountryCode = Type.String({ pattern: '^[A-Z]{2}$' });
const Percentage = Type.Number({ minimum: 0, maximum: 100 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A person acting in the system, named so a reader of the printed dossier needs no lookup. */
export const ActorSchema = Type.Object({ id: Id, name: ShortText }, { additionalProperties: false });

const AddressSchema = Type.Object(
  {
    kind: Type.Enum(['residential', 'registered', 'business', 'correspondence'] as const),
    lines: Type.Array(ShortText, { maxItems: 6 }),
    postalCode: ShortText,
    city: ShortText,
    country: CountryCode,
  },
  { additionalProperties: false },
);

const IdentityDocumentSchema = Type.Object(
  {
    kind: Type.Enum(['passport', 'identity_card', 'driving_licence'] as const),
    number: ShortText,
    issuingCountry: CountryCode,
    expiresOn: Nullable(CalendarDate),
    verifiedAt: Nullable(Instant),
  },
  { additionalProperties: false },
);

const ClientCommon = {
  id: Id,
  reference: ShortText,
  name: ShortText,
  clientType: ShortText,
  country: CountryCode,
  addresses: Type.Array(AddressSchema, { maxItems: 20 }),
};

const PersonClientSchema = Type.Object(
  {
    kind: Type.Literal('person'),
    ...ClientCommon,
    birthDate: Nullable(CalendarDate),
    nationalities: Type.Array(CountryCode, { maxItems: 10 }),
    identityDocument: Nullable(IdentityDocumentSchema),
  },
  { additionalProperties: false },
);

const EntityClientSchema = Type.Object(
  {
    kind: Type.Literal('entity'),
    ...ClientCommon,
    registrationNumber: Nullable(ShortText),
    legalForm: ShortText,
  },
  { additionalProperties: false },
);

const OwnershipSchema = Type.Object(
  {
    nodes: Type.Array(
      Type.Object(
        {
          id: Id,
          kind: Type.Enum(['person', 'entity'] as const),
          name: ShortText,
          country: Nullable(CountryCode),
          isSanctioned: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
    edges: Type.Array(
      Type.Object({ ownerId: Id, ownedId: Id, percentage: Percentage }, { additionalProperties: false }),
    ),
    /** Each path lists node ids from the owner down to the client. */
    beneficialOwners: Type.Array(
      Type.Object(
        {
          nodeId: Id,
          name: ShortText,
          indirectPercentage: Percentage,
          paths: Type.Array(Type.Array(Id)),
        },
        { additionalProperties: false },
      ),
    ),
    /** Entities caught by ownership by sanctioned parties (the 50 % rule), not by their own listing. */
    sanctionsFlags: Type.Array(
      Type.Object(
        { nodeId: Id, name: ShortText, sanctionedOwnership: Percentage, explanation: Text },
        { additionalProperties: false },
      ),
    ),
    /** Each cycle lists the node ids around it, first one not repeated. */
    cycles: Type.Array(Type.Array(Id)),
  },
  { additionalProperties: false },
);

const DocumentSchema = Type.Object(
  {
    id: Id,
    name: ShortText,
    status: Type.Enum(['missing', 'received', 'approved', 'rejected', 'expired'] as const),
    expiresOn: Nullable(CalendarDate),
  },
  { additionalProperties: false },
);

/** Only the questions that were shown to the client: hidden branches are not evidence of anything. */
const AnswerSetSchema = Type.Object(
  {
    id: Id,
    questionnaireTitle: ShortText,
    version: Type.Integer({ minimum: 1 }),
    submittedAt: Instant,
    submittedBy: ActorSchema,
    answers: Type.Array(
      Type.Object({ code: ShortText, question: Text, answer: Text }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

const CheckSchema = Type.Object(
  {
    id: Id,
    provider: ShortText,
    providerVersion: ShortText,
    ranAt: Instant,
    status: Type.Enum(['passed', 'failed', 'needs_review', 'error'] as const),
    findings: Type.Array(Text),
  },
  { additionalProperties: false },
);

const ScreeningHitSchema = Type.Object(
  {
    id: Id,
    list: ShortText,
    entityName: ShortText,
    score: Type.Number({ minimum: 0, maximum: 1 }),
    explanation: Text,
    resolution: Nullable(
      Type.Object(
        {
          outcome: Type.Enum(['true_match', 'false_positive'] as const),
          by: ActorSchema,
          reason: Text,
          at: Instant,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const RiskLevel = Type.Enum(['low', 'medium', 'high'] as const);
const VariableValue = Type.Union([
  Type.Number(),
  Type.Boolean(),
  Type.String(),
  Type.Array(Type.String()),
  Type.Null(),
]);

const RiskEvaluationSchema = Type.Object(
  {
    modelName: ShortText,
    modelVersion: Type.Integer({ minimum: 1 }),
    evaluatedAt: Instant,
    level: RiskLevel,
    disposition: Type.Enum(['auto_approve', 'manual_review', 'reject'] as const),
    points: Type.Number(),
    pointsByFactor: Type.Record(ShortText, Type.Number()),
    rules: Type.Array(
      Type.Object(
        {
          id: ShortText,
          description: Text,
          outcome: Type.Enum(['fired', 'not_fired', 'unknown', 'error'] as const),
          points: Type.Number(),
          /** Why it was unknown (the missing facts) or failed, in words. */
          note: Nullable(Text),
        },
        { additionalProperties: false },
      ),
    ),
    variables: Type.Record(ShortText, VariableValue),
    reasons: Type.Array(Text),
    override: Nullable(
      Type.Object(
        { level: RiskLevel, reason: Text, by: ActorSchema, at: Instant, expiresAt: Instant },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const DecisionSchema = Type.Object(
  {
    outcome: Type.Enum(['approved', 'rejected', 'exited'] as const),
    decidedBy: ActorSchema,
    secondApprover: Nullable(ActorSchema),
    decidedAt: Instant,
    note: Text,
  },
  { additionalProperties: false },
);

/** A case event; a null actor is the system (a scheduled re-screening, an expiry). */
const HistoryEventSchema = Type.Object(
  { at: Instant, actor: Nullable(ActorSchema), event: ShortText, summary: Text },
  { additionalProperties: false },
);

/** The dossier as data: the shape both renderers take and the JSON form carries. */
export const DossierSchema = Type.Object(
  {
    generatedAt: Instant,
    generatedBy: ActorSchema,
    tenant: Type.Object({ id: Id, name: ShortText }, { additionalProperties: false }),
    client: Type.Union([PersonClientSchema, EntityClientSchema]),
    ownership: Nullable(OwnershipSchema),
    documents: Type.Array(DocumentSchema),
    answerSets: Type.Array(AnswerSetSchema),
    checks: Type.Array(CheckSchema),
    screeningHits: Type.Array(ScreeningHitSchema),
    riskEvaluation: Nullable(RiskEvaluationSchema),
    decision: Nullable(DecisionSchema),
    history: Type.Array(HistoryEventSchema),
  },
  { additionalProperties: false },
);

/** One client's due-diligence dossier. */
export type Dossier = Static<typeof DossierSchema>;
/** A named person in the dossier. */
export type DossierActor = Static<typeof ActorSchema>;
/** The client section: a natural person or a legal entity. */
export type DossierClient = Dossier['client'];
/** The ownership graph of an entity client. */
export type DossierOwnership = Static<typeof OwnershipSchema>;
/** The risk evaluation in force when the dossier was generated. */
export type DossierRiskEvaluation = Static<typeof RiskEvaluationSchema>;
