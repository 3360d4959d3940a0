/** Routes for a client's risk: profile, documents, evaluations and replays, and overrides. */
import type { Static } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import type { StoredEvaluation } from './risk-clients.repo.ts';
import {
  ClientParams,
  CurrentOverrideResponse,
  DocumentBody,
  DocumentParams,
  DocumentResponse,
  DocumentsResponse,
  EvaluationParams,
  EvaluationResponse,
  EvaluationsQuery,
  EvaluationsResponse,
  OverrideBody,
  OverrideResponse,
  ProfileBody,
  ProfileResponse,
  ReplayResponse,
} from './risk-clients.schemas.ts';
import type { RiskClientsService } from './risk-clients.service.ts';

const tags = ['risk'];

const present = (evaluation: StoredEvaluation): Static<typeof EvaluationResponse> =>
  ({ ...evaluation, evaluatedAt: evaluation.evaluatedAt.toISOString() }) as Static<typeof EvaluationResponse>;

const presentOverride = <T extends { expiresAt: Date; createdAt: Date }>(override: T) => ({
  ...override,
  expiresAt: override.expiresAt.toISOString(),
  createdAt: override.createdAt.toISOString(),
});

/** Registers the routes. */
export function registerRiskClientsRoutes(app: HttpServer, clients: RiskClientsService): void {
  app.put(
    '/v1/risk/clients/:clientId/profile',
    {
      config: { permission: 'risk:assess' },
      schema: { tags, params: ClientParams, body: ProfileBody, response: { 200: ProfileResponse } },
    },
    async (request) =>
      (await clients.saveProfile(requireActor(request), request.params.clientId, request.body)) as Static<
        typeof ProfileResponse
      >,
  );
  app.get(
    '/v1/risk/clients/:clientId/profile',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: ClientParams, response: { 200: ProfileResponse } },
    },
    async (request) =>
      (await clients.getProfile(requireActor(request), request.params.clientId)) as Static<
        typeof ProfileResponse
      >,
  );
  app.get(
    '/v1/risk/clients/:clientId/documents',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: ClientParams, response: { 200: DocumentsResponse } },
    },
    async (request) => ({
      documents: await clients.listDocuments(requireActor(request), request.params.clientId),
    }),
  );
  app.put(
    '/v1/risk/clients/:clientId/documents/:requirementCode',
    {
      config: { permission: 'risk:assess' },
      schema: { tags, params: DocumentParams, body: DocumentBody, response: { 200: DocumentResponse } },
    },
    async (request) =>
      clients.setDocumentStatus(requireActor(request), request.params.clientId, {
        requirementCode: request.params.requirementCode,
        status: request.body.status,
        expiresOn: request.body.expiresOn ?? null,
      }),
  );
  app.post(
    '/v1/risk/clients/:clientId/evaluations',
    {
      config: { permission: 'risk:assess' },
      schema: { tags, params: ClientParams, response: { 201: EvaluationResponse } },
    },
    async (request, reply) =>
      reply.status(201).send(present(await clients.evaluate(requireActor(request), request.params.clientId))),
  );
  app.get(
    '/v1/risk/clients/:clientId/evaluations',
    {
      config: { permission: 'risk:read' },
      schema: {
        tags,
        params: ClientParams,
        querystring: EvaluationsQuery,
        response: { 200: EvaluationsResponse },
      },
    },
    async (request) => ({
      evaluations: (
        await clients.listEvaluations(
          requireActor(request),
          request.params.clientId,
          request.query.limit ?? 50,
        )
      ).map(present),
    }),
  );
  app.get(
    '/v1/risk/evaluations/:evaluationId',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: EvaluationParams, response: { 200: EvaluationResponse } },
    },
    async (request) =>
      present(await clients.getEvaluation(requireActor(request), request.params.evaluationId)),
  );
  app.post(
    '/v1/risk/evaluations/:evaluationId/replay',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: EvaluationParams, response: { 200: ReplayResponse } },
    },
    async (request) =>
      (await clients.replay(requireActor(request), request.params.evaluationId)) as Static<
        typeof ReplayResponse
      >,
  );
  app.get(
    '/v1/risk/clients/:clientId/override',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: ClientParams, response: { 200: CurrentOverrideResponse } },
    },
    async (request) => {
      const override = await clients.getOverride(requireActor(request), request.params.clientId);
      return { override: override ? presentOverride(override) : null };
    },
  );
  app.put(
    '/v1/risk/clients/:clientId/override',
    {
      config: { permission: 'risk:override', requiresRecentSecondFactor: true },
      schema: { tags, params: ClientParams, body: OverrideBody, response: { 200: OverrideResponse } },
    },
    async (request) =>
      presentOverride(
        await clients.setOverride(requireActor(request), request.params.clientId, {
          level: request.body.level,
          reason: request.body.reason,
          expiresAt: new Date(request.body.expiresAt),
        }),
      ),
  );
  app.delete(
    '/v1/risk/clients/:clientId/override',
    {
      config: { permission: 'risk:override', requiresRecentSecondFactor: true },
      schema: { tags, params: ClientParams },
    },
    async (request, reply) => {
      await clients.revokeOverride(requireActor(request), request.params.clientId);
      return reply.status(204).send(null);
    },
  );
}
