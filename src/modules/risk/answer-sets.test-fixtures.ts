/** Fixtures for the questionnaire tests: a questionnaire with a follow-up, a published version, a client's risk profile. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../../../test/test-server.ts';
import { toTenantId, withTenant } from '../../platform/db/scopes.ts';
import { caller, riskMember } from './risk.test-fixtures.ts';

/** Asks about cash; the share of cash is a required follow-up shown only to those who use it. */
export const SOURCE_OF_FUNDS = {
  title: 'Source of funds',
  affectsScore: true,
  questions: [
    {
      code: 'uses_cash',
      text: 'Does the client receive payments in cash?',
      kind: 'yes_no',
      required: true,
      options: [
        { code: 'yes', label: 'Yes', risk: 'high' },
        { code: 'no', label: 'No' },
      ],
    },
    {
      code: 'cash_share',
      text: 'What share of turnover is paid in cash (%)?',
      kind: 'number',
      required: true,
      showIf: "uses_cash == 'yes'",
    },
    { code: 'funds_origin', text: 'Where do the funds come from?', kind: 'text', required: false },
    { code: 'founded_on', text: 'When was the business founded?', kind: 'date', required: false },
  ],
};

/** Saves a draft and publishes it as a fresh officer; returns the published version's number. */
export async function publishQuestionnaire(
  server: TestServer,
  tenantId: string,
  code: string,
  definition: object,
): Promise<number> {
  const officer = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  const draft = await officer('PUT', `/v1/risk/questionnaires/${code}/draft`, { definition });
  assert.ok(draft.statusCode === 200 || draft.statusCode === 201, draft.body);
  const published = await officer('POST', `/v1/risk/questionnaires/${code}/draft/publish`);
  assert.equal(published.statusCode, 200, published.body);
  return published.json().version as number;
}

/** Gives a new client a risk profile in the tenant (the row answer sets hang off); returns its id. */
export async function createRiskProfile(server: TestServer, tenantId: string): Promise<string> {
  const clientId = randomUUID();
  const at = server.clock.now();
  await withTenant(server.database.db, toTenantId(tenantId), (scope) =>
    scope
      .insertInto('risk_client_profiles', {
        client_id: clientId,
        client_type: 'private_person',
        services: [],
        facts: '{}',
        created_at: at,
        updated_at: at,
      })
      .execute(),
  );
  return clientId;
}
