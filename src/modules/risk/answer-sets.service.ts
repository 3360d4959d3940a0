/**
 * Clients' answers to questionnaires: checked against the version published when they are given,
 * stored sealed (free text may name people) with only the codes, numbers and levels rules read,
 * and always shown with the questions of the version they answered.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import type { FieldPlace } from '../vault/index.ts';
import * as repo from './answer-sets.repo.ts';
import {
  answerVariables,
  checkAnswers,
  compileQuestionnaire,
  visibleQuestions,
  type Answers,
} from './questionnaire.ts';
import { findVersionInStatus, hasClientProfile } from './questionnaires.repo.ts';
import { auditActor, requireTenant, type RiskDeps } from './risk-deps.ts';

/** Where an answer set's answers are sealed; key rotation re-seals them at the same place. */
const answersPlace = (answerSetId: string): FieldPlace => ({
  table: 'risk_answer_sets',
  column: 'answers_sealed',
  rowId: answerSetId,
});

/** An answer set opened: its answers, and the questions of the version they answered. */
export type OpenedAnswerSet = Omit<repo.StoredAnswerSet, 'answersSealed'> & {
  answers: Answers;
  visibleQuestions: string[];
};

/** Builds the answer-set use cases. */
export function createAnswerSetsService({ db, audit, clock, vault, onClientInputsChanged }: RiskDeps) {
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) =>
    withTenant(db, requireTenant(actor), work);

  async function requireProfile(scope: TenantScope, clientId: string): Promise<void> {
    if (!(await hasClientProfile(scope, clientId)))
      throw new AppError('not_found', 'This client has no risk profile.');
  }

  return {
    /** Records a client's answers to the questionnaire's published version. */
    async submitAnswers(actor: Actor, clientId: string, code: string, answers: Answers) {
      return inTenant(actor, async (scope) => {
        await requireProfile(scope, clientId);
        const published = await findVersionInStatus(scope, code, 'published');
        if (!published)
          throw new AppError('not_found', `The questionnaire '${code}' has no published version.`);
        const compiled = compileQuestionnaire(published.definition);
        const issues = checkAnswers(compiled, answers);
        if (issues.length > 0) {
          // The issues name questions and options, never the answers given.
          throw new AppError(
            'validation_failed',
            `The answers have ${issues.length} problem${issues.length === 1 ? '' : 's'}; see issues.`,
            { issues: issues.map((issue) => ({ ...issue })) },
          );
        }
        const id = randomUUID();
        const now = clock.now();
        const keyring = await vault.keyring(scope);
        // Only codes, numbers and levels: free text becomes "answered", a date whole years.
        const variables = answerVariables(code, compiled, answers, now.toISOString().slice(0, 10));
        await repo.insertAnswerSet(
          scope,
          {
            id,
            clientId,
            code,
            versionId: published.id,
            answersSealed: keyring.seal(answersPlace(id), 'json', { ...answers }),
            variables,
          },
          actor.id,
          now,
        );
        await audit.record(scope, [
          {
            action: 'risk.answers_submitted',
            actor: auditActor(actor),
            outcome: 'success',
            target: { type: 'risk_answer_set', id },
            details: { clientId, questionnaire: code, version: published.version, versionId: published.id },
          },
        ]);
        await onClientInputsChanged?.(scope, clientId);
        return {
          id,
          clientId,
          code,
          version: published.version,
          versionId: published.id,
          submittedAt: now,
          submittedBy: actor.id,
          variables,
        };
      });
    },

    /** A client's answer sets, newest first. */
    listAnswerSets: (actor: Actor, clientId: string) =>
      inTenant(actor, async (scope) => {
        await requireProfile(scope, clientId);
        return repo.listAnswerSets(scope, clientId);
      }),

    /** One answer set, opened, with the questions that were asked and which of them were shown. */
    getAnswerSet: (actor: Actor, clientId: string, answerSetId: string): Promise<OpenedAnswerSet> =>
      inTenant(actor, async (scope) => {
        const stored = await repo.findAnswerSet(scope, clientId, answerSetId);
        if (!stored) throw new AppError('not_found', 'There is no such answer set for this client.');
        const keyring = await vault.keyring(scope);
        const answers = keyring.open(answersPlace(stored.id), 'json', stored.answersSealed) as Answers;
        const visible = visibleQuestions(compileQuestionnaire(stored.definition), answers);
        const { answersSealed: _sealed, ...opened } = stored;
        return { ...opened, answers, visibleQuestions: [...visible] };
      }),
  };
}
