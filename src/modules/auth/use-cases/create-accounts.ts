/**
 * How accounts come to exist: the CLI makes a platform operator with a one-time setup link, and
 * an invitation makes (or extends) a tenant member. Either way the person sets a password that
 * meets the policy and then must enrol a second factor before anything else works. No default
 * password exists anywhere.
 */
import { withIdentity, withinTenant, toTenantId } from '../../../platform/db/scopes.ts';
import { createToken, hashToken } from '../../../platform/crypto/tokens.ts';
import { AppError, isUniqueViolation } from '../../../platform/errors.ts';
import {
  findUsableInvitation,
  markInvitationAccepted,
  openInvitationEmail,
  upsertMembership,
} from '../../members/index.ts';
import { recordAuthEvent, type AuthContext, type RequestInfo } from '../auth.context.ts';
import * as credentials from '../credentials.repo.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../password-hasher.ts';
import { checkPassword } from '../password-policy.ts';
import { chargeGuess, recordFailedGuess, refundGuess, type ThrottleKeys } from '../second-factor.ts';
import { startSession } from '../sessions.service.ts';
import { sessionOrigin, type SignInStep } from './sign-in.ts';

/** Setup links for operators stay valid for a day. */
const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;

function assertAcceptablePassword(password: string, email: string): void {
  const check = checkPassword(password, { email });
  if (!check.ok)
    throw new AppError('validation_failed', check.message, {
      errors: [{ location: 'body', pointer: '/password', message: check.message }],
    });
}

/** Creates a platform operator (no password yet) and returns the one-time setup link. */
export async function createOperator(
  context: AuthContext,
  email: string,
): Promise<{ userId: string; setupLink: string; expiresAt: Date }> {
  const normalised = email.trim().toLowerCase();
  const token = createToken();
  const now = context.clock.now();
  const expiresAt = new Date(now.getTime() + SETUP_TOKEN_TTL_MS);
  try {
    const userId = await withIdentity(context.db, async (scope) => {
      const user = await credentials.insertUser(
        scope,
        await context.vault.keyring(scope),
        { email: normalised, passwordHash: null, isOperator: true, status: 'pending' },
        now,
      );
      await credentials.insertSetupToken(scope, { tokenHash: hashToken(token), userId: user.id, expiresAt });
      await recordAuthEvent(scope, context, {
        action: 'auth.account_created',
        userId: user.id,
        actor: { kind: 'system', id: 'cli' },
        info: {},
        details: { operator: true },
      });
      return user.id;
    });
    // The token travels in the fragment, which browsers never send to a server.
    const setupLink = new URL(`/set-up-account#token=${token}`, context.publicUrl).toString();
    return { userId, setupLink, expiresAt };
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', 'An account with this email already exists.');
    throw error;
  }
}

/** Sets the first password from a setup link; the session may then only enrol a factor. */
export async function setUpAccount(
  context: AuthContext,
  input: { token: string; password: string },
  info: RequestInfo,
): Promise<SignInStep> {
  const tokenHash = hashToken(input.token);
  const now = context.clock.now();
  const pending = await withIdentity(context.db, async (scope) => {
    const userId = await credentials.findSetupTokenUser(scope, tokenHash, now);
    return userId === null
      ? null
      : credentials.findUserById(scope, await context.vault.keyring(scope), userId);
  });
  if (!pending) throw new AppError('not_found', 'This setup link is unknown, used or expired.');
  assertAcceptablePassword(input.password, pending.email);
  const hash = await hashPassword(input.password);
  return withIdentity(context.db, async (scope) => {
    const userId = await credentials.consumeSetupToken(scope, tokenHash, now);
    if (userId === null) throw new AppError('not_found', 'This setup link is unknown, used or expired.');
    await credentials.setPassword(scope, userId, hash, now);
    await recordAuthEvent(scope, context, { action: 'auth.account_set_up', userId, info });
    const session = await startSession(
      scope,
      { userId, stage: 'enrolment', secondFactorAt: null, activeTenantId: null, ...sessionOrigin(info) },
      { now, config: context.sessions },
    );
    return { stage: 'enrolment', session, factorKinds: [] };
  });
}

