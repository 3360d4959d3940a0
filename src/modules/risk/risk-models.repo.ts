/** SQL for risk model versions and dry runs; every function takes the tenant scope first. */
import { sql, type Selectable } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { RiskModelsTable } from '../../platform/db/schema-risk.ts';
import type { ModelDefinition } from './risk-model.schema.ts';

/** A model version as stored. */
export type StoredModel = {
  id: string;
  version: number;
  name: string;
  status: RiskModelsTable['status'];
  definition: ModelDefinition;
  editors: string[];
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  submittedAt: Date | null;
  submittedBy: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionNote: string | null;
  publishedAt: Date | null;
};

const COLUMNS = [
  'id',
  'version',
  'name',
  'status',
  'definition',
  'editors',
  'created_at',
  'created_by',
  'updated_at',
  'submitted_at',
  'submitted_by',
  'decided_at',
  'decided_by',
  'decision_note',
  'published_at',
] as const;

type Row = Omit<Selectable<RiskModelsTable>, 'tenant_id'>;

const toModel = (row: Row): StoredModel => ({
  id: row.id,
  version: row.version,
  name: row.name,
  status: row.status,
  definition: row.definition as ModelDefinition,
  editors: row.editors,
  createdAt: row.created_at,
  createdBy: row.created_by,
  updatedAt: row.updated_at,
  submittedAt: row.submitted_at,
  submittedBy: row.submitted_by,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by,
  decisionNote: row.decision_note,
  publishedAt: row.published_at,
});

/** Every version, newest first (without definitions: a list). */
export async function listModels(scope: TenantScope): Promise<StoredModel[]> {
  const rows = await scope.selectFrom('risk_models').select(COLUMNS).orderBy('version', 'desc').execute();
  return rows.map(toModel);
}

/** One version, or null; `forUpdate` locks it for a state change. */
export async function findModel(
  scope: TenantScope,
  id: string,
  forUpdate = false,
): Promise<StoredModel | null> {
  let query = scope.selectFrom('risk_models').select(COLUMNS).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toModel(row) : null;
}

/** The published version, or null. */
export async function findPublishedModel(scope: TenantScope): Promise<StoredModel | null> {
  const row = await scope
    .selectFrom('risk_models')
    .select(COLUMNS)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return row ? toModel(row) : null;
}

/** The open draft or pending version, or null. */
export async function findOpenModel(scope: TenantScope): Promise<StoredModel | null> {
  const row = await scope
    .selectFrom('risk_models')
    .select(COLUMNS)
    .where('status', 'in', ['draft', 'pending_approval'])
    .executeTakeFirst();
  return row ? toModel(row) : null;
}

/** Inserts a new version numbered after the last one. */
export async function insertModel(
  scope: TenantScope,
  model: {
    id: string;
    name: string;
    status: 'draft' | 'published';
    definition: ModelDefinition;
    editors: string[];
  },
  by: string | null,
  at: Date,
): Promise<number> {
  const last = await scope
    .selectFrom('risk_models')
    .select(sql<number>`coalesce(max(version), 0)`.as('version'))
    .executeTakeFirstOrThrow();
  const version = Number(last.version) + 1;
  await scope
    .insertInto('risk_models', {
      id: model.id,
      version,
      name: model.name,
      status: model.status,
      definition: JSON.stringify(model.definition),
      editors: model.editors,
      created_at: at,
      created_by: by,
      updated_at: at,
      published_at: model.status === 'published' ? at : null,
    })
    .execute();
  return version;
}

/** Changes a version's columns (the trigger refuses a change to a published definition). */
export async function updateModel(
  scope: TenantScope,
  id: string,
  changes: Partial<{
    name: string;
    status: RiskModelsTable['status'];
    definition: ModelDefinition;
    editors: string[];
    updated_at: Date;
    submitted_at: Date | null;
    submitted_by: string | null;
    decided_at: Date;
    decided_by: string;
    decision_note: string | null;
    published_at: Date;
  }>,
): Promise<void> {
  const { definition, ...rest } = changes;
  await scope
    .updateTable('risk_models')
    .set({ ...rest, ...(definition ? { definition: JSON.stringify(definition) } : {}) })
    .where('id', '=', id)
    .execute();
}

/** Marks the published version superseded (before another is published). */
export async function supersedePublished(scope: TenantScope): Promise<string | null> {
  const row = await scope
    .updateTable('risk_models')
    .set({ status: 'superseded' })
    .where('status', '=', 'published')
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Stores a dry run's summary and changes. */
export async function insertDryRun(
  scope: TenantScope,
  run: { id: string; modelId: string; baselineModelId: string | null; summary: unknown; changes: unknown },
  by: string | null,
  at: Date,
): Promise<void> {
  await scope
    .insertInto('risk_dry_runs', {
      id: run.id,
      model_id: run.modelId,
      baseline_model_id: run.baselineModelId,
      summary: JSON.stringify(run.summary),
      changes: JSON.stringify(run.changes),
      created_at: at,
      created_by: by,
    })
    .execute();
}

/** A stored dry run, or null. */
export async function findDryRun(scope: TenantScope, id: string) {
  return scope.selectFrom('risk_dry_runs').selectAll().where('id', '=', id).executeTakeFirst();
}
