// Appending to the audit chain: order, atomicity with the caller's transaction, concurrency and
// separation of chains per tenant.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTestDatabase, runAsOwner, type TestDatabase } from '../../../test/test-database.ts';
import { toTenantId, withTenant } from '../../platform/db/scopes.ts';
import { GENESIS_HASH, hashEntry } from './audit-chain.ts';
import type { AuditDetails, AuditEvent } from './audit.events.ts';
import { listAuditEntries, recordAuditEvents, verifyAuditChain } from './audit.service.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

const newTenant = () => toTenantId(randomUUID());
const event = (action: AuditEvent['action'] = 'tenant.created'): AuditEvent => ({
  action,
  actor: { kind: 'operator', id: randomUUID() },
  outcome: 'success',
  target: { type: 'tenant', id: randomUUID() },
});

test('entries are numbered from 1, each linked to the previous hash', async () => {
  const tenant = newTenant();
  const entries = await withTenant(database.db, tenant, (scope) =>
    recordAuditEvents(scope, [event(), event(), event()]),
  );
  assert.deepEqual(
    entries.map((entry) => entry.seq),
    [1n, 2n, 3n],
  );
  assert.ok(entries[0]!.prevHash.equals(GENESIS_HASH));
  assert.ok(entries[1]!.prevHash.equals(entries[0]!.hash));
  assert.ok(entries[2]!.prevHash.equals(entries[1]!.hash));
  const [newest] = await listAuditEntries(database.db, tenant, { beforeSeq: null, limit: 1 });
  assert.equal(newest!.seq, 3n);
  assert.ok(hashEntry(newest!).equals(newest!.hash), 'stored entry hashes to its stored hash');
});

test('entries written in a transaction that rolls back vanish with it and leave the chain intact', async () => {
  const tenant = newTenant();
  await withTenant(database.db, tenant, (scope) => recordAuditEvents(scope, [event()]));
  await assert.rejects(
    withTenant(database.db, tenant, async (scope) => {
      await recordAuditEvents(scope, [event('tenant.suspended')]);
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  await withTenant(database.db, tenant, (scope) => recordAuditEvents(scope, [event()]));
  const entries = await listAuditEntries(database.db, tenant, { beforeSeq: null, limit: 10 });
  assert.deepEqual(
    entries.map((entry) => entry.action),
    ['tenant.created', 'tenant.created'],
  );
  assert.equal((await verifyAuditChain(database.db, tenant)).broken, null);
});

test('parallel appenders to one chain never fork it', async () => {
  const tenant = newTenant();
  await Promise.all(
    Array.from({ length: 20 }, () =>
      withTenant(database.db, tenant, (scope) => recordAuditEvents(scope, [event(), event()])),
    ),
  );
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken, null);
  assert.equal(result.entriesChecked, 40);
});

test('each tenant has its own chain and cannot read another one', async () => {
  const first = newTenant();
  const second = newTenant();
  await withTenant(database.db, first, (scope) => recordAuditEvents(scope, [event(), event()]));
  await withTenant(database.db, second, (scope) => recordAuditEvents(scope, [event()]));
  assert.equal((await verifyAuditChain(database.db, first)).entriesChecked, 2);
  assert.equal((await verifyAuditChain(database.db, second)).entriesChecked, 1);
  const seenBySecond = await listAuditEntries(database.db, second, { beforeSeq: null, limit: 100 });
  assert.ok(seenBySecond.every((entry) => entry.tenantId === second));
});

test('stored entries contain only the ids given, no other fields', async () => {
  const tenant = newTenant();
  await withTenant(database.db, tenant, (scope) =>
    recordAuditEvents(scope, [{ ...event(), details: { field: 'address' } }]),
  );
  const stored = await runAsOwner(
    database,
    'select details, actor_type, target_type from audit_entries where tenant_id = $1',
    [tenant],
  );
  assert.deepEqual(stored.rows, [
    { details: { field: 'address' }, actor_type: 'operator', target_type: 'tenant' },
  ]);
});

test('an empty chain verifies as intact with zero entries', async () => {
  const result = await verifyAuditChain(database.db, newTenant());
  assert.deepEqual(
    { broken: result.broken, entriesChecked: result.entriesChecked },
    { broken: null, entriesChecked: 0 },
  );
});

test('details that would not survive storage unchanged are refused before anything is written', async () => {
  const tenant = newTenant();
  const refused: AuditDetails[] = [{ note: 'x'.repeat(201) }, { ratio: 0.5 }, { nested: 'a\u0000b' }];
  for (const details of refused) {
    await assert.rejects(
      withTenant(database.db, tenant, (scope) => recordAuditEvents(scope, [{ ...event(), details }])),
      TypeError,
    );
  }
  assert.equal((await verifyAuditChain(database.db, tenant)).entriesChecked, 0);
});

test('a source address that is not an IP address is not stored', async () => {
  const tenant = newTenant();
  const [entry] = await withTenant(database.db, tenant, (scope) =>
    recordAuditEvents(scope, [
      { ...event(), sourceIp: '1.2.3.4, <script>' },
      { ...event(), sourceIp: '::1' },
    ]),
  );
  assert.equal(entry!.sourceIp, null);
  const stored = await runAsOwner(
    database,
    'select source_ip from audit_entries where tenant_id = $1 order by seq',
    [tenant],
  );
  assert.deepEqual(stored.rows, [{ source_ip: null }, { source_ip: '::1' }]);
});
