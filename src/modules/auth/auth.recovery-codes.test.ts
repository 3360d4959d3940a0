/** Prevents a recovery code from opening an account twice, or a replaced (leaked) set from working. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import {
  createMember,
  createSessionClient,
  createTenant,
  nextTotpStep,
  type SessionClient,
  type SignedInPerson,
} from '../../../test/sign-in-fixtures.ts';
import { generateTotp } from './totp.ts';

let server: TestServer;
let tenantId: string;

before(async () => {
  server = await startTestServer();
  tenantId = await createTenant(server);
});
after(async () => {
  await server.stop();
});

/** Signs in with the password on a new client and presents a recovery code as the second factor. */
async function signInWithRecoveryCode(
  person: SignedInPerson,
  code: string,
): Promise<{ client: SessionClient; statusCode: number }> {
  const client = createSessionClient(server);
  const first = await client.request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(first.statusCode, 200, first.body);
  assert.ok(first.json().factorKinds.includes('recovery_code'));
  const second = await client.request('POST', '/v1/auth/second-factor', { method: 'recovery_code', code });
  return { client, statusCode: second.statusCode };
}

async function recoveryCodesLeft(client: SessionClient): Promise<number> {
  const factors = await client.request('GET', '/v1/account/factors');
  assert.equal(factors.statusCode, 200, factors.body);
  return factors.json().recoveryCodesLeft as number;
}

async function auditRowsOf(userId: string, action: string) {
  const result = await server.database.adminPool.query(
    'select * from audit_entries where target_id = $1 and action = $2 order by occurred_at, seq',
    [userId, action],
  );
  return result.rows as { details: Record<string, unknown> }[];
}

test('a recovery code completes one sign-in, in any spelling, and never a second one', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  assert.equal(person.recoveryCodes.length, 10);
  const [firstCode, secondCode] = person.recoveryCodes as [string, string];

  const used = await signInWithRecoveryCode(person, firstCode);
  assert.equal(used.statusCode, 200);
  const account = await used.client.request('GET', '/v1/account');
  assert.equal(account.statusCode, 200, account.body);
  assert.equal(account.json().activeTenantId, tenantId);

  const reused = await signInWithRecoveryCode(person, firstCode);
  assert.equal(reused.statusCode, 401);
  assert.equal((await reused.client.request('GET', '/v1/account')).statusCode, 403);

  // Typed back from paper: no dashes, upper case.
  const retyped = await signInWithRecoveryCode(person, secondCode.replaceAll('-', '').toUpperCase());
  assert.equal(retyped.statusCode, 200);
  assert.equal(await recoveryCodesLeft(retyped.client), 8);

  const recorded = await auditRowsOf(person.userId, 'auth.recovery_code_used');
  assert.deepEqual(
    recorded.map((row) => row.details.remaining),
    [9, 8],
  );
  const signedIn = await auditRowsOf(person.userId, 'auth.signed_in');
  assert.equal(signedIn.filter((row) => row.details.method === 'recovery_code').length, 2);
  // The log says how many are left, never which code was used.
  const stored = JSON.stringify(recorded);
  for (const code of [firstCode, secondCode]) {
    assert.ok(!stored.includes(code) && !stored.includes(code.replaceAll('-', '')));
  }
});

test("another person's recovery code does not open this account", async () => {
  const owner = await createMember(server, tenantId, ['analyst']);
  const other = await createMember(server, tenantId, ['analyst']);
  const borrowed = await signInWithRecoveryCode(other, owner.recoveryCodes[0]!);
  assert.equal(borrowed.statusCode, 401);
  // The code still belongs to its owner.
  const own = await signInWithRecoveryCode(owner, owner.recoveryCodes[0]!);
  assert.equal(own.statusCode, 200);
});

test('regenerating replaces the codes: ten new ones work, the old ones stop working', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  const regenerated = await person.client.request('POST', '/v1/account/recovery-codes');
  assert.equal(regenerated.statusCode, 200, regenerated.body);
  const fresh = regenerated.json().recoveryCodes as string[];
  assert.equal(fresh.length, 10);
  assert.equal(new Set(fresh).size, 10);
  assert.ok(fresh.every((code) => !person.recoveryCodes.includes(code)));
  assert.equal(await recoveryCodesLeft(person.client), 10);

  const old = await signInWithRecoveryCode(person, person.recoveryCodes[0]!);
  assert.equal(old.statusCode, 401);
  const current = await signInWithRecoveryCode(person, fresh[0]!);
  assert.equal(current.statusCode, 200);
  assert.equal(await recoveryCodesLeft(current.client), 9);
  assert.equal((await auditRowsOf(person.userId, 'auth.recovery_codes_regenerated')).length, 1);
  assert.deepEqual(
    (await auditRowsOf(person.userId, 'auth.recovery_code_used')).map((row) => row.details.remaining),
    [9],
  );
});

test('regenerating recovery codes needs a second factor presented in the last five minutes', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  server.clock.advance(6 * 60_000);
  const stale = await person.client.request('POST', '/v1/account/recovery-codes');
  assert.equal(stale.statusCode, 403, stale.body);
  assert.equal(stale.json().type, '/problems/step-up-required');
  assert.equal((await auditRowsOf(person.userId, 'auth.recovery_codes_regenerated')).length, 0);

  nextTotpStep(server);
  const code = await generateTotp(person.totpSecret, server.clock.now());
  const steppedUp = await person.client.request('POST', '/v1/auth/step-up', { method: 'totp', code });
  assert.equal(steppedUp.statusCode, 200, steppedUp.body);
  const regenerated = await person.client.request('POST', '/v1/account/recovery-codes');
  assert.equal(regenerated.statusCode, 200, regenerated.body);
  assert.equal(regenerated.json().recoveryCodes.length, 10);
});
