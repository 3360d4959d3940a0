/**
 * KYC cases: a client's creation or change opens (or restarts) its case and starts the checks in
 * the same transaction; the checks run at once in this process and, as a durable fallback, as a
 * job that retries with backoff. Reading cases, their history, checks and hits.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { nextState } from './case-lifecycle.ts';
import { createCaseDecisions } from './cases.decisions.ts';
import * as repo from './cases.repo.ts';
import { runKycChecks } from './kyc-pipeline.ts';
import type { PipelineDeps } from './kyc-pipeline.deps.ts';

/** The cases service. */
export type CasesService = ReturnType<typeof createCasesService>;

/** Why a client's checks run. */
export type ClientChange = { clientId: string; version: number; reason: 'onboarding' | 'client_changed' };

// The immediate run waits for the opening transaction to commit; it tries a few times, then
// leaves the case to the job.
const KICK_DELAYS_MS = [0, 100, 500];

/** Builds the service; `logError` reports an immediate run that failed (the job retries it). */
export function createCasesService(
  deps: PipelineDeps & {
    jobs: Pick<Jobs, 'defineQueue' | 'enqueue'>;
    logError: (error: unknown, caseId: string) => void;
  },
) {
  const { db, clock, jobs } = deps;

  const checksQueue = jobs.defineQueue<{ tenantId: string; caseId: string; clientVersion: number }>({
    name: 'cases.run-checks',
    retry: { limit: 6, delaySeconds: 15, backoff: true, maxDelaySeconds: 1800 },
    timeoutSeconds: 10 * 60,
    handle: async (run) => {
      const outcome = await runKycChecks(deps, {
        tenantId: run.data.tenantId as TenantId,
        caseId: run.data.caseId,
        clientVersion: run.data.clientVersion,
        isLastAttempt: run.isLastAttempt,
      });
      if (outcome === 'retry')
        throw new Error(`A check provider of case ${run.data.caseId} is unavailable; retrying`);
    },
  });

  /** Runs the checks now, in this process, once the opening transaction has committed. */
  function kick(tenantId: TenantId, caseId: string, clientVersion: number, attempt = 0): void {
    const delay = KICK_DELAYS_MS[attempt];
    if (delay === undefined) return;
    setTimeout(() => {
      runKycChecks(deps, { tenantId, caseId, clientVersion, isLastAttempt: false })
        .then((outcome) => {
          if (outcome === 'skipped') kick(tenantId, caseId, clientVersion, attempt + 1);
        })
        .catch((error: unknown) => deps.logError(error, caseId));
    }, delay).unref();
  }

  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) => {
    if (!actor.tenantId) throw new AppError('forbidden', 'Cases belong to a tenant; sign in to one.');
    return withTenant(db, actor.tenantId, work);
  };

  /** Runs a case's checks again at the same client version (after its hits were resolved). */
  async function restartChecks(scope: TenantScope, caseId: string, clientVersion: number): Promise<void> {
    const kase = await repo.findCase(scope, caseId, true);
    if (!kase) return;
    const now = clock.now();
    const state = nextState(kase.state, { kind: 'checks_restarted' });
    await repo.updateCase(scope, caseId, {
      state,
      checks_claim: null,
      checks_claimed_at: null,
      updated_at: now,
    });
    await repo.insertEvent(
      scope,
      caseId,
      'checks_restarted',
      { kind: 'system', id: null },
      { version: clientVersion },
      now,
    );
    // A fresh key: the first run's job may still be kept under the version's key.
    await jobs.enqueue(
      scope.trx,
      checksQueue,
      { tenantId: scope.tenantId, caseId, clientVersion },
      { key: `${caseId}:${clientVersion}:${randomUUID()}` },
    );
    kick(scope.tenantId, caseId, clientVersion);
  }

  async function getCase(scope: TenantScope, id: string) {
    const kase = await repo.findCase(scope, id);
    if (!kase) throw new AppError('not_found', 'There is no such case.');
    return kase;
  }

  return {
    ...createCaseDecisions(deps, { inTenant, restartChecks }),

    /**
     * Opens the client's case, or restarts its checks on the new data; called inside the
     * transaction that changed the client, so the case exists exactly when the change does.
     */
    async onClientChanged(scope: TenantScope, change: ClientChange): Promise<void> {
      const now = clock.now();
      const open = await repo.findOpenCase(scope, change.clientId);
      let caseId: string;
      if (open) {
        caseId = open.id;
        const state =
          open.state === 'checks_running' ? open.state : nextState(open.state, { kind: 'checks_restarted' });
        await repo.updateCase(scope, caseId, {
          state,
          client_version: change.version,
          checks_claim: null,
          checks_claimed_at: null,
          updated_at: now,
        });
        await repo.insertEvent(
          scope,
          caseId,
          'checks_restarted',
          { kind: 'system', id: null },
          { version: change.version },
          now,
        );
      } else {
        caseId = randomUUID();
        try {
          await repo.insertCase(
            scope,
            { id: caseId, clientId: change.clientId, reason: change.reason, clientVersion: change.version },
            now,
          );
        } catch (error) {
          if (isUniqueViolation(error))
            throw new AppError('conflict', 'This client is being changed by someone else; try again.');
          throw error;
        }
        await repo.insertEvent(
          scope,
          caseId,
          'opened',
          { kind: 'system', id: null },
          { reason: change.reason, version: change.version },
          now,
        );
      }
      await jobs.enqueue(
        scope.trx,
        checksQueue,
        { tenantId: scope.tenantId, caseId, clientVersion: change.version },
        { key: `${caseId}:${change.version}` },
      );
      kick(scope.tenantId, caseId, change.version);
    },

    /**
     * New risk inputs for a client (a document's status, questionnaire answers): its undecided
     * case is checked again on them, in the same transaction. A decided case stays as decided;
     * the next review or change opens a new one.
     */
    async onClientInputsChanged(scope: TenantScope, clientId: string): Promise<void> {
      const open = await repo.findOpenCase(scope, clientId);
      if (open) await restartChecks(scope, open.id, open.client_version);
    },

    /** A case with its history, check runs and hits (explanations and reasons opened). */
    async get(actor: Actor, id: string) {
      return inTenant(actor, async (scope) => {
        const kase = await getCase(scope, id);
        const [events, checkRuns, hits] = await Promise.all([
          repo.listEvents(scope, id),
          repo.listCheckRuns(scope, id),
          repo.listHits(scope, id, kase.client_version),
        ]);
        const keyring = await deps.vault.keyring(scope);
        const opened = hits.map(({ explanation_sealed, reason_sealed, subject_hash: _hash, ...hit }) => ({
          ...hit,
          explanation: keyring.open(
            { table: 'kyc_hits', column: 'explanation_sealed', rowId: hit.id },
            'json',
            explanation_sealed,
          ),
          reason: reason_sealed
            ? keyring.open(
                { table: 'kyc_hits', column: 'reason_sealed', rowId: hit.id },
                'text',
                reason_sealed,
              )
            : null,
        }));
        const { checks_claim: _claim, checks_claimed_at: _claimedAt, ...shown } = kase;
        return {
          ...shown,
          events,
          checkRuns: checkRuns.filter((run) => run.client_version === kase.client_version),
          hits: opened,
        };
      });
    },

    /** The client's cases, newest first. */
    async listForClient(actor: Actor, clientId: string) {
      return inTenant(actor, (scope) =>
        scope
          .selectFrom('kyc_cases')
          .selectAll()
          .where('client_id', '=', clientId)
          .orderBy('opened_at', 'desc')
          .execute(),
      );
    },
  };
}
