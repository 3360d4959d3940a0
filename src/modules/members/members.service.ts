/**
 * Use cases of a tenant's people: invite, list, change roles and teams, remove. Tenant admins do
 * this in their own tenant; a platform operator may only invite a tenant's first admin.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { createToken, hashToken } from '../../platform/crypto/tokens.ts';
import { toTenantId, withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError, isForeignKeyViolation } from '../../platform/errors.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { AuditService } from '../audit/index.ts';
import type { MemberAuditAction } from './members.events.ts';
import * as repo from './members.repo.ts';
import type { InvitationView, InviteInput, MemberView, UpdateMemberInput } from './members.schemas.ts';

/** Invitations expire after three days. */
export const INVITATION_TTL_MS = 72 * 3_600_000;

/** Where a request came from, for the audit record. */
export type RequestOrigin = { requestId?: string; sourceIp?: string };

type Deps = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  mailer: Mailer;
  clock: Clock;
  publicUrl: URL;
};

function toMemberView(row: repo.MemberRow): MemberView {
  return {
    userId: row.user_id,
    email: row.email,
    status: row.status,
    roles: row.roles,
    teams: row.teams,
    joinedAt: row.created_at.toISOString(),
  };
}

function toInvitationView(row: repo.InvitationRow): InvitationView {
  return {
    id: row.id,
    email: row.email,
    roles: row.roles,
    teams: row.teams,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

function tenantOf(actor: Actor): TenantId {
  if (actor.tenantId === null) throw new AppError('forbidden', 'Choose a tenant to work in first.');
  return actor.tenantId;
}

/** The members service. */
export type MembersService = ReturnType<typeof createMembersService>;

/** Creates the members service. */
export function createMembersService({ db, audit, mailer, clock, publicUrl }: Deps) {
  const record = (
    scope: TenantScope,
    actor: Actor,
    action: MemberAuditAction,
    target: { type: string; id: string },
    origin: RequestOrigin,
    details: Record<string, string | number | boolean | null> = {},
  ) =>
    audit.record(scope, [
      { action, actor: { kind: actor.kind, id: actor.id }, outcome: 'success', target, details, ...origin },
    ]);

  async function invite(
    actor: Actor,
    tenantId: TenantId,
    input: InviteInput,
    origin: RequestOrigin,
  ): Promise<InvitationView> {
    const token = createToken();
    const now = clock.now();
    const email = input.email.trim().toLowerCase();
    const invitation = await withTenant(db, tenantId, async (scope) => {
      const row = await repo.insertInvitation(scope, {
        email,
        roles: input.roles,
        teams: input.teams ?? [],
        token_hash: hashToken(token),
        invited_by: actor.id,
        expires_at: new Date(now.getTime() + INVITATION_TTL_MS),
      });
      await record(scope, actor, 'member.invited', { type: 'invitation', id: row.id }, origin, {
        roles: row.roles.join(','),
      });
      return row;
    });
    // Mail leaves after the commit; the token travels in the fragment, which browsers never send
    // to a server (no proxy or access log sees it).
    const link = new URL(`/accept-invitation#token=${token}`, publicUrl).toString();
    try {
      await mailer.send({
        to: email,
        subject: 'You are invited to Diligence',
        text: `You have been invited to work in Diligence.\n\nAccept the invitation (valid for 3 days):\n${link}\n`,
      });
    } catch {
      await withTenant(db, tenantId, (scope) => repo.revokeInvitation(scope, invitation.id, clock.now()));
      throw new AppError(
        'unavailable',
        'The invitation could not be mailed; it was withdrawn. Try again later.',
      );
    }
    return toInvitationView(invitation);
  }

  return {
    /** Invites a person into the actor's tenant. */
    inviteMember(actor: Actor, input: InviteInput, origin: RequestOrigin = {}): Promise<InvitationView> {
      return invite(actor, tenantOf(actor), input, origin);
    },

    /**
     * A platform operator invites a tenant's FIRST administrator, and only that: once a tenant has
     * an admin (or one is invited), operators cannot add people to it, so they cannot give
     * themselves a way into customer data.
     */
    async inviteTenantAdmin(
      actor: Actor,
      tenantId: string,
      email: string,
      origin: RequestOrigin = {},
    ): Promise<InvitationView> {
      if (actor.kind !== 'operator' && actor.kind !== 'system')
        throw new AppError('forbidden', 'Only platform operators can do this.');
      const id = toTenantId(tenantId.toLowerCase());
      const hasAdmin = await withTenant(db, id, async (scope) => {
        const pending = await repo.listPendingInvitations(scope, clock.now());
        return (
          (await repo.countAdmins(scope)) > 0 || pending.some((row) => row.roles.includes('tenant_admin'))
        );
      });
      if (hasAdmin)
        throw new AppError(
          'conflict',
          'This tenant already has an administrator; they invite everyone else.',
        );
      try {
        return await invite(actor, id, { email, roles: ['tenant_admin'] }, origin);
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new AppError('not_found', 'No such tenant.');
        throw error;
      }
    },

    /** Lists the actor's tenant's members. */
    async listMembers(actor: Actor): Promise<MemberView[]> {
      const rows = await withTenant(db, tenantOf(actor), (scope) => repo.listMembers(scope, 1000));
      return rows.map(toMemberView);
    },

    /** Lists pending invitations of the actor's tenant. */
    async listInvitations(actor: Actor): Promise<InvitationView[]> {
      const rows = await withTenant(db, tenantOf(actor), (scope) =>
        repo.listPendingInvitations(scope, clock.now()),
      );
      return rows.map(toInvitationView);
    },

    /** Withdraws a pending invitation. */
    async revokeInvitation(actor: Actor, invitationId: string, origin: RequestOrigin = {}): Promise<void> {
      await withTenant(db, tenantOf(actor), async (scope) => {
        if (!(await repo.revokeInvitation(scope, invitationId, clock.now())))
          throw new AppError('not_found', 'No such pending invitation.');
        await record(scope, actor, 'invitation.revoked', { type: 'invitation', id: invitationId }, origin);
      });
    },

    /** Changes a member's roles or teams; the tenant always keeps at least one admin. */
    async updateMember(
      actor: Actor,
      userId: string,
      input: UpdateMemberInput,
      origin: RequestOrigin = {},
    ): Promise<MemberView> {
      return withTenant(db, tenantOf(actor), async (scope) => {
        const current = await repo.findMemberForUpdate(scope, userId);
        if (!current) throw new AppError('not_found', 'No such member.');
        const roles = input.roles ?? current.roles;
        if (current.roles.includes('tenant_admin') && !roles.includes('tenant_admin'))
          await assertAnotherAdmin(scope);
        await repo.updateMembership(
          scope,
          userId,
          { roles, teams: input.teams ?? current.teams },
          clock.now(),
        );
        await record(scope, actor, 'member.roles_changed', { type: 'user', id: userId }, origin, {
          roles: roles.join(','),
          previousRoles: current.roles.join(','),
        });
        const updated = await repo.findMember(scope, userId);
        if (!updated) throw new AppError('not_found', 'No such member.');
        return toMemberView(updated);
      });
    },

    /** Removes a member from the actor's tenant. */
    async removeMember(actor: Actor, userId: string, origin: RequestOrigin = {}): Promise<void> {
      await withTenant(db, tenantOf(actor), async (scope) => {
        const current = await repo.findMemberForUpdate(scope, userId);
        if (!current) throw new AppError('not_found', 'No such member.');
        if (current.roles.includes('tenant_admin')) await assertAnotherAdmin(scope);
        await repo.deleteMembership(scope, userId);
        await record(scope, actor, 'member.removed', { type: 'user', id: userId }, origin);
      });
    },
  };
}

async function assertAnotherAdmin(scope: TenantScope): Promise<void> {
  if ((await repo.countAdmins(scope)) <= 1)
    throw new AppError('conflict', 'A tenant must keep at least one tenant admin.');
}
