// Privilege escalation by role: each role reaches exactly the routes its job needs, and an operator never reaches a tenant's people.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { generateTotp } from '../src/modules/auth/totp.ts';
import { systemActor } from '../src/platform/actor.ts';
import { toTenantId } from '../src/platform/db/scopes.ts';
import {
  createMember,
  createSessionClient,
  createTenant,
  enrolTotp,
  GOOD_PASSWORD,
  uniqueEmail,
  type SessionClient,
  type SignedInPerson,
} from './sign-in-fixtures.ts';
import { startTestServer, type TestServer } from './test-server.ts';

type Role = 'tenant_admin' | 'compliance_officer' | 'analyst' | 'auditor' | 'operator';
const ROLES: Role[] = ['tenant_admin', 'compliance_officer', 'analyst', 'auditor', 'operator'];

let server: TestServer;
let tenantId: string;
// A tenant with no admin yet: the only kind an operator may invite into.
let adminlessTenantId: string;
let admin: SignedInPerson;
let analyst: SignedInPerson;
let invitationId: string;
const clients = new Map<Role, SessionClient>();

/** Creates a platform operator the way the CLI does, then sets up the account and enrols TOTP. */
async function createOperatorClient(): Promise<SessionClient> {
  const { setupLink } = await server.modules.auth.createOperator(uniqueEmail('operator'));
  const token = /#token=([A-Za-z0-9_-]+)$/.exec(setupLink)?.[1];
  assert.ok(token, setupLink);
  const client = createSessionClient(server);
  const setUp = await client.request('POST', '/v1/auth/account-setup', { token, password: GOOD_PASSWORD });
  assert.equal(setUp.statusCode, 200, setUp.body);
  assert.equal(setUp.json().stage, 'enrolment');
  await enrolTotp(server, client);
  return client;
}

before(async () => {
  server = await startTestServer();
  tenantId = await createTenant(server);
  adminlessTenantId = await createTenant(server);
  admin = await createMember(server, tenantId, ['tenant_admin']);
  clients.set('tenant_admin', admin.client);
  for (const role of ['compliance_officer', 'auditor'] as const) {
    clients.set(role, (await createMember(server, tenantId, [role])).client);
  }
  analyst = await createMember(server, tenantId, ['analyst']);
  clients.set('analyst', analyst.client);
  clients.set('operator', await createOperatorClient());
  const inviter = { ...systemActor('test-inviter'), tenantId: toTenantId(tenantId) };
  invitationId = (
    await server.modules.members.inviteMember(inviter, { email: uniqueEmail('pending'), roles: ['analyst'] })
  ).id;
});
after(async () => {
  await server.stop();
});

type Row = {
  method: string;
  /** `:analyst`, `:tenant`, `:adminless` and `:invitation` stand for ids made in `before`. */
  path: string;
  body?: () => unknown;
  /** The roles that get in; every other role must get 403. Written from the role descriptions, not the code. */
  allowed: Role[];
};

// prettier-ignore
const table: Row[] = [
  // The tenant's people: admins manage them, auditors may look; officers and analysts work cases.
  { method: 'GET', path: '/v1/members', allowed: ['tenant_admin', 'auditor'] },
  { method: 'GET', path: '/v1/invitations', allowed: ['tenant_admin', 'auditor'] },
  { method: 'GET', path: '/v1/roles', allowed: ['tenant_admin', 'auditor'] },
  { method: 'POST', path: '/v1/invitations', body: () => ({ email: uniqueEmail('invitee'), roles: ['analyst'] }), allowed: ['tenant_admin'] },
  { method: 'PATCH', path: '/v1/members/:analyst', body: () => ({ teams: ['onboarding'] }), allowed: ['tenant_admin'] },
  { method: 'POST', path: '/v1/members/:analyst/unlock', allowed: ['tenant_admin'] },
  { method: 'DELETE', path: '/v1/invitations/:invitation', allowed: ['tenant_admin'] },
  // Oversight: admins and auditors read their tenant's log; the operator reads the platform's.
  { method: 'GET', path: '/v1/audit/entries', allowed: ['tenant_admin', 'auditor', 'operator'] },
  { method: 'POST', path: '/v1/audit/verifications', allowed: ['tenant_admin', 'auditor', 'operator'] },
  // Tenants: the operator creates and lists them and invites their first admin.
  { method: 'POST', path: '/v1/tenants', body: () => ({ slug: `t-${randomUUID().slice(0, 8)}`, name: 'Acme' }), allowed: ['operator'] },
  { method: 'GET', path: '/v1/tenants', allowed: ['operator'] },
  { method: 'POST', path: '/v1/tenants/:adminless/invitations', body: () => ({ email: uniqueEmail('first-admin') }), allowed: ['operator'] },
  // Everyone sees the tenant they work in (the operator sees any tenant's name and status).
  { method: 'GET', path: '/v1/tenants/:tenant', allowed: ROLES },
  { method: 'GET', path: '/v1/account', allowed: ROLES },
];

const resolve = (path: string) =>
  path
    .replace(':adminless', adminlessTenantId)
    .replace(':analyst', analyst.userId)
    .replace(':tenant', tenantId)
    .replace(':invitation', invitationId);

for (const row of table) {
  for (const role of ROLES) {
    const isAllowed = row.allowed.includes(role);
    test(`${role}: ${row.method} ${row.path} → ${isAllowed ? 'allowed' : '403'}`, async () => {
      const response = await clients.get(role)!.request(row.method, resolve(row.path), row.body?.());
      if (isAllowed) {
        assert.ok(
          response.statusCode >= 200 && response.statusCode < 300,
          `${response.statusCode}: ${response.body}`,
        );
      } else {
        assert.equal(response.statusCode, 403, response.body);
        assert.equal(response.json().type, '/problems/forbidden');
      }
    });
  }
}

test('the operator reads the platform chain, which holds no tenant member events', async () => {
  const forOperator = await clients.get('operator')!.request('GET', '/v1/audit/entries?limit=500');
  const forAdmin = await clients.get('tenant_admin')!.request('GET', '/v1/audit/entries?limit=500');
  const actions = (response: typeof forAdmin) =>
    new Set(response.json().entries.map((entry: { action: string }) => entry.action));
  assert.ok(actions(forAdmin).has('member.joined'));
  assert.ok(!actions(forOperator).has('member.joined'));
  assert.ok(actions(forOperator).has('tenant.created'));
});

// Last: it moves the clock past every session's step-up window.
test('a sensitive change needs a second factor from the last 5 minutes, and step-up restores it', async () => {
  const change = () =>
    admin.client.request('PATCH', `/v1/members/${analyst.userId}`, { teams: ['sanctions'] });
  server.clock.advance(6 * 60_000);
  const stale = await change();
  assert.equal(stale.statusCode, 403, stale.body);
  assert.equal(stale.json().type, '/problems/step-up-required');
  const code = await generateTotp(admin.totpSecret, server.clock.now());
  const steppedUp = await admin.client.request('POST', '/v1/auth/step-up', { method: 'totp', code });
  assert.equal(steppedUp.statusCode, 200, steppedUp.body);
  const fresh = await change();
  assert.equal(fresh.statusCode, 200, fresh.body);
  assert.deepEqual(fresh.json().teams, ['sanctions']);
});
