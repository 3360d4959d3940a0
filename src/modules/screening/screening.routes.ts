/** Screening routes: search and batch screening for a tenant, list status and deltas, the threshold. */
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import type { ScreeningQuery } from './match-search.ts';
import {
  BatchBody,
  BatchResponse,
  ChangesResponse,
  ListsResponse,
  SearchBody,
  SearchResponse,
  SettingsBody,
  SettingsResponse,
  VersionParams,
  type ScreeningQueryInput,
} from './screening.schemas.ts';
import type { ScreeningService } from './screening.service.ts';

const toQuery = ({ countries, ...query }: ScreeningQueryInput): ScreeningQuery => ({
  ...query,
  ...(countries ? { countries: countries.map((country) => country.toUpperCase()) } : {}),
});

// A full batch of 10,000 queries is about 2 MB of JSON.
const BATCH_BODY_LIMIT = 4 * 1024 * 1024;

/** Registers the screening routes. */
export function registerScreeningRoutes(app: HttpServer, screening: ScreeningService): void {
  app.post(
    '/v1/screening/search',
    {
      config: { permission: 'screening:search' },
      schema: { tags: ['screening'], body: SearchBody, response: { 200: SearchResponse } },
    },
    async (request) => {
      const { threshold, lists, ...query } = request.body;
      const result = await screening.screen(requireActor(request), {
        queries: [toQuery(query)],
        ...(threshold !== undefined ? { threshold } : {}),
        ...(lists ? { lists } : {}),
      });
      return { threshold: result.threshold, hits: result.results[0] ?? [] };
    },
  );
  app.post(
    '/v1/screening/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      config: { permission: 'screening:search' },
      schema: { tags: ['screening'], body: BatchBody, response: { 200: BatchResponse } },
    },
    async (request) => {
      const { queries, threshold, lists } = request.body;
      const result = await screening.screen(requireActor(request), {
        queries: queries.map(toQuery),
        ...(threshold !== undefined ? { threshold } : {}),
        ...(lists ? { lists } : {}),
      });
      return { threshold: result.threshold, results: result.results.map((hits) => ({ hits })) };
    },
  );
  app.get(
    '/v1/screening/lists',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], response: { 200: ListsResponse } },
    },
    async () => screening.listStatus(),
  );
  app.get(
    '/v1/screening/lists/:listId/versions/:versionId/changes',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], params: VersionParams, response: { 200: ChangesResponse } },
    },
    async (request) => ({
      changes: await screening.listChanges(request.params.listId, request.params.versionId),
    }),
  );
  app.get(
    '/v1/screening/settings',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], response: { 200: SettingsResponse } },
    },
    async (request) => screening.getSettings(requireActor(request)),
  );
  app.put(
    '/v1/screening/settings',
    {
      config: { permission: 'screening:configure', requiresRecentSecondFactor: true },
      schema: { tags: ['screening'], body: SettingsBody, response: { 200: SettingsResponse } },
    },
    async (request) => screening.setThreshold(requireActor(request), request.body.threshold),
  );
}
