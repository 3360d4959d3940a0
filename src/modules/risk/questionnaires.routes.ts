/** Routes for questionnaires, their versions and clients' answer sets. */
import type { Static } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import {
  AnswerSetListResponse,
  AnswerSetParams,
  AnswerSetResponse,
  AnswersBody,
  ClientAnswersParams,
  ClientParams,
  CodeParams,
  DraftBody,
  QuestionnaireListResponse,
  SubmittedResponse,
  VersionListResponse,
  VersionParams,
  VersionResponse,
} from './questionnaires.schemas.ts';
import type { VersionSummary } from './questionnaires.repo.ts';
import type { QuestionnairesService } from './questionnaires.service.ts';

const tags = ['risk'];

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A version as the API shows it. */
function presentVersion<T extends VersionSummary>(version: T) {
  return {
    ...version,
    createdAt: version.createdAt.toISOString(),
    updatedAt: version.updatedAt.toISOString(),
    publishedAt: iso(version.publishedAt),
  };
}

/** A version with its definition (stored as JSON, so its enums arrive as plain strings). */
const presentDefinition = (version: Parameters<typeof presentVersion>[0] & { definition: unknown }) =>
  presentVersion(version) as Static<typeof VersionResponse>;

/** An answer set as the API shows it. */
const presentAnswerSet = <T extends { submittedAt: Date }>(answerSet: T) => ({
  ...answerSet,
  submittedAt: answerSet.submittedAt.toISOString(),
});

/** Registers the routes. */
export function registerQuestionnairesRoutes(app: HttpServer, questionnaires: QuestionnairesService): void {
  app.get(
    '/v1/risk/questionnaires',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: QuestionnaireListResponse } } },
    async (request) => ({ questionnaires: await questionnaires.list(requireActor(request)) }),
  );
  app.get(
    '/v1/risk/questionnaires/:code/versions',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: CodeParams, response: { 200: VersionListResponse } },
    },
    async (request) => ({
      versions: (await questionnaires.listVersions(requireActor(request), request.params.code)).map(
        presentVersion,
      ),
    }),
  );
  app.get(
    '/v1/risk/questionnaires/:code/versions/:version',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: VersionParams, response: { 200: VersionResponse } },
    },
    async (request) =>
      presentDefinition(
        await questionnaires.getVersion(requireActor(request), request.params.code, request.params.version),
      ),
  );
  app.put(
    '/v1/risk/questionnaires/:code/draft',
    {
      config: { permission: 'risk:configure' },
      schema: {
        tags,
        params: CodeParams,
        body: DraftBody,
        response: { 200: VersionResponse, 201: VersionResponse },
      },
    },
    async (request, reply) => {
      const saved = await questionnaires.saveDraft(
        requireActor(request),
        request.params.code,
        request.body.definition,
      );
      return reply.status(saved.isNew ? 201 : 200).send(presentDefinition(saved.version));
    },
  );
  app.post(
    '/v1/risk/questionnaires/:code/draft/publish',
    {
      config: { permission: 'risk:configure', requiresRecentSecondFactor: true },
      schema: { tags, params: CodeParams, response: { 200: VersionResponse } },
    },
    async (request) =>
      presentDefinition(await questionnaires.publishDraft(requireActor(request), request.params.code)),
  );
  app.post(
    '/v1/risk/clients/:clientId/answers/:code',
    {
      config: { permission: 'risk:assess' },
      schema: { tags, params: ClientAnswersParams, body: AnswersBody, response: { 201: SubmittedResponse } },
    },
    async (request, reply) => {
      const { clientId, code } = request.params;
      const submitted = await questionnaires.submitAnswers(
        requireActor(request),
        clientId,
        code,
        request.body.answers,
      );
      return reply.status(201).send(presentAnswerSet(submitted) as Static<typeof SubmittedResponse>);
    },
  );
  app.get(
    '/v1/risk/clients/:clientId/answer-sets',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: ClientParams, response: { 200: AnswerSetListResponse } },
    },
    async (request) => ({
      answerSets: (await questionnaires.listAnswerSets(requireActor(request), request.params.clientId)).map(
        presentAnswerSet,
      ),
    }),
  );
  app.get(
    '/v1/risk/clients/:clientId/answer-sets/:answerSetId',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: AnswerSetParams, response: { 200: AnswerSetResponse } },
    },
    async (request) =>
      presentAnswerSet(
        await questionnaires.getAnswerSet(
          requireActor(request),
          request.params.clientId,
          request.params.answerSetId,
        ),
      ) as Static<typeof AnswerSetResponse>,
  );
}
