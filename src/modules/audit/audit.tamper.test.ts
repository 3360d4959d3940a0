// Tamper evidence: someone with direct database access edits, deletes, reorders or truncates audit
// entries to hide what happened; verification must name the first broken link.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, test } from 'node:test';
import {
  createTestDatabase,
  runAsOwner,
  tamperWithAuditLog,
  type TestDatabase,
} from '../../../test/test-database.ts';
import { toTenantId, withTenant, type TenantId } from '../../platform/db/scopes.ts';
import type { AuditEvent } from './audit.events.ts';
import { hashLink } from './audit-chain.ts';
import { listAuditEntries, recordAuditEvents, verifyAuditChain } from './audit.service.ts';

let database: TestDatabase;
let tenant: TenantId;

function event(index: number): AuditEvent {
  return {
    action: 'client.updated',
    actor: { kind: 'user', id: randomUUID() },
    outcome: 'success',
    target: { type: 'client', id: randomUUID() },
    requestId: `req-${index}`,
    sourceIp: '127.0.0.1',
    details: { version: index, field: 'address' },
  };
}

const tamper = (statement: string, values: unknown[] = []) => tamperWithAuditLog(database, statement, values);

beforeEach(async () => {
  database = await createTestDatabase();
  tenant = toTenantId(randomUUID());
  await withTenant(database.db, tenant, (scope) =>
    recordAuditEvents(
      scope,
      Array.from({ length: 10 }, (_, index) => event(index + 1)),
    ),
  );
});
afterEach(async () => {
  await database.close();
});

test('an untouched chain verifies completely', async () => {
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken, null);
  assert.equal(result.entriesChecked, 10);
});

test('an edited entry is reported at its position', async () => {
  await tamper("update audit_entries set actor_id = 'someone-else' where tenant_id = $1 and seq = 4", [
    tenant,
  ]);
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'hash_mismatch');
  assert.equal(result.broken?.seq, 4n);
  assert.equal(result.entriesChecked, 3);
});

test('an edited details value is detected', async () => {
  await tamper(
    `update audit_entries set details = '{"version": 7, "field": "name"}' where tenant_id = $1 and seq = 7`,
    [tenant],
  );
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'hash_mismatch');
  assert.equal(result.broken?.seq, 7n);
});

test('a deleted entry in the middle is reported as a gap', async () => {
  await tamper('delete from audit_entries where tenant_id = $1 and seq = 5', [tenant]);
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'sequence_gap');
  assert.equal(result.broken?.seq, 5n);
});

test('a deleted entry with the rest renumbered is reported as a broken link', async () => {
  await tamper('delete from audit_entries where tenant_id = $1 and seq = 5', [tenant]);
  await tamper('update audit_entries set seq = seq - 1 where tenant_id = $1 and seq > 5', [tenant]);
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'previous_hash_mismatch');
  assert.equal(result.broken?.seq, 5n);
});

test('two reordered entries are reported', async () => {
  await tamper('update audit_entries set seq = 1000 where tenant_id = $1 and seq = 3', [tenant]);
  await tamper('update audit_entries set seq = 3 where tenant_id = $1 and seq = 6', [tenant]);
  await tamper('update audit_entries set seq = 6 where tenant_id = $1 and seq = 1000', [tenant]);
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'previous_hash_mismatch');
  assert.equal(result.broken?.seq, 3n);
});

test('entries removed from the end are caught by the chain head', async () => {
  await tamper('delete from audit_entries where tenant_id = $1 and seq > 8', [tenant]);
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'head_mismatch');
  assert.equal(result.broken?.seq, 9n);
  assert.equal(result.entriesChecked, 8);
});

test('a well-formed forged entry appended past the chain head is caught', async () => {
  const [last] = await listAuditEntries(database.db, tenant, { beforeSeq: null, limit: 1 });
  const forged = {
    tenantId: tenant,
    seq: '11',
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    actorType: 'system',
    actorId: null,
    action: 'client.deleted',
    targetType: null,
    targetId: null,
    outcome: 'success',
    requestId: null,
    sourceIp: null,
    details: {},
    prevHash: last!.hash.toString('hex'),
  };
  await tamper(
    `insert into audit_entries (tenant_id, seq, id, occurred_at, actor_type, action, outcome, prev_hash, hash)
     values ($1, 11, $2, $3, 'system', 'client.deleted', 'success', decode($4, 'hex'), decode($5, 'hex'))`,
    [tenant, forged.id, forged.occurredAt, forged.prevHash, hashLink(forged)],
  );
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken?.reason, 'head_mismatch');
  assert.equal(result.broken?.seq, 11n);
  assert.equal(result.entriesChecked, 10);
});

test('the owner cannot quietly delete entries while the append-only trigger is on', async () => {
  await assert.rejects(
    runAsOwner(database, 'delete from audit_entries where tenant_id = $1', [tenant]),
    /append-only/,
  );
  await assert.rejects(runAsOwner(database, 'truncate audit_entries'), /append-only/);
  const result = await verifyAuditChain(database.db, tenant);
  assert.equal(result.broken, null);
});
