/** The tenants module's public surface. */
export { createTenantsService, type TenantsService } from './tenants.service.ts';
export { registerTenantRoutes } from './tenants.routes.ts';
export { CreateTenantBody, type TenantView, type CreateTenantInput } from './tenants.schemas.ts';
