/**
 * Where document bytes are kept: an interface the vault writes ciphertext through, with a
 * local-disk implementation (an S3-compatible one can follow). Objects are written whole or not
 * at all: to a temporary file first, renamed into place when the stream ended without error.
 */
/* eslint-disable security/detect-non-literal-fs-filename -- paths are the configured root plus keys checked against a fixed uuid/uuid shape */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Stores opaque objects by key. Keys are `<uuid>/<uuid>`; nothing else is accepted. */
export type ObjectStorage = {
  /** Writes the whole stream under `key`; on any error nothing is left behind. */
  put(key: string, body: Readable): Promise<{ bytes: number }>;
  /** Streams the object; rejects with code `ENOENT` when it does not exist. */
  get(key: string): Promise<Readable>;
  /** Removes the object; absent is fine. */
  delete(key: string): Promise<void>;
};

const OBJECT_KEY = /^[0-9a-f]{8}-[0-9a-f-]{27}\/[0-9a-f]{8}-[0-9a-f-]{27}$/;

function assertObjectKey(key: string): void {
  // The key becomes a path: only the fixed shape, so no "../" can ever reach the file system.
  if (!OBJECT_KEY.test(key)) throw new TypeError('An object key must be <uuid>/<uuid>');
}

/** Objects as files under `root` (created with owner-only permissions). */
export function createLocalDiskStorage(root: string): ObjectStorage {
  const fileOf = (key: string) => path.join(root, ...key.split('/'));
  return {
    async put(key, body) {
      assertObjectKey(key);
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const partial = `${file}.${process.pid}.${Date.now()}.partial`;
      try {
        // flush: the bytes are on disk before the caller commits the row that points at them.
        await pipeline(body, createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true }));
        await rename(partial, file);
        const folder = await open(path.dirname(file), 'r');
        try {
          await folder.sync();
        } finally {
          await folder.close();
        }
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { bytes: (await stat(file)).size };
    },
    async get(key) {
      assertObjectKey(key);
      const file = fileOf(key);
      await stat(file); // fail now with ENOENT rather than on the first read
      return createReadStream(file);
    },
    async delete(key) {
      assertObjectKey(key);
      await rm(fileOf(key), { force: true });
    },
  };
}
