/**
 * The pure evaluation core: a compiled model and a client's facts in, a level, a disposition and
 * the full reasoning out. No I/O, no clock, no randomness, so a stored evaluation replays exactly.
 *
 * A rule whose condition is unknown (it reads a missing fact) does not fire and says which facts
 * were missing. A rule or derived value that fails (division by zero) never lowers the outcome:
 * the client goes to manual review, with the failure named.
 */
import { EvaluationError, type FactsRecord, type Value, type ValueType } from './expression-compile.ts';
import type { CompiledModel } from './risk-model.ts';
import {
  DISPOSITIONS,
  RISK_FACTORS,
  RISK_LEVELS,
  type Disposition,
  type RiskFactor,
  type RiskLevel,
} from './risk-model.schema.ts';

/** What became of one rule. */
export type RuleTrace = {
  id: string;
  outcome: 'fired' | 'not_fired' | 'unknown' | 'error';
  /** The points it added (0 unless it fired). */
  points: number;
  forceLevel?: RiskLevel;
  forceDisposition?: Disposition;
  /** For an unknown outcome: the facts it read that were missing. */
  missing?: string[];
  error?: string;
};

/** The result of one evaluation. */
export type EvaluationResult = {
  level: RiskLevel;
  disposition: Disposition;
  points: number;
  levelFromPoints: RiskLevel;
  pointsByFactor: Record<RiskFactor, number>;
  /** Why the outcome is what it is, in words, for the decision record. */
  reasons: string[];
  /** Every rule, in model order. */
  rules: RuleTrace[];
  /** Every input and derived value the model saw (missing facts as null). */
  variables: Record<string, Value>;
  /** A rule or derived value failed (division by zero): the client needs a person, whatever the points. */
  hasFailure: boolean;
};

/** Facts that do not fit the model's inputs (a text where a number belongs, an unknown option). */
export class InvalidFactsError extends Error {
  readonly problems: readonly { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(
      `The facts do not fit the model: ${problems.map((problem) => `${problem.variable} ${problem.message}`).join('; ')}`,
    );
    this.name = 'InvalidFactsError';
    this.problems = problems;
  }
}

/** Why a fact does not fit its type, or null when it fits. */
export function checkFact(value: unknown, type: ValueType): string | null {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'text':
      if (typeof value !== 'string') return 'must be a text';
      return !type.options || type.options.includes(value)
        ? null
        : `must be one of ${type.options.join(', ')}`;
    case 'list':
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
        return 'must be a list of texts';
      if (type.options) {
        const unknown = value.find((item: string) => !type.options?.includes(item));
        if (unknown !== undefined)
          return `holds '${String(unknown)}', which is not one of ${type.options.join(', ')}`;
      }
      return null;
  }
}

const higher = <T extends string>(scale: readonly T[], a: T, b: T): T =>
  scale.indexOf(a) >= scale.indexOf(b) ? a : b;

/** Evaluates a compiled model against a client's facts. */
export function evaluate(model: CompiledModel, facts: FactsRecord): EvaluationResult {
  // Own facts only, and defined rather than assigned, so that an input named `constructor` or
  // `__proto__` reads the client's fact, never Object.prototype (nor replaces the prototype).
  const variables: Record<string, Value> = Object.fromEntries(
    [...model.inputs.keys()].map((name) => [name, Object.hasOwn(facts, name) ? (facts[name] ?? null) : null]),
  );
  const problems: { variable: string; message: string }[] = [];
  for (const [name, type] of model.inputs) {
    const problem = checkFact(variables[name], type);
    if (problem) problems.push({ variable: name, message: problem });
  }
  if (problems.length > 0) throw new InvalidFactsError(problems);

  const reasons: string[] = [];
  let hasFailure = false;
  for (const { name, expression } of model.derived) {
    try {
      variables[name] = expression.run(variables);
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      variables[name] = null;
      hasFailure = true;
      reasons.push(`${name} could not be computed (${error.message}); manual review`);
    }
  }

  const pointsByFactor = Object.fromEntries(RISK_FACTORS.map((factor) => [factor, 0])) as Record<
    RiskFactor,
    number
  >;
  const rules: RuleTrace[] = [];
  let points = 0;
  let forcedLevel: RiskLevel = 'low';
  let forcedDisposition: Disposition = 'auto_approve';
  for (const rule of model.rules) {
    let outcome: Value;
    try {
      outcome = rule.condition.run(variables);
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      hasFailure = true;
      reasons.push(`rule ${rule.id} could not be evaluated (${error.message}); manual review`);
      rules.push({ id: rule.id, outcome: 'error', points: 0, error: error.message });
      continue;
    }
    if (outcome === null) {
      const missing = rule.condition.variables.filter((name) => variables[name] === null);
      rules.push({ id: rule.id, outcome: 'unknown', points: 0, missing });
      continue;
    }
    if (outcome !== true) {
      rules.push({ id: rule.id, outcome: 'not_fired', points: 0 });
      continue;
    }
    const trace: RuleTrace = { id: rule.id, outcome: 'fired', points: rule.points };
    points += rule.points;
    pointsByFactor[rule.factor] += rule.points;
    if (rule.forceLevel) {
      trace.forceLevel = rule.forceLevel;
      forcedLevel = higher(RISK_LEVELS, rule.forceLevel, forcedLevel);
      reasons.push(`rule ${rule.id} sets the level to at least ${rule.forceLevel}`);
    }
    if (rule.forceDisposition) {
      trace.forceDisposition = rule.forceDisposition;
      forcedDisposition = higher(DISPOSITIONS, rule.forceDisposition, forcedDisposition);
      reasons.push(`rule ${rule.id} requires ${rule.forceDisposition.replace('_', ' ')}`);
    }
    rules.push(trace);
  }

  const { thresholds, dispositions } = model.definition;
  const levelFromPoints: RiskLevel =
    points >= thresholds.high ? 'high' : points >= thresholds.medium ? 'medium' : 'low';
  reasons.unshift(
    `${points} points: ${levelFromPoints} (medium from ${thresholds.medium}, high from ${thresholds.high})`,
  );
  const level = higher(RISK_LEVELS, forcedLevel, levelFromPoints);
  let disposition = higher(DISPOSITIONS, forcedDisposition, dispositions[level]);
  if (hasFailure) disposition = higher(DISPOSITIONS, disposition, 'manual_review');
  return {
    level,
    disposition,
    points,
    levelFromPoints,
    pointsByFactor,
    reasons,
    rules,
    variables,
    hasFailure,
  };
}
