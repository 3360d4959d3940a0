/**
 * The KYC check of one case: claim it, screen the client and everyone in its structure, run the
 * check providers, analyse the ownership, hand the profile to the risk model, evaluate, and let
 * the disposition move the case. Slow work (screening, providers, evaluation) runs outside the
 * case's transactions; a claim keeps two runners (the immediate one and the job) from both working.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantId } from '../../platform/db/scopes.ts';
import { nextState } from './case-lifecycle.ts';
import * as repo from './cases.repo.ts';
import type { PipelineDeps } from './kyc-pipeline.deps.ts';
import { runProviders, type ProviderFailure } from './kyc-providers.ts';
import { screenSubjects } from './kyc-screening.ts';
import { buildProfile } from './kyc-facts.ts';
import type { KycSubject } from './kyc-subjects.ts';

// A runner that has not finished in this long is taken to have died; another may take over.
const CLAIM_STALE_MS = 5 * 60_000;

/** The actor the pipeline works as inside a tenant (it holds no permission of its own). */
export function pipelineActor(tenantId: TenantId): Actor {
  return {
    kind: 'system',
    // A fixed UUID, so columns that record who acted stay typed; the audit log says `system`.
    id: '00000000-0000-4000-8000-00000000c4ec',
    tenantId,
    permissions: new Set(),
    secondFactorAt: null,
    roles: new Set(),
    teams: new Set(),
  };
}

/** What one run did. */
export type PipelineOutcome = 'skipped' | 'decided' | 'retry';

/** Runs the checks of a case at a client version; idempotent, safe to call from several places. */
export async function runKycChecks(
  deps: PipelineDeps,
  job: { tenantId: TenantId; caseId: string; clientVersion: number; isLastAttempt: boolean },
): Promise<PipelineOutcome> {
  const { db, clock } = deps;
  const token = randomUUID();
  const started = clock.now();
  const loaded = await withTenant(db, job.tenantId, async (scope) => {
    const claimed = await repo.claimChecks(
      scope,
      job.caseId,
      job.clientVersion,
      token,
      started,
      new Date(started.getTime() - CLAIM_STALE_MS),
    );
    if (!claimed) return null;
    const kase = await repo.findCase(scope, job.caseId);
    if (!kase) return null;
    return {
      kase,
      client: await deps.loadClient(scope, kase.client_id),
      memory: await repo.listResolutions(scope, kase.client_id),
    };
  });
  if (!loaded) return 'skipped';
  const { kase, client, memory } = loaded;
  const actor = pipelineActor(job.tenantId);
  const subjects: KycSubject[] = [
    {
      id: client.id,
      isClient: true,
      kind: client.kind,
      data: client.data,
      dataHash: client.dataHash,
      countryCode: null,
    },
    ...client.parties.map((party) => ({ ...party, isClient: false })),
  ];

  const screened = await screenSubjects(deps, actor, { clientId: client.id, subjects, memory });
  const checks = await runProviders(deps, job.tenantId, subjects, clock.now().toISOString().slice(0, 10));
  const retryable = checks.failures.filter((failure: ProviderFailure) => failure.isRetryable);
  if (retryable.length > 0 && !job.isLastAttempt) {
    await withTenant(db, job.tenantId, async (scope) => {
      await repo.updateCase(scope, kase.id, { checks_claim: null, checks_claimed_at: null });
      await repo.insertEvent(
        scope,
        kase.id,
        'checks_retrying',
        { kind: 'system', id: null },
        { failed: retryable.length },
        clock.now(),
      );
    });
    return 'retry';
  }

  const ownership = deps.analyseOwnership(client, screened.hits);
  const today = clock.now().toISOString().slice(0, 10);
  const profile = buildProfile(client.data, subjects, screened.hits, ownership, today);
  await deps.risk.saveProfile(actor, client.id, profile);
  const evaluation = await deps.risk.evaluate(actor, client.id);

  return withTenant(db, job.tenantId, async (scope) => {
    const current = await repo.findCase(scope, kase.id, true);
    // New data arrived while we worked: that version's run decides, not this one.
    if (!current || current.checks_claim !== token || current.client_version !== job.clientVersion)
      return 'skipped';
    const now = clock.now();
    const keyring = await deps.vault.keyring(scope);
    await repo.insertHits(
      scope,
      screened.rows.map(({ explanation, score: _score, ...row }) => ({
        ...row,
        case_id: kase.id,
        client_version: job.clientVersion,
        explanation_sealed: keyring.seal(
          { table: 'kyc_hits', column: 'explanation_sealed', rowId: row.id },
          'json',
          explanation as never,
        ),
      })),
      screened.rows.map((row) => Number(row.score)),
    );
    for (const run of checks.runs)
      await repo.insertCheckRun(scope, { ...run, caseId: kase.id, clientVersion: job.clientVersion });
    const openHits = screened.hits.filter((hit) => hit.status === 'open').length;
    // A check that could not run at all means a person must look, whatever the model says.
    const disposition =
      checks.failures.length > 0 && evaluation.disposition === 'auto_approve'
        ? 'manual_review'
        : evaluation.disposition;
    const state = nextState(nextState(current.state, { kind: 'checks_completed' }), {
      kind: 'disposition',
      disposition,
      hasOpenHits: openHits > 0,
    });
    const isDecided = state === 'approved' || state === 'rejected';
    await repo.updateCase(scope, kase.id, {
      state,
      evaluation_id: evaluation.id,
      level: evaluation.level,
      disposition,
      checks_claim: null,
      checks_claimed_at: null,
      updated_at: now,
      ...(isDecided ? { decided_at: now, decided_by: null } : {}),
    });
    const system = { kind: 'system', id: null };
    await repo.insertEvent(
      scope,
      kase.id,
      'checks_completed',
      system,
      {
        subjects: subjects.length,
        hits: screened.hits.length,
        openHits,
        reusedResolutions: screened.reused,
        checkRuns: checks.runs.length,
        failedChecks: checks.failures.length,
        evaluation: evaluation.id,
        level: evaluation.level,
        disposition,
      },
      now,
    );
    if (isDecided)
      await repo.insertEvent(
        scope,
        kase.id,
        state === 'approved' ? 'auto_approved' : 'auto_rejected',
        system,
        {},
        now,
      );
    await deps.audit.record(scope, [
      {
        action: 'case.checked',
        actor: { kind: 'system', id: actor.id },
        outcome: 'success',
        target: { type: 'kyc_case', id: kase.id },
        details: {
          client: client.id,
          version: job.clientVersion,
          state,
          level: evaluation.level,
          disposition,
          openHits,
        },
      },
    ]);
    return 'decided';
  });
}
