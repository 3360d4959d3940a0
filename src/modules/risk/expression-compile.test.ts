// The rule language's type checker: what it refuses when a rule is saved, and where it points, so
// a model author sees the wrong token rather than a rule that silently never fires.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileExpression } from './expression-compile.ts';
import { ExpressionError } from './expression-syntax.ts';
import { compile, compileError } from './expression.test-fixtures.ts';

test('type errors name the problem and point at the token at fault', () => {
  const cases: [source: string, message: RegExp, start: number, end: number][] = [
    // A mismatch belongs to neither side, so the whole comparison is underlined.
    ["n == 'a'", /cannot compare a number with a text/, 0, 8],
    ['b == 1', /cannot compare a boolean with a number/, 0, 6],
    ['b < c', /'<' cannot order true and false/, 0, 5],
    ['b >= true', /'>=' cannot order true and false/, 0, 9],
    ["t >= 'a'", /orders numbers and levels only; this text has no order/, 0, 8],
    ['codes == codes', /lists cannot be compared/, 0, 14],
    ['t + 1', /'\+' needs a number here, but this is a text/, 0, 1],
    ['1 * t', /'\*' needs a number here, but this is a text/, 4, 5],
    ['n - b', /'-' needs a number here, but this is a boolean/, 4, 5],
    ['n and b', /'and' needs a boolean here, but this is a number/, 0, 1],
    ['b or n', /'or' needs a boolean here, but this is a number/, 5, 6],
    ['b and (n + 1)', /'and' needs a boolean/, 6, 13],
    ['not n', /'not' needs a boolean here, but this is a number/, 4, 5],
    ['-t', /'-' needs a number here, but this is a text/, 1, 2],
    ['n in codes', /'in' needs a text here, but this is a number/, 0, 1],
    ['t not in n', /'not in' needs a list here, but this is a number/, 9, 10],
    ["n ?? 'a'", /'\?\?' needs both sides of one type, not a number and a text/, 0, 8],
    ["t in [n, 'a']", /a list may hold only texts written in quotes/, 6, 7],
    ['t in []', /a list needs at least one item/, 5, 7],
  ];
  for (const [source, message, start, end] of cases) {
    const error = compileError(source);
    assert.match(error.message, message, source);
    assert.deepEqual([error.start, error.end], [start, end], `${source}: ${error.message}`);
  }
});

test('a condition must be a boolean; the whole expression is underlined', () => {
  const cases: [source: string, kind: string][] = [
    ['n + 1', 'a number'],
    ["risk ?? 'low'", 'a text'],
    ["['a']", 'a list'],
  ];
  for (const [source, kind] of cases) {
    const error = compileError(source, 'boolean');
    assert.equal(error.message, `this must be a boolean but it is ${kind}`, source);
    assert.deepEqual([error.start, error.end], [0, source.length], source);
  }
  assert.equal(compile('n > 1 and b', 'boolean').type.kind, 'boolean');
});

test('an unknown variable suggests the closest name, and only when one is close', () => {
  const typo = compileError("b and client.contry_risk == 'high'");
  assert.equal(typo.message, "unknown variable 'client.contry_risk' (did you mean 'client.country_risk'?)");
  assert.deepEqual([typo.start, typo.end], [6, 24]);
  assert.equal(compileError('risks').message, "unknown variable 'risks' (did you mean 'risk'?)");
  assert.equal(compileError('zzzzz').message, "unknown variable 'zzzzz'");
  assert.equal(compileError('screening.pep').message, "unknown variable 'screening.pep'");
  // With no names to suggest from, the message stays plain.
  assert.throws(
    () => compileExpression('risks', () => undefined),
    (error: unknown) => error instanceof ExpressionError && error.message === "unknown variable 'risks'",
  );
});

