// Questions rewritten under past answers: a published questionnaire version must never change, or
// an answer set could no longer be shown with the questions that were asked. Drafts are checked
// when saved, publishing retires the previous version in the same step, only officers with a
// fresh second factor publish, and one tenant never sees another's questionnaires.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { sql } from 'kysely';
import { toTenantId, withTenant } from '../../platform/db/scopes.ts';
import { createRiskProfile, publishQuestionnaire, SOURCE_OF_FUNDS } from './answer-sets.test-fixtures.ts';
import { installQuestionnaireDefaults } from './questionnaires.repo.ts';
import type { QuestionnaireDefinition } from './questionnaire.ts';
import { caller, riskMember } from './risk.test-fixtures.ts';

type Summary = { code: string; publishedVersion: number | null; title: string; hasDraft: boolean };

// Every tenant starts with the default due-diligence questionnaire; these tests look at the rest.
const ownQuestionnaires = (body: { questionnaires: Summary[] }): Summary[] =>
  body.questionnaires.filter((questionnaire) => questionnaire.code !== 'client_due_diligence');

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const DRAFT_URL = '/v1/risk/questionnaires/source_of_funds/draft';
const VERSIONS_URL = '/v1/risk/questionnaires/source_of_funds/versions';

test('draft, publish, then a second version: publishing it retires version 1, which stays readable and frozen', async () => {
  const tenantId = await createTenant(server);
  const officerActor = riskMember(server, tenantId, 'compliance_officer', true);
  const officer = caller(server, officerActor);

  const created = await officer('PUT', DRAFT_URL, { definition: { ...SOURCE_OF_FUNDS, title: 'Funds' } });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual([created.json().version, created.json().status], [1, 'draft']);
  const replaced = await officer('PUT', DRAFT_URL, { definition: SOURCE_OF_FUNDS });
  assert.equal(replaced.statusCode, 200, replaced.body);
  assert.deepEqual([replaced.json().id, replaced.json().title], [created.json().id, 'Source of funds']);
  assert.deepEqual(ownQuestionnaires((await officer('GET', '/v1/risk/questionnaires')).json()), [
    {
      code: 'source_of_funds',
      publishedVersion: null,
      title: 'Source of funds',
      affectsScore: true,
      hasDraft: true,
    },
  ]);

  const first = await officer('POST', `${DRAFT_URL}/publish`);
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual([first.json().status, first.json().publishedBy], ['published', officerActor.id]);
  assert.equal((await officer('POST', `${DRAFT_URL}/publish`)).statusCode, 404, 'no draft left');

  const second = await officer('PUT', DRAFT_URL, {
    definition: { ...SOURCE_OF_FUNDS, title: 'Source of funds (2027)', affectsScore: false },
  });
  assert.equal(second.statusCode, 201, second.body);
  assert.equal(second.json().version, 2, 'a published version is never reopened: the next one starts');
  const [summary = null] = ownQuestionnaires((await officer('GET', '/v1/risk/questionnaires')).json());
  assert.deepEqual(
    [summary?.publishedVersion, summary?.title, summary?.hasDraft],
    [1, 'Source of funds', true],
  );

  assert.equal((await officer('POST', `${DRAFT_URL}/publish`)).statusCode, 200);
  const versions = (await officer('GET', VERSIONS_URL)).json().versions;
  assert.deepEqual(
    versions.map((version: { version: number; status: string }) => [version.version, version.status]),
    [
      [2, 'published'],
      [1, 'retired'],
    ],
  );
  const retired = (await officer('GET', `${VERSIONS_URL}/1`)).json();
  assert.deepEqual(retired.definition, SOURCE_OF_FUNDS);
  assert.equal(retired.publishedBy, officerActor.id);

  const audit = await runAsOwner(
    server.database,
    `select details from audit_entries where action = 'risk.questionnaire_published' and target_id = $1`,
    [second.json().id],
  );
  assert.deepEqual(audit.rows[0].details, { questionnaire: 'source_of_funds', version: 2, retired: 1 });

  // The application's own role cannot rewrite a published or retired version either.
  for (const id of [created.json().id, second.json().id]) {
    await assert.rejects(
      withTenant(server.database.db, toTenantId(tenantId), (scope) =>
        sql`update risk_questionnaire_versions set definition = '{}'::jsonb where id = ${id}`.execute(
          scope.trx,
        ),
      ),
      /cannot be changed/,
    );
  }
  await assert.rejects(
    runAsOwner(server.database, `update risk_questionnaire_versions set status = 'published' where id = $1`, [
      created.json().id,
    ]),
    /is final/,
  );
});

