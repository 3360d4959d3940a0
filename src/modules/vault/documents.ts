/**
 * Encrypted documents: the bytes are encrypted while they stream to storage (never held whole in
 * memory, never written in clear), and the document's own key is sealed in `vault_documents` in
 * one short transaction after the upload finished.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable } from 'node:stream';
import { PLATFORM_SCOPE_ID, withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ObjectStorage } from '../../platform/storage/object-storage.ts';
import { createKey } from './envelope.ts';
import { createDocumentDecrypter, createDocumentEncrypter } from './document-stream.ts';
import type { Keyring } from './keyring.ts';

type Deps = {
  db: Kysely<Schema>;
  storage: ObjectStorage;
  openKeyring: (scope: TenantScope) => Promise<Keyring>;
};

/** A stored document's metadata (none of it personal). */
export type StoredDocument = { documentId: string; mediaType: string; byteSize: number };

const KEY_PLACE = (documentId: string) => ({
  table: 'vault_documents',
  column: 'key_sealed',
  rowId: documentId,
});

function documentAad(tenantId: string, documentId: string): Buffer {
  return Buffer.from(`diligence/document/v1\0${tenantId}\0${documentId}`, 'utf8');
}

/** Builds the document store over the vault's keyrings. */
export function createDocumentStore({ db, storage, openKeyring }: Deps) {
  return {
    /** Encrypts `body` into storage, then records it; returns its id. On failure nothing remains. */
    async store(
      tenantId: TenantId,
      body: Readable,
      { mediaType }: { mediaType: string },
    ): Promise<StoredDocument> {
      // Documents belong to tenants: re-encryption walks vault_documents per tenant keyring only.
      if (tenantId === PLATFORM_SCOPE_ID) throw new TypeError('Documents belong to a tenant');
      const documentId = randomUUID();
      const key = createKey();
      const objectKey = `${tenantId}/${documentId}`;
      const encrypter = createDocumentEncrypter(key, documentAad(tenantId, documentId));
      const sealedStream = new PassThrough();
      const upload = storage.put(objectKey, sealedStream);
      try {
        await Promise.all([pipeline(body, encrypter, sealedStream), upload]);
        const byteSize = encrypter.plaintextBytes;
        await withTenant(db, tenantId, async (scope) => {
          const keyring = await openKeyring(scope);
          await scope
            .insertInto('vault_documents', {
              id: documentId,
              key_sealed: keyring.seal(KEY_PLACE(documentId), 'bytes', key),
              media_type: mediaType,
              byte_size: byteSize,
            })
            .execute();
        });
        return { documentId, mediaType, byteSize };
      } catch (error) {
        await upload.catch(() => undefined);
        await storage.delete(objectKey);
        throw error;
      }
    },

    /** The document's metadata and a stream of its decrypted bytes (errors if they were altered). */
    async open(tenantId: TenantId, documentId: string): Promise<StoredDocument & { body: Readable }> {
      const found = await withTenant(db, tenantId, async (scope) => {
        const row = await scope
          .selectFrom('vault_documents')
          .select(['id', 'key_sealed', 'media_type', 'byte_size'])
          .where('id', '=', documentId)
          .executeTakeFirst();
        if (!row) return null;
        const keyring = await openKeyring(scope);
        return { row, key: keyring.open(KEY_PLACE(documentId), 'bytes', row.key_sealed) };
      });
      if (!found) throw new AppError('not_found', 'No such document.');
      const encrypted = await storage.get(`${tenantId}/${documentId}`);
      const body = encrypted.pipe(createDocumentDecrypter(found.key, documentAad(tenantId, documentId)));
      encrypted.on('error', (error) => body.destroy(error));
      return { documentId, mediaType: found.row.media_type, byteSize: Number(found.row.byte_size), body };
    },

    /** Deletes the record and the bytes. */
    async delete(tenantId: TenantId, documentId: string): Promise<void> {
      await withTenant(db, tenantId, (scope) =>
        scope.deleteFrom('vault_documents').where('id', '=', documentId).execute(),
      );
      await storage.delete(`${tenantId}/${documentId}`);
    },
  };
}
