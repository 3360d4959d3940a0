/**
 * Checking a TOTP or recovery code, and the throttle every guess passes through. A code is used
 * at most once: the TOTP step and the recovery code are consumed by conditional updates in the
 * caller's transaction, so two requests racing with the same code cannot both win.
 */
import { withIdentity, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import type { Keyring } from '../vault/index.ts';
import { recordAuthEvent, type AuthContext, type RequestInfo } from './auth.context.ts';
import { openTotpSecret } from './auth.sealing.ts';
import * as credentials from './credentials.repo.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  accountKey,
  addressKey,
  chargeAttempt,
  refundAttempt,
} from './sign-in-throttle.ts';
import { verifyTotp } from './totp.ts';

/** A code presented as a second factor. */
export type CodeInput = { method: 'totp' | 'recovery_code'; code: string };

/**
 * Checks a code against the user's factors and consumes it; true when it was valid and unused.
 * `keyring` is the shared one, which opens TOTP secrets.
 */
export async function consumeSecondFactorCode(
  scope: TenantScope,
  keyring: Keyring,
  userId: string,
  input: CodeInput,
  now: Date,
): Promise<boolean> {
  if (input.method === 'recovery_code') {
    const hash = hashRecoveryCode(input.code);
    return hash !== null && credentials.consumeRecoveryCode(scope, userId, hash, now);
  }
  for (const factor of await credentials.listFactors(scope, userId)) {
    const secret = factor.kind === 'totp' ? openTotpSecret(keyring, factor) : null;
    if (!secret) continue;
    const lastUsedStep = factor.totp_last_step === null ? null : Number(factor.totp_last_step);
    const result = await verifyTotp({ secret, code: input.code, now, lastUsedStep });
    if (!result.valid) continue;
    const used = await scope.trx
      .updateTable('second_factors')
      .set({ totp_last_step: result.step, last_used_at: now })
      .where('id', '=', factor.id)
      .where((eb) =>
        eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(result.step))]),
      )
      .executeTakeFirst();
    return used.numUpdatedRows > 0n;
  }
  return false;
}

/** The throttle keys a guess is charged to: its account's and its source address's. */
export type ThrottleKeys = { account: string; address: string | null };

/**
 * Whose guess it is: a person named by email (known or not, the same work either way), or a ready
 * account key (a passkey's, before its person is known).
 */
export type GuessSubject = { email: string } | { account: string };

/** The keys a guess about `email` from this address is charged to (`keyring`: the shared one). */
export function throttleKeysFor(
  keyring: Pick<Keyring, 'blindIndex'>,
  email: string,
  info: RequestInfo,
): ThrottleKeys {
  return { account: accountKey(keyring, email), address: addressKeyOf(info) };
}

function addressKeyOf(info: RequestInfo): string | null {
  return info.sourceIp ? addressKey(info.sourceIp) : null;
}

/**
 * Charges a guess against the account and the address, in its own committed transaction so that
 * parallel guesses see each other. Throws rate_limited when either is delayed or locked; returns
 * the keys charged, for the refund.
 */
export async function chargeGuess(
  context: AuthContext,
  subject: GuessSubject,
  info: RequestInfo,
): Promise<{ accountLockedNow: boolean; keys: ThrottleKeys }> {
  const now = context.clock.now();
  return withIdentity(context.db, async (scope) => {
    const keys =
      'email' in subject
        ? throttleKeysFor(await context.vault.keyring(scope), subject.email, info)
        : { account: subject.account, address: addressKeyOf(info) };
    const address =
      keys.address === null ? null : await chargeAttempt(scope, keys.address, ADDRESS_POLICY, now);
    if (address && !address.allowed) throw tooManyAttempts(address.retryAfterSeconds);
    const account = await chargeAttempt(scope, keys.account, ACCOUNT_POLICY, now);
    // A guess the account refuses is never checked, so the address charge is rolled back with it:
    // retrying a locked account must not use up the budget of everyone behind the same address.
    if (!account.allowed) throw tooManyAttempts(account.retryAfterSeconds);
    return { accountLockedNow: account.lockedNow, keys };
  });
}

function tooManyAttempts(retryAfterSeconds: number): AppError {
  const message = `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`;
  return new AppError('rate_limited', message, { retryAfterSeconds });
}

/** Gives back a successful guess: `complete` clears the account's count (sign-in finished). */
export async function refundGuess(
  scope: TenantScope,
  keys: ThrottleKeys,
  { complete }: { complete: boolean },
  now: Date,
): Promise<void> {
  await refundAttempt(scope, keys.account, { reset: complete }, now);
  if (keys.address !== null) await refundAttempt(scope, keys.address, { reset: false }, now);
}

/** Records a failed guess about a known user (and the lock it caused, if any). */
export async function recordFailedGuess(
  context: AuthContext,
  userId: string,
  step: 'password' | 'second_factor' | 'passkey',
  accountLockedNow: boolean,
  info: RequestInfo,
): Promise<void> {
  await withIdentity(context.db, async (scope) => {
    await recordAuthEvent(scope, context, {
      action: 'auth.sign_in_failed',
      userId,
      outcome: 'failure',
      info,
      details: { step },
    });
    if (accountLockedNow)
      await recordAuthEvent(scope, context, {
        action: 'auth.account_locked',
        userId,
        outcome: 'denied',
        info,
      });
  });
}
