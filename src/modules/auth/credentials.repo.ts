/**
 * SQL for people and their credentials. Every function takes an identity-scope transaction; those
 * that read or write an email or a TOTP secret also take the shared keyring opened in it.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { AuthChallengesTable, SecondFactorsTable, UsersTable } from '../../platform/db/schema.ts';
import type { Keyring } from '../vault/index.ts';
import { emailIndexOf, openEmail, sealEmail } from './auth.sealing.ts';

/** A person, with their email opened and their password hash (null until a password is set). */
export type UserRow = Omit<Selectable<UsersTable>, 'email' | 'email_sealed' | 'email_index'> & {
  email: string;
  password_hash: string | null;
};
/** A second-factor row (its TOTP secret still sealed). */
export type FactorRow = Omit<Selectable<SecondFactorsTable>, 'totp_secret'>;
/** A WebAuthn challenge row. */
export type ChallengeRow = Selectable<AuthChallengesTable>;

// Never the plaintext `totp_secret`: it is only read once, to seal a legacy row.
const FACTOR_COLUMNS = [
  'id',
  'user_id',
  'kind',
  'label',
  'totp_secret_sealed',
  'totp_last_step',
  'credential_id',
  'public_key',
  'sign_count',
  'transports',
  'created_at',
  'confirmed_at',
  'last_used_at',
] as const;

function selectUsers(scope: TenantScope) {
  return scope.trx
    .selectFrom('users')
    .leftJoin('user_passwords', 'user_passwords.user_id', 'users.id')
    .select(['users.id', 'users.email_sealed', 'users.is_operator', 'users.status', 'users.created_at'])
    .select('user_passwords.password_hash');
}

function toUserRow(
  keyring: Keyring,
  row: { id: string; email_sealed: Buffer | null } & Omit<UserRow, 'email'>,
): UserRow {
  return {
    id: row.id,
    email: openEmail(keyring, row),
    is_operator: row.is_operator,
    status: row.status,
    created_at: row.created_at,
    password_hash: row.password_hash,
  };
}

/** A user by email (found by its blind index; case and spacing do not matter). */
export async function findUserByEmail(
  scope: TenantScope,
  keyring: Keyring,
  email: string,
): Promise<UserRow | null> {
  const row = await selectUsers(scope)
    .where('users.email_index', '=', emailIndexOf(keyring, email))
    .executeTakeFirst();
  return row ? toUserRow(keyring, row) : null;
}

/** A user by id. */
export async function findUserById(
  scope: TenantScope,
  keyring: Keyring,
  id: string,
): Promise<UserRow | null> {
  const row = await selectUsers(scope).where('users.id', '=', id).executeTakeFirst();
  return row ? toUserRow(keyring, row) : null;
}

/** Inserts a user, its email sealed; a unique violation means the email has an account already. */
export async function insertUser(
  scope: TenantScope,
  keyring: Keyring,
  values: { email: string; passwordHash: string | null; isOperator: boolean; status: 'pending' | 'active' },
  now: Date,
): Promise<UserRow> {
  const id = randomUUID();
  const user = await scope.trx
    .insertInto('users')
    .values({
      id,
      ...sealEmail(keyring, id, values.email),
      is_operator: values.isOperator,
      status: values.status,
    })
    .returning(['id', 'is_operator', 'status', 'created_at'])
    .executeTakeFirstOrThrow();
  if (values.passwordHash !== null)
    await scope.trx
      .insertInto('user_passwords')
      .values({ user_id: user.id, password_hash: values.passwordHash, changed_at: now })
      .execute();
  return { ...user, email: values.email, password_hash: values.passwordHash };
}

/** Sets a user's password hash (and activates a pending account). */
export async function setPassword(
  scope: TenantScope,
  userId: string,
  hash: string,
  now: Date,
): Promise<void> {
  await scope.trx
    .insertInto('user_passwords')
    .values({ user_id: userId, password_hash: hash, changed_at: now })
    .onConflict((conflict) =>
      conflict.column('user_id').doUpdateSet({ password_hash: hash, changed_at: now }),
    )
    .execute();
  await scope.trx
    .updateTable('users')
    .set({ status: 'active' })
    .where('id', '=', userId)
    .where('status', '=', 'pending')
    .execute();
}

/** Inserts a one-time account setup token. */
export async function insertSetupToken(
  scope: TenantScope,
  values: { tokenHash: Buffer; userId: string; expiresAt: Date },
): Promise<void> {
  await scope.trx
    .insertInto('account_setup_tokens')
    .values({ token_hash: values.tokenHash, user_id: values.userId, expires_at: values.expiresAt })
    .execute();
}

