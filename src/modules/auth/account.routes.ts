/** Routes of a person's own account: factors, recovery codes, password, sessions, tenant. */
import { Type } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { describeRoles } from '../access/index.ts';
import { requestInfo, sendSession } from './auth.routes.ts';
import {
  AccountResponse,
  FactorsResponse,
  RolesResponse,
  SessionsResponse,
  TotpBeginResponse,
  ChangePasswordBody,
  EnrolmentResponse,
  FactorParams,
  PasskeyOptionsResponse,
  PasskeyRegistrationBody,
  SelectTenantBody,
  SessionParams,
  SessionStateResponse,
  TotpBeginBody,
  TotpConfirmBody,
  UserParams,
} from './auth.schemas.ts';
import type { AuthService } from './auth.service.ts';
import type { EnrolmentResult } from './use-cases/enrol-factors.ts';
import type { FastifyReply } from 'fastify';

const tags = ['account'];
const manage = { permission: 'account:manage' } as const;
const sensitive = { permission: 'account:manage', requiresRecentSecondFactor: true } as const;
const enrol = { permission: 'auth:enrol-factor' } as const;

function sendEnrolment(reply: FastifyReply, result: EnrolmentResult) {
  return {
    factorId: result.factorId,
    recoveryCodes: result.recoveryCodes,
    session: result.session ? sendSession(reply, result.session, 'full') : null,
  };
}

/** Registers the account routes. */
export function registerAccountRoutes(app: HttpServer, auth: AuthService): void {
  app.get(
    '/v1/account',
    { config: manage, schema: { tags, response: { 200: AccountResponse } } },
    async (request) => auth.describeAccount(requireActor(request)),
  );
  app.get(
    '/v1/account/factors',
    { config: manage, schema: { tags, response: { 200: FactorsResponse } } },
    async (request) => auth.listOwnFactors(requireActor(request)),
  );
  app.post(
    '/v1/account/factors/totp',
    { config: enrol, schema: { tags, body: TotpBeginBody, response: { 200: TotpBeginResponse } } },
    async (request) => auth.beginTotpEnrolment(requireActor(request), request.body.label),
  );
  app.post(
    '/v1/account/factors/totp/:factorId/confirm',
    {
      config: enrol,
      schema: { tags, params: FactorParams, body: TotpConfirmBody, response: { 200: EnrolmentResponse } },
    },
    async (request, reply) =>
      sendEnrolment(
        reply,
        await auth.confirmTotpEnrolment(
          requireActor(request),
          request.params.factorId,
          request.body.code,
          requestInfo(request),
        ),
      ),
  );
  app.post(
    '/v1/account/factors/passkeys/options',
    { config: enrol, schema: { tags, response: { 200: PasskeyOptionsResponse } } },
    async (request) => auth.beginPasskeyRegistration(requireActor(request)),
  );
  app.post(
    '/v1/account/factors/passkeys',
    { config: enrol, schema: { tags, body: PasskeyRegistrationBody, response: { 200: EnrolmentResponse } } },
    async (request, reply) =>
      sendEnrolment(
        reply,
        await auth.finishPasskeyRegistration(requireActor(request), request.body, requestInfo(request)),
      ),
  );
  app.delete(
    '/v1/account/factors/:factorId',
    { config: sensitive, schema: { tags, params: FactorParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await auth.removeFactor(requireActor(request), request.params.factorId, requestInfo(request));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/v1/account/recovery-codes',
    {
      config: sensitive,
      schema: { tags, response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) } },
    },
    async (request) => auth.regenerateRecoveryCodes(requireActor(request), requestInfo(request)),
  );
  app.post(
    '/v1/account/password',
    {
      config: sensitive,
      schema: { tags, body: ChangePasswordBody, response: { 200: SessionStateResponse } },
    },
    async (request, reply) =>
      sendSession(
        reply,
        await auth.changePassword(requireActor(request), request.body, requestInfo(request)),
        'full',
      ),
  );
  app.get(
    '/v1/account/sessions',
    { config: manage, schema: { tags, response: { 200: SessionsResponse } } },
    async (request) => ({
      sessions: await auth.listOwnSessions(requireActor(request)),
    }),
  );
  app.delete(
    '/v1/account/sessions/:sessionId',
    { config: manage, schema: { tags, params: SessionParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await auth.revokeOwnSession(requireActor(request), request.params.sessionId, requestInfo(request));
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/v1/account/tenant',
    { config: manage, schema: { tags, body: SelectTenantBody, response: { 200: SessionStateResponse } } },
    async (request, reply) =>
      sendSession(
        reply,
        await auth.selectTenant(requireActor(request), request.body.tenantId, requestInfo(request)),
        'full',
      ),
  );
  app.post(
    '/v1/members/:userId/unlock',
    {
      // Like the other members:manage actions: a stolen session must not reopen an account to guessing.
      config: { permission: 'members:manage', requiresRecentSecondFactor: true },
      schema: { tags: ['members'], params: UserParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await auth.unlockMember(requireActor(request), request.params.userId, requestInfo(request));
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/v1/roles',
    {
      config: { permission: 'members:read' },
      schema: { tags: ['members'], response: { 200: RolesResponse } },
    },
    async () => ({
      roles: describeRoles(),
    }),
  );
}
