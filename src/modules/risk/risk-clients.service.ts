/**
 * A client's risk: the profile the firm records, the documents it holds, evaluations by the
 * published model (stored with every fact and rule, so they replay years later), and an
 * officer's override of the level with a reason and an expiry.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import type { Value } from './expression-compile.ts';
import * as repo from './risk-clients.repo.ts';
import type { RiskContextLoader } from './risk-context.ts';
import { auditActor, requireTenant, type RiskDeps } from './risk-deps.ts';
import { evaluate, InvalidFactsError, type EvaluationResult } from './risk-evaluate.ts';
import {
  buildFacts,
  effectiveStatus,
  requiredDocuments,
  type DocumentStatus,
  type RiskProfile,
} from './risk-facts.ts';
import { applyOverride, checkProfile, type ProfileInput } from './risk-clients.rules.ts';
import { compileStored } from './risk-models.compile.ts';
import { findModel, findPublishedModel } from './risk-models.repo.ts';
import type { RiskLevel } from './risk-model.schema.ts';

/** The risk clients service. */
export type RiskClientsService = ReturnType<typeof createRiskClientsService>;

/** The longest an override may last: it must be looked at again within a year. */
export const MAX_OVERRIDE_DAYS = 366;

const overridePlace = (id: string) => ({ table: 'risk_overrides', column: 'reason_sealed', rowId: id });
const today = (date: Date) => date.toISOString().slice(0, 10);

