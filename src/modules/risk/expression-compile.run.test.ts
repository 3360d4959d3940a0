// Running compiled rules: three-valued logic for missing facts, `??`, the functions, and the
// run-time failures (division by zero, overflow) that must surface instead of a silent wrong value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EvaluationError, type Value } from './expression-compile.ts';
import { compile, compileError } from './expression.test-fixtures.ts';

// Kleene's logic: a missing fact (null) is "unknown"; false wins an `and`, true wins an `or`.
const TRUTH_TABLE: [b: Value, c: Value, and: Value, or: Value][] = [
  [true, true, true, true],
  [true, false, false, true],
  [true, null, null, true],
  [false, true, false, true],
  [false, false, false, false],
  [false, null, false, null],
  [null, true, null, true],
  [null, false, false, null],
  [null, null, null, null],
];

test('and / or follow three-valued logic with missing facts', () => {
  const and = compile('b and c');
  const or = compile('b or c');
  for (const [b, c, expectedAnd, expectedOr] of TRUTH_TABLE) {
    assert.equal(and.run({ b, c }), expectedAnd, `${b} and ${c}`);
    assert.equal(or.run({ b, c }), expectedOr, `${b} or ${c}`);
  }
});

test('not of unknown is unknown; an absent key is the same as null', () => {
  const not = compile('not b');
  assert.equal(not.run({ b: true }), false);
  assert.equal(not.run({ b: false }), true);
  assert.equal(not.run({ b: null }), null);
  assert.equal(not.run({}), null);
});

test('the side that decides short-circuits the other, so its failure cannot matter', () => {
  assert.equal(compile('b or n / m > 1').run({ b: true, n: 1, m: 0 }), true);
  assert.equal(compile('b and n / m > 1').run({ b: false, n: 1, m: 0 }), false);
  assert.throws(() => compile('b and n / m > 1').run({ b: null, n: 1, m: 0 }), EvaluationError);
});

test('every comparison with a missing side is unknown, never false', () => {
  const comparisons: [source: string, facts: Record<string, Value>][] = [
    ['n > 1', {}],
    ['1 < n', {}],
    ['n == 1', {}],
    ['n != 1', { n: null }],
    ['n == m', { n: 1 }],
    ["risk == 'high'", {}],
    ["risk != 'high'", {}],
    ["risk >= 'low'", {}],
    ['t in codes', { t: 'a' }],
    ['t not in codes', { codes: ['a'] }],
    ["t not in ['a']", {}],
    ['b == true', {}],
  ];
  for (const [source, facts] of comparisons) assert.equal(compile(source).run(facts), null, source);
  // With both sides present the same comparisons answer.
  assert.equal(compile("t not in ['a']").run({ t: 'b' }), true);
  assert.equal(compile('t in codes').run({ t: 'a', codes: ['a', 'b'] }), true);
  assert.equal(compile('b == true').run({ b: false }), false);
});

test('arithmetic on a missing value is missing', () => {
  for (const source of ['n + 1', 'n - m', '-n', 'n * 2', 'abs(n)', 'round(n)', 'max(n, 1)', 'min(1, n)']) {
    assert.equal(compile(source).run({ m: 3 }), null, source);
  }
  assert.equal(compile('n * 2 + m').run({ n: 4, m: 1 }), 9);
});

test('?? supplies a default for a missing value only', () => {
  const withDefault = compile('n ?? 5');
  assert.equal(withDefault.run({}), 5);
  assert.equal(withDefault.run({ n: 0 }), 0, '0 is a value, not a missing one');
  assert.equal(compile('b ?? true').run({ b: false }), false);
  assert.equal(compile('n ?? m ?? 7').run({ m: 2 }), 2);
  assert.equal(compile('n ?? m ?? 7').run({}), 7);
  assert.equal(compile("(risk ?? 'low') == 'low'").run({}), true);
  // Keeping the left side's type keeps the option check on what follows.
  assert.equal(compile("risk ?? 'low'").type.kind, 'text');
  assert.match(
    compileError("(risk ?? 'low') == 'hi'").message,
    /'hi' is not a value of the other side; it may be 'low', 'medium', 'high'/,
  );
});

test('functions check their number of arguments', () => {
  const cases: [source: string, message: string][] = [
    ['known(n, m)', 'known() takes 1 argument, not 2'],
    ['known()', 'known() takes 1 argument, not 0'],
    ['count(codes, flags)', 'count() takes 1 argument, not 2'],
    ['overlaps(codes)', 'overlaps() takes 2 arguments, not 1'],
    ['max(n)', 'max() takes at least 2 arguments, not 1'],
    ['min()', 'min() takes at least 2 arguments, not 0'],
    ['abs(n, m)', 'abs() takes 1 argument, not 2'],
    ['round()', 'round() takes 1 argument, not 0'],
  ];
  for (const [source, message] of cases) {
    const error = compileError(source);
    assert.equal(error.message, message, source);
    assert.deepEqual([error.start, error.end], [0, source.length], source);
  }
  const unknown = compileError('avg(n, m) > 1');
  assert.match(unknown.message, /^unknown function 'avg'; the functions are known, count, overlaps, max/);
  assert.deepEqual([unknown.start, unknown.end], [0, 9]);
});

