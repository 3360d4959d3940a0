/**
 * Signing in with a passkey. A passkey with user verification is itself multi-factor (something
 * held, plus a PIN or biometric), so it may be a whole sign-in; it also completes a password
 * sign-in or steps up a session. Each challenge is single use: the signature counter alone does
 * not stop a replay for authenticators that keep it at zero.
 */
import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Actor } from '../../../platform/actor.ts';
import { withIdentity } from '../../../platform/db/scopes.ts';
import { AppError } from '../../../platform/errors.ts';
import { recordAuthEvent, type AuthContext, type RequestInfo } from '../auth.context.ts';
import * as credentials from '../credentials.repo.ts';
import { chargeGuess, recordFailedGuess, refundGuess } from '../second-factor.ts';
import { accountKey } from '../sign-in-throttle.ts';
import { rotateSession, startSession, type IssuedSession } from '../sessions.service.ts';
import { relyingParty } from './enrol-factors.ts';
import { defaultTenantOf, findOwnSession, getSignedInUser, sessionOrigin } from './sign-in.ts';

const CHALLENGE_TTL_MS = 5 * 60_000;
const NOT_RECOGNISED = 'The passkey was not recognised.';

/** Options for a passkey sign-in (discoverable credentials: no user named yet). */
export async function beginPasskeySignIn(
  context: AuthContext,
  actor: Actor | null,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  return withIdentity(context.db, async (scope) => {
    const passkeys = actor
      ? (await credentials.listFactors(scope, actor.id)).filter((factor) => factor.kind === 'passkey')
      : [];
    const options = await generateAuthenticationOptions({
      rpID: relyingParty(context).rpID,
      userVerification: 'required',
      allowCredentials: passkeys.map((factor) => ({
        id: factor.credential_id!,
        transports: (factor.transports ?? undefined) as AuthenticatorTransport[] | undefined,
      })),
    });
    const challenge = await credentials.insertChallenge(scope, {
      purpose: actor ? 'passkey_step_up' : 'passkey_sign_in',
      challenge: options.challenge,
      user_id: actor?.id ?? null,
      expires_at: new Date(context.clock.now().getTime() + CHALLENGE_TTL_MS),
    });
    return { challengeId: challenge.id, options };
  });
}

/** A recognised passkey: its person, and that person's throttle account key. */
type PasskeyCheck = { userId: string; throttleAccount: string; factorId: string } | null;

/** Verifies an assertion against the stored credential and advances its counter. */
async function checkAssertion(
  context: AuthContext,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  purpose: 'passkey_sign_in' | 'passkey_step_up',
  expectedUserId: string | null,
): Promise<PasskeyCheck> {
  const now = context.clock.now();
  return withIdentity(context.db, async (scope) => {
    const challenge = await credentials.consumeChallenge(scope, input.challengeId, purpose, now);
    if (!challenge || challenge.user_id !== expectedUserId) return null;
    const factor = await credentials.findPasskey(scope, input.response.id);
    if (!factor || (expectedUserId !== null && factor.user_id !== expectedUserId)) return null;
    const keyring = await context.vault.keyring(scope);
    const user = await credentials.findUserById(scope, keyring, factor.user_id);
    if (!user || user.status !== 'active') return null;
    const { rpID, origin } = relyingParty(context);
    const verification = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: {
        id: factor.credential_id!,
        publicKey: new Uint8Array(factor.public_key!),
        counter: Number(factor.sign_count ?? 0),
      },
    }).catch(() => null);
    if (!verification?.verified) return null;
    await credentials.updateFactor(scope, factor.id, {
      sign_count: verification.authenticationInfo.newCounter,
      last_used_at: now,
    });
    return { userId: user.id, throttleAccount: accountKey(keyring, user.email), factorId: factor.id };
  });
}

/** A whole sign-in with a passkey: opens a full session. */
export async function signInWithPasskey(
  context: AuthContext,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  info: RequestInfo,
): Promise<IssuedSession> {
  // No email is known before the check, so the passkey's id stands in for the account.
  const { keys } = await chargeGuess(context, { account: `passkey:${input.response.id.slice(0, 80)}` }, info);
  const check = await checkAssertion(context, input, 'passkey_sign_in', null);
  if (!check) throw new AppError('unauthenticated', NOT_RECOGNISED);
  const now = context.clock.now();
  return withIdentity(context.db, async (scope) => {
    await refundGuess(scope, keys, { complete: true }, now);
    // The account's count is cleared too; the address already got its one attempt back above.
    await refundGuess(scope, { account: check.throttleAccount, address: null }, { complete: true }, now);
    const session = await startSession(
      scope,
      {
        userId: check.userId,
        stage: 'full',
        secondFactorAt: now,
        activeTenantId: await defaultTenantOf(scope, check.userId),
        ...sessionOrigin(info),
      },
      { now, config: context.sessions },
    );
    await recordAuthEvent(scope, context, {
      action: 'auth.signed_in',
      userId: check.userId,
      info,
      details: { method: 'passkey' },
    });
    return session;
  });
}

/** Presents a passkey for the actor's session: completes a password sign-in or steps up. */
export async function presentPasskey(
  context: AuthContext,
  actor: Actor,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  info: RequestInfo,
): Promise<IssuedSession> {
  // Charged like any other guess, so passkey step-ups cannot be used to buy back address budget.
  const { email } = await getSignedInUser(context, actor.id);
  const { accountLockedNow, keys } = await chargeGuess(context, { email }, info);
  const check = await checkAssertion(context, input, 'passkey_step_up', actor.id);
  if (!check) {
    await recordFailedGuess(context, actor.id, 'passkey', accountLockedNow, info);
    throw new AppError('unauthenticated', NOT_RECOGNISED);
  }
  const now = context.clock.now();
  const isSignIn = actor.permissions.has('auth:complete-sign-in');
  return withIdentity(context.db, async (scope) => {
    await refundGuess(scope, keys, { complete: true }, now);
    const session = await findOwnSession(scope, actor);
    const activeTenantId = isSignIn ? await defaultTenantOf(scope, actor.id) : session.active_tenant_id;
    const issued = await rotateSession(
      scope,
      session,
      { stage: 'full', second_factor_at: now, active_tenant_id: activeTenantId },
      now,
      context.sessions,
    );
    await recordAuthEvent(scope, context, {
      action: isSignIn ? 'auth.signed_in' : 'auth.stepped_up',
      userId: actor.id,
      actor: { kind: actor.kind === 'operator' ? 'operator' : 'user', id: actor.id },
      info,
      details: { method: 'passkey' },
    });
    return issued;
  });
}
