/**
 * Enrolling second factors: a TOTP authenticator (confirmed with a first code) or a passkey. The
 * first factor of an account finishes its enrolment: ten recovery codes are issued (shown once)
 * and the session becomes a full one. Adding a factor to a full session needs a fresh second
 * factor (step-up), so a stolen session cannot plant its own authenticator.
 */
import { randomUUID } from 'node:crypto';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { assertRecentSecondFactor } from '../../../http/auth-guard.ts';
import type { Actor } from '../../../platform/actor.ts';
import { withIdentity, type TenantScope } from '../../../platform/db/scopes.ts';
import { AppError } from '../../../platform/errors.ts';
import type { Keyring } from '../../vault/index.ts';
import { recordAuthEvent, type AuthContext, type RequestInfo } from '../auth.context.ts';
import { openTotpSecret, sealTotpSecret } from '../auth.sealing.ts';
import * as credentials from '../credentials.repo.ts';
import { createRecoveryCodes } from '../recovery-codes.ts';
import { rotateSession, type IssuedSession } from '../sessions.service.ts';
import { createTotpSecret, totpUri, verifyTotp } from '../totp.ts';
import { defaultTenantOf, findOwnSession } from './sign-in.ts';

/** The result of adding a factor; the first one also brings recovery codes and a full session. */
export type EnrolmentResult = {
  factorId: string;
  recoveryCodes: string[] | null;
  session: IssuedSession | null;
};

const CHALLENGE_TTL_MS = 5 * 60_000;

function assertMayEnrol(context: AuthContext, actor: Actor): void {
  const isEnrolling = !actor.permissions.has('account:manage');
  if (!isEnrolling) assertRecentSecondFactor(actor, context.clock.now());
}

async function userOf(scope: TenantScope, keyring: Keyring, actor: Actor): Promise<credentials.UserRow> {
  const user = await credentials.findUserById(scope, keyring, actor.id);
  if (!user) throw new AppError('unauthenticated', 'Sign in again.');
  // A session still at the enrolment stage may add only the FIRST factor: once one exists, a
  // second pending session (say, from a phished password) must not plant its own authenticator.
  const isEnrolling = !actor.permissions.has('account:manage');
  if (isEnrolling && (await credentials.listFactors(scope, actor.id)).length > 0)
    throw new AppError('forbidden', 'This account already has a second factor; sign in with it first.');
  return user;
}

/** Records the new factor; for an account's first factor, issues recovery codes and a full session. */
async function completeEnrolment(
  scope: TenantScope,
  context: AuthContext,
  actor: Actor,
  factor: { id: string; kind: string },
  info: RequestInfo,
): Promise<EnrolmentResult> {
  const now = context.clock.now();
  await recordAuthEvent(scope, context, {
    action: 'auth.factor_added',
    userId: actor.id,
    info,
    details: { factorId: factor.id, kind: factor.kind },
  });
  const isFirst = (await credentials.listFactors(scope, actor.id)).length === 1;
  if (!isFirst && !actor.permissions.has('account:manage'))
    throw new AppError('forbidden', 'This account already has a second factor; sign in with it first.');
  if (!isFirst) return { factorId: factor.id, recoveryCodes: null, session: null };
  const { codes, hashes } = createRecoveryCodes();
  await credentials.replaceRecoveryCodes(scope, actor.id, hashes);
  const session = await findOwnSession(scope, actor);
  const issued = await rotateSession(
    scope,
    session,
    { stage: 'full', second_factor_at: now, active_tenant_id: await defaultTenantOf(scope, actor.id) },
    now,
    context.sessions,
  );
  await recordAuthEvent(scope, context, {
    action: 'auth.signed_in',
    userId: actor.id,
    info,
    details: { method: factor.kind },
  });
  return { factorId: factor.id, recoveryCodes: codes, session: issued };
}

