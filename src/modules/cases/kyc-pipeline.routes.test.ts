// The KYC pipeline end to end: a client created through the API is screened, scored by the
// tenant's published model and moved on by the disposition by itself — a clean client approved,
// a PEP sent to review, a confirmed sanctions match rejected, a resolved false positive not raised
// again — and a decision always takes a second person.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { systemActor, type Actor } from '../../platform/actor.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import { permissionsForTenantRoles, type TenantRole } from '../access/index.ts';
// eslint-disable-next-line boundaries/dependencies -- test data: a crafted UN list to screen against
import { unListFile, VERSION_1 } from '../screening/screening.test-fixtures.ts';

// Screening facts decide here, so each scenario shows one cause; the default model also wants
// documents and questionnaire answers, which these tests do not record.
const MODEL = {
  name: 'Pipeline test model',
  rules: [
    {
      id: 'pep',
      description: 'Politically exposed',
      factor: 'customer',
      when: 'screening.pep',
      forceLevel: 'high',
    },
    {
      id: 'sanctions',
      description: 'Confirmed sanctions match',
      factor: 'customer',
      when: 'screening.confirmed_sanctions_hits > 0',
      forceDisposition: 'reject',
    },
    {
      id: 'open_hits',
      description: 'Unreviewed potential match',
      factor: 'customer',
      when: 'screening.open_hits > 0',
      forceDisposition: 'manual_review',
    },
    {
      id: 'remote',
      description: 'Not met in person',
      factor: 'channel',
      when: 'channel.non_face_to_face',
      points: 10,
    },
  ],
  thresholds: { medium: 20, high: 40 },
  dispositions: { low: 'auto_approve', medium: 'manual_review', high: 'manual_review' },
};

let server: TestServer;

before(async () => {
  server = await startTestServer({
    env: { DILIGENCE_SCREENING_THREADS: '1', DILIGENCE_LIST_WATCH_SECONDS: '0' },
  });
  await server.modules.screening.importList(systemActor('test'), {
    listId: 'un-sc',
    files: [unListFile(VERSION_1)],
    sourceLabel: 'consolidated.xml',
  });
  await server.modules.screening.refresh();
});
after(async () => {
  await server.stop();
});

function member(tenantId: string, role: TenantRole): Actor {
  return {
    kind: 'user',
    id: randomUUID(),
    tenantId: toTenantId(tenantId),
    permissions: permissionsForTenantRoles([role]),
    secondFactorAt: server.clock.now(),
    roles: new Set([role]),
    teams: new Set(),
  };
}

