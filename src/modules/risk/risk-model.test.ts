// Compiling a risk model: every problem is reported at once with where it is (so an author fixes a
// model in one pass), and a model saved with its inputs compiles the same on its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './risk-evaluate.ts';
import { compileModel, ModelError, type Catalogue, type ModelIssue } from './risk-model.ts';
import type { ModelDefinition } from './risk-model.schema.ts';
import { buildCatalogue } from './risk-variables.ts';

const CATALOGUE = buildCatalogue({ services: ['custody', 'payments'] });

/** A valid model over built-in variables, to break one piece at a time. */
function validModel(): ModelDefinition {
  return {
    name: 'Test model',
    derived: [
      {
        name: 'foreign_per_layer',
        description: 'Foreign owners per layer of the structure',
        expression: 'ownership.foreign_owners / max(ownership.layers, 1)',
      },
    ],
    rules: [
      {
        id: 'high_country',
        description: 'High-risk country',
        factor: 'geography',
        when: "client.country_risk == 'high'",
        points: 30,
      },
      {
        id: 'payments',
        description: 'Payment services',
        factor: 'product',
        when: "'payments' in services.codes",
        points: 10,
      },
      { id: 'pep', description: 'PEP', factor: 'customer', when: 'screening.pep', forceLevel: 'high' },
      {
        id: 'foreign',
        description: 'Many foreign owners per layer',
        factor: 'other',
        when: 'derived.foreign_per_layer > 2',
        points: 5,
      },
    ],
    thresholds: { medium: 20, high: 40 },
    dispositions: { low: 'auto_approve', medium: 'manual_review', high: 'reject' },
  };
}

/** The issues compiling `definition` reports (null: on its own); fails the test when it compiles. */
function issuesOf(definition: unknown, catalogue: Catalogue | null = CATALOGUE): readonly ModelIssue[] {
  try {
    compileModel(definition, catalogue ?? undefined);
  } catch (error) {
    assert.ok(error instanceof ModelError, `a ModelError, not ${String(error)}`);
    return error.issues;
  }
  assert.fail('expected the model to be refused');
}

test('shape errors are all reported, with paths written like the other issues', () => {
  const broken = {
    ...validModel(),
    name: '',
    extra: true,
    rules: [{ id: 'Bad', description: 'x', factor: 'nope', when: 'screening.pep', points: 1.5 }],
    thresholds: { medium: 'x', high: 1 },
    dispositions: { low: 'auto_approve', medium: 'manual_review' },
  };
  const paths = issuesOf(broken).map((issue) => issue.path);
  for (const path of [
    'model',
    'name',
    'rules[0].id',
    'rules[0].factor',
    'rules[0].points',
    'thresholds.medium',
    'dispositions',
  ]) {
    assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
  }
  for (const notAModel of [null, 'model', 42, []]) {
    assert.deepEqual(issuesOf(notAModel), [{ path: 'model', message: 'must be object' }]);
  }
  assert.deepEqual(
    issuesOf({ ...validModel(), rules: [] }).map((issue) => issue.path),
    ['rules'],
  );
});

