// Key rotation must lose nothing: values sealed while a rotation commits, and rows a crashed or
// confused run skipped, all end on the new key; old key material is destroyed only after that.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import test from 'node:test';
import { sealedKeyVersion } from './envelope.ts';
import { systemActor } from '../../platform/actor.ts';
import { toTenantId, type TenantId } from '../../platform/db/scopes.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { operatorActor, startTestServer, type TestServer } from '../../../test/test-server.ts';
import { openLocalKeyProvider } from './key-provider.ts';

const actor = systemActor('test');

async function newTenant(server: TestServer): Promise<TenantId> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  return toTenantId((await server.modules.tenants.createTenant(actor, { slug, name: slug })).id);
}

async function storeDocuments(
  server: TestServer,
  tenantId: TenantId,
  from: number,
  to: number,
  written: Map<string, string>,
) {
  await Promise.all(
    Array.from({ length: to - from }, async (_, offset) => {
      const text = `scan ${from + offset} of a passport`;
      const stored = await server.modules.vault.documents.store(
        tenantId,
        Readable.from([Buffer.from(text)]),
        {
          mediaType: 'image/png',
        },
      );
      written.set(stored.documentId, text);
    }),
  );
}

async function rawVersions(server: TestServer, tenantId: string): Promise<number[]> {
  const raw = await runAsOwner(
    server.database,
    'select key_sealed from vault_documents where tenant_id = $1',
    [tenantId],
  );
  return raw.rows.map((row: { key_sealed: Buffer }) => sealedKeyVersion(row.key_sealed));
}

async function assertAllOpen(server: TestServer, tenantId: TenantId, written: Map<string, string>) {
  for (const [documentId, text] of written) {
    const opened = await server.modules.vault.documents.open(tenantId, documentId);
    assert.equal((await buffer(opened.body)).toString(), text);
  }
}

// Workers off: the test drives the re-encryption itself, so it can also interrupt it.
const apiOnly = { env: { DILIGENCE_ROLES: 'api' } };

test('a rotation during concurrent writes ends with every row on the new key and loses nothing', async (t) => {
  const server = await startTestServer(apiOnly);
  t.after(() => server.stop());
  const tenantId = await newTenant(server);
  const written = new Map<string, string>();
  await storeDocuments(server, tenantId, 0, 30, written);
  assert.deepEqual(new Set(await rawVersions(server, tenantId)), new Set([1]));

  const [, rotated] = await Promise.all([
    storeDocuments(server, tenantId, 30, 80, written),
    server.modules.vault.rotateDataKeys(actor, { keyringId: tenantId }),
  ]);
  assert.deepEqual(rotated, [{ keyringId: tenantId, version: 2 }]);
  await storeDocuments(server, tenantId, 80, 90, written);

  const run = await server.modules.vault.reencrypt(tenantId);
  assert.deepEqual(run, { state: 'done', retiredVersions: [1] });
  const versions = await rawVersions(server, tenantId);
  assert.equal(versions.length, 90);
  assert.deepEqual(new Set(versions), new Set([2]));
  const keys = await runAsOwner(
    server.database,
    `select version, state, wrapped_key is null as destroyed from vault_data_keys
      where tenant_id = $1 and purpose = 'fields' order by version`,
    [tenantId],
  );
  assert.deepEqual(keys.rows, [
    { version: 1, state: 'retired', destroyed: true },
    { version: 2, state: 'active', destroyed: false },
  ]);
  await assertAllOpen(server, tenantId, written);
  const status = await server.modules.vault.status();
  const ring = status.keyrings.find((entry) => entry.keyringId === tenantId);
  assert.equal(ring?.reencryption?.state, 'done');
  assert.deepEqual(ring?.usableVersions, [2]);
});

