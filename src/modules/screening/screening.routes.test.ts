// The screening API after a crafted UN list is imported: explained hits, evidence that moves the
// score, batch order, bounded input, who may search or configure, one tenant's threshold never
// reaching another, and an audit trail that records a search without the screened name.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { operatorActor, startTestServer, type TestServer } from '../../../test/test-server.ts';
import { systemActor, type Actor } from '../../platform/actor.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import { OPERATOR_PERMISSIONS, permissionsForTenantRoles, type TenantRole } from '../access/index.ts';
import { KOZLOV, TORRES, unListFile, VERSION_1 } from './screening.test-fixtures.ts';

// One worker thread is plenty for three entries; no watcher, the tests refresh the index themselves.
const ENV = { DILIGENCE_SCREENING_THREADS: '1', DILIGENCE_LIST_WATCH_SECONDS: '0' };
const KOZLOV_CYRILLIC = 'Козлов Виктор Александрович';

let server: TestServer;
let versionId: string;

before(async () => {
  server = await startTestServer({ env: ENV });
  const imported = await server.modules.screening.importList(systemActor('test'), {
    listId: 'un-sc',
    files: [unListFile(VERSION_1)],
    sourceLabel: 'consolidated.xml',
  });
  versionId = imported.versionId;
  await server.modules.screening.refresh();
});
after(async () => {
  await server.stop();
});

/** A member of a tenant holding one role, as sign-in would make them. */
function member(tenantId: string, role: TenantRole, secondFactorAt: Date | null = null): Actor {
  return {
    kind: 'user',
    id: randomUUID(),
    tenantId: toTenantId(tenantId),
    permissions: permissionsForTenantRoles([role]),
    secondFactorAt,
    roles: new Set([role]),
    teams: new Set(),
  };
}

async function headersOf(role: TenantRole, secondFactorAt: Date | null = null) {
  const tenantId = await createTenant(server);
  return { tenantId, headers: server.headersFor(member(tenantId, role, secondFactorAt)) };
}

type Method = 'GET' | 'POST' | 'PUT';
const call = (headers: Record<string, string>, method: Method, url: string, payload?: object) =>
  server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

type Hit = {
  listId: string;
  sourceId: string;
  score: number;
  primaryName: string;
  explanation: {
    matchedName: string;
    tokens: { query: string; candidate: string; method: string }[];
    birthDate: { outcome: string; adjustment: number };
    country: { outcome: string };
    identifier: { type: string; value: string } | null;
    summary: string;
  };
};

async function search(headers: Record<string, string>, body: object): Promise<Hit[]> {
  const response = await call(headers, 'POST', '/v1/screening/search', body);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().hits;
}

function assertProblem(response: LightMyRequestResponse, status: number, type: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json();
  assert.equal(body.type, type);
  return body as { detail: string; errors?: { pointer: string; message: string }[] };
}

test('a listed person is found by a reordered or Cyrillic-script name, with the match explained', async () => {
  const { headers } = await headersOf('analyst');
  for (const name of [KOZLOV_CYRILLIC, 'KOZLOV, Viktor Aleksandrovich']) {
    const hits = await search(headers, { name });
    assert.equal(hits.length, 1, name);
    const [hit] = hits;
    assert.deepEqual(
      [hit!.listId, hit!.sourceId, hit!.primaryName],
      ['un-sc', KOZLOV.referenceNumber, 'VIKTOR ALEKSANDROVICH KOZLOV'],
    );
    assert.ok(hit!.score >= 0.85, `${name}: ${hit!.score}`);
    assert.equal(hit!.explanation.matchedName, 'VIKTOR ALEKSANDROVICH KOZLOV');
    assert.deepEqual(hit!.explanation.tokens.map((pair) => `${pair.query}=${pair.candidate}`).sort(), [
      'aleksandrovich=aleksandrovich',
      'kozlov=kozlov',
      'viktor=viktor',
    ]);
    assert.match(hit!.explanation.summary, /^name [\d.]+ \(.*"kozlov" exact.*\) → [\d.]+ ≥ threshold 0\.85$/);
  }
});

