// Roles must grant exactly what they say: no role may reach past its job, and the platform
// operator must never hold a permission on customer data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Permission } from '../../platform/actor.ts';
import {
  OPERATOR_PERMISSIONS,
  PERMISSIONS,
  TENANT_ROLES,
  describeRoles,
  isTenantRole,
  permissionsForTenantRoles,
  type KnownPermission,
  type TenantRole,
} from './access.roles.ts';

// The permissions that open customer records or carry them out of the platform (screening takes
// a client's name as its input; the risk model reads and writes clients' risk profiles).
const CUSTOMER_DATA: readonly KnownPermission[] = PERMISSIONS.filter(
  (permission) =>
    /^(clients|cases|risk):/.test(permission) ||
    permission === 'data:export' ||
    permission === 'screening:search',
);

// Every role also gets account:manage; listed here so the table is the whole truth.
const expectedByRole: Record<TenantRole, KnownPermission[]> = {
  tenant_admin: [
    'tenants:read',
    'members:read',
    'members:invite',
    'members:manage',
    'account:manage',
    'audit:read',
    'audit:verify',
    'clients:read',
    'cases:read',
    'data:export',
    'screening:read',
    'risk:read',
  ],
  compliance_officer: [
    'tenants:read',
    'account:manage',
    'clients:read',
    'clients:write',
    'cases:read',
    'cases:prepare',
    'cases:decide',
    'data:export',
    'screening:search',
    'screening:read',
    'screening:configure',
    'risk:read',
    'risk:assess',
    'risk:configure',
    'risk:approve',
    'risk:override',
  ],
  analyst: [
    'tenants:read',
    'account:manage',
    'clients:read',
    'clients:write',
    'cases:read',
    'cases:prepare',
    'screening:search',
    'screening:read',
    'risk:read',
    'risk:assess',
  ],
  auditor: [
    'tenants:read',
    'members:read',
    'account:manage',
    'audit:read',
    'audit:verify',
    'clients:read',
    'cases:read',
    'screening:read',
    'risk:read',
  ],
};

for (const role of TENANT_ROLES) {
  test(`${role} holds exactly its permissions`, () => {
    assert.deepEqual([...permissionsForTenantRoles([role])].sort(), [...expectedByRole[role]].sort());
  });
}

test('the operator runs tenants, audit, encryption keys and sees list versions, invites first admins, and nothing more', () => {
  const expected: KnownPermission[] = [
    'tenants:create',
    'tenants:list',
    'tenants:read',
    'audit:read',
    'audit:verify',
    'members:invite',
    'account:manage',
    'keys:read',
    'keys:rotate',
    'screening:read',
  ];
  assert.deepEqual([...OPERATOR_PERMISSIONS].sort(), expected.sort());
});

test('the operator holds no permission on customer data', () => {
  assert.ok(CUSTOMER_DATA.length >= 7, 'the customer-data list is not empty by accident');
  for (const permission of CUSTOMER_DATA) assert.ok(!OPERATOR_PERMISSIONS.has(permission), permission);
});

test('the analyst prepares cases but cannot decide them', () => {
  const analyst = permissionsForTenantRoles(['analyst']);
  assert.ok(analyst.has('cases:prepare'));
  assert.ok(!analyst.has('cases:decide'));
});

test('only the compliance officer decides cases', () => {
  const deciders = TENANT_ROLES.filter((role) => permissionsForTenantRoles([role]).has('cases:decide'));
  assert.deepEqual(deciders, ['compliance_officer']);
});

test('the auditor is read-only', () => {
  const writes = [...permissionsForTenantRoles(['auditor'])].filter(
    (permission) => !/:(read|verify)$/.test(permission) && permission !== 'account:manage',
  );
  assert.deepEqual(writes, []);
});

test('every permission a role grants is in the catalog', () => {
  const catalog = new Set<Permission>(PERMISSIONS);
  const granted = [...describeRoles().flatMap((role) => role.permissions), ...OPERATOR_PERMISSIONS];
  for (const permission of granted) assert.ok(catalog.has(permission), permission);
});

test('the catalog names each permission once, as <module>:<action>', () => {
  assert.equal(new Set(PERMISSIONS).size, PERMISSIONS.length);
  for (const permission of PERMISSIONS) assert.match(permission, /^[a-z]+:[a-z][a-z-]*$/);
});

test('every signed-in member manages their own account, even with no role', () => {
  assert.deepEqual([...permissionsForTenantRoles([])], ['account:manage']);
});

test('several roles grant the union of their permissions', () => {
  const both = permissionsForTenantRoles(['analyst', 'auditor']);
  const union = new Set([...expectedByRole.analyst, ...expectedByRole.auditor]);
  assert.deepEqual([...both].sort(), [...union].sort());
});

test('describeRoles lists the tenant roles in order, permissions in catalog order', () => {
  const described = describeRoles();
  assert.deepEqual(
    described.map((entry) => entry.role),
    [...TENANT_ROLES],
  );
  for (const { role, permissions } of described) {
    assert.deepEqual(
      permissions,
      PERMISSIONS.filter((permission) => expectedByRole[role].includes(permission)),
    );
  }
});

test('describeRoles hands out copies, so a caller cannot widen a role', () => {
  describeRoles()[0]!.permissions.push('cases:decide');
  assert.ok(!permissionsForTenantRoles(['tenant_admin']).has('cases:decide'));
  assert.ok(!describeRoles()[0]!.permissions.includes('cases:decide'));
});

const roleNames: [value: unknown, expected: boolean][] = [
  ['tenant_admin', true],
  ['compliance_officer', true],
  ['analyst', true],
  ['auditor', true],
  ['operator', false],
  ['Analyst', false],
  ['analyst ', false],
  ['', false],
  ['constructor', false],
  ['__proto__', false],
  [undefined, false],
  [null, false],
  [['analyst'], false],
];

for (const [value, expected] of roleNames) {
  test(`isTenantRole(${JSON.stringify(value)}) → ${expected}`, () => {
    assert.equal(isTenantRole(value), expected);
  });
}
