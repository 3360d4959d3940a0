/**
 * Compiles a model definition: checks its shape, parses and type-checks every derived value and
 * rule against the variables it may read, and returns closures ready to evaluate. All problems are
 * collected, each with where it is (`rules[3].when`) and, for an expression, the characters at fault.
 */
import { Value as Schema } from 'typebox/value';
import { compileExpression, type CompiledExpression, type ValueType } from './expression-compile.ts';
import { ExpressionError, pointAt } from './expression-syntax.ts';
import {
  DISPOSITIONS,
  ModelDefinitionSchema,
  type Disposition,
  type ModelDefinition,
  type RiskFactor,
  type RiskLevel,
} from './risk-model.schema.ts';

/** One problem in a model, for the author to fix. */
export type ModelIssue = {
  /** Where: `rules[3].when`, `thresholds.high`, `inputs`. */
  path: string;
  message: string;
  /** For an expression: the characters at fault, and the line with a caret under them. */
  start?: number;
  end?: number;
  pointer?: string;
};

/** A model that cannot be compiled, with every problem found. */
export class ModelError extends Error {
  readonly issues: readonly ModelIssue[];
  constructor(issues: readonly ModelIssue[]) {
    const first = issues[0];
    super(
      `The model has ${issues.length} problem${issues.length === 1 ? '' : 's'}${first ? `; first, ${first.path}: ${first.message}` : ''}`,
    );
    this.name = 'ModelError';
    this.issues = issues;
  }
}

/** The variables a model may read: name → type, with a description for people. */
export type Catalogue = ReadonlyMap<string, { type: ValueType; description: string }>;

/** A compiled rule. */
export type CompiledRule = {
  readonly id: string;
  readonly factor: RiskFactor;
  readonly points: number;
  readonly forceLevel: RiskLevel | null;
  readonly forceDisposition: Disposition | null;
  readonly condition: CompiledExpression;
};

/** A model ready to evaluate. */
export type CompiledModel = {
  readonly definition: ModelDefinition;
  /** Every input the model reads, with its type (what `definition.inputs` holds once saved). */
  readonly inputs: ReadonlyMap<string, ValueType>;
  readonly derived: readonly { name: string; expression: CompiledExpression }[];
  readonly rules: readonly CompiledRule[];
};

const DERIVED_PREFIX = 'derived.';

/**
 * The most parts all of a model's conditions may have together. Each expression is bounded on
 * its own; this bounds a whole model's cost per client (a dry run evaluates it for every client)
 * and its memory once compiled. The default model uses well under a tenth of it.
 */
export const MAX_MODEL_NODES = 6_000;

/** A schema error's JSON pointer (`/rules/3/id`) written as the issues write paths (`rules[3].id`). */
export const issuePath = (instancePath: string): string =>
  instancePath
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/^\//, '')
    .replaceAll('/', '.');

/**
 * Compiles `definition`. With a catalogue, inputs are typed from it (what the service does when a
 * model is saved); without one, from the definition's own `inputs` (a stored model, the CLI).
 */
