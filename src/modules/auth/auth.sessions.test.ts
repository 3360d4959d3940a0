/** Prevents a stolen, fixated, forgotten or cross-site-driven session from outliving its owner's intent. */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import {
  GOOD_PASSWORD,
  createMember,
  createSessionClient,
  createTenant,
  enrolTotp,
  invitationToken,
  nextTotpStep,
  signIn,
  uniqueEmail,
  type SessionClient,
  type SignedInPerson,
} from '../../../test/sign-in-fixtures.ts';
import { systemActor } from '../../platform/actor.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import { SESSION_COOKIE } from './session-cookie.ts';
import { generateTotp } from './totp.ts';

let server: TestServer;
let tenantId: string;
// Every address used in this file, to prove none reaches the audit log.
const emails: string[] = [];

before(async () => {
  server = await startTestServer();
  tenantId = await createTenant(server);
});
after(async () => {
  await server.stop();
});

const MINUTE = 60_000;

async function member(roles = ['analyst']): Promise<SignedInPerson> {
  const person = await createMember(server, tenantId, roles);
  emails.push(person.email);
  return person;
}

/** A request carrying only the session cookie (and the headers given): no CSRF token unless asked. */
function sendWithCookie(
  token: string | null,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return server.app.inject({ method, url, headers: { cookie: `${SESSION_COOKIE}=${token}`, ...headers } });
}

async function statusOfAccount(client: SessionClient): Promise<number> {
  return (await client.request('GET', '/v1/account')).statusCode;
}

type SessionView = { id: string; isCurrent: boolean; stage: string; createdAt: string; expiresAt: string };

async function sessionsSeenBy(client: SessionClient): Promise<SessionView[]> {
  const listed = await client.request('GET', '/v1/account/sessions');
  assert.equal(listed.statusCode, 200, listed.body);
  return listed.json().sessions as SessionView[];
}

async function currentSessionId(client: SessionClient): Promise<string> {
  const current = (await sessionsSeenBy(client)).find((session) => session.isCurrent);
  assert.ok(current, 'the list marks the current session');
  return current.id;
}

async function auditRowsOf(userId: string, action: string) {
  const result = await server.database.adminPool.query(
    'select * from audit_entries where target_id = $1 and action = $2 order by occurred_at, seq',
    [userId, action],
  );
  return result.rows as { actor_id: string; details: Record<string, unknown> }[];
}

async function revokedReasonOf(sessionId: string): Promise<string | null> {
  const result = await server.database.adminPool.query('select revoked_reason from sessions where id = $1', [
    sessionId,
  ]);
  return result.rows[0].revoked_reason as string | null;
}

async function stepUp(person: SignedInPerson): Promise<void> {
  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const steppedUp = await person.client.request('POST', '/v1/auth/step-up', { method: 'totp', code });
  assert.equal(steppedUp.statusCode, 200, steppedUp.body);
}

function assertSessionCookie(response: LightMyRequestResponse): void {
  const header = [response.headers['set-cookie'] ?? []]
    .flat()
    .find((value) => value.startsWith(`${SESSION_COOKIE}=`));
  assert.ok(header, 'the response sets the session cookie');
  assert.ok(SESSION_COOKIE.startsWith('__Host-'));
  const [pair, ...rest] = header.split(';');
  const attributes = rest.map((attribute) => attribute.trim().toLowerCase());
  for (const expected of ['httponly', 'secure', 'samesite=lax', 'path=/'])
    assert.ok(attributes.includes(expected), `${expected} missing from ${header}`);
  assert.ok(!attributes.some((attribute) => attribute.startsWith('domain=')), header);
  const token = pair!.slice(SESSION_COOKIE.length + 1);
  assert.ok(token.length >= 32);
  assert.ok(!response.body.includes(token), 'the token travels only in the cookie');
}

test('the session cookie is __Host- prefixed, HttpOnly, Secure, SameSite=Lax and Path=/', async () => {
  const person = await member();
  const client = createSessionClient(server);
  const first = await client.request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(first.statusCode, 200, first.body);
  assertSessionCookie(first);
  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const second = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code });
  assert.equal(second.statusCode, 200, second.body);
  assertSessionCookie(second);
});

