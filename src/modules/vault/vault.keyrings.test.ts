// Keyrings stay with their tenant, every sealed column is known to the re-encryption, and the
// shared keyring (people's emails, TOTP secrets, platform mail) rotates without breaking sign-in.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import test from 'node:test';
import { sealedKeyVersion } from './envelope.ts';
import { sql } from 'kysely';
import { systemActor } from '../../platform/actor.ts';
import { PLATFORM_SCOPE_ID, toTenantId, withTenant } from '../../platform/db/scopes.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer } from '../../../test/test-server.ts';
import { createMember, createTenant, signIn } from '../../../test/sign-in-fixtures.ts';

const actor = systemActor('test');

test("a tenant scope reads its own and the shared keyring's keys, never another tenant's", async (t) => {
  const server = await startTestServer({ env: { DILIGENCE_ROLES: 'api' } });
  t.after(() => server.stop());
  const [a, b] = [toTenantId(await createTenant(server)), toTenantId(await createTenant(server))];
  for (const tenantId of [a, b])
    await withTenant(server.database.db, tenantId, (scope) => server.modules.vault.keyring(scope));
  const seen = await withTenant(server.database.db, a, async (scope) => {
    const rows = await sql<{ tenant_id: string }>`select distinct tenant_id from vault_data_keys`.execute(
      scope.trx,
    );
    return rows.rows.map((row) => row.tenant_id).sort();
  });
  assert.deepEqual(seen, [PLATFORM_SCOPE_ID, a].sort());
  // Writing to another tenant's keyring is refused by row-level security.
  await assert.rejects(
    withTenant(server.database.db, a, (scope) =>
      sql`insert into vault_keyrings (tenant_id, active_version) values (${randomUUID()}, 1)`.execute(
        scope.trx,
      ),
    ),
    /row-level security/,
  );
});

test('a sealed column nobody declared stops the start', async (t) => {
  const server = await startTestServer({ env: { DILIGENCE_ROLES: 'api' } });
  t.after(() => server.stop());
  await runAsOwner(server.database, 'alter table tenants add column notes_sealed bytea');
  await assert.rejects(
    server.modules.vault.ensureReady(),
    /not declared to the vault: tenants\.notes_sealed/,
  );
});

test('rotating the shared keyring re-encrypts emails, TOTP secrets and mail; people still sign in', async (t) => {
  const server = await startTestServer({ env: { DILIGENCE_ROLES: 'api' } });
  t.after(() => server.stop());
  const tenantId = await createTenant(server);
  const person = await createMember(server, tenantId, ['analyst']);
  const rotated = await server.modules.vault.rotateDataKeys(actor, {
    keyringId: toTenantId(PLATFORM_SCOPE_ID),
  });
  assert.deepEqual(rotated, [{ keyringId: PLATFORM_SCOPE_ID, version: 2 }]);
  const run = await server.modules.vault.reencrypt(PLATFORM_SCOPE_ID);
  assert.deepEqual(run, { state: 'done', retiredVersions: [1] });
  for (const [table, column] of [
    ['users', 'email_sealed'],
    ['second_factors', 'totp_secret_sealed'],
    ['mail_outbox', 'message_sealed'],
  ] as const) {
    const raw = await runAsOwner(
      server.database,
      `select ${column} as sealed from ${table} where ${column} is not null`,
    );
    assert.ok(raw.rows.length > 0, `${table} has sealed rows`);
    for (const row of raw.rows as { sealed: Buffer }[])
      assert.equal(sealedKeyVersion(row.sealed), 2, `${table}.${column}`);
  }
  const client = await signIn(server, person);
  const me = await client.request('GET', '/v1/account');
  assert.equal(me.json().email, person.email);
  const mail = await server.modules.listOutbox({ limit: 5, recipient: person.email });
  assert.equal(mail.length, 1);
});
