// KEK rotation must never leave a data key wrapped under a key that is gone: a server with a
// stale view of the key file, a misordered DILIGENCE_KEK, or a KEK retired while still in use.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import test from 'node:test';
import { systemActor } from '../../platform/actor.ts';
import { systemClock } from '../../platform/clock.ts';
import { toTenantId, type TenantId } from '../../platform/db/scopes.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { ensureKeysReady, rotateKek, VaultKeyError } from './key-lifecycle.ts';
import { openLocalKeyProvider } from './key-provider.ts';

const actor = systemActor('test');
const apiOnly = { DILIGENCE_ROLES: 'api' };

async function newTenantWithDocument(
  server: TestServer,
): Promise<{ tenantId: TenantId; documentId: string }> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const tenantId = toTenantId((await server.modules.tenants.createTenant(actor, { slug, name: slug })).id);
  const stored = await server.modules.vault.documents.store(tenantId, Readable.from([Buffer.from('scan')]), {
    mediaType: 'image/png',
  });
  return { tenantId, documentId: stored.documentId };
}

async function kekOf(server: TestServer, tenantId: string): Promise<string[]> {
  const rows = await runAsOwner(
    server.database,
    'select distinct kek_id from vault_data_keys where tenant_id = $1 and wrapped_key is not null',
    [tenantId],
  );
  return rows.rows.map((row: { kek_id: string }) => row.kek_id);
}

test('a server that missed a KEK rotation by the command line wraps new keys under the new KEK', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'diligence-stale-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'kek.json');
  const server = await startTestServer({
    env: apiOnly,
    keys: await openLocalKeyProvider({ kind: 'file', file }),
  });
  t.after(() => server.stop());
  const first = await newTenantWithDocument(server);

  // The command line, another process with its own view of the file, rotates the KEK.
  const cli = await openLocalKeyProvider({ kind: 'file', file });
  const rotated = await rotateKek({ db: server.database.db, keys: cli, clock: systemClock });
  assert.equal(rotated.keksRetired.length, 1);

  // The server still believes the old KEK is active; the database decides.
  const second = await newTenantWithDocument(server);
  assert.deepEqual(await kekOf(server, second.tenantId), [rotated.kekId]);

  // Rotating again from the server creates a third KEK (it never revives the retired one).
  const again = await server.modules.vault.rotateKek(actor);
  assert.notEqual(again.kekId, rotated.kekId);
  assert.equal(again.keksRetired.includes(rotated.kekId), true);
  const onDisk = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(onDisk.keys.length, 3, 'no key was lost from the file');
  for (const { tenantId, documentId } of [first, second]) {
    assert.deepEqual(await kekOf(server, tenantId), [again.kekId]);
    const opened = await server.modules.vault.documents.open(tenantId, documentId);
    assert.equal((await buffer(opened.body)).toString(), 'scan');
  }
});

test('DILIGENCE_KEK: a new key put first is adopted at start, then rotate re-wraps toward it', async (t) => {
  const oldKey = { id: 'kek-old', key: randomBytes(32) };
  const newKey = { id: 'kek-new', key: randomBytes(32) };
  const server = await startTestServer({
    env: apiOnly,
    keys: await openLocalKeyProvider({ kind: 'inline', keys: [oldKey] }),
  });
  t.after(() => server.stop());
  const { tenantId } = await newTenantWithDocument(server);
  const db = server.database.db;

  // Nothing to rotate to while the variable still holds only the active key.
  await assert.rejects(rotateKek({ db, keys: server.keys, clock: systemClock }), /put a new key first/);

  const restarted = await openLocalKeyProvider({ kind: 'inline', keys: [newKey, oldKey] });
  await ensureKeysReady({ db, keys: restarted, clock: systemClock });
  const result = await rotateKek({ db, keys: restarted, clock: systemClock });
  assert.equal(result.kekId, 'kek-new');
  assert.deepEqual(result.keksRetired, ['kek-old']);
  assert.deepEqual(await kekOf(server, tenantId), ['kek-new']);

  // A misordered variable (old key first) cannot revive the retired key.
  const misordered = await openLocalKeyProvider({ kind: 'inline', keys: [oldKey, newKey] });
  await ensureKeysReady({ db, keys: misordered, clock: systemClock });
  await assert.rejects(rotateKek({ db, keys: misordered, clock: systemClock }), /is an old one/);
  const active = await runAsOwner(
    server.database,
    "select id from vault_key_encryption_keys where state = 'active'",
  );
  assert.deepEqual(active.rows, [{ id: 'kek-new' }]);

  // Only the new key left (the old one removed from the variable): passes the start-up check, and
  // every data key unwraps with it.
  const onlyNew = await openLocalKeyProvider({ kind: 'inline', keys: [newKey] });
  await ensureKeysReady({ db, keys: onlyNew, clock: systemClock });
  const wrapped = await runAsOwner(
    server.database,
    'select tenant_id, purpose, version, kek_id, wrapped_key from vault_data_keys where wrapped_key is not null',
  );
  assert.ok(wrapped.rows.length >= 4);
  for (const row of wrapped.rows as {
    tenant_id: string;
    purpose: string;
    version: number;
    kek_id: string;
    wrapped_key: Buffer;
  }[]) {
    const label = { tenantId: row.tenant_id, purpose: row.purpose, version: row.version, kekId: row.kek_id };
    assert.equal((await onlyNew.unwrap(label, row.wrapped_key)).length, 32);
  }
});

test('the start-up check covers a KEK that still wraps a data key, whatever its recorded state', async (t) => {
  const kek = { id: 'kek-only', key: randomBytes(32) };
  const server = await startTestServer({
    env: apiOnly,
    keys: await openLocalKeyProvider({ kind: 'inline', keys: [kek] }),
  });
  t.after(() => server.stop());
  await newTenantWithDocument(server);
  // As if a faulty run had marked it retired while data keys still used it.
  const other = { id: 'kek-other', key: randomBytes(32) };
  await ensureKeysReady({
    db: server.database.db,
    keys: await openLocalKeyProvider({ kind: 'inline', keys: [other, kek] }),
    clock: systemClock,
  });
  await runAsOwner(
    server.database,
    "update vault_key_encryption_keys set state = 'retired' where id = 'kek-only'",
  );
  await assert.rejects(
    ensureKeysReady({
      db: server.database.db,
      keys: await openLocalKeyProvider({ kind: 'inline', keys: [other] }),
      clock: systemClock,
    }),
    (error: unknown) => error instanceof VaultKeyError && error.message.includes('kek-only'),
  );
});