test('the token held after the password step is worthless once the second factor is presented', async () => {
  const person = await member();
  const client = createSessionClient(server);
  const first = await client.request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(first.statusCode, 200, first.body);
  const passwordToken = client.token;
  const passwordCsrf = client.csrfToken!;
  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const second = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code });
  assert.equal(second.statusCode, 200, second.body);
  assert.notEqual(client.token, passwordToken);
  assert.notEqual(client.csrfToken, passwordCsrf);

  assert.equal((await sendWithCookie(passwordToken, 'GET', '/v1/account')).statusCode, 401);
  nextTotpStep(server);
  const again = await sendWithCookie(passwordToken, 'POST', '/v1/auth/step-up', {
    'x-csrf-token': passwordCsrf,
  });
  assert.equal(again.statusCode, 401, again.body);
  assert.equal(await statusOfAccount(client), 200);
});

test('a session unused for 31 minutes has ended', async () => {
  const person = await member();
  const sessionId = await currentSessionId(person.client);
  server.clock.advance(31 * MINUTE);
  assert.equal(await statusOfAccount(person.client), 401);
  assert.equal(await revokedReasonOf(sessionId), 'idle_timeout');
});

test('a session used every 20 minutes stays alive for an hour', async () => {
  const person = await member();
  for (let elapsed = 20; elapsed <= 60; elapsed += 20) {
    server.clock.advance(20 * MINUTE);
    assert.equal(await statusOfAccount(person.client), 200, `after ${elapsed} minutes`);
  }
});

test('a session ends 12 hours after sign-in however busy it is', async () => {
  const person = await member();
  const current = (await sessionsSeenBy(person.client)).find((session) => session.isCurrent)!;
  const expiresAt = new Date(current.expiresAt);
  assert.equal(expiresAt.getTime() - new Date(current.createdAt).getTime(), 12 * 60 * MINUTE);
  while (server.clock.now().getTime() + 20 * MINUTE < expiresAt.getTime()) {
    server.clock.advance(20 * MINUTE);
    assert.equal(await statusOfAccount(person.client), 200, server.clock.now().toISOString());
  }
  server.clock.set(expiresAt);
  assert.equal(await statusOfAccount(person.client), 401);
  assert.equal(await revokedReasonOf(current.id), 'expired');
});

test('a person lists their sessions and revokes another one, which stops working', async () => {
  const person = await member();
  const other = await signIn(server, person);
  const seen = await sessionsSeenBy(person.client);
  assert.equal(seen.length, 2);
  assert.equal(seen.filter((session) => session.isCurrent).length, 1);
  const otherId = await currentSessionId(other);
  assert.ok(seen.some((session) => session.id === otherId && !session.isCurrent));

  const revoked = await person.client.request('DELETE', `/v1/account/sessions/${otherId}`);
  assert.equal(revoked.statusCode, 204, revoked.body);
  assert.equal(await statusOfAccount(other), 401);
  assert.equal(await statusOfAccount(person.client), 200);
  assert.deepEqual(
    (await sessionsSeenBy(person.client)).map((session) => session.id),
    [await currentSessionId(person.client)],
  );
  const recorded = await auditRowsOf(person.userId, 'auth.session_revoked');
  assert.equal(recorded.length, 1);
  assert.equal(recorded[0]!.details.sessionId, otherId);
  assert.equal(recorded[0]!.actor_id, person.userId);
});

test("nobody can revoke another person's session", async () => {
  const owner = await member();
  const stranger = await member();
  const ownerSession = await currentSessionId(owner.client);
  const attempt = await stranger.client.request('DELETE', `/v1/account/sessions/${ownerSession}`);
  assert.equal(attempt.statusCode, 404, attempt.body);
  assert.equal(await statusOfAccount(owner.client), 200);
});

test('signing out ends the session and clears the cookie', async () => {
  const person = await member();
  const token = person.client.token;
  const signedOut = await person.client.request('POST', '/v1/auth/sign-out');
  assert.equal(signedOut.statusCode, 204, signedOut.body);
  const cleared = signedOut.cookies.find((cookie) => cookie.name === SESSION_COOKIE);
  assert.equal(cleared?.value, '');
  assert.equal((await sendWithCookie(token, 'GET', '/v1/account')).statusCode, 401);
  assert.equal((await auditRowsOf(person.userId, 'auth.signed_out')).length, 1);
});

