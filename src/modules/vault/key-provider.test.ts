// The local key source: a key file readable by others is refused, a malformed one is reported
// without echoing key material, and keys added by another process are found without a restart.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { KeyProviderError, openLocalKeyProvider, parseInlineKeks } from './key-provider.ts';

const label = { tenantId: '6f1c2a7e-3d0b-4f7a-9a55-0c1d2e3f4a5b', purpose: 'fields', version: 1 };

async function tempFile(t: test.TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'diligence-keys-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'keys', 'kek.json');
}

test('a missing key file holds no key until one is created, owner-only', async (t) => {
  const file = await tempFile(t);
  const provider = await openLocalKeyProvider({ kind: 'file', file });
  assert.equal(provider.activeKekId(), null);
  const kekId = await provider.createKek();
  assert.match(kekId, /^kek-\d{8}-[0-9a-f]{8}$/);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
  const dataKey = randomBytes(32);
  const wrapped = await provider.wrap({ ...label, kekId }, dataKey);
  const reopened = await openLocalKeyProvider({ kind: 'file', file });
  assert.equal(reopened.activeKekId(), kekId);
  assert.deepEqual(await reopened.unwrap({ ...label, kekId }, wrapped), dataKey);
});

test('a key file that others can read is refused with the fix', async (t) => {
  const file = await tempFile(t);
  await (await openLocalKeyProvider({ kind: 'file', file })).createKek();
  await chmod(file, 0o644);
  await assert.rejects(openLocalKeyProvider({ kind: 'file', file }), /readable by other users.*chmod 600/);
});

test('a malformed key file is reported without its contents', async (t) => {
  const file = await tempFile(t);
  const provider = await openLocalKeyProvider({ kind: 'file', file });
  await provider.createKek();
  const secret = JSON.parse(await readFile(file, 'utf8')).keys[0].key as string;
  await writeFile(file, (await readFile(file, 'utf8')).replace(secret, secret.slice(4)), { mode: 0o600 });
  const error = await openLocalKeyProvider({ kind: 'file', file }).catch((caught: unknown) => caught);
  assert.ok(error instanceof KeyProviderError);
  assert.equal(error.message.includes(secret.slice(4, 20)), false);
});

test('a KEK added by another process is found on first use', async (t) => {
  const file = await tempFile(t);
  const server = await openLocalKeyProvider({ kind: 'file', file });
  await server.createKek();
  const cli = await openLocalKeyProvider({ kind: 'file', file });
  const newId = await cli.createKek();
  const wrapped = await cli.wrap({ ...label, kekId: newId }, randomBytes(32));
  assert.equal((await server.unwrap({ ...label, kekId: newId }, wrapped)).length, 32);
  assert.equal(await server.hasKek('kek-unknown'), false);
});

test('DILIGENCE_KEK: ids and 32-byte keys; the first is active; no rotation from the variable', async () => {
  const a = randomBytes(32).toString('base64');
  const b = randomBytes(32).toString('base64');
  const keys = parseInlineKeks(`kek-new:${b},kek-old:${a}`);
  assert.deepEqual(
    keys.map((entry) => entry.id),
    ['kek-new', 'kek-old'],
  );
  const provider = await openLocalKeyProvider({ kind: 'inline', keys });
  assert.equal(provider.activeKekId(), 'kek-new');
  await assert.rejects(provider.createKek(), /DILIGENCE_KEK/);
  assert.throws(() => parseInlineKeks('kek-a:c2hvcnQ='), /32 bytes/);
  assert.throws(() => parseInlineKeks(`KEK A:${a}`), /kek-name:base64key/);
  assert.throws(() => parseInlineKeks(`kek-a:${a},kek-a:${b}`), /same key id/);
});
