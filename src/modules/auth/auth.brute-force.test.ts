// Prevents online guessing of passwords and TOTP codes: parallel bursts, patient guessing until lock, probing which emails exist, and spraying many accounts from one address.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createSoftAuthenticator } from '../../../test/fixtures/soft-authenticator.ts';
import { STEP_UP_WINDOW_MS } from '../../http/auth-guard.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { withIdentity } from '../../platform/db/scopes.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import {
  createMember,
  createSessionClient,
  createTenant,
  nextTotpStep,
  signIn,
  uniqueEmail,
  type SignedInPerson,
} from '../../../test/sign-in-fixtures.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, accountKey } from './sign-in-throttle.ts';
import { generateTotp } from './totp.ts';

let server: TestServer;
let tenantId: string;
let admin: SignedInPerson;

before(async () => {
  server = await startTestServer();
  tenantId = await createTenant(server);
  admin = await createMember(server, tenantId, ['tenant_admin']);
});
after(async () => {
  await server.stop();
});

const WRONG_PASSWORD = 'not the password at all 99';
const LOCK_SECONDS = ACCOUNT_POLICY.lockMs / 1000;
const MAX_DELAY_SECONDS = ACCOUNT_POLICY.maxDelayMs / 1000;

let addressCount = 0;
/** A source address no other request in this file used, so per-address limits stay out of the way. */
function freshAddress(): string {
  addressCount += 1;
  return `10.77.${Math.floor(addressCount / 250)}.${(addressCount % 250) + 1}`;
}

function postSignIn(email: string, password: string, remoteAddress: string) {
  return server.app.inject({
    method: 'POST',
    url: '/v1/auth/sign-in',
    remoteAddress,
    payload: { email, password },
  });
}

/** Asserts a 429 problem with a Retry-After header; returns the seconds to wait. */
function assertThrottled(response: LightMyRequestResponse): number {
  assert.equal(response.statusCode, 429, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  assert.equal(response.json().type, '/problems/rate-limited');
  const seconds = Number(response.headers['retry-after']);
  assert.ok(Number.isInteger(seconds) && seconds >= 1, `bad Retry-After: ${response.headers['retry-after']}`);
  return seconds;
}

/**
 * Sends a guess like a patient attacker: waits out each delay (moving the server clock) and sends
 * it again. Returns the first answer that is not a delay; a lock (longer than any delay) is returned.
 */
async function patiently(send: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  for (;;) {
    const response = await send();
    if (response.statusCode !== 429) return response;
    const seconds = assertThrottled(response);
    if (seconds > MAX_DELAY_SECONDS) return response;
    server.clock.advance(seconds * 1000);
  }
}

/** Fails `count` password guesses, waiting out the delays; each must reach verification (401). */
async function failPasswords(email: string, count: number, remoteAddress = freshAddress()): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const response = await patiently(() => postSignIn(email, WRONG_PASSWORD, remoteAddress));
    assert.equal(response.statusCode, 401, `guess ${index + 1}: ${response.body}`);
  }
}

type AuditRow = {
  tenant_id: string;
  action: string;
  actor_id: string;
  target_id: string;
  outcome: string;
  details: Record<string, unknown>;
};

async function auditRows(): Promise<AuditRow[]> {
  const result = await runAsOwner(
    server.database,
    `select tenant_id, seq, actor_type, actor_id, action, target_type, target_id, outcome,
            request_id, source_ip, details
       from audit_entries order by tenant_id, seq`,
  );
  return result.rows as AuditRow[];
}

async function auditActionsAbout(userId: string, actions: string[]): Promise<AuditRow[]> {
  return (await auditRows()).filter((row) => row.target_id === userId && actions.includes(row.action));
}

/** Every email in this file ends in example.test; none may reach the audit log. */
async function assertNoEmailInAudit(...emails: string[]): Promise<void> {
  for (const row of await auditRows()) {
    const text = JSON.stringify(row).toLowerCase();
    assert.ok(!text.includes('example.test'), `an audit entry carries an email: ${text}`);
    for (const email of emails) assert.ok(!text.includes(email.toLowerCase()));
  }
}