test('changing the password needs step-up, ends every other session and keeps this one', async () => {
  const person = await member();
  const other = await signIn(server, person);
  const newPassword = 'a different passphrase 1984';
  server.clock.advance(6 * MINUTE);
  const stale = await person.client.request('POST', '/v1/account/password', {
    currentPassword: person.password,
    newPassword,
  });
  assert.equal(stale.statusCode, 403, stale.body);
  assert.equal(stale.json().type, '/problems/step-up-required');
  assert.equal(await statusOfAccount(other), 200);

  await stepUp(person);
  const changed = await person.client.request('POST', '/v1/account/password', {
    currentPassword: person.password,
    newPassword,
  });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(await statusOfAccount(person.client), 200);
  assert.equal(await statusOfAccount(other), 401);

  const withOld = await createSessionClient(server).request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(withOld.statusCode, 401, withOld.body);
  const withNew = await signIn(server, { ...person, password: newPassword });
  assert.equal(await statusOfAccount(withNew), 200);
  assert.equal((await auditRowsOf(person.userId, 'auth.password_changed')).length, 1);
  const revocations = await auditRowsOf(person.userId, 'auth.session_revoked');
  assert.deepEqual(
    revocations.map((row) => row.details),
    [{ count: 1, reason: 'password_changed' }],
  );
});

test('the only factor cannot be removed; removing one of two ends every other session', async () => {
  const person = await member();
  const other = await signIn(server, person);
  const listed = await person.client.request('GET', '/v1/account/factors');
  const [onlyFactor] = listed.json().factors as { id: string }[];
  assert.ok(onlyFactor);
  const refused = await person.client.request('DELETE', `/v1/account/factors/${onlyFactor.id}`);
  assert.equal(refused.statusCode, 409, refused.body);
  assert.equal(await statusOfAccount(other), 200);

  const second = await enrolTotp(server, person.client);
  assert.deepEqual(second.recoveryCodes, []);
  const removed = await person.client.request('DELETE', `/v1/account/factors/${onlyFactor.id}`);
  assert.equal(removed.statusCode, 204, removed.body);
  assert.equal(await statusOfAccount(other), 401);
  assert.equal(await statusOfAccount(person.client), 200);
  const remaining = (await person.client.request('GET', '/v1/account/factors')).json().factors;
  assert.equal(remaining.length, 1);
  assert.notEqual(remaining[0].id, onlyFactor.id);
  const lastOne = await person.client.request('DELETE', `/v1/account/factors/${remaining[0].id}`);
  assert.equal(lastOne.statusCode, 409, lastOne.body);

  assert.equal((await auditRowsOf(person.userId, 'auth.factor_added')).length, 2);
  const removals = await auditRowsOf(person.userId, 'auth.factor_removed');
  assert.deepEqual(
    removals.map((row) => row.details.factorId),
    [onlyFactor.id],
  );
  assert.deepEqual(
    (await auditRowsOf(person.userId, 'auth.session_revoked')).map((row) => row.details.reason),
    ['factor_changed'],
  );
});

test('a state-changing request without the right X-CSRF-Token is refused and changes nothing', async () => {
  const person = await member();
  const other = await signIn(server, person);
  const otherId = await currentSessionId(other);
  const token = person.client.token;
  const attempts: Record<string, string>[] = [
    {},
    { 'x-csrf-token': 'not-the-token-issued-to-this-session-0000' },
    // A valid token of another session is no better.
    { 'x-csrf-token': other.csrfToken! },
  ];
  for (const headers of attempts) {
    const revoke = await sendWithCookie(token, 'DELETE', `/v1/account/sessions/${otherId}`, headers);
    assert.equal(revoke.statusCode, 403, revoke.body);
    assert.equal(revoke.json().type, '/problems/forbidden');
    const signOut = await sendWithCookie(token, 'POST', '/v1/auth/sign-out', headers);
    assert.equal(signOut.statusCode, 403, signOut.body);
  }
  assert.equal(await statusOfAccount(other), 200);
  assert.equal((await sessionsSeenBy(person.client)).length, 2);
  assert.equal((await auditRowsOf(person.userId, 'auth.session_revoked')).length, 0);

  // Reading needs no token; the browser-like client, which sends it, may write.
  assert.equal((await sendWithCookie(token, 'GET', '/v1/account')).statusCode, 200);
  const revoked = await person.client.request('DELETE', `/v1/account/sessions/${otherId}`);
  assert.equal(revoked.statusCode, 204, revoked.body);
});

