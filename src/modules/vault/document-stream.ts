/**
 * Streamed encryption of documents (ID scans, registry extracts): AES-256-GCM in 64 KiB chunks,
 * each with its own tag (the STREAM construction). The nonce is a random prefix, the chunk's
 * counter and a last-chunk flag, so chunks cannot be reordered, dropped or the file cut short
 * without the tag check failing; no plaintext leaves the decrypter before its chunk verified.
 * Every document has its own random key, so a (key, nonce) pair never repeats.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const MAGIC = Buffer.from('DLGD', 'ascii');
const FORMAT = 1;
const PREFIX_BYTES = 7;
const HEADER_BYTES = MAGIC.length + 1 + PREFIX_BYTES;
const TAG_BYTES = 16;
/** Plaintext bytes per chunk. */
export const DOCUMENT_CHUNK_BYTES = 64 * 1024;

/** A document's bytes failed to decrypt: wrong key, wrong document, or altered or cut-short bytes. */
export class DocumentIntegrityError extends Error {
  constructor() {
    super('The document does not decrypt: it was altered, cut short, or belongs elsewhere.');
    this.name = 'DocumentIntegrityError';
  }
}

function nonceFor(prefix: Buffer, counter: number, isLast: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(counter, PREFIX_BYTES);
  nonce[11] = isLast ? 1 : 0;
  return nonce;
}

/** Encrypts a byte stream; `aad` binds the ciphertext to its document (tenant and id). */
export function createDocumentEncrypter(
  key: Buffer,
  aad: Buffer,
): Transform & { readonly plaintextBytes: number } {
  const prefix = randomBytes(PREFIX_BYTES);
  let pending = Buffer.alloc(0);
  let counter = 0;
  let plaintextBytes = 0;
  const sealChunk = (chunk: Buffer, isLast: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonceFor(prefix, counter, isLast), {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(aad);
    counter += 1;
    return Buffer.concat([cipher.update(chunk), cipher.final(), cipher.getAuthTag()]);
  };
  const stream = new Transform({
    construct(callback) {
      this.push(Buffer.concat([MAGIC, Buffer.of(FORMAT), prefix]));
      callback();
    },
    transform(data: Buffer, _encoding, callback: TransformCallback) {
      plaintextBytes += data.length;
      pending = Buffer.concat([pending, data]);
      // Keep the last chunk back: only flush knows it is the last one.
      while (pending.length > DOCUMENT_CHUNK_BYTES) {
        this.push(sealChunk(pending.subarray(0, DOCUMENT_CHUNK_BYTES), false));
        pending = pending.subarray(DOCUMENT_CHUNK_BYTES);
      }
      callback();
    },
    flush(callback: TransformCallback) {
      this.push(sealChunk(pending, true));
      callback();
    },
  });
  return Object.defineProperty(stream, 'plaintextBytes', { get: () => plaintextBytes }) as Transform & {
    readonly plaintextBytes: number;
  };
}

/** Decrypts what `createDocumentEncrypter` wrote; errors with DocumentIntegrityError on any change. */
export function createDocumentDecrypter(key: Buffer, aad: Buffer): Transform {
  let pending = Buffer.alloc(0);
  let prefix: Buffer | null = null;
  let counter = 0;
  const openChunk = (sealed: Buffer, isLast: boolean): Buffer => {
    if (prefix === null || sealed.length < TAG_BYTES) throw new DocumentIntegrityError();
    const decipher = createDecipheriv('aes-256-gcm', key, nonceFor(prefix, counter, isLast), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    counter += 1;
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new DocumentIntegrityError();
    }
  };
  const sealedChunkBytes = DOCUMENT_CHUNK_BYTES + TAG_BYTES;
  return new Transform({
    transform(data: Buffer, _encoding, callback: TransformCallback) {
      try {
        pending = Buffer.concat([pending, data]);
        if (prefix === null) {
          if (pending.length < HEADER_BYTES) return callback();
          if (!pending.subarray(0, MAGIC.length).equals(MAGIC) || pending[MAGIC.length] !== FORMAT)
            throw new DocumentIntegrityError();
          prefix = Buffer.from(pending.subarray(MAGIC.length + 1, HEADER_BYTES));
          pending = pending.subarray(HEADER_BYTES);
        }
        while (pending.length > sealedChunkBytes) {
          this.push(openChunk(pending.subarray(0, sealedChunkBytes), false));
          pending = pending.subarray(sealedChunkBytes);
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        this.push(openChunk(pending, true));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