test('every problem of a well-formed model is collected, in model order', () => {
  const model = validModel();
  model.derived = [
    { name: 'twice', description: '', expression: '1' },
    { name: 'twice', description: '', expression: '2' },
  ];
  model.rules = [
    { id: 'a', description: 'typo', factor: 'geography', when: "client.contry_risk == 'high'", points: 1 },
    { id: 'a', description: 'no effect', factor: 'customer', when: 'screening.pep' },
    { id: 'c', description: 'number', factor: 'other', when: 'screening.open_hits', points: 2 },
    { id: 'd', description: 'empty', factor: 'other', when: '\n', points: 2 },
  ];
  model.thresholds = { medium: 10, high: 10 };
  model.dispositions = { low: 'manual_review', medium: 'auto_approve', high: 'auto_approve' };
  const issues = issuesOf(model);
  assert.deepEqual(
    issues.map((issue) => issue.path),
    [
      'derived[1].name',
      'rules[0].when',
      'rules[1].id',
      'rules[1]',
      'rules[2].when',
      'rules[3].when',
      'thresholds.high',
      'dispositions.high',
      'dispositions',
    ],
  );
  const byPath = new Map(issues.map((issue) => [issue.path, issue]));
  assert.equal(byPath.get('rules[1].id')?.message, "the rule id 'a' is used twice");
  assert.match(
    byPath.get('rules[1]')?.message ?? '',
    /must add points, force a level or force a disposition/,
  );
  assert.match(byPath.get('rules[2].when')?.message ?? '', /must be a boolean but it is a number/);
  assert.match(byPath.get('dispositions.high')?.message ?? '', /cannot be approved automatically/);
  assert.match(byPath.get('dispositions')?.message ?? '', /milder disposition/);
  // An empty condition is an issue like any other, not a crash while drawing its pointer.
  assert.equal(byPath.get('rules[3].when')?.message, 'the expression is empty');
});

test('an expression issue carries where it is and a caret pointer under the wrong token', () => {
  const model = validModel();
  (model.rules[1] as { when: string }).when = "screening.pep and 'payment' in services.codes";
  const [issue] = issuesOf(model);
  const start = "screening.pep and 'payment'".indexOf("'payment'");
  assert.deepEqual(issue, {
    path: 'rules[1].when',
    message: "'payment' is not a value of services.codes; it may be 'custody', 'payments'",
    start,
    end: start + "'payment'".length,
    pointer: `${model.rules[1]?.when}\n${' '.repeat(start)}${'^'.repeat(9)}`,
  });
  const error = (() => {
    try {
      compileModel(model, CATALOGUE);
    } catch (caught) {
      return caught as Error;
    }
  })();
  assert.match(error?.message ?? '', /^The model has 1 problem; first, rules\[1\]\.when: 'payment' is not/);
});

test('the high threshold must lie above the medium one', () => {
  const cases: [medium: number, high: number, isValid: boolean][] = [
    [20, 19, false],
    [20, 20, false],
    [20, 21, true],
    [-10, -5, true],
  ];
  for (const [medium, high, isValid] of cases) {
    const model = { ...validModel(), thresholds: { medium, high } };
    if (isValid) assert.doesNotThrow(() => compileModel(model, CATALOGUE), `${medium}/${high}`);
    else
      assert.deepEqual(
        issuesOf(model).map((issue) => issue.path),
        ['thresholds.high'],
        `${medium}/${high}`,
      );
  }
});

test('dispositions never get milder as the level rises, and high is never approved automatically', () => {
  const cases: [low: string, medium: string, high: string, paths: string[]][] = [
    ['auto_approve', 'manual_review', 'reject', []],
    ['auto_approve', 'auto_approve', 'manual_review', []],
    ['manual_review', 'manual_review', 'manual_review', []],
    ['manual_review', 'auto_approve', 'manual_review', ['dispositions']],
    ['auto_approve', 'reject', 'manual_review', ['dispositions']],
    ['auto_approve', 'auto_approve', 'auto_approve', ['dispositions.high']],
    ['reject', 'auto_approve', 'auto_approve', ['dispositions.high', 'dispositions']],
  ];
  for (const [low, medium, high, paths] of cases) {
    const model = { ...validModel(), dispositions: { low, medium, high } };
    const label = `${low}/${medium}/${high}`;
    if (paths.length === 0) assert.doesNotThrow(() => compileModel(model, CATALOGUE), label);
    else
      assert.deepEqual(
        issuesOf(model).map((issue) => issue.path),
        paths,
        label,
      );
  }
});

