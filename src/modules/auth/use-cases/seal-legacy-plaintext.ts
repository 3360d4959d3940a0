/**
 * People's emails and TOTP secrets written before the vault are stored in clear. At start, before
 * serving, they are sealed with the shared keyring, a batch per transaction, and the plaintext is
 * cleared. Running it again finds nothing to do.
 */
import { withIdentity } from '../../../platform/db/scopes.ts';
import type { AuthContext } from '../auth.context.ts';
import { sealEmail, sealTotpSecret } from '../auth.sealing.ts';

const BATCH_ROWS = 500;

type Context = Pick<AuthContext, 'db' | 'vault'>;

/** Seals one batch of user emails; returns how many legacy rows it found (0: none left). */
async function sealUserEmails(context: Context): Promise<number> {
  return withIdentity(context.db, async (scope) => {
    const rows = await scope.trx
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', 'is not', null)
      .limit(BATCH_ROWS)
      .execute();
    if (rows.length === 0) return 0;
    const keyring = await context.vault.keyring(scope);
    for (const row of rows)
      await scope.trx
        .updateTable('users')
        .set({ ...sealEmail(keyring, row.id, row.email!), email: null })
        .where('id', '=', row.id)
        // Another process starting at the same time may have sealed it already.
        .where('email', 'is not', null)
        .execute();
    return rows.length;
  });
}

/** Seals one batch of TOTP secrets; returns how many legacy rows it found (0: none left). */
async function sealTotpSecrets(context: Context): Promise<number> {
  return withIdentity(context.db, async (scope) => {
    const rows = await scope.trx
      .selectFrom('second_factors')
      .select(['id', 'totp_secret'])
      .where('totp_secret', 'is not', null)
      .limit(BATCH_ROWS)
      .execute();
    if (rows.length === 0) return 0;
    const keyring = await context.vault.keyring(scope);
    for (const row of rows)
      await scope.trx
        .updateTable('second_factors')
        .set({ totp_secret_sealed: sealTotpSecret(keyring, row.id, row.totp_secret!), totp_secret: null })
        .where('id', '=', row.id)
        .where('totp_secret', 'is not', null)
        .execute();
    return rows.length;
  });
}

/** Seals every email and TOTP secret still stored in clear. */
export async function sealLegacyPlaintext(context: Context): Promise<void> {
  while ((await sealUserEmails(context)) > 0) continue;
  while ((await sealTotpSecrets(context)) > 0) continue;
}
