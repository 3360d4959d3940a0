/**
 * Type-checks a parsed expression against the variables it may read and compiles it to plain
 * closures, in one pass. A type error points at the token that caused it; a compiled expression
 * runs with no `eval` and no access to anything but the facts it is given.
 *
 * Missing facts are `null` and follow three-valued logic: a comparison with a missing value is
 * unknown, `false and unknown` is false, `true or unknown` is true, arithmetic on a missing value
 * is missing. `known(x)` tests for a value and `x ?? y` supplies a default.
 */
import { distance } from 'fastest-levenshtein';
import { compileCall } from './expression-functions.ts';
import {
  ExpressionError,
  parseExpression,
  type BinaryOperator,
  type ExpressionNode,
} from './expression-syntax.ts';
import {
  article,
  fail,
  type Compiled,
  type CompiledExpression,
  type Context,
  type Lookup,
  type Value,
  type ValueType,
  EvaluationError,
} from './expression-types.ts';

export type { CompiledExpression, FactsRecord, Value, ValueType } from './expression-types.ts';
export { EvaluationError } from './expression-types.ts';

/** Parses, checks and compiles `source`; `expected` is the type the caller needs (a condition: boolean). */
export function compileExpression(
  source: string,
  lookup: Lookup,
  options: { expected?: ValueType['kind']; names?: readonly string[] } = {},
): CompiledExpression {
  const tree = parseExpression(source);
  const variables: string[] = [];
  const compiled = compileNode(tree, { lookup, names: options.names ?? [], variables });
  if (options.expected && compiled.type.kind !== options.expected) {
    throw new ExpressionError(
      `this must be ${article(options.expected)} but it is ${article(compiled.type.kind)}`,
      tree.start,
      tree.end,
    );
  }
  return { type: compiled.type, variables, run: compiled.run, size: countNodes(tree) };
}

function compileNode(node: ExpressionNode, context: Context): Compiled {
  switch (node.kind) {
    case 'number':
      return { type: { kind: 'number' }, run: () => node.value };
    case 'string':
      return { type: { kind: 'text' }, run: () => node.value };
    case 'boolean':
      return { type: { kind: 'boolean' }, run: () => node.value };
    case 'null':
      throw fail(
        "'null' cannot be written here; test for a missing value with known(x), or supply one with ??",
        node,
      );
    case 'variable':
      return compileVariable(node, context);
    case 'list':
      return compileList(node);
    case 'unary':
      return compileUnary(node, context);
    case 'binary':
      return compileBinary(node, context);
    case 'call':
      return compileCall(
        node,
        node.args.map((arg) => compileNode(arg, context)),
      );
  }
}

