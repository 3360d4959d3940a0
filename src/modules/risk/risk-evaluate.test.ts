// Evaluating a model: points, levels at the exact thresholds, forced outcomes, missing facts, and
// failures that must never lower the outcome. The result must replay exactly from what is stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FactsRecord } from './expression-compile.ts';
import { evaluate, InvalidFactsError } from './risk-evaluate.ts';
import { compileModel, type CompiledModel } from './risk-model.ts';
import type { ModelDefinition } from './risk-model.schema.ts';

const LEVEL = { kind: 'text' as const, options: ['low', 'medium', 'high'], ordered: true };

// A standalone model (typed by its own inputs), the way a stored model is evaluated.
const DEFINITION: ModelDefinition = {
  name: 'Evaluation test',
  inputs: {
    country_risk: LEVEL,
    pep: { kind: 'boolean' },
    non_face_to_face: { kind: 'boolean' },
    regulated: { kind: 'boolean' },
    open_hits: { kind: 'number' },
    sanctions_hits: { kind: 'number' },
    owners: { kind: 'number' },
    foreign_owners: { kind: 'number' },
    services: { kind: 'list', options: ['custody', 'payments', 'advice'] },
  },
  derived: [{ name: 'foreign_share', description: '%', expression: 'foreign_owners * 100 / owners' }],
  rules: [
    { id: 'country_high', description: '-', factor: 'geography', when: "country_risk == 'high'", points: 30 },
    {
      id: 'country_medium',
      description: '-',
      factor: 'geography',
      when: "country_risk == 'medium'",
      points: 10,
    },
    { id: 'remote', description: '-', factor: 'channel', when: 'non_face_to_face', points: 15 },
    { id: 'payments', description: '-', factor: 'product', when: "'payments' in services", points: 10 },
    { id: 'regulated', description: '-', factor: 'customer', when: 'regulated', points: -20 },
    { id: 'foreign', description: '-', factor: 'other', when: 'derived.foreign_share > 50', points: 5 },
    { id: 'hit_rate', description: '-', factor: 'other', when: 'open_hits / count(services) > 2', points: 5 },
    { id: 'pep', description: '-', factor: 'customer', when: 'pep', forceLevel: 'high' },
    {
      id: 'open_hits',
      description: '-',
      factor: 'customer',
      when: 'open_hits > 0',
      forceDisposition: 'manual_review',
    },
    {
      id: 'sanctions',
      description: '-',
      factor: 'customer',
      when: 'sanctions_hits > 0',
      forceLevel: 'medium',
      forceDisposition: 'reject',
    },
  ],
  thresholds: { medium: 20, high: 40 },
  dispositions: { low: 'auto_approve', medium: 'manual_review', high: 'reject' },
};
const MODEL = compileModel(DEFINITION);

// Every fact known and nothing firing: each test changes only what it is about.
const QUIET = {
  country_risk: 'low',
  pep: false,
  non_face_to_face: false,
  regulated: false,
  open_hits: 0,
  sanctions_hits: 0,
  owners: 2,
  foreign_owners: 0,
  services: ['advice'],
};
const run = (changes: FactsRecord = {}, model: CompiledModel = MODEL) =>
  evaluate(model, { ...QUIET, ...changes });
const outcomes = (changes: FactsRecord) =>
  Object.fromEntries(run(changes).rules.map((rule) => [rule.id, rule.outcome]));

test('with nothing firing: no points, low, approved, every rule traced in model order', () => {
  const result = run();
  assert.deepEqual([result.level, result.disposition, result.points], ['low', 'auto_approve', 0]);
  assert.deepEqual(
    result.rules.map((rule) => rule.id),
    DEFINITION.rules.map((rule) => rule.id),
  );
  assert.ok(result.rules.every((rule) => rule.outcome === 'not_fired' && rule.points === 0));
  assert.deepEqual(result.reasons, ['0 points: low (medium from 20, high from 40)']);
});

test('points are summed in total and per factor, negative points included', () => {
  const result = run({
    country_risk: 'high',
    non_face_to_face: true,
    services: ['payments'],
    regulated: true,
  });
  // 30 (geography) + 15 (channel) + 10 (product) - 20 (customer)
  assert.equal(result.points, 35);
  assert.deepEqual(result.pointsByFactor, {
    customer: -20,
    geography: 30,
    product: 10,
    channel: 15,
    other: 0,
  });
  assert.deepEqual(
    [result.levelFromPoints, result.level, result.disposition],
    ['medium', 'medium', 'manual_review'],
  );
  const fired = result.rules.filter((rule) => rule.outcome === 'fired');
  assert.deepEqual(
    fired.map((rule) => [rule.id, rule.points]),
    [
      ['country_high', 30],
      ['remote', 15],
      ['payments', 10],
      ['regulated', -20],
    ],
  );
});

