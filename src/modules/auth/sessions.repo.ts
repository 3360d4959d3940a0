/** SQL for sessions. Every function takes an identity-scope transaction first. */
import type { Selectable } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { SessionsTable } from '../../platform/db/schema.ts';

/** A session row. */
export type SessionRow = Selectable<SessionsTable>;

/** A session with what the request authenticator needs of its user (never the email). */
export type SessionWithUser = SessionRow & {
  is_operator: boolean;
  user_status: 'pending' | 'active' | 'disabled';
};

/** Inserts a session. */
export async function insertSession(
  scope: TenantScope,
  values: Omit<SessionRow, 'id' | 'revoked_at' | 'revoked_reason'>,
): Promise<SessionRow> {
  return scope.trx.insertInto('sessions').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Finds a live (not revoked) session by its token hash, with its user; locks it for update. */
export async function findLiveSession(
  scope: TenantScope,
  tokenHash: Buffer,
): Promise<SessionWithUser | null> {
  const row = await scope.trx
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.is_operator', 'users.status as user_status'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/** Updates a session's token and stage (rotation), second-factor time or tenant. */
export async function updateSession(
  scope: TenantScope,
  sessionId: string,
  changes: Partial<
    Pick<
      SessionRow,
      | 'token_hash'
      | 'csrf_token_hash'
      | 'stage'
      | 'second_factor_at'
      | 'active_tenant_id'
      | 'last_seen_at'
      | 'expires_at'
    >
  >,
): Promise<void> {
  await scope.trx.updateTable('sessions').set(changes).where('id', '=', sessionId).execute();
}

/** Marks sessions revoked; returns the ids revoked. `exceptId` keeps the caller's own session. */
export async function revokeSessions(
  scope: TenantScope,
  where: { userId: string; sessionId?: string; exceptId?: string },
  reason: string,
  now: Date,
): Promise<string[]> {
  let query = scope.trx
    .updateTable('sessions')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('user_id', '=', where.userId)
    .where('revoked_at', 'is', null);
  if (where.sessionId !== undefined) query = query.where('id', '=', where.sessionId);
  if (where.exceptId !== undefined) query = query.where('id', '<>', where.exceptId);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

/** Lists a user's live sessions (not revoked, expired or idle), newest first. */
export async function listLiveSessions(
  scope: TenantScope,
  userId: string,
  now: Date,
  idleTimeoutMs: number,
): Promise<SessionRow[]> {
  return scope.trx
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', new Date(now.getTime() - idleTimeoutMs))
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}

/** One live session of a user, locked for update. */
export async function findLiveSessionById(
  scope: TenantScope,
  userId: string,
  sessionId: string,
): Promise<SessionRow | null> {
  const row = await scope.trx
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row ?? null;
}
