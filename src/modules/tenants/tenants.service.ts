/** Use cases of tenants: create (platform operators, the CLI), read and list. */
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.ts';
import { withPlatform, withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { canReadTenant, isPlatformActor } from './tenants.policy.ts';
import * as repo from './tenants.repo.ts';
import type { CreateTenantInput, TenantView } from './tenants.schemas.ts';
import type { TenantAuditAction } from './tenants.events.ts';

/** Where a request came from, for the audit record. */
export type RequestOrigin = { requestId?: string; sourceIp?: string };

type Deps = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  /** Sets up a new tenant in the other modules (the risk model's defaults), after it is committed. */
  onTenantCreated?: (tenantId: TenantId) => Promise<void>;
};

function toView(row: repo.TenantRow): TenantView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

const CREATED: TenantAuditAction = 'tenant.created';

// A permission alone is not enough to work across tenants: the actor must belong to the platform.
function assertPlatformActor(actor: Actor): void {
  if (!isPlatformActor(actor)) throw new AppError('forbidden', 'Only platform operators can do this.');
}

/** The tenants service. */
export type TenantsService = ReturnType<typeof createTenantsService>;

/** Creates the tenants service. */
export function createTenantsService({ db, audit, onTenantCreated }: Deps) {
  return {
    /** Creates a tenant and records it in the platform's audit chain, in one transaction. */
    async createTenant(
      actor: Actor,
      input: CreateTenantInput,
      origin: RequestOrigin = {},
    ): Promise<TenantView> {
      assertPlatformActor(actor);
      let created: TenantView;
      try {
        created = await withPlatform(db, async (scope) => {
          const row = await repo.insertTenant(scope, { slug: input.slug, name: input.name.trim() });
          await audit.record(scope, [
            {
              action: CREATED,
              actor: { kind: actor.kind, id: actor.id },
              outcome: 'success',
              target: { type: 'tenant', id: row.id },
              ...origin,
            },
          ]);
          return toView(row);
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('conflict', `A tenant with the slug "${input.slug}" already exists.`);
        throw error;
      }
      // A failure here leaves a working tenant; the start-up pass installs what is missing.
      await onTenantCreated?.(created.id as TenantId);
      return created;
    },

    /** Reads one tenant; another tenant's id answers not_found, like an unknown one. */
    async getTenant(actor: Actor, tenantId: string): Promise<TenantView> {
      if (!canReadTenant(actor, tenantId)) throw new AppError('not_found', 'No such tenant.');
      const read = (scope: TenantScope) => repo.findTenant(scope, tenantId);
      const row =
        actor.tenantId === null ? await withPlatform(db, read) : await withTenant(db, actor.tenantId, read);
      if (!row) throw new AppError('not_found', 'No such tenant.');
      return toView(row);
    },

    /** Lists tenants (platform actors only). */
    async listTenants(actor: Actor, limit = 500): Promise<TenantView[]> {
      assertPlatformActor(actor);
      return (await withPlatform(db, (scope) => repo.listTenants(scope, limit))).map(toView);
    },
  };
}
