// Prevents password guessing: failures beyond the free ones wait longer and longer, then lock the key, even when the guesses are fired in parallel.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { withIdentity } from '../../platform/db/scopes.ts';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  chargeAttempt,
  clearThrottle,
  refundAttempt,
  type ChargeResult,
  type ThrottlePolicy,
} from './sign-in-throttle.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

const START = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(START.getTime() + ms);
// Account keys are keyed hashes of emails (see auth.data-at-rest.test.ts); any unique key will do here.
const newKey = () => `account:${randomUUID().replaceAll('-', '')}`;

/** One attempt in its own committed transaction, as a request makes it. */
const charge = (key: string, policy: ThrottlePolicy, now: Date): Promise<ChargeResult> =>
  withIdentity(database.db, (scope) => chargeAttempt(scope, key, policy, now));
const refund = (key: string, reset: boolean, now: Date) =>
  withIdentity(database.db, (scope) => refundAttempt(scope, key, { reset }, now));

/** Charges `count` attempts at `now`, all of which must be let through. */
async function chargeAllowed(key: string, policy: ThrottlePolicy, now: Date, count: number) {
  const results: ChargeResult[] = [];
  for (let index = 0; index < count; index += 1) {
    const result = await charge(key, policy, now);
    assert.equal(result.allowed, true, `attempt ${index + 1} of ${count} was refused`);
    results.push(result);
  }
  return results;
}

/**
 * Makes `count` failures that are let through, waiting out each delay the key asks for (a patient
 * attacker). Returns the delays asked for (seconds), the time reached and the last result.
 */
async function failPaced(key: string, policy: ThrottlePolicy, count: number) {
  const delays: number[] = [];
  let clock = 0;
  let last: ChargeResult | null = null;
  for (let attempt = 1; attempt <= count; attempt += 1) {
    assert.ok(!last?.allowed || !last.lockedNow, `locked early, after ${attempt - 1} failures`);
    let result = await charge(key, policy, at(clock));
    if (!result.allowed) {
      assert.equal(result.locked, false, `locked early, after ${attempt - 1} failures`);
      delays.push(result.retryAfterSeconds);
      clock += result.retryAfterSeconds * 1000;
      result = await charge(key, policy, at(clock));
    }
    assert.ok(result.allowed, `attempt ${attempt} refused after waiting`);
    assert.equal(result.failures, attempt, 'a refused attempt must not be charged');
    last = result;
  }
  return { delays, clock, last: last! };
}

/** Fails exactly `lockAfter` times, waiting out the delays; the last failure must lock the key. */
async function failUntilLocked(key: string, policy: ThrottlePolicy): Promise<{ lockedAt: number }> {
  const { clock, last } = await failPaced(key, policy, policy.lockAfter);
  assert.deepEqual(last, { allowed: true, failures: policy.lockAfter, lockedNow: true });
  return { lockedAt: clock };
}

const POLICIES: [string, ThrottlePolicy][] = [
  ['account', ACCOUNT_POLICY],
  ['address', ADDRESS_POLICY],
];

for (const [name, policy] of POLICIES) {
  test(`${name}: the first ${policy.freeFailures} failures pass at once, the next one waits`, async () => {
    const key = newKey();
    const results = await chargeAllowed(key, policy, START, policy.freeFailures);
    assert.deepEqual(
      results.map((result) => result.allowed && result.failures),
      Array.from({ length: policy.freeFailures }, (_, index) => index + 1),
    );
    assert.ok(results.every((result) => result.allowed && !result.lockedNow));
    const refused = await charge(key, policy, START);
    assert.deepEqual(refused, {
      allowed: false,
      retryAfterSeconds: policy.baseDelayMs / 1000,
      locked: false,
    });
  });

  test(`${name}: each further failure doubles the wait, up to the maximum`, async () => {
    const key = newKey();
    const steps = 7;
    const { delays } = await failPaced(key, policy, policy.freeFailures + steps);
    assert.deepEqual(delays, [1, 2, 4, 8, 16, 32, 60]);
    assert.deepEqual(
      delays,
      Array.from(
        { length: steps },
        (_, index) => Math.min(policy.baseDelayMs * 2 ** index, policy.maxDelayMs) / 1000,
      ),
    );
  });

  test(`${name}: failures older than the window are forgotten`, async () => {
    const key = newKey();
    await chargeAllowed(key, policy, START, policy.freeFailures - 1);
    const withinWindow = await charge(key, policy, at(policy.windowMs));
    assert.deepEqual(withinWindow, { allowed: true, failures: policy.freeFailures, lockedNow: false });
    const key2 = newKey();
    await chargeAllowed(key2, policy, START, policy.freeFailures - 1);
    const afterWindow = await charge(key2, policy, at(policy.windowMs + 1));
    assert.deepEqual(afterWindow, { allowed: true, failures: 1, lockedNow: false });
  });

  test(`${name}: an attacker who waits out every delay still reaches the lock`, async () => {
    const key = newKey();
    let time = START.getTime();
    let result: ChargeResult | null = null;
    for (let attempt = 1; attempt <= policy.lockAfter; attempt += 1) {
      result = await charge(key, policy, new Date(time));
      assert.equal(result.allowed, true, `attempt ${attempt} was refused`);
      time += policy.maxDelayMs;
    }
    assert.deepEqual(result, { allowed: true, failures: policy.lockAfter, lockedNow: true });
  });

  test(`${name}: 50 parallel attempts on one key let exactly ${policy.freeFailures} through`, async () => {
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 50 }, () => charge(key, policy, START)));
    const allowed = results.filter((result) => result.allowed);
    assert.equal(allowed.length, policy.freeFailures);
    assert.deepEqual(
      allowed.map((result) => result.failures).sort((a, b) => a - b),
      Array.from({ length: policy.freeFailures }, (_, index) => index + 1),
      'two parallel attempts saw the same count',
    );
    for (const result of results.filter((item) => !item.allowed)) {
      assert.deepEqual(result, {
        allowed: false,
        retryAfterSeconds: policy.baseDelayMs / 1000,
        locked: false,
      });
    }
  });
}

