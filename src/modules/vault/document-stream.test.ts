// Attacks on stored documents: a byte changed, chunks swapped or dropped, the file cut short at a
// chunk boundary, or the file copied to another document's place.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import test from 'node:test';
import { createKey } from './envelope.ts';
import {
  createDocumentDecrypter,
  createDocumentEncrypter,
  DocumentIntegrityError,
  DOCUMENT_CHUNK_BYTES,
} from './document-stream.ts';

const aad = Buffer.from('tenant-a/document-1');

async function encrypt(key: Buffer, plaintext: Buffer, chunkSize = 10_000): Promise<Buffer> {
  const parts = [];
  for (let offset = 0; offset < plaintext.length; offset += chunkSize)
    parts.push(plaintext.subarray(offset, offset + chunkSize));
  return buffer(Readable.from(parts).pipe(createDocumentEncrypter(key, aad)));
}

function decrypt(key: Buffer, sealed: Buffer, withAad = aad): Promise<Buffer> {
  return buffer(Readable.from([sealed]).pipe(createDocumentDecrypter(key, withAad)));
}

const SEALED_CHUNK = DOCUMENT_CHUNK_BYTES + 16;
const HEADER = 12;

for (const size of [
  0,
  1,
  DOCUMENT_CHUNK_BYTES,
  DOCUMENT_CHUNK_BYTES + 1,
  3 * DOCUMENT_CHUNK_BYTES + 12_345,
]) {
  test(`a ${size}-byte document round-trips`, async () => {
    const key = createKey();
    const plaintext = randomBytes(size);
    const sealed = await encrypt(key, plaintext);
    assert.deepEqual(await decrypt(key, sealed), plaintext);
  });
}

test('the ciphertext does not contain the plaintext', async () => {
  const key = createKey();
  const plaintext = Buffer.from('PASSPORT P<DNKDOE<<JANE<<<<<<<<<<<<<<<<<<<<<<'.repeat(5000));
  const sealed = await encrypt(key, plaintext);
  assert.equal(sealed.includes(Buffer.from('PASSPORT P<DNKDOE')), false);
});

test('a changed byte, anywhere, fails the decryption', async () => {
  const key = createKey();
  const sealed = await encrypt(key, randomBytes(2 * DOCUMENT_CHUNK_BYTES + 100));
  for (const index of [0, 5, HEADER + 3, HEADER + SEALED_CHUNK + 7, sealed.length - 1]) {
    const tampered = Buffer.from(sealed);
    tampered[index] = tampered[index]! ^ 0x80;
    await assert.rejects(decrypt(key, tampered), DocumentIntegrityError, `byte ${index}`);
  }
});

test('a file cut short at a chunk boundary is detected', async () => {
  const key = createKey();
  const sealed = await encrypt(key, randomBytes(3 * DOCUMENT_CHUNK_BYTES + 10));
  await assert.rejects(decrypt(key, sealed.subarray(0, HEADER + 2 * SEALED_CHUNK)), DocumentIntegrityError);
  await assert.rejects(decrypt(key, sealed.subarray(0, HEADER)), DocumentIntegrityError);
});

test('swapped chunks are detected', async () => {
  const key = createKey();
  const sealed = await encrypt(key, randomBytes(3 * DOCUMENT_CHUNK_BYTES + 10));
  const first = sealed.subarray(HEADER, HEADER + SEALED_CHUNK);
  const second = sealed.subarray(HEADER + SEALED_CHUNK, HEADER + 2 * SEALED_CHUNK);
  const swapped = Buffer.concat([
    sealed.subarray(0, HEADER),
    second,
    first,
    sealed.subarray(HEADER + 2 * SEALED_CHUNK),
  ]);
  await assert.rejects(decrypt(key, swapped), DocumentIntegrityError);
});

test("another document's file, or another key, does not decrypt", async () => {
  const key = createKey();
  const sealed = await encrypt(key, randomBytes(1000));
  await assert.rejects(decrypt(key, sealed, Buffer.from('tenant-a/document-2')), DocumentIntegrityError);
  await assert.rejects(decrypt(createKey(), sealed), DocumentIntegrityError);
});
