// Record rules: another tenant's or a hidden record must look absent, a role must not exceed its
// permissions, and nobody may decide a case they prepared (four-eyes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor, ActorKind, Permission } from '../../platform/actor.ts';
import { toTenantId, type TenantId } from '../../platform/db/scopes.ts';
import {
  decideRecordAccess,
  isSameTenant,
  type AccessDecision,
  type AccessRule,
  type Dataset,
  type RecordAction,
  type RecordAttributes,
} from './access.policy.ts';
import {
  OPERATOR_PERMISSIONS,
  OPERATOR_ROLE,
  permissionsForTenantRoles,
  type TenantRole,
} from './access.roles.ts';

const TENANT = toTenantId('aaaaaaaa-1111-4111-8111-111111111111');
const OTHER_TENANT = toTenantId('22222222-2222-4222-8222-222222222222');
const ME = 'user-me';

type ActorSpec = {
  kind?: ActorKind;
  tenant?: TenantId | null;
  roles?: TenantRole[];
  teams?: string[];
  /** Granted on top of the roles, to model a future custom role. */
  extra?: Permission[];
};

function makeActor({ kind = 'user', tenant = TENANT, roles = [], teams = [], extra = [] }: ActorSpec): Actor {
  const isOperator = kind === 'operator';
  return {
    kind,
    id: ME,
    tenantId: tenant,
    permissions: new Set([
      ...(isOperator ? OPERATOR_PERMISSIONS : permissionsForTenantRoles(roles)),
      ...extra,
    ]),
    secondFactorAt: null,
    roles: new Set<string>(isOperator ? [OPERATOR_ROLE] : roles),
    teams: new Set(teams),
  };
}

const record = (overrides: Partial<RecordAttributes> = {}): RecordAttributes => ({
  tenantId: TENANT,
  owningTeam: 'onboarding',
  sensitivity: 'standard',
  preparedBy: 'user-someone-else',
  ...overrides,
});

const analyst: ActorSpec = { roles: ['analyst'], teams: ['onboarding'] };
const officer: ActorSpec = { roles: ['compliance_officer'] };
const auditor: ActorSpec = { roles: ['auditor'] };
const admin: ActorSpec = { roles: ['tenant_admin'] };
const operator: ActorSpec = { kind: 'operator', tenant: null };
const restricted = record({ sensitivity: 'restricted' });
const pep = record({ sensitivity: 'pep' });

type Expected = 'allowed' | [reason: 'not_found' | 'forbidden', rule: AccessRule];
type Case = [
  name: string,
  actor: ActorSpec,
  record: RecordAttributes,
  dataset: Dataset,
  RecordAction,
  Expected,
];

