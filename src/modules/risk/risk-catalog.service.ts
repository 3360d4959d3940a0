/**
 * The firm's catalogue — client types, services, required documents — its country and industry
 * tables, and the firm-wide risk assessment. Catalogue entries are archived, never deleted: past
 * profiles and evaluations still name them.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import { createFirmAssessmentService } from './firm-assessment.service.ts';
import * as repo from './risk-catalog.repo.ts';
import type { ClientTypeInput, DocumentRequirementInput, ServiceInput } from './risk-catalog.types.ts';
import { auditActor, requireTenant, type RiskDeps } from './risk-deps.ts';
import type { RiskAuditAction } from './risk.events.ts';
import { createRiskTablesService } from './risk-tables.service.ts';

/** The catalogue, tables and firm-wide assessment service. */
export type RiskCatalogService = ReturnType<typeof createRiskCatalogService>;

type Archivable<T> = T & { isArchived: boolean };

const withoutStamp = <T extends repo.CatalogStamp>({ updatedAt: _at, updatedBy: _by, ...entry }: T) => entry;

type AuditValue = string | number | boolean | null;
const auditValue = (value: unknown): AuditValue =>
  Array.isArray(value)
    ? value.join(',')
    : typeof value === 'string'
      ? value.slice(0, 200)
      : (value as AuditValue);

/**
 * What a save changed, field by field (`inherentRiskFrom: 'high', inherentRiskTo: 'low'`): the
 * catalogue has no history table, so the audit trail is where an earlier value stays known.
 */
function changesOf(existing: object | undefined, input: object): Record<string, AuditValue> {
  const changes: Record<string, AuditValue> = {};
  if (!existing) return changes;
  for (const [key, value] of Object.entries(input)) {
    if (key === 'code' || key === 'isArchived') continue;
    const before = (existing as Record<string, unknown>)[key];
    if (isDeepStrictEqual(before, value)) continue;
    changes[`${key}From`] = auditValue(before ?? null);
    changes[`${key}To`] = auditValue(value ?? null);
  }
  return changes;
}

/** Builds the service. */
export function createRiskCatalogService(deps: RiskDeps) {
  const { db, audit, clock } = deps;
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) =>
    withTenant(db, requireTenant(actor), work);

  /** Saves an entry unless it is unchanged, and audits what was saved; returns the entry as stored. */
  async function saveEntry<E extends repo.CatalogStamp>(
    scope: TenantScope,
    actor: Actor,
    input: Archivable<{ code: string }> & Omit<E, keyof repo.CatalogStamp>,
    existing: E | undefined,
    kind: 'client_type' | 'service' | 'document_requirement',
    write: (at: Date) => Promise<void>,
  ): Promise<E> {
    if (existing && isDeepStrictEqual(withoutStamp(existing), input)) return existing;
    const at = clock.now();
    await write(at);
    await audit.record(scope, [
      {
        action: `risk.${kind}_saved` satisfies RiskAuditAction,
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: kind, id: input.code },
        details: {
          code: input.code,
          isCreated: existing === undefined,
          isArchived: input.isArchived,
          ...changesOf(existing, input),
        },
      },
    ]);
    return { ...input, updatedAt: at, updatedBy: actor.id } as unknown as E;
  }

  /** Refuses codes the tenant's catalogue does not have, naming the first one and where it is. */
  async function assertKnownCodes(scope: TenantScope, input: DocumentRequirementInput): Promise<void> {
    const clientTypes = await repo.findClientTypeCodes(scope, input.clientTypes);
    const services = await repo.findServiceCodes(scope, input.services);
    const unknown = [
      ...input.clientTypes.map((code, index) => ({ code, known: clientTypes, field: 'clientTypes', index })),
      ...input.services.map((code, index) => ({ code, known: services, field: 'services', index })),
    ].find((item) => !item.known.has(item.code));
    if (!unknown) return;
    const kind = unknown.field === 'clientTypes' ? 'client types' : 'services';
    const message = `'${unknown.code}' is not one of your ${kind}.`;
    throw new AppError('validation_failed', message, {
      errors: [{ location: 'body', pointer: `/${unknown.field}/${unknown.index}`, message }],
    });
  }

  return {
    listClientTypes: (actor: Actor) => inTenant(actor, (scope) => repo.listClientTypes(scope)),

    /** Creates or replaces a client type. */
    saveClientType: (actor: Actor, input: Archivable<ClientTypeInput>) =>
      inTenant(actor, async (scope) => {
        const [existing] = await repo.listClientTypes(scope, input.code);
        return saveEntry(scope, actor, input, existing, 'client_type', (at) =>
          repo.saveClientType(scope, input, actor.id, at),
        );
      }),

    listServices: (actor: Actor) => inTenant(actor, (scope) => repo.listServices(scope)),

    /** Creates or replaces a service. */
    saveService: (actor: Actor, input: Archivable<ServiceInput>) =>
      inTenant(actor, async (scope) => {
        const [existing] = await repo.listServices(scope, input.code);
        return saveEntry(scope, actor, input, existing, 'service', (at) =>
          repo.saveService(scope, input, actor.id, at),
        );
      }),

    listDocumentRequirements: (actor: Actor) =>
      inTenant(actor, (scope) => repo.listDocumentRequirements(scope)),

    /** Creates or replaces a required document; its client types and services must be in the catalogue. */
    saveDocumentRequirement: (actor: Actor, input: Archivable<DocumentRequirementInput>) =>
      inTenant(actor, async (scope) => {
        await assertKnownCodes(scope, input);
        const [existing] = await repo.listDocumentRequirements(scope, input.code);
        return saveEntry(scope, actor, input, existing, 'document_requirement', (at) =>
          repo.saveDocumentRequirement(scope, input, actor.id, at),
        );
      }),

    ...createRiskTablesService(deps),
    ...createFirmAssessmentService(deps),
  };
}
