/** Prevents a TOTP code that was seen once (shoulder-surfed, phished, logged) from being used again. */
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

const STEP_MS = 30_000;

/** The code the person's authenticator shows `steps` steps away from the server's time. */
function totpAt(person: SignedInPerson, steps: number): Promise<string> {
  return generateTotp(person.totpSecret, new Date(server.clock.now().getTime() + steps * STEP_MS));
}

/** A new client that has passed the password step and waits for a second factor. */
async function passwordStep(person: SignedInPerson): Promise<SessionClient> {
  const client = createSessionClient(server);
  const response = await client.request('POST', '/v1/auth/sign-in', {
    email: person.email,
    password: person.password,
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.json().stage, 'second_factor');
  return client;
}

function presentTotp(
  client: SessionClient,
  path: '/v1/auth/second-factor' | '/v1/auth/step-up',
  code: string,
) {
  return client.request('POST', path, { method: 'totp', code });
}

async function countAuditRows(userId: string, action: string): Promise<number> {
  const result = await server.database.adminPool.query(
    'select count(*)::int as count from audit_entries where target_id = $1 and action = $2',
    [userId, action],
  );
  return result.rows[0].count as number;
}

test('a code that completed one sign-in does not complete another, in its step or the next', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  const first = await passwordStep(person);
  const second = await passwordStep(person);
  nextTotpStep(server);
  const code = await totpAt(person, 0);

  const accepted = await presentTotp(first, '/v1/auth/second-factor', code);
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.equal(accepted.json().stage, 'full');

  const replayed = await presentTotp(second, '/v1/auth/second-factor', code);
  assert.equal(replayed.statusCode, 401, replayed.body);
  assert.equal(replayed.json().type, '/problems/unauthenticated');
  // The previous step's code is inside the tolerance window but older than the one just used.
  const older = await presentTotp(second, '/v1/auth/second-factor', await totpAt(person, -1));
  assert.equal(older.statusCode, 401, older.body);
  server.clock.advance(STEP_MS);
  const replayedNextStep = await presentTotp(second, '/v1/auth/second-factor', code);
  assert.equal(replayedNextStep.statusCode, 401, replayedNextStep.body);

  // The refused session is still held at the second-factor stage.
  assert.equal((await second.request('GET', '/v1/account')).statusCode, 403);
  assert.equal(await countAuditRows(person.userId, 'auth.sign_in_failed'), 3);
  // A code of a later step is accepted (once the throttle's short delay has passed), so the
  // refusals were about the code and not the session.
  nextTotpStep(server);
  const fresh = await presentTotp(second, '/v1/auth/second-factor', await totpAt(person, 0));
  assert.equal(fresh.statusCode, 200, fresh.body);
  assert.equal((await second.request('GET', '/v1/account')).statusCode, 200);
});

test('a code accepted for step-up cannot be used again, for step-up or for a sign-in', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  nextTotpStep(server);
  const code = await totpAt(person, 0);

  const steppedUp = await presentTotp(person.client, '/v1/auth/step-up', code);
  assert.equal(steppedUp.statusCode, 200, steppedUp.body);
  const account = await person.client.request('GET', '/v1/account');
  assert.equal(account.json().secondFactorAt, server.clock.now().toISOString());

  const again = await presentTotp(person.client, '/v1/auth/step-up', code);
  assert.equal(again.statusCode, 401, again.body);
  const elsewhere = await passwordStep(person);
  const signIn = await presentTotp(elsewhere, '/v1/auth/second-factor', code);
  assert.equal(signIn.statusCode, 401, signIn.body);
  assert.equal((await elsewhere.request('GET', '/v1/account')).statusCode, 403);
});

test('a wrong code is refused and leaves the session at the second-factor stage', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  const client = await passwordStep(person);
  nextTotpStep(server);
  const valid = new Set(await Promise.all([-1, 0, 1].map((steps) => totpAt(person, steps))));
  let wrong = await totpAt(person, 0);
  while (valid.has(wrong)) wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, '0');

  for (const code of [wrong, 'abcdef']) {
    const refused = await presentTotp(client, '/v1/auth/second-factor', code);
    assert.equal(refused.statusCode, 401, refused.body);
  }
  assert.equal((await client.request('GET', '/v1/account')).statusCode, 403);
  assert.equal(await countAuditRows(person.userId, 'auth.sign_in_failed'), 2);
  nextTotpStep(server);
  const right = await presentTotp(client, '/v1/auth/second-factor', await totpAt(person, 0));
  assert.equal(right.statusCode, 200, right.body);
});

test('codes one step either side are accepted; three steps away they are refused', async () => {
  const person = await createMember(server, tenantId, ['analyst']);
  // Far from the enrolment's step, so only the tolerance window can refuse these codes.
  server.clock.advance(10 * STEP_MS);
  for (const steps of [-3, 3]) {
    const refused = await presentTotp(person.client, '/v1/auth/step-up', await totpAt(person, steps));
    assert.equal(refused.statusCode, 401, `${steps} steps: ${refused.body}`);
  }
  const behind = await presentTotp(person.client, '/v1/auth/step-up', await totpAt(person, -1));
  assert.equal(behind.statusCode, 200, behind.body);
  server.clock.advance(3 * STEP_MS);
  const ahead = await presentTotp(person.client, '/v1/auth/step-up', await totpAt(person, 1));
  assert.equal(ahead.statusCode, 200, ahead.body);
});
