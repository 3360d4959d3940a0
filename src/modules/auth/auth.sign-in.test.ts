/** The whole sign-in journey: invitation, password, TOTP enrolment, recovery codes, full session. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { createMember, createTenant, signIn, type SignedInPerson } from '../../../test/sign-in-fixtures.ts';

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

test('an invited person who enrolled TOTP works in their tenant with a full session', async () => {
  const me = await admin.client.request('GET', '/v1/account');
  assert.equal(me.statusCode, 200, me.body);
  assert.equal(me.json().activeTenantId, tenantId);
  assert.deepEqual(me.json().roles, ['tenant_admin']);
  assert.equal(admin.recoveryCodes.length, 10);
  const members = await admin.client.request('GET', '/v1/members');
  assert.equal(members.statusCode, 200, members.body);
  assert.ok(members.json().members.some((member: { email: string }) => member.email === admin.email));
});

test('signing in again takes the password and then a TOTP code', async () => {
  const client = await signIn(server, admin);
  const tenant = await client.request('GET', `/v1/tenants/${tenantId}`);
  assert.equal(tenant.statusCode, 200, tenant.body);
});
