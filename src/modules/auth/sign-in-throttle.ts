/**
 * Brute-force throttling of sign-in attempts, per account and per source address.
 *
 * Each attempt is charged as a failure BEFORE the password or code is checked, under a row lock,
 * and refunded when it succeeds. Firing many guesses at once therefore gains nothing: every one
 * of them sees the count left by the others, so the delays and the lock hold under parallel
 * attempts. Accounts are keyed by a keyed hash (a blind index) of the email, so an unknown email
 * is throttled and locked exactly like a real one and the answers reveal nothing; and a copy of
 * the table cannot be used to confirm an email by hashing it.
 */
import { sql } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { Keyring } from '../vault/index.ts';

/** How many failures are free, how delays grow, and when a lock engages. */
export type ThrottlePolicy = {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** First delay, doubled after each further failure, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures that lock the key for `lockMs` (an admin can lift an account lock). */
  lockAfter: number;
  lockMs: number;
  /** Failures are forgotten after this long without a new attempt (a sliding window). */
  windowMs: number;
};

/** Per account: a person who mistypes three times waits seconds; ten failures lock for 15 min. */
export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  windowMs: 60 * 60_000,
};

/** Per source address: room for an office behind one NAT, not for a password spray. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  lockAfter: 100,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};

/**
 * The throttle key of an account, from its email (unknown emails get one too): the email's blind
 * index under the shared keyring, so case and spacing do not matter.
 */
export function accountKey(keyring: Pick<Keyring, 'blindIndex'>, email: string): string {
  return `account:${keyring.blindIndex('sign_in_throttles.account', 'email', email).toString('hex').slice(0, 40)}`;
}

/** The throttle key of a source address. */
export function addressKey(ip: string): string {
  return `ip:${ip.slice(0, 60)}`;
}

/** The outcome of charging an attempt. */
export type ChargeResult =
  | { allowed: true; failures: number; lockedNow: boolean }
  | { allowed: false; retryAfterSeconds: number; locked: boolean };

// The attempt being charged may be the last free failure, so the delay starts with it: after
// `freeFailures` charged attempts, the next one waits.
function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  const exponent = Math.min(failures - policy.freeFailures, 20);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}

type ThrottleRow = {
  failures: number;
  window_started_at: Date;
  next_attempt_at: Date | null;
  locked_until: Date | null;
  updated_at: Date;
};

/**
 * Charges one attempt against `key` inside the caller's (identity-scope) transaction. Refuses
 * without charging while the key is delayed or locked.
 */
export async function chargeAttempt(
  scope: TenantScope,
  key: string,
  policy: ThrottlePolicy,
  now: Date,
): Promise<ChargeResult> {
  await scope.trx
    .insertInto('sign_in_throttles')
    .values({ key, failures: 0, window_started_at: now, updated_at: now })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  // The row lock makes parallel attempts on one key take turns.
  const row: ThrottleRow = await scope.trx
    .selectFrom('sign_in_throttles')
    .select(['failures', 'window_started_at', 'next_attempt_at', 'locked_until', 'updated_at'])
    .where('key', '=', key)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const blockedUntil = [row.locked_until, row.next_attempt_at]
    .filter((value): value is Date => value !== null && value > now)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (blockedUntil) {
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil.getTime() - now.getTime()) / 1000)),
      locked: row.locked_until !== null && row.locked_until > now,
    };
  }
  // Sliding from the last attempt: an attacker who waits out every delay still reaches the lock.
  const isStale = now.getTime() - row.updated_at.getTime() > policy.windowMs;
  const failures = (isStale ? 0 : row.failures) + 1;
  const lockedNow = failures >= policy.lockAfter;
  const delay = delayAfter(failures, policy);
  await scope.trx
    .updateTable('sign_in_throttles')
    .set({
      failures: lockedNow ? 0 : failures,
      window_started_at: isStale || lockedNow ? now : row.window_started_at,
      next_attempt_at: delay > 0 ? new Date(now.getTime() + delay) : null,
      locked_until: lockedNow ? new Date(now.getTime() + policy.lockMs) : null,
      updated_at: now,
    })
    .where('key', '=', key)
    .execute();
  return { allowed: true, failures, lockedNow };
}

/** Refunds a charged attempt that succeeded: an account starts afresh, an address gets one back. */
export async function refundAttempt(
  scope: TenantScope,
  key: string,
  { reset }: { reset: boolean },
  now: Date,
): Promise<void> {
  await scope.trx
    .updateTable('sign_in_throttles')
    .set(
      reset
        ? { failures: 0, next_attempt_at: null, locked_until: null, updated_at: now }
        : { failures: sql<number>`greatest(failures - 1, 0)`, updated_at: now },
    )
    .where('key', '=', key)
    .execute();
}

/** Lifts a lock and forgets the failures (an administrator's unlock). */
export async function clearThrottle(scope: TenantScope, key: string): Promise<boolean> {
  const result = await scope.trx.deleteFrom('sign_in_throttles').where('key', '=', key).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
