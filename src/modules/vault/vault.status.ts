/** What `diligence keys status` and the operators' key page show: ids, states and counts only. */
import type { Kysely } from 'kysely';
import { withPlatform } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';

/** The vault's state, without any key material. */
export type VaultStatus = {
  keyEncryptionKeys: {
    id: string;
    state: string;
    createdAt: string;
    retiredAt: string | null;
    dataKeys: number;
  }[];
  keyrings: {
    keyringId: string;
    activeVersion: number;
    /** Field-key versions that still hold material (the active one and any awaiting re-encryption). */
    usableVersions: number[];
    shreddedAt: string | null;
    reencryption: {
      state: string;
      targetVersion: number;
      currentTable: string | null;
      rowsRewritten: number;
      startedAt: string;
      finishedAt: string | null;
    } | null;
  }[];
};

/** Reads the vault's state in the platform scope. */
export function readVaultStatus(db: Kysely<Schema>): Promise<VaultStatus> {
  return withPlatform(db, async (scope) => {
    const keks = await scope.trx
      .selectFrom('vault_key_encryption_keys as k')
      .select((eb) => [
        'k.id',
        'k.state',
        'k.created_at',
        'k.retired_at',
        eb
          .selectFrom('vault_data_keys as d')
          .select((inner) => inner.fn.countAll<string>().as('count'))
          .whereRef('d.kek_id', '=', 'k.id')
          .where('d.wrapped_key', 'is not', null)
          .as('data_keys'),
      ])
      .orderBy('k.created_at')
      .execute();
    const rings = await scope.trx
      .selectFrom('vault_keyrings as r')
      .leftJoin('vault_reencryptions as e', 'e.tenant_id', 'r.tenant_id')
      .select([
        'r.tenant_id',
        'r.active_version',
        'r.shredded_at',
        'e.state',
        'e.target_version',
        'e.current_table',
        'e.rows_rewritten',
        'e.started_at',
        'e.finished_at',
      ])
      .orderBy('r.tenant_id')
      .execute();
    const versions = await scope.trx
      .selectFrom('vault_data_keys')
      .select(['tenant_id', 'version'])
      .where('purpose', '=', 'fields')
      .where('wrapped_key', 'is not', null)
      .orderBy('version')
      .execute();
    return {
      keyEncryptionKeys: keks.map((kek) => ({
        id: kek.id,
        state: kek.state,
        createdAt: kek.created_at.toISOString(),
        retiredAt: kek.retired_at?.toISOString() ?? null,
        dataKeys: Number(kek.data_keys ?? 0),
      })),
      keyrings: rings.map((ring) => ({
        keyringId: ring.tenant_id,
        activeVersion: ring.active_version,
        usableVersions: versions.filter((row) => row.tenant_id === ring.tenant_id).map((row) => row.version),
        shreddedAt: ring.shredded_at?.toISOString() ?? null,
        reencryption:
          ring.state === null || ring.target_version === null || ring.started_at === null
            ? null
            : {
                state: ring.state,
                targetVersion: ring.target_version,
                currentTable: ring.current_table,
                rowsRewritten: Number(ring.rows_rewritten ?? 0),
                startedAt: ring.started_at.toISOString(),
                finishedAt: ring.finished_at?.toISOString() ?? null,
              },
      })),
    };
  });
}
