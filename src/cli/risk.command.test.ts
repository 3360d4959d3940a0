// `diligence risk evaluate` as a model author uses it, in a child process: offline (no database,
// no configuration), a readable result or the full result as JSON, and readable errors for a
// broken model, facts of the wrong type, and files that are missing or not JSON.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runDiligence } from '../../test/cli-runner.ts';
import { buildCatalogue, compileModel, evaluate, type FactsRecord } from '../modules/risk/index.ts';

// Over built-in variables and without `inputs`: the command types it by the built-in catalogue.
const MODEL = {
  name: 'Command line test',
  rules: [
    {
      id: 'high_country',
      description: 'High-risk country',
      factor: 'geography',
      when: "client.country_risk == 'high'",
      points: 30,
    },
    { id: 'remote', description: 'Not met', factor: 'channel', when: 'channel.non_face_to_face', points: 15 },
    { id: 'pep', description: 'PEP', factor: 'customer', when: 'screening.pep', forceLevel: 'high' },
    {
      id: 'sanctions',
      description: 'Confirmed sanctions hit',
      factor: 'customer',
      when: 'screening.confirmed_sanctions_hits > 0',
      forceDisposition: 'reject',
    },
    {
      id: 'open_per_missing',
      description: 'Open hits per missing document',
      factor: 'other',
      when: 'screening.open_hits / documents.missing > 2',
      points: 5,
    },
  ],
  thresholds: { medium: 20, high: 40 },
  dispositions: { low: 'auto_approve', medium: 'manual_review', high: 'manual_review' },
};
const FACTS = {
  'client.country_risk': 'high',
  'channel.non_face_to_face': true,
  'screening.confirmed_sanctions_hits': 0,
  'screening.open_hits': 0,
  'documents.missing': 1,
};
const MORE_FACTS = [
  FACTS,
  { 'screening.confirmed_sanctions_hits': 1, 'documents.missing': 0, 'screening.open_hits': 3 },
];

let root: string;
let dataDir: string;
const file = (name: string) => path.join(root, name);
// A configuration the server would refuse: a command that read it could not run.
const diligence = (...args: string[]) =>
  runDiligence({ dataDir, extraEnv: { DILIGENCE_ROLES: 'not-a-role' } }, ...args);
const riskEvaluate = (model: string, facts: string, ...more: string[]) =>
  diligence('risk', 'evaluate', '--model', file(model), '--facts', file(facts), ...more);
const expected = (facts: FactsRecord) => evaluate(compileModel(MODEL, buildCatalogue()), facts);

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'diligence-risk-cli-'));
  dataDir = file('data');
  const files: Record<string, unknown> = {
    'model.json': MODEL,
    'facts.json': FACTS,
    'more-facts.json': MORE_FACTS,
    'wrong-type.json': { ...FACTS, 'screening.pep': 'yes' },
    'wrong-in-list.json': [FACTS, { 'client.country_risk': 'hihg' }],
    'not-an-object.json': 'screening.pep',
    'typo-model.json': {
      ...MODEL,
      rules: [{ ...MODEL.rules[0], when: "screening.pep and client.contry_risk == 'high'" }],
      thresholds: { medium: 40, high: 40 },
    },
    'standalone-model.json': {
      ...MODEL,
      inputs: { 'custom.score': { kind: 'number' } },
      rules: [
        { id: 'score', description: 'Own score', factor: 'other', when: 'custom.score > 5', points: 50 },
      ],
    },
    'custom-facts.json': { 'custom.score': 6 },
  };
  for (const [name, content] of Object.entries(files)) await writeFile(file(name), JSON.stringify(content));
  await writeFile(file('broken.json'), '{"client.country_risk": ');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('prints the level, disposition, points by factor, rules fired and unknown, and the reasons', () => {
  const result = riskEvaluate('model.json', 'facts.json');
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  const { stdout } = result;
  // 30 + 15 points reach the high threshold of 40; screening.pep was not given.
  assert.match(stdout, /^Level: high {3}Disposition: manual_review {3}Points: 45$/m);
  assert.match(stdout, /^Points by factor: customer 0, geography 30, product 0, channel 15, other 0$/m);
  assert.match(stdout, /^ {2}high_country +\+30 \(geography\)$/m);
  assert.match(stdout, /^ {2}remote +\+15 \(channel\)$/m);
  assert.match(stdout, /^Unknown \(facts missing\):\n {2}pep +missing screening\.pep$/m);
  assert.match(stdout, /^ {2}- 45 points: high \(medium from 20, high from 40\)$/m);
  assert.doesNotMatch(stdout, /sanctions +[+-]?\d/, 'a rule that did not fire is not listed as fired');
});