/** The user of a setup token that is unused and unexpired (without using it). */
export async function findSetupTokenUser(
  scope: TenantScope,
  tokenHash: Buffer,
  now: Date,
): Promise<string | null> {
  const row = await scope.trx
    .selectFrom('account_setup_tokens')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** Uses a setup token once; returns its user id, or null when unknown, used or expired. */
export async function consumeSetupToken(
  scope: TenantScope,
  tokenHash: Buffer,
  now: Date,
): Promise<string | null> {
  const row = await scope.trx
    .updateTable('account_setup_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** A user's confirmed factors (and, with `includePending`, unconfirmed TOTP enrolments). */
export async function listFactors(
  scope: TenantScope,
  userId: string,
  includePending = false,
): Promise<FactorRow[]> {
  let query = scope.trx.selectFrom('second_factors').select(FACTOR_COLUMNS).where('user_id', '=', userId);
  if (!includePending) query = query.where('confirmed_at', 'is not', null);
  return query.orderBy('created_at').execute();
}

/** One factor of a user, locked for update. */
export async function findFactorForUpdate(
  scope: TenantScope,
  userId: string,
  factorId: string,
): Promise<FactorRow | null> {
  const row = await scope.trx
    .selectFrom('second_factors')
    .select(FACTOR_COLUMNS)
    .where('user_id', '=', userId)
    .where('id', '=', factorId)
    .forUpdate()
    .executeTakeFirst();
  return row ?? null;
}

/** A passkey by credential id. */
export async function findPasskey(scope: TenantScope, credentialId: string): Promise<FactorRow | null> {
  const row = await scope.trx
    .selectFrom('second_factors')
    .select(FACTOR_COLUMNS)
    .where('kind', '=', 'passkey')
    .where('credential_id', '=', credentialId)
    .where('confirmed_at', 'is not', null)
    .forUpdate()
    .executeTakeFirst();
  return row ?? null;
}

/** Inserts a factor; its id is made by the caller, which sealed a TOTP secret for that row. */
export async function insertFactor(
  scope: TenantScope,
  values: Omit<FactorRow, 'created_at' | 'last_used_at' | 'totp_last_step' | 'sign_count'> & {
    sign_count?: string | number | null;
  },
): Promise<FactorRow> {
  return scope.trx
    .insertInto('second_factors')
    .values(values)
    .returning(FACTOR_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Updates a factor after use or confirmation. */
export async function updateFactor(
  scope: TenantScope,
  factorId: string,
  changes: { totp_last_step?: number; sign_count?: number; last_used_at?: Date; confirmed_at?: Date },
): Promise<void> {
  await scope.trx.updateTable('second_factors').set(changes).where('id', '=', factorId).execute();
}

/** Deletes a factor. */
export async function deleteFactor(scope: TenantScope, factorId: string): Promise<void> {
  await scope.trx.deleteFrom('second_factors').where('id', '=', factorId).execute();
}

/** Replaces a user's recovery codes. */
export async function replaceRecoveryCodes(
  scope: TenantScope,
  userId: string,
  hashes: Buffer[],
): Promise<void> {
  await scope.trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await scope.trx
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/** Uses a recovery code once; true when it existed and was unused. */
export async function consumeRecoveryCode(
  scope: TenantScope,
  userId: string,
  codeHash: Buffer,
  now: Date,
): Promise<boolean> {
  const result = await scope.trx
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** How many unused recovery codes a user has left. */
export async function countRecoveryCodes(scope: TenantScope, userId: string): Promise<number> {
  const rows = await scope.trx
    .selectFrom('recovery_codes')
    .select('code_hash')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  return rows.length;
}

/** Stores a WebAuthn challenge. */
export async function insertChallenge(
  scope: TenantScope,
  values: Omit<ChallengeRow, 'id'>,
): Promise<ChallengeRow> {
  return scope.trx.insertInto('auth_challenges').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Takes a challenge out (single use); null when unknown, expired or for another purpose. */
export async function consumeChallenge(
  scope: TenantScope,
  id: string,
  purpose: ChallengeRow['purpose'],
  now: Date,
): Promise<ChallengeRow | null> {
  const row = await scope.trx
    .deleteFrom('auth_challenges')
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .returningAll()
    .executeTakeFirst();
  return row && row.expires_at > now ? row : null;
}
