/**
 * Use cases of a tenant's people: invite, list, change roles and teams, remove. Tenant admins do
 * this in their own tenant; a platform operator may only invite a tenant's first admin.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { createToken, hashToken } from '../../platform/crypto/tokens.ts';
import { toTenantId, withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError, isForeignKeyViolation } from '../../platform/errors.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { AuditService } from '../audit/index.ts';
import type { Keyring, Vault } from '../vault/index.ts';
import type { MemberAuditAction } from './members.events.ts';
import { sealLegacyInvitations } from './members.legacy.ts';
import * as repo from './members.repo.ts';
import { openInvitationEmail, openMemberEmail, sealInvitationEmail } from './members.sealing.ts';
import type { InvitationView, InviteInput, MemberView, UpdateMemberInput } from './members.schemas.ts';

/** Invitations expire after three days. */
export const INVITATION_TTL_MS = 72 * 3_600_000;

/** Where a request came from, for the audit record. */
export type RequestOrigin = { requestId?: string; sourceIp?: string };

type Deps = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  /** The tenant's keyring seals invitations; the shared one opens members' emails. */
  vault: Pick<Vault, 'keyring' | 'sharedKeyring'>;
  mailer: Mailer;
  clock: Clock;
  publicUrl: URL;
};

/** `keyring`: the shared one (a person's email is theirs, not the tenant's). */
function toMemberView(keyring: Keyring, row: repo.MemberRow): MemberView {
  return {
    userId: row.user_id,
    email: openMemberEmail(keyring, row),
    status: row.status,
    roles: row.roles,
    teams: row.teams,
    joinedAt: row.created_at.toISOString(),
  };
}

function toInvitationView(row: repo.InvitationRow, email: string): InvitationView {
  return {
    id: row.id,
    email,
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
export function createMembersService({ db, audit, vault, mailer, clock, publicUrl }: Deps) {
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
      const id = randomUUID();
      const row = await repo.insertInvitation(scope, {
        id,
        ...sealInvitationEmail(await vault.keyring(scope), id, email),
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
    return toInvitationView(invitation, email);
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

    /** Lists the actor's tenant's members, by email. */
    async listMembers(actor: Actor): Promise<MemberView[]> {
      const members = await withTenant(db, tenantOf(actor), async (scope) => {
        const keyring = await vault.sharedKeyring(scope);
        return (await repo.listMembers(scope, 1000)).map((row) => toMemberView(keyring, row));
      });
      // Emails are sealed, so the database cannot order by them.
      return members.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    },

    /** Lists pending invitations of the actor's tenant, newest first. */
    async listInvitations(actor: Actor): Promise<InvitationView[]> {
      return withTenant(db, tenantOf(actor), async (scope) => {
        const keyring = await vault.keyring(scope);
        const rows = await repo.listPendingInvitations(scope, clock.now());
        return rows.map((row) => toInvitationView(row, openInvitationEmail(keyring, row)));
      });
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
        return toMemberView(await vault.sharedKeyring(scope), updated);
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
    /** Seals invitation emails an older release stored in clear (at start, before serving). */
    async sealLegacyPlaintext(): Promise<void> {
      await sealLegacyInvitations({ db, vault });
    },
  };
}

async function assertAnotherAdmin(scope: TenantScope): Promise<void> {
  if ((await repo.countAdmins(scope)) <= 1)
    throw new AppError('conflict', 'A tenant must keep at least one tenant admin.');
}
