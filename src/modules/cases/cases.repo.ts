/** SQL for KYC cases, their events, check runs and hits; every function takes the tenant scope first. */
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { KycCasesTable, KycHitsTable } from '../../platform/db/schema-clients.ts';
import type { RememberedResolution } from './hit-memory.ts';

/** A case row. */
export type CaseRow = Omit<Selectable<KycCasesTable>, 'tenant_id'>;

const CASE_COLUMNS = [
  'id',
  'client_id',
  'reason',
  'state',
  'client_version',
  'evaluation_id',
  'level',
  'disposition',
  'prepared_by',
  'assigned_to',
  'due_on',
  'first_approval_by',
  'decided_at',
  'decided_by',
  'checks_claim',
  'checks_claimed_at',
  'opened_at',
  'updated_at',
] as const;

/** A case, or null; `forUpdate` serialises changes to it. */
export async function findCase(scope: TenantScope, id: string, forUpdate = false): Promise<CaseRow | null> {
  let query = scope.selectFrom('kyc_cases').select(CASE_COLUMNS).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/** The client's undecided case, locked, or null. */
export async function findOpenCase(scope: TenantScope, clientId: string): Promise<CaseRow | null> {
  const row = await scope
    .selectFrom('kyc_cases')
    .select(CASE_COLUMNS)
    .where('client_id', '=', clientId)
    .where('state', 'not in', ['approved', 'rejected'])
    .forUpdate()
    .executeTakeFirst();
  return row ?? null;
}

/** Opens a case. */
export async function insertCase(
  scope: TenantScope,
  row: { id: string; clientId: string; reason: KycCasesTable['reason']; clientVersion: number },
  at: Date,
): Promise<void> {
  await scope
    .insertInto('kyc_cases', {
      id: row.id,
      client_id: row.clientId,
      reason: row.reason,
      state: 'checks_running',
      client_version: row.clientVersion,
      evaluation_id: null,
      level: null,
      disposition: null,
      prepared_by: null,
      assigned_to: null,
      due_on: null,
      first_approval_by: null,
      decided_at: null,
      decided_by: null,
      checks_claim: null,
      checks_claimed_at: null,
      opened_at: at,
      updated_at: at,
    })
    .execute();
}

/** Changes a case's columns. */
export async function updateCase(
  scope: TenantScope,
  id: string,
  changes: Partial<Omit<Selectable<KycCasesTable>, 'tenant_id' | 'id' | 'client_id' | 'opened_at'>>,
): Promise<void> {
  await scope.updateTable('kyc_cases').set(changes).where('id', '=', id).execute();
}

/**
 * Claims the checks of a case at a client version for one runner; true when this runner got it.
 * A claim older than `staleAfter` is taken over (its runner crashed).
 */
export async function claimChecks(
  scope: TenantScope,
  caseId: string,
  clientVersion: number,
  token: string,
  now: Date,
  staleBefore: Date,
): Promise<boolean> {
  const result = await scope
    .updateTable('kyc_cases')
    .set({ checks_claim: token, checks_claimed_at: now })
    .where('id', '=', caseId)
    .where('state', '=', 'checks_running')
    .where('client_version', '=', clientVersion)
    .where((where) =>
      where.or([where('checks_claim', 'is', null), where('checks_claimed_at', '<', staleBefore)]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records an event in a case's history. */
export async function insertEvent(
  scope: TenantScope,
  caseId: string,
  event: string,
  actor: { kind: string; id: string | null },
  details: Record<string, string | number | boolean | null>,
  at: Date,
): Promise<void> {
  await scope
    .insertInto('kyc_case_events', {
      id: randomUUID(),
      case_id: caseId,
      occurred_at: at,
      actor_kind: actor.kind,
      actor_id: actor.id,
      event,
      details: JSON.stringify(details),
    })
    .execute();
}

/** A case's history, oldest first. */
export async function listEvents(scope: TenantScope, caseId: string) {
  return scope
    .selectFrom('kyc_case_events')
    .select(['id', 'occurred_at', 'actor_kind', 'actor_id', 'event', 'details'])
    .where('case_id', '=', caseId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

/** Stores a finished check run. */
export async function insertCheckRun(
  scope: TenantScope,
  run: {
    caseId: string;
    clientVersion: number;
    subjectId: string;
    provider: string;
    providerVersion: string;
    status: 'completed' | 'failed';
    attempts: number;
    inputsDigest: string;
    outcome: unknown;
    error: string | null;
    startedAt: Date;
    finishedAt: Date;
  },
): Promise<void> {
  await scope
    .insertInto('kyc_check_runs', {
      id: randomUUID(),
      case_id: run.caseId,
      client_version: run.clientVersion,
      subject_id: run.subjectId,
      provider: run.provider,
      provider_version: run.providerVersion,
      status: run.status,
      attempts: run.attempts,
      inputs_digest: run.inputsDigest,
      outcome: run.outcome === null ? null : JSON.stringify(run.outcome),
      error: run.error,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
    })
    .execute();
}

/** A case's check runs. */
export async function listCheckRuns(scope: TenantScope, caseId: string) {
  return scope
    .selectFrom('kyc_check_runs')
    .select([
      'id',
      'client_version',
      'subject_id',
      'provider',
      'provider_version',
      'status',
      'attempts',
      'outcome',
      'error',
      'started_at',
      'finished_at',
    ])
    .where('case_id', '=', caseId)
    .orderBy('started_at')
    .execute();
}

/** A hit row. */
export type HitRow = Omit<Selectable<KycHitsTable>, 'tenant_id'>;

/** Stores hits (their explanations already sealed). */
export async function insertHits(
  scope: TenantScope,
  hits: Omit<HitRow, 'score'>[],
  scores: number[],
): Promise<void> {
  if (hits.length === 0) return;
  await scope
    .insertInto(
      'kyc_hits',
      hits.map((hit, index) => ({ ...hit, score: scores[index] as number })),
    )
    .execute();
}

/** A case's hits for the client version it checked last. */
export async function listHits(scope: TenantScope, caseId: string, clientVersion: number): Promise<HitRow[]> {
  const rows = await scope
    .selectFrom('kyc_hits')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('client_version', '=', clientVersion)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(({ tenant_id: _tenant, ...row }) => row);
}

/** Every resolution on record for a client: the disposition memory its new hits are compared with. */
export async function listResolutions(scope: TenantScope, clientId: string): Promise<RememberedResolution[]> {
  const rows = await scope
    .selectFrom('kyc_hits')
    .select([
      'id',
      'client_id',
      'subject_id',
      'list_id',
      'source_id',
      'entity_hash',
      'subject_hash',
      'status',
    ])
    .where('client_id', '=', clientId)
    .where('status', 'in', ['true_match', 'false_positive'])
    .where('reused_from', 'is', null)
    .execute();
  return rows.map((row) => ({
    clientId: row.client_id,
    subjectId: row.subject_id,
    listId: row.list_id,
    sourceId: row.source_id,
    entityHash: row.entity_hash,
    subjectHash: row.subject_hash.toString('hex'),
    resolution: row.status as 'true_match' | 'false_positive',
    hitId: row.id,
  }));
}

/** Counts of a case's hits by status. */
export async function countHits(scope: TenantScope, caseId: string) {
  const rows = await scope
    .selectFrom('kyc_hits')
    .select(['status', sql<string>`count(*)`.as('count')])
    .where('case_id', '=', caseId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)])) as Partial<
    Record<HitRow['status'], number>
  >;
}