/** Builds the service. */
export function createRiskClientsService(
  { db, audit, clock, vault, onClientInputsChanged }: RiskDeps,
  context: RiskContextLoader,
) {
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) =>
    withTenant(db, requireTenant(actor), work);

  async function getProfile(scope: TenantScope, clientId: string, forUpdate = false): Promise<RiskProfile> {
    const profile = await repo.findProfile(scope, clientId, forUpdate);
    if (!profile) throw new AppError('not_found', 'This client has no risk profile.');
    return profile;
  }

  const record = (
    scope: TenantScope,
    actor: Actor,
    action: `risk.${string}`,
    clientId: string,
    details = {},
  ) =>
    audit.record(scope, [
      {
        action,
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: 'client', id: clientId },
        details,
      },
    ]);

  return {
    /** Creates or replaces a client's risk profile (codes checked against the tenant's catalogue). */
    async saveProfile(actor: Actor, clientId: string, input: ProfileInput) {
      return inTenant(actor, async (scope) => {
        const { tables } = await context.load(scope);
        const profile = checkProfile(clientId, input, tables);
        await repo.saveProfile(scope, profile, actor.id, clock.now());
        await record(scope, actor, 'risk.profile_saved', clientId, {
          clientType: profile.clientType,
          services: profile.services.length,
        });
        return profile;
      });
    },

    getProfile: (actor: Actor, clientId: string) => inTenant(actor, (scope) => getProfile(scope, clientId)),

    /** The documents the client's type and services require, with their status today. */
    async listDocuments(actor: Actor, clientId: string) {
      return inTenant(actor, async (scope) => {
        const profile = await getProfile(scope, clientId);
        const { tables } = await context.load(scope);
        const held = new Map(
          ((await repo.listDocumentStatuses(scope, clientId)).get(clientId) ?? []).map((d) => [
            d.requirementCode,
            d,
          ]),
        );
        const day = today(clock.now());
        return requiredDocuments(tables, profile.clientType, profile.services).map((requirement) => ({
          code: requirement.code,
          name: requirement.name,
          status: effectiveStatus(held.get(requirement.code), day),
          expiresOn: held.get(requirement.code)?.expiresOn ?? null,
        }));
      });
    },

    /** Records a document's status. */
    async setDocumentStatus(actor: Actor, clientId: string, document: DocumentStatus) {
      return inTenant(actor, async (scope) => {
        const profile = await getProfile(scope, clientId, true);
        const { tables } = await context.load(scope);
        const required = requiredDocuments(tables, profile.clientType, profile.services);
        if (!required.some((requirement) => requirement.code === document.requirementCode)) {
          throw new AppError(
            'validation_failed',
            `The document '${document.requirementCode}' is not required for this client.`,
          );
        }
        await repo.saveDocumentStatus(scope, clientId, document, actor.id, clock.now());
        await record(scope, actor, 'risk.document_status_changed', clientId, {
          document: document.requirementCode,
          status: document.status,
        });
        await onClientInputsChanged?.(scope, clientId);
        return document;
      });
    },

    /** Evaluates the client with the published model and stores the evaluation. */
    async evaluate(actor: Actor, clientId: string) {
      return inTenant(actor, async (scope) => {
        const profile = await getProfile(scope, clientId, true);
        const model = await findPublishedModel(scope);
        if (!model)
          throw new AppError(
            'conflict',
            'No risk model is published; publish one before evaluating clients.',
          );
        const { tables } = await context.load(scope);
        const answers = (await context.answers(scope, [clientId])).get(clientId) ?? {};
        const documents = (await repo.listDocumentStatuses(scope, clientId)).get(clientId) ?? [];
        const now = clock.now();
        const facts = buildFacts(profile, tables, documents, answers, today(now));
        const result = evaluateOrExplain(compileStored(model), facts);
        const override = await repo.findActiveOverride(scope, clientId, now);
        const effective = applyOverride(result, model.definition.dispositions, override);
        const stored: repo.StoredEvaluation = {
          id: randomUUID(),
          clientId,
          modelId: model.id,
          modelVersion: model.version,
          facts,
          result: {
            ...result,
            override: override
              ? { id: override.id, level: override.level, expiresAt: override.expiresAt.toISOString() }
              : null,
          },
          level: effective.level,
          disposition: effective.disposition,
          overrideId: override?.id ?? null,
          evaluatedAt: now,
          evaluatedBy: actor.id,
        };
        await repo.insertEvaluation(scope, stored);
        await record(scope, actor, 'risk.client_evaluated', clientId, {
          evaluation: stored.id,
          model: model.version,
          level: stored.level,
          disposition: stored.disposition,
          overridden: override !== null,
        });
        return stored;
      });
    },

    listEvaluations: (actor: Actor, clientId: string, limit: number) =>
      inTenant(actor, async (scope) => {
        await getProfile(scope, clientId);
        return repo.listEvaluations(scope, clientId, limit);
      }),

    async getEvaluation(actor: Actor, id: string) {
      const evaluation = await inTenant(actor, (scope) => repo.findEvaluation(scope, id));
      if (!evaluation) throw new AppError('not_found', 'There is no such evaluation.');
      return evaluation;
    },

    /** Evaluates a stored evaluation's facts again with the model version it used. */
    async replay(actor: Actor, id: string) {
      return inTenant(actor, async (scope) => {
        const evaluation = await repo.findEvaluation(scope, id);
        if (!evaluation) throw new AppError('not_found', 'There is no such evaluation.');
        const model = await findModel(scope, evaluation.modelId);
        if (!model) throw new Error(`The model ${evaluation.modelId} of evaluation ${id} is missing`);
        const replayed = evaluateOrExplain(compileStored(model), evaluation.facts);
        const { override, ...original } = evaluation.result as EvaluationResult & { override: unknown };
        void override;
        return {
          evaluationId: id,
          modelVersion: model.version,
          isSame: sameResult(original, replayed),
          original,
          replayed,
        };
      });
    },

    /** Sets the client's level by hand until `expiresAt`, with a reason (sealed: it may name people). */
    async setOverride(
      actor: Actor,
      clientId: string,
      input: { level: RiskLevel; reason: string; expiresAt: Date },
    ) {
      const now = clock.now();
      if (input.expiresAt <= now)
        throw new AppError('validation_failed', 'An override must expire in the future.');
      if (input.expiresAt.getTime() - now.getTime() > MAX_OVERRIDE_DAYS * 86_400_000) {
        throw new AppError('validation_failed', `An override may last at most ${MAX_OVERRIDE_DAYS} days.`);
      }
      return inTenant(actor, async (scope) => {
        await getProfile(scope, clientId, true);
        const revoked = await repo.revokeOverrides(scope, clientId, actor.id, now);
        const id = randomUUID();
        const keyring = await vault.keyring(scope);
        await repo.insertOverride(scope, {
          id,
          clientId,
          level: input.level,
          reasonSealed: keyring.seal(overridePlace(id), 'text', input.reason),
          expiresAt: input.expiresAt,
          createdAt: now,
          createdBy: actor.id,
        });
        await record(scope, actor, 'risk.override_set', clientId, {
          override: id,
          level: input.level,
          replaced: revoked,
          expiresAt: input.expiresAt.toISOString(),
        });
        return {
          id,
          clientId,
          level: input.level,
          reason: input.reason,
          expiresAt: input.expiresAt,
          createdAt: now,
          createdBy: actor.id,
        };
      });
    },

    /** The override in force, with its reason opened, or null. */
    async getOverride(actor: Actor, clientId: string) {
      return inTenant(actor, async (scope) => {
        await getProfile(scope, clientId);
        const override = await repo.findActiveOverride(scope, clientId, clock.now());
        if (!override) return null;
        const keyring = await vault.keyring(scope);
        const reason = keyring.open(overridePlace(override.id), 'text', override.reasonSealed) as string;
        return {
          id: override.id,
          clientId,
          level: override.level,
          reason,
          expiresAt: override.expiresAt,
          createdAt: override.createdAt,
          createdBy: override.createdBy,
        };
      });
    },

    /** Ends the override in force. */
    async revokeOverride(actor: Actor, clientId: string) {
      return inTenant(actor, async (scope) => {
        await getProfile(scope, clientId, true);
        const revoked = await repo.revokeOverrides(scope, clientId, actor.id, clock.now());
        if (revoked === 0) throw new AppError('not_found', 'This client has no override in force.');
        await record(scope, actor, 'risk.override_revoked', clientId, { revoked });
      });
    },
  };
}

function evaluateOrExplain(
  model: Parameters<typeof evaluate>[0],
  facts: Record<string, Value>,
): EvaluationResult {
  try {
    return evaluate(model, facts);
  } catch (error) {
    if (error instanceof InvalidFactsError) {
      throw new AppError('validation_failed', error.message, {
        problems: error.problems.map((problem) => ({ ...problem })),
      });
    }
    throw error;
  }
}

// The stored result went through jsonb (keys reordered, undefined dropped): compare as JSON values.
const sameResult = (stored: unknown, fresh: unknown) =>
  isDeepStrictEqual(stored, JSON.parse(JSON.stringify(fresh)));
