/** Case routes: a case with its history, checks and hits; hit resolution; preparation; decisions. */
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { CaseParams, ClientParams, DecisionBody, HitParams, ResolveHitBody } from './cases.schemas.ts';
import type { CasesService } from './cases.service.ts';

const tags = ['cases'];

/** Registers the case routes. */
export function registerCaseRoutes(app: HttpServer, cases: CasesService): void {
  app.get(
    '/v1/cases/:caseId',
    { config: { permission: 'cases:read' }, schema: { tags, params: CaseParams } },
    async (request) => cases.get(requireActor(request), request.params.caseId),
  );
  app.get(
    '/v1/clients/:clientId/cases',
    { config: { permission: 'cases:read' }, schema: { tags, params: ClientParams } },
    async (request) => ({ cases: await cases.listForClient(requireActor(request), request.params.clientId) }),
  );
  app.post(
    '/v1/cases/:caseId/hits/:hitId/resolution',
    { config: { permission: 'cases:prepare' }, schema: { tags, params: HitParams, body: ResolveHitBody } },
    async (request) =>
      cases.resolveHit(requireActor(request), request.params.caseId, request.params.hitId, request.body),
  );
  app.post(
    '/v1/cases/:caseId/prepare',
    { config: { permission: 'cases:prepare' }, schema: { tags, params: CaseParams } },
    async (request) => cases.prepare(requireActor(request), request.params.caseId),
  );
  app.post(
    '/v1/cases/:caseId/decision',
    {
      config: { permission: 'cases:decide', requiresRecentSecondFactor: true },
      schema: { tags, params: CaseParams, body: DecisionBody },
    },
    async (request) => cases.decide(requireActor(request), request.params.caseId, request.body),
  );
}
