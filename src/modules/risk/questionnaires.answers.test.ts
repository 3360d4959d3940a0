// Clients' answers: a follow-up answered while hidden or a required one left out must not reach
// the risk model; free text (it may name people) must never be stored or audited in clear; an old
// answer set must stay readable with the questions that were asked; and rules must read the newest
// answers to each questionnaire.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { toTenantId, withTenant } from '../../platform/db/scopes.ts';
import { createRiskProfile, publishQuestionnaire, SOURCE_OF_FUNDS } from './answer-sets.test-fixtures.ts';
import { latestAnswerVariables, publishedQuestionnaireVariables } from './questionnaires.repo.ts';
import { caller, riskMember } from './risk.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const answersUrl = (clientId: string, code = 'source_of_funds') =>
  `/v1/risk/clients/${clientId}/answers/${code}`;

/** A tenant with the source-of-funds questionnaire published, a client, and an analyst. */
async function setUp() {
  const tenantId = await createTenant(server);
  await publishQuestionnaire(server, tenantId, 'source_of_funds', SOURCE_OF_FUNDS);
  const clientId = await createRiskProfile(server, tenantId);
  return { tenantId, clientId, analyst: caller(server, riskMember(server, tenantId, 'analyst')) };
}

test('the follow-up logic: a hidden follow-up may not be answered, a shown required one must be', async () => {
  const { clientId, analyst } = await setUp();
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['hidden follow-up answered', { uses_cash: 'no', cash_share: 10 }, ['cash_share']],
    ['shown follow-up missing', { uses_cash: 'yes' }, ['cash_share']],
    ['required question missing', {}, ['uses_cash']],
    ['not an option', { uses_cash: 'sometimes' }, ['uses_cash']],
    ['not a date', { uses_cash: 'no', founded_on: '2019-02-30x' }, ['founded_on']],
    ['no such question', { uses_cash: 'no', favourite_colour: 'blue' }, ['favourite_colour']],
    ['a number as text', { uses_cash: 'yes', cash_share: '40' }, ['cash_share']],
  ];
  for (const [name, answers, paths] of cases) {
    const response = await analyst('POST', answersUrl(clientId), { answers });
    assert.equal(response.statusCode, 400, name);
    assert.deepEqual(
      response.json().issues.map((issue: { path: string }) => issue.path),
      paths,
      name,
    );
  }
  const hiddenNotRequired = await analyst('POST', answersUrl(clientId), { answers: { uses_cash: 'no' } });
  assert.equal(hiddenNotRequired.statusCode, 201, hiddenNotRequired.body);
  const shownAndGiven = await analyst('POST', answersUrl(clientId), {
    answers: { uses_cash: 'yes', cash_share: 40 },
  });
  assert.equal(shownAndGiven.statusCode, 201, shownAndGiven.body);
  assert.equal(shownAndGiven.json().variables['answers.source_of_funds.risk'], 'high');
  const stored = (await analyst('GET', `/v1/risk/clients/${clientId}/answer-sets`)).json().answerSets;
  assert.equal(stored.length, 2, 'only the two valid sets were stored');

  const tooMany = Object.fromEntries(Array.from({ length: 201 }, (_, index) => [`q${index}`, 'x']));
  assert.equal((await analyst('POST', answersUrl(clientId), { answers: tooMany })).statusCode, 400);
  const tooLong = { uses_cash: 'no', funds_origin: 'x'.repeat(4001) };
  assert.equal((await analyst('POST', answersUrl(clientId), { answers: tooLong })).statusCode, 400);
});

