/** Routes for the country and industry risk tables and their history. */
import { Type, type Static } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { AppError } from '../../platform/errors.ts';
import type { TableChange } from './risk-tables.repo.ts';
import {
  CountriesResponse,
  CountryBody,
  CountryHistoryResponse,
  CountryParams,
  CountrySavedResponse,
  HistoryQuery,
  IndustriesResponse,
  IndustryBody,
  IndustryHistoryResponse,
  IndustryParams,
  IndustrySavedResponse,
  RemovalBody,
  RemovalQuery,
} from './risk-tables.schemas.ts';
import type { RiskTablesService } from './risk-tables.service.ts';

const tags = ['risk'];

const stamped = <T extends { updatedAt: Date }>(entry: T) => ({
  ...entry,
  updatedAt: entry.updatedAt.toISOString(),
});

// The stored values were written by this module in exactly the response's shape.
const presentChanges = <T>(changes: TableChange[]) => ({
  changes: changes.map(({ id, previous, current, reason, changedAt, changedBy }) => ({
    id,
    previous,
    current,
    reason,
    changedAt: changedAt.toISOString(),
    changedBy,
  })) as T,
});

/** Registers the routes. */
export function registerRiskTablesRoutes(app: HttpServer, tables: RiskTablesService): void {
  app.get(
    '/v1/risk/countries',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: CountriesResponse } } },
    async (request) => ({ countries: (await tables.listCountryLevels(requireActor(request))).map(stamped) }),
  );
  app.put(
    '/v1/risk/countries/:countryCode',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, params: CountryParams, body: CountryBody, response: { 200: CountrySavedResponse } },
    },
    async (request) => {
      const { level, flags = [], note = '', reason } = request.body;
      const { countryCode } = request.params;
      return stamped(
        await tables.setCountryLevel(requireActor(request), { countryCode, level, flags, note }, reason),
      );
    },
  );
  app.get(
    '/v1/risk/countries/:countryCode/history',
    {
      config: { permission: 'risk:read' },
      schema: {
        tags,
        params: CountryParams,
        querystring: HistoryQuery,
        response: { 200: CountryHistoryResponse },
      },
    },
    async (request) =>
      presentChanges<Static<typeof CountryHistoryResponse>['changes']>(
        await tables.countryHistory(requireActor(request), request.params.countryCode, request.query.limit),
      ),
  );
  app.get(
    '/v1/risk/industries',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: IndustriesResponse } } },
    async (request) => ({
      industries: (await tables.listIndustryLevels(requireActor(request))).map(stamped),
    }),
  );
  app.put(
    '/v1/risk/industries/:industryCode',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, params: IndustryParams, body: IndustryBody, response: { 200: IndustrySavedResponse } },
    },
    async (request) => {
      const { name, level, note = '', reason } = request.body;
      const { industryCode } = request.params;
      return stamped(
        await tables.setIndustryLevel(requireActor(request), { industryCode, name, level, note }, reason),
      );
    },
  );
  app.delete(
    '/v1/risk/industries/:industryCode',
    {
      config: { permission: 'risk:configure' },
      schema: {
        tags,
        params: IndustryParams,
        body: RemovalBody,
        querystring: RemovalQuery,
        response: { 204: Type.Null({ description: 'Removed' }) },
      },
    },
    async (request, reply) => {
      const reason = request.body?.reason ?? request.query.reason;
      if (reason === undefined) {
        throw new AppError('validation_failed', 'Give the reason for removing the industry.', {
          errors: [{ location: 'body', pointer: '/reason', message: 'is required' }],
        });
      }
      await tables.removeIndustryLevel(requireActor(request), request.params.industryCode, reason);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/v1/risk/industries/:industryCode/history',
    {
      config: { permission: 'risk:read' },
      schema: {
        tags,
        params: IndustryParams,
        querystring: HistoryQuery,
        response: { 200: IndustryHistoryResponse },
      },
    },
    async (request) =>
      presentChanges<Static<typeof IndustryHistoryResponse>['changes']>(
        await tables.industryHistory(requireActor(request), request.params.industryCode, request.query.limit),
      ),
  );
}
