/**
 * Where the members module's personal values are sealed. An invitation's email is the tenant's
 * data: it is sealed with the tenant's keyring, so shredding the tenant makes it unreadable. A
 * member's email belongs to the person and is sealed (by the auth module) with the shared keyring.
 */
import type { FieldPlace, Keyring, SealedTable } from '../vault/index.ts';

/** The members module's sealed columns, for key rotation and re-encryption. */
export const MEMBERS_SEALED_TABLES: SealedTable[] = [
  { table: 'invitations', scope: 'tenant', columns: ['email_sealed'] },
];

const invitationPlace = (invitationId: string): FieldPlace => ({
  table: 'invitations',
  column: 'email_sealed',
  rowId: invitationId,
});

// The auth module seals people's emails at this place; both must name the same column.
const userEmailPlace = (userId: string): FieldPlace => ({
  table: 'users',
  column: 'email_sealed',
  rowId: userId,
});

/** Seals an invitation's email with the tenant's keyring, with its blind index. */
export function sealInvitationEmail(
  keyring: Keyring,
  invitationId: string,
  email: string,
): { email_sealed: Buffer; email_index: Buffer } {
  return {
    email_sealed: keyring.seal(invitationPlace(invitationId), 'text', email),
    email_index: keyring.blindIndex('invitations.email', 'email', email),
  };
}

/** Opens an invitation's email with its tenant's keyring. */
export function openInvitationEmail(
  keyring: Keyring,
  invitation: { id: string; email_sealed: Buffer | null },
): string {
  if (invitation.email_sealed === null)
    throw new Error(`The email of invitation ${invitation.id} is not sealed`);
  return keyring.open(invitationPlace(invitation.id), 'text', invitation.email_sealed);
}

/** Opens a member's email with the shared keyring. */
export function openMemberEmail(
  keyring: Keyring,
  member: { user_id: string; email_sealed: Buffer | null },
): string {
  if (member.email_sealed === null) throw new Error(`The email of user ${member.user_id} is not sealed`);
  return keyring.open(userEmailPlace(member.user_id), 'text', member.email_sealed);
}
