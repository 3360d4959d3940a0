/**
 * Risk models: drafts checked against the tenant's catalogue when saved, publication with four
 * eyes (whoever wrote or submitted a version cannot approve it), and (in risk-dry-run.service.ts)
 * dry runs of a draft against every client before it is published.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { RiskContextLoader } from './risk-context.ts';
import { auditActor, requireTenant, type RiskDeps } from './risk-deps.ts';
import { createDryRuns } from './risk-dry-run.service.ts';
import { compileModel, ModelError } from './risk-model.ts';
import { compileForTenant } from './risk-models.compile.ts';
import type { ModelDefinition } from './risk-model.schema.ts';
import * as repo from './risk-models.repo.ts';
import { FUNCTIONS } from './expression-functions.ts';

/** The risk models service. */
export type RiskModelsService = ReturnType<typeof createRiskModelsService>;

const isEditable = (model: repo.StoredModel) => model.status === 'draft';

/** Builds the service. */
export function createRiskModelsService(deps: RiskDeps, context: RiskContextLoader) {
  const { db, audit, clock } = deps;
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) =>
    withTenant(db, requireTenant(actor), work);

  async function getModel(scope: TenantScope, id: string, forUpdate = false): Promise<repo.StoredModel> {
    const model = await repo.findModel(scope, id, forUpdate);
    if (!model) throw new AppError('not_found', 'There is no such risk model version.');
    return model;
  }

  const record = (
    scope: TenantScope,
    actor: Actor,
    action: string,
    model: { id: string; version: number },
    details = {},
  ) =>
    audit.record(scope, [
      {
        action: action as `risk.${string}`,
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: 'risk_model', id: model.id },
        details: { version: model.version, ...details },
      },
    ]);

  return {
    /** The variables and functions a rule may use. */
    async catalogue(actor: Actor) {
      const { catalogue } = await inTenant(actor, (scope) => context.load(scope));
      return {
        variables: [...catalogue].map(([name, { type, description }]) => ({ name, type, description })),
        functions: Object.values(FUNCTIONS),
      };
    },

    list: (actor: Actor) => inTenant(actor, (scope) => repo.listModels(scope)),
    get: (actor: Actor, id: string) => inTenant(actor, (scope) => getModel(scope, id)),
    async getPublished(actor: Actor) {
      const model = await inTenant(actor, (scope) => repo.findPublishedModel(scope));
      if (!model) throw new AppError('not_found', 'No risk model is published yet.');
      return model;
    },

    /** Checks a definition against the tenant's catalogue without saving it. */
    async check(actor: Actor, definition: unknown) {
      const { catalogue } = await inTenant(actor, (scope) => context.load(scope));
      try {
        const compiled = compileModel(definition, catalogue);
        return { isValid: true, issues: [], inputs: Object.keys(compiled.definition.inputs ?? {}) };
      } catch (error) {
        if (!(error instanceof ModelError)) throw error;
        return { isValid: false, issues: error.issues.map((issue) => ({ ...issue })), inputs: [] };
      }
    },

    /** Starts the next version as a draft (one open draft at a time). */
    async createDraft(actor: Actor, definition: unknown) {
      try {
        return await inTenant(actor, async (scope) => {
          const { catalogue } = await context.load(scope);
          const compiled = compileForTenant(definition, catalogue);
          if (await repo.findOpenModel(scope)) {
            throw new AppError(
              'conflict',
              'A draft or a version awaiting approval is already open; finish or withdraw it first.',
            );
          }
          const id = randomUUID();
          const version = await repo.insertModel(
            scope,
            {
              id,
              name: compiled.definition.name,
              status: 'draft',
              definition: compiled.definition,
              editors: [actor.id],
            },
            actor.id,
            clock.now(),
          );
          await record(scope, actor, 'risk.model_drafted', { id, version }, { rules: compiled.rules.length });
          return getModel(scope, id);
        });
      } catch (error) {
        // Two drafts started at once: the one-open-draft index (or the version number) let one in.
        if (isUniqueViolation(error))
          throw new AppError('conflict', 'Someone started a draft at the same time; open theirs instead.');
        throw error;
      }
    },

    /** Replaces a draft's definition. */
    async updateDraft(actor: Actor, id: string, definition: unknown) {
      return inTenant(actor, async (scope) => {
        const model = await getModel(scope, id, true);
        if (!isEditable(model))
          throw new AppError(
            'conflict',
            `Version ${model.version} is ${model.status.replace('_', ' ')}; only a draft can be edited.`,
          );
        const { catalogue } = await context.load(scope);
        const compiled = compileForTenant(definition, catalogue);
        await repo.updateModel(scope, id, {
          name: compiled.definition.name,
          definition: compiled.definition,
          editors: [...new Set([...model.editors, actor.id])],
          updated_at: clock.now(),
        });
        await record(scope, actor, 'risk.model_drafted', model, { rules: compiled.rules.length });
        return getModel(scope, id);
      });
    },

    /** Asks for publication; the submitter, like every editor, cannot approve. */
    async submit(actor: Actor, id: string) {
      return inTenant(actor, async (scope) => {
        const model = await getModel(scope, id, true);
        if (!isEditable(model))
          throw new AppError(
            'conflict',
            `Version ${model.version} is ${model.status.replace('_', ' ')}, not a draft.`,
          );
        // The catalogue may have changed since the draft was saved (a questionnaire retired).
        const { catalogue } = await context.load(scope);
        const compiled = compileForTenant(model.definition, catalogue);
        const now = clock.now();
        await repo.updateModel(scope, id, {
          status: 'pending_approval',
          definition: compiled.definition,
          editors: [...new Set([...model.editors, actor.id])],
          submitted_at: now,
          submitted_by: actor.id,
          updated_at: now,
        });
        await record(scope, actor, 'risk.model_submitted', model);
        return getModel(scope, id);
      });
    },

    /** Takes a version awaiting approval back to draft. */
    async withdraw(actor: Actor, id: string) {
      return inTenant(actor, async (scope) => {
        const model = await getModel(scope, id, true);
        if (model.status !== 'pending_approval')
          throw new AppError('conflict', `Version ${model.version} is not awaiting approval.`);
        await repo.updateModel(scope, id, {
          status: 'draft',
          submitted_at: null,
          submitted_by: null,
          updated_at: clock.now(),
        });
        await record(scope, actor, 'risk.model_drafted', model, { withdrawn: true });
        return getModel(scope, id);
      });
    },

    /** A second officer approves: the version is published and the previous one superseded. */
    async approve(actor: Actor, id: string, note: string | null) {
      return inTenant(actor, async (scope) => {
        const model = await getModel(scope, id, true);
        if (model.status !== 'pending_approval')
          throw new AppError('conflict', `Version ${model.version} is not awaiting approval.`);
        assertSecondPair(actor, model);
        const { catalogue } = await context.load(scope);
        compileForTenant(model.definition, catalogue);
        const previous = await repo.supersedePublished(scope);
        const now = clock.now();
        await repo.updateModel(scope, id, {
          status: 'published',
          decided_at: now,
          decided_by: actor.id,
          decision_note: note,
          published_at: now,
          updated_at: now,
        });
        await record(scope, actor, 'risk.model_approved', model, { supersedes: previous });
        return getModel(scope, id);
      });
    },

    /** A second officer sends a version back; it stays on record as rejected. */
    async reject(actor: Actor, id: string, note: string) {
      return inTenant(actor, async (scope) => {
        const model = await getModel(scope, id, true);
        if (model.status !== 'pending_approval')
          throw new AppError('conflict', `Version ${model.version} is not awaiting approval.`);
        assertSecondPair(actor, model);
        const now = clock.now();
        await repo.updateModel(scope, id, {
          status: 'rejected',
          decided_at: now,
          decided_by: actor.id,
          decision_note: note,
          updated_at: now,
        });
        await record(scope, actor, 'risk.model_rejected', model);
        return getModel(scope, id);
      });
    },

    ...createDryRuns(deps, context, { inTenant, getModel, record }),

    /** Publishes the default model for a tenant that has none (no approval: nothing to compare it with). */
    async installDefault(scope: TenantScope, definition: ModelDefinition): Promise<boolean> {
      if ((await repo.listModels(scope)).length > 0) return false;
      const compiled = compileModel(definition);
      await repo.insertModel(
        scope,
        {
          id: randomUUID(),
          name: compiled.definition.name,
          status: 'published',
          definition: compiled.definition,
          editors: [],
        },
        null,
        clock.now(),
      );
      return true;
    },
  };
}

/** Four eyes: a person approves, and not one who wrote or submitted the version. */
function assertSecondPair(actor: Actor, model: repo.StoredModel): void {
  if (actor.kind !== 'user')
    throw new AppError(
      'forbidden',
      'Only a compliance officer, signed in, may approve or reject a risk model.',
    );
  if (model.editors.includes(actor.id)) {
    throw new AppError(
      'forbidden',
      'Four eyes: you wrote or submitted this version, so another compliance officer must approve or reject it.',
    );
  }
}
