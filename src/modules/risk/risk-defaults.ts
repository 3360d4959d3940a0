/**
 * A new tenant works on day one: it starts with the default catalogue (client types, services,
 * required documents), the country and industry tables, the due-diligence questionnaire and the
 * default model, published. Installed when the tenant is created, and at start for any tenant
 * that has none yet (tenants created before the risk model existed). Each tenant then owns and
 * edits its copy.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { systemActor } from '../../platform/actor.ts';
import { withPlatform, withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import type { AuditService } from '../audit/index.ts';
import { auditActor } from './risk-deps.ts';

/** The steps that install each part's defaults; each is idempotent and says whether it inserted. */
export type DefaultInstallers = {
  catalog(scope: TenantScope, at: Date): Promise<boolean>;
  questionnaires(scope: TenantScope, at: Date): Promise<boolean>;
  model(scope: TenantScope): Promise<boolean>;
};

const INSTALLER = systemActor('risk-defaults');

/** Installs the defaults for one tenant, unless it has a risk model already. */
export async function installTenantDefaults(
  db: Kysely<Schema>,
  audit: Pick<AuditService, 'record'>,
  installers: DefaultInstallers,
  tenantId: TenantId,
  at: Date,
): Promise<boolean> {
  return withTenant(db, tenantId, async (scope) => {
    // Two processes starting at once must not both install: one waits, then finds the model.
    await sql`select pg_advisory_xact_lock(hashtext(${`risk-defaults:${tenantId}`}))`.execute(scope.trx);
    const existing = await scope.selectFrom('risk_models').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    const catalog = await installers.catalog(scope, at);
    const questionnaires = await installers.questionnaires(scope, at);
    const model = await installers.model(scope);
    await audit.record(scope, [
      {
        action: 'risk.defaults_installed',
        actor: auditActor(INSTALLER),
        outcome: 'success',
        details: { catalog, questionnaires, model },
      },
    ]);
    return true;
  });
}

/** Installs the defaults for every tenant that lacks them; returns how many were set up. */
export async function installMissingDefaults(
  db: Kysely<Schema>,
  audit: Pick<AuditService, 'record'>,
  installers: DefaultInstallers,
  at: Date,
): Promise<number> {
  const tenants = await withPlatform(db, (scope) => scope.trx.selectFrom('tenants').select('id').execute());
  let installed = 0;
  for (const tenant of tenants) {
    if (await installTenantDefaults(db, audit, installers, tenant.id as TenantId, at)) installed += 1;
  }
  return installed;
}