test(`account: the ${ACCOUNT_POLICY.lockAfter}th failure locks the key`, async () => {
  const key = newKey();
  const { lockedAt } = await failUntilLocked(key, ACCOUNT_POLICY);
  // Any attempt, whatever it carries, is now refused without being charged.
  for (let index = 0; index < 3; index += 1) {
    assert.deepEqual(await charge(key, ACCOUNT_POLICY, at(lockedAt)), {
      allowed: false,
      retryAfterSeconds: ACCOUNT_POLICY.lockMs / 1000,
      locked: true,
    });
  }
});

test('account: the lock ends with time, and the count starts afresh', async () => {
  const key = newKey();
  const { lockedAt } = await failUntilLocked(key, ACCOUNT_POLICY);
  const almostOver = await charge(key, ACCOUNT_POLICY, at(lockedAt + ACCOUNT_POLICY.lockMs - 1000));
  assert.deepEqual(almostOver, { allowed: false, retryAfterSeconds: 1, locked: true });
  const afterLock = await charge(key, ACCOUNT_POLICY, at(lockedAt + ACCOUNT_POLICY.lockMs));
  assert.deepEqual(afterLock, { allowed: true, failures: 1, lockedNow: false });
});

const REFUNDS: { name: string; reset: boolean; failuresAfter: number }[] = [
  { name: 'a finished sign-in clears the count', reset: true, failuresAfter: 1 },
  { name: 'a right password gives back only its own attempt', reset: false, failuresAfter: 2 },
];
for (const { name, reset, failuresAfter } of REFUNDS) {
  test(`refund: ${name}`, async () => {
    const key = newKey();
    await chargeAllowed(key, ACCOUNT_POLICY, START, 2);
    await refund(key, reset, START);
    // Two failures, one refunded: the next attempt is the second (or, after a reset, the first).
    const next = await charge(key, ACCOUNT_POLICY, START);
    assert.deepEqual(next, { allowed: true, failures: failuresAfter, lockedNow: false });
  });
}

test('refund: a reset lifts a running delay and a lock', async () => {
  const key = newKey();
  const { lockedAt } = await failUntilLocked(key, ACCOUNT_POLICY);
  await refund(key, true, at(lockedAt));
  assert.deepEqual(await charge(key, ACCOUNT_POLICY, at(lockedAt)), {
    allowed: true,
    failures: 1,
    lockedNow: false,
  });
});

test('refund: an unknown key is a no-op', async () => {
  const key = newKey();
  await refund(key, false, START);
  assert.deepEqual(await charge(key, ACCOUNT_POLICY, START), {
    allowed: true,
    failures: 1,
    lockedNow: false,
  });
});

test('an administrator clearing a locked key lets the next attempt through at once', async () => {
  const key = newKey();
  const { lockedAt } = await failUntilLocked(key, ACCOUNT_POLICY);
  assert.equal((await charge(key, ACCOUNT_POLICY, at(lockedAt))).allowed, false);
  assert.equal(await withIdentity(database.db, (scope) => clearThrottle(scope, key)), true);
  assert.deepEqual(await charge(key, ACCOUNT_POLICY, at(lockedAt)), {
    allowed: true,
    failures: 1,
    lockedNow: false,
  });
  assert.equal(await withIdentity(database.db, (scope) => clearThrottle(scope, newKey())), false);
});

test('keys are independent', async () => {
  const key = newKey();
  await chargeAllowed(key, ACCOUNT_POLICY, START, ACCOUNT_POLICY.freeFailures);
  assert.equal((await charge(key, ACCOUNT_POLICY, START)).allowed, false);
  assert.deepEqual(await charge(newKey(), ACCOUNT_POLICY, START), {
    allowed: true,
    failures: 1,
    lockedNow: false,
  });
});
