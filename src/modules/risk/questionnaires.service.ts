/**
 * Questionnaires and their versions: one open draft per questionnaire, checked when saved, and
 * published in one step that retires the version before it. A published version never changes,
 * so every answer set can always be shown with the questions that were asked. Clients' answer
 * sets are their own use cases (answer-sets.service.ts), offered through this service.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { createAnswerSetsService } from './answer-sets.service.ts';
import { compileQuestionnaire, inputsDroppedBy, type CompiledQuestionnaire } from './questionnaire.ts';
import * as repo from './questionnaires.repo.ts';
import { ModelError } from './risk-model.ts';
import { auditActor, requireTenant, type RiskDeps } from './risk-deps.ts';
import { findPublishedModel } from './risk-models.repo.ts';

/** The questionnaires service. */
export type QuestionnairesService = ReturnType<typeof createQuestionnairesService>;

/** One questionnaire in the overview: its published version (if any) and whether a draft is open. */
export type QuestionnaireSummary = {
  code: string;
  publishedVersion: number | null;
  title: string;
  affectsScore: boolean;
  hasDraft: boolean;
};

/** Compiles a definition, turning its problems into a 400 that lists each with its path. */
function compileOrRefuse(definition: unknown): CompiledQuestionnaire {
  try {
    return compileQuestionnaire(definition);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    const count = error.issues.length;
    throw new AppError(
      'validation_failed',
      `The questionnaire has ${count} problem${count === 1 ? '' : 's'}; see issues.`,
      { issues: error.issues.map((issue) => ({ ...issue })) },
    );
  }
}

/** The overview: per code, the published version's title (a draft's when none is published yet). */
function summarise(current: repo.StoredVersion[]): QuestionnaireSummary[] {
  const byCode = new Map<string, { published?: repo.StoredVersion; draft?: repo.StoredVersion }>();
  for (const version of current) {
    const entry = byCode.get(version.code) ?? {};
    if (version.status === 'published') entry.published = version;
    else entry.draft = version;
    byCode.set(version.code, entry);
  }
  return [...byCode].map(([code, { published, draft }]) => {
    const shown = (published ?? draft)!;
    return {
      code,
      publishedVersion: published?.version ?? null,
      title: shown.definition.title,
      affectsScore: shown.definition.affectsScore,
      hasDraft: draft !== undefined,
    };
  });
}

/** Builds the service. */
export function createQuestionnairesService(deps: RiskDeps) {
  const { db, audit, clock } = deps;
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) =>
    withTenant(db, requireTenant(actor), work);

  async function getStoredVersion(scope: TenantScope, code: string, version: number) {
    const found = await repo.findVersion(scope, code, version);
    if (!found) throw new AppError('not_found', `There is no version ${version} of '${code}'.`);
    return found;
  }

  const record = (
    scope: TenantScope,
    actor: Actor,
    action: 'risk.questionnaire_drafted' | 'risk.questionnaire_published',
    version: { id: string; code: string; version: number },
    details: Record<string, number | boolean | null> = {},
  ) =>
    audit.record(scope, [
      {
        action,
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: 'risk_questionnaire_version', id: version.id },
        details: { questionnaire: version.code, version: version.version, ...details },
      },
    ]);

  return {
    /** Every questionnaire with its published version and whether a draft is open. */
    list: (actor: Actor) =>
      inTenant(actor, async (scope) => summarise(await repo.listCurrentVersions(scope))),

    /** Every version of a questionnaire, newest first. */
    listVersions: (actor: Actor, code: string) =>
      inTenant(actor, async (scope) => {
        const versions = await repo.listVersions(scope, code);
        if (versions.length === 0) throw new AppError('not_found', `There is no questionnaire '${code}'.`);
        return versions;
      }),

    /** One version with its definition. */
    getVersion: (actor: Actor, code: string, version: number) =>
      inTenant(actor, (scope) => getStoredVersion(scope, code, version)),

    /** Saves the questionnaire's open draft, starting the next version when none is open. */
    async saveDraft(
      actor: Actor,
      code: string,
      definition: unknown,
    ): Promise<{ version: repo.StoredVersion; isNew: boolean }> {
      const compiled = compileOrRefuse(definition);
      const questions = compiled.definition.questions.length;
      try {
        return await inTenant(actor, async (scope) => {
          const now = clock.now();
          const draft = await repo.findVersionInStatus(scope, code, 'draft', true);
          if (draft) {
            await repo.replaceDraftDefinition(scope, draft.id, compiled.definition, now);
            await record(scope, actor, 'risk.questionnaire_drafted', draft, { questions });
            return { version: await getStoredVersion(scope, code, draft.version), isNew: false };
          }
          const id = randomUUID();
          const number = await repo.insertVersion(
            scope,
            { id, code, status: 'draft', definition: compiled.definition },
            actor.id,
            now,
          );
          await record(
            scope,
            actor,
            'risk.questionnaire_drafted',
            { id, code, version: number },
            { questions },
          );
          return { version: await getStoredVersion(scope, code, number), isNew: true };
        });
      } catch (error) {
        // Two first saves at once: both saw no draft, and the one-draft index let only one in.
        if (isUniqueViolation(error))
          throw new AppError(
            'conflict',
            'Someone saved a draft of this questionnaire at the same time; try again.',
          );
        throw error;
      }
    },

    /** Publishes the open draft and retires the version published before it, in one transaction. */
    publishDraft: (actor: Actor, code: string) =>
      inTenant(actor, async (scope) => {
        const draft = await repo.findVersionInStatus(scope, code, 'draft', true);
        if (!draft) throw new AppError('not_found', `The questionnaire '${code}' has no draft to publish.`);
        // Checked when saved; checked again so that no rule change since can publish a broken version.
        compileOrRefuse(draft.definition);
        const model = await findPublishedModel(scope);
        const dropped = model ? inputsDroppedBy(code, draft.definition, model.definition.inputs ?? {}) : [];
        if (dropped.length > 0) {
          throw new AppError(
            'conflict',
            `The published risk model (version ${model?.version}) reads ${dropped.join(', ')}, which this ` +
              'version no longer offers as before. Publish a model that does not need them first.',
            { variables: dropped },
          );
        }
        const now = clock.now();
        // Retire first: the one-published index admits the draft only once the old version is gone.
        const retired = await repo.retirePublished(scope, code, now);
        await repo.publishDraft(scope, draft.id, actor.id, now);
        await record(scope, actor, 'risk.questionnaire_published', draft, { retired });
        return getStoredVersion(scope, code, draft.version);
      }),

    ...createAnswerSetsService(deps),
  };
}
