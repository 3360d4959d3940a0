/**
 * Where key-encryption keys (KEKs) come from. The vault only asks a provider to wrap and unwrap
 * data keys, so a cloud KMS (which never hands its keys out) can implement the same interface.
 *
 * The local provider keeps KEKs in a JSON key file (owner-only permissions, created on first
 * start) or takes them from the DILIGENCE_KEK environment variable. Key material never appears
 * in an error message or a log line: only key ids do.
 */
/* eslint-disable security/detect-non-literal-fs-filename -- the key file path is the operator's own configuration (DILIGENCE_KEY_FILE) */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  createKekCanary,
  isKekCanaryValid,
  KEY_BYTES,
  unwrapDataKey,
  wrapDataKey,
  type DataKeyLabel,
} from './envelope.ts';

/** Wraps and unwraps data keys under KEKs it holds; says which KEK new keys should use. */
export type KeyProvider = {
  /** Where the keys come from, for messages (a path or "the DILIGENCE_KEK variable"), never a key. */
  readonly description: string;
  /** The KEK new data keys are wrapped with; null while the provider holds none yet. */
  activeKekId(): string | null;
  /** Whether the provider holds the KEK `kekId`. */
  hasKek(kekId: string): Promise<boolean>;
  wrap(label: DataKeyLabel, dataKey: Buffer): Promise<Buffer>;
  unwrap(label: DataKeyLabel, wrapped: Buffer): Promise<Buffer>;
  /** A value only this KEK opens, stored in the database to recognise the key at start. */
  createCanary(kekId: string): Promise<Buffer>;
  isCanaryValid(kekId: string, canary: Buffer): Promise<boolean>;
  /** Whether `createKek` works (a key file); keys from the environment are added by the operator. */
  readonly canCreateKeks: boolean;
  /** Creates a new KEK, saves it durably and makes it the active one; returns its id. */
  createKek(): Promise<string>;
};

/** The provider cannot be used: a missing, unreadable or malformed key source. */
export class KeyProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyProviderError';
  }
}

/** Where the local provider reads its KEKs. */
export type LocalKeySource = { kind: 'file'; file: string } | { kind: 'inline'; keys: InlineKek[] };
/** One KEK given in DILIGENCE_KEK (`id:base64`, the first listed is active). */
export type InlineKek = { id: string; key: Buffer };

type KeyFile = {
  format: 'diligence-kek/1';
  active: string;
  keys: { id: string; key: string; createdAt: string }[];
};

const KEK_ID = /^kek-[a-z0-9-]{1,60}$/;