test('answers need a client with a risk profile and a published version', async () => {
  const { tenantId, clientId, analyst } = await setUp();
  const stranger = '00000000-0000-4000-8000-000000000001';
  const noProfile = await analyst('POST', answersUrl(stranger), { answers: { uses_cash: 'no' } });
  assert.equal(noProfile.statusCode, 404);
  assert.equal((await analyst('GET', `/v1/risk/clients/${stranger}/answer-sets`)).statusCode, 404);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  await officer('PUT', '/v1/risk/questionnaires/pep_declaration/draft', { definition: SOURCE_OF_FUNDS });
  const draftOnly = await analyst('POST', answersUrl(clientId, 'pep_declaration'), {
    answers: { uses_cash: 'no' },
  });
  assert.equal(draftOnly.statusCode, 404, 'a draft cannot be answered');
  assert.equal((await analyst('POST', answersUrl(clientId, 'unknown'), { answers: {} })).statusCode, 404);
});

test('an answer set made against version 1 is shown with version 1 after version 2 is published', async () => {
  const { tenantId, clientId, analyst } = await setUp();
  const given = { uses_cash: 'no', funds_origin: 'Inheritance from Aunt Ingrid', founded_on: '2015-06-01' };
  const first = await analyst('POST', answersUrl(clientId), { answers: given });
  assert.equal(first.statusCode, 201, first.body);

  const [cash] = SOURCE_OF_FUNDS.questions;
  const version2 = {
    title: 'Source of funds, shorter',
    affectsScore: true,
    questions: [{ ...cash, text: 'Is any payment made in cash?' }],
  };
  assert.equal(await publishQuestionnaire(server, tenantId, 'source_of_funds', version2), 2);
  const second = await analyst('POST', answersUrl(clientId), { answers: given });
  assert.equal(second.statusCode, 400, 'the old questions are no longer asked');
  assert.deepEqual(
    second
      .json()
      .issues.map((issue: { path: string }) => issue.path)
      .sort(),
    ['founded_on', 'funds_origin'],
  );

  const shown = await analyst('GET', `/v1/risk/clients/${clientId}/answer-sets/${first.json().id}`);
  assert.equal(shown.statusCode, 200, shown.body);
  const answerSet = shown.json();
  assert.equal(answerSet.version, 1);
  assert.deepEqual(answerSet.definition, SOURCE_OF_FUNDS);
  assert.deepEqual(answerSet.answers, given);
  assert.deepEqual(answerSet.visibleQuestions, ['uses_cash', 'funds_origin', 'founded_on']);
  const list = (await analyst('GET', `/v1/risk/clients/${clientId}/answer-sets`)).json().answerSets;
  assert.deepEqual(
    list.map((entry: { code: string; version: number }) => [entry.code, entry.version]),
    [['source_of_funds', 1]],
  );
  const otherClient = await createRiskProfile(server, tenantId);
  const wrongClient = `/v1/risk/clients/${otherClient}/answer-sets/${first.json().id}`;
  assert.equal((await analyst('GET', wrongClient)).statusCode, 404, "one client's set is not another's");
});

test('answers are sealed; the variables and the audit trail keep no free text or date', async () => {
  const { tenantId, clientId, analyst } = await setUp();
  const submitted = await analyst('POST', answersUrl(clientId), {
    answers: { uses_cash: 'no', funds_origin: 'Sale of the Vestergade flat', founded_on: '2001-09-17' },
  });
  assert.equal(submitted.statusCode, 201, submitted.body);
  const { id } = submitted.json();
  const row = (
    await runAsOwner(
      server.database,
      'select answers_sealed, variables from risk_answer_sets where id = $1',
      [id],
    )
  ).rows[0];
  const raw = Buffer.from(row.answers_sealed);
  for (const secret of ['Vestergade', '2001-09-17', 'uses_cash']) {
    assert.equal(raw.includes(secret), false, `${secret} is not in the sealed bytes`);
  }
  const yearsAgo = Number(server.clock.now().toISOString().slice(0, 4)) - 2002;
  const variables = row.variables as Record<string, unknown>;
  assert.equal(variables['answers.source_of_funds.funds_origin_answered'], true);
  assert.ok(
    [yearsAgo, yearsAgo + 1].includes(variables['answers.source_of_funds.founded_on_years_ago'] as number),
  );
  assert.equal(variables['answers.source_of_funds.uses_cash'], 'no');
  assert.doesNotMatch(JSON.stringify(variables), /Vestergade|2001/);

  const audit = await runAsOwner(
    server.database,
    `select details from audit_entries where action = 'risk.answers_submitted' and target_id = $1`,
    [id],
  );
  assert.equal(audit.rows.length, 1);
  assert.deepEqual(Object.keys(audit.rows[0].details).sort(), [
    'clientId',
    'questionnaire',
    'version',
    'versionId',
  ]);
  assert.doesNotMatch(JSON.stringify(audit.rows[0].details), /Vestergade|2001|uses_cash|funds_origin/);
  const opened = await caller(server, riskMember(server, tenantId, 'auditor'))(
    'GET',
    `/v1/risk/clients/${clientId}/answer-sets/${id}`,
  );
  assert.equal(opened.json().answers.funds_origin, 'Sale of the Vestergade flat');
});

