/** Routes for clients: create, read, replace, and look up by name or number. */
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { LegalEntitySchema, NaturalPersonSchema } from './client-data.schemas.ts';
import {
  ClientBody,
  ClientParams,
  ClientResponse,
  ClientsQuery,
  ClientsResponse,
  CreatedResponse,
  PartyEntitySchema,
  PartyPersonSchema,
  STRUCTURE_LIMITS,
  UpdatedResponse,
} from './clients.schemas.ts';
import type { ClientsService } from './clients.service.ts';

const tags = ['clients'];

const byKind = (person: TSchema, entity: TSchema) => ({
  natural_person: Compile(person),
  legal_entity: Compile(entity),
});
const CLIENT_CHECKS = byKind(NaturalPersonSchema, LegalEntitySchema);
const PARTY_CHECKS = byKind(PartyPersonSchema, PartyEntitySchema);

const KIND_MESSAGE = 'must be natural_person or legal_entity';

/** The errors of `data` against the schema its `kind` names ([] when it fits or is no object). */
function errorsForKind(checks: typeof CLIENT_CHECKS, data: unknown, at: string) {
  if (typeof data !== 'object' || data === null) return [];
  const kind = (data as { kind?: unknown }).kind;
  // Without a kind no branch applies: one error, not every field of both kinds.
  if (kind !== 'natural_person' && kind !== 'legal_entity')
    return [{ keyword: 'enum', instancePath: `${at}/kind`, params: {}, message: KIND_MESSAGE }];
  const check = checks[kind];
  if (check.Check(data)) return [];
  return check.Errors(data).map((error) => ({ ...error, instancePath: `${at}${error.instancePath}` }));
}

/**
 * Checks each data object against the one branch its `kind` selects before the union is checked:
 * the union alone would also report every field the other kind lacks. The error takes the shape
 * of the framework's validation error, so the error handler words it like any other.
 */
async function checkDataByKind(request: FastifyRequest): Promise<void> {
  const body = request.body as { data?: unknown; parties?: unknown } | null;
  if (typeof body !== 'object' || body === null) return;
  // Over the limit, the schema refuses the array anyway: check no more entries than it allows.
  const parties = Array.isArray(body.parties)
    ? (body.parties as unknown[]).slice(0, STRUCTURE_LIMITS.parties)
    : [];
  const validation = [
    ...errorsForKind(CLIENT_CHECKS, body.data, '/data'),
    ...parties.flatMap((party, index) =>
      errorsForKind(PARTY_CHECKS, (party as { data?: unknown } | null)?.data, `/parties/${index}/data`),
    ),
  ];
  if (validation.length > 0)
    throw Object.assign(new Error('body does not match its kind'), {
      validation,
      validationContext: 'body',
      statusCode: 400,
    });
}

const present = <T extends { createdAt: Date; updatedAt: Date }>(client: T) => ({
  ...client,
  createdAt: client.createdAt.toISOString(),
  updatedAt: client.updatedAt.toISOString(),
});

/** Registers the routes. */
export function registerClientsRoutes(app: HttpServer, clients: ClientsService): void {
  app.post(
    '/v1/clients',
    {
      config: { permission: 'clients:write' },
      preValidation: checkDataByKind,
      schema: { tags, body: ClientBody, response: { 201: CreatedResponse } },
    },
    async (request, reply) =>
      reply.status(201).send(await clients.createClient(requireActor(request), request.body)),
  );
  app.get(
    '/v1/clients',
    {
      config: { permission: 'clients:read' },
      schema: { tags, querystring: ClientsQuery, response: { 200: ClientsResponse } },
    },
    async (request) => clients.findClients(requireActor(request), request.query),
  );
  app.get(
    '/v1/clients/:clientId',
    {
      config: { permission: 'clients:read' },
      schema: { tags, params: ClientParams, response: { 200: ClientResponse } },
    },
    async (request) =>
      present(await clients.getClient(requireActor(request), request.params.clientId)) as Static<
        typeof ClientResponse
      >,
  );
  app.put(
    '/v1/clients/:clientId',
    {
      config: { permission: 'clients:write' },
      preValidation: checkDataByKind,
      schema: { tags, params: ClientParams, body: ClientBody, response: { 200: UpdatedResponse } },
    },
    async (request) => clients.updateClient(requireActor(request), request.params.clientId, request.body),
  );
}
