/**
 * SQL for questionnaire versions and clients' answer sets; every function takes the tenant scope
 * first. Also the queries the rest of the module reads questionnaires through (the variables the
 * published versions offer, clients' latest answers) and the installation of the defaults.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { RiskQuestionnaireVersionsTable } from '../../platform/db/schema-risk.ts';
import type { Value } from './expression-compile.ts';
import {
  compileQuestionnaire,
  questionnaireVariables,
  type QuestionnaireDefinition,
} from './questionnaire.ts';
import type { VariableSpec } from './risk-variables.ts';

/** A version's status. */
export type VersionStatus = RiskQuestionnaireVersionsTable['status'];

/** A version as listed (without its definition). */
export type VersionSummary = {
  id: string;
  code: string;
  version: number;
  status: VersionStatus;
  title: string;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
};

/** A version with its definition. */
export type StoredVersion = VersionSummary & { definition: QuestionnaireDefinition };

const VERSION_COLUMNS = [
  'id',
  'questionnaire_code',
  'version',
  'status',
  'definition',
  'created_at',
  'created_by',
  'updated_at',
  'published_at',
  'published_by',
] as const;

type VersionRow = {
  id: string;
  questionnaire_code: string;
  version: number;
  status: VersionStatus;
  definition: unknown;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  published_at: Date | null;
  published_by: string | null;
};

const toVersion = (row: VersionRow): StoredVersion => {
  const definition = row.definition as QuestionnaireDefinition;
  return {
    id: row.id,
    code: row.questionnaire_code,
    version: row.version,
    status: row.status,
    title: definition.title,
    definition,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
  };
};

const versions = (scope: TenantScope) =>
  scope.selectFrom('risk_questionnaire_versions').select(VERSION_COLUMNS);

/** The published and draft versions of every questionnaire (what the overview shows). */
export async function listCurrentVersions(scope: TenantScope): Promise<StoredVersion[]> {
  const rows = await versions(scope)
    .where('status', 'in', ['published', 'draft'])
    .orderBy('questionnaire_code')
    .orderBy('version')
    .execute();
  return rows.map(toVersion);
}

/** Every version of one questionnaire, newest first. */
export async function listVersions(scope: TenantScope, code: string): Promise<StoredVersion[]> {
  const rows = await versions(scope)
    .where('questionnaire_code', '=', code)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toVersion);
}

