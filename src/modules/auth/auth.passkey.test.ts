/** Prevents replayed, phished or mismatched passkey assertions, and stale sessions planting passkeys. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import {
  createSoftAuthenticator,
  type SoftAuthenticator,
} from '../../../test/fixtures/soft-authenticator.ts';
import {
  createMember,
  createSessionClient,
  createTenant,
  nextTotpStep,
  type SessionClient,
  type SignedInPerson,
  acceptInvitationAsNewPerson as acceptInvitationAsNewPersonIn,
} from '../../../test/sign-in-fixtures.ts';
import { generateTotp } from './totp.ts';

const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

let server: TestServer;
let tenantId: string;
// One member who stepped up with TOTP and registered a passkey, shared by the sign-in tests.
let member: SignedInPerson;
let authenticator: SoftAuthenticator;
let registration: { statusCode: number; body: string; json(): Record<string, unknown> };

before(async () => {
  server = await startTestServer();
  tenantId = await createTenant(server);
  member = await createMember(server, tenantId, ['tenant_admin']);
  authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: RP_ID });
  await stepUpWithTotp(member);
  registration = await registerPasskey(member.client, authenticator);
});
after(async () => {
  await server.stop();
});

async function stepUpWithTotp(person: SignedInPerson): Promise<void> {
  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const steppedUp = await person.client.request('POST', '/v1/auth/step-up', { method: 'totp', code });
  assert.equal(steppedUp.statusCode, 200, steppedUp.body);
}

async function registrationOptions(client: SessionClient) {
  const begun = await client.request('POST', '/v1/account/factors/passkeys/options');
  assert.equal(begun.statusCode, 200, begun.body);
  return begun.json() as { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON };
}

/** Registers a passkey of `device` for the client's account and returns the answer. */
async function registerPasskey(client: SessionClient, device: SoftAuthenticator) {
  const { challengeId, options } = await registrationOptions(client);
  return client.request('POST', '/v1/account/factors/passkeys', {
    challengeId,
    label: 'Laptop',
    response: device.register(options),
  });
}

/** Invites a new person and accepts: a client at the enrolment stage. */
function acceptInvitationAsNewPerson(): Promise<SessionClient> {
  return acceptInvitationAsNewPersonIn(server, tenantId, ['analyst']);
}

/** Asks for sign-in options (public, or for the client's own session at `path`). */
async function signInOptions(client: SessionClient, path = '/v1/auth/passkey/options') {
  const begun = await client.request('POST', path);
  assert.equal(begun.statusCode, 200, begun.body);
  return begun.json() as { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON };
}

test('a member who stepped up registers a passkey and then signs in with it alone', async () => {
  assert.equal(registration.statusCode, 200, registration.body);
  // Not the first factor: no new recovery codes, and the session stays as it was.
  assert.equal(registration.json().recoveryCodes, null);
  assert.equal(registration.json().session, null);
  const factors = await member.client.request('GET', '/v1/account/factors');
  assert.deepEqual(
    factors
      .json()
      .factors.map((factor: { kind: string }) => factor.kind)
      .sort(),
    ['passkey', 'totp'],
  );

  const browser = createSessionClient(server);
  const { challengeId, options } = await signInOptions(browser);
  const signedIn = await browser.request('POST', '/v1/auth/passkey/sign-in', {
    challengeId,
    response: authenticator.authenticate(options),
  });
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  assert.equal(signedIn.json().stage, 'full');
  const account = await browser.request('GET', '/v1/account');
  assert.equal(account.statusCode, 200, account.body);
  assert.equal(account.json().userId, member.userId);
  assert.equal(account.json().activeTenantId, tenantId);
  const members = await browser.request('GET', '/v1/members');
  assert.equal(members.statusCode, 200, members.body);
  assert.ok(members.json().members.some((row: { email: string }) => row.email === member.email));
});

test('a replayed assertion (same response, same challenge) is refused', async () => {
  const first = createSessionClient(server);
  const { challengeId, options } = await signInOptions(first);
  const body = { challengeId, response: authenticator.authenticate(options) };
  const accepted = await first.request('POST', '/v1/auth/passkey/sign-in', body);
  assert.equal(accepted.statusCode, 200, accepted.body);

  const attacker = createSessionClient(server);
  const replayed = await attacker.request('POST', '/v1/auth/passkey/sign-in', body);
  assert.equal(replayed.statusCode, 401, replayed.body);
  assert.equal(attacker.token, null);
});

