// The country and industry tables: every change kept with its previous and current values, reason,
// author and time, audited with codes and levels only; a PUT that changes nothing records nothing;
// only officers change the tables; and one tenant's table never shows or takes another's changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import { caller, riskMember } from './risk.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

type Change = {
  previous: Record<string, unknown> | null;
  current: Record<string, unknown> | null;
  reason: string;
  changedAt: string;
  changedBy: string | null;
};

/** A new tenant, with the test clock moved past the defaults installed with it (its history's first entries). */
async function newTenant(): Promise<string> {
  const tenantId = await createTenant(server);
  server.clock.advance(1000);
  return tenantId;
}

async function officerOf(tenantId: string) {
  const actor = riskMember(server, tenantId, 'compliance_officer');
  return { actor, call: caller(server, actor) };
}

async function history(call: ReturnType<typeof caller>, url: string): Promise<Change[]> {
  const response = await call('GET', url);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().changes;
}

async function auditEntries(tenantId: string, action: string) {
  const entries = await server.modules.audit.listEntries(toTenantId(tenantId), {
    beforeSeq: null,
    limit: 200,
  });
  return entries.filter((entry) => entry.action === action);
}

function assertInvalid(response: LightMyRequestResponse, pointer: string) {
  assert.equal(response.statusCode, 400, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json();
  assert.equal(body.type, '/problems/validation-failed');
  // A missing field is reported at its parent, by name.
  const name = pointer.split('/').pop()!;
  const names = (error: { pointer: string; message: string }) =>
    error.pointer === pointer || (error.pointer === '/' && error.message.includes(name));
  assert.ok(body.errors.some(names), `expected an error naming ${pointer}: ${response.body}`);
}

test('a country change is stored, kept in the history with its reason and author, and audited by level', async () => {
  const tenantId = await newTenant();
  const { actor, call } = await officerOf(tenantId);
  const before = (await call('GET', '/v1/risk/countries'))
    .json()
    .countries.find((row: { countryCode: string }) => row.countryCode === 'PA');
  const earlier = await history(call, '/v1/risk/countries/PA/history');
  const saved = await call('PUT', '/v1/risk/countries/PA', {
    level: 'high',
    flags: ['eu_non_cooperative_tax', 'fatf_increased_monitoring'],
    note: 'Grey-listed',
    reason: 'FATF plenary added it to the grey list',
  });
  assert.equal(saved.statusCode, 200, saved.body);
  assert.equal(saved.json().isChanged, true);
  assert.equal(saved.json().updatedBy, actor.id);
  // Flags are kept in the list's order, whatever order they were given in.
  assert.deepEqual(saved.json().flags, ['fatf_increased_monitoring', 'eu_non_cooperative_tax']);

  const listed = (await call('GET', '/v1/risk/countries')).json().countries;
  const panama = listed.find((row: { countryCode: string }) => row.countryCode === 'PA');
  assert.deepEqual([panama.level, panama.note], ['high', 'Grey-listed']);

  const changes = await history(call, '/v1/risk/countries/PA/history');
  assert.equal(changes.length, earlier.length + 1);
  const [latest] = changes;
  assert.deepEqual(
    latest!.previous,
    before ? { level: before.level, flags: before.flags, note: before.note } : null,
  );
  assert.deepEqual(latest!.current, {
    level: 'high',
    flags: ['fatf_increased_monitoring', 'eu_non_cooperative_tax'],
    note: 'Grey-listed',
  });
  assert.equal(latest!.reason, 'FATF plenary added it to the grey list');
  assert.equal(latest!.changedBy, actor.id);
  assert.equal(latest!.changedAt, server.clock.now().toISOString());

  const [entry] = await auditEntries(tenantId, 'risk.country_level_changed');
  assert.ok(entry, 'the change is audited');
  assert.equal(entry.actorId, actor.id);
  assert.deepEqual(entry.details, { code: 'PA', previousLevel: before?.level ?? null, level: 'high' });
  // The reason and the note are free text: they stay out of the audit trail.
  assert.doesNotMatch(JSON.stringify(entry.details), /grey/i);
});

test('a PUT that changes nothing records nothing; a second change shows the first as its previous value', async () => {
  const tenantId = await newTenant();
  const { call } = await officerOf(tenantId);
  const body = { level: 'medium', flags: ['sanctioned'], note: '', reason: 'Sanctions regime' };
  assert.equal((await call('PUT', '/v1/risk/countries/BY', body)).statusCode, 200);
  const afterFirst = await history(call, '/v1/risk/countries/BY/history');
  const auditedFirst = (await auditEntries(tenantId, 'risk.country_level_changed')).length;

  const again = await call('PUT', '/v1/risk/countries/BY', { ...body, reason: 'Same again' });
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().isChanged, false);
  assert.equal((await history(call, '/v1/risk/countries/BY/history')).length, afterFirst.length);
  assert.equal((await auditEntries(tenantId, 'risk.country_level_changed')).length, auditedFirst);

  server.clock.advance(60_000);
  await call('PUT', '/v1/risk/countries/BY', { ...body, level: 'high', reason: 'Escalated' });
  const [latest, previous] = await history(call, '/v1/risk/countries/BY/history');
  assert.deepEqual(latest!.previous, { level: 'medium', flags: ['sanctioned'], note: '' });
  assert.equal(latest!.reason, 'Escalated');
  assert.equal(previous!.reason, 'Sanctions regime');
});

