// Cross-tenant access: an admin of one tenant must not reach, change or even confirm the existence of another tenant's records.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE } from '../src/modules/auth/index.ts';
import { generateTotp } from '../src/modules/auth/totp.ts';
import { systemActor } from '../src/platform/actor.ts';
import { toTenantId } from '../src/platform/db/scopes.ts';
import {
  createMember,
  createSessionClient,
  createTenant,
  invitationToken,
  nextTotpStep,
  uniqueEmail,
  type SessionClient,
  type SignedInPerson,
} from './sign-in-fixtures.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let tenantA: string;
let tenantB: string;
let adminA: SignedInPerson;
let adminB: SignedInPerson;
let memberB: SignedInPerson;
let invitationB: string;

before(async () => {
  server = await startTestServer();
  tenantA = await createTenant(server);
  tenantB = await createTenant(server);
  adminA = await createMember(server, tenantA, ['tenant_admin']);
  adminB = await createMember(server, tenantB, ['tenant_admin']);
  memberB = await createMember(server, tenantB, ['analyst']);
  const invited = await adminB.client.request('POST', '/v1/invitations', {
    email: uniqueEmail('pending-b'),
    roles: ['auditor'],
  });
  assert.equal(invited.statusCode, 201, invited.body);
  invitationB = invited.json().id;
});
after(async () => {
  await server.stop();
});

/** A problem body without the parts that name the request (its URL and id). */
function shapeOf(response: LightMyRequestResponse) {
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const { instance: _instance, requestId: _requestId, ...rest } = response.json();
  return rest;
}

/** Asserts that B's id gets the same 404 as an id that exists nowhere. */
async function assertLooksAbsent(
  client: SessionClient,
  method: string,
  path: (id: string) => string,
  otherTenantsId: string,
  body?: unknown,
): Promise<void> {
  const foreign = await client.request(method, path(otherTenantsId), body);
  const unknown = await client.request(method, path(randomUUID()), body);
  assert.equal(foreign.statusCode, 404, foreign.body);
  assert.equal(unknown.statusCode, 404, unknown.body);
  assert.deepEqual(shapeOf(foreign), shapeOf(unknown));
}

test("another tenant's id answers 404 like an unknown one", async () => {
  await assertLooksAbsent(adminA.client, 'GET', (id) => `/v1/tenants/${id}`, tenantB);
});

test("another tenant's member cannot be changed, removed or unlocked: 404 like an unknown one", async () => {
  const member = (id: string) => `/v1/members/${id}`;
  await assertLooksAbsent(adminA.client, 'PATCH', member, memberB.userId, { roles: ['auditor'] });
  await assertLooksAbsent(adminA.client, 'DELETE', member, memberB.userId);
  await assertLooksAbsent(adminA.client, 'POST', (id) => `/v1/members/${id}/unlock`, memberB.userId);
  // And nothing changed in B.
  const members = await adminB.client.request('GET', '/v1/members');
  const inB = members.json().members.find((row: { userId: string }) => row.userId === memberB.userId);
  assert.deepEqual(inB?.roles, ['analyst']);
});

test("another tenant's invitation cannot be revoked: 404 like an unknown one", async () => {
  await assertLooksAbsent(adminA.client, 'DELETE', (id) => `/v1/invitations/${id}`, invitationB);
  const pending = await adminB.client.request('GET', '/v1/invitations');
  assert.ok(pending.json().invitations.some((row: { id: string }) => row.id === invitationB));
});

test("listing members and invitations in A never shows B's people", async () => {
  const members = await adminA.client.request('GET', '/v1/members');
  assert.equal(members.statusCode, 200, members.body);
  const emails = members.json().members.map((row: { email: string }) => row.email);
  assert.deepEqual(emails, [adminA.email]);
  const invitations = await adminA.client.request('GET', '/v1/invitations');
  assert.equal(invitations.statusCode, 200, invitations.body);
  assert.deepEqual(invitations.json().invitations, []);
});

test('switching into a tenant one does not belong to answers 404 like an unknown one', async () => {
  const select = (id: string) => adminA.client.request('PUT', '/v1/account/tenant', { tenantId: id });
  const foreign = await select(tenantB);
  const unknown = await select(randomUUID());
  assert.equal(foreign.statusCode, 404, foreign.body);
  assert.deepEqual(shapeOf(foreign), shapeOf(unknown));
  const me = await adminA.client.request('GET', '/v1/account');
  assert.equal(me.json().activeTenantId, tenantA);
});

test('a person in both tenants sees only the members of the tenant they switched into', async () => {
  const person = await createMember(server, tenantA, ['auditor']);
  // Invited into B too: the existing account accepts with its password, then its second factor.
  const inviter = { ...systemActor('test-inviter'), tenantId: toTenantId(tenantB) };
  await server.modules.members.inviteMember(inviter, { email: person.email, roles: ['auditor'] });
  const client = createSessionClient(server);
  const accepted = await client.request('POST', '/v1/auth/invitations/accept', {
    token: await invitationToken(server, person.email),
    password: person.password,
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.equal(accepted.json().stage, 'second_factor');
  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const completed = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code });
  assert.equal(completed.statusCode, 200, completed.body);

  // With two tenants there is no default: nothing of either is visible until one is chosen.
  const undecided = await client.request('GET', '/v1/members');
  assert.equal(undecided.statusCode, 403, undecided.body);

  const memberEmails = async () =>
    (await client.request('GET', '/v1/members')).json().members.map((row: { email: string }) => row.email);
  const switchTo = async (tenantId: string) => {
    const before = client.token;
    const switched = await client.request('PUT', '/v1/account/tenant', { tenantId });
    assert.equal(switched.statusCode, 200, switched.body);
    assert.notEqual(client.token, before, 'the session token rotates on a tenant switch');
    const withToken = (token: string) =>
      server.app.inject({ method: 'GET', url: '/v1/account', cookies: { [SESSION_COOKIE]: token } });
    assert.equal((await withToken(client.token!)).statusCode, 200, 'the new token works');
    assert.equal((await withToken(before!)).statusCode, 401, 'the token from before the switch is dead');
  };

  await switchTo(tenantA);
  assert.deepEqual((await memberEmails()).sort(), [adminA.email, person.email].sort());
  await switchTo(tenantB);
  assert.deepEqual((await memberEmails()).sort(), [adminB.email, memberB.email, person.email].sort());
});