function as(actor: Actor) {
  const headers = server.headersFor(actor);
  return (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

async function tenantWithModel() {
  const tenantId = await createTenant(server);
  const author = as(member(tenantId, 'compliance_officer'));
  const draft = await author('POST', '/v1/risk/models', { definition: MODEL });
  assert.equal(draft.statusCode, 201, draft.body);
  await author('POST', `/v1/risk/models/${draft.json().id}/submit`);
  const approved = await as(member(tenantId, 'compliance_officer'))(
    'POST',
    `/v1/risk/models/${draft.json().id}/approve`,
    {},
  );
  assert.equal(approved.statusCode, 200, approved.body);
  return tenantId;
}

const person = (overrides: Record<string, unknown> = {}) => ({
  kind: 'natural_person',
  name: { givenNames: 'Ingrid Marie', familyName: 'Halvorsen' },
  birthDate: '1979-03-14',
  nationalities: ['NO'],
  countryOfResidence: 'DK',
  address: { lines: ['Strandvejen 12'], postalCode: '2100', city: 'København', country: 'DK' },
  identityDocument: { type: 'passport', number: 'NX4471902', issuingCountry: 'NO', expiryDate: '2099-05-31' },
  occupation: 'Engineer',
  pepDeclaration: { isPep: false },
  clientType: 'private_person',
  services: ['bookkeeping'],
  relationshipPurpose: 'ongoing_compliance',
  expectedAnnualVolume: 80_000,
  sourceOfFunds: 'salary_or_pension',
  deliveryChannel: 'face_to_face',
  ...overrides,
});

type Case = {
  id: string;
  state: string;
  level: string | null;
  disposition: string | null;
  hits: { id: string; status: string; list_id: string }[];
};

/** Waits until the client's newest case has left `checks_running`, and returns it in full. */
async function settledCase(call: ReturnType<typeof as>, clientId: string): Promise<Case> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const listed = await call('GET', `/v1/clients/${clientId}/cases`);
    assert.equal(listed.statusCode, 200, listed.body);
    const [newest] = listed.json().cases as { id: string; state: string }[];
    if (newest && newest.state !== 'checks_running')
      return (await call('GET', `/v1/cases/${newest.id}`)).json();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the checks did not finish');
}

async function createClient(call: ReturnType<typeof as>, data: object): Promise<string> {
  const created = await call('POST', '/v1/clients', { data });
  assert.equal(created.statusCode, 201, created.body);
  return created.json().id;
}

test('a clean low-risk person is approved by the model, with no one in the loop', async () => {
  const tenantId = await tenantWithModel();
  const analyst = as(member(tenantId, 'analyst'));
  const kase = await settledCase(analyst, await createClient(analyst, person()));
  assert.deepEqual([kase.state, kase.level, kase.disposition], ['approved', 'low', 'auto_approve']);
  assert.deepEqual(kase.hits, []);
});

test('a self-declared PEP goes to a person, at high risk', async () => {
  const tenantId = await tenantWithModel();
  const analyst = as(member(tenantId, 'analyst'));
  const kase = await settledCase(
    analyst,
    await createClient(analyst, person({ pepDeclaration: { isPep: true, role: 'Member of parliament' } })),
  );
  assert.deepEqual([kase.state, kase.level, kase.disposition], ['in_review', 'high', 'manual_review']);
});

test('a sanctioned name is raised as a hit; confirmed as a true match, the case is rejected', async () => {
  const tenantId = await tenantWithModel();
  const analyst = as(member(tenantId, 'analyst'));
  const clientId = await createClient(
    analyst,
    person({
      name: { givenNames: 'Viktor', familyName: 'Kozlov' },
      birthDate: '1968-03-14',
      nationalities: ['RU'],
    }),
  );
  const review = await settledCase(analyst, clientId);
  assert.equal(review.state, 'in_review');
  const hit = review.hits.find((candidate) => candidate.list_id === 'un-sc');
  assert.ok(hit, JSON.stringify(review.hits));
  assert.equal(hit.status, 'open');
  const resolved = await as(member(tenantId, 'compliance_officer'))(
    'POST',
    `/v1/cases/${review.id}/hits/${hit.id}/resolution`,
    {
      resolution: 'true_match',
      reason: 'Same birth date and nationality as the listed person',
    },
  );
  assert.equal(resolved.statusCode, 200, resolved.body);
  const decided = await settledCase(analyst, clientId);
  assert.deepEqual([decided.id, decided.state, decided.disposition], [review.id, 'rejected', 'reject']);
});

test('a resolved false positive is not raised again while neither side changes', async () => {
  const tenantId = await tenantWithModel();
  const analyst = as(member(tenantId, 'analyst'));
  // Same name, birth date and nationality as a listed person, but another passport: the officer
  // rules the namesake out.
  const clientId = await createClient(
    analyst,
    person({
      name: { givenNames: 'Viktor', familyName: 'Kozlov' },
      birthDate: '1968-03-14',
      nationalities: ['RU'],
    }),
  );
  const review = await settledCase(analyst, clientId);
  const hit = review.hits.find((candidate) => candidate.status === 'open');
  assert.ok(hit, 'the namesake is raised once');
  await as(member(tenantId, 'compliance_officer'))(
    'POST',
    `/v1/cases/${review.id}/hits/${hit.id}/resolution`,
    {
      resolution: 'false_positive',
      reason: 'Passport NX4471902 seen in person; the listed passport differs',
    },
  );
  const again = await settledCase(analyst, clientId);
  assert.equal(again.state, 'approved');
  assert.ok(again.hits.every((candidate) => candidate.status === 'false_positive'));
});

test('four eyes: whoever prepared a case cannot decide it, and a high-risk approval takes two officers', async () => {
  const tenantId = await tenantWithModel();
  const analyst = as(member(tenantId, 'analyst'));
  const clientId = await createClient(analyst, person({ pepDeclaration: { isPep: true, role: 'Mayor' } }));
  const review = await settledCase(analyst, clientId);
  const preparer = as(member(tenantId, 'compliance_officer'));
  assert.equal((await preparer('POST', `/v1/cases/${review.id}/prepare`)).statusCode, 200);
  const self = await preparer('POST', `/v1/cases/${review.id}/decision`, { outcome: 'approved' });
  assert.equal(self.statusCode, 403, self.body);
  assert.match(self.json().detail, /Four eyes/);
  const first = as(member(tenantId, 'compliance_officer'));
  const firstApproval = await first('POST', `/v1/cases/${review.id}/decision`, { outcome: 'approved' });
  assert.equal(firstApproval.json().awaiting, 'second_officer');
  assert.equal(
    (await first('POST', `/v1/cases/${review.id}/decision`, { outcome: 'approved' })).statusCode,
    403,
  );
  const second = await as(member(tenantId, 'compliance_officer'))('POST', `/v1/cases/${review.id}/decision`, {
    outcome: 'approved',
  });
  assert.equal(second.json().state, 'approved', second.body);
  assert.equal(
    (await analyst('POST', `/v1/cases/${review.id}/decision`, { outcome: 'rejected' })).statusCode,
    403,
  );
});

type Question = {
  code: string;
  kind: string;
  required: boolean;
  showIf?: string;
  options?: { code: string; risk?: string }[];
};

/** Low-risk answers to every required question a reply of "no" leaves visible. */
function lowRiskAnswers(questions: Question[]): Record<string, string | number> {
  const answers: Record<string, string | number> = {};
  for (const question of questions) {
    if (question.showIf || !question.required) continue;
    if (question.kind === 'yes_no') answers[question.code] = 'no';
    else if (question.kind === 'choice') {
      const option =
        question.options?.find((candidate) => (candidate.risk ?? 'low') === 'low') ?? question.options?.[0];
      answers[question.code] = option!.code;
    } else if (question.kind === 'number') answers[question.code] = 60_000;
    else if (question.kind === 'country') answers[question.code] = 'DK';
    else if (question.kind === 'date') answers[question.code] = '2015-01-01';
    else answers[question.code] = 'Bookkeeping for a salaried household';
  }
  return answers;
}

test('with the default model, a clean person is approved within moments of the data being complete', async () => {
  const tenantId = await createTenant(server);
  const analyst = as(member(tenantId, 'analyst'));
  const clientId = await createClient(analyst, person());
  const first = await settledCase(analyst, clientId);
  // Documents and the due-diligence questionnaire are still missing: a person must look.
  assert.deepEqual([first.state, first.disposition], ['in_review', 'manual_review']);

  const documents = (await analyst('GET', `/v1/risk/clients/${clientId}/documents`)).json().documents as {
    code: string;
  }[];
  assert.ok(documents.length > 0);
  for (const document of documents) {
    const saved = await analyst('PUT', `/v1/risk/clients/${clientId}/documents/${document.code}`, {
      status: 'approved',
      expiresOn: '2099-01-01',
    });
    assert.equal(saved.statusCode, 200, saved.body);
  }
  const questionnaire = (
    await analyst('GET', '/v1/risk/questionnaires/client_due_diligence/versions/1')
  ).json();
  const answered = await analyst('POST', `/v1/risk/clients/${clientId}/answers/client_due_diligence`, {
    answers: lowRiskAnswers(questionnaire.definition.questions),
  });
  assert.equal(answered.statusCode, 201, answered.body);

  const decided = await settledCase(analyst, clientId);
  assert.equal(decided.id, first.id, 'the same case, checked again on the new inputs');
  assert.deepEqual([decided.state, decided.level, decided.disposition], ['approved', 'low', 'auto_approve']);
});
