// Verification over many pages: breaks at a page boundary are found, and entries appended by
// live traffic while a chain is being verified are not mistaken for tampering.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTestDatabase, tamperWithAuditLog, type TestDatabase } from '../../../test/test-database.ts';
import { toTenantId, withTenant, type TenantId } from '../../platform/db/scopes.ts';
import type { AuditEvent } from './audit.events.ts';
import { recordAuditEvents, verifyAuditChain } from './audit.service.ts';

// Longer than two verification pages (10,000 entries each).
const CHAIN_LENGTH = 25_000;
let database: TestDatabase;

const event: AuditEvent = {
  action: 'client.viewed',
  actor: { kind: 'user', id: randomUUID() },
  outcome: 'success',
};

async function fillChain(tenant: TenantId, count: number): Promise<void> {
  for (let done = 0; done < count; done += 1000) {
    await withTenant(database.db, tenant, (scope) =>
      recordAuditEvents(scope, Array(Math.min(1000, count - done)).fill(event)),
    );
  }
}

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

test('a chain spanning several pages verifies completely', async () => {
  const tenant = toTenantId(randomUUID());
  await fillChain(tenant, CHAIN_LENGTH);
  const result = await verifyAuditChain(database.db, tenant);
  assert.deepEqual(
    { broken: result.broken, checked: result.entriesChecked },
    { broken: null, checked: CHAIN_LENGTH },
  );
});

test('entries removed at a page boundary are reported where they were', async () => {
  const tenant = toTenantId(randomUUID());
  await fillChain(tenant, CHAIN_LENGTH);
  await tamperWithAuditLog(
    database,
    'delete from audit_entries where tenant_id = $1 and seq between 10000 and 10001',
    [tenant],
  );
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'sequence_gap');
  assert.equal(result.broken?.seq, 10000n);
  assert.equal(result.entriesChecked, 9999);
});

test('appends during verification do not count as tampering', async () => {
  const tenant = toTenantId(randomUUID());
  await fillChain(tenant, CHAIN_LENGTH);
  const verification = verifyAuditChain(database.db, tenant);
  const appends = Promise.all(
    Array.from({ length: 20 }, () =>
      withTenant(database.db, tenant, (scope) => recordAuditEvents(scope, [event])),
    ),
  );
  const [result] = await Promise.all([verification, appends]);
  assert.equal(result.broken, null);
  assert.ok(result.entriesChecked >= CHAIN_LENGTH);
  const after = await verifyAuditChain(database.db, tenant);
  assert.deepEqual(
    { broken: after.broken, checked: after.entriesChecked },
    { broken: null, checked: CHAIN_LENGTH + 20 },
  );
});
