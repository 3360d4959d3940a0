/**
 * Where the auth module's personal values are sealed: people's emails and TOTP secrets, both
 * with the shared keyring (a person is no tenant's). A sealed value is bound to its table, column
 * and row id, so each row's id is made here in the application before the row is written.
 */
import type { FieldPlace, Keyring, SealedTable } from '../vault/index.ts';

/** The auth module's sealed columns, for key rotation and re-encryption. */
export const AUTH_SEALED_TABLES: SealedTable[] = [
  { table: 'users', scope: 'identity', columns: ['email_sealed'] },
  { table: 'second_factors', scope: 'identity', columns: ['totp_secret_sealed'] },
];

const emailPlace = (userId: string): FieldPlace => ({
  table: 'users',
  column: 'email_sealed',
  rowId: userId,
});
const totpPlace = (factorId: string): FieldPlace => ({
  table: 'second_factors',
  column: 'totp_secret_sealed',
  rowId: factorId,
});

/** Seals a person's email, with the blind index the account is found by. */
export function sealEmail(
  keyring: Keyring,
  userId: string,
  email: string,
): { email_sealed: Buffer; email_index: Buffer } {
  return {
    email_sealed: keyring.seal(emailPlace(userId), 'text', email),
    email_index: emailIndexOf(keyring, email),
  };
}

/** The blind index of an email in `users` (case and spacing do not matter). */
export function emailIndexOf(keyring: Keyring, email: string): Buffer {
  return keyring.blindIndex('users.email', 'email', email);
}

/** Opens a person's email; a row that was never sealed is a broken start, not a person to skip. */
export function openEmail(keyring: Keyring, row: { id: string; email_sealed: Buffer | null }): string {
  if (row.email_sealed === null) throw new Error(`The email of user ${row.id} is not sealed`);
  return keyring.open(emailPlace(row.id), 'text', row.email_sealed);
}

/** Seals a TOTP secret for the factor row `factorId`. */
export function sealTotpSecret(keyring: Keyring, factorId: string, secret: string): Buffer {
  return keyring.seal(totpPlace(factorId), 'text', secret);
}

/** Opens a factor's TOTP secret; null for a factor without one (a passkey). */
export function openTotpSecret(
  keyring: Keyring,
  factor: { id: string; totp_secret_sealed: Buffer | null },
): string | null {
  return keyring.openNullable(totpPlace(factor.id), 'text', factor.totp_secret_sealed);
}