test('the level from points changes exactly at each threshold', () => {
  const modelWith = (points: number) =>
    compileModel({
      ...DEFINITION,
      rules: [{ id: 'fixed', description: '-', factor: 'other', when: 'pep', points }],
    });
  const cases: [points: number, level: string][] = [
    [-100, 'low'],
    [19, 'low'],
    [20, 'medium'],
    [39, 'medium'],
    [40, 'high'],
    [100, 'high'],
  ];
  for (const [points, level] of cases) {
    const result = run({ pep: true }, modelWith(points));
    assert.equal(result.points, points);
    assert.equal(result.levelFromPoints, level, `${points} points`);
    assert.equal(
      result.disposition,
      DEFINITION.dispositions[level as 'low' | 'medium' | 'high'],
      `${points}`,
    );
  }
});

test('forced levels and dispositions take the highest, and never lower what points gave', () => {
  const forced = run({ pep: true, sanctions_hits: 1, open_hits: 1 });
  assert.deepEqual([forced.levelFromPoints, forced.level, forced.disposition], ['low', 'high', 'reject']);
  assert.deepEqual(forced.reasons.slice(1), [
    'rule pep sets the level to at least high',
    'rule open_hits requires manual review',
    'rule sanctions sets the level to at least medium',
    'rule sanctions requires reject',
  ]);
  const sanctions = forced.rules.find((rule) => rule.id === 'sanctions');
  assert.deepEqual(sanctions, {
    id: 'sanctions',
    outcome: 'fired',
    points: 0,
    forceLevel: 'medium',
    forceDisposition: 'reject',
  });
  // 45 points is high (reject); forcing medium and manual review must not soften it.
  const strong = run({ country_risk: 'high', non_face_to_face: true, open_hits: 1 });
  assert.deepEqual([strong.level, strong.disposition], ['high', 'reject']);
  // A forced level over low points lifts the level, and the level's disposition follows.
  const lifted = run({ pep: true });
  assert.deepEqual([lifted.levelFromPoints, lifted.level, lifted.disposition], ['low', 'high', 'reject']);
});

test('a rule reading a missing fact is unknown, names what was missing, and does not fire', () => {
  const result = evaluate(MODEL, { ...QUIET, country_risk: null, owners: undefined });
  const unknown = result.rules.filter((rule) => rule.outcome === 'unknown');
  assert.deepEqual(unknown, [
    { id: 'country_high', outcome: 'unknown', points: 0, missing: ['country_risk'] },
    { id: 'country_medium', outcome: 'unknown', points: 0, missing: ['country_risk'] },
    { id: 'foreign', outcome: 'unknown', points: 0, missing: ['derived.foreign_share'] },
  ]);
  assert.deepEqual([result.level, result.disposition], ['low', 'auto_approve']);
  assert.equal(result.variables.country_risk, null);
  assert.equal(result.variables.owners, null);
  // Only the facts that were missing are named, not every fact the rule reads.
  const partly = run({ services: null, open_hits: 3 }).rules.find((rule) => rule.id === 'hit_rate');
  assert.deepEqual(partly?.missing, ['services']);
});

test('derived values are computed from the facts and shown with them', () => {
  const result = run({ owners: 4, foreign_owners: 3 });
  assert.equal(result.variables['derived.foreign_share'], 75);
  assert.equal(result.rules.find((rule) => rule.id === 'foreign')?.outcome, 'fired');
  assert.equal(result.pointsByFactor.other, 5);
  // A fact named like a derived value cannot override it.
  const spoofed = evaluate(MODEL, { ...QUIET, 'derived.foreign_share': 99 });
  assert.equal(spoofed.variables['derived.foreign_share'], 0);
});

test('a division by zero in a rule: outcome error, and at least manual review with the reason', () => {
  const result = run({ services: [], open_hits: 0 });
  const failed = result.rules.find((rule) => rule.id === 'hit_rate');
  assert.deepEqual(failed, { id: 'hit_rate', outcome: 'error', points: 0, error: 'division by zero' });
  assert.deepEqual([result.level, result.disposition], ['low', 'manual_review']);
  assert.ok(
    result.reasons.includes('rule hit_rate could not be evaluated (division by zero); manual review'),
  );
  // A harsher disposition stays: the failure raises to manual review, never lowers to it.
  const harsh = run({ services: [], sanctions_hits: 1 });
  assert.equal(harsh.disposition, 'reject');
});

