// The rule language's parser: precedence, literals, the exact characters each syntax error points
// at, and the limits that keep a hostile or careless condition from exhausting the stack or memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ExpressionError,
  MAX_EXPRESSION_LENGTH,
  MAX_LIST_ITEMS,
  MAX_NESTING,
  MAX_NODES,
  parseExpression,
  pointAt,
  type ExpressionNode,
} from './expression-syntax.ts';

/** The tree written with every operation in brackets, so precedence can be read off a string. */
function bracketed(node: ExpressionNode): string {
  switch (node.kind) {
    case 'number':
    case 'boolean':
      return String(node.value);
    case 'string':
      return JSON.stringify(node.value);
    case 'null':
      return 'null';
    case 'variable':
      return node.name;
    case 'list':
      return `[${node.items.map(bracketed).join(', ')}]`;
    case 'unary':
      return node.operator === 'not' ? `(not ${bracketed(node.operand)})` : `(-${bracketed(node.operand)})`;
    case 'binary':
      return `(${bracketed(node.left)} ${node.operator} ${bracketed(node.right)})`;
    case 'call':
      return `${node.name}(${node.args.map(bracketed).join(', ')})`;
  }
}

/** The error parsing `source` throws; fails the test when it parses. */
function syntaxError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (error) {
    assert.ok(error instanceof ExpressionError, `an ExpressionError, not ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(source.slice(0, 60))} to be refused`);
}

test('operators bind by precedence: or < and < not < comparison < ?? < + - < * / % < unary minus', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 * 2 + 3', '((1 * 2) + 3)'],
    ['10 - 4 - 3', '((10 - 4) - 3)'],
    ['8 / 4 % 3', '((8 / 4) % 3)'],
    ['not a and b', '((not a) and b)'],
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c', '((a and b) or c)'],
    ['not a == b', '(not (a == b))'],
    ['not not a', '(not (not a))'],
    ['-a * b', '((-a) * b)'],
    ['- - 1', '(-(-1))'],
    ['a - -1', '(a - (-1))'],
    ['a ?? 1 > 2', '((a ?? 1) > 2)'],
    ['a ?? b ?? 0', '((a ?? b) ?? 0)'],
    ['a ?? 1 + 2', '(a ?? (1 + 2))'],
    ["x not in ['a'] and y", '((x not in ["a"]) and y)'],
    ["not x in ['a']", '(not (x in ["a"]))'],
    ["x in ['a'] or y != 2", '((x in ["a"]) or (y != 2))'],
    ['max(a, b + 1) >= 3', '(max(a, (b + 1)) >= 3)'],
  ];
  for (const [source, expected] of cases) assert.equal(bracketed(parseExpression(source)), expected, source);
});

test('brackets group, and the grouped node spans its brackets', () => {
  assert.equal(bracketed(parseExpression('(1 + 2) * 3')), '((1 + 2) * 3)');
  assert.equal(bracketed(parseExpression('not (a and b)')), '(not (a and b))');
  assert.equal(bracketed(parseExpression('a and (b or c)')), '(a and (b or c))');
  const grouped = parseExpression('  (1 + 2) * 3');
  assert.equal(grouped.kind, 'binary');
  assert.deepEqual(
    grouped.kind === 'binary' && [grouped.left.start, grouped.left.end, grouped.start, grouped.end],
    [2, 9, 2, 13],
  );
});

test('every kind of literal, with its span', () => {
  const cases: [string, Partial<ExpressionNode>][] = [
    ['42', { kind: 'number', value: 42, start: 0, end: 2 }],
    ['0.25', { kind: 'number', value: 0.25, start: 0, end: 4 }],
    ["'high'", { kind: 'string', value: 'high', start: 0, end: 6 }],
    ['"high"', { kind: 'string', value: 'high', start: 0, end: 6 }],
    ["''", { kind: 'string', value: '', start: 0, end: 2 }],
    ['true', { kind: 'boolean', value: true, start: 0, end: 4 }],
    ['false', { kind: 'boolean', value: false, start: 0, end: 5 }],
    ['null', { kind: 'null', start: 0, end: 4 }],
    ['client.country_risk', { kind: 'variable', name: 'client.country_risk', start: 0, end: 19 }],
    ['_private', { kind: 'variable', name: '_private', start: 0, end: 8 }],
  ];
  for (const [source, expected] of cases) assert.deepEqual(parseExpression(source), expected, source);
  const list = parseExpression(' [\'IR\', "KP"] ');
  assert.equal(bracketed(list), '["IR", "KP"]');
  assert.deepEqual([list.start, list.end], [1, 13]);
  const call = parseExpression('count(x)');
  assert.deepEqual([call.kind, call.start, call.end], ['call', 0, 8]);
});

