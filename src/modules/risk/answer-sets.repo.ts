/** SQL for clients' answer sets (insert-only; the answers sealed); every function takes the tenant scope first. */
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { Value } from './expression-compile.ts';
import type { QuestionnaireDefinition } from './questionnaire.ts';

/** An answer set as listed: which version it answered, when and by whom. */
export type AnswerSetSummary = {
  id: string;
  clientId: string;
  code: string;
  version: number;
  versionId: string;
  submittedAt: Date;
  submittedBy: string | null;
};

/** An answer set with its sealed answers and the definition of the version it answered. */
export type StoredAnswerSet = AnswerSetSummary & {
  answersSealed: Buffer;
  variables: Record<string, Value>;
  definition: QuestionnaireDefinition;
};

/** Stores an answer set. */
export async function insertAnswerSet(
  scope: TenantScope,
  answerSet: {
    id: string;
    clientId: string;
    code: string;
    versionId: string;
    answersSealed: Buffer;
    variables: Record<string, Value>;
  },
  actorId: string,
  at: Date,
): Promise<void> {
  await scope
    .insertInto('risk_answer_sets', {
      id: answerSet.id,
      client_id: answerSet.clientId,
      questionnaire_code: answerSet.code,
      questionnaire_version_id: answerSet.versionId,
      answers_sealed: answerSet.answersSealed,
      variables: JSON.stringify(answerSet.variables),
      submitted_at: at,
      submitted_by: actorId,
    })
    .execute();
}

const withVersion = (scope: TenantScope) =>
  scope
    .selectFrom('risk_answer_sets')
    .innerJoin('risk_questionnaire_versions', (join) =>
      join
        .onRef('risk_questionnaire_versions.tenant_id', '=', 'risk_answer_sets.tenant_id')
        .onRef('risk_questionnaire_versions.id', '=', 'risk_answer_sets.questionnaire_version_id'),
    );

const SUMMARY_COLUMNS = [
  'risk_answer_sets.id',
  'risk_answer_sets.client_id',
  'risk_answer_sets.questionnaire_code',
  'risk_questionnaire_versions.version',
  'risk_answer_sets.questionnaire_version_id',
  'risk_answer_sets.submitted_at',
  'risk_answer_sets.submitted_by',
] as const;

type SummaryRow = {
  id: string;
  client_id: string;
  questionnaire_code: string;
  version: number;
  questionnaire_version_id: string;
  submitted_at: Date;
  submitted_by: string | null;
};

const toSummary = (row: SummaryRow): AnswerSetSummary => ({
  id: row.id,
  clientId: row.client_id,
  code: row.questionnaire_code,
  version: row.version,
  versionId: row.questionnaire_version_id,
  submittedAt: row.submitted_at,
  submittedBy: row.submitted_by,
});

/** A client's answer sets, newest first. */
export async function listAnswerSets(scope: TenantScope, clientId: string): Promise<AnswerSetSummary[]> {
  const rows = await withVersion(scope)
    .select(SUMMARY_COLUMNS)
    .where('risk_answer_sets.client_id', '=', clientId)
    .orderBy('risk_answer_sets.submitted_at', 'desc')
    .orderBy('risk_answer_sets.questionnaire_code')
    .execute();
  return rows.map(toSummary);
}

/** One of a client's answer sets, or null (also when it belongs to another client). */
export async function findAnswerSet(
  scope: TenantScope,
  clientId: string,
  id: string,
): Promise<StoredAnswerSet | null> {
  const row = await withVersion(scope)
    .select([
      ...SUMMARY_COLUMNS,
      'risk_answer_sets.answers_sealed',
      'risk_answer_sets.variables',
      'risk_questionnaire_versions.definition',
    ])
    .where('risk_answer_sets.client_id', '=', clientId)
    .where('risk_answer_sets.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...toSummary(row),
    answersSealed: row.answers_sealed,
    variables: row.variables as Record<string, Value>,
    definition: row.definition as QuestionnaireDefinition,
  };
}
