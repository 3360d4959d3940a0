// A client's risk end to end: profiles checked against the catalogue, evaluations that store every
// fact and rule and replay identically after the model changed, a dry run that names exactly the
// clients a new model would move, and overrides that cannot lift a forced rejection.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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

type Call = ReturnType<typeof caller>;

async function saveProfile(call: Call, facts: Record<string, unknown>, countryCode = 'DK'): Promise<string> {
  const clientId = randomUUID();
  const response = await call('PUT', `/v1/risk/clients/${clientId}/profile`, {
    clientType: 'private_limited_company',
    countryCode,
    industryCode: 'M69',
    services: ['bookkeeping'],
    facts,
  });
  assert.equal(response.statusCode, 200, response.body);
  return clientId;
}

async function evaluateClient(call: Call, clientId: string) {
  const response = await call('POST', `/v1/risk/clients/${clientId}/evaluations`);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

test('a profile is checked against the catalogue: unknown codes, derived facts and wrong types are refused', async () => {
  const tenantId = await createTenant(server);
  const analyst = caller(server, riskMember(server, tenantId, 'analyst'));
  const url = `/v1/risk/clients/${randomUUID()}/profile`;
  const base = {
    clientType: 'private_limited_company',
    countryCode: 'DK',
    industryCode: 'M69',
    services: ['bookkeeping'],
  };
  const cases: [string, object, RegExp][] = [
    [
      'unknown client type',
      { ...base, clientType: 'space_station' },
      /'space_station' is not one of your client types/,
    ],
    ['unknown service', { ...base, services: ['alchemy'] }, /'alchemy' is not one of your services/],
    [
      'derived fact',
      { ...base, facts: { 'client.country_risk': 'low' } },
      /client\.country_risk is not a fact the firm records/,
    ],
    ['wrong type', { ...base, facts: { 'ownership.layers': 'three' } }, /ownership\.layers must be a number/],
  ];
  for (const [name, body, message] of cases) {
    const response = await analyst('PUT', url, body);
    assert.equal(response.statusCode, 400, name);
    assert.match(response.json().detail, message, name);
  }
  assert.equal((await analyst('GET', url)).statusCode, 404, 'nothing was stored');
});

test('an evaluation stores every fact and rule; its replay gives the same result after the model changed', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const modelV2 = await publishModel(server, tenantId, SIMPLE_MODEL);
  const clientId = await saveProfile(officer, { 'channel.non_face_to_face': true }, 'IR');
  const first = await evaluateClient(officer, clientId);
  assert.equal(first.modelId, modelV2);
  assert.equal(first.result.points, 50);
  assert.equal(first.level, 'high');
  assert.equal(first.facts['client.country_risk'], 'high');
  assert.ok(first.facts['client.country_flags'].includes('fatf_call_for_action'));
  assert.equal(first.result.variables['client.country_risk'], 'high');
  assert.deepEqual(
    first.result.rules
      .filter((rule: { outcome: string }) => rule.outcome === 'fired')
      .map((rule: { id: string }) => rule.id),
    ['high_country', 'non_face_to_face'],
  );
  const unknown = first.result.rules.find((rule: { id: string }) => rule.id === 'pep');
  assert.deepEqual(unknown, { id: 'pep', outcome: 'unknown', points: 0, missing: ['screening.pep'] });

  await publishModel(server, tenantId, { ...SIMPLE_MODEL, thresholds: { medium: 60, high: 90 } });
  const second = await evaluateClient(officer, clientId);
  assert.equal(second.level, 'low', 'the new model scores the same facts lower');

  const replay = await officer('POST', `/v1/risk/evaluations/${first.id}/replay`);
  assert.equal(replay.statusCode, 200, replay.body);
  assert.equal(replay.json().isSame, true);
  assert.equal(replay.json().modelVersion, 2);
  assert.equal(replay.json().replayed.level, 'high');
});

