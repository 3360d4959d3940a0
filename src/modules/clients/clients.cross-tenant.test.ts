// Cross-tenant access: a member of one tenant must not read, change or even confirm the existence
// of another tenant's client, on any route.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { caller, entityData, layeredStructure } from './clients.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

/** A problem body without the parts that name the request. */
function shapeOf(response: LightMyRequestResponse) {
  const { instance: _instance, requestId: _requestId, ...rest } = response.json();
  return rest;
}

test("another tenant's client answers 404 like an unknown one, and is not changed", async () => {
  const tenantA = await createTenant(server);
  const tenantB = await createTenant(server);
  const inB = caller(server, tenantB, 'compliance_officer');
  const created = await inB('POST', '/v1/clients', { data: entityData(), ...layeredStructure() });
  assert.equal(created.statusCode, 201, created.body);
  const idInB = created.json().id;
  const inA = caller(server, tenantA, 'compliance_officer');

  const body = { data: entityData({ name: 'Taken Over ApS' }) };
  for (const [method, payload] of [
    ['GET', undefined],
    ['PUT', body],
  ] as const) {
    const foreign = await inA(method, `/v1/clients/${idInB}`, payload);
    const unknown = await inA(method, `/v1/clients/${randomUUID()}`, payload);
    assert.equal(foreign.statusCode, 404, `${method}: ${foreign.body}`);
    assert.deepEqual(shapeOf(foreign), shapeOf(unknown), method);
  }
  const listed = await inA('GET', '/v1/clients');
  assert.deepEqual(listed.json().clients, []);

  const stored = await runAsOwner(server.database, 'select tenant_id, version from clients where id = $1', [
    idInB,
  ]);
  assert.deepEqual(stored.rows, [{ tenant_id: tenantB, version: 1 }]);
  const read = await inB('GET', `/v1/clients/${idInB}`);
  assert.equal(read.json().data.name, entityData().name);
});