/**
 * Accepts an invitation. A new person sets a password and must then enrol a factor; a person who
 * already has an account proves it with their password and continues with their second factor.
 */
export async function acceptInvitation(
  context: AuthContext,
  input: { token: string; password: string },
  info: RequestInfo,
): Promise<SignInStep> {
  const tokenHash = hashToken(input.token);
  const now = context.clock.now();
  const found = await withIdentity(context.db, async (scope) => {
    const row = await findUsableInvitation(scope, tokenHash, now);
    if (!row) return null;
    // The invitation is the tenant's data, sealed with the tenant's keyring.
    const email = await withinTenant(scope, toTenantId(row.tenant_id), async (tenantScope) =>
      openInvitationEmail(await context.vault.keyring(tenantScope), row),
    );
    const user = await credentials.findUserByEmail(scope, await context.vault.keyring(scope), email);
    return { invitation: { ...row, email }, user };
  });
  if (!found) throw new AppError('not_found', 'This invitation is unknown, used, withdrawn or expired.');
  const { invitation, user } = found;
  let newHash: string | null = null;
  let keys: ThrottleKeys | null = null;
  if (user) {
    const charged = await chargeGuess(context, { email: user.email }, info);
    keys = charged.keys;
    const isValid =
      user.password_hash !== null && user.status === 'active'
        ? await verifyPassword(user.password_hash, input.password)
        : await verifyAgainstDummy(input.password);
    if (!isValid) {
      await recordFailedGuess(context, user.id, 'password', charged.accountLockedNow, info);
      throw new AppError(
        'unauthenticated',
        'You already have an account: enter its current password to accept.',
      );
    }
  } else {
    assertAcceptablePassword(input.password, invitation.email);
    newHash = await hashPassword(input.password);
  }
  return withIdentity(context.db, async (scope) => {
    if (keys) await refundGuess(scope, keys, { complete: false }, now);
    const account =
      user ??
      (await credentials.insertUser(
        scope,
        await context.vault.keyring(scope),
        { email: invitation.email, passwordHash: newHash, isOperator: false, status: 'active' },
        now,
      ));
    if (!(await markInvitationAccepted(scope, invitation.id, account.id, now)))
      throw new AppError('not_found', 'This invitation is unknown, used, withdrawn or expired.');
    // The membership and the tenant's own audit entry commit together with the account.
    await withinTenant(scope, toTenantId(invitation.tenant_id), async (tenantScope) => {
      await upsertMembership(
        tenantScope,
        { userId: account.id, roles: invitation.roles, teams: invitation.teams },
        now,
      );
      await context.audit.record(tenantScope, [
        {
          action: 'member.joined',
          actor: { kind: 'user', id: account.id },
          outcome: 'success',
          target: { type: 'user', id: account.id },
          requestId: info.requestId,
          sourceIp: info.sourceIp,
          details: { invitationId: invitation.id, roles: invitation.roles.join(',') },
        },
      ]);
    });
    await recordAuthEvent(scope, context, {
      action: 'auth.invitation_accepted',
      userId: account.id,
      info,
      details: { tenantId: invitation.tenant_id, newAccount: user === null },
    });
    const hasFactors = (await credentials.listFactors(scope, account.id)).length > 0;
    const stage = hasFactors ? 'second_factor' : 'enrolment';
    const session = await startSession(
      scope,
      { userId: account.id, stage, secondFactorAt: null, activeTenantId: null, ...sessionOrigin(info) },
      { now, config: context.sessions },
    );
    return { stage, session, factorKinds: hasFactors ? ['totp', 'passkey', 'recovery_code'] : [] };
  });
}