export function compileModel(definition: unknown, catalogue?: Catalogue): CompiledModel {
  const shapeIssues = [...Schema.Errors(ModelDefinitionSchema, definition)].map((error) => ({
    path: issuePath(error.instancePath) || 'model',
    message: error.message,
  }));
  if (shapeIssues.length > 0) throw new ModelError(dropSchemaNoise(shapeIssues));
  const model = definition as ModelDefinition;
  const issues: ModelIssue[] = [];
  const declared = new Map(Object.entries(model.inputs ?? {}) as [string, ValueType][]);
  const inputs = new Map<string, ValueType>();
  const derivedTypes = new Map<string, ValueType>();
  const typeOf = (name: string): ValueType | undefined => {
    if (name.startsWith(DERIVED_PREFIX)) return derivedTypes.get(name);
    const type = catalogue ? catalogue.get(name)?.type : declared.get(name);
    if (type && !inputs.has(name)) inputs.set(name, type);
    return type;
  };
  const names = () => [...(catalogue ? catalogue.keys() : declared.keys()), ...derivedTypes.keys()];
  const compile = (path: string, source: string, expected?: 'boolean') => {
    try {
      return compileExpression(source, typeOf, { names: names(), ...(expected ? { expected } : {}) });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.push({
        path,
        message: error.message,
        start: error.start,
        end: error.end,
        pointer: pointAt(source, error),
      });
      return null;
    }
  };

  const derived: { name: string; expression: CompiledExpression }[] = [];
  (model.derived ?? []).forEach((entry, index) => {
    const name = DERIVED_PREFIX + entry.name;
    if (derivedTypes.has(name))
      issues.push({ path: `derived[${index}].name`, message: `'${entry.name}' is defined twice` });
    const expression = compile(`derived[${index}].expression`, entry.expression);
    if (expression) {
      derivedTypes.set(name, expression.type);
      derived.push({ name, expression });
    }
  });

  const seen = new Set<string>();
  const rules: CompiledRule[] = [];
  model.rules.forEach((rule, index) => {
    if (seen.has(rule.id))
      issues.push({ path: `rules[${index}].id`, message: `the rule id '${rule.id}' is used twice` });
    seen.add(rule.id);
    if (rule.points === undefined && !rule.forceLevel && !rule.forceDisposition) {
      issues.push({
        path: `rules[${index}]`,
        message: 'a rule must add points, force a level or force a disposition',
      });
    }
    const condition = compile(`rules[${index}].when`, rule.when, 'boolean');
    if (!condition) return;
    rules.push({
      id: rule.id,
      factor: rule.factor,
      points: rule.points ?? 0,
      forceLevel: rule.forceLevel ?? null,
      forceDisposition: rule.forceDisposition ?? null,
      condition,
    });
  });

  if (model.thresholds.high <= model.thresholds.medium) {
    issues.push({
      path: 'thresholds.high',
      message: 'the high threshold must be above the medium threshold',
    });
  }
  const rank = (disposition: Disposition) => DISPOSITIONS.indexOf(disposition);
  if (model.dispositions.high === 'auto_approve') {
    issues.push({
      path: 'dispositions.high',
      message: 'high risk needs enhanced due diligence; it cannot be approved automatically',
    });
  }
  if (
    rank(model.dispositions.low) > rank(model.dispositions.medium) ||
    rank(model.dispositions.medium) > rank(model.dispositions.high)
  ) {
    issues.push({
      path: 'dispositions',
      message: 'a higher level cannot have a milder disposition than a lower one',
    });
  }
  const size = [...derived.map((entry) => entry.expression), ...rules.map((rule) => rule.condition)].reduce(
    (sum, expression) => sum + expression.size,
    0,
  );
  if (size > MAX_MODEL_NODES) {
    issues.push({
      path: 'rules',
      message: `the model's conditions have ${size} parts in all; at most ${MAX_MODEL_NODES} are allowed (split it, or use derived values)`,
    });
  }
  if (issues.length > 0) throw new ModelError(issues);
  const sortedInputs = new Map([...inputs].sort(([a], [b]) => a.localeCompare(b)));
  return {
    definition: { ...model, inputs: Object.fromEntries(sortedInputs) as ModelDefinition['inputs'] },
    inputs: sortedInputs,
    derived,
    rules,
  };
}

// TypeBox reports each failed branch of a union; keep the most specific message per path.
function dropSchemaNoise(issues: ModelIssue[]): ModelIssue[] {
  const byPath = new Map<string, ModelIssue>();
  for (const issue of issues) {
    if (issue.message === 'schema is false') continue;
    if (!byPath.has(issue.path)) byPath.set(issue.path, issue);
  }
  return [...byPath.values()].slice(0, 50);
}
