// Clients end to end: a person and a company with three layers of owners stored and read back,
// refused input leaving nothing behind, versions that move only on a real change, and the roles
// that may write.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { caller, entityData, layeredStructure, personData } from './clients.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const countRows = async (table: 'clients' | 'client_parties' | 'client_ownership', tenantId: string) =>
  Number(
    (await runAsOwner(server.database, `select count(*) from ${table} where tenant_id = $1`, [tenantId]))
      .rows[0].count,
  );

test('a person is created and read back with its data opened', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, tenantId, 'compliance_officer');
  const data = personData();
  const created = await officer('POST', '/v1/clients', { data });
  assert.equal(created.statusCode, 201, created.body);
  const { id, version, kind, warnings } = created.json();
  assert.deepEqual({ version, kind, warnings }, { version: 1, kind: 'person', warnings: [] });

  const read = await officer('GET', `/v1/clients/${id}`);
  assert.equal(read.statusCode, 200, read.body);
  const client = read.json();
  assert.deepEqual(client.data, data);
  assert.deepEqual(
    [client.id, client.kind, client.version, client.parties, client.ownership],
    [id, 'person', 1, [], []],
  );
  assert.equal(client.createdAt, client.updatedAt);
});

test('a company with three layers of owners is stored with its parties and edges', async () => {
  const tenantId = await createTenant(server);
  const analyst = caller(server, tenantId, 'analyst');
  const structure = layeredStructure();
  const created = await analyst('POST', '/v1/clients', { data: entityData(), ...structure });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;

  const client = (await analyst('GET', `/v1/clients/${id}`)).json();
  assert.equal(client.kind, 'entity');
  assert.deepEqual(client.data, entityData());
  assert.equal(client.parties.length, 5);
  const idOf = (ref: string) => {
    const sent = structure.parties.find((party) => party.ref === ref)!;
    const stored = client.parties.find((party: { data: unknown }) =>
      isDeepStrictEqual(party.data, sent.data),
    );
    assert.ok(stored, `party ${ref} is stored`);
    return stored.id as string;
  };
  const countries = Object.fromEntries(
    client.parties.map((party: { id: string; countryCode: string; kind: string }) => [
      party.id,
      `${party.kind}:${party.countryCode}`,
    ]),
  );
  assert.equal(countries[idOf('midco')], 'entity:SE');
  assert.equal(countries[idOf('anna')], 'person:SE');
  const edge = (owner: string, owned: string, role: string, percent: number | null) => ({
    ownerId: owner,
    ownedId: owned,
    role,
    percent,
  });
  const sortEdges = (edges: { ownerId: string; ownedId: string }[]) =>
    [...edges].sort((a, b) => (a.ownerId + a.ownedId < b.ownerId + b.ownedId ? -1 : 1));
  assert.deepEqual(
    sortEdges(client.ownership),
    sortEdges([
      edge(idOf('holdco'), id, 'shareholder', 100),
      edge(idOf('midco'), idOf('holdco'), 'shareholder', 60),
      edge(idOf('bo'), idOf('holdco'), 'shareholder', 40),
      edge(idOf('anna'), idOf('midco'), 'shareholder', 100),
      edge(idOf('carl'), id, 'director', null),
    ]),
  );
});