test('a derived value that fails is missing for the rules, and sends the client to manual review', () => {
  const result = run({ owners: 0, foreign_owners: 0 });
  assert.equal(result.variables['derived.foreign_share'], null);
  assert.equal(outcomes({ owners: 0 }).foreign, 'unknown');
  assert.equal(result.disposition, 'manual_review');
  assert.ok(
    result.reasons.includes('derived.foreign_share could not be computed (division by zero); manual review'),
  );
});

test('facts of the wrong type are refused together, each naming its variable', () => {
  const cases: [facts: Record<string, unknown>, problems: { variable: string; message: string }[]][] = [
    [{ open_hits: '3' }, [{ variable: 'open_hits', message: 'must be a number' }]],
    [{ open_hits: Number.POSITIVE_INFINITY }, [{ variable: 'open_hits', message: 'must be a number' }]],
    [{ pep: 'yes' }, [{ variable: 'pep', message: 'must be true or false' }]],
    [{ country_risk: 'hihg' }, [{ variable: 'country_risk', message: 'must be one of low, medium, high' }]],
    [{ country_risk: 3 }, [{ variable: 'country_risk', message: 'must be a text' }]],
    [{ services: 'payments' }, [{ variable: 'services', message: 'must be a list of texts' }]],
    [
      { services: ['payments', 'crypto'] },
      [{ variable: 'services', message: "holds 'crypto', which is not one of custody, payments, advice" }],
    ],
    [
      { pep: 1, owners: '2' },
      // In the order of the model's inputs (sorted by name), not of the facts.
      [
        { variable: 'owners', message: 'must be a number' },
        { variable: 'pep', message: 'must be true or false' },
      ],
    ],
  ];
  for (const [changes, problems] of cases) {
    assert.throws(
      () => evaluate(MODEL, { ...QUIET, ...changes } as FactsRecord),
      (error: unknown) => {
        assert.ok(error instanceof InvalidFactsError);
        assert.deepEqual(error.problems, problems);
        // The message names each variable with its problem, for the person who sent the facts.
        for (const { variable, message } of problems)
          assert.ok(error.message.includes(`${variable} ${message}`));
        return true;
      },
      JSON.stringify(changes),
    );
  }
});

test('inputs named like Object.prototype members read the client’s facts, not the prototype', () => {
  const model = compileModel({
    ...DEFINITION,
    derived: [],
    inputs: JSON.parse('{"constructor": {"kind": "number"}, "__proto__": {"kind": "number"}}') as object,
    rules: [
      { id: 'a', description: '-', factor: 'other', when: 'constructor > 1', points: 25 },
      { id: 'b', description: '-', factor: 'other', when: '__proto__ > 1', points: 25 },
    ],
  });
  const missing = evaluate(model, {});
  assert.deepEqual(
    missing.rules.map((rule) => rule.outcome),
    ['unknown', 'unknown'],
  );
  const present = evaluate(model, JSON.parse('{"constructor": 2, "__proto__": 3}') as FactsRecord);
  assert.deepEqual([present.points, present.level], [50, 'high']);
  assert.deepEqual(
    JSON.parse(JSON.stringify(present.variables)),
    JSON.parse('{"constructor":2,"__proto__":3}'),
  );
  assert.ok(Object.hasOwn(present.variables, '__proto__'));
  assert.equal(Object.getPrototypeOf(missing.variables), Object.prototype, 'a null fact did not replace it');
});

test('evaluation is deterministic, and a stored evaluation replays to the same result', () => {
  const facts = {
    ...QUIET,
    country_risk: 'high',
    owners: 0,
    open_hits: 1,
    services: ['payments', 'custody'],
  };
  const first = evaluate(MODEL, facts);
  assert.deepEqual(evaluate(MODEL, facts), first);
  const reordered = Object.fromEntries(Object.entries(facts).reverse()) as FactsRecord;
  assert.deepEqual(evaluate(MODEL, reordered), first);
  // What the service stores: the compiled definition (with inputs), the facts and the result.
  const stored = JSON.parse(JSON.stringify({ definition: MODEL.definition, facts, result: first })) as {
    definition: unknown;
    facts: FactsRecord;
    result: unknown;
  };
  const replayed = evaluate(compileModel(stored.definition), stored.facts);
  assert.deepEqual(replayed, stored.result);
  assert.deepEqual(replayed, first);
});
