/**
 * SQL for the firm's catalogue — client types, services, required documents (tenant scope first).
 * The rest of the module reads the catalogue and the tables, and installs the defaults, through
 * the functions exported here.
 */
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { ClientTypeInput, DocumentRequirementInput, ServiceInput } from './risk-catalog.types.ts';

export { listCountryLevels, listIndustryLevels } from './risk-tables.repo.ts';
export { installCatalogDefaults, type CatalogDefaults } from './risk-catalog.install.ts';

/** Whether an entry is archived, and when and by whom it was last changed (null: installed by default). */
export type CatalogStamp = { isArchived: boolean; updatedAt: Date; updatedBy: string | null };
/** A client type as stored. */
export type ClientTypeEntry = ClientTypeInput & CatalogStamp;
/** A service as stored. */
export type ServiceEntry = ServiceInput & CatalogStamp;
/** A required document as stored. */
export type DocumentRequirementEntry = DocumentRequirementInput & CatalogStamp;

const stamp = (row: { is_archived: boolean; updated_at: Date; updated_by: string | null }): CatalogStamp => ({
  isArchived: row.is_archived,
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
});
const STAMP_COLUMNS = ['is_archived', 'updated_at', 'updated_by'] as const;
const CLIENT_TYPE_COLUMNS = [
  'code',
  'name',
  'kind',
  'required_fields',
  'questionnaires',
  ...STAMP_COLUMNS,
] as const;
const SERVICE_COLUMNS = [
  'code',
  'name',
  'inherent_risk',
  'review_interval_months',
  ...STAMP_COLUMNS,
] as const;
const DOCUMENT_COLUMNS = [
  'code',
  'name',
  'client_types',
  'services',
  'validity_months',
  ...STAMP_COLUMNS,
] as const;

/** The tenant's client types (archived ones too), by code. */
export async function listClientTypes(scope: TenantScope, code?: string): Promise<ClientTypeEntry[]> {
  let query = scope.selectFrom('risk_client_types').select(CLIENT_TYPE_COLUMNS).orderBy('code');
  if (code !== undefined) query = query.where('code', '=', code);
  const rows = await query.execute();
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    kind: row.kind,
    requiredFields: row.required_fields,
    questionnaires: row.questionnaires,
    ...stamp(row),
  }));
}

/** The tenant's services (archived ones too), by code. */
export async function listServices(scope: TenantScope, code?: string): Promise<ServiceEntry[]> {
  let query = scope.selectFrom('risk_services').select(SERVICE_COLUMNS).orderBy('code');
  if (code !== undefined) query = query.where('code', '=', code);
  const rows = await query.execute();
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    inherentRisk: row.inherent_risk,
    reviewIntervalMonths: row.review_interval_months,
    ...stamp(row),
  }));
}

/** The tenant's required documents (archived ones too), by code. */
export async function listDocumentRequirements(
  scope: TenantScope,
  code?: string,
): Promise<DocumentRequirementEntry[]> {
  let query = scope.selectFrom('risk_document_requirements').select(DOCUMENT_COLUMNS).orderBy('code');
  if (code !== undefined) query = query.where('code', '=', code);
  const rows = await query.execute();
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    clientTypes: row.client_types,
    services: row.services,
    validityMonths: row.validity_months,
    ...stamp(row),
  }));
}

/** Which of `codes` are client types (any, archived too) of the tenant. */
export async function findClientTypeCodes(scope: TenantScope, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await scope
    .selectFrom('risk_client_types')
    .select('code')
    .where('code', 'in', codes)
    .execute();
  return new Set(rows.map((row) => row.code));
}

/** Which of `codes` are services (any, archived too) of the tenant. */
export async function findServiceCodes(scope: TenantScope, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await scope.selectFrom('risk_services').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((row) => row.code));
}

/** Creates or replaces a client type. */
export async function saveClientType(
  scope: TenantScope,
  entry: ClientTypeInput & { isArchived: boolean },
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    name: entry.name,
    kind: entry.kind,
    required_fields: [...entry.requiredFields],
    questionnaires: [...entry.questionnaires],
    is_archived: entry.isArchived,
    updated_at: at,
    updated_by: by,
  };
  await scope
    .insertInto('risk_client_types', { code: entry.code, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'code']).doUpdateSet(values))
    .execute();
}

/** Creates or replaces a service. */
export async function saveService(
  scope: TenantScope,
  entry: ServiceInput & { isArchived: boolean },
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    name: entry.name,
    inherent_risk: entry.inherentRisk,
    review_interval_months: entry.reviewIntervalMonths,
    is_archived: entry.isArchived,
    updated_at: at,
    updated_by: by,
  };
  await scope
    .insertInto('risk_services', { code: entry.code, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'code']).doUpdateSet(values))
    .execute();
}

/** Creates or replaces a required document. */
export async function saveDocumentRequirement(
  scope: TenantScope,
  entry: DocumentRequirementInput & { isArchived: boolean },
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    name: entry.name,
    client_types: [...entry.clientTypes],
    services: [...entry.services],
    validity_months: entry.validityMonths,
    is_archived: entry.isArchived,
    updated_at: at,
    updated_by: by,
  };
  await scope
    .insertInto('risk_document_requirements', { code: entry.code, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'code']).doUpdateSet(values))
    .execute();
}
