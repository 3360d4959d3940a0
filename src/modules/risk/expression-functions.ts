/**
 * The functions the rule language offers. Each is checked for its argument types when a rule is
 * saved; none can reach anything but its arguments.
 */
import type { ExpressionNode } from './expression-syntax.ts';
import { article, fail, type Compiled, type Value, type ValueType } from './expression-types.ts';

type Call = ExpressionNode & { kind: 'call' };

/** The functions, with the one-line help the catalogue shows. */
export const FUNCTIONS: Readonly<Record<string, string>> = {
  known: 'known(x): true when the fact x has a value',
  count: 'count(list): how many items the list has',
  overlaps:
    "overlaps(a, b): true when the lists share an item, e.g. overlaps(ownership.owner_countries, ['IR', 'KP'])",
  max: 'max(a, b, …): the largest of numbers, or the highest of levels',
  min: 'min(a, b, …): the smallest of numbers, or the lowest of levels',
  abs: 'abs(n): the number without its sign',
  round: 'round(n): the nearest whole number',
};

const arity = (call: Call, args: readonly Compiled[], min: number, max: number) => {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw fail(
      `${call.name}() takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${args.length}`,
      call,
    );
  }
};

const need = (call: Call, index: number, args: readonly Compiled[], kind: ValueType['kind']) => {
  const arg = args[index] as Compiled;
  if (arg.type.kind !== kind) {
    throw fail(
      `${call.name}() needs ${article(kind)} here, not ${article(arg.type.kind)}`,
      call.args[index] as ExpressionNode,
    );
  }
};

/** Checks and compiles a call whose arguments are already compiled. */
export function compileCall(call: Call, args: readonly Compiled[]): Compiled {
  switch (call.name) {
    case 'known': {
      arity(call, args, 1, 1);
      if (call.args[0]?.kind !== 'variable') throw fail('known() takes a variable', call.args[0] ?? call);
      const [arg] = args as [Compiled];
      return { type: { kind: 'boolean' }, run: (facts) => arg.run(facts) !== null };
    }
    case 'count': {
      arity(call, args, 1, 1);
      need(call, 0, args, 'list');
      const [arg] = args as [Compiled];
      return {
        type: { kind: 'number' },
        run: (facts) => (arg.run(facts) as readonly string[] | null)?.length ?? null,
      };
    }
    case 'overlaps': {
      arity(call, args, 2, 2);
      need(call, 0, args, 'list');
      need(call, 1, args, 'list');
      const [a, b] = args as [Compiled, Compiled];
      return {
        type: { kind: 'boolean' },
        run: (facts) => {
          const left = a.run(facts) as readonly string[] | null;
          const right = b.run(facts) as readonly string[] | null;
          if (left === null || right === null) return null;
          return left.some((item) => right.includes(item));
        },
      };
    }
    case 'max':
    case 'min':
      return compileExtreme(call, args);
    case 'abs':
    case 'round': {
      arity(call, args, 1, 1);
      need(call, 0, args, 'number');
      const [arg] = args as [Compiled];
      const apply = call.name === 'abs' ? Math.abs : Math.round;
      return {
        type: { kind: 'number' },
        run: (facts) => {
          const value = arg.run(facts) as number | null;
          return value === null ? null : apply(value);
        },
      };
    }
    default:
      throw fail(
        `unknown function '${call.name}'; the functions are ${Object.keys(FUNCTIONS).join(', ')}`,
        call,
      );
  }
}

/** max() and min() over numbers, or over levels of one scale; missing if any argument is missing. */
function compileExtreme(call: Call, args: readonly Compiled[]): Compiled {
  arity(call, args, 2, Infinity);
  const first = (args[0] as Compiled).type;
  const scale = args
    .map((arg) => arg.type)
    .find((type) => type.kind === 'text' && type.ordered && type.options);
  const options = scale?.kind === 'text' ? scale.options : undefined;
  if (first.kind !== 'number' && !options) {
    throw fail(`${call.name}() compares numbers or levels`, call.args[0] as ExpressionNode);
  }
  args.forEach((arg, index) => {
    const node = call.args[index] as ExpressionNode;
    if (arg.type.kind !== (options ? 'text' : 'number')) {
      throw fail(`${call.name}() needs all arguments of one kind; this is ${article(arg.type.kind)}`, node);
    }
    if (options && node.kind === 'string' && !options.includes(node.value)) {
      throw fail(
        `'${node.value}' is not a level; it may be ${options.map((o) => `'${o}'`).join(', ')}`,
        node,
      );
    }
  });
  const pickHigher = call.name === 'max';
  const rank = (value: Value) => (options ? options.indexOf(value as string) : (value as number));
  const type: ValueType = options ? { kind: 'text', options, ordered: true } : { kind: 'number' };
  return {
    type,
    run: (facts) => {
      let best: Value = null;
      for (const arg of args) {
        const value = arg.run(facts);
        if (value === null) return null;
        if (best === null || (pickHigher ? rank(value) > rank(best) : rank(value) < rank(best))) best = value;
      }
      return best;
    },
  };
}
