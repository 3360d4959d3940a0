/** Tenant routes. Creating and listing tenants is for platform operators. */
import { Type } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { CreateTenantBody, TenantParams, TenantResponse } from './tenants.schemas.ts';

const NoQuery = Type.Object({}, { additionalProperties: false });
import type { TenantsService } from './tenants.service.ts';

/** Registers the tenant routes. */
export function registerTenantRoutes(app: HttpServer, tenants: TenantsService): void {
  app.post(
    '/v1/tenants',
    {
      config: { permission: 'tenants:create' },
      schema: { tags: ['tenants'], body: CreateTenantBody, response: { 201: TenantResponse } },
    },
    async (request, reply) => {
      const tenant = await tenants.createTenant(requireActor(request), request.body, {
        requestId: request.id,
        sourceIp: request.ip,
      });
      return reply.status(201).send(tenant);
    },
  );
  app.get(
    '/v1/tenants',
    {
      config: { permission: 'tenants:list' },
      schema: {
        tags: ['tenants'],
        querystring: NoQuery,
        response: { 200: Type.Object({ tenants: Type.Array(TenantResponse) }) },
      },
    },
    async (request) => ({ tenants: await tenants.listTenants(requireActor(request)) }),
  );
  app.get(
    '/v1/tenants/:tenantId',
    {
      config: { permission: 'tenants:read' },
      schema: { tags: ['tenants'], params: TenantParams, response: { 200: TenantResponse } },
    },
    async (request) => tenants.getTenant(requireActor(request), request.params.tenantId),
  );
}
