/** Audit actions of the tenants module. */
export type TenantAuditAction = 'tenant.created';
