/**
 * SQL over the vault's own tables. Every function takes the transaction first; tenant filters
 * are explicit (row-level security is the second lock).
 */
import { sql, type Transaction } from 'kysely';
import type { Schema, VaultDataKeysTable } from '../../platform/db/schema.ts';

type Trx = Transaction<Schema>;

// Class id of the vault's advisory locks (any constant unique within Diligence).
const KEYRING_LOCK_CLASS = 0x7661_756c; // "vaul"

/**
 * Holds the keyring's lock until the transaction ends: shared for everyone who seals or opens
 * values, exclusive for a rotation or shredding. So when a rotation commits, no transaction is
 * still writing with the old key version, and a re-encryption pass that starts after it misses
 * nothing.
 */
export async function lockKeyring(trx: Trx, tenantId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  if (mode === 'shared')
    await sql`select pg_advisory_xact_lock_shared(${KEYRING_LOCK_CLASS}::int, hashtext(${tenantId}))`.execute(
      trx,
    );
  else
    await sql`select pg_advisory_xact_lock(${KEYRING_LOCK_CLASS}::int, hashtext(${tenantId}))`.execute(trx);
}

// One lock for the set of KEKs, another class than keyrings'.
const KEK_LOCK_CLASS = 0x7661_6b6b; // "vakk"

/**
 * The KEK lock: shared while a transaction wraps a new data key (so it uses the KEK the database
 * says is active, and that KEK cannot be retired under it), exclusive while KEKs are registered,
 * rotated or retired.
 */
export async function lockKeks(trx: Trx, mode: 'shared' | 'exclusive'): Promise<void> {
  if (mode === 'shared')
    await sql`select pg_advisory_xact_lock_shared(${KEK_LOCK_CLASS}::int, 0)`.execute(trx);
  else await sql`select pg_advisory_xact_lock(${KEK_LOCK_CLASS}::int, 0)`.execute(trx);
}

/** The KEK new data keys are wrapped with, as the database records it (the authority). */
export async function getActiveKekId(trx: Trx): Promise<string> {
  const row = await trx
    .selectFrom('vault_key_encryption_keys')
    .select('id')
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (!row) throw new Error('No active key-encryption key is registered: the vault was not started');
  return row.id;
}

/** A keyring row. */
export type KeyringRow = { tenant_id: string; active_version: number; shredded_at: Date | null };

/** The keyring of `tenantId`, if one was created. */
export async function findKeyring(trx: Trx, tenantId: string): Promise<KeyringRow | null> {
  const row = await trx
    .selectFrom('vault_keyrings')
    .select(['tenant_id', 'active_version', 'shredded_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row ?? null;
}

/** Creates the keyring with version 1 active; false if another transaction created it first. */
export async function insertKeyring(trx: Trx, tenantId: string): Promise<boolean> {
  const inserted = await trx
    .insertInto('vault_keyrings')
    .values({ tenant_id: tenantId, active_version: 1 })
    .onConflict((conflict) => conflict.column('tenant_id').doNothing())
    .returning('tenant_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A data-key row with its wrapped material. */
export type DataKeyRow = Pick<VaultDataKeysTable, 'purpose' | 'version' | 'kek_id' | 'wrapped_key' | 'state'>;

/** The keyring's data keys that still hold material (active or decrypt-only). */
export async function listUsableDataKeys(trx: Trx, tenantId: string): Promise<DataKeyRow[]> {
  return trx
    .selectFrom('vault_data_keys')
    .select(['purpose', 'version', 'kek_id', 'wrapped_key', 'state'])
    .where('tenant_id', '=', tenantId)
    .where('wrapped_key', 'is not', null)
    .execute();
}

/** Stores a new data key. */
export async function insertDataKey(
  trx: Trx,
  row: {
    tenantId: string;
    purpose: 'fields' | 'blind_index';
    version: number;
    kekId: string;
    wrapped: Buffer;
  },
): Promise<void> {
  await trx
    .insertInto('vault_data_keys')
    .values({
      tenant_id: row.tenantId,
      purpose: row.purpose,
      version: row.version,
      kek_id: row.kekId,
      wrapped_key: row.wrapped,
      state: 'active',
    })
    .execute();
}

/** Makes `version` the keyring's active field-key version; earlier active ones become decrypt-only. */
export async function activateFieldKeyVersion(trx: Trx, tenantId: string, version: number): Promise<void> {
  await trx
    .updateTable('vault_data_keys')
    .set({ state: 'decrypt_only' })
    .where('tenant_id', '=', tenantId)
    .where('purpose', '=', 'fields')
    .where('state', '=', 'active')
    .where('version', '<>', version)
    .execute();
  await trx
    .updateTable('vault_keyrings')
    .set({ active_version: version })
    .where('tenant_id', '=', tenantId)
    .execute();
}

/** Destroys the material of field-key versions older than `version`; returns the versions retired. */
export async function retireFieldKeysBefore(
  trx: Trx,
  tenantId: string,
  version: number,
  now: Date,
): Promise<number[]> {
  const rows = await trx
    .updateTable('vault_data_keys')
    .set({ state: 'retired', wrapped_key: null, retired_at: now })
    .where('tenant_id', '=', tenantId)
    .where('purpose', '=', 'fields')
    .where('state', '=', 'decrypt_only')
    .where('version', '<', version)
    .returning('version')
    .execute();
  return rows.map((row) => row.version);
}

/** Destroys every data key of the keyring (crypto-shredding). */
export async function shredKeyring(trx: Trx, tenantId: string, now: Date): Promise<number> {
  const keys = await trx
    .updateTable('vault_data_keys')
    .set({ state: 'shredded', wrapped_key: null, retired_at: now })
    .where('tenant_id', '=', tenantId)
    .where('state', '<>', 'shredded')
    .returning('version')
    .execute();
  await trx
    .updateTable('vault_keyrings')
    .set({ shredded_at: now })
    .where('tenant_id', '=', tenantId)
    .execute();
  return keys.length;
}
