// The firm-wide risk assessment: drafts replaced until signed, signing only by an officer who just
// presented a second factor and with a review date in the next 24 months, versions kept newest
// first, and one tenant's assessment never shown to, or signed by, another.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { runAsOwner } from '../../../test/test-database.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import { caller, riskMember } from './risk.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const DOCUMENT = {
  scope: 'All services of the firm, all client types, Denmark and the EU.',
  riskFactors: [
    {
      area: 'customer',
      description: 'Clients with complex ownership structures',
      likelihood: 'medium',
      impact: 'high',
      mitigations: 'Beneficial ownership verified against the register',
    },
    {
      area: 'geography',
      description: 'Clients in high-risk third countries',
      likelihood: 'low',
      impact: 'high',
      mitigations: 'Enhanced due diligence',
    },
  ],
  conclusion: 'The residual risk is medium.',
};

/** The day `months` months from the test clock's today. */
function dayIn(months: number, days = 0): string {
  const now = server.clock.now();
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, now.getUTCDate() + days));
  return day.toISOString().slice(0, 10);
}

function assertProblem(response: LightMyRequestResponse, status: number, type: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  assert.equal(response.json().type, type);
  return response.json() as { detail: string; errors?: { pointer: string; message: string }[] };
}

async function tenantWithDraft() {
  const tenantId = await createTenant(server);
  const author = riskMember(server, tenantId, 'compliance_officer');
  const saved = await caller(server, author)('PUT', '/v1/risk/firm-assessment/draft', DOCUMENT);
  assert.equal(saved.statusCode, 200, saved.body);
  return { tenantId, author, draftId: saved.json().id as string };
}

const signer = (tenantId: string) => riskMember(server, tenantId, 'compliance_officer', true);

test('a draft is opened, replaced in place, and read back with nothing signed yet', async () => {
  const tenantId = await createTenant(server);
  const author = riskMember(server, tenantId, 'compliance_officer');
  const call = caller(server, author);
  assert.deepEqual((await call('GET', '/v1/risk/firm-assessment')).json(), { current: null, draft: null });
  const first = (
    await call('PUT', '/v1/risk/firm-assessment/draft', { ...DOCUMENT, riskFactors: [] })
  ).json();
  assert.deepEqual([first.version, first.status, first.createdBy], [1, 'draft', author.id]);
  const second = await call('PUT', '/v1/risk/firm-assessment/draft', DOCUMENT);
  assert.equal(second.statusCode, 200, second.body);
  assert.deepEqual([second.json().id, second.json().version], [first.id, 1]);
  const read = (await call('GET', '/v1/risk/firm-assessment')).json();
  assert.equal(read.current, null);
  assert.deepEqual(read.draft.document, DOCUMENT);
  const versions = (await call('GET', '/v1/risk/firm-assessment/versions')).json().versions;
  assert.equal(versions.length, 1);
  const entries = await server.modules.audit.listEntries(toTenantId(tenantId), {
    beforeSeq: null,
    limit: 50,
  });
  assert.deepEqual(
    entries.filter((entry) => entry.action === 'risk.assessment_saved').map((entry) => entry.details),
    [
      { version: 1, isCreated: false, riskFactors: 2 },
      { version: 1, isCreated: true, riskFactors: 0 },
    ],
  );
});

