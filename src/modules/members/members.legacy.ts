/**
 * Invitations written before the vault hold their email in clear. At start, before serving, each
 * tenant's are sealed with that tenant's keyring (one transaction per tenant) and the plaintext is
 * cleared. Running it again finds nothing to do.
 */
import type { Kysely } from 'kysely';
import { toTenantId, withIdentity, withTenant } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Vault } from '../vault/index.ts';
import { sealInvitationEmail } from './members.sealing.ts';

/** Seals every invitation email still stored in clear; returns how many were sealed. */
export async function sealLegacyInvitations({
  db,
  vault,
}: {
  db: Kysely<Schema>;
  vault: Pick<Vault, 'keyring'>;
}): Promise<number> {
  // The identity scope reads every tenant's invitations; each tenant then seals its own.
  const tenants = await withIdentity(db, (scope) =>
    scope.trx
      .selectFrom('invitations')
      .select('tenant_id')
      .distinct()
      .where('email', 'is not', null)
      .execute(),
  );
  let sealed = 0;
  for (const { tenant_id: tenantId } of tenants) {
    try {
      sealed += await withTenant(db, toTenantId(tenantId), async (scope) => {
        // The keyring first, then the rows: the order re-encryption takes its locks in.
        const keyring = await vault.keyring(scope);
        const rows = await scope
          .selectFrom('invitations')
          .select(['id', 'email'])
          .where('email', 'is not', null)
          .execute();
        let count = 0;
        for (const row of rows) {
          const result = await scope
            .updateTable('invitations')
            .set({ ...sealInvitationEmail(keyring, row.id, row.email!), email: null })
            .where('id', '=', row.id)
            // Another process starting at the same time may have sealed it already.
            .where('email', 'is not', null)
            .executeTakeFirst();
          count += Number(result.numUpdatedRows);
        }
        return count;
      });
    } catch (error) {
      // A shredded tenant's keys are gone: its invitations cannot be sealed, and must not stop the start.
      if (error instanceof AppError && error.code === 'gone') continue;
      throw error;
    }
  }
  return sealed;
}
