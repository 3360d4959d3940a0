/** The members module's public surface. */
export { createMembersService, type MembersService, INVITATION_TTL_MS } from './members.service.ts';
export { registerMemberRoutes } from './members.routes.ts';
export { Email } from './members.schemas.ts';
export {
  findMembership,
  listMembershipsOfUser,
  findUsableInvitation,
  markInvitationAccepted,
  upsertMembership,
  type MembershipRow,
  type InvitationRow,
} from './members.repo.ts';
export { MEMBERS_SEALED_TABLES, openInvitationEmail } from './members.sealing.ts';
export type { MemberAuditAction } from './members.events.ts';
