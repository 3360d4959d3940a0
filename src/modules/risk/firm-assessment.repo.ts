/** SQL for the versions of the firm-wide risk assessment (tenant scope first). */
import { sql } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { AssessmentDocument } from './firm-assessment.schemas.ts';

/** One version of the assessment. */
export type AssessmentVersion = {
  id: string;
  version: number;
  status: 'draft' | 'signed';
  document: AssessmentDocument;
  reviewDue: string | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  signedAt: Date | null;
  signedBy: string | null;
};

// As text: node-postgres would read a `date` as local midnight, PGlite as text.
const COLUMNS = [
  'id',
  'version',
  'status',
  'document',
  sql<string | null>`review_due::text`.as('review_due'),
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'signed_at',
  'signed_by',
] as const;

function selectVersions(scope: TenantScope) {
  return scope.selectFrom('risk_firm_assessments').select(COLUMNS);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectVersions>['executeTakeFirstOrThrow']>>;

const toVersion = (row: Row): AssessmentVersion => ({
  id: row.id,
  version: row.version,
  status: row.status,
  document: row.document as AssessmentDocument,
  reviewDue: row.review_due,
  createdAt: row.created_at,
  createdBy: row.created_by,
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
  signedAt: row.signed_at,
  signedBy: row.signed_by,
});

/** Serialises writers of the tenant's assessment until the transaction ends. */
export async function lockAssessment(scope: TenantScope): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`risk-firm-assessment:${scope.tenantId}`}))`.execute(
    scope.trx,
  );
}

/** The open draft, or null. */
export async function findDraft(scope: TenantScope): Promise<AssessmentVersion | null> {
  const row = await selectVersions(scope).where('status', '=', 'draft').executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** The signed version in force (the latest signed), or null. */
export async function findCurrent(scope: TenantScope): Promise<AssessmentVersion | null> {
  const row = await selectVersions(scope)
    .where('status', '=', 'signed')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** Every version, newest first. */
export async function listVersions(scope: TenantScope): Promise<AssessmentVersion[]> {
  const rows = await selectVersions(scope).orderBy('version', 'desc').execute();
  return rows.map(toVersion);
}

/** The number the next version takes. */
export async function nextVersionNumber(scope: TenantScope): Promise<number> {
  const row = await scope
    .selectFrom('risk_firm_assessments')
    .select((eb) => eb.fn.max('version').as('latest'))
    .executeTakeFirst();
  return (row?.latest ?? 0) + 1;
}

/** Stores a new draft. */
export async function insertDraft(scope: TenantScope, draft: AssessmentVersion): Promise<void> {
  await scope
    .insertInto('risk_firm_assessments', {
      id: draft.id,
      version: draft.version,
      status: 'draft',
      document: JSON.stringify(draft.document),
      review_due: null,
      created_at: draft.createdAt,
      created_by: draft.createdBy,
      updated_at: draft.updatedAt,
      updated_by: draft.updatedBy,
    })
    .execute();
}

/** Replaces the open draft's document. */
export async function updateDraft(
  scope: TenantScope,
  id: string,
  document: AssessmentDocument,
  by: string,
  at: Date,
): Promise<void> {
  await scope
    .updateTable('risk_firm_assessments')
    .set({ document: JSON.stringify(document), updated_at: at, updated_by: by })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

/** Signs the open draft: it becomes the version in force. */
export async function signDraft(
  scope: TenantScope,
  id: string,
  reviewDue: string,
  by: string,
  at: Date,
): Promise<void> {
  await scope
    .updateTable('risk_firm_assessments')
    .set({
      status: 'signed',
      review_due: reviewDue,
      signed_at: at,
      signed_by: by,
      updated_at: at,
      updated_by: by,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}
