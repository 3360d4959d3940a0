/**
 * A signed-in person's own account: who am I, my factors, recovery codes, password, sessions and
 * the tenant I work in; and an administrator lifting a member's sign-in lock. Changing the
 * password or a factor ends every other session.
 */
import type { Actor } from '../../../platform/actor.ts';
import { toTenantId, withIdentity, withinTenant, type TenantScope } from '../../../platform/db/scopes.ts';
import { AppError } from '../../../platform/errors.ts';
import { findMembership, listMembershipsOfUser } from '../../members/index.ts';
import { recordAuthEvent, type AuthContext, type RequestInfo } from '../auth.context.ts';
import * as credentials from '../credentials.repo.ts';
import { hashPassword, verifyPassword } from '../password-hasher.ts';
import { checkPassword } from '../password-policy.ts';
import { createRecoveryCodes } from '../recovery-codes.ts';
import { chargeGuess, recordFailedGuess, refundGuess } from '../second-factor.ts';
import { accountKey, clearThrottle } from '../sign-in-throttle.ts';
import * as sessionsRepo from '../sessions.repo.ts';
import { rotateSession, type IssuedSession } from '../sessions.service.ts';
import { findOwnSession, getSignedInUser } from './sign-in.ts';

async function revokeOtherSessions(
  scope: TenantScope,
  context: AuthContext,
  actor: Actor,
  reason: string,
  info: RequestInfo,
): Promise<number> {
  const revoked = await sessionsRepo.revokeSessions(
    scope,
    { userId: actor.id, exceptId: actor.sessionId },
    reason,
    context.clock.now(),
  );
  if (revoked.length > 0)
    await recordAuthEvent(scope, context, {
      action: 'auth.session_revoked',
      userId: actor.id,
      info,
      details: { count: revoked.length, reason },
    });
  return revoked.length;
}

/** The signed-in person: id, email, operator or not, tenants, the active one and its roles. */
export async function describeAccount(context: AuthContext, actor: Actor) {
  return withIdentity(context.db, async (scope) => {
    const user = await credentials.findUserById(scope, await context.vault.keyring(scope), actor.id);
    if (!user) throw new AppError('unauthenticated', 'Sign in again.');
    const memberships = await listMembershipsOfUser(scope, actor.id);
    return {
      userId: user.id,
      email: user.email,
      isOperator: user.is_operator,
      activeTenantId: actor.tenantId,
      roles: [...actor.roles],
      permissions: [...actor.permissions].sort(),
      secondFactorAt: actor.secondFactorAt?.toISOString() ?? null,
      tenants: memberships.map((row) => ({
        tenantId: row.tenant_id,
        name: row.tenant_name,
        roles: row.roles,
      })),
    };
  });
}

/** Lists the person's factors (never a secret or a public key). */
export async function listOwnFactors(context: AuthContext, actor: Actor) {
  return withIdentity(context.db, async (scope) => {
    const factors = await credentials.listFactors(scope, actor.id);
    const recoveryCodesLeft = await credentials.countRecoveryCodes(scope, actor.id);
    return {
      factors: factors.map((row) => ({
        id: row.id,
        kind: row.kind,
        label: row.label,
        createdAt: row.created_at.toISOString(),
        lastUsedAt: row.last_used_at?.toISOString() ?? null,
      })),
      recoveryCodesLeft,
    };
  });
}

/** Removes a factor, but never the last one; other sessions end. */
export async function removeFactor(context: AuthContext, actor: Actor, factorId: string, info: RequestInfo) {
  await withIdentity(context.db, async (scope) => {
    const factor = await credentials.findFactorForUpdate(scope, actor.id, factorId);
    if (!factor || factor.confirmed_at === null) throw new AppError('not_found', 'No such factor.');
    // Locking every factor row of the user makes two parallel removals take turns.
    const remaining = await scope.trx
      .selectFrom('second_factors')
      .select('id')
      .where('user_id', '=', actor.id)
      .where('confirmed_at', 'is not', null)
      .forUpdate()
      .execute();
    if (remaining.length <= 1)
      throw new AppError('conflict', 'This is your only second factor; add another before removing it.');
    await credentials.deleteFactor(scope, factor.id);
    await recordAuthEvent(scope, context, {
      action: 'auth.factor_removed',
      userId: actor.id,
      info,
      details: { factorId: factor.id, kind: factor.kind },
    });
    await revokeOtherSessions(scope, context, actor, 'factor_changed', info);
  });
}

/** Replaces the recovery codes with ten new ones, shown once. */
export async function regenerateRecoveryCodes(context: AuthContext, actor: Actor, info: RequestInfo) {
  const { codes, hashes } = createRecoveryCodes();
  await withIdentity(context.db, async (scope) => {
    await credentials.replaceRecoveryCodes(scope, actor.id, hashes);
    await recordAuthEvent(scope, context, {
      action: 'auth.recovery_codes_regenerated',
      userId: actor.id,
      info,
    });
  });
  return { recoveryCodes: codes };
}

