/**
 * The life of keys: the check at start that the provider holds the right KEKs, KEK rotation
 * (re-wrapping every data key), data-key rotation (a new version for new writes; re-encryption
 * follows in a job), and crypto-shredding.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withPlatform, withTenant, type TenantId } from '../../platform/db/scopes.ts';
import { createKey } from './envelope.ts';
import type { KeyProvider } from './key-provider.ts';
import * as repo from './vault.repo.ts';

/** The vault cannot start: the key source does not match the database. */
export class VaultKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultKeyError';
  }
}

type Deps = { db: Kysely<Schema>; keys: KeyProvider; clock: Clock };

/**
 * Checks, before anything is served, that the provider holds every KEK the database has data
 * under and that each is the same key (its canary opens). On a database with no KEK yet, creates
 * one (the key file, on first start). Never creates a key over existing data: a lost key file
 * stops the server instead of quietly starting a second, empty key hierarchy.
 */
export async function ensureKeysReady({ db, keys }: Deps): Promise<{ createdKekId: string | null }> {
  return withPlatform(db, async (scope) => {
    const registered = await scope.trx
      .selectFrom('vault_key_encryption_keys')
      .select(['id', 'canary', 'state'])
      .where('state', '<>', 'retired')
      .orderBy('created_at')
      .execute();
    let createdKekId: string | null = null;
    if (registered.length === 0) {
      const everRegistered = await scope.trx
        .selectFrom('vault_key_encryption_keys')
        .select('id')
        .executeTakeFirst();
      if (everRegistered)
        throw new VaultKeyError('The database lists only retired key-encryption keys; it cannot be used.');
      let kekId = keys.activeKekId();
      if (kekId === null) kekId = createdKekId = await keys.createKek();
      await scope.trx
        .insertInto('vault_key_encryption_keys')
        .values({ id: kekId, canary: await keys.createCanary(kekId), state: 'active' })
        .execute();
      return { createdKekId };
    }
    for (const kek of registered) {
      if (!(await keys.hasKek(kek.id)))
        throw new VaultKeyError(
          `The database holds personal data under key-encryption key ${kek.id}, which ${keys.description} does not hold ` +
            `(missing or replaced key file?). Restore the key from your key backup, or set DILIGENCE_KEK; ` +
            `Diligence will not start with a new key over existing data.`,
        );
      if (!(await keys.isCanaryValid(kek.id, kek.canary)))
        throw new VaultKeyError(
          `The key-encryption key ${kek.id} in ${keys.description} is not the one this database was encrypted with. ` +
            `Restore the right key file, or set DILIGENCE_KEK.`,
        );
    }
    const active = keys.activeKekId();
    const activeRow = registered.find((kek) => kek.state === 'active');
    if (active !== null && active !== activeRow?.id && !registered.some((kek) => kek.id === active)) {
      // A new key was put first in DILIGENCE_KEK: new data keys use it; `keys rotate --kek` re-wraps the rest.
      await registerActiveKek(scope.trx, keys, active);
    }
    return { createdKekId };
  });
}

async function registerActiveKek(
  trx: Parameters<Parameters<typeof withPlatform>[1]>[0]['trx'],
  keys: KeyProvider,
  kekId: string,
): Promise<void> {
  await trx
    .updateTable('vault_key_encryption_keys')
    .set({ state: 'decrypt_only' })
    .where('state', '=', 'active')
    .execute();
  await trx
    .insertInto('vault_key_encryption_keys')
    .values({ id: kekId, canary: await keys.createCanary(kekId), state: 'active' })
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ state: 'active' }))
    .execute();
}

/** What a KEK rotation did. */
export type KekRotation = { kekId: string; dataKeysRewrapped: number; keksRetired: string[] };

/**
 * Creates a new KEK (local key file) or adopts the one put first in DILIGENCE_KEK, re-wraps every
 * data key under it in batches, then retires KEKs no data key uses any more. Safe to run again
 * after a crash: it continues with what is left on old KEKs.
 */