// One case a line, so the table reads as a table.
// prettier-ignore
const cases: Case[] = [
  // Tenant isolation.
  ['analyst reads a case of their tenant', analyst, record(), 'cases', 'read', 'allowed'],
  ['officer of another tenant reads a case', { ...officer, tenant: OTHER_TENANT }, record(), 'cases', 'read', ['not_found', 'tenant_isolation']],
  ['officer of another tenant decides a case', { ...officer, tenant: OTHER_TENANT }, record(), 'cases', 'decide', ['not_found', 'tenant_isolation']],
  ['same team name in another tenant sees no restricted record', { ...analyst, tenant: OTHER_TENANT }, restricted, 'clients', 'read', ['not_found', 'tenant_isolation']],
  ['operator reads a client', operator, record(), 'clients', 'read', ['not_found', 'tenant_isolation']],
  ['operator reads a case', operator, record(), 'cases', 'read', ['not_found', 'tenant_isolation']],
  ['system actor reads a client', { kind: 'system', tenant: null, extra: ['clients:read'] }, record(), 'clients', 'read', ['not_found', 'tenant_isolation']],
  ['api client of the tenant reads a client', { kind: 'api_client', roles: ['auditor'] }, record(), 'clients', 'read', 'allowed'],

  // The action needs the dataset's permission.
  ['auditor reads a client', auditor, record(), 'clients', 'read', 'allowed'],
  ['auditor writes a client', auditor, record(), 'clients', 'write', ['forbidden', 'permission']],
  ['auditor prepares a case', auditor, record(), 'cases', 'prepare', ['forbidden', 'permission']],
  ['auditor decides a case', auditor, record(), 'cases', 'decide', ['forbidden', 'permission']],
  ['analyst writes a client', analyst, record(), 'clients', 'write', 'allowed'],
  ['analyst prepares a case', analyst, record(), 'cases', 'prepare', 'allowed'],
  ['analyst decides a case', analyst, record(), 'cases', 'decide', ['forbidden', 'permission']],
  ['analyst decides a case they prepared', analyst, record({ preparedBy: ME }), 'cases', 'decide', ['forbidden', 'permission']],
  ['tenant admin reads a case', admin, record(), 'cases', 'read', 'allowed'],
  ['tenant admin writes a client', admin, record(), 'clients', 'write', ['forbidden', 'permission']],
  ['tenant admin prepares a case', admin, record(), 'cases', 'prepare', ['forbidden', 'permission']],
  ['member without a role reads a client', {}, record(), 'clients', 'read', ['forbidden', 'permission']],
  ['cases:read does not open clients', { extra: ['cases:read'] }, record(), 'clients', 'read', ['forbidden', 'permission']],
  ['clients:read does not open cases', { extra: ['clients:read'] }, record(), 'cases', 'read', ['forbidden', 'permission']],
  ['officer decides a case prepared by someone else', officer, record(), 'cases', 'decide', 'allowed'],
  ['cases have no free write', officer, record(), 'cases', 'write', ['forbidden', 'unsupported_action']],
  ['clients are not prepared', officer, record(), 'clients', 'prepare', ['forbidden', 'unsupported_action']],
  ['clients are not decided', officer, record(), 'clients', 'decide', ['forbidden', 'unsupported_action']],

  // Restricted records: owning team and officers only; everyone else is told they do not exist.
  ['owning-team analyst reads a restricted client', analyst, restricted, 'clients', 'read', 'allowed'],
  ['owning-team analyst prepares a restricted case', analyst, restricted, 'cases', 'prepare', 'allowed'],
  ['member of several teams including the owner reads', { ...analyst, teams: ['sanctions', 'onboarding'] }, restricted, 'clients', 'read', 'allowed'],
  ['analyst of another team reads a restricted client', { ...analyst, teams: ['sanctions'] }, restricted, 'clients', 'read', ['not_found', 'restricted_visibility']],
  ['analyst in no team reads a restricted case', { ...analyst, teams: [] }, restricted, 'cases', 'read', ['not_found', 'restricted_visibility']],
  ['auditor outside the team reads a restricted case', auditor, restricted, 'cases', 'read', ['not_found', 'restricted_visibility']],
  ['auditor outside the team writes: still absent, not 403', auditor, restricted, 'clients', 'write', ['not_found', 'restricted_visibility']],
  ['tenant admin outside the team reads a restricted client', admin, restricted, 'clients', 'read', ['not_found', 'restricted_visibility']],
  ['officer outside the team reads a restricted client', officer, restricted, 'clients', 'read', 'allowed'],
  ['officer decides a restricted case', officer, restricted, 'cases', 'decide', 'allowed'],
  ['restricted without an owning team: analyst', analyst, record({ sensitivity: 'restricted', owningTeam: null }), 'cases', 'read', ['not_found', 'restricted_visibility']],
  ['restricted without an owning team: officer', officer, record({ sensitivity: 'restricted', owningTeam: null }), 'cases', 'read', 'allowed'],
  ['owning-team analyst decides a restricted case', analyst, restricted, 'cases', 'decide', ['forbidden', 'permission']],
  ['team membership does not replace permission', { teams: ['onboarding'] }, restricted, 'clients', 'read', ['forbidden', 'permission']],

  // PEP records: readable with the read permission, decided by officers only.
  ['analyst reads a PEP case', analyst, pep, 'cases', 'read', 'allowed'],
  ['auditor reads a PEP client', auditor, pep, 'clients', 'read', 'allowed'],
  ['analyst prepares a PEP case', analyst, pep, 'cases', 'prepare', 'allowed'],
  ['officer decides a PEP case', officer, pep, 'cases', 'decide', 'allowed'],
  ['non-officer holding cases:decide decides a PEP case', { ...admin, extra: ['cases:decide'] }, pep, 'cases', 'decide', ['forbidden', 'pep_decision']],
  ['non-officer holding cases:decide decides a standard case', { ...admin, extra: ['cases:decide'] }, record(), 'cases', 'decide', 'allowed'],
  ['reader without cases:decide decides a PEP case', { extra: ['cases:read'] }, pep, 'cases', 'decide', ['forbidden', 'permission']],

  // Four-eyes: the preparer never decides.
  ['officer decides a case they prepared', officer, record({ preparedBy: ME }), 'cases', 'decide', ['forbidden', 'four_eyes']],
  ['officer decides a PEP case they prepared', officer, record({ sensitivity: 'pep', preparedBy: ME }), 'cases', 'decide', ['forbidden', 'four_eyes']],
  ['officer decides a restricted case they prepared', officer, record({ sensitivity: 'restricted', preparedBy: ME }), 'cases', 'decide', ['forbidden', 'four_eyes']],
  ['officer decides an unprepared case', officer, record({ preparedBy: null }), 'cases', 'decide', 'allowed'],
  ['officer decides a case with no preparer recorded', officer, record({ preparedBy: undefined }), 'cases', 'decide', 'allowed'],
  ['officer re-prepares a case they prepared', officer, record({ preparedBy: ME }), 'cases', 'prepare', 'allowed'],
  ['officer reads a case they prepared', officer, record({ preparedBy: ME }), 'cases', 'read', 'allowed'],
];

