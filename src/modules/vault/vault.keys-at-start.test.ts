// A lost or swapped key file must stop the server at start with a clear message, never let it
// serve garbage or quietly start a second, empty key hierarchy over existing data.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { loadConfig } from '../../config.ts';
import { startDiligence } from '../../main.ts';
import { createLogger } from '../../platform/logger.ts';
import { createLocalDiskStorage } from '../../platform/storage/object-storage.ts';
import { reopenableDatabase } from '../../platform/jobs/jobs.test-fixtures.ts';
import { runDiligence } from '../../../test/cli-runner.ts';
import { openLocalKeyProvider, type KeyProvider } from './key-provider.ts';
import { VaultKeyError } from './key-lifecycle.ts';

async function startWith(
  store: Awaited<ReturnType<typeof reopenableDatabase>>,
  keys: KeyProvider,
  dir: string,
) {
  const config = loadConfig({ LOG_LEVEL: 'silent', DILIGENCE_ROLES: 'api' });
  return startDiligence(config, {
    logger: createLogger('silent'),
    database: await store.open(),
    keys,
    storage: createLocalDiskStorage(path.join(dir, 'documents')),
    listen: false,
  });
}

test('the server starts only with the key-encryption key its data was sealed under', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'diligence-start-'));
  const store = await reopenableDatabase();
  t.after(async () => {
    await store.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const file = path.join(dir, 'keys', 'kek.json');

  // First start on an empty database: the key file is created, owner-only.
  const first = await startWith(store, await openLocalKeyProvider({ kind: 'file', file }), dir);
  await first.stop();
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const original = JSON.parse(await readFile(file, 'utf8'));

  // The key file is gone: refused, and no new key file is made over the existing data.
  const missing = path.join(dir, 'elsewhere', 'kek.json');
  await assert.rejects(
    startWith(store, await openLocalKeyProvider({ kind: 'file', file: missing }), dir),
    (error: unknown) =>
      error instanceof VaultKeyError &&
      error.message.includes(original.active) &&
      error.message.includes('does not hold') &&
      error.message.includes('Restore the key'),
  );
  await assert.rejects(stat(missing), { code: 'ENOENT' });

  // A different key under the same id (a key file from another installation): refused.
  original.keys[0].key = randomBytes(32).toString('base64');
  const swapped = path.join(dir, 'swapped', 'kek.json');
  await mkdir(path.dirname(swapped), { recursive: true });
  await writeFile(swapped, JSON.stringify(original), { mode: 0o600 });
  await assert.rejects(
    startWith(store, await openLocalKeyProvider({ kind: 'file', file: swapped }), dir),
    (error: unknown) =>
      error instanceof VaultKeyError && /is not the one this database was encrypted with/.test(error.message),
  );

  // The right key file again: starts.
  const again = await startWith(store, await openLocalKeyProvider({ kind: 'file', file }), dir);
  await again.stop();
});

test('the command line reports a missing key file in one readable line and exits 2', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'diligence-cli-keys-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'data');
  const created = runDiligence({ dataDir }, 'tenant', 'list');
  assert.equal(created.status, 0, created.stderr);
  const keyFile = path.join(dir, 'keys', 'diligence-kek.json');
  assert.equal(
    (await stat(keyFile)).mode & 0o777,
    0o600,
    'the key file sits beside the data folder, owner-only',
  );
  await rm(keyFile);
  const refused = runDiligence({ dataDir }, 'tenant', 'list');
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /^diligence: The database holds personal data under key-encryption key kek-/);
  assert.equal(refused.stderr.includes('    at '), false, 'no stack trace');
  await assert.rejects(stat(keyFile), { code: 'ENOENT' });
});
