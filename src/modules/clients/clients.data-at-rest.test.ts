// Personal data at rest: someone who reads the tables or the audit log (a backup, a DBA, a leaked
// dump) must find no client's or party's name, birth date or document number in clear.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

// What must never appear in clear: names, a birth date, document and registration numbers.
const SECRETS = [
  'Halvorsen',
  'Ingrid',
  '1979-03-14',
  'NX4471902',
  'Lindqvist',
  '1968-11-02',
  'Fjord Holding',
  '24256790',
];

/** Every secret found in `text`, in UTF-8 and in UTF-16 (a sealed value is bytes, not text). */
const secretsIn = (bytes: Buffer) =>
  SECRETS.filter(
    (secret) => bytes.includes(Buffer.from(secret, 'utf8')) || bytes.includes(Buffer.from(secret, 'utf16le')),
  );

test('the client and party rows hold no personal value in clear, in any column', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, tenantId, 'compliance_officer');
  const person = await officer('POST', '/v1/clients', { data: personData() });
  assert.equal(person.statusCode, 201, person.body);
  const entity = await officer('POST', '/v1/clients', { data: entityData(), ...layeredStructure() });
  assert.equal(entity.statusCode, 201, entity.body);
  // Updated too, so the update path is covered.
  const updated = await officer('PUT', `/v1/clients/${person.json().id}`, {
    data: personData({ occupation: 'Architect' }),
  });
  assert.equal(updated.json().version, 2, updated.body);

  const dump = async (table: string) =>
    (await runAsOwner(server.database, `select * from ${table} where tenant_id = $1`, [tenantId])).rows;
  const clients = await dump('clients');
  const parties = await dump('client_parties');
  assert.equal(clients.length, 2);
  assert.equal(parties.length, 5);
  for (const row of [...clients, ...parties]) {
    assert.ok(Buffer.isBuffer(row.data_sealed) && row.data_sealed.length > 40, 'the data is sealed');
    const everyColumn = Buffer.concat(
      Object.values(row).map((value) => (Buffer.isBuffer(value) ? value : Buffer.from(String(value)))),
    );
    assert.deepEqual(secretsIn(everyColumn), [], `row ${row.id}`);
  }
  // The proof that the scan can see a secret when there is one: the API opens the same row.
  const read = await officer('GET', `/v1/clients/${person.json().id}`);
  assert.deepEqual(secretsIn(Buffer.from(read.body)), ['Halvorsen', 'Ingrid', '1979-03-14', 'NX4471902']);
});

test('audit entries of created and updated clients hold ids, kinds and counts only', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, tenantId, 'compliance_officer');
  const created = await officer('POST', '/v1/clients', { data: entityData(), ...layeredStructure() });
  const id = created.json().id;
  await officer('PUT', `/v1/clients/${id}`, { data: entityData({ name: 'Nordlys Advisory ApS' }) });

  const entries = (
    await runAsOwner(
      server.database,
      'select action, target_id, details from audit_entries where tenant_id = $1 and action like $2 order by seq',
      [tenantId, 'client.%'],
    )
  ).rows;
  assert.deepEqual(
    entries.map((entry) => [entry.action, entry.target_id]),
    [
      ['client.created', id],
      ['client.updated', id],
    ],
  );
  assert.deepEqual(entries[0].details, { kind: 'entity', version: 1, parties: 5, edges: 5 });
  assert.deepEqual(entries[1].details, {
    version: 2,
    isDataChanged: true,
    isStructureChanged: false,
    parties: 5,
    edges: 5,
  });
  const everything = Buffer.from(JSON.stringify(entries));
  assert.deepEqual(secretsIn(everything), []);
  assert.ok(!everything.includes('Nordlys'), 'neither the old nor the new name');
});