test('a definition with problems is refused with every issue, its path and, in a condition, the token at fault', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const [cash, share] = SOURCE_OF_FUNDS.questions;
  const refused = await officer('PUT', DRAFT_URL, {
    definition: {
      ...SOURCE_OF_FUNDS,
      questions: [
        { ...share, showIf: "uses_cash == 'yes'" }, // refers to a question asked after it
        cash,
        { ...cash, showIf: "uses_cash == 'maybe'" }, // the code twice, and an option that does not exist
        { code: 'sector', text: 'Sector?', kind: 'choice', required: true },
      ],
    },
  });
  assert.equal(refused.statusCode, 400, refused.body);
  assert.match(refused.headers['content-type'] as string, /application\/problem\+json/);
  const issues = refused.json().issues as { path: string; message: string; pointer?: string }[];
  assert.deepEqual(issues.map((issue) => issue.path).sort(), [
    'questions[0].showIf',
    'questions[2].code',
    'questions[2].showIf',
    'questions[3].options',
  ]);
  const early = issues.find((issue) => issue.path === 'questions[0].showIf')!;
  assert.match(early.message, /earlier questions/);
  assert.match(early.pointer!, /uses_cash == 'yes'\n\^{9}/);

  const shapeless = await officer('PUT', DRAFT_URL, { definition: { title: '', questions: [] } });
  assert.equal(shapeless.statusCode, 400);
  const paths = shapeless.json().issues.map((issue: { path: string }) => issue.path);
  for (const path of ['title', 'questions', 'questionnaire']) assert.ok(paths.includes(path), path);
  const badQuestion = await officer('PUT', DRAFT_URL, {
    definition: { ...SOURCE_OF_FUNDS, questions: [{ code: 'x', text: '', kind: 'essay', required: true }] },
  });
  assert.deepEqual(
    badQuestion.json().issues.map((issue: { path: string }) => issue.path),
    ['questions[0].text', 'questions[0].kind'],
  );
  assert.equal((await officer('GET', VERSIONS_URL)).statusCode, 404, 'nothing was stored');
});

test('an analyst answers but cannot configure; an auditor only reads; publishing needs a fresh second factor', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer', false));
  const analyst = caller(server, riskMember(server, tenantId, 'analyst', true));
  const auditor = caller(server, riskMember(server, tenantId, 'auditor', true));
  assert.equal((await analyst('PUT', DRAFT_URL, { definition: SOURCE_OF_FUNDS })).statusCode, 403);
  assert.equal((await officer('PUT', DRAFT_URL, { definition: SOURCE_OF_FUNDS })).statusCode, 201);

  const stale = await officer('POST', `${DRAFT_URL}/publish`);
  assert.equal(stale.statusCode, 403);
  assert.equal(stale.json().type, '/problems/step-up-required');
  assert.equal((await analyst('POST', `${DRAFT_URL}/publish`)).statusCode, 403);
  assert.equal((await auditor('POST', `${DRAFT_URL}/publish`)).statusCode, 403);
  assert.equal((await auditor('GET', `${VERSIONS_URL}/1`)).json().status, 'draft', 'still unpublished');

  await publishQuestionnaire(server, tenantId, 'source_of_funds', SOURCE_OF_FUNDS);
  const clientId = await createRiskProfile(server, tenantId);
  const answers = { answers: { uses_cash: 'no' } };
  const url = `/v1/risk/clients/${clientId}/answers/source_of_funds`;
  assert.equal((await auditor('POST', url, answers)).statusCode, 403);
  assert.equal((await analyst('POST', url, answers)).statusCode, 201);
  assert.equal(
    (await auditor('GET', `/v1/risk/clients/${clientId}/answer-sets`)).json().answerSets.length,
    1,
  );
  assert.equal((await auditor('GET', '/v1/risk/questionnaires')).statusCode, 200);
  assert.equal((await auditor('PUT', DRAFT_URL, { definition: SOURCE_OF_FUNDS })).statusCode, 403);
});

