/** Pure rules for clients' risk: what a profile must hold, and what an override changes. */
import { AppError } from '../../platform/errors.ts';
import type { Value } from './expression-compile.ts';
import { checkFact, type EvaluationResult } from './risk-evaluate.ts';
import { RECORDED_FACTS, type RiskProfile, type RiskTables } from './risk-facts.ts';
import { DISPOSITIONS, type Disposition, type RiskLevel } from './risk-model.schema.ts';
import { BUILT_IN_VARIABLES } from './risk-variables.ts';

/** A profile as submitted. */
export type ProfileInput = {
  clientType: string;
  countryCode?: string | null;
  industryCode?: string | null;
  services: string[];
  facts?: Record<string, Value>;
};

const TYPES = new Map(BUILT_IN_VARIABLES.map((variable) => [variable.name, variable.type]));

/** Checks a submitted profile against the tenant's tables; throws a validation error naming the problem. */
export function checkProfile(clientId: string, input: ProfileInput, tables: RiskTables): RiskProfile {
  const clientType = tables.clientTypes.get(input.clientType);
  if (!clientType)
    throw new AppError('validation_failed', `'${input.clientType}' is not one of your client types.`);
  const unknownService = input.services.find((code) => !tables.services.has(code));
  if (unknownService)
    throw new AppError('validation_failed', `'${unknownService}' is not one of your services.`);
  const required = clientType.requiredFields ?? [];
  const absent = required.filter(
    (field) =>
      (field === 'country' && !input.countryCode) ||
      (field === 'industry' && !input.industryCode) ||
      (field === 'services' && input.services.length === 0),
  );
  if (absent.length > 0) {
    throw new AppError(
      'validation_failed',
      `A client of type '${input.clientType}' needs: ${absent.join(', ')}.`,
    );
  }
  const problems: { variable: string; message: string }[] = [];
  for (const [name, value] of Object.entries(input.facts ?? {})) {
    const type = TYPES.get(name);
    if (!type || !RECORDED_FACTS.has(name)) {
      problems.push({
        variable: name,
        message: 'is not a fact the firm records (it is derived, or unknown)',
      });
      continue;
    }
    const problem = checkFact(value, type);
    if (problem) problems.push({ variable: name, message: problem });
  }
  if (problems.length > 0) {
    throw new AppError(
      'validation_failed',
      `The facts are not valid: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`,
      {
        problems,
      },
    );
  }
  return {
    clientId,
    clientType: input.clientType,
    countryCode: input.countryCode ?? null,
    industryCode: input.industryCode ?? null,
    services: [...new Set(input.services)].sort(),
    facts: Object.fromEntries(Object.entries(input.facts ?? {}).filter(([, value]) => value !== null)),
  };
}

const higher = (a: Disposition, b: Disposition): Disposition =>
  DISPOSITIONS.indexOf(a) >= DISPOSITIONS.indexOf(b) ? a : b;

/**
 * The level and disposition once an officer's override applies. The override sets the level; it
 * cannot lift what a rule forced (a confirmed sanctions hit still rejects), nor a failed rule's
 * manual review.
 */
export function applyOverride(
  result: EvaluationResult,
  dispositions: Record<RiskLevel, Disposition>,
  override: { level: RiskLevel } | null,
): { level: RiskLevel; disposition: Disposition } {
  if (!override) return { level: result.level, disposition: result.disposition };
  let disposition = dispositions[override.level];
  for (const rule of result.rules) {
    if (rule.outcome === 'fired' && rule.forceDisposition)
      disposition = higher(disposition, rule.forceDisposition);
    if (rule.outcome === 'error') disposition = higher(disposition, 'manual_review');
  }
  return { level: override.level, disposition };
}
