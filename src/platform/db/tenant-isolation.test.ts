// Tenant isolation: a query run for tenant A never returns or changes tenant B's rows, even when
// the code forgets the tenant filter; the database refuses what the application fails to check.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import { createTestDatabase, runAsOwner, type TestDatabase } from '../../../test/test-database.ts';
import { toTenantId, withPlatform, withTenant, type TenantId } from './scopes.ts';

let database: TestDatabase;
let tenantA: TenantId;
let tenantB: TenantId;

async function seedHead(tenant: TenantId, lastSeq: number) {
  await withTenant(database.db, tenant, (scope) =>
    scope
      .insertInto('audit_chain_heads', { last_seq: lastSeq, last_hash: Buffer.alloc(32, lastSeq) })
      .execute(),
  );
}

before(async () => {
  database = await createTestDatabase();
  const created = await withPlatform(database.db, (scope) =>
    scope.trx
      .insertInto('tenants')
      .values([
        { slug: `a-${randomUUID().slice(0, 8)}`, name: 'A' },
        { slug: `b-${randomUUID().slice(0, 8)}`, name: 'B' },
      ])
      .returning('id')
      .execute(),
  );
  tenantA = toTenantId(created[0]!.id);
  tenantB = toTenantId(created[1]!.id);
  await seedHead(tenantA, 1);
  await seedHead(tenantB, 2);
});
after(async () => {
  await database.close();
});

test('the scoped query builder filters by tenant', async () => {
  const rows = await withTenant(database.db, tenantA, (scope) =>
    scope.selectFrom('audit_chain_heads').select('tenant_id').execute(),
  );
  assert.deepEqual(rows, [{ tenant_id: tenantA }]);
});

test('a query that forgets the tenant filter still sees only its own tenant (row-level security)', async () => {
  const rows = await withTenant(database.db, tenantA, (scope) =>
    scope.trx.selectFrom('audit_chain_heads').select(['tenant_id', 'last_seq']).execute(),
  );
  assert.deepEqual(rows, [{ tenant_id: tenantA, last_seq: '1' }]);
  const raw = await withTenant(database.db, tenantA, (scope) =>
    sql<{ n: number }>`select count(*)::int as n from audit_chain_heads`.execute(scope.trx),
  );
  assert.equal(raw.rows[0]!.n, 1);
  // Both rows are really there, seen by the owner.
  const all = await runAsOwner(database, 'select count(*)::int as n from audit_chain_heads');
  assert.equal(all.rows[0].n, 2);
});

test("naming the other tenant's id explicitly returns nothing", async () => {
  const rows = await withTenant(database.db, tenantA, (scope) =>
    scope.trx.selectFrom('audit_chain_heads').selectAll().where('tenant_id', '=', tenantB).execute(),
  );
  assert.deepEqual(rows, []);
});

test("an unfiltered update cannot touch the other tenant's rows", async () => {
  await withTenant(database.db, tenantA, (scope) =>
    scope.trx.updateTable('audit_chain_heads').set({ last_seq: 99 }).execute(),
  );
  const rows = await runAsOwner(
    database,
    'select tenant_id, last_seq from audit_chain_heads order by last_seq',
  );
  assert.deepEqual(rows.rows, [
    { tenant_id: tenantB, last_seq: '2' },
    { tenant_id: tenantA, last_seq: '99' },
  ]);
});

test("an unfiltered delete removes only the scope's own rows", async () => {
  // No foundation table grants DELETE, so a probe table with the standard policy stands in.
  await runAsOwner(
    database,
    `create table isolation_probe (tenant_id uuid not null, label text);
     alter table isolation_probe enable row level security;
     alter table isolation_probe force row level security;
     create policy isolation_probe_isolation on isolation_probe
       using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
     grant select, insert, delete on isolation_probe to diligence_app;`,
  );
  await runAsOwner(database, 'insert into isolation_probe values ($1, $2), ($3, $4)', [
    tenantA,
    'a',
    tenantB,
    'b',
  ]);
  const deleted = await withTenant(database.db, tenantA, (scope) =>
    sql`delete from isolation_probe`.execute(scope.trx),
  );
  assert.equal(deleted.numAffectedRows, 1n);
  const left = await runAsOwner(database, 'select label from isolation_probe');
  assert.deepEqual(left.rows, [{ label: 'b' }]);
});

test('writing a row for another tenant is refused by the database', async () => {
  await assert.rejects(
    withTenant(database.db, tenantA, (scope) =>
      scope.trx
        .insertInto('audit_chain_heads')
        .values({ tenant_id: randomUUID(), last_seq: 5, last_hash: Buffer.alloc(32) })
        .execute(),
    ),
    /row-level security/,
  );
});

test('a tenant scope sees only its own tenant row and cannot create tenants', async () => {
  const visible = await withTenant(database.db, tenantA, (scope) =>
    scope.trx.selectFrom('tenants').select('id').execute(),
  );
  assert.deepEqual(visible, [{ id: tenantA }]);
  await assert.rejects(
    withTenant(database.db, tenantA, (scope) =>
      scope.trx.insertInto('tenants').values({ slug: 'sneaky', name: 'x' }).execute(),
    ),
    /row-level security/,
  );
});

test('outside any scope the application role sees no tenant rows at all', async () => {
  const rows = await database.db.transaction().execute(async (trx) => {
    await sql`select set_config('role', 'diligence_app', true)`.execute(trx);
    return trx.selectFrom('audit_chain_heads').selectAll().execute();
  });
  assert.deepEqual(rows, []);
});

test('the application role cannot change or delete audit entries, even its own', async () => {
  await withTenant(database.db, tenantA, (scope) =>
    sql`insert into audit_entries (tenant_id, seq, id, occurred_at, actor_type, action, outcome, prev_hash, hash)
        values (${tenantA}, 1, ${randomUUID()}, now(), 'system', 'test.done', 'success', ${Buffer.alloc(32)}, ${Buffer.alloc(32)})`.execute(
      scope.trx,
    ),
  );
  await assert.rejects(
    withTenant(database.db, tenantA, (scope) =>
      sql`update audit_entries set action = 'test.changed'`.execute(scope.trx),
    ),
    /permission denied/,
  );
  await assert.rejects(
    withTenant(database.db, tenantA, (scope) => sql`delete from audit_entries`.execute(scope.trx)),
    /permission denied/,
  );
  // Even the owner is stopped by the append-only trigger.
  await assert.rejects(runAsOwner(database, 'delete from audit_entries'), /append-only/);
});
