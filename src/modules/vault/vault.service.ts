/**
 * The vault: the one place personal data is sealed and opened. Modules open a keyring inside
 * their transaction and seal values before writing them; the vault owns the keys, their
 * rotation and re-encryption, crypto-shredding, and encrypted documents.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import {
  PLATFORM_SCOPE_ID,
  withPlatform,
  type TenantId,
  type TenantScope,
} from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import type { ObjectStorage } from '../../platform/storage/object-storage.ts';
import type { AuditService } from '../audit/index.ts';
import { createDocumentStore } from './documents.ts';
import type { KeyProvider } from './key-provider.ts';
import { ensureKeysReady, rotateFieldKey, rotateKek, shredKeyringKeys } from './key-lifecycle.ts';
import { openKeyring, type Keyring, type UnwrapCache } from './keyring.ts';
import {
  assertEverySealedColumnDeclared,
  assertSealedTables,
  runReencryption,
  type SealedTable,
} from './reencryption.ts';
import { readVaultStatus } from './vault.status.ts';
import type { VaultAuditAction } from './vault.events.ts';

type Deps = {
  db: Kysely<Schema>;
  keys: KeyProvider;
  storage: ObjectStorage;
  clock: Clock;
  jobs: Pick<Jobs, 'defineQueue' | 'enqueue'>;
  audit: Pick<AuditService, 'record' | 'recordAlone'>;
  /** Every table with sealed columns, declared by the modules that own them. */
  sealedTables: readonly SealedTable[];
};

/** The vault's public operations. */
export type Vault = ReturnType<typeof createVault>;

/** Builds the vault and defines its re-encryption queue. */
export function createVault({ db, keys, storage, clock, jobs, audit, sealedTables }: Deps) {
  const cache: UnwrapCache = new Map();
  const tables = [
    { table: 'vault_documents', scope: 'tenant', columns: ['key_sealed'] } as const,
    ...sealedTables,
  ];
  assertSealedTables(tables);
  const reencryptionDeps = { db, keys, cache, clock, tables };

  const reencryptQueue = jobs.defineQueue<{ keyringId: string }>({
    name: 'vault.reencrypt',
    retry: { limit: 10, delaySeconds: 30, backoff: true, maxDelaySeconds: 3600 },
    timeoutSeconds: 6 * 60 * 60,
    handle: async (run) => {
      await runReencryption(reencryptionDeps, run.data.keyringId);
    },
  });

  const auditActor = (actor: Actor) => ({ kind: actor.kind, id: actor.id });
  const record = async (
    scope: TenantScope,
    actor: Actor,
    action: VaultAuditAction,
    details: Record<string, string | number>,
  ): Promise<void> => {
    await audit.record(scope, [
      {
        action,
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: 'keyring', id: scope.tenantId },
        details,
      },
    ]);
  };

  async function listKeyringIds(): Promise<TenantId[]> {
    return withPlatform(db, async (scope) => {
      const rows = await scope.trx
        .selectFrom('vault_keyrings')
        .select('tenant_id')
        .where('shredded_at', 'is', null)
        .orderBy('tenant_id')
        .execute();
      return rows.map((row) => row.tenant_id as TenantId);
    });
  }

  return {
    /** Checks (or, on a new database, creates) the key-encryption key; call before serving. */
    async ensureReady() {
      const result = await ensureKeysReady({ db, keys, clock });
      await withPlatform(db, async (scope) => {
        await assertEverySealedColumnDeclared(scope.trx, tables);
        // The shared keyring exists before any tenant scope needs it (tenants may read it, not create it).
        await openKeyring(scope.trx, PLATFORM_SCOPE_ID, { keys, cache });
      });
      return result;
    },

    /** The keyring of the scope's tenant (the nil UUID in the identity and platform scopes). */
    keyring: (scope: TenantScope): Promise<Keyring> =>
      openKeyring(scope.trx, scope.tenantId, { keys, cache }),

    /**
     * The shared keyring (people's emails and TOTP secrets, platform mail), from any scope: a
     * tenant opens its members' emails with it. Created by `ensureReady`.
     */
    sharedKeyring: (scope: TenantScope): Promise<Keyring> =>
      openKeyring(scope.trx, PLATFORM_SCOPE_ID, { keys, cache }),

    /** A new KEK: every data key is re-wrapped under it, then unused KEKs are retired. */
    async rotateKek(actor: Actor) {
      const result = await rotateKek({ db, keys, clock });
      await audit.recordAlone(PLATFORM_SCOPE_ID as TenantId, [
        {
          action: 'vault.kek_rotated',
          actor: auditActor(actor),
          outcome: 'success',
          target: { type: 'key_encryption_key', id: result.kekId },
          details: { dataKeysRewrapped: result.dataKeysRewrapped, keksRetired: result.keksRetired.join(',') },
        },
      ]);
      return result;
    },

    /**
     * A new field-key version for one keyring or all: new writes use it once this commits, and a
     * re-encryption job per keyring moves existing values over in the background.
     */
    async rotateDataKeys(actor: Actor, options: { keyringId?: TenantId } = {}) {
      const ids = options.keyringId ? [options.keyringId] : await listKeyringIds();
      const rotated: { keyringId: string; version: number }[] = [];
      for (const keyringId of ids) {
        const version = await rotateFieldKey({ db, keys, clock }, keyringId, async (scope, newVersion) => {
          await jobs.enqueue(scope.trx, reencryptQueue, { keyringId }, { key: `${keyringId}:${newVersion}` });
          await record(scope, actor, 'vault.data_key_rotated', { version: newVersion });
        });
        if (version > 0) rotated.push({ keyringId, version });
      }
      return rotated;
    },

    /** Runs a keyring's pending re-encryption here and now (the CLI, and tests). */
    reencrypt: (keyringId: string) => runReencryption(reencryptionDeps, keyringId),

    /** Destroys a tenant's data keys: its sealed values and documents can never be read again. */
    async shredTenant(actor: Actor, tenantId: TenantId) {
      if (tenantId === PLATFORM_SCOPE_ID)
        throw new AppError('forbidden', 'The shared keyring of people and platform mail cannot be shredded.');
      const exists = await withPlatform(db, (scope) =>
        scope.trx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst(),
      );
      if (!exists) throw new AppError('not_found', 'No such tenant.');
      const destroyed = await shredKeyringKeys({ db, keys, clock }, tenantId, (scope, count) =>
        record(scope, actor, 'vault.keyring_shredded', { keysDestroyed: count }),
      );
      for (const key of cache.keys()) if (key.startsWith(`${tenantId}/`)) cache.delete(key);
      return { keysDestroyed: destroyed };
    },

    /** KEKs, keyrings, key versions in use and re-encryption progress (no key material). */
    status: () => readVaultStatus(db),

    documents: createDocumentStore({
      db,
      storage,
      openKeyring: (scope) => openKeyring(scope.trx, scope.tenantId, { keys, cache }),
    }),
  };
}
