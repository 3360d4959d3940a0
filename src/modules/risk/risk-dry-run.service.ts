/** Dry runs: a model version evaluated against every client, compared with the published model. */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import type { TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import { listDocumentStatuses, listProfiles } from './risk-clients.repo.ts';
import type { RiskContextLoader } from './risk-context.ts';
import { requireTenant, type RiskDeps } from './risk-deps.ts';
import { runDryRun, type DryRunChange, type DryRunSummary } from './risk-dry-run.ts';
import { compileForTenant, compileStored } from './risk-models.compile.ts';
import * as repo from './risk-models.repo.ts';

// Tenants with a dry run in progress in this process.
const dryRunsRunning = new Set<string>();

/** What the models service shares with its dry runs. */
type Helpers = {
  inTenant: <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) => Promise<T>;
  getModel: (scope: TenantScope, id: string) => Promise<repo.StoredModel>;
  record: (
    scope: TenantScope,
    actor: Actor,
    action: string,
    model: { id: string; version: number },
    details?: Record<string, number>,
  ) => Promise<unknown>;
};

/** The dry-run use cases of the models service. */
export function createDryRuns(
  { clock }: RiskDeps,
  context: RiskContextLoader,
  { inTenant, getModel, record }: Helpers,
) {
  /** Reads everything in one transaction, evaluates outside it, then stores the result. */
  async function runDryRunFor(
    actor: Actor,
    id: string,
  ): Promise<{ id: string; summary: DryRunSummary; changes: DryRunChange[] }> {
    const read = await inTenant(actor, async (scope) => {
      const model = await getModel(scope, id);
      const published = await repo.findPublishedModel(scope);
      const loaded = await context.load(scope);
      return {
        model,
        published,
        input: {
          candidate: compileForTenant(model.definition, loaded.catalogue),
          baseline: published ? compileStored(published) : null,
          tables: loaded.tables,
          profiles: await listProfiles(scope),
          documents: await listDocumentStatuses(scope),
          answers: await context.answers(scope),
          today: clock.now().toISOString().slice(0, 10),
        },
      };
    });
    const { summary, changes } = await runDryRun(read.input);
    const runId = randomUUID();
    await inTenant(actor, async (scope) => {
      await repo.insertDryRun(
        scope,
        { id: runId, modelId: id, baselineModelId: read.published?.id ?? null, summary, changes },
        actor.id,
        clock.now(),
      );
      await record(scope, actor, 'risk.model_dry_run', read.model, {
        clients: summary.clients,
        changed: summary.changed,
      });
    });
    return { id: runId, summary, changes };
  }

  return {
    /** Evaluates a version against every client and compares it with the published model. */
    async dryRun(
      actor: Actor,
      id: string,
    ): Promise<{ id: string; summary: DryRunSummary; changes: DryRunChange[] }> {
      // One dry run per tenant at a time in this process: each walks the whole client book.
      const tenantId = requireTenant(actor);
      if (dryRunsRunning.has(tenantId)) {
        throw new AppError(
          'conflict',
          'A dry run is already running for your organisation; try again when it ends.',
        );
      }
      dryRunsRunning.add(tenantId);
      try {
        return await runDryRunFor(actor, id);
      } finally {
        dryRunsRunning.delete(tenantId);
      }
    },

    /** A stored dry run, with one page of its changes. */
    async getDryRun(actor: Actor, id: string, page: { offset: number; limit: number }) {
      const run = await inTenant(actor, (scope) => repo.findDryRun(scope, id));
      if (!run) throw new AppError('not_found', 'There is no such dry run.');
      const changes = run.changes as DryRunChange[];
      return {
        id: run.id,
        modelId: run.model_id,
        baselineModelId: run.baseline_model_id,
        createdAt: run.created_at,
        summary: run.summary as DryRunSummary,
        total: changes.length,
        changes: changes.slice(page.offset, page.offset + page.limit),
      };
    },
  };
}
