// Installing the default catalogue and tables: what a tenant lacks is inserted once, with no author
// and the first entry of each country's and industry's history; what it already has, edited or
// not, is left alone; and the module's list functions read it back in the catalogue's shapes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { toTenantId, withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import {
  installCatalogDefaults,
  listClientTypes,
  listCountryLevels,
  listDocumentRequirements,
  listIndustryLevels,
  listServices,
  type CatalogDefaults,
} from './risk-catalog.repo.ts';
import { listTableChanges } from './risk-tables.repo.ts';
import { caller, riskMember } from './risk.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const DEFAULTS: CatalogDefaults = {
  clientTypes: [
    {
      code: 'test_company',
      name: 'Company',
      kind: 'entity',
      requiredFields: ['country', 'industry'],
      questionnaires: ['cdd'],
    },
  ],
  services: [{ code: 'test_payroll', name: 'Payroll', inherentRisk: 'low', reviewIntervalMonths: 36 }],
  documentRequirements: [
    {
      code: 'test_register_extract',
      name: 'Register extract',
      clientTypes: ['test_company'],
      services: [],
      validityMonths: 12,
    },
  ],
  countries: [{ countryCode: 'XA', level: 'high', flags: ['sanctioned'], note: 'Test' }],
  industries: [{ industryCode: 'U99.9', name: 'Test industry', level: 'medium', note: '' }],
};

const inTenant = <T>(tenantId: string, work: (scope: TenantScope) => Promise<T>) =>
  withTenant(server.database.db, toTenantId(tenantId), work);
const install = (tenantId: string, defaults: CatalogDefaults = DEFAULTS) =>
  inTenant(tenantId, (scope) => installCatalogDefaults(scope, defaults, server.clock.now()));

test('the defaults are inserted once, read back in the catalogue shapes, with no author', async () => {
  const tenantId = await createTenant(server);
  const at = server.clock.now();
  assert.equal(await install(tenantId), true);
  const read = await inTenant(tenantId, async (scope) => ({
    clientTypes: (await listClientTypes(scope)).find((entry) => entry.code === 'test_company'),
    services: (await listServices(scope)).find((entry) => entry.code === 'test_payroll'),
    documents: (await listDocumentRequirements(scope)).find(
      (entry) => entry.code === 'test_register_extract',
    ),
    countries: (await listCountryLevels(scope)).find((entry) => entry.countryCode === 'XA'),
    industries: (await listIndustryLevels(scope)).find((entry) => entry.industryCode === 'U99.9'),
  }));
  const stamp = { updatedAt: at, updatedBy: null };
  assert.deepEqual(read, {
    clientTypes: { ...DEFAULTS.clientTypes[0], isArchived: false, ...stamp },
    services: { ...DEFAULTS.services[0], isArchived: false, ...stamp },
    documents: { ...DEFAULTS.documentRequirements[0], isArchived: false, ...stamp },
    countries: { ...DEFAULTS.countries[0], ...stamp },
    industries: { ...DEFAULTS.industries[0], ...stamp },
  });
  const history = await inTenant(tenantId, (scope) => listTableChanges(scope, 'country', 'XA', 10));
  assert.deepEqual(
    history.map(({ previous, current, reason, changedBy }) => ({ previous, current, reason, changedBy })),
    [
      {
        previous: null,
        current: { level: 'high', flags: ['sanctioned'], note: 'Test' },
        reason: 'Installed with the default tables.',
        changedBy: null,
      },
    ],
  );
  assert.equal(await install(tenantId), false, 'a second install inserts nothing');
  assert.equal((await inTenant(tenantId, (scope) => listTableChanges(scope, 'country', 'XA', 10))).length, 1);
});

test("an entry the tenant edited is kept; a default it lacks is still added; another tenant's is separate", async () => {
  const tenantId = await createTenant(server);
  const other = await createTenant(server);
  await install(tenantId);
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const body = { name: 'Payroll and pensions', inherentRisk: 'medium', reviewIntervalMonths: 24 };
  assert.equal((await officer('PUT', '/v1/risk/services/test_payroll', body)).statusCode, 200);
  const more = {
    ...DEFAULTS,
    services: [...DEFAULTS.services, { ...DEFAULTS.services[0]!, code: 'test_audit' }],
  };
  assert.equal(await install(tenantId, more), true);
  const services = await inTenant(tenantId, (scope) => listServices(scope));
  const byCode = new Map(services.map((service) => [service.code, service]));
  assert.equal(byCode.get('test_payroll')?.name, 'Payroll and pensions');
  assert.equal(byCode.get('test_audit')?.updatedBy, null);
  assert.equal(await install(tenantId, { ...DEFAULTS, clientTypes: [], services: [] }), false);
  // The other tenant has none of it until its own install.
  assert.equal(
    (await inTenant(other, (scope) => listServices(scope))).some((s) => s.code === 'test_payroll'),
    false,
  );
  assert.equal(await install(other), true);
});