test("another tenant's questionnaires, drafts, clients and answer sets are not found", async () => {
  const tenantA = await createTenant(server);
  const tenantB = await createTenant(server);
  const officerA = caller(server, riskMember(server, tenantA, 'compliance_officer', true));
  const officerB = caller(server, riskMember(server, tenantB, 'compliance_officer', true));
  await publishQuestionnaire(server, tenantA, 'source_of_funds', SOURCE_OF_FUNDS);
  await officerA('PUT', '/v1/risk/questionnaires/pep_declaration/draft', {
    definition: { ...SOURCE_OF_FUNDS, title: 'PEP declaration' },
  });
  const clientId = await createRiskProfile(server, tenantA);
  const submitted = await officerA('POST', `/v1/risk/clients/${clientId}/answers/source_of_funds`, {
    answers: { uses_cash: 'no' },
  });
  assert.equal(submitted.statusCode, 201, submitted.body);

  assert.deepEqual(ownQuestionnaires((await officerB('GET', '/v1/risk/questionnaires')).json()), []);
  for (const url of [
    VERSIONS_URL,
    `${VERSIONS_URL}/1`,
    '/v1/risk/questionnaires/pep_declaration/versions/1',
    `/v1/risk/clients/${clientId}/answer-sets`,
    `/v1/risk/clients/${clientId}/answer-sets/${submitted.json().id}`,
  ]) {
    assert.equal((await officerB('GET', url)).statusCode, 404, url);
  }
  assert.equal(
    (await officerB('POST', '/v1/risk/questionnaires/pep_declaration/draft/publish')).statusCode,
    404,
  );
  // B's own questionnaire of the same code is numbered on its own and answers for A's client stay refused.
  await publishQuestionnaire(server, tenantB, 'source_of_funds', SOURCE_OF_FUNDS);
  const intruding = await officerB('POST', `/v1/risk/clients/${clientId}/answers/source_of_funds`, {
    answers: { uses_cash: 'no' },
  });
  assert.equal(intruding.statusCode, 404);
  const listA = ownQuestionnaires((await officerA('GET', '/v1/risk/questionnaires')).json());
  assert.deepEqual(
    listA.map((entry: { code: string; hasDraft: boolean }) => [entry.code, entry.hasDraft]),
    [
      ['pep_declaration', true],
      ['source_of_funds', false],
    ],
  );
});

test('the defaults are published as version 1 by the system, and never over a questionnaire the tenant has', async () => {
  const tenantId = await createTenant(server);
  await publishQuestionnaire(server, tenantId, 'source_of_funds', SOURCE_OF_FUNDS);
  const defaults = [
    { code: 'source_of_funds', definition: { ...SOURCE_OF_FUNDS, title: 'Default funds' } },
    { code: 'pep_declaration', definition: { ...SOURCE_OF_FUNDS, title: 'PEP declaration' } },
  ] as { code: string; definition: QuestionnaireDefinition }[];
  const install = () =>
    withTenant(server.database.db, toTenantId(tenantId), (scope) =>
      installQuestionnaireDefaults(scope, defaults, server.clock.now()),
    );
  assert.equal(await install(), true);
  assert.equal(await install(), false, 'a second run installs nothing');
  const reader = caller(server, riskMember(server, tenantId, 'auditor'));
  const pep = (await reader('GET', '/v1/risk/questionnaires/pep_declaration/versions/1')).json();
  assert.deepEqual([pep.status, pep.createdBy, pep.publishedBy], ['published', null, null]);
  const own = (await reader('GET', `${VERSIONS_URL}/1`)).json();
  assert.equal(own.title, 'Source of funds', "the tenant's own version is untouched");
});

test('a version that drops a question the published model reads is refused until the model no longer needs it', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  const url = '/v1/risk/questionnaires/client_due_diligence';
  const current = (await officer('GET', `${url}/versions/1`)).json().definition as QuestionnaireDefinition;
  const model = (await officer('GET', '/v1/risk/models/published')).json();
  const read = Object.keys(model.definition.inputs).filter((name) =>
    name.startsWith('answers.client_due_diligence.'),
  );
  assert.ok(read.length > 0, 'the default model reads the default questionnaire');
  // Turn a number the model reads into free text (which rules only see as "answered").
  const target = current.questions.find(
    (question) =>
      read.includes(`answers.client_due_diligence.${question.code}`) && question.kind === 'number',
  );
  assert.ok(target, 'the model reads a number question');
  const questions = current.questions.map((question) =>
    question === target ? { ...question, kind: 'text' as const } : question,
  );
  const saved = await officer('PUT', `${url}/draft`, { definition: { ...current, questions } });
  assert.equal(saved.statusCode, 201, saved.body);
  const refused = await officer('POST', `${url}/draft/publish`);
  assert.equal(refused.statusCode, 409, refused.body);
  assert.deepEqual(refused.json().variables, [`answers.client_due_diligence.${target.code}`]);
  assert.equal((await officer('GET', `${url}/versions/1`)).json().status, 'published');
});
