/**
 * Routes for the firm's catalogue (client types, services, required documents); they also
 * register the country and industry tables' routes and the firm-wide assessment's.
 */
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { registerFirmAssessmentRoutes } from './firm-assessment.routes.ts';
import {
  ClientTypeBody,
  ClientTypeResponse,
  ClientTypesResponse,
  CodeParams,
  DocumentRequirementBody,
  DocumentRequirementResponse,
  DocumentRequirementsResponse,
  ServiceBody,
  ServiceResponse,
  ServicesResponse,
} from './risk-catalog.schemas.ts';
import type { RiskCatalogService } from './risk-catalog.service.ts';
import { registerRiskTablesRoutes } from './risk-tables.routes.ts';

const tags = ['risk'];

const stamped = <T extends { updatedAt: Date }>(entry: T) => ({
  ...entry,
  updatedAt: entry.updatedAt.toISOString(),
});

/** Registers the routes. */
export function registerRiskCatalogRoutes(app: HttpServer, service: RiskCatalogService): void {
  app.get(
    '/v1/risk/client-types',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: ClientTypesResponse } } },
    async (request) => ({ clientTypes: (await service.listClientTypes(requireActor(request))).map(stamped) }),
  );
  app.put(
    '/v1/risk/client-types/:code',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, params: CodeParams, body: ClientTypeBody, response: { 200: ClientTypeResponse } },
    },
    async (request) => {
      const { isArchived = false, ...fields } = request.body;
      const entry = { code: request.params.code, ...fields, isArchived };
      return stamped(await service.saveClientType(requireActor(request), entry));
    },
  );
  app.get(
    '/v1/risk/services',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: ServicesResponse } } },
    async (request) => ({ services: (await service.listServices(requireActor(request))).map(stamped) }),
  );
  app.put(
    '/v1/risk/services/:code',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, params: CodeParams, body: ServiceBody, response: { 200: ServiceResponse } },
    },
    async (request) => {
      const { isArchived = false, ...fields } = request.body;
      const entry = { code: request.params.code, ...fields, isArchived };
      return stamped(await service.saveService(requireActor(request), entry));
    },
  );
  app.get(
    '/v1/risk/document-requirements',
    {
      config: { permission: 'risk:read' },
      schema: { tags, response: { 200: DocumentRequirementsResponse } },
    },
    async (request) => ({
      documentRequirements: (await service.listDocumentRequirements(requireActor(request))).map(stamped),
    }),
  );
  app.put(
    '/v1/risk/document-requirements/:code',
    {
      config: { permission: 'risk:configure' },
      schema: {
        tags,
        params: CodeParams,
        body: DocumentRequirementBody,
        response: { 200: DocumentRequirementResponse },
      },
    },
    async (request) => {
      const { isArchived = false, ...fields } = request.body;
      const entry = { code: request.params.code, ...fields, isArchived };
      return stamped(await service.saveDocumentRequirement(requireActor(request), entry));
    },
  );
  registerRiskTablesRoutes(app, service);
  registerFirmAssessmentRoutes(app, service);
}
