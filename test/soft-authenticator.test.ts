/**
 * Proves the software authenticator against the real @simplewebauthn/server: its honest responses
 * verify, and its forged ones (wrong origin, replay, wrong challenge, wrong key) are refused, so
 * passkey tests built on it cannot pass against a server that checks nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { createSoftAuthenticator } from './fixtures/soft-authenticator.ts';

const origin = 'https://diligence.test';
const rpId = 'diligence.test';

/** Registers one passkey for `userName` and returns the credential the server would store. */
const registerPasskey = async (
  authenticator: ReturnType<typeof createSoftAuthenticator>,
  userName = 'ada@example.test',
): Promise<{ credential: WebAuthnCredential; userHandle: string }> => {
  const options = await generateRegistrationOptions({ rpName: 'Diligence', rpID: rpId, userName });
  const verification = await verifyRegistrationResponse({
    response: authenticator.register(options),
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpId,
  });
  assert.ok(verification.verified && verification.registrationInfo);
  return { credential: verification.registrationInfo.credential, userHandle: options.user.id };
};

/** Sign-in options naming `credential`, or an empty allow list to ask for a discoverable passkey. */
const signInOptions = (credential?: WebAuthnCredential) =>
  generateAuthenticationOptions({
    rpID: rpId,
    allowCredentials: credential ? [{ id: credential.id }] : [],
  });

test('a registration verifies with attestation none, user verification and counter 0', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const options = await generateRegistrationOptions({ rpName: 'Diligence', rpID: rpId, userName: 'ada' });
  const response = authenticator.register(options);

  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpId,
  });

  assert.equal(verification.verified, true);
  assert.equal(verification.registrationInfo?.fmt, 'none');
  assert.equal(verification.registrationInfo?.userVerified, true);
  assert.equal(verification.registrationInfo?.credential.id, response.id);
  assert.equal(verification.registrationInfo?.credential.counter, 0);
});

test('a sign-in verifies against the stored public key and advances the counter', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential, userHandle } = await registerPasskey(authenticator);
  const options = await signInOptions(credential);
  const response = authenticator.authenticate(options);

  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpId,
    credential,
  });

  assert.equal(verification.verified, true);
  assert.equal(verification.authenticationInfo.newCounter, 1);
  assert.equal(verification.authenticationInfo.userVerified, true);
  assert.equal(response.response.userHandle, userHandle);
});

test('allowCredentials picks the listed credential; an empty list picks the first discoverable one', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const first = await registerPasskey(authenticator, 'ada@example.test');
  const second = await registerPasskey(authenticator, 'grace@example.test');

  const listed = authenticator.authenticate(await signInOptions(second.credential));
  const discovered = authenticator.authenticate(await signInOptions());

  assert.equal(listed.id, second.credential.id);
  assert.equal(listed.response.userHandle, second.userHandle);
  assert.equal(discovered.id, first.credential.id);
  assert.equal(discovered.response.userHandle, first.userHandle);
  assert.deepEqual(
    authenticator.listCredentials().map(({ signCount }) => signCount),
    [1, 1],
  );
});

test('an allow list naming no held credential fails as the browser would', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  await registerPasskey(authenticator);
  const stranger = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(stranger);

  assert.throws(
    () =>
      authenticator.authenticate({
        challenge: 'abc',
        allowCredentials: [{ id: credential.id, type: 'public-key' }],
      }),
    {
      name: 'NotAllowedError',
    },
  );
});

test('phishing: a registration made on another origin is rejected', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const options = await generateRegistrationOptions({ rpName: 'Diligence', rpID: rpId, userName: 'ada' });

  await assert.rejects(
    verifyRegistrationResponse({
      response: authenticator.register(options, { origin: 'https://diligence.evil' }),
      expectedChallenge: options.challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
    }),
    /Unexpected registration response origin "https:\/\/diligence.evil"/,
  );
});

