/** Shared fixtures for the risk module's route tests: members by role, and publishing a model with four eyes. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../../../test/test-server.ts';
import type { Actor } from '../../platform/actor.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import { permissionsForTenantRoles, type TenantRole } from '../access/index.ts';

/** A member of a tenant holding one role; `fresh` means a second factor presented just now. */
export function riskMember(server: TestServer, tenantId: string, role: TenantRole, fresh = false): Actor {
  return {
    kind: 'user',
    id: randomUUID(),
    tenantId: toTenantId(tenantId),
    permissions: permissionsForTenantRoles([role]),
    secondFactorAt: fresh ? server.clock.now() : null,
    roles: new Set([role]),
    teams: new Set(),
  };
}

/** Calls the API as an actor. */
export function caller(server: TestServer, actor: Actor) {
  const headers = server.headersFor(actor);
  return (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

/** A small model over built-in facts, easy to reason about in tests. */
export const SIMPLE_MODEL = {
  name: 'Test model',
  rules: [
    {
      id: 'high_country',
      description: 'High-risk country',
      factor: 'geography',
      when: "client.country_risk == 'high'",
      points: 30,
    },
    {
      id: 'non_face_to_face',
      description: 'Not met in person',
      factor: 'channel',
      when: 'channel.non_face_to_face',
      points: 20,
    },
    {
      id: 'pep',
      description: 'Politically exposed',
      factor: 'customer',
      when: 'screening.pep',
      forceLevel: 'high',
    },
    {
      id: 'sanctions',
      description: 'Confirmed sanctions hit',
      factor: 'customer',
      when: 'screening.confirmed_sanctions_hits > 0',
      forceDisposition: 'reject',
    },
  ],
  thresholds: { medium: 20, high: 40 },
  dispositions: { low: 'auto_approve', medium: 'manual_review', high: 'manual_review' },
};

/** Drafts a model as one officer, submits it, and has a second officer approve it; returns its id. */
export async function publishModel(
  server: TestServer,
  tenantId: string,
  definition: object,
): Promise<string> {
  const author = caller(server, riskMember(server, tenantId, 'compliance_officer'));
  const approver = caller(server, riskMember(server, tenantId, 'compliance_officer', true));
  const draft = await author('POST', '/v1/risk/models', { definition });
  assert.equal(draft.statusCode, 201, draft.body);
  const id = draft.json().id as string;
  const submitted = await author('POST', `/v1/risk/models/${id}/submit`);
  assert.equal(submitted.statusCode, 200, submitted.body);
  const approved = await approver('POST', `/v1/risk/models/${id}/approve`, {});
  assert.equal(approved.statusCode, 200, approved.body);
  return id;
}
