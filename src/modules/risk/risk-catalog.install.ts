/**
 * Installs the default catalogue and tables into a tenant: only what it lacks, so a tenant's own
 * edits survive a later install. Read through risk-catalog.repo.ts.
 */
import type { TenantScope } from '../../platform/db/scopes.ts';
import type {
  ClientTypeInput,
  CountryLevelInput,
  DocumentRequirementInput,
  IndustryLevelInput,
  ServiceInput,
} from './risk-catalog.types.ts';
import {
  insertMissingCountryLevels,
  insertMissingIndustryLevels,
  insertTableChanges,
} from './risk-tables.repo.ts';

/** Everything a tenant starts with. */
export type CatalogDefaults = {
  clientTypes: readonly ClientTypeInput[];
  services: readonly ServiceInput[];
  documentRequirements: readonly DocumentRequirementInput[];
  countries: readonly CountryLevelInput[];
  industries: readonly IndustryLevelInput[];
};

// The defaults were written by nobody: the first entries of the tables' history say so.
const INSTALL_REASON = 'Installed with the default tables.';

async function insertMissingCatalog(
  scope: TenantScope,
  defaults: CatalogDefaults,
  at: Date,
): Promise<number> {
  const stamped = { is_archived: false, updated_at: at, updated_by: null };
  let inserted = 0;
  if (defaults.clientTypes.length > 0) {
    const rows = defaults.clientTypes.map((entry) => ({
      code: entry.code,
      name: entry.name,
      kind: entry.kind,
      required_fields: [...entry.requiredFields],
      questionnaires: [...entry.questionnaires],
      ...stamped,
    }));
    inserted += (
      await scope
        .insertInto('risk_client_types', rows)
        .onConflict((conflict) => conflict.columns(['tenant_id', 'code']).doNothing())
        .returning('code')
        .execute()
    ).length;
  }
  if (defaults.services.length > 0) {
    const rows = defaults.services.map((entry) => ({
      code: entry.code,
      name: entry.name,
      inherent_risk: entry.inherentRisk,
      review_interval_months: entry.reviewIntervalMonths,
      ...stamped,
    }));
    inserted += (
      await scope
        .insertInto('risk_services', rows)
        .onConflict((conflict) => conflict.columns(['tenant_id', 'code']).doNothing())
        .returning('code')
        .execute()
    ).length;
  }
  return inserted + (await insertMissingDocuments(scope, defaults.documentRequirements, at));
}

async function insertMissingDocuments(
  scope: TenantScope,
  documents: readonly DocumentRequirementInput[],
  at: Date,
): Promise<number> {
  if (documents.length === 0) return 0;
  const rows = documents.map((entry) => ({
    code: entry.code,
    name: entry.name,
    client_types: [...entry.clientTypes],
    services: [...entry.services],
    validity_months: entry.validityMonths,
    is_archived: false,
    updated_at: at,
    updated_by: null,
  }));
  const inserted = await scope
    .insertInto('risk_document_requirements', rows)
    .onConflict((conflict) => conflict.columns(['tenant_id', 'code']).doNothing())
    .returning('code')
    .execute();
  return inserted.length;
}

/**
 * Inserts the defaults the tenant does not have yet (an entry it already has, edited or not, is
 * left alone); true when anything was inserted. Each inserted country and industry starts its
 * history, so the level every decision used stays known.
 */
export async function installCatalogDefaults(
  scope: TenantScope,
  defaults: CatalogDefaults,
  at: Date,
): Promise<boolean> {
  const catalog = await insertMissingCatalog(scope, defaults, at);
  const countries = await insertMissingCountryLevels(scope, defaults.countries, at);
  const industries = await insertMissingIndustryLevels(scope, defaults.industries, at);
  const first = { previous: null, reason: INSTALL_REASON, changedAt: at, changedBy: null };
  await insertTableChanges(scope, [
    ...countries.map(({ countryCode, level, flags, note }) => ({
      ...first,
      table: 'country' as const,
      key: countryCode,
      current: { level, flags, note },
    })),
    ...industries.map(({ industryCode, name, level, note }) => ({
      ...first,
      table: 'industry' as const,
      key: industryCode,
      current: { name, level, note },
    })),
  ]);
  return catalog + countries.length + industries.length > 0;
}