test('a replayed assertion from an authenticator without a signature counter is refused', async () => {
  // Such an authenticator always reports 0, so only the single-use challenge stops the replay.
  const enrolling = await acceptInvitationAsNewPerson();
  const device = createSoftAuthenticator({ origin: ORIGIN, rpId: RP_ID });
  assert.equal((await registerPasskey(enrolling, device)).statusCode, 200);
  const first = createSessionClient(server);
  const { challengeId, options } = await signInOptions(first);
  const body = { challengeId, response: device.authenticate(options, { signCount: 0 }) };
  const accepted = await first.request('POST', '/v1/auth/passkey/sign-in', body);
  assert.equal(accepted.statusCode, 200, accepted.body);

  const attacker = createSessionClient(server);
  const replayed = await attacker.request('POST', '/v1/auth/passkey/sign-in', body);
  assert.equal(replayed.statusCode, 401, replayed.body);
  assert.equal(attacker.token, null);
});

test('an assertion made for another origin (a phishing page relaying the ceremony) is refused', async () => {
  const browser = createSessionClient(server);
  const { challengeId, options } = await signInOptions(browser);
  const phished = await browser.request('POST', '/v1/auth/passkey/sign-in', {
    challengeId,
    response: authenticator.authenticate(options, { origin: 'https://diligence.example.net' }),
  });
  assert.equal(phished.statusCode, 401, phished.body);
  assert.equal(browser.token, null);
});

test('an assertion answering a different challenge is refused', async () => {
  const browser = createSessionClient(server);
  const answered = await signInOptions(browser);
  const other = await signInOptions(browser);
  const response = authenticator.authenticate(answered.options);
  const mismatched = await browser.request('POST', '/v1/auth/passkey/sign-in', {
    challengeId: other.challengeId,
    response,
  });
  assert.equal(mismatched.statusCode, 401, mismatched.body);
  // The same assertion with the challenge it answers is good, so only the mismatch was refused.
  server.clock.advance(60_000);
  const matched = await browser.request('POST', '/v1/auth/passkey/sign-in', {
    challengeId: answered.challengeId,
    response,
  });
  assert.equal(matched.statusCode, 200, matched.body);
});

test('a passkey completes a password sign-in as the second factor', async () => {
  const browser = createSessionClient(server);
  const first = await browser.request('POST', '/v1/auth/sign-in', {
    email: member.email,
    password: member.password,
  });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json().stage, 'second_factor');
  assert.ok(first.json().factorKinds.includes('passkey'));
  const { challengeId, options } = await signInOptions(browser, '/v1/auth/second-factor/passkey/options');
  assert.deepEqual(
    options.allowCredentials?.map((credential) => credential.id),
    authenticator.listCredentials().map((credential) => credential.id),
  );
  const second = await browser.request('POST', '/v1/auth/second-factor/passkey', {
    challengeId,
    response: authenticator.authenticate(options),
  });
  assert.equal(second.statusCode, 200, second.body);
  assert.equal(second.json().stage, 'full');
  assert.equal((await browser.request('GET', '/v1/account')).statusCode, 200);
});

test('a full session without a fresh second factor cannot register a passkey', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  const device = createSoftAuthenticator({ origin: ORIGIN, rpId: RP_ID });
  const begun = await registrationOptions(person.client);
  server.clock.advance(6 * 60_000);

  const options = await person.client.request('POST', '/v1/account/factors/passkeys/options');
  assert.equal(options.statusCode, 403, options.body);
  assert.equal(options.json().type, '/problems/step-up-required');
  // A challenge fetched while the session was fresh does not help either.
  const finished = await person.client.request('POST', '/v1/account/factors/passkeys', {
    challengeId: begun.challengeId,
    label: 'Planted',
    response: device.register(begun.options),
  });
  assert.equal(finished.statusCode, 403, finished.body);
  assert.equal(finished.json().type, '/problems/step-up-required');
  const factors = await person.client.request('GET', '/v1/account/factors');
  assert.deepEqual(
    factors.json().factors.map((factor: { kind: string }) => factor.kind),
    ['totp'],
  );
});

test('a new account enrols a passkey as its first factor and receives ten recovery codes', async () => {
  const client = await acceptInvitationAsNewPerson();
  const device = createSoftAuthenticator({ origin: ORIGIN, rpId: RP_ID });
  const registered = await registerPasskey(client, device);
  assert.equal(registered.statusCode, 200, registered.body);
  assert.equal(registered.json().recoveryCodes.length, 10);
  assert.equal(registered.json().session.stage, 'full');
  const account = await client.request('GET', '/v1/account');
  assert.equal(account.statusCode, 200, account.body);
  assert.equal(account.json().activeTenantId, tenantId);

  // The passkey alone signs the new account in elsewhere.
  const browser = createSessionClient(server);
  const { challengeId, options } = await signInOptions(browser);
  const signedIn = await browser.request('POST', '/v1/auth/passkey/sign-in', {
    challengeId,
    response: device.authenticate(options),
  });
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  assert.equal((await browser.request('GET', '/v1/account')).json().userId, account.json().userId);
});
