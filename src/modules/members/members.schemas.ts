/** Request and response schemas of the members module (responses are whitelists). */
import { Type, type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid', maxLength: 36 });

/** A tenant role name. */
export const RoleName = Type.Union([
  Type.Literal('tenant_admin'),
  Type.Literal('compliance_officer'),
  Type.Literal('analyst'),
  Type.Literal('auditor'),
]);

const Roles = Type.Array(RoleName, { minItems: 1, maxItems: 4, uniqueItems: true });
const Teams = Type.Array(Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9][a-z0-9_-]*$' }), {
  maxItems: 20,
  uniqueItems: true,
});

/** An email address as accepted at invitation. */
export const Email = Type.String({ minLength: 3, maxLength: 254, format: 'email' });

/** Body of POST /v1/invitations. */
export const InviteBody = Type.Object(
  { email: Email, roles: Roles, teams: Type.Optional(Teams) },
  { additionalProperties: false },
);
/** Input of an invitation. */
export type InviteInput = Static<typeof InviteBody>;

/** Body of POST /v1/tenants/:tenantId/invitations (operators invite a first admin). */
export const InviteAdminBody = Type.Object({ email: Email }, { additionalProperties: false });

/** Body of PATCH /v1/members/:userId. */
export const UpdateMemberBody = Type.Object(
  { roles: Type.Optional(Roles), teams: Type.Optional(Teams) },
  { additionalProperties: false, minProperties: 1 },
);
/** Input of a member update. */
export type UpdateMemberInput = Static<typeof UpdateMemberBody>;

/** Path parameters naming a member. */
export const MemberParams = Type.Object({ userId: Uuid }, { additionalProperties: false });
/** Path parameters naming an invitation. */
export const InvitationParams = Type.Object({ invitationId: Uuid }, { additionalProperties: false });
/** Path parameters naming a tenant. */
export const TenantParams = Type.Object({ tenantId: Uuid }, { additionalProperties: false });

/** A member as returned. */
export const MemberResponse = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  status: Type.String(),
  roles: Type.Array(Type.String()),
  teams: Type.Array(Type.String()),
  joinedAt: Type.String({ format: 'date-time' }),
});
/** A member as returned. */
export type MemberView = Static<typeof MemberResponse>;

/** An invitation as returned (never its token). */
export const InvitationResponse = Type.Object({
  id: Type.String(),
  email: Type.String(),
  roles: Type.Array(Type.String()),
  teams: Type.Array(Type.String()),
  expiresAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});
/** An invitation as returned. */
export type InvitationView = Static<typeof InvitationResponse>;
