/**
 * The permission catalog and the roles that bundle it (RBAC). Routes name one permission each; the
 * sign-in code turns a person's roles into the permission set carried by their actor.
 */
import type { Permission } from '../../platform/actor.ts';

/** Every permission the platform knows; a route or role naming anything else is a mistake. */
export const PERMISSIONS = [
  'tenants:create',
  'tenants:list',
  'tenants:read',
  'members:read',
  'members:invite',
  // Change a member's roles and teams, remove or unlock them.
  'members:manage',
  // A signed-in person's own second factors and sessions.
  'account:manage',
  // Held only by a session that has passed the password and owes its second factor.
  'auth:complete-sign-in',
  // Held by a session that must enrol its first factor, and by every signed-in person (with step-up).
  'auth:enrol-factor',
  'audit:read',
  'audit:verify',
  'clients:read',
  'clients:write',
  'cases:read',
  'cases:prepare',
  'cases:decide',
  'data:export',
  // The vault's key state, and key rotation (platform operators).
  'keys:read',
  'keys:rotate',
  // Screening names against the sanctions and PEP lists; the lists' versions; the threshold.
  'screening:search',
  'screening:read',
  'screening:configure',
  // The risk model: read it and the firm-wide assessment; record a client's risk inputs and
  // evaluate them; edit the catalogue, tables, questionnaires and draft models; approve another
  // officer's model (four eyes); override a client's risk level.
  'risk:read',
  'risk:assess',
  'risk:configure',
  'risk:approve',
  'risk:override',
] as const satisfies readonly Permission[];

/** A permission from the catalog. */
export type KnownPermission = (typeof PERMISSIONS)[number];

/** The roles a tenant can grant its members. */
export const TENANT_ROLES = ['tenant_admin', 'compliance_officer', 'analyst', 'auditor'] as const;

/** One of the tenant roles. */
export type TenantRole = (typeof TENANT_ROLES)[number];

/** The platform role of the people who run the installation; it lives outside every tenant. */
export const OPERATOR_ROLE = 'operator';

// Typed against the catalog, so a misspelt permission fails to compile rather than silently
// granting nothing. `account:manage` is absent: every signed-in person gets it, whatever the role.
const TENANT_ROLE_PERMISSIONS: Readonly<Record<TenantRole, readonly KnownPermission[]>> = {
  // Runs the tenant's people and oversight, but does not work cases: that stays with the officers.
  tenant_admin: [
    'tenants:read',
    'members:read',
    'members:invite',
    'members:manage',
    'audit:read',
    'audit:verify',
    'clients:read',
    'cases:read',
    'data:export',
    'screening:read',
    'risk:read',
  ],
  compliance_officer: [
    'tenants:read',
    'clients:read',
    'clients:write',
    'cases:read',
    'cases:prepare',
    'cases:decide',
    'data:export',
    'screening:search',
    'screening:read',
    'screening:configure',
    'risk:read',
    'risk:assess',
    'risk:configure',
    'risk:approve',
    'risk:override',
  ],
  // Prepares cases for an officer to decide: the first pair of eyes, never the last.
  analyst: [
    'tenants:read',
    'clients:read',
    'clients:write',
    'cases:read',
    'cases:prepare',
    'screening:search',
    'screening:read',
    'risk:read',
    'risk:assess',
  ],
  // Read-only, so an external auditor can check everything and change nothing.
  auditor: [
    'tenants:read',
    'audit:read',
    'audit:verify',
    'members:read',
    'clients:read',
    'cases:read',
    'screening:read',
    'risk:read',
  ],
};

/** An operator runs tenants and the audit trail and invites first admins; never sees customer data. */
export const OPERATOR_PERMISSIONS: ReadonlySet<Permission> = new Set<KnownPermission>([
  'tenants:create',
  'tenants:list',
  'tenants:read',
  'audit:read',
  'audit:verify',
  'members:invite',
  'account:manage',
  'keys:read',
  'keys:rotate',
  'screening:read',
]);

/** Whether a value (a stored or submitted role name) is a tenant role. */
export function isTenantRole(value: unknown): value is TenantRole {
  // `includes` rather than a key lookup, so names like `constructor` cannot pass.
  return typeof value === 'string' && (TENANT_ROLES as readonly string[]).includes(value);
}

/** The permissions a member holding these roles gets: their union, plus managing their own account. */
export function permissionsForTenantRoles(roles: Iterable<TenantRole>): Set<Permission> {
  const permissions = new Set<Permission>(['account:manage']);
  for (const role of roles) {
    for (const permission of TENANT_ROLE_PERMISSIONS[role]) permissions.add(permission);
  }
  return permissions;
}

/** One role and what it grants, as the API lists it. */
export type RoleDescription = { role: TenantRole; permissions: KnownPermission[] };

/** The tenant roles a member can be given, each with its permissions in catalog order. */
export function describeRoles(): RoleDescription[] {
  return TENANT_ROLES.map((role) => {
    const granted = permissionsForTenantRoles([role]);
    return { role, permissions: PERMISSIONS.filter((permission) => granted.has(permission)) };
  });
}
