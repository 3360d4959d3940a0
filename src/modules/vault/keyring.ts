/**
 * A keyring opened inside one transaction: the tenant's data keys, unwrapped, ready to seal and
 * open field values and to compute blind indexes. Opening it takes the keyring's shared lock, so
 * a rotation waits for this transaction, and it reads the keys afresh, so a rotation or a
 * shredding done by another process applies to the next transaction at once.
 */
import type { Transaction } from 'kysely';
import { AppError } from '../../platform/errors.ts';
import type { Schema } from '../../platform/db/schema.ts';
import {
  computeBlindIndex,
  createKey,
  openField,
  resealField,
  sealField,
  SealedValueError,
  type BlindIndexKind,
  type DataKeyLabel,
  type FieldType,
  type FieldValue,
} from './envelope.ts';
import type { KeyProvider } from './key-provider.ts';
import * as repo from './vault.repo.ts';

/** The place of a value inside the keyring's tenant: table, column and the row's id. */
export type FieldPlace = { table: string; column: string; rowId: string };

/** Seals and opens one tenant's personal values; valid only inside the transaction that opened it. */
export type Keyring = {
  readonly tenantId: string;
  /** The field-key version new values are sealed with. */
  readonly activeVersion: number;
  seal<T extends FieldType>(place: FieldPlace, type: T, value: FieldValue<T>): Buffer;
  open<T extends FieldType>(place: FieldPlace, type: T, sealed: Uint8Array): FieldValue<T>;
  /** Like `open`, but null stays null. */
  openNullable<T extends FieldType>(
    place: FieldPlace,
    type: T,
    sealed: Uint8Array | null,
  ): FieldValue<T> | null;
  /** The blind index of `value` in `field` (e.g. "users.email"), for equality lookups. */
  blindIndex(field: string, kind: BlindIndexKind, value: string): Buffer;
  /** Re-seals a value under the active version, whatever its type (re-encryption). */
  reseal(place: FieldPlace, sealed: Uint8Array): Buffer;
};

/** Unwrapped keys, by their wrapped bytes: a re-wrap or shredding changes the bytes, so no stale hit. */
export type UnwrapCache = Map<string, Buffer>;
const CACHE_LIMIT = 10_000;

async function unwrapCached(
  keys: KeyProvider,
  cache: UnwrapCache,
  label: DataKeyLabel,
  wrapped: Buffer,
): Promise<Buffer> {
  const cacheKey = `${label.tenantId}/${label.purpose}/${label.version}/${label.kekId}/${wrapped.toString('base64')}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const key = await keys.unwrap(label, wrapped);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, key);
  return key;
}

/** Creates a keyring for `tenantId` with fresh field and blind-index keys (version 1). */
async function createKeyring(trx: Transaction<Schema>, keys: KeyProvider, tenantId: string): Promise<void> {
  await repo.lockKeks(trx, 'shared');
  const kekId = await repo.getActiveKekId(trx);
  if (!(await repo.insertKeyring(trx, tenantId))) return; // a concurrent transaction made it
  for (const purpose of ['fields', 'blind_index'] as const) {
    const label = { kekId, tenantId, purpose, version: 1 };
    await repo.insertDataKey(trx, {
      tenantId,
      purpose,
      version: 1,
      kekId,
      wrapped: await keys.wrap(label, createKey()),
    });
  }
}

/** Opens the keyring of `tenantId` in `trx`, creating it on first use. */
export async function openKeyring(
  trx: Transaction<Schema>,
  tenantId: string,
  { keys, cache }: { keys: KeyProvider; cache: UnwrapCache },
): Promise<Keyring> {
  await repo.lockKeyring(trx, tenantId, 'shared');
  let ring = await repo.findKeyring(trx, tenantId);
  if (!ring) {
    await createKeyring(trx, keys, tenantId);
    ring = await repo.findKeyring(trx, tenantId);
    if (!ring) throw new Error('The keyring could not be created');
  }
  if (ring.shredded_at !== null)
    throw new AppError('gone', 'This data was erased: its encryption keys were destroyed.');
  const fieldKeys = new Map<number, Buffer>();
  let blindIndexKey: Buffer | null = null;
  for (const row of await repo.listUsableDataKeys(trx, tenantId)) {
    const label = { kekId: row.kek_id, tenantId, purpose: row.purpose, version: row.version };
    const key = await unwrapCached(keys, cache, label, row.wrapped_key!);
    if (row.purpose === 'fields') fieldKeys.set(row.version, key);
    else blindIndexKey = key;
  }
  const activeVersion = ring.active_version;
  const activeKey = fieldKeys.get(activeVersion);
  if (!activeKey || !blindIndexKey) throw new Error(`The keyring of ${tenantId} lacks its active keys`);
  const keyForVersion = (version: number): Buffer => {
    const key = fieldKeys.get(version);
    if (!key)
      throw new SealedValueError(`The value was sealed with key version ${version}, which is retired`);
    return key;
  };
  const at = (place: FieldPlace) => ({ tenantId, ...place });
  return {
    tenantId,
    activeVersion,
    seal: (place, type, value) => sealField(activeKey, activeVersion, at(place), type, value),
    open: (place, type, sealed) => openField(keyForVersion, at(place), type, sealed),
    openNullable: (place, type, sealed) =>
      sealed === null ? null : openField(keyForVersion, at(place), type, sealed),
    blindIndex: (field, kind, value) => computeBlindIndex(blindIndexKey, field, kind, value),
    reseal: (place, sealed) => resealField(keyForVersion, activeKey, activeVersion, at(place), sealed),
  };
}