test('the dry run reports exactly the clients whose level or disposition would change', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  await publishModel(server, tenantId, SIMPLE_MODEL);
  const clients = {
    plain: await saveProfile(officer, {}),
    german: await saveProfile(officer, {}, 'DE'),
    iranian: await saveProfile(officer, {}, 'IR'), // 30 points: medium now, low under the draft
    germanPep: await saveProfile(officer, { 'screening.pep': true }, 'DE'), // forced high either way
    germanRemote: await saveProfile(officer, { 'channel.non_face_to_face': true }, 'DE'), // 20 → 45: medium → high
  };
  const draft = structuredClone(SIMPLE_MODEL);
  draft.rules.push({
    id: 'germany',
    description: 'Test rule',
    factor: 'geography',
    when: "client.country == 'DE'",
    points: 25,
  });
  draft.thresholds = { medium: 35, high: 45 };
  const { id } = (await officer('POST', '/v1/risk/models', { definition: draft })).json();
  const run = await officer('POST', `/v1/risk/models/${id}/dry-run`);
  assert.equal(run.statusCode, 201, run.body);
  const { summary, changes, total } = run.json();
  assert.equal(summary.clients, 5);
  assert.equal(summary.failed, 0);
  assert.equal(total, 2);
  const byClient = new Map(changes.map((change: { clientId: string }) => [change.clientId, change]));
  assert.deepEqual([...byClient.keys()].sort(), [clients.iranian, clients.germanRemote].sort());
  assert.deepEqual(byClient.get(clients.iranian), {
    clientId: clients.iranian,
    from: { level: 'medium', disposition: 'manual_review', points: 30 },
    to: { level: 'low', disposition: 'auto_approve', points: 30 },
  });
  assert.deepEqual(summary.candidate, {
    low: 3,
    medium: 0,
    high: 2,
    auto_approve: 3,
    manual_review: 2,
    reject: 0,
  });
  assert.deepEqual(summary.baseline, {
    low: 2,
    medium: 2,
    high: 1,
    auto_approve: 2,
    manual_review: 3,
    reject: 0,
  });
  const page = await officer('GET', `/v1/risk/dry-runs/${run.json().id}?offset=1&limit=1`);
  assert.equal(page.json().changes.length, 1);
  assert.equal(page.json().total, 2);
  assert.equal(
    (await officer('GET', '/v1/risk/models/published')).json().version,
    2,
    'a dry run publishes nothing',
  );
});