test('the signing officer signs the draft; it is in force until the next signed version', async () => {
  const { tenantId } = await tenantWithDraft();
  const officer = signer(tenantId);
  const call = caller(server, officer);
  const reviewDue = dayIn(12);
  const signed = await call('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue });
  assert.equal(signed.statusCode, 200, signed.body);
  assert.deepEqual(
    [signed.json().status, signed.json().signedBy, signed.json().reviewDue],
    ['signed', officer.id, reviewDue],
  );
  const read = (await call('GET', '/v1/risk/firm-assessment')).json();
  assert.deepEqual([read.current.version, read.current.reviewDue, read.draft], [1, reviewDue, null]);

  const next = await call('PUT', '/v1/risk/firm-assessment/draft', { ...DOCUMENT, conclusion: 'Now high.' });
  assert.equal(next.json().version, 2);
  const both = (await call('GET', '/v1/risk/firm-assessment')).json();
  assert.deepEqual([both.current.version, both.draft.version], [1, 2]);
  assert.equal((await call('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue })).statusCode, 200);
  const versions = (await call('GET', '/v1/risk/firm-assessment/versions')).json().versions;
  assert.deepEqual(
    versions.map((version: { version: number; status: string }) => [version.version, version.status]),
    [
      [2, 'signed'],
      [1, 'signed'],
    ],
  );
  assert.equal(
    (await call('GET', '/v1/risk/firm-assessment')).json().current.document.conclusion,
    'Now high.',
  );
  const entries = await server.modules.audit.listEntries(toTenantId(tenantId), {
    beforeSeq: null,
    limit: 50,
  });
  const signings = entries.filter((entry) => entry.action === 'risk.assessment_signed');
  assert.deepEqual(
    signings.map((entry) => [entry.actorId, entry.details]),
    [
      [officer.id, { version: 2, reviewDue }],
      [officer.id, { version: 1, reviewDue }],
    ],
  );
});

test('signing needs risk:approve and a second factor presented in the last minutes', async () => {
  const { tenantId } = await tenantWithDraft();
  const sign = (actor: ReturnType<typeof riskMember>) =>
    caller(server, actor)('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue: dayIn(6) });
  assertProblem(await sign(riskMember(server, tenantId, 'analyst', true)), 403, '/problems/forbidden');
  assertProblem(
    await sign(riskMember(server, tenantId, 'compliance_officer')),
    403,
    '/problems/step-up-required',
  );
  const stale = signer(tenantId);
  server.clock.advance(10 * 60_000);
  assertProblem(await sign(stale), 403, '/problems/step-up-required');
  const read = await caller(server, signer(tenantId))('GET', '/v1/risk/firm-assessment');
  assert.deepEqual([read.json().current, read.json().draft.status], [null, 'draft']);
  assert.equal((await sign(signer(tenantId))).statusCode, 200);
});

test('a review date today, in the past, past 24 months or not a real day is refused', async () => {
  const { tenantId } = await tenantWithDraft();
  const call = caller(server, signer(tenantId));
  for (const reviewDue of [dayIn(0, -1), dayIn(0), dayIn(24, 1), dayIn(36)]) {
    const body = assertProblem(
      await call('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue }),
      400,
      '/problems/validation-failed',
    );
    assert.equal(body.errors?.[0]?.pointer, '/reviewDue', reviewDue);
  }
  for (const reviewDue of ['2030-02-30', '01-02-2030', 'soon']) {
    const response = await call('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue });
    assertProblem(response, 400, '/problems/validation-failed');
  }
  assert.equal((await call('GET', '/v1/risk/firm-assessment')).json().draft.status, 'draft');
  const latest = await call('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue: dayIn(24) });
  assert.equal(latest.statusCode, 200, latest.body);
});

test('an unfinished draft cannot be signed, nor a draft that does not exist', async () => {
  const tenantId = await createTenant(server);
  const call = caller(server, signer(tenantId));
  const reviewDue = dayIn(12);
  assertProblem(
    await call('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue }),
    404,
    '/problems/not-found',
  );
  await call('PUT', '/v1/risk/firm-assessment/draft', { ...DOCUMENT, riskFactors: [] });
  const body = assertProblem(
    await call('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue }),
    400,
    '/problems/validation-failed',
  );
  assert.match(body.detail, /at least one risk/);
});

test('the document is bounded: unknown areas, levels, fields and too many risks are refused by field', async () => {
  const tenantId = await createTenant(server);
  const call = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const factor = DOCUMENT.riskFactors[0]!;
  const cases: [object, string][] = [
    [{ ...DOCUMENT, riskFactors: [{ ...factor, area: 'weather' }] }, '/riskFactors/0/area'],
    [{ ...DOCUMENT, riskFactors: [{ ...factor, impact: 'catastrophic' }] }, '/riskFactors/0/impact'],
    [{ ...DOCUMENT, riskFactors: [{ ...factor, description: '' }] }, '/riskFactors/0/description'],
    [{ ...DOCUMENT, riskFactors: Array.from({ length: 61 }, () => factor) }, '/riskFactors'],
    [{ ...DOCUMENT, conclusion: 'x'.repeat(10_001) }, '/conclusion'],
    [{ ...DOCUMENT, signedBy: 'someone' }, '/signedBy'],
  ];
  for (const [body, pointer] of cases) {
    const problem = assertProblem(
      await call('PUT', '/v1/risk/firm-assessment/draft', body),
      400,
      '/problems/validation-failed',
    );
    assert.ok(
      problem.errors?.some((error) => error.pointer === pointer),
      `${pointer}: ${JSON.stringify(problem)}`,
    );
  }
  assert.equal((await call('GET', '/v1/risk/firm-assessment')).json().draft, null);
});

test('an analyst cannot draft; an auditor reads the assessment, its versions and the overview', async () => {
  const { tenantId } = await tenantWithDraft();
  const analyst = caller(server, riskMember(server, tenantId, 'analyst'));
  assertProblem(await analyst('PUT', '/v1/risk/firm-assessment/draft', DOCUMENT), 403, '/problems/forbidden');
  const auditor = caller(server, riskMember(server, tenantId, 'auditor', true));
  for (const path of ['', '/versions', '/overview']) {
    const response = await auditor('GET', `/v1/risk/firm-assessment${path}`);
    assert.equal(response.statusCode, 200, `${path}: ${response.body}`);
  }
  assert.equal((await auditor('GET', '/v1/risk/firm-assessment')).json().draft.version, 1);
  const sign = await auditor('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue: dayIn(6) });
  assertProblem(sign, 403, '/problems/forbidden');
});

test("another tenant neither sees nor signs a tenant's assessment", async () => {
  const { tenantId: tenantA } = await tenantWithDraft();
  const tenantB = await createTenant(server);
  const a = caller(server, signer(tenantA));
  const b = caller(server, signer(tenantB));
  assertProblem(
    await b('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue: dayIn(6) }),
    404,
    '/problems/not-found',
  );
  assert.equal((await a('GET', '/v1/risk/firm-assessment')).json().draft.status, 'draft');
  assert.equal(
    (await a('POST', '/v1/risk/firm-assessment/draft/sign', { reviewDue: dayIn(6) })).statusCode,
    200,
  );
  assert.deepEqual((await b('GET', '/v1/risk/firm-assessment')).json(), { current: null, draft: null });
  assert.deepEqual((await b('GET', '/v1/risk/firm-assessment/versions')).json(), { versions: [] });
  // B's first draft is B's version 1, whatever A has.
  assert.equal((await b('PUT', '/v1/risk/firm-assessment/draft', DOCUMENT)).json().version, 1);
  assert.equal((await a('GET', '/v1/risk/firm-assessment')).json().draft, null);
});

test('a signed assessment cannot be changed, even by the database owner', async () => {
  const { tenantId, draftId } = await tenantWithDraft();
  const signed = await caller(server, signer(tenantId))('POST', '/v1/risk/firm-assessment/draft/sign', {
    reviewDue: dayIn(12),
  });
  assert.equal(signed.statusCode, 200, signed.body);
  await assert.rejects(
    runAsOwner(server.database, `update risk_firm_assessments set document = '{}'::jsonb where id = $1`, [
      draftId,
    ]),
    /signed firm-wide risk assessment cannot be changed/,
  );
});
