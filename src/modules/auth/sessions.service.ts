/**
 * Sessions: opaque random tokens (only their hashes are stored), rotated whenever the session's
 * privilege changes, with idle and absolute expiry, and the request authenticator that turns a
 * session cookie into an actor.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../../http/auth-guard.ts';
import type { Actor, Permission } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { SessionConfig } from '../../config.ts';
import { toTenantId, withIdentity, type TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { isTenantRole, OPERATOR_PERMISSIONS, permissionsForTenantRoles } from '../access/index.ts';
import { findMembership } from '../members/index.ts';
import { isSafeMethod, readCsrfToken, readSessionToken } from './session-cookie.ts';
import * as repo from './sessions.repo.ts';
import { createToken, hashToken, tokensEqual } from '../../platform/crypto/tokens.ts';

/** What a new or rotated session hands to the client (once). */
export type IssuedSession = { sessionId: string; token: string; csrfToken: string; expiresAt: Date };

/** The stage a session is at. */
export type SessionStage = 'second_factor' | 'enrolment' | 'full';

/** Permissions of a session that has not finished signing in. */
const STAGE_PERMISSIONS: Record<Exclude<SessionStage, 'full'>, Permission[]> = {
  second_factor: ['auth:complete-sign-in'],
  enrolment: ['auth:enrol-factor'],
};

/** Every full session may manage its own account and add factors (with a fresh second factor). */
const SIGNED_IN_PERMISSIONS: Permission[] = ['account:manage', 'auth:enrol-factor'];

/** A sign-in that still owes its second factor (or first enrolment) lapses after this long. */
export const PENDING_SESSION_TTL_MS = 15 * 60_000;

// Writing last_seen_at on every request would turn each read into a write; a minute is precise
// enough for a 30-minute idle timeout.
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Opens a session for a user at a stage; the caller sets the cookie from the result. */
export async function startSession(
  scope: TenantScope,
  input: {
    userId: string;
    stage: SessionStage;
    secondFactorAt: Date | null;
    activeTenantId: string | null;
    sourceIp: string | null;
    userAgent: string | null;
  },
  { now, config }: { now: Date; config: SessionConfig },
): Promise<IssuedSession> {
  const token = createToken();
  const csrfToken = createToken();
  const lifetime =
    input.stage === 'full'
      ? config.absoluteTimeoutMs
      : Math.min(PENDING_SESSION_TTL_MS, config.absoluteTimeoutMs);
  const expiresAt = new Date(now.getTime() + lifetime);
  const row = await repo.insertSession(scope, {
    token_hash: hashToken(token),
    csrf_token_hash: hashToken(csrfToken),
    user_id: input.userId,
    active_tenant_id: input.activeTenantId,
    stage: input.stage,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    second_factor_at: input.secondFactorAt,
    source_ip: input.sourceIp,
    user_agent: input.userAgent?.slice(0, 200) ?? null,
  });
  return { sessionId: row.id, token, csrfToken, expiresAt };
}

/**
 * Gives a session new tokens (and applies a privilege change), so an old token is worthless. A
 * pending sign-in that becomes full gets the full absolute lifetime from now.
 */
export async function rotateSession(
  scope: TenantScope,
  session: { id: string; expires_at: Date; stage: SessionStage },
  changes: Partial<Pick<repo.SessionRow, 'stage' | 'second_factor_at' | 'active_tenant_id'>>,
  now: Date,
  config: SessionConfig,
): Promise<IssuedSession> {
  const token = createToken();
  const csrfToken = createToken();
  const isCompletion = session.stage !== 'full' && changes.stage === 'full';
  const expiresAt = isCompletion ? new Date(now.getTime() + config.absoluteTimeoutMs) : session.expires_at;
  await repo.updateSession(scope, session.id, {
    ...changes,
    token_hash: hashToken(token),
    csrf_token_hash: hashToken(csrfToken),
    last_seen_at: now,
    expires_at: expiresAt,
  });
  return { sessionId: session.id, token, csrfToken, expiresAt };
}

