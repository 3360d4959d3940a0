// The firm's catalogue: client types, services and required documents round-trip through the API,
// bounded input is refused by field, a required document cannot name a code the tenant does not
// have (not even another tenant's), only officers change it, and each change is audited by code.
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

const CLIENT_TYPE = {
  name: 'Test cooperative',
  kind: 'entity',
  requiredFields: ['country', 'services'],
  questionnaires: ['client_due_diligence'],
};
const SERVICE = { name: 'Test escrow', inherentRisk: 'high', reviewIntervalMonths: 12 };

const officer = (tenantId: string) => caller(server, riskMember(server, tenantId, 'compliance_officer'));

type Entry = { code: string } & Record<string, unknown>;

async function listed(
  call: ReturnType<typeof caller>,
  path: string,
  key: string,
): Promise<Map<string, Entry>> {
  const response = await call('GET', path);
  assert.equal(response.statusCode, 200, response.body);
  return new Map((response.json()[key] as Entry[]).map((entry) => [entry.code, entry]));
}

async function auditDetails(tenantId: string, action: string) {
  const entries = await server.modules.audit.listEntries(toTenantId(tenantId), {
    beforeSeq: null,
    limit: 200,
  });
  return entries.filter((entry) => entry.action === action).map((entry) => entry.details);
}

