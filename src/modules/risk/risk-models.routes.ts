/** Routes for risk models: the catalogue of variables, drafts, four-eyes publication and dry runs. */
import type { Static } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import {
  ApproveBody,
  CheckResponse,
  DefinitionBody,
  DryRunParams,
  DryRunQuery,
  DryRunResponse,
  ModelListResponse,
  ModelParams,
  ModelResponse,
  RejectBody,
  VariablesResponse,
} from './risk-models.schemas.ts';
import type { StoredModel } from './risk-models.repo.ts';
import type { RiskModelsService } from './risk-models.service.ts';

const tags = ['risk'];

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A stored version as the API shows it. */
function present(model: StoredModel) {
  return {
    ...model,
    // The stored definition went through JSON; its option lists are plain arrays.
    definition: model.definition as Static<typeof ModelResponse>['definition'],
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
    submittedAt: iso(model.submittedAt),
    decidedAt: iso(model.decidedAt),
    publishedAt: iso(model.publishedAt),
  };
}

function presentDryRun(
  run: Awaited<ReturnType<RiskModelsService['getDryRun']>>,
): Static<typeof DryRunResponse> {
  return { ...run, createdAt: run.createdAt.toISOString() };
}

const FIRST_PAGE = 100;

/** Registers the routes. */
export function registerRiskModelsRoutes(app: HttpServer, models: RiskModelsService): void {
  app.get(
    '/v1/risk/variables',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: VariablesResponse } } },
    async (request) => (await models.catalogue(requireActor(request))) as Static<typeof VariablesResponse>,
  );
  app.get(
    '/v1/risk/models',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: ModelListResponse } } },
    async (request) => ({ models: (await models.list(requireActor(request))).map(present) }),
  );
  app.get(
    '/v1/risk/models/published',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: ModelResponse } } },
    async (request) => present(await models.getPublished(requireActor(request))),
  );
  app.get(
    '/v1/risk/models/:modelId',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: ModelParams, response: { 200: ModelResponse } },
    },
    async (request) => present(await models.get(requireActor(request), request.params.modelId)),
  );
  app.post(
    '/v1/risk/models/check',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, body: DefinitionBody, response: { 200: CheckResponse } },
    },
    async (request) => models.check(requireActor(request), request.body.definition),
  );
  app.post(
    '/v1/risk/models',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, body: DefinitionBody, response: { 201: ModelResponse } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(present(await models.createDraft(requireActor(request), request.body.definition))),
  );
  app.put(
    '/v1/risk/models/:modelId',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, params: ModelParams, body: DefinitionBody, response: { 200: ModelResponse } },
    },
    async (request) =>
      present(
        await models.updateDraft(requireActor(request), request.params.modelId, request.body.definition),
      ),
  );
  for (const step of ['submit', 'withdraw'] as const) {
    app.post(
      `/v1/risk/models/:modelId/${step}`,
      {
        config: { permission: 'risk:configure' },
        schema: { tags, params: ModelParams, response: { 200: ModelResponse } },
      },
      async (request) => present(await models[step](requireActor(request), request.params.modelId)),
    );
  }
  app.post(
    '/v1/risk/models/:modelId/approve',
    {
      config: { permission: 'risk:approve', requiresRecentSecondFactor: true },
      schema: { tags, params: ModelParams, body: ApproveBody, response: { 200: ModelResponse } },
    },
    async (request) =>
      present(await models.approve(requireActor(request), request.params.modelId, request.body.note ?? null)),
  );
  app.post(
    '/v1/risk/models/:modelId/reject',
    {
      config: { permission: 'risk:approve', requiresRecentSecondFactor: true },
      schema: { tags, params: ModelParams, body: RejectBody, response: { 200: ModelResponse } },
    },
    async (request) =>
      present(await models.reject(requireActor(request), request.params.modelId, request.body.note)),
  );
  app.post(
    '/v1/risk/models/:modelId/dry-run',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, params: ModelParams, response: { 201: DryRunResponse } },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const run = await models.dryRun(actor, request.params.modelId);
      return reply
        .status(201)
        .send(presentDryRun(await models.getDryRun(actor, run.id, { offset: 0, limit: FIRST_PAGE })));
    },
  );
  app.get(
    '/v1/risk/dry-runs/:dryRunId',
    {
      config: { permission: 'risk:read' },
      schema: { tags, params: DryRunParams, querystring: DryRunQuery, response: { 200: DryRunResponse } },
    },
    async (request) =>
      presentDryRun(
        await models.getDryRun(requireActor(request), request.params.dryRunId, {
          offset: request.query.offset ?? 0,
          limit: request.query.limit ?? FIRST_PAGE,
        }),
      ),
  );
}