test('an industry is added, changed and removed, each step in its history and the audit trail', async () => {
  const tenantId = await newTenant();
  const { actor, call } = await officerOf(tenantId);
  const url = '/v1/risk/industries/U99.01';
  const body = { name: 'Test embassies', level: 'medium', note: 'n/a', reason: 'Added for a new client' };
  assert.equal((await call('PUT', url, body)).statusCode, 200);
  server.clock.advance(1000);
  const changed = await call('PUT', url, { ...body, level: 'high', reason: 'Typology report' });
  assert.equal(changed.json().level, 'high');
  server.clock.advance(1000);
  const removed = await call('DELETE', `${url}?reason=${encodeURIComponent('No longer served')}`);
  assert.equal(removed.statusCode, 204, removed.body);
  const industries = (await call('GET', '/v1/risk/industries')).json().industries;
  assert.ok(!industries.some((row: { industryCode: string }) => row.industryCode === 'U99.01'));

  const changes = await history(call, `${url}/history`);
  assert.deepEqual(
    changes.map((change) => [change.previous?.level ?? null, change.current?.level ?? null, change.reason]),
    [
      ['high', null, 'No longer served'],
      ['medium', 'high', 'Typology report'],
      [null, 'medium', 'Added for a new client'],
    ],
  );
  assert.ok(changes.every((change) => change.changedBy === actor.id));
  const audited = await auditEntries(tenantId, 'risk.industry_level_changed');
  assert.deepEqual(
    audited.map((entry) => entry.details),
    [
      { code: 'U99.01', previousLevel: 'high', level: null },
      { code: 'U99.01', previousLevel: 'medium', level: 'high' },
      { code: 'U99.01', previousLevel: null, level: 'medium' },
    ],
  );
});

test('removing an industry takes the reason from the body too, needs one, and 404s when absent', async () => {
  const tenantId = await newTenant();
  const { call } = await officerOf(tenantId);
  const url = '/v1/risk/industries/U98';
  await call('PUT', url, { name: 'Test', level: 'low', reason: 'Added' });
  assertInvalid(await call('DELETE', url), '/reason');
  assertInvalid(await call('DELETE', url, { reason: '' }), '/reason');
  server.clock.advance(1000);
  const removed = await call('DELETE', url, { reason: 'Merged into U99' });
  assert.equal(removed.statusCode, 204, removed.body);
  const [latest] = await history(call, `${url}/history`);
  assert.equal(latest!.reason, 'Merged into U99');
  const again = await call('DELETE', url, { reason: 'Twice' });
  assert.equal(again.statusCode, 404, again.body);
});