/** A new KEK id: the date and random hex, so ids sort by age and never collide. */
export function newKekId(now = new Date()): string {
  return `kek-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
}

/** Parses DILIGENCE_KEK: comma-separated `kek-id:base64key`, each key 32 bytes. */
export function parseInlineKeks(raw: string): InlineKek[] {
  const keys = raw.split(',').map((entry, index) => {
    const [id, encoded, ...rest] = entry.trim().split(':');
    if (id === undefined || encoded === undefined || rest.length > 0 || !KEK_ID.test(id))
      throw new KeyProviderError(`entry ${index + 1} must look like kek-name:base64key (name: a-z, 0-9, -)`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES)
      throw new KeyProviderError(`entry ${index + 1} (${id}) must be ${KEY_BYTES} bytes in base64`);
    return { id, key };
  });
  if (new Set(keys.map((entry) => entry.id)).size !== keys.length)
    throw new KeyProviderError('lists the same key id twice');
  return keys;
}

function parseKeyFile(text: string, file: string): Map<string, Buffer> & { active?: string } {
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(text) as KeyFile;
  } catch {
    throw new KeyProviderError(`The key file ${file} is not valid JSON; restore it from your key backup.`);
  }
  if (parsed.format !== 'diligence-kek/1' || !Array.isArray(parsed.keys))
    throw new KeyProviderError(`The key file ${file} is not a Diligence key file.`);
  const keys = new Map<string, Buffer>() as Map<string, Buffer> & { active?: string };
  for (const entry of parsed.keys) {
    const key = Buffer.from(String(entry.key), 'base64');
    if (!KEK_ID.test(String(entry.id)) || key.length !== KEY_BYTES)
      throw new KeyProviderError(`The key file ${file} holds a malformed key entry.`);
    keys.set(entry.id, key);
  }
  if (!keys.has(parsed.active))
    throw new KeyProviderError(`The key file ${file} names an active key it does not hold.`);
  keys.active = parsed.active;
  return keys;
}

async function readKeyFile(file: string): Promise<(Map<string, Buffer> & { active?: string }) | null> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(file)).mode;
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KeyProviderError(
      `The key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  // Like ssh with a private key: a key others can read is refused, not silently used.
  if ((mode & 0o077) !== 0)
    throw new KeyProviderError(
      `The key file ${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
    );
  return parseKeyFile(text, file);
}

async function writeKeyFile(file: string, keys: Map<string, Buffer>, active: string): Promise<void> {
  const body: KeyFile = {
    format: 'diligence-kek/1',
    active,
    keys: [...keys].map(([id, key]) => ({
      id,
      key: key.toString('base64'),
      createdAt: new Date().toISOString(),
    })),
  };
  const directory = path.dirname(file);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    // Written whole to a private temporary file, flushed, renamed, and the folder flushed too: the
    // database commits data keys wrapped under this KEK right after, so the file must survive a crash.
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    const handle = await open(partial, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(body, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await chmod(partial, 0o600);
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const folder = await open(directory, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KeyProviderError(`The key file ${file} cannot be written (${code}).`);
  }
}

/**
 * The local provider. A key file that does not exist yet is created by the first `createKek()`
 * (the vault calls it only when the database holds no data under any KEK); a KEK id it does not
 * know makes it re-read the file once, so a key added by `diligence keys rotate` in another
 * process is picked up without a restart.
 */
export async function openLocalKeyProvider(source: LocalKeySource): Promise<KeyProvider> {
  let keys: Map<string, Buffer>;
  let active: string | null;
  if (source.kind === 'inline') {
    keys = new Map(source.keys.map((entry) => [entry.id, entry.key]));
    active = source.keys[0]?.id ?? null;
  } else {
    const loaded = await readKeyFile(source.file);
    keys = loaded ?? new Map();
    active = loaded?.active ?? null;
  }
  const description = source.kind === 'file' ? `the key file ${source.file}` : 'the DILIGENCE_KEK variable';

  async function kek(kekId: string): Promise<Buffer> {
    let key = keys.get(kekId);
    if (!key && source.kind === 'file') {
      const reloaded = await readKeyFile(source.file);
      if (reloaded) {
        keys = reloaded;
        active = reloaded.active ?? active;
        key = keys.get(kekId);
      }
    }
    if (!key) throw new KeyProviderError(`The key-encryption key ${kekId} is not in ${description}.`);
    return key;
  }

  return {
    description,
    activeKekId: () => active,
    async hasKek(kekId) {
      try {
        await kek(kekId);
        return true;
      } catch {
        return false;
      }
    },
    wrap: async (label, dataKey) => wrapDataKey(await kek(label.kekId), dataKey, label),
    unwrap: async (label, wrapped) => unwrapDataKey(await kek(label.kekId), wrapped, label),
    createCanary: async (kekId) => createKekCanary(await kek(kekId), kekId),
    isCanaryValid: async (kekId, canary) => isKekCanaryValid(await kek(kekId), kekId, canary),
    canCreateKeks: source.kind === 'file',
    async createKek() {
      if (source.kind === 'inline')
        throw new KeyProviderError(
          'Keys given in DILIGENCE_KEK cannot be rotated by Diligence: put a new key first in the variable and restart.',
        );
      const id = newKekId();
      const current = (await readKeyFile(source.file)) ?? new Map<string, Buffer>();
      current.set(id, randomBytes(KEY_BYTES));
      await writeKeyFile(source.file, current, id);
      // Read back what is on disk: the key is used only once it is known to be there.
      const written = await readKeyFile(source.file);
      if (!written?.get(id)?.equals(current.get(id)!))
        throw new KeyProviderError(`The new key did not persist in ${source.file}; nothing was changed.`);
      keys = written;
      active = id;
      return id;
    },
  };
}
