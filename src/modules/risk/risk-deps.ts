/** What the risk module's services are built from, and the tenant check they share. */
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TenantId, TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { Vault } from '../vault/index.ts';

/** The risk module's dependencies. */
export type RiskDeps = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  vault: Pick<Vault, 'keyring'>;
  /**
   * Called inside the transaction that recorded new risk inputs for a client (a document's status,
   * questionnaire answers), so the client's open case is checked again on them.
   */
  onClientInputsChanged?: (scope: TenantScope, clientId: string) => Promise<void>;
};

/** The actor's tenant; the risk model exists only inside a tenant. */
export function requireTenant(actor: Actor): TenantId {
  if (!actor.tenantId) throw new AppError('forbidden', 'The risk model belongs to a tenant; sign in to one.');
  return actor.tenantId;
}

/** The audit actor of an actor. */
export const auditActor = (actor: Actor) => ({ kind: actor.kind, id: actor.id });
