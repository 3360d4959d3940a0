// Audit routes: a tenant reads and verifies only its own chain.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestServer, tenantUserActor, type TestServer } from '../../../test/test-server.ts';
import { toTenantId } from '../../platform/db/scopes.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function seed(tenantId: string, count: number) {
  await server.modules.audit.recordAlone(
    toTenantId(tenantId),
    Array.from({ length: count }, () => ({
      action: 'client.viewed' as const,
      actor: { kind: 'user' as const, id: randomUUID() },
      outcome: 'success' as const,
    })),
  );
}

test("a tenant lists its own entries, newest first, and never another tenant's", async () => {
  const mine = randomUUID();
  const theirs = randomUUID();
  await seed(mine, 3);
  await seed(theirs, 5);
  const response = await server.app.inject({
    method: 'GET',
    url: '/v1/audit/entries?limit=10',
    headers: server.headersFor(tenantUserActor(mine)),
  });
  assert.equal(response.statusCode, 200);
  const entries = response.json().entries as { seq: string; hash: string }[];
  assert.deepEqual(
    entries.map((entry) => entry.seq),
    ['3', '2', '1'],
  );
  assert.match(entries[0]!.hash, /^[0-9a-f]{64}$/);
  const page = await server.app.inject({
    method: 'GET',
    url: '/v1/audit/entries?before=3&limit=1',
    headers: server.headersFor(tenantUserActor(mine)),
  });
  assert.deepEqual(
    page.json().entries.map((entry: { seq: string }) => entry.seq),
    ['2'],
  );
});

test('verification reports the intact chain of the caller only', async () => {
  const mine = randomUUID();
  await seed(mine, 4);
  await seed(randomUUID(), 9);
  const response = await server.app.inject({
    method: 'POST',
    url: '/v1/audit/verifications',
    headers: server.headersFor(tenantUserActor(mine)),
  });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { entriesChecked: 4, intact: true, broken: null });
});

test('a bad paging parameter is a validation problem', async () => {
  const response = await server.app.inject({
    method: 'GET',
    url: '/v1/audit/entries?limit=100000',
    headers: server.headersFor(tenantUserActor(randomUUID())),
  });
  assert.equal(response.statusCode, 400);
});
