// The client-book overview behind the firm-wide assessment, on rows seeded straight into the
// tables: the latest evaluation's level unless an override is in force (expired and revoked ones
// ignored), clients never evaluated, PEPs, reviews due by the shortest service interval, the
// counts by service, country (top 20 and the rest) and client type, and one tenant's book only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTenant } from '../../../test/sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { toTenantId, withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import type { RiskLevel } from './risk-model.schema.ts';
import { caller, riskMember } from './risk.test-fixtures.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const DAY = 86_400_000;
const ago = (days: number) => new Date(server.clock.now().getTime() - days * DAY);

type Seed = {
  clientType?: string;
  country?: string | null;
  services?: string[];
  /** Oldest first: [level, days ago, is a PEP]. */
  evaluations?: [RiskLevel, number, boolean?][];
  /** [level, created days ago, expires in days (negative: expired), revoked]. */
  overrides?: [RiskLevel, number, number, boolean?][];
};

function seedBook(tenantId: string, clients: Seed[]) {
  return withTenant(server.database.db, toTenantId(tenantId), async (scope) => {
    const now = server.clock.now();
    const model = await publishedModel(scope, now);
    for (const client of clients) await seedClient(scope, model, client);
  });
}

type Model = { id: string; version: number };

// A new tenant may already have the default model published; evaluations then point at it.
async function publishedModel(scope: TenantScope, now: Date): Promise<Model> {
  const published = await scope
    .selectFrom('risk_models')
    .select(['id', 'version'])
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (published) return published;
  const id = randomUUID();
  await scope
    .insertInto('risk_models', {
      id,
      version: 1,
      name: 'Seeded',
      status: 'published',
      definition: '{}',
      editors: [],
      created_at: now,
      created_by: null,
      updated_at: now,
      published_at: now,
    })
    .execute();
  return { id, version: 1 };
}

async function seedClient(scope: TenantScope, model: Model, seed: Seed): Promise<void> {
  const clientId = randomUUID();
  const now = server.clock.now();
  await scope
    .insertInto('risk_client_profiles', {
      client_id: clientId,
      client_type: seed.clientType ?? 'company',
      country_code: seed.country === undefined ? 'DK' : seed.country,
      industry_code: null,
      services: seed.services ?? [],
      facts: '{}',
      created_at: now,
      updated_at: now,
      updated_by: null,
    })
    .execute();
  for (const [level, days, isPep] of seed.evaluations ?? []) {
    await scope
      .insertInto('risk_evaluations', {
        id: randomUUID(),
        client_id: clientId,
        model_id: model.id,
        model_version: model.version,
        facts: JSON.stringify({ 'screening.pep': isPep ?? false }),
        result: '{}',
        level,
        disposition: 'manual_review',
        override_id: null,
        evaluated_at: ago(days),
        evaluated_by: null,
      })
      .execute();
  }
  for (const [level, createdDaysAgo, expiresInDays, isRevoked] of seed.overrides ?? []) {
    const officer = randomUUID();
    await scope
      .insertInto('risk_overrides', {
        id: randomUUID(),
        client_id: clientId,
        level,
        reason_sealed: Buffer.from('sealed elsewhere'),
        expires_at: ago(-expiresInDays),
        created_at: ago(createdDaysAgo),
        created_by: officer,
        revoked_at: isRevoked ? ago(1) : null,
        revoked_by: isRevoked ? officer : null,
      })
      .execute();
  }
}

async function seedServices(tenantId: string, intervals: Record<string, number>) {
  const call = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  for (const [code, months] of Object.entries(intervals)) {
    const body = { name: code, inherentRisk: 'medium', reviewIntervalMonths: months };
    assert.equal((await call('PUT', `/v1/risk/services/${code}`, body)).statusCode, 200);
  }
}