test('a quote inside a text is escaped with a backslash; other backslashes stay as written', () => {
  const cases: [string, string][] = [
    [String.raw`'it\'s'`, "it's"],
    [String.raw`"say \"hi\""`, 'say "hi"'],
    [String.raw`'a\\b'`, String.raw`a\b`],
    [String.raw`'C:\temp'`, String.raw`C:\temp`],
    [`"it's"`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
  ];
  for (const [source, value] of cases) {
    const node = parseExpression(source);
    assert.deepEqual(node, { kind: 'string', value, start: 0, end: source.length }, source);
  }
  // The escaped quote does not close the text, so the one after it is what is missing.
  assert.match(syntaxError(String.raw`'it\'s`).message, /not closed/);
});

test('each syntax error points at the characters at fault', () => {
  const cases: [source: string, message: RegExp, start: number, end: number][] = [
    ["'abc", /this text is not closed/, 0, 4],
    ['a == "x', /this text is not closed/, 5, 7],
    ['a b', /expected an operator .* but found 'b'/, 2, 3],
    ['a and b 3', /but found the number 3/, 8, 9],
    ["a 'x'", /but found the text 'x'/, 2, 5],
    ['a +', /expected a value, a variable or a bracket but found the end of the expression/, 3, 4],
    ['* a', /expected a value, a variable or a bracket but found '\*'/, 0, 1],
    ['a and', /found the end of the expression/, 5, 6],
    ['(a', /expected '\)' to close the bracket/, 2, 3],
    ['a)', /but found '\)'/, 1, 2],
    ['f(a,)', /but found '\)'/, 4, 5],
    ['f(a b)', /expected ',' or '\)' to end the call but found 'b'/, 4, 5],
    ["x in ['a' 'b']", /expected ',' or '\]' to end the list/, 10, 13],
    ['a == not b', /but found 'not'/, 5, 8],
    ['and', /but found 'and'/, 0, 3],
    ['1 < 2 < 3', /comparisons cannot be chained; join them with 'and'/, 6, 7],
    ['a == b != c', /cannot be chained/, 7, 9],
    ["a < 1 in ['x']", /cannot be chained/, 6, 8],
    ["a == 1 not in ['x']", /cannot be chained/, 7, 13],
    ['a && b', /write 'and' instead of '&&'/, 2, 4],
    ['a || b', /write 'or' instead of '\|\|'/, 2, 4],
    ['!a', /write 'not' instead of '!'/, 0, 1],
    ['a = 1', /write '==' to compare/, 2, 3],
    ['1abc == 2', /a name cannot start with a digit/, 0, 2],
    ['x + 2nd', /a name cannot start with a digit/, 4, 6],
    ['a $ b', /unexpected character '\$'/, 2, 3],
    ['a.b.', /unexpected character '\.'/, 3, 4],
    ['', /the expression is empty/, 0, 1],
    [' \n\t', /the expression is empty/, 0, 1],
    ['9'.repeat(400), /this number is too large/, 0, 400],
  ];
  for (const [source, message, start, end] of cases) {
    const error = syntaxError(source);
    assert.match(error.message, message, source);
    assert.deepEqual([error.start, error.end], [start, end], `${source}: ${error.message}`);
  }
});

test('the foreign-symbol hints do not catch the operators that contain those characters', () => {
  assert.equal(bracketed(parseExpression('a != b')), '(a != b)');
  assert.equal(bracketed(parseExpression('a == b')), '(a == b)');
  assert.equal(bracketed(parseExpression('a <= b')), '(a <= b)');
});

test(`nesting: ${MAX_NESTING} levels are accepted, one more is refused at the token that goes too deep`, () => {
  const builders: [string, (depth: number) => string, (depth: number) => number][] = [
    ['brackets', (n) => `${'('.repeat(n)}a${')'.repeat(n)}`, (n) => n - 1],
    ['not', (n) => `${'not '.repeat(n)}a`, (n) => 4 * (n - 1)],
    ['unary minus', (n) => `${'-'.repeat(n)}1`, (n) => n - 1],
    // Each `-(` is two levels: the minus and the bracket.
    ['-(…)', (n) => `${'-('.repeat(n / 2)}1${')'.repeat(n / 2)}`, (n) => n - 1],
    ['calls', (n) => `${'abs('.repeat(n)}1${')'.repeat(n)}`, (n) => 4 * (n - 1) + 3],
    ['lists', (n) => `x in ${'['.repeat(n)}'a'${']'.repeat(n)}`, (n) => 5 + n - 1],
  ];
  for (const [label, build, offendingStart] of builders) {
    const allowed = build(MAX_NESTING);
    assert.doesNotThrow(() => parseExpression(allowed), label);
    const depth = label === '-(…)' ? MAX_NESTING + 2 : MAX_NESTING + 1;
    const error = syntaxError(build(depth));
    assert.match(error.message, /may nest at most 32 levels deep/, label);
    assert.equal(error.start, offendingStart(MAX_NESTING + 1), label);
  }
  // 32 levels of `-(`…`)` plus one more minus inside: the minus is the 33rd level.
  const error = syntaxError(`${'-('.repeat(16)}-1${')'.repeat(16)}`);
  assert.deepEqual([error.start, error.end], [32, 33]);
});

test('deep nesting far past the limit is refused cleanly, never with a stack overflow', () => {
  const within = `${'('.repeat(1000)}a${')'.repeat(999)}`;
  assert.equal(within.length, MAX_EXPRESSION_LENGTH);
  assert.match(syntaxError(within).message, /nest at most/);
  assert.match(syntaxError(`${'not '.repeat(499)}a`).message, /nest at most/);
  // Far past the length limit, the length is checked before any parsing starts.
  const huge = syntaxError('('.repeat(100_000));
  assert.match(huge.message, /at most 2000 characters/);
});

test(`length: exactly ${MAX_EXPRESSION_LENGTH} characters parse; one more is refused, saying how long it is`, () => {
  const padded = (length: number) => `x == '${'a'.repeat(length - "x == ''".length)}'`;
  assert.equal(padded(MAX_EXPRESSION_LENGTH).length, MAX_EXPRESSION_LENGTH);
  assert.doesNotThrow(() => parseExpression(padded(MAX_EXPRESSION_LENGTH)));
  const error = syntaxError(padded(MAX_EXPRESSION_LENGTH + 1));
  assert.equal(error.message, 'an expression may be at most 2000 characters long (this one is 2001)');
  assert.deepEqual([error.start, error.end], [2000, 2001]);
});

test('2000 characters of `or` terms: within the node limit they parse, past it they are refused', () => {
  // Long names: about a hundred terms, well under the node limit.
  const terms = Array.from({ length: 100 }, (_, i) => `flag_${String(i).padStart(3, '0')}_xxxxxx`);
  const long = terms.join(' or ');
  const exact = long + ' or z'.padEnd(MAX_EXPRESSION_LENGTH - long.length, 'z');
  assert.equal(exact.length, MAX_EXPRESSION_LENGTH);
  const tree = parseExpression(exact);
  assert.equal(bracketed(tree).split(' or ').length, 101);
  // Short names: 400 terms make 799 nodes, refused by the node limit (the loop does not recurse).
  const short = Array.from({ length: 400 }, () => 'a').join(' or ');
  assert.ok(short.length <= MAX_EXPRESSION_LENGTH);
  assert.match(syntaxError(short).message, /at most 400 parts/);
});

test(`nodes: ${MAX_NODES} are accepted, ${MAX_NODES + 1} refused`, () => {
  const ones = (count: number) => Array.from({ length: count }, () => '1').join('+');
  // 200 numbers and 199 additions are 399 nodes; a unary minus on the first makes 400.
  assert.doesNotThrow(() => parseExpression(`-${ones(200)}`));
  const error = syntaxError(ones(201));
  assert.equal(error.message, 'an expression may have at most 400 parts');
});

test(`lists: ${MAX_LIST_ITEMS} items are accepted; the next item is refused where it stands`, () => {
  const list = (count: number) => `x in [${Array.from({ length: count }, (_, i) => `'${i}'`).join(', ')}]`;
  const tree = parseExpression(list(MAX_LIST_ITEMS));
  assert.equal(tree.kind === 'binary' && tree.right.kind === 'list' && tree.right.items.length, 100);
  const source = list(MAX_LIST_ITEMS + 1);
  const error = syntaxError(source);
  assert.equal(error.message, 'a list may have at most 100 items');
  assert.deepEqual([error.start, error.end], [source.indexOf("'100'"), source.indexOf("'100'") + 5]);
});

test('pointAt draws the line at fault with a caret under the characters', () => {
  assert.equal(pointAt('a and b c', { start: 8, end: 9 }), 'a and b c\n        ^');
  assert.equal(pointAt('abc == 1', { start: 0, end: 3 }), 'abc == 1\n^^^');
  // Only the line holding the error is drawn, and the caret is cut at its end.
  assert.equal(pointAt('a and\nfoo == 1\nor b', { start: 6, end: 9 }), 'foo == 1\n^^^');
  assert.equal(pointAt('a +\nb', { start: 2, end: 10 }), 'a +\n  ^');
  // At the very end (a missing operand), the caret stands just past the last character.
  assert.equal(pointAt('a +', { start: 3, end: 4 }), 'a +\n   ^');
  // An error at offset 0 of a source that opens with a newline (an empty expression).
  assert.equal(pointAt('\n', { start: 0, end: 1 }), '\n^');
});

test('pointAt on a real error underlines the offending token', () => {
  const source = 'screening.pep and\n  client.country_risk = 1';
  const error = syntaxError(source);
  assert.equal(pointAt(source, error), '  client.country_risk = 1\n                      ^');
});
