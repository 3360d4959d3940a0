/**
 * Sign-in routes. The first steps are public (there is no session yet); presenting the second
 * factor needs a session that passed the password; step-up needs a full session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import type { AuthService } from './auth.service.ts';
import {
  CodeBody,
  PasskeyAssertionBody,
  PasskeyOptionsResponse,
  SessionStateResponse,
  SignInBody,
  TokenPasswordBody,
} from './auth.schemas.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import type { IssuedSession, SessionStage } from './sessions.service.ts';

/** The request's origin for the audit log and the session list. */
export function requestInfo(request: FastifyRequest) {
  const userAgent = request.headers['user-agent'];
  return {
    requestId: request.id,
    sourceIp: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
  };
}

/** Sets the cookie of an issued session and answers with its state (never the token). */
export function sendSession(
  reply: FastifyReply,
  issued: IssuedSession,
  stage: SessionStage,
  factorKinds: string[] = [],
) {
  setSessionCookie(reply, issued.token, issued.expiresAt);
  return { stage, csrfToken: issued.csrfToken, expiresAt: issued.expiresAt.toISOString(), factorKinds };
}

const tags = ['auth'];
const sessionResponse = { 200: SessionStateResponse };

/** Registers the sign-in routes. */
export function registerAuthRoutes(app: HttpServer, auth: AuthService): void {
  app.post(
    '/v1/auth/sign-in',
    { config: { isPublic: true }, schema: { tags, body: SignInBody, response: sessionResponse } },
    async (request, reply) => {
      const step = await auth.signInWithPassword(request.body, requestInfo(request));
      return sendSession(reply, step.session, step.stage, step.factorKinds);
    },
  );
  app.post(
    '/v1/auth/account-setup',
    { config: { isPublic: true }, schema: { tags, body: TokenPasswordBody, response: sessionResponse } },
    async (request, reply) => {
      const step = await auth.setUpAccount(request.body, requestInfo(request));
      return sendSession(reply, step.session, step.stage);
    },
  );
  app.post(
    '/v1/auth/invitations/accept',
    { config: { isPublic: true }, schema: { tags, body: TokenPasswordBody, response: sessionResponse } },
    async (request, reply) => {
      const step = await auth.acceptInvitation(request.body, requestInfo(request));
      return sendSession(reply, step.session, step.stage, step.factorKinds);
    },
  );
  app.post(
    '/v1/auth/passkey/options',
    { config: { isPublic: true }, schema: { tags, response: { 200: PasskeyOptionsResponse } } },
    async () => auth.beginPasskeySignIn(null),
  );
  app.post(
    '/v1/auth/passkey/sign-in',
    { config: { isPublic: true }, schema: { tags, body: PasskeyAssertionBody, response: sessionResponse } },
    async (request, reply) => {
      const issued = await auth.signInWithPasskey(request.body, requestInfo(request));
      return sendSession(reply, issued, 'full');
    },
  );

  // Completing a password sign-in, and stepping up a full session, with the same factors.
  for (const [path, permission, purpose] of [
    ['/v1/auth/second-factor', 'auth:complete-sign-in', 'sign_in'],
    ['/v1/auth/step-up', 'account:manage', 'step_up'],
  ] as const) {
    app.post(
      path,
      { config: { permission }, schema: { tags, body: CodeBody, response: sessionResponse } },
      async (request, reply) => {
        const issued = await auth.presentSecondFactor(
          requireActor(request),
          request.body,
          purpose,
          requestInfo(request),
        );
        return sendSession(reply, issued, 'full');
      },
    );
    app.post(
      `${path}/passkey/options`,
      { config: { permission }, schema: { tags, response: { 200: PasskeyOptionsResponse } } },
      async (request) => auth.beginPasskeySignIn(requireActor(request)),
    );
    app.post(
      `${path}/passkey`,
      { config: { permission }, schema: { tags, body: PasskeyAssertionBody, response: sessionResponse } },
      async (request, reply) => {
        const issued = await auth.presentPasskey(requireActor(request), request.body, requestInfo(request));
        return sendSession(reply, issued, 'full');
      },
    );
  }

  app.post(
    '/v1/auth/sign-out',
    { config: { permission: 'account:manage' }, schema: { tags, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const actor = requireActor(request);
      await auth.revokeOwnSession(actor, actor.sessionId!, requestInfo(request));
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );
}
