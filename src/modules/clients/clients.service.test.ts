// The service's contract with the cases module: the change hook runs inside the change's
// transaction exactly when a new version exists, a failing hook undoes the change, parties keep
// their ids across resubmissions, and the checks read the client opened.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import type { AppError } from '../../platform/errors.ts';
import { createClientsService, type ClientChange } from './clients.service.ts';
import { clientsMember, entityData, layeredStructure, personData } from './clients.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

type Seen = ClientChange & { versionInTransaction: number | undefined };

/** A service whose hook records each call and the version its own transaction sees. */
function serviceWithHook(hook?: () => Promise<void>) {
  const calls: Seen[] = [];
  const service = createClientsService({
    db: server.database.db,
    audit: server.modules.audit,
    clock: server.clock,
    vault: server.modules.vault,
    async onClientChanged(scope: TenantScope, change: ClientChange) {
      const row = await scope
        .selectFrom('clients')
        .select('version')
        .where('id', '=', change.clientId)
        .executeTakeFirst();
      calls.push({ ...change, versionInTransaction: row?.version });
      await hook?.();
    },
  });
  return { service, calls };
}

test('the hook runs in the transaction of each real change, and only then', async () => {
  const tenantId = await createTenant(server);
  const actor = clientsMember(tenantId, 'analyst');
  const { service, calls } = serviceWithHook();
  const input = { data: entityData(), ...layeredStructure() };
  const { id } = await service.createClient(actor, input);
  assert.deepEqual(calls, [{ clientId: id, version: 1, reason: 'onboarding', versionInTransaction: 1 }]);

  const same = await service.updateClient(actor, id, input);
  assert.equal(same.changed, false);
  assert.equal(calls.length, 1, 'no call without a change');

  await service.updateClient(actor, id, { ...input, data: entityData({ legalForm: 'Aktieselskab' }) });
  const structure = layeredStructure();
  structure.ownership[2] = { ownerRef: 'bo', ownedRef: 'holdco', role: 'shareholder', percent: 30 };
  await service.updateClient(actor, id, { data: entityData({ legalForm: 'Aktieselskab' }), ...structure });
  assert.deepEqual(calls.slice(1), [
    { clientId: id, version: 2, reason: 'client_changed', versionInTransaction: 2 },
    { clientId: id, version: 3, reason: 'client_changed', versionInTransaction: 3 },
  ]);
});

test('a failing hook undoes the whole change', async () => {
  const tenantId = await createTenant(server);
  const actor = clientsMember(tenantId, 'analyst');
  const { service } = serviceWithHook(async () => {
    throw new Error('the cases module is down');
  });
  await assert.rejects(
    service.createClient(actor, { data: entityData(), ...layeredStructure() }),
    /cases module/,
  );
  for (const table of ['clients', 'client_parties', 'client_ownership', 'audit_entries']) {
    const rows = await runAsOwner(
      server.database,
      `select count(*) from ${table} where tenant_id = $1${table === 'audit_entries' ? " and action like 'client.%'" : ''}`,
      [tenantId],
    );
    assert.equal(Number(rows.rows[0].count), 0, table);
  }
});

test('a party named by its id keeps it when its data changes; an unnamed changed party is new', async () => {
  const tenantId = await createTenant(server);
  const actor = clientsMember(tenantId, 'compliance_officer');
  const { service } = serviceWithHook();
  const structure = layeredStructure();
  const { id } = await service.createClient(actor, { data: entityData(), ...structure });
  const idsByName = async () => {
    const client = await service.getClient(actor, id);
    return new Map(client.parties.map((party) => [JSON.stringify(party.data.name), party.id]));
  };
  const before = await idsByName();
  const annaId = before.get(JSON.stringify({ givenNames: 'Anna', familyName: 'Lindqvist' }))!;
  const carlId = before.get(JSON.stringify({ givenNames: 'Carl', familyName: 'Berg' }))!;

  const parties = structure.parties.map((party) => {
    if (party.ref === 'anna')
      return {
        ...party,
        id: annaId,
        data: { ...party.data, name: { givenNames: 'Anna', familyName: 'Lindqvist-Ek' } },
      };
    if (party.ref === 'carl')
      return { ...party, data: { ...party.data, name: { givenNames: 'Carl', familyName: 'Bergman' } } };
    return party;
  }) as typeof structure.parties;
  const result = await service.updateClient(actor, id, {
    data: entityData(),
    parties,
    ownership: structure.ownership,
  });
  assert.deepEqual([result.version, result.changed], [2, true]);
  const after = await idsByName();
  assert.equal(after.get(JSON.stringify({ givenNames: 'Anna', familyName: 'Lindqvist-Ek' })), annaId);
  assert.notEqual(after.get(JSON.stringify({ givenNames: 'Carl', familyName: 'Bergman' })), carlId);
  assert.equal(
    after.get(JSON.stringify({ givenNames: 'Bo', familyName: 'Kjær' })),
    before.get(JSON.stringify({ givenNames: 'Bo', familyName: 'Kjær' })),
  );

  const foreignId = await service
    .updateClient(actor, id, {
      data: entityData(),
      parties: [{ ...parties[0]!, id: randomUUID() }],
    })
    .catch((error: AppError) => error);
  assert.equal((foreignId as AppError).code, 'validation_failed');
  assert.deepEqual((foreignId as AppError).details?.errors, [
    { location: 'body', pointer: '/parties/0/id', message: 'No other party of this client has this id.' },
  ]);
});

test('the checks read the client opened, with parties, hashes and edges; monitoring lists its ids', async () => {
  const tenantId = await createTenant(server);
  const actor = clientsMember(tenantId, 'compliance_officer');
  const { service } = serviceWithHook();
  const person = await service.createClient(actor, { data: personData() });
  const entity = await service.createClient(actor, { data: entityData(), ...layeredStructure() });

  await withTenant(server.database.db, actor.tenantId!, async (scope) => {
    const loaded = await service.loadClientForChecks(scope, entity.id);
    assert.deepEqual([loaded.id, loaded.kind, loaded.version], [entity.id, 'entity', 1]);
    assert.deepEqual(loaded.data, entityData());
    assert.equal(loaded.dataHash.length, 32);
    assert.equal(loaded.parties.length, 5);
    const midco = loaded.parties.find((party) => party.data.name === 'Skagerrak Invest AB')!;
    assert.deepEqual([midco.kind, midco.countryCode], ['entity', 'SE']);
    assert.equal(new Set(loaded.parties.map((party) => party.dataHash.toString('hex'))).size, 5);
    assert.equal(loaded.edges.length, 5);
    assert.ok(
      loaded.edges.some(
        (edge) => edge.ownedId === entity.id && edge.role === 'director' && edge.percent === null,
      ),
    );
    assert.deepEqual((await service.listClientIds(scope)).sort(), [person.id, entity.id].sort());
    await assert.rejects(service.loadClientForChecks(scope, randomUUID()), { code: 'not_found' });
  });
});