/** Polls the throttle row until the free failures are all charged (a delay is set). */
async function waitForCharges(email: string): Promise<void> {
  const key = await withIdentity(server.database.db, async (scope) =>
    accountKey(await server.modules.vault.keyring(scope), email),
  );
  for (let poll = 0; poll < 2000; poll += 1) {
    const result = await runAsOwner(
      server.database,
      'select next_attempt_at from sign_in_throttles where key = $1',
      [key],
    );
    if (result.rows[0]?.next_attempt_at) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail('the free failures were never charged');
}

test('parallel guesses from many addresses reach verification only for the free failures', async () => {
  const victim = await createMember(server, tenantId, ['analyst']);
  const burst = Promise.all(
    Array.from({ length: 30 }, () => postSignIn(victim.email, WRONG_PASSWORD, freshAddress())),
  );
  await waitForCharges(victim.email);
  // The right password, arriving once the free failures are used, gains nothing from the burst.
  const right = await postSignIn(victim.email, victim.password, freshAddress());
  const guesses = await burst;
  assertThrottled(right);
  const statuses = guesses.map((response) => response.statusCode);
  assert.equal(statuses.filter((status) => status === 401).length, ACCOUNT_POLICY.freeFailures);
  assert.equal(statuses.filter((status) => status === 429).length, 30 - ACCOUNT_POLICY.freeFailures);
  for (const response of guesses.filter((item) => item.statusCode === 429)) assertThrottled(response);
  const verified = await auditActionsAbout(victim.userId, ['auth.sign_in_failed']);
  assert.equal(verified.length, ACCOUNT_POLICY.freeFailures, 'more guesses were checked than were free');
});

test('ten failures lock the account against the right password until the lock ends or an admin lifts it', async () => {
  const victim = await createMember(server, tenantId, ['analyst']);
  const tryRightPassword = () => postSignIn(victim.email, victim.password, freshAddress());
  await failPasswords(victim.email, ACCOUNT_POLICY.lockAfter);
  assert.equal(assertThrottled(await tryRightPassword()), LOCK_SECONDS);

  server.clock.advance(ACCOUNT_POLICY.lockMs - 1000);
  assert.equal(assertThrottled(await tryRightPassword()), 1);
  server.clock.advance(1000);
  const afterLock = await tryRightPassword();
  assert.equal(afterLock.statusCode, 200, afterLock.body);
  assert.equal(afterLock.json().stage, 'second_factor');

  await failPasswords(victim.email, ACCOUNT_POLICY.lockAfter);
  assertThrottled(await tryRightPassword());
  // Lifting a lock is sensitive: an admin whose second factor is not recent must step up first.
  const adminClient = await signIn(server, admin, { remoteAddress: freshAddress() });
  server.clock.advance(STEP_UP_WINDOW_MS + 1000);
  const unlock = () => adminClient.request('POST', `/v1/members/${victim.userId}/unlock`);
  const stale = await unlock();
  assert.equal(stale.statusCode, 403, stale.body);
  assert.equal(stale.json().type, '/problems/step-up-required');
  assertThrottled(await tryRightPassword());
  nextTotpStep(server);
  const code = await generateTotp(admin.totpSecret, server.clock.now());
  const steppedUp = await adminClient.request('POST', '/v1/auth/step-up', { method: 'totp', code });
  assert.equal(steppedUp.statusCode, 200, steppedUp.body);
  const unlocked = await unlock();
  assert.equal(unlocked.statusCode, 204, unlocked.body);
  const afterUnlock = await tryRightPassword();
  assert.equal(afterUnlock.statusCode, 200, afterUnlock.body);

  const events = await auditActionsAbout(victim.userId, ['auth.account_locked', 'auth.account_unlocked']);
  assert.deepEqual(
    events.map((row) => [row.action, row.actor_id, row.outcome]),
    [
      ['auth.account_locked', victim.userId, 'denied'],
      ['auth.account_locked', victim.userId, 'denied'],
      ['auth.account_unlocked', admin.userId, 'success'],
    ],
  );
  const tenantEntry = (await auditActionsAbout(victim.userId, ['member.unlocked']))[0];
  assert.equal(tenantEntry?.tenant_id, tenantId);
  await assertNoEmailInAudit(victim.email, admin.email);
});

test('retrying a locked account does not use up the budget of colleagues behind the same address', async () => {
  const [victim, colleague] = [
    await createMember(server, tenantId, ['analyst']),
    await createMember(server, tenantId, ['analyst']),
  ];
  const office = freshAddress();
  await failPasswords(victim.email, ACCOUNT_POLICY.lockAfter, office);
  for (let index = 0; index < ADDRESS_POLICY.freeFailures; index += 1) {
    assertThrottled(await postSignIn(victim.email, victim.password, office));
  }
  const colleagueAnswer = await postSignIn(colleague.email, colleague.password, office);
  assert.equal(colleagueAnswer.statusCode, 200, colleagueAnswer.body);
});

/** The body with the parts that differ on every request blanked out. */
const comparable = (response: LightMyRequestResponse) =>
  response.body.replace(/"requestId":"[^"]*"/, '"requestId":"-"');

test('an unknown email is answered, delayed and locked exactly like a real one', async () => {
  const real = await createMember(server, tenantId, ['analyst']);
  const unknown = uniqueEmail('nobody');
  const [realAddress, unknownAddress] = [freshAddress(), freshAddress()];
  let failures = 0;
  while (failures < ACCOUNT_POLICY.lockAfter) {
    const realAnswer = await postSignIn(real.email, WRONG_PASSWORD, realAddress);
    const unknownAnswer = await postSignIn(unknown, WRONG_PASSWORD, unknownAddress);
    assert.equal(unknownAnswer.statusCode, realAnswer.statusCode);
    assert.equal(unknownAnswer.headers['content-type'], realAnswer.headers['content-type']);
    assert.equal(unknownAnswer.headers['retry-after'], realAnswer.headers['retry-after']);
    assert.equal(comparable(unknownAnswer), comparable(realAnswer));
    if (realAnswer.statusCode === 429) server.clock.advance(assertThrottled(realAnswer) * 1000);
    else {
      assert.equal(realAnswer.statusCode, 401, realAnswer.body);
      failures += 1;
    }
  }
  // Both locked: the right password of the real account gets the same answer as the unknown one.
  const realLocked = await postSignIn(real.email, real.password, realAddress);
  const unknownLocked = await postSignIn(unknown, real.password, unknownAddress);
  assert.equal(assertThrottled(realLocked), LOCK_SECONDS);
  assert.equal(unknownLocked.headers['retry-after'], realLocked.headers['retry-after']);
  assert.equal(comparable(unknownLocked), comparable(realLocked));
  await assertNoEmailInAudit(real.email, unknown);
});

/** A six-digit code that is valid in none of the steps the server accepts around now. */
async function wrongTotp(secret: string): Promise<string> {
  const now = server.clock.now().getTime();
  const valid = await Promise.all(
    [-30_000, 0, 30_000].map((shift) => generateTotp(secret, new Date(now + shift))),
  );
  for (let candidate = 0; ; candidate += 1) {
    const code = String(candidate).padStart(6, '0');
    if (!valid.includes(code)) return code;
  }
}

test('wrong TOTP codes after the right password count toward the same account lock', async () => {
  const victim = await createMember(server, tenantId, ['analyst']);
  const address = freshAddress();
  const half = ACCOUNT_POLICY.lockAfter / 2;
  await failPasswords(victim.email, half, address);
  // The stolen password gets through (its own attempt is refunded, the earlier failures stay).
  const client = createSessionClient(server, { remoteAddress: address });
  const password = await patiently(() =>
    client.request('POST', '/v1/auth/sign-in', { email: victim.email, password: victim.password }),
  );
  assert.equal(password.statusCode, 200, password.body);
  for (let index = 0; index < half; index += 1) {
    const answer = await patiently(async () =>
      client.request('POST', '/v1/auth/second-factor', {
        method: 'totp',
        code: await wrongTotp(victim.totpSecret),
      }),
    );
    assert.equal(answer.statusCode, 401, `code ${index + 1}: ${answer.body}`);
  }
  server.clock.advance(30_000);
  const rightCode = await generateTotp(victim.totpSecret, server.clock.now());
  const locked = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code: rightCode });
  assert.ok(assertThrottled(locked) > MAX_DELAY_SECONDS, 'the account is delayed, not locked');
  assertThrottled(await postSignIn(victim.email, victim.password, freshAddress()));

  const failed = await auditActionsAbout(victim.userId, ['auth.sign_in_failed']);
  assert.deepEqual(
    failed.map((row) => row.details.step),
    [...Array<string>(half).fill('password'), ...Array<string>(half).fill('second_factor')],
  );
  assert.equal((await auditActionsAbout(victim.userId, ['auth.account_locked'])).length, 1);
  await assertNoEmailInAudit(victim.email);
});

