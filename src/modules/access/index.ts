/** The access module's public surface: roles, permissions and the record rules. */
export {
  PERMISSIONS,
  TENANT_ROLES,
  OPERATOR_ROLE,
  OPERATOR_PERMISSIONS,
  isTenantRole,
  permissionsForTenantRoles,
  describeRoles,
  type KnownPermission,
  type TenantRole,
  type RoleDescription,
} from './access.roles.ts';
export {
  decideRecordAccess,
  isSameTenant,
  type AccessDecision,
  type AccessRule,
  type Dataset,
  type RecordAction,
  type RecordAttributes,
  type Sensitivity,
} from './access.policy.ts';
