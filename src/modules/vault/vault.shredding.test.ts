// Crypto-shredding: once a tenant's data keys are destroyed, none of its sealed values or
// documents can be read by anyone, while other tenants are untouched.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import test from 'node:test';
import { systemActor } from '../../platform/actor.ts';
import { PLATFORM_SCOPE_ID, toTenantId, withTenant, type TenantId } from '../../platform/db/scopes.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';

const actor = systemActor('test');

async function newTenant(server: TestServer): Promise<TenantId> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  return toTenantId((await server.modules.tenants.createTenant(actor, { slug, name: slug })).id);
}

test("shredding a tenant's keys makes its documents and sealed values unreadable, and only its", async (t) => {
  const server = await startTestServer({ env: { DILIGENCE_ROLES: 'api' } });
  t.after(() => server.stop());
  const [doomed, kept] = [await newTenant(server), await newTenant(server)];
  const store = (tenantId: TenantId) =>
    server.modules.vault.documents.store(tenantId, Readable.from([Buffer.from('ID card')]), {
      mediaType: 'image/png',
    });
  const [doomedDocument, keptDocument] = [await store(doomed), await store(kept)];
  const place = { table: 'clients', column: 'name_sealed', rowId: randomUUID() };
  const sealed = await withTenant(server.database.db, doomed, async (scope) =>
    (await server.modules.vault.keyring(scope)).seal(place, 'text', 'Jane Doe'),
  );

  const result = await server.modules.vault.shredTenant(actor, doomed);
  assert.equal(result.keysDestroyed, 2);

  await assert.rejects(server.modules.vault.documents.open(doomed, doomedDocument.documentId), {
    code: 'gone',
  });
  await assert.rejects(
    withTenant(server.database.db, doomed, async (scope) =>
      (await server.modules.vault.keyring(scope)).open(place, 'text', sealed),
    ),
    { code: 'gone' },
  );
  const raw = await runAsOwner(
    server.database,
    'select count(*)::int as with_material from vault_data_keys where tenant_id = $1 and wrapped_key is not null',
    [doomed],
  );
  assert.equal(raw.rows[0].with_material, 0, 'no key material is left in the database');
  const opened = await server.modules.vault.documents.open(kept, keptDocument.documentId);
  assert.equal((await buffer(opened.body)).toString(), 'ID card');
  // The shredding is on the tenant's audit chain.
  const entries = await server.modules.audit.listEntries(doomed, { beforeSeq: null, limit: 10 });
  assert.ok(entries.some((entry) => entry.action === 'vault.keyring_shredded'));
  await assert.rejects(server.modules.vault.shredTenant(actor, toTenantId(PLATFORM_SCOPE_ID)), {
    code: 'forbidden',
  });
});

test('a document whose stored bytes were altered does not open', async (t) => {
  const server = await startTestServer({ env: { DILIGENCE_ROLES: 'api' } });
  t.after(() => server.stop());
  const tenantId = await newTenant(server);
  const stored = await server.modules.vault.documents.store(
    tenantId,
    Readable.from([Buffer.alloc(200_000, 'a')]),
    { mediaType: 'application/pdf' },
  );
  assert.equal(stored.byteSize, 200_000);
  const { readFile, writeFile } = await import('node:fs/promises');
  const file = `${server.documentsDir}/${tenantId}/${stored.documentId}`;
  const bytes = await readFile(file);
  assert.equal(bytes.includes(Buffer.alloc(64, 'a')), false, 'the stored file is not the plaintext');
  bytes[100_000] = bytes[100_000]! ^ 1;
  await writeFile(file, bytes);
  const opened = await server.modules.vault.documents.open(tenantId, stored.documentId);
  await assert.rejects(buffer(opened.body), /altered, cut short/);
});
