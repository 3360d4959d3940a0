// Tenant routes: operators create and list tenants; a tenant user sees only their own tenant
// (another tenant's id answers 404, exactly like an unknown one); refusals are audited.
import { systemActor, type Actor } from '../../platform/actor.ts';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  operatorActor,
  startTestServer,
  tenantUserActor,
  type TestServer,
} from '../../../test/test-server.ts';
import { PLATFORM_SCOPE_ID, toTenantId } from '../../platform/db/scopes.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function createTenant(slug: string) {
  const response = await server.app.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: server.headersFor(operatorActor()),
    payload: { slug, name: `Firm ${slug}` },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { id: string; slug: string; name: string; status: string; createdAt: string };
}

function postTenantAs(actor: Actor, slug: string) {
  return server.app.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: server.headersFor(actor),
    payload: { slug, name: slug },
  });
}

async function tenantExists(slug: string): Promise<boolean> {
  return (await server.modules.tenants.listTenants(systemActor('test'))).some((row) => row.slug === slug);
}

test('an operator creates a tenant; the response is a whitelist of its fields', async () => {
  const tenant = await createTenant('north-accounting');
  assert.deepEqual(Object.keys(tenant).sort(), ['createdAt', 'id', 'name', 'slug', 'status']);
  assert.equal(tenant.status, 'active');
  const listed = await server.app.inject({
    method: 'GET',
    url: '/v1/tenants',
    headers: server.headersFor(operatorActor()),
  });
  assert.ok(listed.json().tenants.some((row: { id: string }) => row.id === tenant.id));
});

test('creating a tenant is recorded in the platform audit chain with ids only', async () => {
  const tenant = await createTenant('south-law');
  const entries = await server.modules.audit.listEntries(toTenantId(PLATFORM_SCOPE_ID), {
    beforeSeq: null,
    limit: 50,
  });
  const created = entries.find((entry) => entry.targetId === tenant.id);
  assert.ok(created, 'audit entry for the new tenant');
  assert.equal(created.action, 'tenant.created');
  assert.equal(created.outcome, 'success');
  assert.ok(created.requestId);
  // The tenant's name is the only non-id value in the request; no stored column may hold it.
  const stored = await server.database.adminPool.query(
    'select to_jsonb(e)::text as row from audit_entries e where target_id = $1',
    [tenant.id],
  );
  assert.equal(stored.rowCount, 1);
  assert.doesNotMatch(stored.rows[0].row, /Firm south-law/);
});

test("a tenant user reads their own tenant, and another tenant's id answers 404 like an unknown id", async () => {
  const mine = await createTenant('mine-co');
  const theirs = await createTenant('theirs-co');
  const headers = server.headersFor(tenantUserActor(mine.id));
  const own = await server.app.inject({ method: 'GET', url: `/v1/tenants/${mine.id}`, headers });
  assert.equal(own.statusCode, 200);
  assert.equal(own.json().slug, 'mine-co');
  const other = await server.app.inject({ method: 'GET', url: `/v1/tenants/${theirs.id}`, headers });
  const unknown = await server.app.inject({ method: 'GET', url: `/v1/tenants/${randomUUID()}`, headers });
  assert.equal(other.statusCode, 404);
  assert.equal(unknown.statusCode, 404);
  assert.equal(other.json().detail, unknown.json().detail);
});

test('without credentials every tenant route answers 401', async () => {
  for (const [method, url] of [
    ['GET', '/v1/tenants'],
    ['POST', '/v1/tenants'],
    ['GET', `/v1/tenants/${randomUUID()}`],
    ['GET', '/v1/audit/entries'],
  ] as const) {
    const response = await server.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    assert.equal(response.statusCode, 401, `${method} ${url}`);
  }
});

test('a tenant user cannot create tenants; the refusal is in their tenant audit chain', async () => {
  const tenant = await createTenant('refused-co');
  const user = tenantUserActor(tenant.id);
  const response = await postTenantAs(user, 'sneaky');
  assert.equal(response.statusCode, 403);
  assert.equal(await tenantExists('sneaky'), false);
  const entries = await server.modules.audit.listEntries(toTenantId(tenant.id), {
    beforeSeq: null,
    limit: 10,
  });
  assert.equal(entries[0]?.action, 'access.denied');
  assert.equal(entries[0]?.actorId, user.id);
  assert.equal(entries[0]?.outcome, 'denied');
  assert.equal(entries[0]?.details.route, '/v1/tenants');
});

test('a tenant user granted tenants:list by mistake still cannot list or create tenants', async () => {
  const tenant = await createTenant('overgranted-co');
  const user = tenantUserActor(tenant.id, ['tenants:list', 'tenants:create']);
  const list = await server.app.inject({
    method: 'GET',
    url: '/v1/tenants',
    headers: server.headersFor(user),
  });
  assert.equal(list.statusCode, 403);
  const create = await postTenantAs(user, 'overreach');
  assert.equal(create.statusCode, 403);
  assert.equal(await tenantExists('overreach'), false);
});

test('a user with no tenant cannot read the platform audit chain', async () => {
  const stray = { ...operatorActor(['audit:read']), kind: 'user' as const };
  const response = await server.app.inject({
    method: 'GET',
    url: '/v1/audit/entries',
    headers: server.headersFor(stray),
  });
  assert.equal(response.statusCode, 403);
});

test('an unknown query parameter on the tenant list is rejected', async () => {
  const response = await server.app.inject({
    method: 'GET',
    url: '/v1/tenants?include=everything',
    headers: server.headersFor(operatorActor()),
  });
  assert.equal(response.statusCode, 400);
});
