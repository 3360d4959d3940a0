/** Shared fixtures for the rule language's tests: a small variable table and compile helpers. */
import assert from 'node:assert/strict';
import { compileExpression, type CompiledExpression, type ValueType } from './expression-compile.ts';
import { ExpressionError } from './expression-syntax.ts';

/** Levels, lowest first, as the catalogue types them. */
export const LEVEL: ValueType = { kind: 'text', options: ['low', 'medium', 'high'], ordered: true };

/** One variable of each kind the checker treats differently. */
export const VARIABLES: ReadonlyMap<string, ValueType> = new Map<string, ValueType>([
  ['n', { kind: 'number' }],
  ['m', { kind: 'number' }],
  ['b', { kind: 'boolean' }],
  ['c', { kind: 'boolean' }],
  ['t', { kind: 'text' }],
  ['risk', LEVEL],
  ['other_risk', LEVEL],
  ['kind', { kind: 'text', options: ['person', 'entity'] }],
  ['codes', { kind: 'list' }],
  ['flags', { kind: 'list', options: ['x', 'y'] }],
  ['client.country_risk', LEVEL],
]);

/** Compiles against VARIABLES, the way a model compiles against its catalogue. */
export function compile(source: string, expected?: ValueType['kind']): CompiledExpression {
  return compileExpression(source, (name) => VARIABLES.get(name), {
    names: [...VARIABLES.keys()],
    ...(expected ? { expected } : {}),
  });
}

/** The error compiling `source` throws; fails the test when it compiles. */
export function compileError(source: string, expected?: ValueType['kind']): ExpressionError {
  try {
    compile(source, expected);
  } catch (error) {
    assert.ok(error instanceof ExpressionError, `an ExpressionError, not ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(source)} to be refused`);
}
