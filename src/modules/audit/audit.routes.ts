/**
 * Audit routes: a tenant reads its own log and checks its chain. Operators (no tenant) see the
 * platform's chain.
 */
import { Type } from 'typebox';
import type { HttpServer } from '../../http/http-server.ts';
import { requireActor } from '../../http/auth-guard.ts';
import type { Actor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { PLATFORM_SCOPE_ID, type TenantId } from '../../platform/db/scopes.ts';
import type { AuditService } from './audit.service.ts';

const Entry = Type.Object({
  seq: Type.String(),
  id: Type.String({ format: 'uuid' }),
  occurredAt: Type.String({ format: 'date-time' }),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  sourceIp: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});

const ListQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

const Verification = Type.Object({
  entriesChecked: Type.Integer(),
  intact: Type.Boolean(),
  broken: Type.Union([
    Type.Null(),
    Type.Object({
      seq: Type.String(),
      id: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
      message: Type.String(),
    }),
  ]),
});

// A tenant's people see their tenant's chain; only platform actors see the platform's.
function chainOf(actor: Actor): TenantId {
  if (actor.tenantId !== null) return actor.tenantId;
  if (actor.kind === 'operator' || actor.kind === 'system') return PLATFORM_SCOPE_ID as TenantId;
  throw new AppError('forbidden', 'This account works in no tenant.');
}

/** Registers the audit routes. */
export function registerAuditRoutes(app: HttpServer, audit: AuditService): void {
  app.get(
    '/v1/audit/entries',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        querystring: ListQuery,
        response: { 200: Type.Object({ entries: Type.Array(Entry) }) },
      },
    },
    async (request) => {
      const beforeSeq = request.query.before === undefined ? null : BigInt(request.query.before);
      const entries = await audit.listEntries(chainOf(requireActor(request)), {
        beforeSeq,
        limit: request.query.limit ?? 100,
      });
      return {
        entries: entries.map((entry) => ({
          ...entry,
          seq: entry.seq.toString(),
          occurredAt: entry.occurredAt.toISOString(),
          hash: entry.hash.toString('hex'),
        })),
      };
    },
  );
  app.post(
    '/v1/audit/verifications',
    {
      config: { permission: 'audit:verify' },
      schema: {
        tags: ['audit'],
        response: { 200: Verification },
      },
    },
    async (request) => {
      const result = await audit.verifyChain(chainOf(requireActor(request)));
      return {
        entriesChecked: result.entriesChecked,
        intact: result.broken === null,
        broken: result.broken ? { ...result.broken, seq: result.broken.seq.toString() } : null,
      };
    },
  );
}
