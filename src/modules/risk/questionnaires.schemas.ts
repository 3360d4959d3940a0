/** Request and response schemas of the questionnaire and answer-set routes (responses are whitelists). */
import { Type } from 'typebox';
import { QuestionnaireDefinitionSchema } from './questionnaire.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', maxLength: 40 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** `:code`. */
export const CodeParams = Type.Object({ code: Code }, { additionalProperties: false });
/** `:code/versions/:version`. */
export const VersionParams = Type.Object(
  { code: Code, version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
/** `:clientId`. */
export const ClientParams = Type.Object({ clientId: Uuid }, { additionalProperties: false });
/** `:clientId/answers/:code`. */
export const ClientAnswersParams = Type.Object(
  { clientId: Uuid, code: Code },
  { additionalProperties: false },
);
/** `:clientId/answer-sets/:answerSetId`. */
export const AnswerSetParams = Type.Object(
  { clientId: Uuid, answerSetId: Uuid },
  { additionalProperties: false },
);

/**
 * A draft's definition. Only its outline is checked here (the body limit bounds its size): the
 * questionnaire check then reports every problem at once, each with its path, in `issues`.
 */
export const DraftBody = Type.Object(
  {
    definition: Type.Object(
      {},
      {
        maxProperties: 10,
        description:
          'A questionnaire definition, as in the version response; every problem is listed in `issues`.',
      },
    ),
  },
  { additionalProperties: false },
);

const Answer = Type.Union([Type.String({ maxLength: 4000 }), Type.Number()]);

/** A client's answers: question code → a code, text, number, date (YYYY-MM-DD) or country code. */
export const AnswersBody = Type.Object(
  { answers: Type.Record(Code, Answer, { maxProperties: 200, additionalProperties: false }) },
  { additionalProperties: false },
);

/** The overview of every questionnaire. */
export const QuestionnaireListResponse = Type.Object({
  questionnaires: Type.Array(
    Type.Object({
      code: Type.String(),
      publishedVersion: Nullable(Type.Integer()),
      title: Type.String(),
      affectsScore: Type.Boolean(),
      hasDraft: Type.Boolean(),
    }),
  ),
});

const VersionFields = {
  id: Uuid,
  code: Type.String(),
  version: Type.Integer(),
  status: Type.Enum(['draft', 'published', 'retired'] as const),
  title: Type.String(),
  createdAt: DateTime,
  createdBy: Nullable(Uuid),
  updatedAt: DateTime,
  publishedAt: Nullable(DateTime),
  publishedBy: Nullable(Uuid),
};

/** Every version of a questionnaire, without definitions. */
export const VersionListResponse = Type.Object({ versions: Type.Array(Type.Object(VersionFields)) });
/** One version with its definition. */
export const VersionResponse = Type.Object({ ...VersionFields, definition: QuestionnaireDefinitionSchema });

const AnswerSetFields = {
  id: Uuid,
  clientId: Uuid,
  code: Type.String(),
  version: Type.Integer(),
  versionId: Uuid,
  submittedAt: DateTime,
  submittedBy: Nullable(Uuid),
};

/** A client's answer sets, newest first. */
export const AnswerSetListResponse = Type.Object({
  answerSets: Type.Array(Type.Object(AnswerSetFields)),
});

const VariableValue = Type.Union([
  Type.Number(),
  Type.Boolean(),
  Type.String(),
  Type.Array(Type.String()),
  Type.Null(),
]);

/** An answer set as stored: which version it answered, and the values rules read. */
export const SubmittedResponse = Type.Object({
  ...AnswerSetFields,
  variables: Type.Record(Type.String(), VariableValue),
});

/** An answer set opened, with the questions of the version it answered and which were shown. */
export const AnswerSetResponse = Type.Object({
  ...AnswerSetFields,
  definition: QuestionnaireDefinitionSchema,
  answers: Type.Record(Type.String(), Answer),
  visibleQuestions: Type.Array(Type.String()),
  variables: Type.Record(Type.String(), VariableValue),
});
