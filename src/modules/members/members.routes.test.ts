/** A tenant's people through the API: invitations by mail, single-use tokens, roles, and the audit trail. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import {
  createMember,
  createSessionClient,
  createTenant,
  GOOD_PASSWORD,
  uniqueEmail,
  type SessionClient,
  type SignedInPerson,
} from '../../../test/sign-in-fixtures.ts';
import { INVITATION_TTL_MS } from './index.ts';

let server: TestServer;
let tenantId: string;
let admin: SignedInPerson;

before(async () => {
  server = await startTestServer();
  tenantId = await createTenant(server);
  admin = await createMember(server, tenantId, ['tenant_admin']);
});
after(async () => {
  await server.stop();
});

/** Invites through the API as the tenant's admin; returns the invitation as answered. */
async function invite(email: string, roles = ['analyst'], teams?: string[]) {
  const response = await admin.client.request('POST', '/v1/invitations', {
    email,
    roles,
    ...(teams ? { teams } : {}),
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { id: string; email: string; roles: string[]; teams: string[] };
}

/** The link in the newest mail to `email`. */
async function mailedLink(email: string): Promise<URL> {
  const [message] = await server.modules.listOutbox({ limit: 1, recipient: email });
  assert.ok(message, `no mail for ${email}`);
  const link = /https?:\/\/\S+/.exec(message.text)?.[0];
  assert.ok(link, message.text);
  return new URL(link);
}

const tokenOf = (link: URL) => new URLSearchParams(link.hash.slice(1)).get('token')!;

async function accept(token: string): Promise<{ client: SessionClient; response: LightMyRequestResponse }> {
  const client = createSessionClient(server);
  const response = await client.request('POST', '/v1/auth/invitations/accept', {
    token,
    password: GOOD_PASSWORD,
  });
  return { client, response };
}

async function pendingInvitationIds(): Promise<string[]> {
  const response = await admin.client.request('GET', '/v1/invitations');
  assert.equal(response.statusCode, 200, response.body);
  return response.json().invitations.map((row: { id: string }) => row.id);
}

test('an invitation is mailed with its token in the link fragment, and the API never shows the token', async () => {
  const email = uniqueEmail('invitee');
  const invitation = await invite(email, ['analyst'], ['onboarding']);
  assert.deepEqual(Object.keys(invitation).sort(), [
    'createdAt',
    'email',
    'expiresAt',
    'id',
    'roles',
    'teams',
  ]);
  assert.deepEqual([invitation.roles, invitation.teams], [['analyst'], ['onboarding']]);
  const link = await mailedLink(email);
  assert.equal(link.origin, 'http://localhost:3000');
  assert.equal(link.pathname, '/accept-invitation');
  // Query strings reach servers and their logs; fragments never leave the browser.
  assert.equal(link.search, '');
  assert.match(tokenOf(link), /^[A-Za-z0-9_-]{32,}$/);
  assert.ok(!JSON.stringify(await admin.client.request('GET', '/v1/invitations')).includes(tokenOf(link)));
  assert.ok((await pendingInvitationIds()).includes(invitation.id));
});

test('an invitation token works once', async () => {
  const email = uniqueEmail('once');
  const invitation = await invite(email, ['auditor']);
  const token = tokenOf(await mailedLink(email));
  const first = await accept(token);
  assert.equal(first.response.statusCode, 200, first.response.body);
  assert.equal(first.response.json().stage, 'enrolment');
  const second = await accept(token);
  assert.equal(second.response.statusCode, 404, second.response.body);
  assert.equal(second.response.json().type, '/problems/not-found');
  assert.ok(!(await pendingInvitationIds()).includes(invitation.id));
  const members = await admin.client.request('GET', '/v1/members');
  const joined = members.json().members.find((row: { email: string }) => row.email === email);
  assert.deepEqual(joined?.roles, ['auditor']);
});

test('a revoked invitation cannot be accepted', async () => {
  const email = uniqueEmail('revoked');
  const invitation = await invite(email);
  const revoked = await admin.client.request('DELETE', `/v1/invitations/${invitation.id}`);
  assert.equal(revoked.statusCode, 204, revoked.body);
  assert.ok(!(await pendingInvitationIds()).includes(invitation.id));
  const accepted = await accept(tokenOf(await mailedLink(email)));
  assert.equal(accepted.response.statusCode, 404, accepted.response.body);
  const again = await admin.client.request('DELETE', `/v1/invitations/${invitation.id}`);
  assert.equal(again.statusCode, 404, again.body);
});

test('the last tenant admin can be neither demoted nor removed', async () => {
  const ownTenant = await createTenant(server);
  const lone = await createMember(server, ownTenant, ['tenant_admin']);
  const demoted = await lone.client.request('PATCH', `/v1/members/${lone.userId}`, { roles: ['auditor'] });
  assert.equal(demoted.statusCode, 409, demoted.body);
  assert.equal(demoted.json().type, '/problems/conflict');
  const removed = await lone.client.request('DELETE', `/v1/members/${lone.userId}`);
  assert.equal(removed.statusCode, 409, removed.body);
  const me = await lone.client.request('GET', '/v1/account');
  assert.deepEqual(me.json().roles, ['tenant_admin']);

  // With a second admin the first may step down, and then the second is the last one.
  const second = await createMember(server, ownTenant, ['tenant_admin']);
  const steppedDown = await lone.client.request('PATCH', `/v1/members/${lone.userId}`, {
    roles: ['auditor'],
  });
  assert.equal(steppedDown.statusCode, 200, steppedDown.body);
  const last = await second.client.request('DELETE', `/v1/members/${second.userId}`);
  assert.equal(last.statusCode, 409, last.body);
});

test('members are listed by email, and a change answers with the member as listed', async () => {
  const ownTenant = await createTenant(server);
  const suffix = uniqueEmail('');
  // Joined in reverse order of their emails: the list must not follow joining order.
  const zed = await createMember(server, ownTenant, ['tenant_admin'], { email: `zed${suffix}` });
  await createMember(server, ownTenant, ['analyst'], { email: `mia${suffix}` });
  const amy = await createMember(server, ownTenant, ['auditor'], { email: `amy${suffix}` });
  const listed = await zed.client.request('GET', '/v1/members');
  assert.equal(listed.statusCode, 200, listed.body);
  assert.deepEqual(
    listed.json().members.map((row: { email: string }) => row.email),
    [`amy${suffix}`, `mia${suffix}`, `zed${suffix}`],
  );
  const changed = await zed.client.request('PATCH', `/v1/members/${amy.userId}`, { roles: ['analyst'] });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().email, amy.email);
});

test("a role change takes effect on the member's very next request, without signing in again", async () => {
  const member = await createMember(server, tenantId, ['analyst']);
  const listMembers = () => member.client.request('GET', '/v1/members');
  const setRoles = async (roles: string[]) => {
    const changed = await admin.client.request('PATCH', `/v1/members/${member.userId}`, { roles });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(changed.json().roles, roles);
  };
  assert.equal((await listMembers()).statusCode, 403);
  await setRoles(['auditor']);
  assert.equal((await listMembers()).statusCode, 200);
  await setRoles(['analyst']);
  assert.equal((await listMembers()).statusCode, 403);
  const removed = await admin.client.request('DELETE', `/v1/members/${member.userId}`);
  assert.equal(removed.statusCode, 204, removed.body);
  assert.equal((await listMembers()).statusCode, 401, 'a removed member is out at once');
});

// One case a line, so the table reads as a table.
// prettier-ignore
const invalidBodies: [name: string, method: 'POST' | 'PATCH', body: Record<string, unknown>, pointer: string][] = [
  ['an unknown field', 'POST', { email: uniqueEmail(), roles: ['analyst'], isOperator: true }, '/isOperator'],
  ['a role that does not exist', 'POST', { email: uniqueEmail(), roles: ['operator'] }, '/roles/0'],
  ['no role at all', 'POST', { email: uniqueEmail(), roles: [] }, '/roles'],
  ['a malformed email', 'POST', { email: 'not-an-email', roles: ['analyst'] }, '/email'],
  ['an overlong email', 'POST', { email: `${'a'.repeat(250)}@example.test`, roles: ['analyst'] }, '/email'],
  ['a team name with spaces', 'POST', { email: uniqueEmail(), roles: ['analyst'], teams: ['two words'] }, '/teams/0'],
  ['an unknown field in a member change', 'PATCH', { roles: ['analyst'], tenantId: 'x' }, '/tenantId'],
  ['a role that does not exist in a member change', 'PATCH', { roles: ['superuser'] }, '/roles/0'],
  ['an empty member change', 'PATCH', {}, '/'],
];

for (const [name, method, body, pointer] of invalidBodies) {
  test(`${method} with ${name} answers 400 problem+json naming ${pointer}`, async () => {
    const url = method === 'POST' ? '/v1/invitations' : `/v1/members/${admin.userId}`;
    const response = await admin.client.request(method, url, body);
    assert.equal(response.statusCode, 400, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.type, '/problems/validation-failed');
    assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, response.body);
    assert.ok(
      problem.errors.some((error: { pointer: string }) => error.pointer === pointer),
      `no error at ${pointer}: ${response.body}`,
    );
    if (typeof body.email === 'string') {
      assert.deepEqual(await server.modules.listOutbox({ limit: 1, recipient: body.email }), []);
    }
  });
}