test("rules read each client's newest answers to each questionnaire, and only published questionnaires' variables", async () => {
  const { tenantId, clientId, analyst } = await setUp();
  const declaration = {
    title: 'Declaration',
    affectsScore: true,
    questions: [
      { code: 'is_pep', text: 'Are you a politically exposed person?', kind: 'yes_no', required: true },
    ],
  };
  await publishQuestionnaire(server, tenantId, 'declaration', declaration);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  await officer('PUT', '/v1/risk/questionnaires/unpublished/draft', { definition: declaration });
  await publishQuestionnaire(server, tenantId, 'notes', { ...declaration, affectsScore: false });
  const otherClient = await createRiskProfile(server, tenantId);
  const submit = async (client: string, code: string, answers: object) => {
    const response = await analyst('POST', answersUrl(client, code), { answers });
    assert.equal(response.statusCode, 201, response.body);
    server.clock.advance(1000);
  };
  await submit(clientId, 'source_of_funds', { uses_cash: 'yes', cash_share: 80 });
  await submit(clientId, 'declaration', { is_pep: 'yes' });
  await submit(clientId, 'source_of_funds', { uses_cash: 'no' });
  await submit(otherClient, 'source_of_funds', { uses_cash: 'yes', cash_share: 5 });
  await submit(clientId, 'notes', { is_pep: 'no' });

  const read = (clientIds?: string[]) =>
    withTenant(server.database.db, toTenantId(tenantId), (scope) => latestAnswerVariables(scope, clientIds));
  const all = await read();
  assert.deepEqual([...all.keys()].sort(), [clientId, otherClient].sort());
  assert.deepEqual(all.get(clientId), {
    'answers.source_of_funds.uses_cash': 'no',
    'answers.source_of_funds.cash_share': null,
    'answers.source_of_funds.funds_origin_answered': false,
    'answers.source_of_funds.founded_on_years_ago': null,
    'answers.source_of_funds.risk': 'low',
    'answers.declaration.is_pep': 'yes',
    'answers.declaration.risk': 'low',
  });
  assert.equal(all.get(otherClient)?.['answers.source_of_funds.cash_share'], 5);
  const one = await read([otherClient]);
  assert.deepEqual([...one.keys()], [otherClient]);
  assert.equal((await read([])).size, 0);

  const specs = await withTenant(server.database.db, toTenantId(tenantId), publishedQuestionnaireVariables);
  const names = specs.map((spec) => spec.name);
  assert.ok(names.includes('answers.declaration.is_pep'));
  assert.ok(names.includes('answers.source_of_funds.founded_on_years_ago'));
  assert.equal(
    names.filter((name) => name.startsWith('answers.unpublished.')).length,
    0,
    'drafts offer nothing',
  );
  assert.equal(names.filter((name) => name.startsWith('answers.notes.')).length, 0, 'not scored');
});