test('functions check their argument types and point at the wrong argument', () => {
  const cases: [source: string, message: RegExp, argument: string][] = [
    ['known(1)', /known\(\) takes a variable/, '1'],
    ['known(n + 1)', /known\(\) takes a variable/, 'n + 1'],
    ['count(n)', /count\(\) needs a list here, not a number/, 'n'],
    ['overlaps(codes, t)', /overlaps\(\) needs a list here, not a text/, 't'],
    ['abs(t)', /abs\(\) needs a number here, not a text/, 't'],
    ['round(b)', /round\(\) needs a number here, not a boolean/, 'b'],
    ['max(t, t)', /max\(\) compares numbers or levels/, 't'],
    ['max(n, risk)', /max\(\) needs all arguments of one kind; this is a number/, 'n'],
    ['min(risk, 3)', /min\(\) needs all arguments of one kind; this is a number/, '3'],
    ["max(risk, 'hgh')", /'hgh' is not a level; it may be 'low', 'medium', 'high'/, "'hgh'"],
  ];
  for (const [source, message, argument] of cases) {
    const error = compileError(source);
    assert.match(error.message, message, source);
    const start = source.indexOf(argument, source.indexOf('('));
    assert.deepEqual([error.start, error.end], [start, start + argument.length], source);
  }
});

test('max and min pick among numbers, and among levels by their order', () => {
  assert.equal(compile('max(n, m, 2)').run({ n: -1, m: 1.5 }), 2);
  assert.equal(compile('min(n, m, 2)').run({ n: -1, m: 1.5 }), -1);
  const highest = compile('max(risk, other_risk)');
  assert.equal(highest.run({ risk: 'medium', other_risk: 'low' }), 'medium');
  assert.equal(highest.run({ risk: 'medium', other_risk: 'high' }), 'high');
  assert.equal(highest.run({ risk: 'medium' }), null, 'a missing level makes the maximum unknown');
  assert.equal(compile("min(risk, 'medium')").run({ risk: 'high' }), 'medium');
  // A level literal first still finds the scale from the variable after it.
  assert.equal(compile("max('medium', risk) == 'high'").run({ risk: 'high' }), true);
  // The result is a level again, so it compares by level order.
  assert.equal(compile("max(risk, other_risk) > 'medium'").run({ risk: 'low', other_risk: 'high' }), true);
});

test('known, count, overlaps, abs and round', () => {
  const known = compile('known(b)');
  assert.equal(known.run({ b: false }), true, 'false is a known value');
  assert.equal(known.run({ b: null }), false);
  assert.equal(known.run({}), false);
  const count = compile('count(codes)');
  assert.equal(count.run({ codes: ['a', 'b', 'c'] }), 3);
  assert.equal(count.run({ codes: [] }), 0);
  assert.equal(count.run({}), null);
  const overlaps = compile("overlaps(codes, ['IR', 'KP'])");
  assert.equal(overlaps.run({ codes: ['DE', 'KP'] }), true);
  assert.equal(overlaps.run({ codes: ['DE', 'FR'] }), false);
  assert.equal(overlaps.run({ codes: [] }), false);
  assert.equal(overlaps.run({}), null);
  assert.equal(compile('abs(n)').run({ n: -3.5 }), 3.5);
  assert.equal(compile('round(n)').run({ n: 2.4 }), 2);
  assert.equal(compile('round(n)').run({ n: 2.6 }), 3);
});

test('division or modulo by a zero that is present fails at run time, pointing at the operation', () => {
  for (const operator of ['/', '%']) {
    const source = `1 + n ${operator} m`;
    const expression = compile(source);
    assert.throws(
      () => expression.run({ n: 7, m: 0 }),
      (error: unknown) =>
        error instanceof EvaluationError &&
        error.message === 'division by zero' &&
        error.start === 4 &&
        error.end === source.length,
      source,
    );
    // A missing divisor (or dividend) makes the result missing, not a failure.
    assert.equal(expression.run({ n: 7 }), null, `${source} without m`);
    assert.equal(expression.run({ m: 0 }), null, `${source} without n`);
  }
  assert.equal(compile('n / m').run({ n: 7, m: 2 }), 3.5);
  assert.equal(compile('n % m').run({ n: 7, m: 2 }), 1);
  assert.throws(() => compile('n / 0 > 1').run({ n: 1 }), EvaluationError);
});

test('a result too large to be a number fails instead of becoming Infinity', () => {
  assert.throws(
    () => compile('n * m').run({ n: 1e308, m: 10 }),
    (error: unknown) => error instanceof EvaluationError && error.message === 'the result is too large',
  );
  assert.equal(compile('n * m').run({ n: 1e300, m: 10 }), 1e301);
});
