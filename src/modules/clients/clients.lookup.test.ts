// Finding clients without a scan: exact lookups by name or by number through the keyed blind
// indexes, whatever the case, spacing or separators typed, confined to the caller's tenant; and
// the plain listing, page by page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { caller, entityData, personData } from './clients.test-fixtures.ts';

let server: TestServer;
let tenantId: string;
let call: ReturnType<typeof caller>;
let personId: string;
let entityId: string;

before(async () => {
  server = await startTestServer();
  tenantId = await createTenant(server);
  call = caller(server, tenantId, 'analyst');
  personId = (await call('POST', '/v1/clients', { data: personData() })).json().id;
  entityId = (await call('POST', '/v1/clients', { data: entityData() })).json().id;
});
after(async () => {
  await server.stop();
});

const find = async (query: string) => {
  const response = await call('GET', `/v1/clients?${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().clients as { id: string; kind: string; name?: string }[];
};

test('a name finds its client whatever the case, spacing and hyphens', async () => {
  for (const name of ['Ingrid Marie Halvorsen', 'ingrid   MARIE halvorsen ', 'Ingrid-Marie Halvorsen']) {
    const found = await find(`name=${encodeURIComponent(name)}`);
    assert.deepEqual(
      found,
      [{ id: personId, kind: 'person', version: 1, name: 'Ingrid Marie Halvorsen' }],
      name,
    );
  }
  const company = await find(`name=${encodeURIComponent('NORDLYS rådgivning aps')}`);
  assert.deepEqual(
    company.map((client) => client.id),
    [entityId],
  );
  assert.deepEqual(await find('name=Ingrid%20Halvorsen'), [], 'an exact lookup, not a fuzzy one');
});

test('a registration or document number finds its client with its country, however it is spaced', async () => {
  for (const number of ['24256790', '24 25 67 90', '24-25.67/90']) {
    const found = await find(`identifier=${encodeURIComponent(number)}&country=DK`);
    assert.deepEqual(
      found.map((client) => [client.id, client.name]),
      [[entityId, 'Nordlys Rådgivning ApS']],
      number,
    );
  }
  assert.deepEqual(await find('identifier=24256790&country=EE'), [], 'the same digits in another country');
  const byDocument = await find('identifier=nx%204471902&country=NO');
  assert.deepEqual(
    byDocument.map((client) => client.id),
    [personId],
  );
});

test("another tenant's lookup finds nothing of this tenant's clients", async () => {
  const otherTenant = await createTenant(server);
  const other = caller(server, otherTenant, 'analyst');
  for (const query of ['name=Ingrid%20Marie%20Halvorsen', 'identifier=24256790&country=DK', '']) {
    const response = await other('GET', `/v1/clients?${query}`);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json().clients, [], query);
  }
});

test('a lookup needs a name, or an identifier with its country, not both', async () => {
  for (const query of ['name=a&identifier=1&country=DK', 'identifier=24256790', 'country=DK']) {
    const response = await call('GET', `/v1/clients?${query}`);
    assert.equal(response.statusCode, 400, query);
    assert.equal(response.json().errors[0].location, 'querystring', query);
  }
  assert.equal((await call('GET', '/v1/clients?limit=201')).statusCode, 400);
});

test('the listing pages through every client by id, without names', async () => {
  const first = await call('GET', '/v1/clients?limit=1');
  assert.equal(first.statusCode, 200, first.body);
  const page1 = first.json();
  assert.equal(page1.clients.length, 1);
  assert.equal(page1.clients[0].name, undefined);
  assert.equal(page1.next, page1.clients[0].id);
  const page2 = (await call('GET', `/v1/clients?limit=1&after=${page1.next}`)).json();
  const page3 = (await call('GET', `/v1/clients?limit=1&after=${page2.next}`)).json();
  assert.deepEqual(page3, { clients: [], next: null });
  assert.deepEqual([page1.clients[0].id, page2.clients[0].id].sort(), [personId, entityId].sort());
});