test('an override sets the level until it expires, keeps its reason sealed, and cannot lift a forced rejection', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  await publishModel(server, tenantId, SIMPLE_MODEL);
  const iranian = await saveProfile(officer, {}, 'IR');
  const sanctioned = await saveProfile(officer, { 'screening.confirmed_sanctions_hits': 1 });
  const now = server.clock.now().getTime();
  const expiresAt = new Date(now + 30 * 86_400_000).toISOString();
  const reason = 'Resident in Denmark since 2019; Iranian address is a former one (file note 17)';

  const tooLong = new Date(now + 400 * 86_400_000).toISOString();
  assert.equal(
    (
      await officer('PUT', `/v1/risk/clients/${iranian}/override`, {
        level: 'low',
        reason,
        expiresAt: tooLong,
      })
    ).statusCode,
    400,
  );
  const analyst = caller(server, riskMember(server, tenantId, 'analyst', true));
  assert.equal(
    (await analyst('PUT', `/v1/risk/clients/${iranian}/override`, { level: 'low', reason, expiresAt }))
      .statusCode,
    403,
  );

  const set = await officer('PUT', `/v1/risk/clients/${iranian}/override`, {
    level: 'low',
    reason,
    expiresAt,
  });
  assert.equal(set.statusCode, 200, set.body);
  const overridden = await evaluateClient(officer, iranian);
  assert.deepEqual([overridden.level, overridden.disposition], ['low', 'auto_approve']);
  assert.equal(overridden.overrideId, set.json().id);
  assert.equal(overridden.result.level, 'medium', 'the model result itself is kept');
  const stored = await runAsOwner(server.database, 'select reason_sealed from risk_overrides where id = $1', [
    set.json().id,
  ]);
  assert.ok(!Buffer.from(stored.rows[0].reason_sealed).toString('latin1').includes('Denmark'));
  assert.equal((await officer('GET', `/v1/risk/clients/${iranian}/override`)).json().override.reason, reason);

  await officer('PUT', `/v1/risk/clients/${sanctioned}/override`, { level: 'low', reason, expiresAt });
  const rejected = await evaluateClient(officer, sanctioned);
  assert.deepEqual([rejected.level, rejected.disposition], ['low', 'reject']);
  assert.equal((await officer('DELETE', `/v1/risk/clients/${sanctioned}/override`)).statusCode, 204);
  // A level a rule forced (enhanced due diligence for a PEP) is a floor an override cannot go under.
  const pep = await saveProfile(officer, { 'screening.pep': true });
  await officer('PUT', `/v1/risk/clients/${pep}/override`, { level: 'low', reason, expiresAt });
  const floored = await evaluateClient(officer, pep);
  assert.deepEqual([floored.level, floored.disposition], ['high', 'manual_review']);
  assert.equal((await evaluateClient(officer, sanctioned)).overrideId, null);

  server.clock.advance(31 * 86_400_000);
  const expired = await evaluateClient(officer, iranian);
  assert.deepEqual([expired.level, expired.overrideId], ['medium', null]);
  const freshOfficer = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  assert.equal((await freshOfficer('DELETE', `/v1/risk/clients/${iranian}/override`)).statusCode, 404);
});

test('recording a required document changes the facts the next evaluation reads', async () => {
  const tenantId = await createTenant(server);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const clientId = await saveProfile(officer, {});
  const before = await evaluateClient(officer, clientId);
  const documents = (await officer('GET', `/v1/risk/clients/${clientId}/documents`)).json().documents;
  assert.ok(documents.length > 0);
  assert.equal(before.facts['documents.missing'], documents.length);
  const refused = await officer('PUT', `/v1/risk/clients/${clientId}/documents/trust_deed_for_a_company`, {
    status: 'approved',
  });
  assert.equal(refused.statusCode, 400);
  const saved = await officer('PUT', `/v1/risk/clients/${clientId}/documents/${documents[0].code}`, {
    status: 'approved',
  });
  assert.equal(saved.statusCode, 200, saved.body);
  const after = await evaluateClient(officer, clientId);
  assert.equal(after.facts['documents.missing'], documents.length - 1);
});

test("another tenant's client, evaluation and dry run are not found", async () => {
  const tenantA = await createTenant(server);
  const tenantB = await createTenant(server);
  const officerA = caller(server, riskMember(server, tenantA, 'compliance_officer'));
  const officerB = caller(server, riskMember(server, tenantB, 'compliance_officer', true));
  const clientId = await saveProfile(officerA, {});
  const evaluation = await evaluateClient(officerA, clientId);
  const { id: draftId } = (await officerA('POST', '/v1/risk/models', { definition: SIMPLE_MODEL })).json();
  const run = (await officerA('POST', `/v1/risk/models/${draftId}/dry-run`)).json();
  for (const url of [
    `/v1/risk/clients/${clientId}/profile`,
    `/v1/risk/clients/${clientId}/evaluations`,
    `/v1/risk/evaluations/${evaluation.id}`,
    `/v1/risk/dry-runs/${run.id}`,
  ]) {
    assert.equal((await officerB('GET', url)).statusCode, 404, url);
  }
  assert.equal((await officerB('POST', `/v1/risk/clients/${clientId}/evaluations`)).statusCode, 404);
  assert.equal((await officerB('POST', `/v1/risk/evaluations/${evaluation.id}/replay`)).statusCode, 404);
});