test('a birth date far from the listed one lowers the score; the listed date raises it', async () => {
  const { headers } = await headersOf('analyst');
  const score = async (birthDate?: string) => {
    const [hit] = await search(headers, {
      name: 'Viktor Kozlov',
      threshold: 0.5,
      ...(birthDate ? { birthDate } : {}),
    });
    assert.equal(hit?.sourceId, KOZLOV.referenceNumber, `birth date ${birthDate}`);
    return hit!;
  };
  const without = await score();
  const mismatch = await score('1990-01-01');
  const exact = await score('1968-03-14');
  assert.ok(mismatch.score < without.score, `${mismatch.score} < ${without.score}`);
  assert.ok(exact.score > without.score, `${exact.score} > ${without.score}`);
  assert.deepEqual(
    [
      without.explanation.birthDate.outcome,
      mismatch.explanation.birthDate.outcome,
      exact.explanation.birthDate.outcome,
    ],
    ['not_compared', 'mismatch', 'exact'],
  );
  assert.ok(mismatch.explanation.birthDate.adjustment < 0);
  assert.match(mismatch.explanation.summary, /birth date mismatch \(-[\d.]+\)/);
});

test('a matching identifier decides: score 1 even under another name', async () => {
  const { headers } = await headersOf('compliance_officer');
  const hits = await search(headers, {
    name: 'Jane Quite Different',
    identifiers: [{ type: 'passport', value: 'nx 4409217' }],
  });
  assert.equal(hits.length, 1);
  assert.deepEqual([hits[0]!.sourceId, hits[0]!.score], [KOZLOV.referenceNumber, 1]);
  assert.deepEqual(hits[0]!.explanation.identifier, { type: 'passport', value: 'NX4409217' });
  assert.match(hits[0]!.explanation.summary, /identifier passport NX4409217 matches: decisive/);
});

test('a batch answers in the order of its queries', async () => {
  const { headers } = await headersOf('analyst');
  const queries = [
    { name: 'Maria Elena Torres Valdez' },
    { name: 'Nobody Atall' },
    { name: KOZLOV_CYRILLIC },
    { name: 'Blue Harbour Shipping', schema: 'organisation' },
    { name: 'Maria Elena Torres Valdez', birthDate: '1975', countries: ['co'] },
  ];
  const response = await call(headers, 'POST', '/v1/screening/batch', { queries });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as { threshold: number; results: { hits: Hit[] }[] };
  assert.equal(body.threshold, 0.85);
  assert.deepEqual(
    body.results.map((result) => result.hits.map((hit) => hit.sourceId)),
    [[TORRES.referenceNumber], [], [KOZLOV.referenceNumber], ['XXe.001'], [TORRES.referenceNumber]],
  );
  assert.equal(body.results[4]!.hits[0]!.explanation.country.outcome, 'match', 'a lower-case country counts');
  const onlyOtherLists = await search(headers, { name: KOZLOV_CYRILLIC, lists: ['ofac-sdn'] });
  assert.deepEqual(onlyOtherLists, []);
});

test('with no list imported, a search answers 503 telling to import a list', async () => {
  const empty = await startTestServer({ env: ENV });
  try {
    const tenantId = await createTenant(empty);
    const response = await empty.app.inject({
      method: 'POST',
      url: '/v1/screening/search',
      headers: empty.headersFor(member(tenantId, 'analyst')),
      payload: { name: 'Viktor Kozlov' },
    });
    const body = assertProblem(response, 503, '/problems/unavailable');
    assert.match(body.detail, /No sanctions or PEP list is loaded/);
    assert.match(body.detail, /diligence lists update.*diligence lists import/);
  } finally {
    await empty.stop();
  }
});

test('unbounded or malformed input is refused with a validation problem', async () => {
  const { headers } = await headersOf('analyst');
  const refused: [string, string, object, string][] = [
    ['empty name', '/v1/screening/search', { name: '' }, '/name'],
    ['301-character name', '/v1/screening/search', { name: 'a'.repeat(301) }, '/name'],
    [
      'impossible birth date',
      '/v1/screening/search',
      { name: 'Viktor Kozlov', birthDate: '1968-13-01' },
      '/birthDate',
    ],
    [
      'three-letter country',
      '/v1/screening/search',
      { name: 'Viktor Kozlov', countries: ['RUS'] },
      '/countries/0',
    ],
    ['unknown field', '/v1/screening/search', { name: 'Viktor Kozlov', nickname: 'Vitya' }, '/nickname'],
    ['threshold below 0.5', '/v1/screening/search', { name: 'Viktor Kozlov', threshold: 0.2 }, '/threshold'],
    ['empty batch', '/v1/screening/batch', { queries: [] }, '/queries'],
    [
      'batch of 10,001',
      '/v1/screening/batch',
      { queries: Array.from({ length: 10_001 }, () => ({ name: 'a' })) },
      '/queries',
    ],
  ];
  for (const [label, url, payload, pointer] of refused) {
    const body = assertProblem(await call(headers, 'POST', url, payload), 400, '/problems/validation-failed');
    assert.ok(
      body.errors?.some((error) => error.pointer === pointer),
      `${label}: ${JSON.stringify(body.errors)}`,
    );
  }
  assert.equal(
    (await call(headers, 'POST', '/v1/screening/search', { name: 'Viktor Kozlov', nickname: 'x' })).json()
      .errors[0].message,
    'Unknown field "nickname" is not allowed.',
  );
});

