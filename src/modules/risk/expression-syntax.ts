/**
 * The syntax of the rule language: a lexer and a precedence-climbing parser that turn a condition
 * such as `client.country_risk >= 'high' and not screening.pep` into a tree. Nothing here runs
 * code: the tree is checked against the variable catalogue and then compiled to closures.
 *
 * Precedence, lowest first: `or`, `and`, `not`, comparisons (`== != < <= > >= in`, `not in`;
 * one per level, not chained), `??`, `+ -`, `* / %`, unary `-`.
 */

/** The longest condition accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 2000;
/** How deeply brackets, calls, `not` and unary minus may nest. */
export const MAX_NESTING = 32;
/** The most nodes one expression may have. */
export const MAX_NODES = 400;
/** The most items in a list literal. */
export const MAX_LIST_ITEMS = 100;

/** A syntax or type error, pointing at the characters [start, end) of the source. */
export class ExpressionError extends Error {
  readonly start: number;
  readonly end: number;
  constructor(message: string, start: number, end: number) {
    super(message);
    this.name = 'ExpressionError';
    this.start = start;
    this.end = Math.max(end, start + 1);
  }
}

type Span = { start: number; end: number };

/** A node of the syntax tree, with its place in the source. */
export type ExpressionNode = Span &
  (
    | { kind: 'number'; value: number }
    | { kind: 'string'; value: string }
    | { kind: 'boolean'; value: boolean }
    | { kind: 'null' }
    | { kind: 'variable'; name: string }
    | { kind: 'list'; items: ExpressionNode[] }
    | { kind: 'unary'; operator: 'not' | '-'; operand: ExpressionNode }
    | { kind: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode }
    | { kind: 'call'; name: string; args: ExpressionNode[] }
  );

/** The binary operators. */
export type BinaryOperator =
  'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | '??' | '+' | '-' | '*' | '/' | '%';

type Token = Span &
  (
    | { type: 'number'; value: number }
    | { type: 'string'; value: string }
    | { type: 'name'; value: string }
    | { type: 'symbol'; value: string }
    | { type: 'end' }
  );

const SYMBOLS = ['==', '!=', '<=', '>=', '??', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', ','];
// Symbols from other languages, refused with the word this language uses instead.
const FOREIGN_SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['&&', "write 'and' instead of '&&'"],
  ['||', "write 'or' instead of '||'"],
  ['!', "write 'not' instead of '!'"],
  ['=', "write '==' to compare; '=' assigns nothing here"],
]);
// Both patterns are linear: each repetition starts with a character the one before cannot match.
// eslint-disable-next-line security/detect-unsafe-regex -- '.' separates the repeated parts
const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
// eslint-disable-next-line security/detect-unsafe-regex -- one optional fraction, no nesting
const NUMBER = /\d+(?:\.\d+)?/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at] as string;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(source);
    if (number) {
      const end = at + number[0].length;
      if (/[A-Za-z_]/.test(source[end] ?? ''))
        throw new ExpressionError('a name cannot start with a digit', at, end + 1);
      const value = Number(number[0]);
      // A literal of 309 digits or more reads as Infinity, which no fact can equal and JSON cannot store.
      if (!Number.isFinite(value)) throw new ExpressionError('this number is too large', at, end);
      tokens.push({ type: 'number', value, start: at, end });
      at = end;
      continue;
    }
    NAME.lastIndex = at;
    const name = NAME.exec(source);
    if (name) {
      tokens.push({ type: 'name', value: name[0], start: at, end: at + name[0].length });
      at += name[0].length;
      continue;
    }
    if (char === "'" || char === '"') {
      at = readString(source, at, char, tokens);
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, at));
    const foreign = [...FOREIGN_SYMBOLS.keys()].find((candidate) => source.startsWith(candidate, at));
    if (foreign && (!symbol || foreign.length > symbol.length)) {
      throw new ExpressionError(FOREIGN_SYMBOLS.get(foreign) as string, at, at + foreign.length);
    }
    if (!symbol) throw new ExpressionError(`unexpected character '${char}'`, at, at + 1);
    tokens.push({ type: 'symbol', value: symbol, start: at, end: at + symbol.length });
    at += symbol.length;
  }
  tokens.push({ type: 'end', start: source.length, end: source.length });
  return tokens;
}

