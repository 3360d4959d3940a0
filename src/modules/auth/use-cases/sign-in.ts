/**
 * Signing in with a password and then a second factor, and stepping up an existing session.
 * Unknown email and wrong password get the same answer after the same work (a dummy argon2
 * verification), and every guess is charged to the throttle before it is checked.
 */
import type { Actor } from '../../../platform/actor.ts';
import { withIdentity, type TenantScope } from '../../../platform/db/scopes.ts';
import { AppError } from '../../../platform/errors.ts';
import { listMembershipsOfUser } from '../../members/index.ts';
import { recordAuthEvent, type AuthContext, type RequestInfo } from '../auth.context.ts';
import * as credentials from '../credentials.repo.ts';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../password-hasher.ts';
import {
  chargeGuess,
  consumeSecondFactorCode,
  recordFailedGuess,
  refundGuess,
  type CodeInput,
} from '../second-factor.ts';
import * as sessionsRepo from '../sessions.repo.ts';
import { rotateSession, startSession, type IssuedSession, type SessionStage } from '../sessions.service.ts';

/** The answer to a sign-in step. */
export type SignInStep = { stage: SessionStage; session: IssuedSession; factorKinds: string[] };

const WRONG_CREDENTIALS = 'The email or password is incorrect.';

/** Step one: email and password. Opens a session that may only present a second factor. */
export async function signInWithPassword(
  context: AuthContext,
  input: { email: string; password: string },
  info: RequestInfo,
): Promise<SignInStep> {
  const email = input.email.trim().toLowerCase();
  const { accountLockedNow, keys } = await chargeGuess(context, { email }, info);
  const user = await withIdentity(context.db, async (scope) =>
    credentials.findUserByEmail(scope, await context.vault.keyring(scope), email),
  );
  const isUsable = user !== null && user.status === 'active' && user.password_hash !== null;
  const isValid = isUsable
    ? await verifyPassword(user.password_hash!, input.password)
    : await verifyAgainstDummy(input.password);
  if (!isValid || user === null) {
    if (user) await recordFailedGuess(context, user.id, 'password', accountLockedNow, info);
    throw new AppError('unauthenticated', WRONG_CREDENTIALS);
  }
  const now = context.clock.now();
  // A hash made with older, cheaper parameters is upgraded while the password is at hand.
  const upgradedHash = needsRehash(user.password_hash!) ? await hashPassword(input.password) : null;
  return withIdentity(context.db, async (scope) => {
    // The account's count is cleared only once the second factor is also right.
    await refundGuess(scope, keys, { complete: false }, now);
    if (upgradedHash !== null) await credentials.setPassword(scope, user.id, upgradedHash, now);
    const factors = await credentials.listFactors(scope, user.id);
    const stage: SessionStage = factors.length > 0 ? 'second_factor' : 'enrolment';
    const session = await startSession(
      scope,
      { userId: user.id, stage, secondFactorAt: null, activeTenantId: null, ...sessionOrigin(info) },
      { now, config: context.sessions },
    );
    const factorKinds: string[] = [...new Set(factors.map((factor) => factor.kind))];
    if (stage === 'second_factor') factorKinds.push('recovery_code');
    return { stage, session, factorKinds };
  });
}

/** The request details a session keeps for its owner's session list. */
export function sessionOrigin(info: RequestInfo): { sourceIp: string | null; userAgent: string | null } {
  return { sourceIp: info.sourceIp ?? null, userAgent: info.userAgent ?? null };
}

/** The tenant a fresh session starts in: the only one, when the person belongs to exactly one. */
export async function defaultTenantOf(scope: TenantScope, userId: string): Promise<string | null> {
  const memberships = await listMembershipsOfUser(scope, userId);
  return memberships.length === 1 ? memberships[0]!.tenant_id : null;
}

/** The signed-in person's user row (their throttle keys come from its email). */
export async function getSignedInUser(context: AuthContext, userId: string): Promise<credentials.UserRow> {
  const user = await withIdentity(context.db, async (scope) =>
    credentials.findUserById(scope, await context.vault.keyring(scope), userId),
  );
  if (!user) throw new AppError('unauthenticated', 'Sign in again.');
  return user;
}

/**
 * Checks a TOTP or recovery code for the actor's session. `purpose` sign_in turns a
 * second-factor session into a full one; step_up refreshes the second-factor time of a full one.
 * Either way the session gets new tokens.
 */
export async function presentSecondFactor(
  context: AuthContext,
  actor: Actor,
  input: CodeInput,
  purpose: 'sign_in' | 'step_up',
  info: RequestInfo,
): Promise<IssuedSession> {
  if (!actor.sessionId) throw new AppError('unauthenticated', 'Sign in with your password first.');
  const { email } = await getSignedInUser(context, actor.id);
  const { accountLockedNow, keys } = await chargeGuess(context, { email }, info);
  const now = context.clock.now();
  const issued = await withIdentity(context.db, async (scope) => {
    const keyring = await context.vault.keyring(scope);
    if (!(await consumeSecondFactorCode(scope, keyring, actor.id, input, now))) return null;
    await refundGuess(scope, keys, { complete: true }, now);
    const session = await findOwnSession(scope, actor);
    const activeTenantId =
      purpose === 'sign_in' ? await defaultTenantOf(scope, actor.id) : session.active_tenant_id;
    const rotated = await rotateSession(
      scope,
      session,
      { stage: 'full', second_factor_at: now, active_tenant_id: activeTenantId },
      now,
      context.sessions,
    );
    const method = input.method;
    await recordAuthEvent(scope, context, {
      action: purpose === 'sign_in' ? 'auth.signed_in' : 'auth.stepped_up',
      userId: actor.id,
      actor: { kind: actor.kind === 'operator' ? 'operator' : 'user', id: actor.id },
      info,
      details: { method },
    });
    if (method === 'recovery_code') {
      const left = await credentials.countRecoveryCodes(scope, actor.id);
      await recordAuthEvent(scope, context, {
        action: 'auth.recovery_code_used',
        userId: actor.id,
        info,
        details: { remaining: left },
      });
    }
    return rotated;
  });
  if (issued === null) {
    await recordFailedGuess(context, actor.id, 'second_factor', accountLockedNow, info);
    throw new AppError('unauthenticated', 'The code is not valid. Codes can be used only once.');
  }
  return issued;
}

/** The actor's own live session row. */
export async function findOwnSession(scope: TenantScope, actor: Actor): Promise<sessionsRepo.SessionRow> {
  const session = actor.sessionId
    ? await sessionsRepo.findLiveSessionById(scope, actor.id, actor.sessionId)
    : null;
  if (!session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
  return session;
}