test('an auditor reads the lists but cannot search; an operator reads them but cannot search', async () => {
  const { tenantId } = await headersOf('auditor');
  const auditor = server.headersFor(member(tenantId, 'auditor'));
  const operator = server.headersFor({
    ...operatorActor([...OPERATOR_PERMISSIONS]),
    roles: new Set(['operator']),
  });
  for (const headers of [auditor, operator]) {
    assertProblem(
      await call(headers, 'POST', '/v1/screening/search', { name: 'Viktor Kozlov' }),
      403,
      '/problems/forbidden',
    );
    assertProblem(
      await call(headers, 'POST', '/v1/screening/batch', { queries: [{ name: 'Viktor Kozlov' }] }),
      403,
      '/problems/forbidden',
    );
    const lists = await call(headers, 'GET', '/v1/screening/lists');
    assert.equal(lists.statusCode, 200, lists.body);
    const un = lists.json().lists.find((list: { listId: string }) => list.listId === 'un-sc');
    assert.deepEqual(
      [un.activeVersion.id, un.activeVersion.sequence, un.activeVersion.entityCount],
      [versionId, 1, 3],
    );
    assert.deepEqual([lists.json().index.state, lists.json().index.entities], ['ready', 3]);
  }
  const anonymous = await server.app.inject({ method: 'GET', url: '/v1/screening/lists' });
  assertProblem(anonymous, 401, '/problems/unauthenticated');
});

test('changing the threshold needs screening:configure and a recent second factor', async () => {
  const tenantId = await createTenant(server);
  const now = server.clock.now();
  const put = (actor: Actor, threshold = 0.95) =>
    call(server.headersFor(actor), 'PUT', '/v1/screening/settings', { threshold });
  assertProblem(await put(member(tenantId, 'compliance_officer')), 403, '/problems/step-up-required');
  const stale = new Date(now.getTime() - 6 * 60_000);
  assertProblem(await put(member(tenantId, 'compliance_officer', stale)), 403, '/problems/step-up-required');
  assertProblem(await put(member(tenantId, 'analyst', now)), 403, '/problems/forbidden');
  assertProblem(await put(member(tenantId, 'tenant_admin', now)), 403, '/problems/forbidden');
  assertProblem(
    await put(member(tenantId, 'compliance_officer', now), 0.3),
    400,
    '/problems/validation-failed',
  );
  const reader = server.headersFor(member(tenantId, 'analyst'));
  assert.deepEqual((await call(reader, 'GET', '/v1/screening/settings')).json(), {
    threshold: 0.85,
    defaultThreshold: 0.85,
  });
  const changed = await put(member(tenantId, 'compliance_officer', now));
  assert.equal(changed.statusCode, 200, changed.body);
  assert.deepEqual(changed.json(), { threshold: 0.95, defaultThreshold: 0.85 });
  assert.deepEqual((await call(reader, 'GET', '/v1/screening/settings')).json(), {
    threshold: 0.95,
    defaultThreshold: 0.85,
  });
  const entries = await server.modules.audit.listEntries(toTenantId(tenantId), {
    beforeSeq: null,
    limit: 50,
  });
  const recorded = entries.find((entry) => entry.action === 'screening.threshold_changed');
  assert.deepEqual(recorded?.details, { previous: '0.850', threshold: '0.950' });
});

test('cross-tenant: one tenant’s threshold neither shows in nor applies to another tenant', async () => {
  const a = await createTenant(server);
  const b = await createTenant(server);
  const officerA = server.headersFor(member(a, 'compliance_officer', server.clock.now()));
  const officerB = server.headersFor(member(b, 'compliance_officer', server.clock.now()));
  const set = await call(officerA, 'PUT', '/v1/screening/settings', { threshold: 0.93 });
  assert.equal(set.statusCode, 200, set.body);
  assert.deepEqual((await call(officerB, 'GET', '/v1/screening/settings')).json(), {
    threshold: 0.85,
    defaultThreshold: 0.85,
  });
  const searchedB = await call(officerB, 'POST', '/v1/screening/search', {
    name: 'Viktor Kozlov Aleksandrovich',
  });
  const searchedA = await call(officerA, 'POST', '/v1/screening/search', {
    name: 'Viktor Kozlov Aleksandrovich',
  });
  assert.deepEqual([searchedA.json().threshold, searchedB.json().threshold], [0.93, 0.85]);
  const chainB = await server.modules.audit.listEntries(toTenantId(b), { beforeSeq: null, limit: 50 });
  assert.ok(!chainB.some((entry) => entry.action === 'screening.threshold_changed'));
});

