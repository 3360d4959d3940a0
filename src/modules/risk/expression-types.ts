/** The types shared by the rule language's compiler and its functions. */
import { ExpressionError } from './expression-syntax.ts';

/** The type of a variable or an expression. Texts may list their allowed values (ordered: levels). */
export type ValueType =
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'text'; options?: readonly string[]; ordered?: boolean }
  | { kind: 'list'; options?: readonly string[] };

/** A value at run time; `null` is a missing fact. */
export type Value = number | boolean | string | readonly string[] | null;

/** The facts an expression reads, by variable name. */
export type FactsRecord = Readonly<Record<string, Value | undefined>>;

/** A failure while running a checked expression (division by zero, a number out of range). */
export class EvaluationError extends Error {
  readonly start: number;
  readonly end: number;
  constructor(message: string, node: { start: number; end: number }) {
    super(message);
    this.name = 'EvaluationError';
    this.start = node.start;
    this.end = node.end;
  }
}

/** A checked, compiled expression. */
export type CompiledExpression = {
  readonly type: ValueType;
  /** The variables it reads, in order of first use. */
  readonly variables: readonly string[];
  readonly run: (facts: FactsRecord) => Value;
  /** How many parts (nodes) it has: what a model's total budget counts. */
  readonly size: number;
};

/** A compiled sub-expression. */
export type Compiled = { type: ValueType; run: (facts: FactsRecord) => Value };

/** How the checker finds a variable's type. */
export type Lookup = (name: string) => ValueType | undefined;

/** The checker's state: the variables it may read and those read so far. */
export type Context = { lookup: Lookup; names: readonly string[]; variables: string[] };

/** "a number", "a text", "a list". */
export const article = (kind: string) =>
  kind === 'list' ? 'a list' : kind === 'text' ? 'a text' : `a ${kind}`;

/** A type error pointing at a node. */
export const fail = (message: string, node: { start: number; end: number }) =>
  new ExpressionError(message, node.start, node.end);