function readString(source: string, start: number, quote: string, tokens: Token[]): number {
  let value = '';
  let at = start + 1;
  while (at < source.length && source[at] !== quote) {
    if (source[at] === '\\' && (source[at + 1] === quote || source[at + 1] === '\\')) at += 1;
    value += source[at];
    at += 1;
  }
  if (at >= source.length) throw new ExpressionError('this text is not closed', start, source.length);
  tokens.push({ type: 'string', value, start, end: at + 1 });
  return at + 1;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);

/** Parses one expression; throws an ExpressionError that points at the offending token. */
export function parseExpression(source: string): ExpressionNode {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `an expression may be at most ${MAX_EXPRESSION_LENGTH} characters long (this one is ${source.length})`,
      MAX_EXPRESSION_LENGTH,
      source.length,
    );
  }
  if (source.trim() === '') throw new ExpressionError('the expression is empty', 0, 1);
  const tokens = tokenize(source);
  let position = 0;
  let depth = 0;
  let nodes = 0;

  const peek = (): Token => tokens[position] as Token;
  const next = (): Token => tokens[position++] as Token;
  const isSymbol = (value: string) =>
    peek().type === 'symbol' && (peek() as { value: string }).value === value;
  const isWord = (value: string) => peek().type === 'name' && (peek() as { value: string }).value === value;
  const node = <T extends ExpressionNode>(built: T): T => {
    nodes += 1;
    if (nodes > MAX_NODES) {
      throw new ExpressionError(`an expression may have at most ${MAX_NODES} parts`, built.start, built.end);
    }
    return built;
  };
  const enter = (token: Span) => {
    depth += 1;
    if (depth > MAX_NESTING) {
      throw new ExpressionError(
        `an expression may nest at most ${MAX_NESTING} levels deep`,
        token.start,
        token.end,
      );
    }
  };
  const expect = (value: string, what: string): Token => {
    if (!isSymbol(value)) throw unexpected(peek(), what);
    return next();
  };

  const binary = (operator: BinaryOperator, left: ExpressionNode, right: ExpressionNode) =>
    node({ kind: 'binary', operator, left, right, start: left.start, end: right.end });

  function parseOr(): ExpressionNode {
    let left = parseAnd();
    while (isWord('or')) {
      next();
      left = binary('or', left, parseAnd());
    }
    return left;
  }
  function parseAnd(): ExpressionNode {
    let left = parseNot();
    while (isWord('and')) {
      next();
      left = binary('and', left, parseNot());
    }
    return left;
  }
  function parseNot(): ExpressionNode {
    if (!isWord('not')) return parseComparison();
    const token = next();
    enter(token);
    const operand = parseNot();
    depth -= 1;
    return node({ kind: 'unary', operator: 'not', operand, start: token.start, end: operand.end });
  }
  function parseComparison(): ExpressionNode {
    const left = parseCoalesce();
    const operator = comparisonAhead();
    if (!operator) return left;
    const right = parseCoalesce();
    const second = peek();
    if (comparisonAhead()) {
      throw new ExpressionError(
        "comparisons cannot be chained; join them with 'and'",
        second.start,
        (tokens[position - 1] as Token).end,
      );
    }
    return binary(operator, left, right);
  }
  function comparisonAhead(): BinaryOperator | null {
    const token = peek();
    if (token.type === 'symbol' && COMPARISONS.has(token.value)) {
      next();
      return token.value as BinaryOperator;
    }
    if (isWord('in')) {
      next();
      return 'in';
    }
    if (
      isWord('not') &&
      tokens[position + 1]?.type === 'name' &&
      (tokens[position + 1] as { value: string }).value === 'in'
    ) {
      position += 2;
      return 'not in';
    }
    return null;
  }
  function parseCoalesce(): ExpressionNode {
    let left = parseAdditive();
    while (isSymbol('??')) {
      next();
      left = binary('??', left, parseAdditive());
    }
    return left;
  }
  function parseAdditive(): ExpressionNode {
    let left = parseMultiplicative();
    while (isSymbol('+') || isSymbol('-')) {
      const operator = (next() as { value: string }).value as '+' | '-';
      left = binary(operator, left, parseMultiplicative());
    }
    return left;
  }
  function parseMultiplicative(): ExpressionNode {
    let left = parseUnary();
    while (isSymbol('*') || isSymbol('/') || isSymbol('%')) {
      const operator = (next() as { value: string }).value as '*' | '/' | '%';
      left = binary(operator, left, parseUnary());
    }
    return left;
  }
  function parseUnary(): ExpressionNode {
    if (!isSymbol('-')) return parsePrimary();
    const token = next();
    enter(token);
    const operand = parseUnary();
    depth -= 1;
    return node({ kind: 'unary', operator: '-', operand, start: token.start, end: operand.end });
  }
  function parsePrimary(): ExpressionNode {
    const token = next();
    switch (token.type) {
      case 'number':
        return node({ kind: 'number', value: token.value, start: token.start, end: token.end });
      case 'string':
        return node({ kind: 'string', value: token.value, start: token.start, end: token.end });
      case 'name':
        return parseName(token);
      case 'symbol':
        if (token.value === '(') {
          enter(token);
          const inner = parseOr();
          const close = expect(')', "')' to close the bracket");
          depth -= 1;
          return { ...inner, start: token.start, end: close.end };
        }
        if (token.value === '[') return parseList(token);
        throw unexpected(token, 'a value, a variable or a bracket');
      case 'end':
        throw unexpected(token, 'a value, a variable or a bracket');
    }
  }
  function parseName(token: Token & { type: 'name' }): ExpressionNode {
    const { value, start, end } = token;
    if (value === 'true' || value === 'false')
      return node({ kind: 'boolean', value: value === 'true', start, end });
    if (value === 'null') return node({ kind: 'null', start, end });
    if (KEYWORDS.has(value)) throw unexpected(token, 'a value, a variable or a bracket');
    if (!isSymbol('(')) return node({ kind: 'variable', name: value, start, end });
    enter(next());
    const args: ExpressionNode[] = [];
    if (!isSymbol(')')) {
      do args.push(parseOr());
      while (isSymbol(',') && next());
    }
    const close = expect(')', "',' or ')' to end the call");
    depth -= 1;
    return node({ kind: 'call', name: value, args, start, end: close.end });
  }
  function parseList(open: Token): ExpressionNode {
    enter(open);
    const items: ExpressionNode[] = [];
    if (!isSymbol(']')) {
      do {
        const item = parseOr();
        items.push(item);
        if (items.length > MAX_LIST_ITEMS) {
          throw new ExpressionError(`a list may have at most ${MAX_LIST_ITEMS} items`, item.start, item.end);
        }
      } while (isSymbol(',') && next());
    }
    const close = expect(']', "',' or ']' to end the list");
    depth -= 1;
    return node({ kind: 'list', items, start: open.start, end: close.end });
  }

  const tree = parseOr();
  if (peek().type !== 'end') throw unexpected(peek(), "an operator ('and', 'or', '==', '+' …) or the end");
  return tree;
}

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the text '${token.value}'`;
    case 'number':
      return `the number ${token.value}`;
    default:
      return `'${token.value}'`;
  }
}

function unexpected(token: Token, expected: string): ExpressionError {
  return new ExpressionError(`expected ${expected} but found ${describe(token)}`, token.start, token.end);
}

/** The source line with a caret under the characters an error points at, for people to read. */
export function pointAt(source: string, error: { start: number; end: number }): string {
  // At offset 0 there is no earlier line; searching from 0 would find a newline at 0 itself.
  const lineStart = error.start === 0 ? 0 : source.lastIndexOf('\n', error.start - 1) + 1;
  const lineEndAt = source.indexOf('\n', error.start);
  const lineEnd = lineEndAt === -1 ? source.length : lineEndAt;
  const line = source.slice(lineStart, lineEnd);
  const from = error.start - lineStart;
  const width = Math.max(1, Math.min(error.end, lineEnd) - error.start);
  return `${line}\n${' '.repeat(from)}${'^'.repeat(width)}`;
}