test('texts with fixed values refuse any other value, wherever the literal stands', () => {
  const cases: [source: string, literal: string, message: RegExp][] = [
    ["risk == 'hihg'", "'hihg'", /'hihg' is not a value of risk; it may be 'low', 'medium', 'high'/],
    ["'hihg' == risk", "'hihg'", /'hihg' is not a value of risk/],
    ["risk != 'High'", "'High'", /'High' is not a value of risk/],
    ["risk >= 'hi'", "'hi'", /'hi' is not a value of risk/],
    [
      "kind in ['person', 'entty']",
      "'entty'",
      /'entty' is not a value of kind; it may be 'person', 'entity'/,
    ],
    ["kind not in ['persn']", "'persn'", /'persn' is not a value of kind/],
    ["'z' in flags", "'z'", /'z' is not a value of flags; it may be 'x', 'y'/],
    ["(kind ?? 'entty') == 'person'", "'entty'", /'entty' is not a value of kind/],
  ];
  for (const [source, literal, message] of cases) {
    const error = compileError(source);
    assert.match(error.message, message, source);
    const start = source.indexOf(literal);
    assert.deepEqual([error.start, error.end], [start, start + literal.length], source);
  }
  for (const allowed of [
    "risk == 'high'",
    "kind in ['person', 'entity']",
    "'x' in flags",
    "t == 'anything at all'",
    "t in ['free', 'texts']",
  ]) {
    assert.doesNotThrow(() => compile(allowed), allowed);
  }
});

test('levels are ordered low < medium < high, against literals and against each other', () => {
  const atLeastMedium = compile("risk >= 'medium'");
  const cases: [risk: string, expected: boolean][] = [
    ['low', false],
    ['medium', true],
    ['high', true],
  ];
  for (const [risk, expected] of cases) assert.equal(atLeastMedium.run({ risk }), expected, risk);
  const below = compile('risk < other_risk');
  assert.equal(below.run({ risk: 'low', other_risk: 'high' }), true);
  assert.equal(below.run({ risk: 'high', other_risk: 'medium' }), false);
  assert.equal(below.run({ risk: 'medium', other_risk: 'medium' }), false);
  // Alphabetically 'high' < 'low' < 'medium': the level order must win.
  assert.equal(compile("'high' > risk").run({ risk: 'medium' }), true);
  assert.equal(compile("risk > 'low'").run({ risk: 'high' }), true);
});

test("'null' cannot be written; the message points to known() and ??", () => {
  for (const [source, start] of [
    ['null', 0],
    ['n == null', 5],
    ['n ?? null', 5],
  ] as const) {
    const error = compileError(source);
    assert.match(error.message, /'null' cannot be written here; .*known\(x\).*\?\?/, source);
    assert.deepEqual([error.start, error.end], [start, start + 4], source);
  }
});

test('variables lists each variable read once, in order of first use', () => {
  assert.deepEqual(compile('n + m > n and b').variables, ['n', 'm', 'b']);
  assert.deepEqual(compile("max(risk, other_risk) == 'high' or known(t)").variables, [
    'risk',
    'other_risk',
    't',
  ]);
  assert.deepEqual(compile('1 + 2 > 2').variables, []);
});

test('names of Object.prototype are not variables: lookups go through the catalogue only', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    assert.equal(compileError(`known(${name})`).message, `unknown variable '${name}'`, name);
  }
});

test('facts are read as own properties only, whatever the variable is called', () => {
  // A catalogue may legitimately declare such names (a model's own inputs are checked by pattern only).
  const types = new Map([
    ['constructor', { kind: 'number' as const }],
    ['__proto__', { kind: 'number' as const }],
    ['n', { kind: 'number' as const }],
  ]);
  const lookup = (name: string) => types.get(name);
  const isKnown = compileExpression('known(constructor)', lookup);
  assert.equal(isKnown.run({}), false, 'an empty object has no constructor fact');
  assert.equal(isKnown.run(JSON.parse('{"constructor": 4}')), true);
  const proto = compileExpression('__proto__ ?? -1', lookup);
  assert.equal(proto.run({}), -1, "Object.prototype is not the fact '__proto__'");
  assert.equal(proto.run(JSON.parse('{"__proto__": 3}')), 3);
  // An inherited property (a polluted prototype) is not a fact either.
  const inherited = Object.create({ n: 5 }) as Record<string, number>;
  assert.equal(compileExpression('n ?? 0', lookup).run(inherited), 0);
  assert.equal(compileExpression('n + 1', lookup).run(Object.assign(Object.create(null), { n: 1 })), 2);
});
