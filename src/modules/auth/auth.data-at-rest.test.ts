// Prevents personal data from staying readable in a copy of the database: rows an older release
// wrote in clear are sealed at start (and keep working), sign-in throttle keys cannot be
// recomputed from an email, and a shredded tenant's invitations can no longer be read.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import {
  createSessionClient,
  createTenant,
  GOOD_PASSWORD,
  invitationToken,
  nextTotpStep,
  uniqueEmail,
} from '../../../test/sign-in-fixtures.ts';
import { systemActor } from '../../platform/actor.ts';
import { createToken, hashToken } from '../../platform/crypto/tokens.ts';
import { toTenantId, withIdentity } from '../../platform/db/scopes.ts';
import { hashPassword } from './password-hasher.ts';
import { accountKey } from './sign-in-throttle.ts';
import { createTotpSecret, generateTotp } from './totp.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

/** Runs SQL as the table owner (row-level security does not apply), as an older release wrote. */
const asOwner = (text: string, values: unknown[] = []) => runAsOwner(server.database, text, values);

const tenantActor = (tenantId: string) => ({
  ...systemActor('test-inviter'),
  tenantId: toTenantId(tenantId),
});

test('a person, TOTP secret and invitation stored in clear are sealed at start and still work', async () => {
  const tenantId = await createTenant(server);
  const [userId, factorId, invitationId] = [randomUUID(), randomUUID(), randomUUID()];
  const email = uniqueEmail('legacy');
  const invitee = uniqueEmail('legacy-invitee');
  const secret = createTotpSecret();
  const token = createToken();
  await asOwner(`insert into users (id, email, status) values ($1, $2, 'active')`, [userId, email]);
  await asOwner('insert into user_passwords (user_id, password_hash, changed_at) values ($1, $2, now())', [
    userId,
    await hashPassword(GOOD_PASSWORD),
  ]);
  await asOwner(
    `insert into second_factors (id, user_id, kind, label, totp_secret, confirmed_at)
     values ($1, $2, 'totp', 'Phone', $3, now())`,
    [factorId, userId, secret],
  );
  await asOwner(
    `insert into invitations (id, tenant_id, email, roles, token_hash, expires_at)
     values ($1, $2, $3, array['analyst'], $4, now() + interval '1 day')`,
    [invitationId, tenantId, invitee, hashToken(token)],
  );

  await server.modules.sealLegacyPlaintext();

  const stored = async () => ({
    user: (await asOwner('select email, email_sealed, email_index from users where id = $1', [userId]))
      .rows[0],
    factor: (
      await asOwner('select totp_secret, totp_secret_sealed from second_factors where id = $1', [factorId])
    ).rows[0],
    invitation: (
      await asOwner('select email, email_sealed, email_index from invitations where id = $1', [invitationId])
    ).rows[0],
  });
  const sealed = await stored();
  assert.deepEqual(
    [sealed.user.email, sealed.factor.totp_secret, sealed.invitation.email],
    [null, null, null],
  );
  for (const value of [sealed.user.email_sealed, sealed.user.email_index, sealed.factor.totp_secret_sealed])
    assert.ok(Buffer.isBuffer(value) && value.length > 0);
  assert.ok(!sealed.user.email_sealed.includes(Buffer.from(email)));
  assert.ok(!sealed.factor.totp_secret_sealed.includes(Buffer.from(secret)));
  assert.ok(!sealed.invitation.email_sealed.includes(Buffer.from(invitee)));

  // Sealing again finds nothing to do and leaves the sealed values as they are.
  await server.modules.sealLegacyPlaintext();
  assert.deepEqual(await stored(), sealed);

  // The person is still found by email (in any case) and the TOTP secret still checks codes.
  const client = createSessionClient(server);
  const first = await client.request('POST', '/v1/auth/sign-in', {
    email: email.toUpperCase(),
    password: GOOD_PASSWORD,
  });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json().stage, 'second_factor');
  nextTotpStep(server);
  const code = await generateTotp(secret, server.clock.now());
  const second = await client.request('POST', '/v1/auth/second-factor', { method: 'totp', code });
  assert.equal(second.statusCode, 200, second.body);
  assert.equal((await client.request('GET', '/v1/account')).json().email, email);

  // The tenant still reads its invitation, and the invitee can accept it.
  const pending = await server.modules.members.listInvitations(tenantActor(tenantId));
  assert.deepEqual(
    pending.filter((row) => row.id === invitationId).map((row) => row.email),
    [invitee],
  );
  const accepted = await createSessionClient(server).request('POST', '/v1/auth/invitations/accept', {
    token,
    password: GOOD_PASSWORD,
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
});

test('a sign-in throttle key is keyed: hashing an email does not find its row', async () => {
  const email = uniqueEmail('throttled');
  const answer = await server.app.inject({
    method: 'POST',
    url: '/v1/auth/sign-in',
    payload: { email, password: 'not the password at all 99' },
  });
  assert.equal(answer.statusCode, 401, answer.body);
  const [keyed, keyedOtherCase] = await withIdentity(server.database.db, async (scope) => {
    const keyring = await server.modules.vault.keyring(scope);
    return [accountKey(keyring, email), accountKey(keyring, `  ${email.toUpperCase()} `)];
  });
  assert.equal(keyedOtherCase, keyed, 'one email is one key, whatever its case or spacing');
  const unkeyed = `account:${createHash('sha256').update(email).digest('hex').slice(0, 40)}`;
  const rows = await asOwner('select key from sign_in_throttles where key = any($1)', [[keyed, unkeyed]]);
  assert.deepEqual(
    rows.rows.map((row) => row.key),
    [keyed],
  );
});

test("a shredded tenant's invitations can be neither listed nor accepted", async () => {
  const tenantId = await createTenant(server);
  const email = uniqueEmail('shredded-invitee');
  await server.modules.members.inviteMember(tenantActor(tenantId), { email, roles: ['analyst'] });
  const token = await invitationToken(server, email);

  await server.modules.vault.shredTenant(systemActor('test'), toTenantId(tenantId));

  await assert.rejects(server.modules.members.listInvitations(tenantActor(tenantId)), { code: 'gone' });
  const accepted = await createSessionClient(server).request('POST', '/v1/auth/invitations/accept', {
    token,
    password: GOOD_PASSWORD,
  });
  assert.equal(accepted.statusCode, 410, accepted.body);
  const signIn = await server.app.inject({
    method: 'POST',
    url: '/v1/auth/sign-in',
    payload: { email, password: GOOD_PASSWORD },
  });
  assert.equal(signIn.statusCode, 401, 'no account was made from the unreadable invitation');
});