test('a resumed run whose saved cursor skipped rows still ends with every row on the new key', async (t) => {
  const server = await startTestServer(apiOnly);
  t.after(() => server.stop());
  const tenantId = await newTenant(server);
  const written = new Map<string, string>();
  await storeDocuments(server, tenantId, 0, 250, written); // more than one batch
  await server.modules.vault.rotateDataKeys(actor, { keyringId: tenantId });
  // As if a crashed run had saved a cursor past every row: the final count must catch it.
  await runAsOwner(
    server.database,
    `update vault_reencryptions set current_table = 'vault_documents', after_row_id = 'ffffffff-ffff-ffff-ffff-ffffffffffff'
      where tenant_id = $1`,
    [tenantId],
  );
  const run = await server.modules.vault.reencrypt(tenantId);
  assert.equal(run.state, 'done');
  assert.deepEqual(new Set(await rawVersions(server, tenantId)), new Set([2]));
  await assertAllOpen(server, tenantId, written);
  // Rotating again while nothing is pending works the same way, to version 3.
  await server.modules.vault.rotateDataKeys(actor, { keyringId: tenantId });
  assert.deepEqual((await server.modules.vault.reencrypt(tenantId)).retiredVersions, [2]);
  assert.deepEqual(new Set(await rawVersions(server, tenantId)), new Set([3]));
});

test('a KEK rotation re-wraps every data key, retires the old KEK, and data still opens after a restart', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'diligence-kek-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keys', 'kek.json');
  const server = await startTestServer({
    ...apiOnly,
    keys: await openLocalKeyProvider({ kind: 'file', file }),
  });
  t.after(() => server.stop());
  const tenantId = await newTenant(server);
  const written = new Map<string, string>();
  await storeDocuments(server, tenantId, 0, 5, written);
  const oldKek = JSON.parse(await readFile(file, 'utf8')).active as string;

  const result = await server.modules.vault.rotateKek(actor);
  assert.notEqual(result.kekId, oldKek);
  assert.equal(result.dataKeysRewrapped, 4); // shared keyring and the tenant's: fields + blind index
  assert.deepEqual(result.keksRetired, [oldKek]);
  const onDisk = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(onDisk.active, result.kekId);
  assert.equal(onDisk.keys.length, 2, 'the retired KEK stays in the file for old backups');
  const kekIds = await runAsOwner(
    server.database,
    'select distinct kek_id from vault_data_keys where wrapped_key is not null',
  );
  assert.deepEqual(kekIds.rows, [{ kek_id: result.kekId }]);
  await assertAllOpen(server, tenantId, written);
  // A fresh provider over the same file (a restart) passes the start-up check and opens everything.
  const restarted = await openLocalKeyProvider({ kind: 'file', file });
  assert.equal(restarted.activeKekId(), result.kekId);
});

test('operators see key status and rotate with a fresh second factor; others cannot', async (t) => {
  const server = await startTestServer(apiOnly);
  t.after(() => server.stop());
  const operator = operatorActor(['keys:read', 'keys:rotate']);
  const status = await server.app.inject({
    method: 'GET',
    url: '/v1/platform/keys',
    headers: server.headersFor(operator),
  });
  assert.equal(status.statusCode, 200, status.body);
  assert.equal(status.json().keyEncryptionKeys[0].state, 'active');
  assert.equal(status.body.includes('wrapped'), false);
  const stale = await server.app.inject({
    method: 'POST',
    url: '/v1/platform/keys/rotate',
    headers: server.headersFor(operator),
    payload: { target: 'data_keys' },
  });
  assert.equal(stale.statusCode, 403);
  assert.equal(stale.json().type, '/problems/step-up-required');
  const fresh = await server.app.inject({
    method: 'POST',
    url: '/v1/platform/keys/rotate',
    headers: server.headersFor({ ...operator, secondFactorAt: server.clock.now() }),
    payload: { target: 'data_keys' },
  });
  assert.equal(fresh.statusCode, 200, fresh.body);
  assert.ok(fresh.json().rotatedKeyrings.length >= 1);
  const tenantUser = await server.app.inject({
    method: 'GET',
    url: '/v1/platform/keys',
    headers: server.headersFor(operatorActor(['tenants:read'])),
  });
  assert.equal(tenantUser.statusCode, 403);
});