test("invitations, joins and role changes land in the tenant's own audit chain", async () => {
  const email = uniqueEmail('audited');
  const invitation = await invite(email);
  const joined = await accept(tokenOf(await mailedLink(email)));
  assert.equal(joined.response.statusCode, 200, joined.response.body);
  const members = (await admin.client.request('GET', '/v1/members')).json().members;
  const userId = members.find((row: { email: string }) => row.email === email).userId as string;
  const changed = await admin.client.request('PATCH', `/v1/members/${userId}`, { roles: ['auditor'] });
  assert.equal(changed.statusCode, 200, changed.body);

  const listed = await admin.client.request('GET', '/v1/audit/entries?limit=500');
  assert.equal(listed.statusCode, 200, listed.body);
  const entries: { action: string; targetId: string | null; outcome: string }[] = listed.json().entries;
  const find = (action: string, targetId: string) =>
    entries.find((entry) => entry.action === action && entry.targetId === targetId);
  assert.equal(find('member.invited', invitation.id)?.outcome, 'success');
  assert.equal(find('member.joined', userId)?.outcome, 'success');
  assert.equal(find('member.roles_changed', userId)?.outcome, 'success');
  assert.ok(!JSON.stringify(entries).includes(email), 'audit entries carry ids, never an email');
  const verified = await admin.client.request('POST', '/v1/audit/verifications');
  assert.equal(verified.json().intact, true, verified.body);
});

