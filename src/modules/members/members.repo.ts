/** SQL for memberships and invitations. Every function takes the transaction (a scope) first. */
import { sql, type Selectable } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { InvitationsTable, MembershipsTable } from '../../platform/db/schema.ts';

/** A membership row. */
export type MembershipRow = Selectable<MembershipsTable>;
/** An invitation row (its email still sealed). */
export type InvitationRow = Omit<Selectable<InvitationsTable>, 'email'>;
/** A member as a tenant admin sees them (the email still sealed, with the shared keyring). */
export type MemberRow = MembershipRow & { email_sealed: Buffer | null; status: string };

// Never the plaintext `email`: it is only read once, to seal a legacy row.
const INVITATION_COLUMNS = [
  'invitations.id',
  'invitations.tenant_id',
  'invitations.email_sealed',
  'invitations.email_index',
  'invitations.roles',
  'invitations.teams',
  'invitations.token_hash',
  'invitations.invited_by',
  'invitations.expires_at',
  'invitations.accepted_at',
  'invitations.accepted_by',
  'invitations.revoked_at',
  'invitations.created_at',
] as const;

/** A user's membership in a tenant that is active (any scope that may see it). */
export async function findMembership(
  scope: TenantScope,
  userId: string,
  tenantId: string,
): Promise<MembershipRow | null> {
  const row = await scope.trx
    .selectFrom('memberships')
    .innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
    .selectAll('memberships')
    .where('memberships.user_id', '=', userId)
    .where('memberships.tenant_id', '=', tenantId)
    .where('tenants.status', '=', 'active')
    .executeTakeFirst();
  return row ?? null;
}

/** A user's memberships in active tenants, with the tenant names (identity scope). */
export async function listMembershipsOfUser(
  scope: TenantScope,
  userId: string,
): Promise<(MembershipRow & { tenant_name: string })[]> {
  return scope.trx
    .selectFrom('memberships')
    .innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
    .selectAll('memberships')
    .select('tenants.name as tenant_name')
    .where('memberships.user_id', '=', userId)
    .where('tenants.status', '=', 'active')
    .orderBy('tenants.name')
    .limit(200)
    .execute();
}

/** The members of the scope's tenant, the earliest `limit` to join (emails are sealed: no SQL order). */
export async function listMembers(scope: TenantScope, limit: number): Promise<MemberRow[]> {
  return scope
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .selectAll('memberships')
    .select(['users.email_sealed', 'users.status'])
    .orderBy('memberships.created_at')
    .orderBy('memberships.user_id')
    .limit(limit)
    .execute();
}

/** One member of the scope's tenant, as listed. */
export async function findMember(scope: TenantScope, userId: string): Promise<MemberRow | null> {
  const row = await scope
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .selectAll('memberships')
    .select(['users.email_sealed', 'users.status'])
    .where('memberships.user_id', '=', userId)
    .executeTakeFirst();
  return row ?? null;
}

/** One member of the scope's tenant, locked for update. */
export async function findMemberForUpdate(scope: TenantScope, userId: string): Promise<MembershipRow | null> {
  const row = await scope
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  return row ?? null;
}

/** How many members hold the tenant_admin role (locked, so two demotions cannot both pass). */
export async function countAdmins(scope: TenantScope): Promise<number> {
  const rows = await scope
    .selectFrom('memberships')
    .select('user_id')
    // A JS array here would be sent as a list of scalars (`@> ($1)`), not as one text[] value.
    .where('roles', '@>', sql<string[]>`ARRAY['tenant_admin']::text[]`)
    .forUpdate()
    .execute();
  return rows.length;
}

/** Inserts a membership, or adds roles and teams to an existing one. */
export async function upsertMembership(
  scope: TenantScope,
  values: { userId: string; roles: string[]; teams: string[] },
  now: Date,
): Promise<MembershipRow> {
  const existing = await findMemberForUpdate(scope, values.userId);
  if (existing) {
    const roles = [...new Set([...existing.roles, ...values.roles])];
    const teams = [...new Set([...existing.teams, ...values.teams])];
    return updateMembership(scope, values.userId, { roles, teams }, now);
  }
  return scope
    .insertInto('memberships', { user_id: values.userId, roles: values.roles, teams: values.teams })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces a membership's roles and teams. */
export async function updateMembership(
  scope: TenantScope,
  userId: string,
  values: { roles: string[]; teams: string[] },
  now: Date,
): Promise<MembershipRow> {
  return scope
    .updateTable('memberships')
    .set({ roles: values.roles, teams: values.teams, updated_at: now })
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a membership. */
export async function deleteMembership(scope: TenantScope, userId: string): Promise<boolean> {
  const result = await scope.deleteFrom('memberships').where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Inserts an invitation; its id is made by the caller, which sealed the email for that row. */
export async function insertInvitation(
  scope: TenantScope,
  values: Omit<InvitationRow, 'tenant_id' | 'accepted_at' | 'accepted_by' | 'revoked_at' | 'created_at'>,
): Promise<InvitationRow> {
  return scope.insertInto('invitations', values).returning(INVITATION_COLUMNS).executeTakeFirstOrThrow();
}

/** Pending (not accepted, revoked or expired) invitations of the scope's tenant. */
export async function listPendingInvitations(scope: TenantScope, now: Date): Promise<InvitationRow[]> {
  return scope
    .selectFrom('invitations')
    .select(INVITATION_COLUMNS)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}

/** Revokes a pending invitation of the scope's tenant. */
export async function revokeInvitation(scope: TenantScope, id: string, now: Date): Promise<boolean> {
  const result = await scope
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A usable invitation by token hash (identity scope), without claiming it. */
export async function findUsableInvitation(
  scope: TenantScope,
  tokenHash: Buffer,
  now: Date,
): Promise<InvitationRow | null> {
  const row = await scope.trx
    .selectFrom('invitations')
    .innerJoin('tenants', 'tenants.id', 'invitations.tenant_id')
    .select(INVITATION_COLUMNS)
    .where('invitations.token_hash', '=', tokenHash)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', now)
    .where('tenants.status', '=', 'active')
    .executeTakeFirst();
  return row ?? null;
}

/** Marks an invitation accepted; null when another request used it first (single use). */
export async function markInvitationAccepted(
  scope: TenantScope,
  id: string,
  userId: string,
  now: Date,
): Promise<InvitationRow | null> {
  const row = await scope.trx
    .updateTable('invitations')
    .set({ accepted_at: now, accepted_by: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(INVITATION_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}
