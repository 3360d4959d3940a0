/** Pure rules for clients' risk: what a profile must hold, and what an override changes. */
import { AppError } from '../../platform/errors.ts';
import type { Value } from './expression-compile.ts';
import { checkFact, type EvaluationResult } from './risk-evaluate.ts';
import { RECORDED_FACTS, type RiskProfile, type RiskTables } from './risk-facts.ts';
import { DISPOSITIONS, RISK_LEVELS, type Disposition, type RiskLevel } from './risk-model.schema.ts';
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

const higherDisposition = (a: Disposition, b: Disposition): Disposition =>
  DISPOSITIONS.indexOf(a) >= DISPOSITIONS.indexOf(b) ? a : b;
const higherLevel = (a: RiskLevel, b: RiskLevel): RiskLevel =>
  RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b;

/**
 * The level and disposition once an officer's override applies. The override replaces the level
 * the points gave; it cannot go below a level a rule forced (a PEP stays high), cannot lift a
 * disposition a rule forced, nor a rejection the model decided, nor the manual review a failed
 * rule or derived value requires.
 */
export function applyOverride(
  result: EvaluationResult,
  dispositions: Record<RiskLevel, Disposition>,
  override: { level: RiskLevel } | null,
): { level: RiskLevel; disposition: Disposition } {
  if (!override) return { level: result.level, disposition: result.disposition };
  let level = override.level;
  let disposition: Disposition = result.disposition === 'reject' ? 'reject' : 'auto_approve';
  for (const rule of result.rules) {
    if (rule.outcome === 'fired' && rule.forceLevel) level = higherLevel(level, rule.forceLevel);
    if (rule.outcome === 'fired' && rule.forceDisposition)
      disposition = higherDisposition(disposition, rule.forceDisposition);
  }
  disposition = higherDisposition(disposition, dispositions[level]);
  if (result.hasFailure) disposition = higherDisposition(disposition, 'manual_review');
  return { level, disposition };
}