async function overviewOf(tenantId: string) {
  const response = await caller(server, riskMember(server, tenantId, 'auditor'))(
    'GET',
    '/v1/risk/firm-assessment/overview',
  );
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

test('levels follow the latest evaluation or the override in force; PEPs, reviews and groups are counted', async () => {
  const tenantId = await createTenant(server);
  await seedServices(tenantId, { yearly: 12, triennial: 36 });
  await seedBook(tenantId, [
    // Was high, now low; evaluated two months ago: no review due. A service named twice counts once.
    {
      services: ['yearly', 'yearly'],
      evaluations: [
        ['high', 400, true],
        ['low', 60],
      ],
    },
    // A PEP, medium, evaluated 13 months ago: the yearly service makes its review due.
    { services: ['yearly', 'triennial'], evaluations: [['medium', 400, true]] },
    // Low, but an officer's override in force makes it high; 36 months is not over.
    {
      clientType: 'person',
      country: 'SE',
      services: ['triennial'],
      evaluations: [['low', 400]],
      overrides: [['high', 10, 30]],
    },
    // High; an expired and a revoked override are ignored.
    {
      clientType: 'person',
      country: 'SE',
      evaluations: [['high', 5]],
      overrides: [
        ['low', 60, -1],
        ['low', 5, 30, true],
      ],
    },
    // Never evaluated, with an unknown service: no level, no review.
    { country: null, services: ['yearly', 'retired_service'] },
  ]);
  const overview = await overviewOf(tenantId);
  assert.equal(overview.asOf, server.clock.now().toISOString());
  assert.deepEqual(
    {
      clients: overview.clients,
      byLevel: overview.byLevel,
      neverEvaluated: overview.neverEvaluated,
      overridden: overview.overridden,
      peps: overview.peps,
      highRiskShare: overview.highRiskShare,
      reviewDue: overview.reviewDue,
    },
    {
      clients: 5,
      byLevel: { low: 1, medium: 1, high: 2 },
      neverEvaluated: 1,
      overridden: 1,
      peps: 1,
      highRiskShare: 0.5,
      reviewDue: 1,
    },
  );
  assert.deepEqual(overview.byService, [
    { code: 'yearly', clients: 3 },
    { code: 'triennial', clients: 2 },
    { code: 'retired_service', clients: 1 },
  ]);
  assert.deepEqual(overview.byCountry, [
    { countryCode: 'DK', clients: 2 },
    { countryCode: 'SE', clients: 2 },
    { countryCode: null, clients: 1 },
  ]);
  assert.equal(overview.otherCountries, 0);
  assert.deepEqual(overview.byClientType, [
    { code: 'company', clients: 3 },
    { code: 'person', clients: 2 },
  ]);
});

test('an override ends when it expires: the same book later counts the evaluated level', async () => {
  const tenantId = await createTenant(server);
  await seedBook(tenantId, [{ evaluations: [['low', 1]], overrides: [['high', 1, 2]] }]);
  assert.deepEqual((await overviewOf(tenantId)).byLevel, { low: 0, medium: 0, high: 1 });
  server.clock.advance(3 * DAY);
  const later = await overviewOf(tenantId);
  assert.deepEqual(
    [later.byLevel, later.overridden, later.highRiskShare],
    [{ low: 1, medium: 0, high: 0 }, 0, 0],
  );
});

test('the twenty largest countries are listed and the rest summed; another tenant’s book is not counted', async () => {
  const tenantA = await createTenant(server);
  const tenantB = await createTenant(server);
  const countries = Array.from({ length: 22 }, (_, index) => `A${String.fromCharCode(65 + index)}`);
  await seedBook(tenantA, [
    ...countries.map((country) => ({ country })),
    { country: 'DK' },
    { country: 'DK' },
    { country: 'DK' },
  ]);
  await seedBook(tenantB, [{ country: 'NO', evaluations: [['high', 1, true]] }]);
  const overview = await overviewOf(tenantA);
  assert.equal(overview.clients, 25);
  assert.equal(overview.byCountry.length, 20);
  assert.deepEqual(overview.byCountry[0], { countryCode: 'DK', clients: 3 });
  assert.deepEqual(overview.byCountry[1], { countryCode: 'AA', clients: 1 });
  assert.equal(overview.otherCountries, 3);
  assert.deepEqual([overview.neverEvaluated, overview.peps, overview.byLevel.high], [25, 0, 0]);
  const other = await overviewOf(tenantB);
  assert.deepEqual([other.clients, other.peps, other.byCountry], [1, 1, [{ countryCode: 'NO', clients: 1 }]]);
});