async function addressFailures(address: string): Promise<number | undefined> {
  const result = await runAsOwner(server.database, 'select failures from sign_in_throttles where key = $1', [
    `ip:${address}`,
  ]);
  return result.rows[0]?.failures;
}

test('a passkey sign-in gives its address back only its own attempt, so it cannot wash a spray', async () => {
  const insider = await createMember(server, tenantId, ['analyst']);
  nextTotpStep(server);
  const code = await generateTotp(insider.totpSecret, server.clock.now());
  assert.equal(
    (await insider.client.request('POST', '/v1/auth/step-up', { method: 'totp', code })).statusCode,
    200,
  );
  const device = createSoftAuthenticator({ origin: 'http://localhost:3000', rpId: 'localhost' });
  const registering = await insider.client.request('POST', '/v1/account/factors/passkeys/options');
  const registered = await insider.client.request('POST', '/v1/account/factors/passkeys', {
    challengeId: registering.json().challengeId,
    label: 'Laptop',
    response: device.register(registering.json().options),
  });
  assert.equal(registered.statusCode, 200, registered.body);

  const address = freshAddress();
  for (const email of [uniqueEmail('spray'), uniqueEmail('spray')]) {
    assert.equal((await postSignIn(email, WRONG_PASSWORD, address)).statusCode, 401);
  }
  assert.equal(await addressFailures(address), 2);
  const browser = createSessionClient(server, { remoteAddress: address });
  const begun = await browser.request('POST', '/v1/auth/passkey/options');
  const signedIn = await browser.request('POST', '/v1/auth/passkey/sign-in', {
    challengeId: begun.json().challengeId,
    response: device.authenticate(begun.json().options),
  });
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  assert.equal(await addressFailures(address), 2, 'the passkey sign-in erased an earlier failure');
});

