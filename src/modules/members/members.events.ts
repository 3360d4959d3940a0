/** Audit actions of the members module (recorded in the tenant's chain). */
export type MemberAuditAction =
  | 'member.invited'
  | 'member.joined'
  | 'member.roles_changed'
  | 'member.removed'
  | 'invitation.revoked'
  | 'member.unlocked';