function assertInvalid(response: LightMyRequestResponse, pointer: string, message?: RegExp) {
  assert.equal(response.statusCode, 400, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json();
  assert.equal(body.type, '/problems/validation-failed');
  // A missing field is reported at its parent, by name.
  const name = pointer.split('/').pop()!;
  const names = (error: { pointer: string; message: string }) =>
    error.pointer === pointer || (error.pointer === '/' && error.message.includes(name));
  assert.ok(body.errors.some(names), `expected an error naming ${pointer}: ${response.body}`);
  if (message) assert.match(body.detail, message);
}

test('a client type is created, changed and archived, each save audited by code', async () => {
  const tenantId = await createTenant(server);
  const actor = riskMember(server, tenantId, 'compliance_officer');
  const call = caller(server, actor);
  const created = await call('PUT', '/v1/risk/client-types/test_coop', CLIENT_TYPE);
  assert.equal(created.statusCode, 200, created.body);
  assert.deepEqual(
    { ...(created.json() as object), updatedAt: undefined },
    { code: 'test_coop', ...CLIENT_TYPE, isArchived: false, updatedAt: undefined, updatedBy: actor.id },
  );
  const changed = { ...CLIENT_TYPE, name: 'Test housing cooperative', requiredFields: [], isArchived: true };
  assert.equal((await call('PUT', '/v1/risk/client-types/test_coop', changed)).statusCode, 200);
  const stored = (await listed(call, '/v1/risk/client-types', 'clientTypes')).get('test_coop');
  assert.deepEqual(
    { ...stored, updatedAt: undefined },
    { code: 'test_coop', ...changed, updatedAt: undefined, updatedBy: actor.id },
  );
  // The same body again changes nothing and records nothing.
  assert.equal((await call('PUT', '/v1/risk/client-types/test_coop', changed)).statusCode, 200);
  assert.deepEqual(await auditDetails(tenantId, 'risk.client_type_saved'), [
    {
      code: 'test_coop',
      isCreated: false,
      isArchived: true,
      nameFrom: 'Test cooperative',
      nameTo: 'Test housing cooperative',
      requiredFieldsFrom: 'country,services',
      requiredFieldsTo: '',
    },
    { code: 'test_coop', isCreated: true, isArchived: false },
  ]);
});

test('a service is created and changed; leaving out isArchived un-archives it', async () => {
  const tenantId = await createTenant(server);
  const call = officer(tenantId);
  await call('PUT', '/v1/risk/services/test_escrow', { ...SERVICE, isArchived: true });
  assert.equal((await listed(call, '/v1/risk/services', 'services')).get('test_escrow')?.isArchived, true);
  const changed = await call('PUT', '/v1/risk/services/test_escrow', { ...SERVICE, reviewIntervalMonths: 6 });
  assert.equal(changed.statusCode, 200, changed.body);
  const stored = (await listed(call, '/v1/risk/services', 'services')).get('test_escrow');
  assert.deepEqual(
    { ...stored, updatedAt: undefined, updatedBy: undefined },
    {
      code: 'test_escrow',
      ...SERVICE,
      reviewIntervalMonths: 6,
      isArchived: false,
      updatedAt: undefined,
      updatedBy: undefined,
    },
  );
  const saves = await auditDetails(tenantId, 'risk.service_saved');
  assert.equal(saves.length, 2);
  // The catalogue keeps no history table: the audit trail says what each save changed.
  assert.equal(saves[0]?.reviewIntervalMonthsFrom, SERVICE.reviewIntervalMonths);
  assert.equal(saves[0]?.reviewIntervalMonthsTo, 6);
  assert.equal(saves[0]?.nameFrom, undefined, 'unchanged fields are not listed');
});

test('a required document names client types and services of the catalogue, archived ones included', async () => {
  const tenantId = await createTenant(server);
  const call = officer(tenantId);
  await call('PUT', '/v1/risk/client-types/test_coop', CLIENT_TYPE);
  await call('PUT', '/v1/risk/services/test_escrow', { ...SERVICE, isArchived: true });
  const body = {
    name: 'Escrow agreement',
    clientTypes: ['test_coop'],
    services: ['test_escrow'],
    validityMonths: 24,
  };
  const saved = await call('PUT', '/v1/risk/document-requirements/escrow_agreement', body);
  assert.equal(saved.statusCode, 200, saved.body);
  const stored = (await listed(call, '/v1/risk/document-requirements', 'documentRequirements')).get(
    'escrow_agreement',
  );
  assert.deepEqual(
    [stored?.clientTypes, stored?.services, stored?.validityMonths],
    [['test_coop'], ['test_escrow'], 24],
  );
  const open = await call('PUT', '/v1/risk/document-requirements/escrow_agreement', {
    ...body,
    clientTypes: [],
    validityMonths: null,
  });
  assert.equal(open.json().validityMonths, null);
  assert.deepEqual(open.json().clientTypes, []);
  assert.deepEqual(await auditDetails(tenantId, 'risk.document_requirement_saved'), [
    {
      code: 'escrow_agreement',
      isCreated: false,
      isArchived: false,
      clientTypesFrom: 'test_coop',
      clientTypesTo: '',
      validityMonthsFrom: 24,
      validityMonthsTo: null,
    },
    { code: 'escrow_agreement', isCreated: true, isArchived: false },
  ]);
});

test('a required document naming an unknown code is refused with the code and its place', async () => {
  const tenantId = await createTenant(server);
  const call = officer(tenantId);
  await call('PUT', '/v1/risk/client-types/test_coop', CLIENT_TYPE);
  await call('PUT', '/v1/risk/services/test_escrow', SERVICE);
  const body = {
    name: 'Escrow agreement',
    clientTypes: ['test_coop'],
    services: ['test_escrow'],
    validityMonths: 24,
  };
  const url = '/v1/risk/document-requirements/escrow_agreement';
  assertInvalid(
    await call('PUT', url, { ...body, clientTypes: ['test_coop', 'space_station'] }),
    '/clientTypes/1',
    /'space_station' is not one of your client types/,
  );
  assertInvalid(
    await call('PUT', url, { ...body, services: ['alchemy'] }),
    '/services/0',
    /'alchemy' is not one of your services/,
  );
  const stored = await listed(call, '/v1/risk/document-requirements', 'documentRequirements');
  assert.equal(stored.has('escrow_agreement'), false);
});

test('bounded fields: bad codes, kinds, fields, intervals and unknown properties are refused by field', async () => {
  const tenantId = await createTenant(server);
  const call = officer(tenantId);
  const cases: [string, object, string][] = [
    ['/v1/risk/client-types/Not_A_Code', CLIENT_TYPE, '/code'],
    ['/v1/risk/client-types/test_coop', { ...CLIENT_TYPE, kind: 'robot' }, '/kind'],
    ['/v1/risk/client-types/test_coop', { ...CLIENT_TYPE, requiredFields: ['email'] }, '/requiredFields/0'],
    ['/v1/risk/client-types/test_coop', { ...CLIENT_TYPE, name: '' }, '/name'],
    ['/v1/risk/client-types/test_coop', { ...CLIENT_TYPE, name: 'x'.repeat(121) }, '/name'],
    [
      '/v1/risk/client-types/test_coop',
      { ...CLIENT_TYPE, questionnaires: ['Bad Code'] },
      '/questionnaires/0',
    ],
    ['/v1/risk/client-types/test_coop', { ...CLIENT_TYPE, owner: 'someone' }, '/owner'],
    ['/v1/risk/services/test_escrow', { ...SERVICE, reviewIntervalMonths: 0 }, '/reviewIntervalMonths'],
    ['/v1/risk/services/test_escrow', { ...SERVICE, inherentRisk: 'severe' }, '/inherentRisk'],
    ['/v1/risk/services/test_escrow', { name: 'No interval', inherentRisk: 'low' }, '/reviewIntervalMonths'],
    [
      '/v1/risk/document-requirements/passport',
      { name: 'Passport', clientTypes: [], services: [], validityMonths: 241 },
      '/validityMonths',
    ],
  ];
  for (const [url, body, pointer] of cases) assertInvalid(await call('PUT', url, body), pointer);
  assert.equal((await auditDetails(tenantId, 'risk.client_type_saved')).length, 0);
  assert.equal((await auditDetails(tenantId, 'risk.service_saved')).length, 0);
});

test('an analyst or auditor reads the catalogue but cannot change it', async () => {
  const tenantId = await createTenant(server);
  await officer(tenantId)('PUT', '/v1/risk/services/test_escrow', SERVICE);
  for (const role of ['analyst', 'auditor'] as const) {
    const call = caller(server, riskMember(server, tenantId, role));
    for (const path of ['/v1/risk/client-types', '/v1/risk/services', '/v1/risk/document-requirements']) {
      assert.equal((await call('GET', path)).statusCode, 200, `${role} GET ${path}`);
    }
    const put = await call('PUT', '/v1/risk/services/test_escrow', { ...SERVICE, name: 'Renamed' });
    assert.equal(put.statusCode, 403, `${role}: ${put.body}`);
    assert.equal((await call('PUT', '/v1/risk/client-types/test_coop', CLIENT_TYPE)).statusCode, 403, role);
  }
  const stored = await listed(officer(tenantId), '/v1/risk/services', 'services');
  assert.equal(stored.get('test_escrow')?.name, SERVICE.name);
});

test("another tenant's catalogue is neither visible nor usable, and the same code stays separate", async () => {
  const tenantA = await createTenant(server);
  const tenantB = await createTenant(server);
  const a = officer(tenantA);
  const b = officer(tenantB);
  await a('PUT', '/v1/risk/client-types/only_in_a', CLIENT_TYPE);
  await a('PUT', '/v1/risk/services/test_escrow', SERVICE);
  assert.equal((await listed(b, '/v1/risk/client-types', 'clientTypes')).has('only_in_a'), false);
  assertInvalid(
    await b('PUT', '/v1/risk/document-requirements/doc', {
      name: 'Doc',
      clientTypes: ['only_in_a'],
      services: [],
      validityMonths: null,
    }),
    '/clientTypes/0',
  );
  await b('PUT', '/v1/risk/services/test_escrow', { ...SERVICE, name: 'B escrow', inherentRisk: 'low' });
  assert.equal((await listed(a, '/v1/risk/services', 'services')).get('test_escrow')?.name, SERVICE.name);
  assert.equal((await listed(b, '/v1/risk/services', 'services')).get('test_escrow')?.name, 'B escrow');
});