// Last: moving the clock three days ends every session of this file.
test('an invitation expires after 72 hours', async () => {
  const early = uniqueEmail('early');
  const late = uniqueEmail('late');
  await invite(early);
  await invite(late);
  server.clock.advance(INVITATION_TTL_MS - 60_000);
  const inTime = await accept(tokenOf(await mailedLink(early)));
  assert.equal(inTime.response.statusCode, 200, inTime.response.body);
  server.clock.advance(2 * 60_000);
  const tooLate = await accept(tokenOf(await mailedLink(late)));
  assert.equal(tooLate.response.statusCode, 404, tooLate.response.body);
  assert.equal(tooLate.response.json().type, '/problems/not-found');
});

test('a platform operator may invite only the first admin of a tenant, never a second way in', async () => {
  const { systemActor } = await import('../../platform/actor.ts');
  const operator = { ...systemActor('test-operator'), kind: 'operator' as const };
  await assert.rejects(
    server.modules.members.inviteTenantAdmin(operator, tenantId, 'second-admin@example.test'),
    (error: Error & { code?: string }) => error.code === 'conflict',
  );
  const fresh = await createTenant(server);
  const first = await server.modules.members.inviteTenantAdmin(operator, fresh, 'first-admin@example.test');
  assert.deepEqual(first.roles, ['tenant_admin']);
  // A pending admin invitation counts too: no second invitation while the first is open.
  await assert.rejects(
    server.modules.members.inviteTenantAdmin(operator, fresh, 'another@example.test'),
    (error: Error & { code?: string }) => error.code === 'conflict',
  );
});