test('a search is audited in the tenant’s chain without any part of the screened name', async () => {
  const { tenantId, headers } = await headersOf('analyst');
  const hits = await search(headers, { name: KOZLOV_CYRILLIC, birthDate: '1968-03-14', countries: ['RU'] });
  assert.equal(hits.length, 1);
  const entries = await server.modules.audit.listEntries(toTenantId(tenantId), {
    beforeSeq: null,
    limit: 50,
  });
  const searched = entries.filter((entry) => entry.action === 'screening.searched');
  assert.equal(searched.length, 1);
  assert.deepEqual(searched[0]!.details, {
    queries: 1,
    hits: 1,
    threshold: '0.850',
    lists: 'all',
    schemas: 'any',
  });
  const stored = JSON.stringify(searched[0], (_key, value) =>
    typeof value === 'bigint' ? String(value) : (value as unknown),
  ).toLowerCase();
  // A caller may look wider than the tenant's threshold, and that is recorded: it decides which hits were seen.
  const wide = await search(headers, { name: KOZLOV_CYRILLIC, threshold: 0.6 });
  const [latest] = await server.modules.audit.listEntries(toTenantId(tenantId), {
    beforeSeq: null,
    limit: 1,
  });
  assert.deepEqual(latest?.details, {
    queries: 1,
    hits: wide.length,
    threshold: '0.600',
    lists: 'all',
    schemas: 'any',
  });
  for (const part of ['козлов', 'виктор', 'александрович', 'kozlov', 'viktor', 'aleksandrovich', '1968']) {
    assert.ok(!stored.includes(part), `the audit entry contains "${part}"`);
  }
});

test('a version’s changes are served under its own list only', async () => {
  const { headers } = await headersOf('auditor');
  const own = await call(headers, 'GET', `/v1/screening/lists/un-sc/versions/${versionId}/changes`);
  assert.equal(own.statusCode, 200, own.body);
  assert.deepEqual(
    own
      .json()
      .changes.map((change: { sourceId: string; change: string }) => `${change.sourceId} ${change.change}`),
    ['XXe.001 added', 'XXi.001 added', 'XXi.002 added'],
  );
  for (const url of [
    `/v1/screening/lists/ofac-sdn/versions/${versionId}/changes`,
    `/v1/screening/lists/un-sc/versions/${randomUUID()}/changes`,
  ]) {
    assertProblem(await call(headers, 'GET', url), 404, '/problems/not-found');
  }
  assertProblem(
    await call(headers, 'GET', '/v1/screening/lists/un-sc/versions/not-a-uuid/changes'),
    400,
    '/problems/validation-failed',
  );
});

test('a search cannot raise the threshold above the tenant’s, which would hide weaker hits', async () => {
  const { headers } = await headersOf('analyst');
  const response = await call(headers, 'POST', '/v1/screening/search', {
    name: KOZLOV_CYRILLIC,
    threshold: 0.99,
  });
  assert.equal(response.statusCode, 400, response.body);
  assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
  assert.match(JSON.parse(response.body).detail, /may not be above your organisation's screening threshold/);
});

test('a tenant threshold above 0.95 is refused: it would silence fuzzy matching', async () => {
  const tenant = await createTenant(server);
  const officer = server.headersFor(member(tenant, 'compliance_officer', server.clock.now()));
  const response = await call(officer, 'PUT', '/v1/screening/settings', { threshold: 0.99 });
  assert.equal(response.statusCode, 400, response.body);
});

test('a search naming an unknown list is refused rather than answering "no hit"', async () => {
  const { headers } = await headersOf('analyst');
  const response = await call(headers, 'POST', '/v1/screening/search', {
    name: 'Viktor Kozlov',
    lists: ['no-such-list'],
  });
  assert.equal(response.statusCode, 400, response.body);
  assert.match(JSON.parse(response.body).detail, /Unknown list "no-such-list"/);
});

test('a batch cannot look wider than the tenant’s threshold (its answer would be unbounded)', async () => {
  const { headers } = await headersOf('analyst');
  const response = await call(headers, 'POST', '/v1/screening/batch', {
    queries: [{ name: 'Mohammed' }, { name: 'Ali' }],
    threshold: 0.5,
  });
  assert.equal(response.statusCode, 400, response.body);
  assert.match(JSON.parse(response.body).detail, /A batch screens at your organisation's threshold/);
});