/** Why a session found by token is no longer usable, or null when it is. */
export function expiryOf(
  session: Pick<repo.SessionRow, 'expires_at' | 'last_seen_at'>,
  now: Date,
  config: SessionConfig,
): 'expired' | 'idle_timeout' | null {
  if (session.expires_at <= now) return 'expired';
  if (now.getTime() - session.last_seen_at.getTime() >= config.idleTimeoutMs) return 'idle_timeout';
  return null;
}

/**
 * Loads the live session of a request's cookie: checks expiry and, for state-changing methods,
 * the CSRF token. Returns null when there is no usable session.
 */
export async function loadRequestSession(
  scope: TenantScope,
  request: FastifyRequest,
  { now, config }: { now: Date; config: SessionConfig },
): Promise<repo.SessionWithUser | null> {
  const token = readSessionToken(request);
  if (!token) return null;
  const session = await repo.findLiveSession(scope, hashToken(token));
  if (!session || session.user_status !== 'active') return null;
  const expiry = expiryOf(session, now, config);
  if (expiry !== null) {
    await repo.revokeSessions(scope, { userId: session.user_id, sessionId: session.id }, expiry, now);
    return null;
  }
  if (!isSafeMethod(request.method)) {
    const csrf = readCsrfToken(request);
    if (csrf === null || !tokensEqual(hashToken(csrf), session.csrf_token_hash)) {
      throw new AppError(
        'forbidden',
        'This request needs the X-CSRF-Token header with the token issued at sign-in.',
      );
    }
  }
  if (now.getTime() - session.last_seen_at.getTime() >= LAST_SEEN_RESOLUTION_MS)
    await repo.updateSession(scope, session.id, { last_seen_at: now });
  return session;
}

/** Builds the actor of a session: stage permissions, or the roles held in the active tenant. */
async function actorOfSession(scope: TenantScope, session: repo.SessionWithUser): Promise<Actor | null> {
  const base = {
    id: session.user_id,
    secondFactorAt: session.second_factor_at,
    sessionId: session.id,
  };
  if (session.stage !== 'full') {
    const permissions = new Set<Permission>(STAGE_PERMISSIONS[session.stage]);
    return { ...base, kind: 'user', tenantId: null, permissions, roles: new Set(), teams: new Set() };
  }
  if (session.is_operator) {
    const permissions = new Set<Permission>([...OPERATOR_PERMISSIONS, ...SIGNED_IN_PERMISSIONS]);
    return {
      ...base,
      kind: 'operator',
      tenantId: null,
      permissions,
      roles: new Set(['operator']),
      teams: new Set(),
    };
  }
  if (session.active_tenant_id === null) {
    const permissions = new Set<Permission>(SIGNED_IN_PERMISSIONS);
    return { ...base, kind: 'user', tenantId: null, permissions, roles: new Set(), teams: new Set() };
  }
  // Roles are read on every request, so a role removed by an admin takes effect at once.
  const membership = await findMembership(scope, session.user_id, session.active_tenant_id);
  if (!membership) return null;
  const permissions = new Set<Permission>([
    ...permissionsForTenantRoles(membership.roles.filter(isTenantRole)),
    ...SIGNED_IN_PERMISSIONS,
  ]);
  return {
    ...base,
    kind: 'user',
    tenantId: toTenantId(session.active_tenant_id),
    permissions,
    roles: new Set(membership.roles),
    teams: new Set(membership.teams),
  };
}

/** The authenticator the HTTP guard uses: session cookie → actor (which carries no email). */
export function createSessionAuthenticator({
  db,
  clock,
  config,
}: {
  db: Kysely<Schema>;
  clock: Clock;
  config: SessionConfig;
}): Authenticator {
  return async (request) =>
    withIdentity(db, async (scope) => {
      const session = await loadRequestSession(scope, request, { now: clock.now(), config });
      return session ? actorOfSession(scope, session) : null;
    });
}
