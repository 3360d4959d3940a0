/**
 * The firm-wide risk assessment (EU AMLD art. 8, Danish AML Act §7): versions drafted by the
 * compliance function and signed by an officer, each signed version in force until the next, with
 * the date its review is due; and the figures on the client book it rests on.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import { computeBookOverview } from './firm-assessment.overview.ts';
import * as repo from './firm-assessment.repo.ts';
import type { AssessmentDocument } from './firm-assessment.schemas.ts';
import { auditActor, requireTenant, type RiskDeps } from './risk-deps.ts';

/** The firm-wide assessment service. */
export type FirmAssessmentService = ReturnType<typeof createFirmAssessmentService>;

/** The furthest ahead a review may be set: the assessment is looked at again within two years. */
export const MAX_REVIEW_MONTHS = 24;

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return dayOf(new Date(Date.UTC(year, month - 1 + months, date)));
}

function invalid(message: string, location: string, pointer: string): AppError {
  return new AppError('validation_failed', message, { errors: [{ location, pointer, message }] });
}

/** Refuses a review date that is not after today or more than MAX_REVIEW_MONTHS ahead. */
export function checkReviewDue(reviewDue: string, now: Date): void {
  const today = dayOf(now);
  if (reviewDue <= today) throw invalid('The next review must be due after today.', 'body', '/reviewDue');
  const latest = addMonths(today, MAX_REVIEW_MONTHS);
  if (reviewDue > latest) {
    throw invalid(
      `The next review must be due within ${MAX_REVIEW_MONTHS} months (by ${latest}).`,
      'body',
      '/reviewDue',
    );
  }
}

// A draft may be unfinished; what is signed says what it covers, which risks, and what follows.
function assertComplete(document: AssessmentDocument): void {
  if (document.scope.trim() === '') throw invalid('Describe the scope before signing.', 'draft', '/scope');
  if (document.riskFactors.length === 0)
    throw invalid('Assess at least one risk before signing.', 'draft', '/riskFactors');
  if (document.conclusion.trim() === '')
    throw invalid('Write the conclusion before signing.', 'draft', '/conclusion');
}

/** Builds the service. */
export function createFirmAssessmentService({ db, audit, clock }: RiskDeps) {
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) =>
    withTenant(db, requireTenant(actor), work);

  const record = (
    scope: TenantScope,
    actor: Actor,
    action: 'risk.assessment_saved' | 'risk.assessment_signed',
    version: repo.AssessmentVersion,
    details: Record<string, string | number | boolean>,
  ) =>
    audit.record(scope, [
      {
        action,
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: 'firm_assessment', id: version.id },
        details: { version: version.version, ...details },
      },
    ]);

  return {
    /** The signed version in force and the open draft (either may be null). */
    getFirmAssessment: (actor: Actor) =>
      inTenant(actor, async (scope) => ({
        current: await repo.findCurrent(scope),
        draft: await repo.findDraft(scope),
      })),

    listFirmAssessmentVersions: (actor: Actor) => inTenant(actor, (scope) => repo.listVersions(scope)),

    /** Replaces the open draft, or opens the next version as a draft. */
    saveFirmAssessmentDraft: (actor: Actor, document: AssessmentDocument) =>
      inTenant(actor, async (scope) => {
        await repo.lockAssessment(scope);
        const at = clock.now();
        const open = await repo.findDraft(scope);
        let draft: repo.AssessmentVersion;
        if (open) {
          draft = { ...open, document, updatedAt: at, updatedBy: actor.id };
          await repo.updateDraft(scope, open.id, document, actor.id, at);
        } else {
          draft = {
            id: randomUUID(),
            version: await repo.nextVersionNumber(scope),
            status: 'draft',
            document,
            reviewDue: null,
            createdAt: at,
            createdBy: actor.id,
            updatedAt: at,
            updatedBy: actor.id,
            signedAt: null,
            signedBy: null,
          };
          await repo.insertDraft(scope, draft);
        }
        await record(scope, actor, 'risk.assessment_saved', draft, {
          isCreated: open === null,
          riskFactors: document.riskFactors.length,
        });
        return draft;
      }),

    /** Signs the open draft as the signing officer: it becomes the version in force. */
    signFirmAssessment: (actor: Actor, reviewDue: string) => {
      checkReviewDue(reviewDue, clock.now());
      return inTenant(actor, async (scope) => {
        await repo.lockAssessment(scope);
        const draft = await repo.findDraft(scope);
        if (!draft) throw new AppError('not_found', 'There is no draft assessment to sign.');
        assertComplete(draft.document);
        const at = clock.now();
        await repo.signDraft(scope, draft.id, reviewDue, actor.id, at);
        const signed: repo.AssessmentVersion = {
          ...draft,
          status: 'signed',
          reviewDue,
          signedAt: at,
          signedBy: actor.id,
          updatedAt: at,
          updatedBy: actor.id,
        };
        await record(scope, actor, 'risk.assessment_signed', signed, { reviewDue });
        return signed;
      });
    },

    /** Figures on the client book as of now. */
    firmAssessmentOverview: (actor: Actor) =>
      inTenant(actor, (scope) => computeBookOverview(scope, clock.now())),
  };
}
