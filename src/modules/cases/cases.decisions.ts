/**
 * What people do with a case: resolve its screening hits one by one (with a sealed reason), mark
 * it prepared, and decide it — with four eyes: nobody decides a case they prepared, and a
 * high-risk approval takes two compliance officers. Resolving the last open hit runs the checks
 * again, so the risk model sees the confirmed matches and the case moves on by itself.
 */
import type { Actor } from '../../platform/actor.ts';
import type { TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import { decideRecordAccess, type RecordAction } from '../access/index.ts';
import { decisionRequirement, nextState } from './case-lifecycle.ts';
import * as repo from './cases.repo.ts';
import type { PipelineDeps } from './kyc-pipeline.deps.ts';

type Helpers = {
  inTenant: <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) => Promise<T>;
  restartChecks: (scope: TenantScope, caseId: string, clientVersion: number) => Promise<void>;
};

const auditActor = (actor: Actor) => ({ kind: actor.kind, id: actor.id });

/** Builds the decision use cases. */
export function createCaseDecisions(
  deps: Pick<PipelineDeps, 'audit' | 'clock' | 'vault'>,
  { inTenant, restartChecks }: Helpers,
) {
  const { audit, clock, vault } = deps;

  async function lockCase(scope: TenantScope, actor: Actor, caseId: string, action: RecordAction) {
    const kase = await repo.findCase(scope, caseId, true);
    if (!kase) throw new AppError('not_found', 'There is no such case.');
    const access = decideRecordAccess(
      actor,
      { tenantId: scope.tenantId, owningTeam: null, sensitivity: 'standard', preparedBy: kase.prepared_by },
      action,
      'cases',
    );
    if (!access.allowed) {
      if (access.reason === 'not_found') throw new AppError('not_found', 'There is no such case.');
      throw new AppError(
        'forbidden',
        access.rule === 'four_eyes'
          ? 'Four eyes: you prepared this case, so another officer must decide it.'
          : 'You may not do this with this case.',
      );
    }
    return kase;
  }

  const record = (
    scope: TenantScope,
    actor: Actor,
    action: `case.${string}`,
    caseId: string,
    details: Record<string, string | number | boolean | null>,
  ) =>
    audit.record(scope, [
      {
        action,
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: 'kyc_case', id: caseId },
        details,
      },
    ]);

  return {
    /** Resolves one open hit as a true match or a false positive, with the officer's reason. */
    async resolveHit(
      actor: Actor,
      caseId: string,
      hitId: string,
      input: { resolution: 'true_match' | 'false_positive'; reason: string },
    ) {
      return inTenant(actor, async (scope) => {
        const kase = await lockCase(scope, actor, caseId, 'prepare');
        if (kase.state !== 'in_review')
          throw new AppError('conflict', 'Hits are resolved while the case is in review.');
        const hits = await repo.listHits(scope, caseId, kase.client_version);
        const hit = hits.find((candidate) => candidate.id === hitId);
        if (!hit) throw new AppError('not_found', 'There is no such hit in this case.');
        if (hit.status !== 'open') throw new AppError('conflict', 'This hit is already resolved.');
        const keyring = await vault.keyring(scope);
        const now = clock.now();
        await scope
          .updateTable('kyc_hits')
          .set({
            status: input.resolution,
            reason_sealed: keyring.seal(
              { table: 'kyc_hits', column: 'reason_sealed', rowId: hitId },
              'text',
              input.reason,
            ),
            resolved_by: actor.id,
            resolved_at: now,
          })
          .where('id', '=', hitId)
          .execute();
        const stillOpen = hits.filter(
          (candidate) => candidate.status === 'open' && candidate.id !== hitId,
        ).length;
        await repo.insertEvent(
          scope,
          caseId,
          'hit_resolved',
          auditActor(actor),
          { hit: hitId, resolution: input.resolution, stillOpen },
          now,
        );
        await record(scope, actor, 'case.hit_resolved', caseId, {
          hit: hitId,
          list: hit.list_id,
          resolution: input.resolution,
        });
        // Every hit has its answer: check again, so the model scores the confirmed matches.
        if (stillOpen === 0) await restartChecks(scope, caseId, kase.client_version);
        return { id: hitId, status: input.resolution, stillOpen };
      });
    },

    /** Marks the case prepared for decision by this person (who then cannot decide it). */
    async prepare(actor: Actor, caseId: string) {
      return inTenant(actor, async (scope) => {
        const kase = await lockCase(scope, actor, caseId, 'prepare');
        if (kase.state !== 'in_review')
          throw new AppError('conflict', 'Only a case in review can be prepared.');
        const now = clock.now();
        await repo.updateCase(scope, caseId, { prepared_by: actor.id, updated_at: now });
        await repo.insertEvent(scope, caseId, 'prepared', auditActor(actor), {}, now);
        await record(scope, actor, 'case.prepared', caseId, {});
        return { id: caseId, preparedBy: actor.id };
      });
    },

    /** Decides the case: approve, reject, or ask for more information. */
    async decide(actor: Actor, caseId: string, input: { outcome: 'approved' | 'rejected' | 'needs_info' }) {
      return inTenant(actor, async (scope) => {
        const kase = await lockCase(scope, actor, caseId, 'decide');
        if (kase.state !== 'in_review')
          throw new AppError('conflict', 'Only a case in review can be decided.');
        const counts = await repo.countHits(scope, caseId);
        if (input.outcome === 'approved' && (counts.open ?? 0) > 0) {
          throw new AppError('conflict', 'Resolve every screening hit before approving.');
        }
        const requirement = decisionRequirement({
          decidedBy: actor.id,
          preparedBy: kase.prepared_by,
          level: kase.level ?? 'high',
          outcome: input.outcome,
          firstApproval: kase.first_approval_by,
        });
        const now = clock.now();
        if (requirement === 'different_person') {
          throw new AppError(
            'forbidden',
            'Four eyes: a high-risk approval needs a second compliance officer, not you again.',
          );
        }
        if (requirement === 'second_officer') {
          await repo.updateCase(scope, caseId, { first_approval_by: actor.id, updated_at: now });
          await repo.insertEvent(
            scope,
            caseId,
            'first_approval',
            auditActor(actor),
            { level: kase.level },
            now,
          );
          await record(scope, actor, 'case.first_approval', caseId, { level: kase.level });
          return { id: caseId, state: kase.state, awaiting: 'second_officer' as const };
        }
        const state = nextState(kase.state, { kind: 'decision', outcome: input.outcome });
        const isFinal = state === 'approved' || state === 'rejected';
        await repo.updateCase(scope, caseId, {
          state,
          updated_at: now,
          ...(isFinal ? { decided_at: now, decided_by: actor.id } : {}),
        });
        await repo.insertEvent(scope, caseId, state, auditActor(actor), { level: kase.level }, now);
        await record(scope, actor, `case.${state}`, caseId, {
          level: kase.level,
          secondOfficer: kase.first_approval_by !== null,
        });
        return { id: caseId, state, awaiting: null };
      });
    },
  };
}
