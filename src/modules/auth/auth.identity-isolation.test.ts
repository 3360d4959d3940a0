// A tenant's code (or a forgotten filter in it) must never reach credentials or other tenants'
// people: row-level security confines password hashes, factors and sessions to the identity scope.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { createMember, createTenant, type SignedInPerson } from '../../../test/sign-in-fixtures.ts';
import { toTenantId, withIdentity, withTenant } from '../../platform/db/scopes.ts';

let server: TestServer;
let tenantA: string;
let memberA: SignedInPerson;
let memberB: SignedInPerson;

before(async () => {
  server = await startTestServer();
  tenantA = await createTenant(server);
  const tenantB = await createTenant(server);
  memberA = await createMember(server, tenantA, ['tenant_admin']);
  memberB = await createMember(server, tenantB, ['tenant_admin']);
});
after(async () => {
  await server.stop();
});

test('a tenant scope sees its own members but no credential, factor, session or other tenant person', async () => {
  const seen = await withTenant(server.database.db, toTenantId(tenantA), async (scope) => {
    const count = async (table: string) =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(scope.trx)).rows[0]!
          .n,
      );
    const users = await sql<{ id: string }>`select id from users`.execute(scope.trx);
    return {
      userIds: users.rows.map((row) => row.id),
      user_passwords: await count('user_passwords'),
      second_factors: await count('second_factors'),
      recovery_codes: await count('recovery_codes'),
      sessions: await count('sessions'),
      sign_in_throttles: await count('sign_in_throttles'),
    };
  });
  assert.ok(seen.userIds.includes(memberA.userId));
  assert.ok(!seen.userIds.includes(memberB.userId), "another tenant's person is visible");
  assert.deepEqual(
    { ...seen, userIds: undefined },
    {
      userIds: undefined,
      user_passwords: 0,
      second_factors: 0,
      recovery_codes: 0,
      sessions: 0,
      sign_in_throttles: 0,
    },
  );
});

test('the identity scope reaches credentials but not tenant audit chains', async () => {
  const seen = await withIdentity(server.database.db, async (scope) => ({
    passwords: (await sql<{ n: string }>`select count(*) as n from user_passwords`.execute(scope.trx))
      .rows[0]!.n,
    tenantAudit: (
      await sql<{ n: string }>`select count(*) as n from audit_entries where tenant_id = ${tenantA}`.execute(
        scope.trx,
      )
    ).rows[0]!.n,
  }));
  assert.ok(Number(seen.passwords) >= 2);
  assert.equal(Number(seen.tenantAudit), 0);
});