export async function rotateKek({ db, keys, clock }: Deps): Promise<KekRotation> {
  const current = await withPlatform(db, (scope) =>
    scope.trx
      .selectFrom('vault_key_encryption_keys')
      .select('id')
      .where('state', '=', 'active')
      .executeTakeFirst(),
  );
  let kekId = keys.activeKekId();
  if (kekId === null || kekId === current?.id) kekId = await keys.createKek();
  await withPlatform(db, (scope) => registerActiveKek(scope.trx, keys, kekId));
  let dataKeysRewrapped = 0;
  for (;;) {
    const count = await withPlatform(db, async (scope) => {
      const batch = await scope.trx
        .selectFrom('vault_data_keys')
        .select(['tenant_id', 'purpose', 'version', 'kek_id', 'wrapped_key'])
        .where('wrapped_key', 'is not', null)
        .where('kek_id', '<>', kekId)
        .limit(200)
        .forUpdate()
        .execute();
      for (const row of batch) {
        const label = { tenantId: row.tenant_id, purpose: row.purpose, version: row.version };
        const dataKey = await keys.unwrap({ ...label, kekId: row.kek_id }, row.wrapped_key!);
        await scope.trx
          .updateTable('vault_data_keys')
          .set({ kek_id: kekId, wrapped_key: await keys.wrap({ ...label, kekId }, dataKey) })
          .where('tenant_id', '=', row.tenant_id)
          .where('purpose', '=', row.purpose)
          .where('version', '=', row.version)
          .execute();
      }
      return batch.length;
    });
    dataKeysRewrapped += count;
    if (count === 0) break;
  }
  const keksRetired = await withPlatform(db, async (scope) => {
    const retired = await scope.trx
      .updateTable('vault_key_encryption_keys')
      .set({ state: 'retired', retired_at: clock.now() })
      .where('state', '=', 'decrypt_only')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('vault_data_keys')
              .select('vault_data_keys.kek_id')
              .whereRef('vault_data_keys.kek_id', '=', 'vault_key_encryption_keys.id')
              .where('vault_data_keys.wrapped_key', 'is not', null),
          ),
        ),
      )
      .returning('id')
      .execute();
    return retired.map((row) => row.id);
  });
  return { kekId, dataKeysRewrapped, keksRetired };
}

/**
 * Starts using a new field-key version for one keyring. Takes the keyring's exclusive lock, so it
 * commits only after every transaction still sealing with the old version has finished.
 */
export async function rotateFieldKey(
  { db, keys, clock }: Deps,
  tenantId: TenantId,
  onRotated: (scope: Parameters<Parameters<typeof withTenant>[2]>[0], version: number) => Promise<void>,
): Promise<number> {
  return withTenant(db, tenantId, async (scope) => {
    await repo.lockKeyring(scope.trx, tenantId, 'exclusive');
    const ring = await repo.findKeyring(scope.trx, tenantId);
    if (!ring) return 0; // nothing sealed yet: the first use creates version 1
    if (ring.shredded_at !== null) return 0;
    const kekId = keys.activeKekId();
    if (kekId === null) throw new VaultKeyError('The vault has no key-encryption key: it was not started');
    const version = ring.active_version + 1;
    const label = { kekId, tenantId, purpose: 'fields', version };
    await repo.insertDataKey(scope.trx, {
      tenantId,
      purpose: 'fields',
      version,
      kekId,
      wrapped: await keys.wrap(label, createKey()),
    });
    await repo.activateFieldKeyVersion(scope.trx, tenantId, version);
    const now = clock.now();
    await scope.trx
      .insertInto('vault_reencryptions')
      .values({
        tenant_id: tenantId,
        target_version: version,
        state: 'running',
        rows_rewritten: 0,
        started_at: now,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict.column('tenant_id').doUpdateSet({
          target_version: version,
          state: 'running',
          current_table: null,
          after_row_id: null,
          rows_rewritten: 0,
          started_at: now,
          updated_at: now,
          finished_at: null,
        }),
      )
      .execute();
    await onRotated(scope, version);
    return version;
  });
}

/** Destroys every data key of a keyring: all its sealed values and documents become unreadable. */
export async function shredKeyringKeys(
  { db, clock }: Deps,
  tenantId: TenantId,
  onShredded: (
    scope: Parameters<Parameters<typeof withTenant>[2]>[0],
    keysDestroyed: number,
  ) => Promise<void>,
): Promise<number> {
  return withTenant(db, tenantId, async (scope) => {
    await repo.lockKeyring(scope.trx, tenantId, 'exclusive');
    if (!(await repo.findKeyring(scope.trx, tenantId))) {
      await repo.insertKeyring(scope.trx, tenantId); // mark it shredded even before first use
    }
    const destroyed = await repo.shredKeyring(scope.trx, tenantId, clock.now());
    await onShredded(scope, destroyed);
    return destroyed;
  });
}