test('inputs are filled from the catalogue: exactly what the model reads, sorted, typed', () => {
  const compiled = compileModel(validModel(), CATALOGUE);
  assert.deepEqual(compiled.definition.inputs, {
    'client.country_risk': { kind: 'text', options: ['low', 'medium', 'high'], ordered: true },
    'ownership.foreign_owners': { kind: 'number' },
    'ownership.layers': { kind: 'number' },
    'screening.pep': { kind: 'boolean' },
    'services.codes': { kind: 'list', options: ['custody', 'payments'] },
  });
  assert.deepEqual([...compiled.inputs.keys()], Object.keys(compiled.definition.inputs ?? {}));
  // With a catalogue, inputs written into the definition are replaced, never trusted.
  const claimed = { ...validModel(), inputs: { 'screening.pep': { kind: 'number' as const } } };
  assert.deepEqual(compileModel(claimed, CATALOGUE).inputs.get('screening.pep'), { kind: 'boolean' });
});

test('a model compiled on its own from its saved inputs gives identical results', () => {
  const saved = JSON.parse(JSON.stringify(compileModel(validModel(), CATALOGUE).definition)) as unknown;
  const withCatalogue = compileModel(validModel(), CATALOGUE);
  const standalone = compileModel(saved);
  assert.deepEqual(standalone.inputs, withCatalogue.inputs);
  const factSets = [
    {},
    { 'client.country_risk': 'high', 'services.codes': ['payments'] },
    { 'screening.pep': true, 'ownership.foreign_owners': 7, 'ownership.layers': 2 },
    { 'ownership.foreign_owners': 1, 'ownership.layers': 0, 'client.country_risk': 'low' },
  ];
  for (const facts of factSets) {
    assert.deepEqual(evaluate(standalone, facts), evaluate(withCatalogue, facts), JSON.stringify(facts));
  }
});

test('without a catalogue or inputs, every variable is unknown, and each rule says so', () => {
  const issues = issuesOf(validModel(), null);
  assert.deepEqual(
    issues.map((issue) => issue.path),
    ['derived[0].expression', 'rules[0].when', 'rules[1].when', 'rules[2].when', 'rules[3].when'],
  );
  assert.match(issues[1]?.message ?? '', /^unknown variable 'client\.country_risk'/);
});

test('derived values: typed by their expression, read in order, refused when misused', () => {
  const later = validModel();
  later.derived = [
    { name: 'first', description: '', expression: 'derived.second + 1' },
    { name: 'second', description: '', expression: '2' },
  ];
  const [issue] = issuesOf(later);
  assert.equal(issue?.path, 'derived[0].expression');
  assert.match(issue?.message ?? '', /unknown variable 'derived\.second'/);
  const misused = validModel();
  (misused.rules[3] as { when: string }).when = "derived.foreign_per_layer == 'high'";
  assert.match(issuesOf(misused)[0]?.message ?? '', /cannot compare a number with a text/);
  // A derived value is not an input: it is computed, never supplied.
  assert.equal(compileModel(validModel(), CATALOGUE).inputs.has('derived.foreign_per_layer'), false);
});

test('names of Object.prototype are not in the catalogue', () => {
  for (const name of ['constructor', 'toString', '__proto__']) {
    const model = validModel();
    (model.rules[2] as { when: string }).when = `known(${name})`;
    const [issue] = issuesOf(model);
    assert.equal(issue?.path, 'rules[2].when', name);
    assert.ok(issue?.message.startsWith(`unknown variable '${name}'`), name);
  }
});

test('a model whose conditions have too many parts in all is refused, though each is within its own limit', () => {
  // `1 + 1 + … > 0` with 199 ones is 399 parts: within one expression's limit of 400.
  const heavy = `${Array.from({ length: 199 }, () => '1').join(' + ')} > 0`;
  const rules = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      id: `heavy_${index}`,
      description: 'A long sum',
      factor: 'other' as const,
      when: heavy,
      points: 1,
    }));
  assert.doesNotThrow(() => compileModel({ ...validModel(), rules: rules(15) }, CATALOGUE));
  const issues = issuesOf({ ...validModel(), rules: rules(16) });
  assert.equal(issues.length, 1);
  const parts = Number(/(\d+) parts in all; at most 6000/.exec(issues[0]!.message)?.[1]);
  assert.ok(parts >= 16 * 399, issues[0]!.message);
});