test('phishing: a sign-in relayed through another origin is rejected', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(authenticator);
  const options = await signInOptions(credential);

  await assert.rejects(
    verifyAuthenticationResponse({
      response: authenticator.authenticate(options, { origin: 'https://diligence.evil' }),
      expectedChallenge: options.challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      credential,
    }),
    /Unexpected authentication response origin "https:\/\/diligence.evil"/,
  );
});

test('replay: a captured sign-in is rejected by the counter once the stored counter has advanced', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(authenticator);
  const options = await signInOptions(credential);
  const captured = authenticator.authenticate(options);
  const expected = { expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpId };

  const first = await verifyAuthenticationResponse({ response: captured, ...expected, credential });
  assert.equal(first.verified, true);
  const stored = { ...credential, counter: first.authenticationInfo.newCounter };

  // Even when the server wrongly accepts the old challenge again, the counter (1 <= 1) stops it.
  await assert.rejects(
    verifyAuthenticationResponse({ response: captured, ...expected, credential: stored }),
    /Response counter value 1 was lower than expected 1/,
  );
});

test('replay: the library accepts a repeated counter of 0, so the server must burn each challenge', async () => {
  // Passkey providers that sync keys report 0 forever; simplewebauthn 14 skips the counter check
  // when both the stored and the reported counter are 0, leaving replay to the challenge store.
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(authenticator);
  const options = await signInOptions(credential);
  const captured = authenticator.authenticate(options, { signCount: 0 });
  const expected = { expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpId };

  const first = await verifyAuthenticationResponse({ response: captured, ...expected, credential });
  const replayed = await verifyAuthenticationResponse({
    response: captured,
    ...expected,
    credential: { ...credential, counter: first.authenticationInfo.newCounter },
  });

  assert.equal(first.verified, true);
  assert.equal(replayed.verified, true);
});

test('cloned key: a counter lower than the stored one is rejected', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(authenticator);
  const options = await signInOptions(credential);

  await assert.rejects(
    verifyAuthenticationResponse({
      response: authenticator.authenticate(options, { signCount: 3 }),
      expectedChallenge: options.challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      credential: { ...credential, counter: 7 },
    }),
    /Response counter value 3 was lower than expected 7/,
  );
});

test('a sign-in signed for a different challenge is rejected', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(authenticator);
  const issued = await signInOptions(credential);
  const other = await signInOptions(credential);

  await assert.rejects(
    verifyAuthenticationResponse({
      response: authenticator.authenticate(other),
      expectedChallenge: issued.challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      credential,
    }),
    /Unexpected authentication response challenge/,
  );
});

test('a registration made for a different challenge is rejected', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const issued = await generateRegistrationOptions({ rpName: 'Diligence', rpID: rpId, userName: 'ada' });
  const other = await generateRegistrationOptions({ rpName: 'Diligence', rpID: rpId, userName: 'ada' });

  await assert.rejects(
    verifyRegistrationResponse({
      response: authenticator.register(other),
      expectedChallenge: issued.challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
    }),
    /Unexpected registration response challenge/,
  );
});

test('a signature is checked: verifying against another credential key fails', async () => {
  // Without this, the sign-in test above would also pass if the library ignored the signature.
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(authenticator);
  const { credential: otherKey } = await registerPasskey(createSoftAuthenticator({ origin, rpId }));
  const options = await signInOptions(credential);

  const verification = await verifyAuthenticationResponse({
    response: authenticator.authenticate(options),
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpId,
    credential: { ...credential, publicKey: otherKey.publicKey },
  });

  assert.equal(verification.verified, false);
});

test('excludeCredentials stops a second passkey for the same account', async () => {
  const authenticator = createSoftAuthenticator({ origin, rpId });
  const { credential } = await registerPasskey(authenticator);
  const options = await generateRegistrationOptions({
    rpName: 'Diligence',
    rpID: rpId,
    userName: 'ada@example.test',
    excludeCredentials: [{ id: credential.id }],
  });

  assert.throws(() => authenticator.register(options), { name: 'InvalidStateError' });
});