/** One version by number, or null. */
export async function findVersion(
  scope: TenantScope,
  code: string,
  version: number,
): Promise<StoredVersion | null> {
  const row = await versions(scope)
    .where('questionnaire_code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** The version of a questionnaire in one status (there is at most one draft and one published); `forUpdate` locks it. */
export async function findVersionInStatus(
  scope: TenantScope,
  code: string,
  status: 'draft' | 'published',
  forUpdate = false,
): Promise<StoredVersion | null> {
  let query = versions(scope).where('questionnaire_code', '=', code).where('status', '=', status);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** Inserts a version as the next number of its questionnaire; returns that number. */
export async function insertVersion(
  scope: TenantScope,
  version: { id: string; code: string; status: 'draft' | 'published'; definition: QuestionnaireDefinition },
  actorId: string | null,
  at: Date,
): Promise<number> {
  const latest = await scope
    .selectFrom('risk_questionnaire_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('questionnaire_code', '=', version.code)
    .executeTakeFirst();
  const number = (latest?.version ?? 0) + 1;
  const isPublished = version.status === 'published';
  await scope
    .insertInto('risk_questionnaire_versions', {
      id: version.id,
      questionnaire_code: version.code,
      version: number,
      status: version.status,
      definition: JSON.stringify(version.definition),
      created_at: at,
      created_by: actorId,
      updated_at: at,
      published_at: isPublished ? at : null,
      published_by: isPublished ? actorId : null,
    })
    .execute();
  return number;
}

/** Replaces a draft's definition (the trigger refuses it for any other status). */
export async function replaceDraftDefinition(
  scope: TenantScope,
  id: string,
  definition: QuestionnaireDefinition,
  at: Date,
): Promise<void> {
  await scope
    .updateTable('risk_questionnaire_versions')
    .set({ definition: JSON.stringify(definition), updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

/** Retires a questionnaire's published version, if any; returns its number. */
export async function retirePublished(scope: TenantScope, code: string, at: Date): Promise<number | null> {
  const row = await scope
    .updateTable('risk_questionnaire_versions')
    .set({ status: 'retired', updated_at: at })
    .where('questionnaire_code', '=', code)
    .where('status', '=', 'published')
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Publishes a draft. */
export async function publishDraft(scope: TenantScope, id: string, actorId: string, at: Date): Promise<void> {
  await scope
    .updateTable('risk_questionnaire_versions')
    .set({ status: 'published', published_at: at, published_by: actorId, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

/** Whether the client has a risk profile in this tenant (answers hang off it). */
export async function hasClientProfile(scope: TenantScope, clientId: string): Promise<boolean> {
  const row = await scope
    .selectFrom('risk_client_profiles')
    .select('client_id')
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The variables the published versions offer rules. */
export async function publishedQuestionnaireVariables(scope: TenantScope): Promise<VariableSpec[]> {
  const rows = await scope
    .selectFrom('risk_questionnaire_versions')
    .select(['questionnaire_code', 'definition'])
    .where('status', '=', 'published')
    .orderBy('questionnaire_code')
    .execute();
  return rows.flatMap((row) =>
    questionnaireVariables(row.questionnaire_code, row.definition as QuestionnaireDefinition),
  );
}

/**
 * Per client, the variables of its latest answer set to each questionnaire, merged (their names
 * carry the questionnaire's code, so they never collide). All clients, or only `clientIds`.
 */
export async function latestAnswerVariables(
  scope: TenantScope,
  clientIds?: string[],
): Promise<Map<string, Record<string, Value>>> {
  const merged = new Map<string, Record<string, Value>>();
  if (clientIds?.length === 0) return merged;
  const onlyClients = clientIds ? sql`and client_id = any(${clientIds}::uuid[])` : sql``;
  // Every key descending, so one backward scan of risk_answer_sets_by_client yields the rows in
  // order and DISTINCT ON keeps the first (newest) of each pair without sorting the whole table
  // (100,000 clients: one index scan, no sort). Two sets within one millisecond tie arbitrarily.
  const { rows } = await sql<{ client_id: string; variables: Record<string, Value> }>`
    select distinct on (client_id, questionnaire_code) client_id, variables
    from risk_answer_sets
    where tenant_id = ${scope.tenantId} ${onlyClients}
    order by client_id desc, questionnaire_code desc, submitted_at desc`.execute(scope.trx);
  for (const row of rows) {
    const values = merged.get(row.client_id);
    if (values) Object.assign(values, row.variables);
    else merged.set(row.client_id, { ...row.variables });
  }
  return merged;
}

/** Publishes each questionnaire as version 1 (by the system) when its code has no version yet. */
export async function installQuestionnaireDefaults(
  scope: TenantScope,
  questionnaires: readonly { code: string; definition: QuestionnaireDefinition }[],
  at: Date,
): Promise<boolean> {
  let isInstalled = false;
  for (const { code, definition } of questionnaires) {
    const existing = await scope
      .selectFrom('risk_questionnaire_versions')
      .select('id')
      .where('questionnaire_code', '=', code)
      .limit(1)
      .executeTakeFirst();
    if (existing) continue;
    // A default that does not compile is a bug in the release: fail loudly, not at first use.
    const compiled = compileQuestionnaire(definition);
    await insertVersion(
      scope,
      { id: randomUUID(), code, status: 'published', definition: compiled.definition },
      null,
      at,
    );
    isInstalled = true;
  }
  return isInstalled;
}