/** Starts a TOTP enrolment: returns the secret once, to be confirmed with a code. */
export async function beginTotpEnrolment(
  context: AuthContext,
  actor: Actor,
  label: string,
): Promise<{ factorId: string; secret: string; uri: string }> {
  assertMayEnrol(context, actor);
  const secret = createTotpSecret();
  return withIdentity(context.db, async (scope) => {
    const keyring = await context.vault.keyring(scope);
    const user = await userOf(scope, keyring, actor);
    // An abandoned enrolment must not linger as a second secret.
    await scope.trx
      .deleteFrom('second_factors')
      .where('user_id', '=', actor.id)
      .where('kind', '=', 'totp')
      .where('confirmed_at', 'is', null)
      .execute();
    const factorId = randomUUID();
    const factor = await credentials.insertFactor(scope, {
      id: factorId,
      user_id: actor.id,
      kind: 'totp',
      label,
      totp_secret_sealed: sealTotpSecret(keyring, factorId, secret),
      credential_id: null,
      public_key: null,
      transports: null,
      confirmed_at: null,
    });
    return {
      factorId: factor.id,
      secret,
      uri: totpUri({ secret, accountName: user.email, issuer: 'Diligence' }),
    };
  });
}

/** Confirms a TOTP enrolment with a first code from the authenticator. */
export async function confirmTotpEnrolment(
  context: AuthContext,
  actor: Actor,
  factorId: string,
  code: string,
  info: RequestInfo,
): Promise<EnrolmentResult> {
  assertMayEnrol(context, actor);
  const now = context.clock.now();
  return withIdentity(context.db, async (scope) => {
    const factor = await credentials.findFactorForUpdate(scope, actor.id, factorId);
    const secret =
      factor?.kind === 'totp' && factor.confirmed_at === null
        ? openTotpSecret(await context.vault.keyring(scope), factor)
        : null;
    if (!factor || secret === null) throw new AppError('not_found', 'No such pending authenticator.');
    const result = await verifyTotp({ secret, code, now, lastUsedStep: null });
    if (!result.valid)
      throw new AppError('validation_failed', 'The code does not match; check the clock of your device.');
    await credentials.updateFactor(scope, factor.id, {
      confirmed_at: now,
      totp_last_step: result.step,
      last_used_at: now,
    });
    return completeEnrolment(scope, context, actor, factor, info);
  });
}

/** The relying party of passkeys: the public origin's host name. */
export function relyingParty(context: AuthContext): { rpID: string; origin: string } {
  return { rpID: context.publicUrl.hostname, origin: context.publicUrl.origin };
}

/** Starts a passkey registration: options for the browser, and the id of the stored challenge. */
export async function beginPasskeyRegistration(
  context: AuthContext,
  actor: Actor,
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  assertMayEnrol(context, actor);
  return withIdentity(context.db, async (scope) => {
    const user = await userOf(scope, await context.vault.keyring(scope), actor);
    const existing = (await credentials.listFactors(scope, actor.id)).filter(
      (factor) => factor.kind === 'passkey',
    );
    const options = await generateRegistrationOptions({
      rpName: 'Diligence',
      rpID: relyingParty(context).rpID,
      userName: user.email,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((factor) => ({ id: factor.credential_id! })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    const challenge = await credentials.insertChallenge(scope, {
      purpose: 'passkey_registration',
      challenge: options.challenge,
      user_id: actor.id,
      expires_at: new Date(context.clock.now().getTime() + CHALLENGE_TTL_MS),
    });
    return { challengeId: challenge.id, options };
  });
}

/** Finishes a passkey registration. */
export async function finishPasskeyRegistration(
  context: AuthContext,
  actor: Actor,
  input: { challengeId: string; label: string; response: RegistrationResponseJSON },
  info: RequestInfo,
): Promise<EnrolmentResult> {
  assertMayEnrol(context, actor);
  const now = context.clock.now();
  return withIdentity(context.db, async (scope) => {
    const challenge = await credentials.consumeChallenge(
      scope,
      input.challengeId,
      'passkey_registration',
      now,
    );
    if (!challenge || challenge.user_id !== actor.id)
      throw new AppError('validation_failed', 'The passkey challenge is unknown or expired; start again.');
    const { rpID, origin } = relyingParty(context);
    const verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified || !verification.registrationInfo)
      throw new AppError('validation_failed', 'The passkey could not be verified.');
    const credential = verification.registrationInfo.credential;
    const factor = await credentials.insertFactor(scope, {
      id: randomUUID(),
      user_id: actor.id,
      kind: 'passkey',
      label: input.label,
      totp_secret_sealed: null,
      credential_id: credential.id,
      public_key: Buffer.from(credential.publicKey),
      sign_count: credential.counter,
      transports: credential.transports ?? null,
      confirmed_at: now,
    });
    return completeEnrolment(scope, context, actor, factor, info);
  });
}