test('--json prints the full evaluation result, exactly what the library computes', () => {
  const single = riskEvaluate('model.json', 'facts.json', '--json');
  assert.equal(single.status, 0, single.stderr);
  assert.deepEqual(JSON.parse(single.stdout), expected(FACTS));
  const list = riskEvaluate('model.json', 'more-facts.json', '--json');
  assert.equal(list.status, 0, list.stderr);
  const results = JSON.parse(list.stdout) as { disposition: string }[];
  assert.deepEqual(results, MORE_FACTS.map(expected));
  // The second set: a confirmed sanctions hit forces reject; a division by zero fails its rule.
  assert.equal(results[1]?.disposition, 'reject');
});

test('a list of fact sets is printed set by set, forced outcomes and failed rules included', () => {
  const result = riskEvaluate('model.json', 'more-facts.json');
  assert.equal(result.status, 0, result.stderr);
  const [, second] = result.stdout.split(/^Fact set 2 of 2$/m);
  assert.match(result.stdout, /^Fact set 1 of 2$/m);
  assert.match(second ?? '', /^Level: low {3}Disposition: reject {3}Points: 0$/m);
  assert.match(second ?? '', /^ {2}sanctions +0 \(customer\) {2}requires reject$/m);
  assert.match(second ?? '', /^Failed:\n {2}open_per_missing +division by zero$/m);
  assert.match(second ?? '', /could not be evaluated \(division by zero\); manual review/);
});

test('a model with inputs is compiled on its own, from them', () => {
  const result = riskEvaluate('standalone-model.json', 'custom-facts.json', '--json');
  assert.equal(result.status, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as { level: string; points: number };
  assert.deepEqual([parsed.points, parsed.level], [50, 'high']);
});

test('a broken model: every problem with its path, a caret under the wrong token, exit code 1', () => {
  const result = riskEvaluate('typo-model.json', 'facts.json');
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n');
  assert.equal(lines[0], `diligence: ${file('typo-model.json')}: the model has 2 problems:`);
  assert.equal(
    lines[1],
    "  rules[0].when: unknown variable 'client.contry_risk' (did you mean 'client.country_risk'?)",
  );
  const source = "screening.pep and client.contry_risk == 'high'";
  assert.equal(lines[2], `      ${source}`);
  const column = source.indexOf('client.contry_risk');
  assert.equal(lines[3], `      ${' '.repeat(column)}${'^'.repeat('client.contry_risk'.length)}`);
  assert.equal(lines[4], '  thresholds.high: the high threshold must be above the medium threshold');
});

test('facts of the wrong type name the variable and the file; nothing is evaluated', () => {
  const single = riskEvaluate('model.json', 'wrong-type.json');
  assert.equal(single.status, 1);
  assert.equal(single.stdout, '');
  assert.match(
    single.stderr,
    /wrong-type\.json: the facts do not fit the model:\n {2}screening\.pep must be true or false/,
  );
  const inList = riskEvaluate('model.json', 'wrong-in-list.json');
  assert.equal(inList.status, 1);
  assert.equal(inList.stdout, '', 'no set is printed when one does not fit');
  assert.match(inList.stderr, /fact set 2: client\.country_risk must be one of low, medium, high/);
  const notAnObject = riskEvaluate('model.json', 'not-an-object.json');
  assert.equal(notAnObject.status, 1);
  assert.match(
    notAnObject.stderr,
    /not-an-object\.json: the facts must be a JSON object of variable → value/,
  );
});

test('a missing file or one that is not JSON is named in the error', () => {
  const missing = riskEvaluate('no-such-model.json', 'facts.json');
  assert.equal(missing.status, 1);
  assert.equal(
    missing.stderr.trim(),
    `diligence: ${file('no-such-model.json')}: cannot read the model file (no such file).`,
  );
  const broken = riskEvaluate('model.json', 'broken.json');
  assert.equal(broken.status, 1);
  assert.ok(
    broken.stderr.startsWith(`diligence: ${file('broken.json')}: the facts file is not valid JSON (`),
    broken.stderr,
  );
  const folder = diligence('risk', 'evaluate', '--model', root, '--facts', file('facts.json'));
  assert.equal(folder.status, 1);
  assert.match(folder.stderr, /cannot read the model file \(it is a folder\)/);
});

test('no database was opened and no configuration read', () => {
  // Every run above went to this data folder; an opened embedded database would have created it.
  assert.equal(existsSync(dataDir), false);
  // The same configuration stops a command that does read it.
  const reading = diligence('tenant', 'list');
  assert.equal(reading.status, 2);
  assert.match(reading.stderr, /DILIGENCE_ROLES/);
  assert.equal(existsSync(dataDir), false);
});