test('bad input is refused with a problem naming the field, and nothing is recorded', async () => {
  const tenantId = await newTenant();
  const { call } = await officerOf(tenantId);
  const country = { level: 'high', reason: 'A reason' };
  assertInvalid(await call('PUT', '/v1/risk/countries/DK', { level: 'high' }), '/reason');
  assertInvalid(await call('PUT', '/v1/risk/countries/DK', { ...country, reason: '' }), '/reason');
  assertInvalid(
    await call('PUT', '/v1/risk/countries/DK', { ...country, reason: 'x'.repeat(501) }),
    '/reason',
  );
  assertInvalid(await call('PUT', '/v1/risk/countries/DK', { ...country, level: 'extreme' }), '/level');
  assertInvalid(await call('PUT', '/v1/risk/countries/DK', { ...country, flags: ['on_a_list'] }), '/flags/0');
  assertInvalid(await call('PUT', '/v1/risk/countries/DK', { ...country, note: 'x'.repeat(501) }), '/note');
  assertInvalid(await call('PUT', '/v1/risk/countries/dk', country), '/countryCode');
  assertInvalid(await call('PUT', '/v1/risk/industries/Z99', { name: 'Z', ...country }), '/industryCode');
  assertInvalid(await call('PUT', '/v1/risk/industries/K64', country), '/name');
  const changes = await history(call, '/v1/risk/countries/DK/history');
  assert.ok(!changes.some((change) => change.reason === 'A reason'));
});

test('an analyst or auditor reads the tables but cannot change them', async () => {
  const tenantId = await newTenant();
  for (const role of ['analyst', 'auditor'] as const) {
    const call = caller(server, riskMember(server, tenantId, role));
    assert.equal((await call('GET', '/v1/risk/countries')).statusCode, 200);
    assert.equal((await call('GET', '/v1/risk/industries')).statusCode, 200);
    assert.equal((await call('GET', '/v1/risk/countries/DK/history')).statusCode, 200);
    const put = await call('PUT', '/v1/risk/countries/DK', { level: 'high', reason: 'Not allowed' });
    assert.equal(put.statusCode, 403, `${role}: ${put.body}`);
    const industry = await call('PUT', '/v1/risk/industries/K', { name: 'K', level: 'high', reason: 'No' });
    assert.equal(industry.statusCode, 403, role);
    assert.equal((await call('DELETE', '/v1/risk/industries/K?reason=no')).statusCode, 403, role);
  }
  const { call } = await officerOf(tenantId);
  const changes = await history(call, '/v1/risk/countries/DK/history');
  assert.ok(!changes.some((change) => change.reason === 'Not allowed'));
});

test("one tenant's changes never show in, or reach, another tenant's tables", async () => {
  const tenantA = await newTenant();
  const tenantB = await newTenant();
  const a = await officerOf(tenantA);
  const b = await officerOf(tenantB);
  await a.call('PUT', '/v1/risk/countries/CY', { level: 'high', note: 'A only', reason: 'Tenant A reason' });
  await a.call('PUT', '/v1/risk/industries/U97', {
    name: 'A industry',
    level: 'high',
    reason: 'Tenant A reason',
  });

  const countries = (await b.call('GET', '/v1/risk/countries')).json().countries;
  assert.ok(!countries.some((row: { note: string }) => row.note === 'A only'));
  const industries = (await b.call('GET', '/v1/risk/industries')).json().industries;
  assert.ok(!industries.some((row: { industryCode: string }) => row.industryCode === 'U97'));
  for (const url of ['/v1/risk/countries/CY/history', '/v1/risk/industries/U97/history']) {
    assert.ok(!(await history(b.call, url)).some((change) => change.reason === 'Tenant A reason'), url);
  }
  // B cannot remove A's industry: in B's table it does not exist.
  const removed = await b.call('DELETE', '/v1/risk/industries/U97?reason=gone');
  assert.equal(removed.statusCode, 404, removed.body);
  const stillThere = (await a.call('GET', '/v1/risk/industries')).json().industries;
  assert.ok(stillThere.some((row: { industryCode: string }) => row.industryCode === 'U97'));
  // B's change to the same country is B's alone.
  await b.call('PUT', '/v1/risk/countries/CY', { level: 'low', note: 'B only', reason: 'Tenant B reason' });
  const cyprusInA = (await a.call('GET', '/v1/risk/countries'))
    .json()
    .countries.find((row: { countryCode: string }) => row.countryCode === 'CY');
  assert.deepEqual([cyprusInA.level, cyprusInA.note], ['high', 'A only']);
  assert.equal((await auditEntries(tenantB, 'risk.industry_level_changed')).length, 0);
});