for (const [name, actorSpec, attributes, dataset, action, expected] of cases) {
  test(`${name}: ${dataset} ${action} → ${expected === 'allowed' ? 'allowed' : expected.join('/')}`, () => {
    const want: AccessDecision =
      expected === 'allowed' ? { allowed: true } : { allowed: false, reason: expected[0], rule: expected[1] };
    assert.deepEqual(decideRecordAccess(makeActor(actorSpec), attributes, action, dataset), want);
  });
}

test('the table exercises every rule', () => {
  // A Record over the union: adding a rule to AccessRule fails to compile until it is listed here.
  const everyRule: Record<AccessRule, true> = {
    tenant_isolation: true,
    restricted_visibility: true,
    unsupported_action: true,
    permission: true,
    pep_decision: true,
    four_eyes: true,
  };
  const exercised = new Set(
    cases.flatMap(([, , , , , expected]) => (expected === 'allowed' ? [] : [expected[1]])),
  );
  assert.deepEqual([...exercised].sort(), Object.keys(everyRule).sort());
});

const tenantCases: [name: string, actor: ActorSpec, tenantId: string, expected: boolean][] = [
  ['member of the tenant', analyst, TENANT, true],
  ['member of another tenant', analyst, OTHER_TENANT, false],
  ['operator without a tenant', operator, TENANT, false],
  ['system actor without a tenant', { kind: 'system', tenant: null }, TENANT, false],
  ['an upper-case spelling of the tenant id does not match', analyst, TENANT.toUpperCase(), false],
];

for (const [name, actorSpec, tenantId, expected] of tenantCases) {
  test(`isSameTenant: ${name} → ${expected}`, () => {
    assert.equal(isSameTenant(makeActor(actorSpec), tenantId), expected);
  });
}