/** Posts a sign-in over a real socket from `localAddress` (127.0.0.x reaches 127.0.0.1 from it). */
function postOverSocket(
  url: string,
  localAddress: string,
  body: unknown,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      new URL('/v1/auth/sign-in', url),
      {
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

test('one address spraying many emails is throttled while another address is still served', async () => {
  // Real sockets, so the source address is the one the kernel reports, not one the test injects.
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const [sprayer, neighbour] = ['127.0.0.2', '127.0.0.3'];
  const sprayCount = ADDRESS_POLICY.freeFailures + 5;
  const spray = await Promise.all(
    Array.from({ length: sprayCount }, () =>
      postOverSocket(url, sprayer, { email: uniqueEmail('spray'), password: WRONG_PASSWORD }),
    ),
  );
  const statuses = spray.map((response) => response.status);
  assert.equal(statuses.filter((status) => status === 401).length, ADDRESS_POLICY.freeFailures);
  assert.equal(statuses.filter((status) => status === 429).length, sprayCount - ADDRESS_POLICY.freeFailures);
  for (const response of spray.filter((item) => item.status === 429)) {
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal(response.headers['retry-after'], String(ADDRESS_POLICY.baseDelayMs / 1000));
  }
  const served = await postOverSocket(url, neighbour, {
    email: uniqueEmail('other'),
    password: WRONG_PASSWORD,
  });
  assert.equal(served.status, 401, served.body);
  const refused = await postOverSocket(url, sprayer, {
    email: uniqueEmail('spray'),
    password: WRONG_PASSWORD,
  });
  assert.equal(refused.status, 429, refused.body);
  const counts = await runAsOwner(
    server.database,
    "select key, failures from sign_in_throttles where key in ('ip:127.0.0.2', 'ip:127.0.0.3') order by key",
  );
  assert.deepEqual(counts.rows, [
    { key: `ip:${sprayer}`, failures: ADDRESS_POLICY.freeFailures },
    { key: `ip:${neighbour}`, failures: 1 },
  ]);
});