/** Changes the password (the current one is required); every other session ends. */
export async function changePassword(
  context: AuthContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  info: RequestInfo,
): Promise<IssuedSession> {
  const user = await getSignedInUser(context, actor.id);
  if (!user.password_hash) throw new AppError('unauthenticated', 'Sign in again.');
  // A stolen session must not become a free password-guessing oracle.
  const { accountLockedNow, keys } = await chargeGuess(context, { email: user.email }, info);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordFailedGuess(context, actor.id, 'password', accountLockedNow, info);
    throw new AppError('validation_failed', 'The current password is incorrect.');
  }
  const check = checkPassword(input.newPassword, { email: user.email });
  if (!check.ok) throw new AppError('validation_failed', check.message);
  const hash = await hashPassword(input.newPassword);
  const now = context.clock.now();
  return withIdentity(context.db, async (scope) => {
    await refundGuess(scope, keys, { complete: true }, now);
    await credentials.setPassword(scope, actor.id, hash, now);
    await recordAuthEvent(scope, context, { action: 'auth.password_changed', userId: actor.id, info });
    await revokeOtherSessions(scope, context, actor, 'password_changed', info);
    return rotateSession(scope, await findOwnSession(scope, actor), {}, now, context.sessions);
  });
}

/** The person's live sessions. */
export async function listOwnSessions(context: AuthContext, actor: Actor) {
  const rows = await withIdentity(context.db, (scope) =>
    sessionsRepo.listLiveSessions(scope, actor.id, context.clock.now(), context.sessions.idleTimeoutMs),
  );
  return rows.map((row) => ({
    id: row.id,
    isCurrent: row.id === actor.sessionId,
    stage: row.stage,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
  }));
}

/** Ends one of the person's sessions (signing out is ending the current one). */
export async function revokeOwnSession(
  context: AuthContext,
  actor: Actor,
  sessionId: string,
  info: RequestInfo,
) {
  await withIdentity(context.db, async (scope) => {
    const revoked = await sessionsRepo.revokeSessions(
      scope,
      { userId: actor.id, sessionId },
      sessionId === actor.sessionId ? 'signed_out' : 'revoked',
      context.clock.now(),
    );
    if (revoked.length === 0) throw new AppError('not_found', 'No such session.');
    await recordAuthEvent(scope, context, {
      action: sessionId === actor.sessionId ? 'auth.signed_out' : 'auth.session_revoked',
      userId: actor.id,
      info,
      details: { sessionId },
    });
  });
}

/** Switches the session to one of the person's tenants; the session gets new tokens. */
export async function selectTenant(
  context: AuthContext,
  actor: Actor,
  tenantId: string,
  info: RequestInfo,
): Promise<IssuedSession> {
  const now = context.clock.now();
  return withIdentity(context.db, async (scope) => {
    if (!(await findMembership(scope, actor.id, tenantId)))
      throw new AppError('not_found', 'No such tenant.');
    const issued = await rotateSession(
      scope,
      await findOwnSession(scope, actor),
      { active_tenant_id: tenantId },
      now,
      context.sessions,
    );
    await recordAuthEvent(scope, context, {
      action: 'auth.tenant_selected',
      userId: actor.id,
      info,
      details: { tenantId },
    });
    return issued;
  });
}

/** A tenant admin lifts the sign-in lock of a member of their tenant. */
export async function unlockMember(context: AuthContext, actor: Actor, userId: string, info: RequestInfo) {
  if (actor.tenantId === null) throw new AppError('forbidden', 'Choose a tenant to work in first.');
  const tenantId = toTenantId(actor.tenantId);
  await withIdentity(context.db, async (scope) => {
    const member = await findMembership(scope, userId, tenantId);
    const keyring = await context.vault.keyring(scope);
    const user = member ? await credentials.findUserById(scope, keyring, userId) : null;
    if (!user) throw new AppError('not_found', 'No such member.');
    const wasLocked = await clearThrottle(scope, accountKey(keyring, user.email));
    await recordAuthEvent(scope, context, {
      action: 'auth.account_unlocked',
      userId,
      actor: { kind: 'user', id: actor.id },
      info,
      details: { tenantId, hadFailures: wasLocked },
    });
    await withinTenant(scope, tenantId, (tenantScope) =>
      context.audit.record(tenantScope, [
        {
          action: 'member.unlocked',
          actor: { kind: actor.kind, id: actor.id },
          outcome: 'success',
          target: { type: 'user', id: userId },
          requestId: info.requestId,
          sourceIp: info.sourceIp,
        },
      ]),
    );
  });
}