function compileVariable(node: ExpressionNode & { kind: 'variable' }, context: Context): Compiled {
  const type = context.lookup(node.name);
  if (!type) {
    const suggestion = closestName(node.name, context.names);
    throw fail(
      `unknown variable '${node.name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
      node,
    );
  }
  if (!context.variables.includes(node.name)) context.variables.push(node.name);
  const { name } = node;
  // Own properties only: a variable named `constructor` must not read Object.prototype's.
  return { type, run: (facts) => (Object.hasOwn(facts, name) ? (facts[name] ?? null) : null) };
}

function closestName(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of names) {
    const edits = distance(name, candidate);
    if (edits < bestDistance) [best, bestDistance] = [candidate, edits];
  }
  return best;
}

function compileList(node: ExpressionNode & { kind: 'list' }): Compiled {
  if (node.items.length === 0) throw fail('a list needs at least one item', node);
  const values: string[] = [];
  for (const item of node.items) {
    if (item.kind !== 'string') throw fail('a list may hold only texts written in quotes', item);
    values.push(item.value);
  }
  const frozen = Object.freeze(values);
  return { type: { kind: 'list' }, run: () => frozen };
}

function compileUnary(node: ExpressionNode & { kind: 'unary' }, context: Context): Compiled {
  const operand = compileNode(node.operand, context);
  if (node.operator === 'not') {
    requireKind(operand, 'boolean', node.operand, "'not'");
    return {
      type: { kind: 'boolean' },
      run: (facts) => {
        const value = operand.run(facts);
        return value === null ? null : !value;
      },
    };
  }
  requireKind(operand, 'number', node.operand, "'-'");
  return {
    type: { kind: 'number' },
    run: (facts) => {
      const value = operand.run(facts);
      return value === null ? null : -(value as number);
    },
  };
}

function requireKind(compiled: Compiled, kind: ValueType['kind'], node: ExpressionNode, what: string): void {
  if (compiled.type.kind !== kind) {
    throw fail(`${what} needs ${article(kind)} here, but this is ${article(compiled.type.kind)}`, node);
  }
}

function compileBinary(node: ExpressionNode & { kind: 'binary' }, context: Context): Compiled {
  const left = compileNode(node.left, context);
  const right = compileNode(node.right, context);
  switch (node.operator) {
    case 'and':
    case 'or':
      requireKind(left, 'boolean', node.left, `'${node.operator}'`);
      requireKind(right, 'boolean', node.right, `'${node.operator}'`);
      return {
        type: { kind: 'boolean' },
        run: node.operator === 'and' ? kleeneAnd(left, right) : kleeneOr(left, right),
      };
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compileComparison(node, left, right);
    case 'in':
    case 'not in':
      return compileMembership(node, left, right);
    case '??':
      return compileCoalesce(node, left, right);
    default:
      return compileArithmetic(node, left, right);
  }
}

function kleeneAnd(left: Compiled, right: Compiled): Compiled['run'] {
  return (facts) => {
    const a = left.run(facts);
    if (a === false) return false;
    const b = right.run(facts);
    if (b === false) return false;
    return a === null || b === null ? null : true;
  };
}

function kleeneOr(left: Compiled, right: Compiled): Compiled['run'] {
  return (facts) => {
    const a = left.run(facts);
    if (a === true) return true;
    const b = right.run(facts);
    if (b === true) return true;
    return a === null || b === null ? null : false;
  };
}

/** A text literal compared with a text that has fixed values must be one of them. */
function checkOption(literal: ExpressionNode, literalType: ValueType, other: ValueType, what: string) {
  if (literal.kind !== 'string' || literalType.kind !== 'text') return;
  if ((other.kind !== 'text' && other.kind !== 'list') || !other.options) return;
  if (!other.options.includes(literal.value)) {
    throw fail(
      `'${literal.value}' is not a value of ${what}; it may be ${other.options.map((o) => `'${o}'`).join(', ')}`,
      literal,
    );
  }
}

const describeNode = (node: ExpressionNode) => (node.kind === 'variable' ? node.name : 'the other side');

function compileComparison(
  node: ExpressionNode & { kind: 'binary' },
  left: Compiled,
  right: Compiled,
): Compiled {
  const operator = node.operator;
  if (left.type.kind !== right.type.kind) {
    throw fail(`cannot compare ${article(left.type.kind)} with ${article(right.type.kind)}`, node);
  }
  if (left.type.kind === 'list') throw fail("lists cannot be compared; use 'in' or overlaps()", node);
  checkOption(node.left, left.type, right.type, describeNode(node.right));
  checkOption(node.right, right.type, left.type, describeNode(node.left));
  const isOrdering = operator !== '==' && operator !== '!=';
  let rank: ((value: Value) => number) | null = null;
  if (isOrdering && left.type.kind === 'boolean')
    throw fail(`'${operator}' cannot order true and false`, node);
  if (isOrdering && left.type.kind === 'text') {
    const ordered = [left.type, right.type].find(
      (type) => type.kind === 'text' && type.ordered && type.options,
    );
    if (!ordered || ordered.kind !== 'text' || !ordered.options) {
      throw fail(`'${operator}' orders numbers and levels only; this text has no order`, node);
    }
    const options = ordered.options;
    rank = (value) => options.indexOf(value as string);
  }
  const compare = comparator(operator);
  return {
    type: { kind: 'boolean' },
    run: (facts) => {
      const a = left.run(facts);
      const b = right.run(facts);
      if (a === null || b === null) return null;
      return rank ? compare(rank(a), rank(b)) : compare(a as number, b as number);
    },
  };
}

function comparator(
  operator: BinaryOperator,
): (a: number | string | boolean, b: number | string | boolean) => boolean {
  switch (operator) {
    case '==':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    default:
      return (a, b) => a >= b;
  }
}

function compileMembership(
  node: ExpressionNode & { kind: 'binary' },
  left: Compiled,
  right: Compiled,
): Compiled {
  requireKind(left, 'text', node.left, `'${node.operator}'`);
  requireKind(right, 'list', node.right, `'${node.operator}'`);
  if (node.right.kind === 'list' && left.type.kind === 'text' && left.type.options) {
    for (const item of node.right.items)
      checkOption(item, { kind: 'text' }, left.type, describeNode(node.left));
  } else checkOption(node.left, left.type, right.type, describeNode(node.right));
  const negate = node.operator === 'not in';
  return {
    type: { kind: 'boolean' },
    run: (facts) => {
      const value = left.run(facts);
      const list = right.run(facts) as readonly string[] | null;
      if (value === null || list === null) return null;
      return list.includes(value as string) !== negate;
    },
  };
}

function compileCoalesce(
  node: ExpressionNode & { kind: 'binary' },
  left: Compiled,
  right: Compiled,
): Compiled {
  if (left.type.kind !== right.type.kind) {
    throw fail(
      `'??' needs both sides of one type, not ${article(left.type.kind)} and ${article(right.type.kind)}`,
      node,
    );
  }
  checkOption(node.right, right.type, left.type, describeNode(node.left));
  return {
    type: left.type,
    run: (facts) => {
      const value = left.run(facts);
      return value === null ? right.run(facts) : value;
    },
  };
}

function compileArithmetic(
  node: ExpressionNode & { kind: 'binary' },
  left: Compiled,
  right: Compiled,
): Compiled {
  const operator = node.operator;
  requireKind(left, 'number', node.left, `'${operator}'`);
  requireKind(right, 'number', node.right, `'${operator}'`);
  const apply = arithmetic(operator);
  return {
    type: { kind: 'number' },
    run: (facts) => {
      const a = left.run(facts) as number | null;
      const b = right.run(facts) as number | null;
      if (a === null || b === null) return null;
      if ((operator === '/' || operator === '%') && b === 0)
        throw new EvaluationError('division by zero', node);
      const result = apply(a, b);
      if (!Number.isFinite(result)) throw new EvaluationError('the result is too large', node);
      return result;
    },
  };
}

function arithmetic(operator: BinaryOperator): (a: number, b: number) => number {
  switch (operator) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => a / b;
    default:
      return (a, b) => a % b;
  }
}

function countNodes(node: ExpressionNode): number {
  switch (node.kind) {
    case 'list':
      return 1 + node.items.length;
    case 'unary':
      return 1 + countNodes(node.operand);
    case 'binary':
      return 1 + countNodes(node.left) + countNodes(node.right);
    case 'call':
      return 1 + node.args.reduce((sum, arg) => sum + countNodes(arg), 0);
    default:
      return 1;
  }
}
