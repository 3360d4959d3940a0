// Unreviewed model changes: one officer alone must never change how every client is scored. A
// model is drafted, checked against the catalogue when saved, and published only when a second
// officer — not its author nor its submitter, with a fresh second factor — approves it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { caller, publishModel, riskMember, SIMPLE_MODEL } from './risk.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

test('a new tenant starts with a published default model (installed by the system, no approver)', async () => {
  const tenantId = await createTenant(server);
  const read = caller(server, riskMember(server, tenantId, 'auditor'));
  const published = await read('GET', '/v1/risk/models/published');
  assert.equal(published.statusCode, 200, published.body);
  assert.equal(published.json().version, 1);
  assert.equal(published.json().createdBy, null);
  assert.ok(published.json().definition.rules.length >= 10);
  assert.ok(Object.keys(published.json().definition.inputs).length > 0, 'a stored model carries its inputs');
});

test('publishing needs a second officer: the author and the submitter are refused, another officer succeeds', async () => {
  const tenantId = await createTenant(server);
  const authorActor = riskMember(server, tenantId, 'compliance_officer', true);
  const author = caller(server, authorActor);
  const submitter = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  const draft = await author('POST', '/v1/risk/models', { definition: SIMPLE_MODEL });
  assert.equal(draft.statusCode, 201, draft.body);
  const { id, version } = draft.json();
  assert.equal(version, 2);
  assert.deepEqual(draft.json().editors, [authorActor.id]);

  const submitted = await submitter('POST', `/v1/risk/models/${id}/submit`);
  assert.equal(submitted.json().status, 'pending_approval');
  for (const [who, call] of [
    ['author', author],
    ['submitter', submitter],
  ] as const) {
    const refused = await call('POST', `/v1/risk/models/${id}/approve`, {});
    assert.equal(refused.statusCode, 403, `${who}: ${refused.body}`);
    assert.match(refused.json().detail, /Four eyes/);
  }
  const staleApprover = caller(server, riskMember(server, tenantId, 'compliance_officer', false));
  assert.equal((await staleApprover('POST', `/v1/risk/models/${id}/approve`, {})).statusCode, 403);
  const stillPending = await author('GET', `/v1/risk/models/${id}`);
  assert.equal(stillPending.json().status, 'pending_approval');

  const approver = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  const approved = await approver('POST', `/v1/risk/models/${id}/approve`, {
    note: 'Reviewed against the firm-wide assessment',
  });
  assert.equal(approved.statusCode, 200, approved.body);
  assert.equal(approved.json().status, 'published');
  const list = (await author('GET', '/v1/risk/models')).json().models;
  assert.deepEqual(
    list.map((model: { version: number; status: string }) => [model.version, model.status]),
    [
      [2, 'published'],
      [1, 'superseded'],
    ],
  );
});