test('invalid data is refused with pointers into the body, and nothing is stored', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, tenantId, 'compliance_officer');
  const structure = layeredStructure();
  const cases: [string, object, string, RegExp][] = [
    [
      'a birth date not in the calendar',
      { data: personData({ birthDate: '1979-02-30' }) },
      '/data/birthDate',
      /not a date in the calendar/,
    ],
    [
      'an expired identity document',
      {
        data: personData({
          identityDocument: { ...personData().identityDocument, expiryDate: '2020-01-31' },
        }),
      },
      '/data/identityDocument/expiryDate',
      /expired/,
    ],
    [
      'a CVR number whose check digit fails',
      { data: entityData({ registrationNumber: '24256791' }) },
      '/data/registrationNumber',
      /./,
    ],
    [
      'ownership of the client over 100 %',
      {
        data: entityData(),
        ...structure,
        ownership: [...structure.ownership, { ownerRef: 'bo', role: 'shareholder', percent: 5 }],
      },
      '/ownership',
      /over 100 %/,
    ],
    [
      'ownership of a party over 100 %, naming the party',
      {
        data: entityData(),
        ...structure,
        ownership: [
          ...structure.ownership,
          { ownerRef: 'carl', ownedRef: 'midco', role: 'shareholder', percent: 1 },
        ],
      },
      '/parties/1',
      /^Party 'midco': .*over 100 %/,
    ],
    [
      'an edge naming an unknown party',
      {
        data: entityData(),
        ...structure,
        ownership: [{ ownerRef: 'nobody', role: 'shareholder', percent: 10 }],
      },
      '/ownership/0/ownerRef',
      /'nobody'/,
    ],
    [
      "a party's expired document",
      {
        data: entityData(),
        parties: [
          {
            ref: 'p',
            data: {
              ...structure.parties[2]!.data,
              identityDocument: {
                type: 'passport',
                number: 'AB123',
                issuingCountry: 'SE',
                expiryDate: '2001-01-01',
              },
            },
          },
        ],
      },
      '/parties/0/data/identityDocument/expiryDate',
      /expired/,
    ],
    [
      'a person field on a company (checked against its own kind only)',
      { data: { ...entityData(), birthDate: '1990-01-01' } },
      '/data/birthDate',
      /Unknown field/,
    ],
  ];
  for (const [name, body, pointer, message] of cases) {
    const response = await officer('POST', '/v1/clients', body);
    assert.equal(response.statusCode, 400, `${name}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, name);
    const errors = response.json().errors as { pointer: string; message: string }[];
    const hit = errors.find((error) => error.pointer === pointer);
    assert.ok(hit, `${name}: expected an error at ${pointer}, got ${JSON.stringify(errors)}`);
    assert.match(hit.message, message, name);
  }
  for (const table of ['clients', 'client_parties', 'client_ownership'] as const)
    assert.equal(await countRows(table, tenantId), 0, `nothing in ${table}`);
});

test('a PUT of the same data and structure changes nothing; a real change makes a new version', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, tenantId, 'compliance_officer');
  const body = { data: entityData(), ...layeredStructure() };
  const id = (await officer('POST', '/v1/clients', body)).json().id;
  const storedVersion = async () =>
    (
      await runAsOwner(server.database, 'select version from clients where tenant_id = $1 and id = $2', [
        tenantId,
        id,
      ])
    ).rows[0].version;
  const partyIds = async () =>
    ((await officer('GET', `/v1/clients/${id}`)).json().parties as { id: string }[])
      .map((party) => party.id)
      .sort();
  const before = await partyIds();

  // The structure resubmitted in another order, without ids: still the same parties.
  const same = await officer('PUT', `/v1/clients/${id}`, { ...body, parties: [...body.parties].reverse() });
  assert.equal(same.statusCode, 200, same.body);
  assert.deepEqual([same.json().version, same.json().changed], [1, false]);
  assert.equal(await storedVersion(), 1);
  assert.deepEqual(await partyIds(), before, 'the parties kept their ids');

  const moved = entityData({ address: { lines: ['Kongens Nytorv 1'], city: 'København', country: 'DK' } });
  const changed = await officer('PUT', `/v1/clients/${id}`, { data: moved });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.deepEqual([changed.json().version, changed.json().changed], [2, true]);
  assert.equal(await storedVersion(), 2);
  const read = (await officer('GET', `/v1/clients/${id}`)).json();
  assert.deepEqual(read.data, moved);
  assert.equal(read.parties.length, 5, 'a PUT without parties keeps the structure');

  const fewer = await officer('PUT', `/v1/clients/${id}`, {
    data: moved,
    parties: body.parties.slice(0, 1),
    ownership: body.ownership.slice(0, 1),
  });
  assert.deepEqual([fewer.json().version, fewer.json().changed], [3, true], fewer.body);
  assert.equal(await countRows('client_parties', tenantId), 1);
  assert.equal(await countRows('client_ownership', tenantId), 1);
});

test("a client's kind cannot change, and edges alone cannot replace the structure", async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, tenantId, 'compliance_officer');
  const id = (await officer('POST', '/v1/clients', { data: personData() })).json().id;
  const kind = await officer('PUT', `/v1/clients/${id}`, { data: entityData() });
  assert.equal(kind.statusCode, 400, kind.body);
  assert.equal(kind.json().errors[0].pointer, '/data/kind');
  const edgesOnly = await officer('PUT', `/v1/clients/${id}`, { data: personData(), ownership: [] });
  assert.equal(edgesOnly.statusCode, 400, edgesOnly.body);
  assert.equal(edgesOnly.json().errors[0].pointer, '/parties');
});

test('auditors and admins read clients but cannot write them; analysts and officers can', async () => {
  const tenantId = await createTenant(server);
  const body = { data: personData() };
  assert.equal((await caller(server, tenantId, 'auditor')('POST', '/v1/clients', body)).statusCode, 403);
  assert.equal((await caller(server, tenantId, 'tenant_admin')('POST', '/v1/clients', body)).statusCode, 403);
  const created = await caller(server, tenantId, 'analyst')('POST', '/v1/clients', body);
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  assert.equal((await caller(server, tenantId, 'auditor')('PUT', `/v1/clients/${id}`, body)).statusCode, 403);
  assert.equal((await caller(server, tenantId, 'auditor')('GET', `/v1/clients/${id}`)).statusCode, 200);
  assert.equal((await caller(server, tenantId, 'tenant_admin')('GET', '/v1/clients')).statusCode, 200);
  assert.equal(await countRows('clients', tenantId), 1, 'only the analyst created one');
});

test('warnings do not refuse the client: they come back with it', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, tenantId, 'compliance_officer');
  const soon = new Date(server.clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
  const data = personData({ identityDocument: { ...personData().identityDocument, expiryDate: soon } });
  const created = await officer('POST', '/v1/clients', { data });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(
    created.json().warnings.map((warning: { pointer: string }) => warning.pointer),
    ['/data/identityDocument/expiryDate'],
  );
  assert.equal(await countRows('clients', tenantId), 1);
});
