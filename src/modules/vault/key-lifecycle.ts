/**
 * The life of keys: the check at start that the provider holds the right KEKs, KEK rotation
 * (re-wrapping every data key), data-key rotation (a new version for new writes; re-encryption
 * follows in a job), and crypto-shredding.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withPlatform, withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
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

type Trx = Transaction<Schema>;

// A rotation waits at most this long for transactions holding a keyring, rather than stalling
// every new request of the tenant behind a long one; it can simply be run again.
const ROTATION_LOCK_TIMEOUT = '5s';

async function registerKek(trx: Trx, keys: KeyProvider, kekId: string): Promise<void> {
  await trx
    .updateTable('vault_key_encryption_keys')
    .set({ state: 'decrypt_only' })
    .where('state', '=', 'active')
    .execute();
  await trx
    .insertInto('vault_key_encryption_keys')
    .values({ id: kekId, canary: await keys.createCanary(kekId), state: 'active' })
    .execute();
}

/**
 * Checks, before anything is served, that the provider holds the KEK the database names active and
 * every KEK a data key is still wrapped under (whatever its state), and that each is the same key
 * (its canary opens). On a database with no KEK yet, creates one (the key file, on first start).
 * Never creates a key over existing data: a lost key file stops the server instead of quietly
 * starting a second, empty key hierarchy. The database, not the key source, says which KEK is active.
 */
export async function ensureKeysReady({ db, keys }: Deps): Promise<{ createdKekId: string | null }> {
  return withPlatform(db, async (scope) => {
    const trx = scope.trx;
    await repo.lockKeks(trx, 'exclusive'); // two processes starting at once: one creates, one checks
    const registered = await trx
      .selectFrom('vault_key_encryption_keys')
      .select(['id', 'canary', 'state'])
      .execute();
    if (registered.length === 0) {
      let kekId = keys.activeKekId();
      let createdKekId: string | null = null;
      if (kekId === null) kekId = createdKekId = await keys.createKek();
      await registerKek(trx, keys, kekId);
      return { createdKekId };
    }
    const inUse = await trx
      .selectFrom('vault_data_keys')
      .select('kek_id')
      .distinct()
      .where('wrapped_key', 'is not', null)
      .execute();
    const needed = new Set([
      ...registered.filter((kek) => kek.state === 'active').map((kek) => kek.id),
      ...inUse.map((row) => row.kek_id),
    ]);
    for (const kek of registered.filter((row) => needed.has(row.id))) {
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
    // A key put first in DILIGENCE_KEK that the database has never seen: new data keys use it from
    // now on, and `diligence keys rotate --kek` re-wraps the rest. A known key listed first is
    // ignored: the database's choice stands, so a misordered variable cannot revive a retired key.
    const offered = keys.activeKekId();
    if (!keys.canCreateKeks && offered !== null && !registered.some((kek) => kek.id === offered))
      await registerKek(trx, keys, offered);
    return { createdKekId: null };
  });
}

/** What a KEK rotation did. */
export type KekRotation = { kekId: string; dataKeysRewrapped: number; keksRetired: string[] };

async function chooseNewKek(trx: Trx, keys: KeyProvider): Promise<string> {
  const registered = await trx.selectFrom('vault_key_encryption_keys').select(['id', 'state']).execute();
  if (keys.canCreateKeks) {
    const kekId = await keys.createKek();
    await registerKek(trx, keys, kekId);
    return kekId;
  }
  const offered = keys.activeKekId();
  if (offered === null) throw new VaultKeyError('No key-encryption key is configured.');
  const known = registered.find((kek) => kek.id === offered);
  if (!known) {
    await registerKek(trx, keys, offered);
    return offered;
  }
  if (known.state !== 'active')
    throw new VaultKeyError(
      `The first key in DILIGENCE_KEK (${offered}) is an old one; put the new key first.`,
    );
  const elsewhere = await trx
    .selectFrom('vault_data_keys')
    .select('kek_id')
    .where('wrapped_key', 'is not', null)
    .where('kek_id', '<>', offered)
    .executeTakeFirst();
  if (!elsewhere)
    throw new VaultKeyError(
      'Nothing to rotate: put a new key first in DILIGENCE_KEK (keep the old one after it), restart, and run this again.',
    );
  return offered; // adopted at start; this run re-wraps what is still under older keys
}

/**
 * Makes a new KEK active (a new key in the key file, or the one put first in DILIGENCE_KEK),
 * re-wraps every data key under it, and retires KEKs no data key uses. One transaction under the
 * exclusive KEK lock, so no keyring is created under a KEK while it is being retired.
 */
export async function rotateKek({ db, keys, clock }: Deps): Promise<KekRotation> {
  return withPlatform(db, async (scope) => {
    const trx = scope.trx;
    await sql`set local lock_timeout = ${sql.lit(ROTATION_LOCK_TIMEOUT)}`.execute(trx);
    await repo.lockKeks(trx, 'exclusive');
    const kekId = await chooseNewKek(trx, keys);
    const stale = await trx
      .selectFrom('vault_data_keys')
      .select(['tenant_id', 'purpose', 'version', 'kek_id', 'wrapped_key'])
      .where('wrapped_key', 'is not', null)
      .where('kek_id', '<>', kekId)
      .forUpdate()
      .execute();
    for (const row of stale) {
      const label = { tenantId: row.tenant_id, purpose: row.purpose, version: row.version };
      const dataKey = await keys.unwrap({ ...label, kekId: row.kek_id }, row.wrapped_key!);
      await trx
        .updateTable('vault_data_keys')
        .set({ kek_id: kekId, wrapped_key: await keys.wrap({ ...label, kekId }, dataKey) })
        .where('tenant_id', '=', row.tenant_id)
        .where('purpose', '=', row.purpose)
        .where('version', '=', row.version)
        .execute();
    }
    const retired = await trx
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
    return { kekId, dataKeysRewrapped: stale.length, keksRetired: retired.map((row) => row.id) };
  });
}

/**
 * Starts using a new field-key version for one keyring. Takes the keyring's exclusive lock, so it
 * commits only after every transaction still sealing with the old version has finished.
 */
export async function rotateFieldKey(
  { db, keys, clock }: Deps,
  tenantId: TenantId,
  onRotated: (scope: TenantScope, version: number) => Promise<void>,
): Promise<number> {
  return withTenant(db, tenantId, async (scope) => {
    await sql`set local lock_timeout = ${sql.lit(ROTATION_LOCK_TIMEOUT)}`.execute(scope.trx);
    await repo.lockKeyring(scope.trx, tenantId, 'exclusive');
    const ring = await repo.findKeyring(scope.trx, tenantId);
    if (!ring) return 0; // nothing sealed yet: the first use creates version 1
    if (ring.shredded_at !== null) return 0;
    await repo.lockKeks(scope.trx, 'shared');
    const kekId = await repo.getActiveKekId(scope.trx);
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
  onShredded: (scope: TenantScope, keysDestroyed: number) => Promise<void>,
): Promise<number> {
  return withTenant(db, tenantId, async (scope) => {
    await sql`set local lock_timeout = ${sql.lit(ROTATION_LOCK_TIMEOUT)}`.execute(scope.trx);
    await repo.lockKeyring(scope.trx, tenantId, 'exclusive');
    if (!(await repo.findKeyring(scope.trx, tenantId))) {
      await repo.insertKeyring(scope.trx, tenantId); // mark it shredded even before first use
    }
    const destroyed = await repo.shredKeyring(scope.trx, tenantId, clock.now());
    await onShredded(scope, destroyed);
    return destroyed;
  });
}