test('the database itself refuses a self-approved model, a reopened published one, and rewritten authorship', async () => {
  const tenantId = await createTenant(server);
  const id = await publishModel(server, tenantId, SIMPLE_MODEL);
  const database = server.database;
  await assert.rejects(
    runAsOwner(database, `update risk_models set definition = '{}'::jsonb where id = $1`, [id]),
    /cannot be changed/,
  );
  await assert.rejects(
    runAsOwner(database, `update risk_models set status = 'draft' where id = $1`, [id]),
    /cannot become draft/,
  );
  await assert.rejects(
    runAsOwner(database, `update risk_models set decided_by = editors[1] where id = $1`, [id]),
    /authorship/,
  );
  await assert.rejects(
    runAsOwner(database, `update risk_models set editors = '{}' where id = $1`, [id]),
    /authorship/,
  );
  const author = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const pending = (await author('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).json().id;
  await author('POST', `/v1/risk/models/${pending}/submit`);
  await assert.rejects(
    runAsOwner(
      database,
      `update risk_models set status = 'published', decided_by = created_by, published_at = now() where id = $1`,
      [pending],
    ),
    /risk_models_four_eyes/,
  );
});

test('a rule with an error is refused at save, pointing at the wrong token, and nothing is stored', async () => {
  const tenantId = await createTenant(server);
  const author = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const broken = structuredClone(SIMPLE_MODEL);
  broken.rules[1]!.when = 'channel.non_face_to_face and client.country_rsk == 1';
  const response = await author('POST', '/v1/risk/models', { definition: broken });
  assert.equal(response.statusCode, 400, response.body);
  assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
  const [issue] = response.json().issues;
  assert.equal(issue.path, 'rules[1].when');
  assert.match(
    issue.message,
    /unknown variable 'client\.country_rsk' \(did you mean 'client\.country_risk'\?\)/,
  );
  assert.equal(issue.start, 'channel.non_face_to_face and '.length);
  assert.equal(
    issue.pointer.split('\n')[1],
    ' '.repeat(issue.start) + '^'.repeat('client.country_rsk'.length),
  );
  const models = (await author('GET', '/v1/risk/models')).json().models;
  assert.equal(models.length, 1, 'only the default model exists');

  const check = await author('POST', '/v1/risk/models/check', { definition: broken });
  assert.equal(check.statusCode, 200);
  assert.equal(check.json().isValid, false);
});

test('one open draft at a time; only a draft can be edited; a rejected version is final', async () => {
  const tenantId = await createTenant(server);
  const author = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const reviewer = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  const { id } = (await author('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).json();
  assert.equal((await author('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).statusCode, 409);
  const renamed = await author('PUT', `/v1/risk/models/${id}`, {
    definition: { ...SIMPLE_MODEL, name: 'Renamed' },
  });
  assert.equal(renamed.json().name, 'Renamed');
  await author('POST', `/v1/risk/models/${id}/submit`);
  assert.equal((await author('PUT', `/v1/risk/models/${id}`, { definition: SIMPLE_MODEL })).statusCode, 409);
  const rejected = await reviewer('POST', `/v1/risk/models/${id}/reject`, { note: 'Thresholds too lenient' });
  assert.equal(rejected.json().status, 'rejected');
  assert.equal(rejected.json().decisionNote, 'Thresholds too lenient');
  assert.equal((await reviewer('POST', `/v1/risk/models/${id}/approve`, {})).statusCode, 409);
  assert.equal((await author('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).statusCode, 201);
});

test('who may do what: analysts and auditors read; only officers draft and approve', async () => {
  const tenantId = await createTenant(server);
  const analyst = caller(server, riskMember(server, tenantId, 'analyst', true));
  const auditor = caller(server, riskMember(server, tenantId, 'auditor', true));
  assert.equal((await analyst('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).statusCode, 403);
  assert.equal((await auditor('GET', '/v1/risk/models')).statusCode, 200);
  const variables = await auditor('GET', '/v1/risk/variables');
  assert.ok(
    variables.json().variables.some((variable: { name: string }) => variable.name === 'screening.pep'),
  );
  const author = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const { id } = (await author('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).json();
  await author('POST', `/v1/risk/models/${id}/submit`);
  assert.equal((await analyst('POST', `/v1/risk/models/${id}/approve`, {})).statusCode, 403);
});

test("another tenant's model is not found, and cannot be approved", async () => {
  const tenantA = await createTenant(server);
  const tenantB = await createTenant(server);
  const author = caller(server, riskMember(server, tenantA, 'compliance_officer'));
  const { id } = (await author('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).json();
  await author('POST', `/v1/risk/models/${id}/submit`);
  const outsider = caller(server, riskMember(server, tenantB, 'compliance_officer', true));
  assert.equal((await outsider('GET', `/v1/risk/models/${id}`)).statusCode, 404);
  assert.equal((await outsider('POST', `/v1/risk/models/${id}/approve`, {})).statusCode, 404);
  assert.equal((await author('GET', `/v1/risk/models/${id}`)).json().status, 'pending_approval');
});
