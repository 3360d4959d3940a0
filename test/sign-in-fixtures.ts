/**
 * Real people for route tests: tenants, invitations read from the mail outbox, accounts that set
 * a password and enrol TOTP, and a client that keeps the session cookie and CSRF token like a
 * browser would. Nothing here bypasses sign-in.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { systemActor } from '../src/platform/actor.ts';
import { toTenantId } from '../src/platform/db/scopes.ts';
import { SESSION_COOKIE } from '../src/modules/auth/index.ts';
import { generateTotp } from '../src/modules/auth/totp.ts';
import type { TestServer } from './test-server.ts';

/** A password that meets the policy. */
export const GOOD_PASSWORD = 'correct horse battery staple 42';

/** A browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export type SessionClient = {
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** The session cookie's token (for replay tests). */
  readonly token: string | null;
  readonly csrfToken: string | null;
  setToken(token: string | null, csrfToken?: string | null): void;
};

/** Creates a client for a test server. */
export function createSessionClient(
  server: TestServer,
  options: { remoteAddress?: string } = {},
): SessionClient {
  let token: string | null = null;
  let csrfToken: string | null = null;
  return {
    get token() {
      return token;
    },
    get csrfToken() {
      return csrfToken;
    },
    setToken(next, nextCsrf = csrfToken) {
      token = next;
      csrfToken = nextCsrf;
    },
    async request(method, url, body, headers = {}) {
      const response = await server.app.inject({
        method: method as 'GET',
        url,
        remoteAddress: options.remoteAddress,
        headers: {
          ...(token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}),
          ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      const cookie = response.cookies.find((item) => item.name === SESSION_COOKIE);
      if (cookie) token = cookie.value === '' ? null : cookie.value;
      const json = response.headers['content-type']?.toString().includes('json') ? response.json() : null;
      if (json && typeof json.csrfToken === 'string') csrfToken = json.csrfToken;
      if (json?.session && typeof json.session.csrfToken === 'string') csrfToken = json.session.csrfToken;
      return response;
    },
  };
}

/** A unique email for a test person. */
export function uniqueEmail(prefix = 'person'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** Creates a tenant through the service (as the platform) and returns its id. */
export async function createTenant(
  server: TestServer,
  slug = `t-${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const tenant = await server.modules.tenants.createTenant(systemActor('test'), {
    slug,
    name: `Tenant ${slug}`,
  });
  return tenant.id;
}

/** The token of the newest invitation mailed to `email`. */
export async function invitationToken(server: TestServer, email: string): Promise<string> {
  const [message] = await server.modules.listOutbox({ limit: 1, recipient: email });
  assert.ok(message, `no mail for ${email}`);
  const match = /#token=([A-Za-z0-9_-]+)/.exec(message.text);
  assert.ok(match, 'the mail carries no invitation link');
  return match[1]!;
}

/** Invites a new person and accepts: a client at the enrolment stage (no factor yet). */
export async function acceptInvitationAsNewPerson(
  server: TestServer,
  tenantId: string,
  roles: string[],
): Promise<SessionClient> {
  const email = uniqueEmail('enrolling');
  const inviter = { ...systemActor('test-inviter'), tenantId: toTenantId(tenantId) };
  await server.modules.members.inviteMember(inviter, { email, roles: roles as never });
  const client = createSessionClient(server);
  const accepted = await client.request('POST', '/v1/auth/invitations/accept', {
    token: await invitationToken(server, email),
    password: GOOD_PASSWORD,
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.equal(accepted.json().stage, 'enrolment');
  return client;
}

/** A person who is signed in with a full session. */
export type SignedInPerson = {
  client: SessionClient;
  userId: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
  tenantId: string | null;
};

/** Enrols TOTP for a client at the enrolment stage; returns the secret and recovery codes. */
export async function enrolTotp(
  server: TestServer,
  client: SessionClient,
): Promise<{ totpSecret: string; recoveryCodes: string[] }> {
  const begun = await client.request('POST', '/v1/account/factors/totp', { label: 'Phone' });
  assert.equal(begun.statusCode, 200, begun.body);
  const { factorId, secret } = begun.json();
  const code = await generateTotp(secret, server.clock.now());
  const confirmed = await client.request('POST', `/v1/account/factors/totp/${factorId}/confirm`, { code });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  return { totpSecret: secret, recoveryCodes: confirmed.json().recoveryCodes ?? [] };
}

/** Invites `email` into a tenant with roles, accepts, enrols TOTP: a fully signed-in member. */
export async function createMember(
  server: TestServer,
  tenantId: string,
  roles: string[],
  options: { teams?: string[]; email?: string } = {},
): Promise<SignedInPerson> {
  const email = options.email ?? uniqueEmail(roles[0]);
  // The invitation goes through the real service, as the tenant's own system actor.
  const inviter = { ...systemActor('test-inviter'), tenantId: toTenantId(tenantId) };
  await server.modules.members.inviteMember(inviter, { email, roles: roles as never, teams: options.teams });
  const token = await invitationToken(server, email);
  const client = createSessionClient(server);
  const accepted = await client.request('POST', '/v1/auth/invitations/accept', {
    token,
    password: GOOD_PASSWORD,
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  const { totpSecret, recoveryCodes } = await enrolTotp(server, client);
  const me = await client.request('GET', '/v1/account');
  const userId = me.json().userId as string;
  return { client, userId, email, password: GOOD_PASSWORD, totpSecret, recoveryCodes, tenantId };
}

/** Moves the clock past the current TOTP step, so a fresh code is accepted. */
export function nextTotpStep(server: TestServer): void {
  server.clock.advance(30_000);
}

/** Signs in with password and TOTP on a new client. */
export async function signIn(
  server: TestServer,
  person: Pick<SignedInPerson, 'email' | 'password' | 'totpSecret'>,
  options: { remoteAddress?: string } = {},
): Promise<SessionClient> {
  const client = createSessionClient(server, options);
  const first = await client.request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(first.statusCode, 200, first.body);
  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const second = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code });
  assert.equal(second.statusCode, 200, second.body);
  return client;
}
