/** SQL for clients' risk profiles, document statuses, evaluations and overrides (tenant scope first). */
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { RiskEvaluationsTable } from '../../platform/db/schema-risk.ts';
import type { Value } from './expression-compile.ts';
import type { DocumentStatus, RiskProfile } from './risk-facts.ts';
import type { RiskLevel } from './risk-model.schema.ts';

type ProfileRow = {
  client_id: string;
  client_type: string;
  country_code: string | null;
  industry_code: string | null;
  services: string[];
  facts: Record<string, unknown>;
};

const toProfile = (row: ProfileRow): RiskProfile => ({
  clientId: row.client_id,
  clientType: row.client_type,
  countryCode: row.country_code,
  industryCode: row.industry_code,
  services: row.services,
  facts: row.facts as Record<string, Value>,
});

const PROFILE_COLUMNS = [
  'client_id',
  'client_type',
  'country_code',
  'industry_code',
  'services',
  'facts',
] as const;

/** A client's profile, or null; `forUpdate` serialises writers of one client. */
export async function findProfile(
  scope: TenantScope,
  clientId: string,
  forUpdate = false,
): Promise<RiskProfile | null> {
  let query = scope
    .selectFrom('risk_client_profiles')
    .select(PROFILE_COLUMNS)
    .where('client_id', '=', clientId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toProfile(row) : null;
}

/** Every profile of the tenant (the dry run reads them all at once). */
export async function listProfiles(scope: TenantScope): Promise<RiskProfile[]> {
  const rows = await scope
    .selectFrom('risk_client_profiles')
    .select(PROFILE_COLUMNS)
    .orderBy('client_id')
    .execute();
  return rows.map(toProfile);
}

/** Creates or replaces a client's profile. */
export async function saveProfile(
  scope: TenantScope,
  profile: RiskProfile,
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    client_type: profile.clientType,
    country_code: profile.countryCode,
    industry_code: profile.industryCode,
    services: [...profile.services],
    facts: JSON.stringify(profile.facts),
    updated_at: at,
    updated_by: by,
  };
  await scope
    .insertInto('risk_client_profiles', { client_id: profile.clientId, created_at: at, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'client_id']).doUpdateSet(values))
    .execute();
}

/** Records a document's status for a client. */
export async function saveDocumentStatus(
  scope: TenantScope,
  clientId: string,
  document: DocumentStatus,
  by: string,
  at: Date,
): Promise<void> {
  const values = { status: document.status, expires_on: document.expiresOn, updated_at: at, updated_by: by };
  await scope
    .insertInto('risk_client_documents', {
      client_id: clientId,
      requirement_code: document.requirementCode,
      ...values,
    })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'client_id', 'requirement_code']).doUpdateSet(values),
    )
    .execute();
}

/** Document statuses by client (of one client, or of all). */
export async function listDocumentStatuses(
  scope: TenantScope,
  clientId?: string,
): Promise<Map<string, DocumentStatus[]>> {
  let query = scope
    .selectFrom('risk_client_documents')
    .select(['client_id', 'requirement_code', 'status', 'expires_on']);
  if (clientId) query = query.where('client_id', '=', clientId);
  const byClient = new Map<string, DocumentStatus[]>();
  for (const row of await query.execute()) {
    const list = byClient.get(row.client_id) ?? [];
    list.push({
      requirementCode: row.requirement_code,
      status: row.status,
      expiresOn: normaliseDate(row.expires_on),
    });
    byClient.set(row.client_id, list);
  }
  return byClient;
}

// node-postgres returns `date` columns as Date objects at local midnight, PGlite as text.
function normaliseDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

/** A stored evaluation. */
export type StoredEvaluation = {
  id: string;
  clientId: string;
  modelId: string;
  modelVersion: number;
  facts: Record<string, Value>;
  result: unknown;
  level: RiskLevel;
  disposition: RiskEvaluationsTable['disposition'];
  overrideId: string | null;
  evaluatedAt: Date;
  evaluatedBy: string | null;
};

/** Stores an evaluation (insert-only). */
export async function insertEvaluation(scope: TenantScope, evaluation: StoredEvaluation): Promise<void> {
  await scope
    .insertInto('risk_evaluations', {
      id: evaluation.id,
      client_id: evaluation.clientId,
      model_id: evaluation.modelId,
      model_version: evaluation.modelVersion,
      facts: JSON.stringify(evaluation.facts),
      result: JSON.stringify(evaluation.result),
      level: evaluation.level,
      disposition: evaluation.disposition,
      override_id: evaluation.overrideId,
      evaluated_at: evaluation.evaluatedAt,
      evaluated_by: evaluation.evaluatedBy,
    })
    .execute();
}

const EVALUATION_COLUMNS = [
  'id',
  'client_id',
  'model_id',
  'model_version',
  'facts',
  'result',
  'level',
  'disposition',
  'override_id',
  'evaluated_at',
  'evaluated_by',
] as const;

const toEvaluation = (row: Record<(typeof EVALUATION_COLUMNS)[number], unknown>): StoredEvaluation => ({
  id: row.id as string,
  clientId: row.client_id as string,
  modelId: row.model_id as string,
  modelVersion: row.model_version as number,
  facts: row.facts as Record<string, Value>,
  result: row.result,
  level: row.level as RiskLevel,
  disposition: row.disposition as StoredEvaluation['disposition'],
  overrideId: row.override_id as string | null,
  evaluatedAt: row.evaluated_at as Date,
  evaluatedBy: row.evaluated_by as string | null,
});

/** One evaluation, or null. */
export async function findEvaluation(scope: TenantScope, id: string): Promise<StoredEvaluation | null> {
  const row = await scope
    .selectFrom('risk_evaluations')
    .select(EVALUATION_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toEvaluation(row) : null;
}

/** A client's evaluations, newest first. */
export async function listEvaluations(
  scope: TenantScope,
  clientId: string,
  limit: number,
): Promise<StoredEvaluation[]> {
  const rows = await scope
    .selectFrom('risk_evaluations')
    .select(EVALUATION_COLUMNS)
    .where('client_id', '=', clientId)
    .orderBy('evaluated_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toEvaluation);
}

/** An override as stored (its reason stays sealed here). */
export type StoredOverride = {
  id: string;
  clientId: string;
  level: RiskLevel;
  reasonSealed: Buffer;
  expiresAt: Date;
  createdAt: Date;
  createdBy: string;
};

/** The client's override in force at `now`, or null. */
export async function findActiveOverride(
  scope: TenantScope,
  clientId: string,
  now: Date,
): Promise<StoredOverride | null> {
  const row = await scope
    .selectFrom('risk_overrides')
    .select(['id', 'client_id', 'level', 'reason_sealed', 'expires_at', 'created_at', 'created_by'])
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    clientId: row.client_id,
    level: row.level,
    reasonSealed: row.reason_sealed,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** Stores an override. */
export async function insertOverride(scope: TenantScope, override: StoredOverride): Promise<void> {
  await scope
    .insertInto('risk_overrides', {
      id: override.id,
      client_id: override.clientId,
      level: override.level,
      reason_sealed: override.reasonSealed,
      expires_at: override.expiresAt,
      created_at: override.createdAt,
      created_by: override.createdBy,
    })
    .execute();
}

/** Revokes every override of the client in force at `now`; returns how many. */
export async function revokeOverrides(
  scope: TenantScope,
  clientId: string,
  by: string,
  now: Date,
): Promise<number> {
  const result = await scope
    .updateTable('risk_overrides')
    .set({ revoked_at: now, revoked_by: by })
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