test('a session at the second-factor stage can only present a second factor', async () => {
  const person = await member(['tenant_admin']);
  const client = createSessionClient(server);
  const first = await client.request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(first.json().stage, 'second_factor');
  for (const [method, url, body] of [
    ['GET', '/v1/account'],
    ['GET', '/v1/account/sessions'],
    ['GET', '/v1/members'],
    ['GET', `/v1/tenants/${tenantId}`],
    ['POST', '/v1/account/factors/totp', { label: 'Attacker phone' }],
    ['POST', '/v1/account/factors/passkeys/options'],
    ['POST', '/v1/account/recovery-codes'],
  ] as const) {
    const refused = await client.request(method, url, body);
    assert.equal(refused.statusCode, 403, `${method} ${url}: ${refused.body}`);
  }
  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const second = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code });
  assert.equal(second.statusCode, 200, second.body);
  assert.equal((await client.request('GET', '/v1/members')).statusCode, 200);
});

test('a session at the enrolment stage can only enrol a factor', async () => {
  const email = uniqueEmail('enrolling');
  emails.push(email);
  const inviter = { ...systemActor('test-inviter'), tenantId: toTenantId(tenantId) };
  await server.modules.members.inviteMember(inviter, { email, roles: ['tenant_admin'] });
  const client = createSessionClient(server);
  const accepted = await client.request('POST', '/v1/auth/invitations/accept', {
    token: await invitationToken(server, email),
    password: GOOD_PASSWORD,
  });
  assert.equal(accepted.json().stage, 'enrolment');
  for (const [method, url, body] of [
    ['GET', '/v1/account'],
    ['GET', '/v1/account/sessions'],
    ['GET', '/v1/members'],
    ['GET', `/v1/tenants/${tenantId}`],
    ['POST', '/v1/account/recovery-codes'],
    ['POST', '/v1/auth/second-factor', { method: 'totp', code: '123456' }],
    ['POST', '/v1/auth/step-up', { method: 'totp', code: '123456' }],
  ] as const) {
    const refused = await client.request(method, url, body);
    assert.equal(refused.statusCode, 403, `${method} ${url}: ${refused.body}`);
  }
  const { recoveryCodes } = await enrolTotp(server, client);
  assert.equal(recoveryCodes.length, 10);
  assert.equal((await client.request('GET', '/v1/members')).statusCode, 200);
});

// Reads what the tests above wrote, so it runs last.
test('the audit log records sign-in events by id and never by email', async () => {
  const result = await server.database.adminPool.query('select * from audit_entries');
  const rows = result.rows as { action: string }[];
  const actions = new Set(rows.map((row) => row.action));
  for (const action of [
    'auth.signed_in',
    'auth.factor_added',
    'auth.factor_removed',
    'auth.session_revoked',
    'auth.password_changed',
    'auth.signed_out',
  ])
    assert.ok(actions.has(action), `${action} was recorded`);
  const stored = JSON.stringify(rows).toLowerCase();
  assert.ok(emails.length > 10);
  for (const email of emails) assert.ok(!stored.includes(email.toLowerCase()), `${email} is in the log`);
  assert.ok(!stored.includes('@example.test'));
});

test('a sign-in left at the second-factor stage lapses after 15 minutes', async () => {
  const person = await member();
  const client = createSessionClient(server);
  const first = await client.request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json().stage, 'second_factor');
  server.clock.advance(16 * MINUTE);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const late = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code });
  assert.equal(late.statusCode, 401, late.body);
});
