// The database outbox: messages are stored sealed and listed newest first, filtered by recipient,
// and only the platform scope can read them (a tenant must never see another party's links).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { runAsOwner } from '../../../test/test-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import type { Database } from '../db/database.ts';
import { toTenantId, withIdentity, withTenant } from '../db/scopes.ts';
import type { OutboxSealer } from './mailer.ts';
import { createOutboxMailer, listOutbox } from './outbox-mailer.ts';

let server: TestServer;
let database: Database;
let sealer: OutboxSealer;

before(async () => {
  server = await startTestServer();
  database = server.database;
  sealer = server.modules.outboxSealer;
});
after(async () => {
  await server.stop();
});

/** A recipient no other test in this file writes to. */
function uniqueAddress(): string {
  return `person-${randomUUID().slice(0, 8)}@acme.example`;
}

test('sent messages are stored and listed newest first', async () => {
  const mailer = createOutboxMailer({ db: database.db, sealer });
  const to = uniqueAddress();

  await mailer.send({ to, subject: 'First', text: 'https://diligence.example/invitations/one' });
  await mailer.send({ to, subject: 'Second', text: 'https://diligence.example/invitations/two' });

  const listed = await listOutbox(database.db, sealer, { limit: 10, recipient: to });
  assert.deepEqual(
    listed.map(({ to: recipient, subject, text }) => ({ to: recipient, subject, text })),
    [
      { to, subject: 'Second', text: 'https://diligence.example/invitations/two' },
      { to, subject: 'First', text: 'https://diligence.example/invitations/one' },
    ],
  );
  assert.match(listed[0]!.id, /^[0-9a-f-]{36}$/);
  assert.ok(listed[0]!.createdAt instanceof Date);
  assert.ok(listed[0]!.createdAt >= listed[1]!.createdAt);
});

test('the recipient filter ignores case and other recipients; the limit caps the list', async () => {
  const mailer = createOutboxMailer({ db: database.db, sealer });
  const alice = uniqueAddress();
  const bob = uniqueAddress();
  await mailer.send({ to: alice, subject: 'For Alice', text: 'a' });
  await mailer.send({ to: bob, subject: 'For Bob 1', text: 'b' });
  await mailer.send({ to: bob, subject: 'For Bob 2', text: 'b' });

  const forAlice = await listOutbox(database.db, sealer, { limit: 10, recipient: alice.toUpperCase() });
  assert.deepEqual(
    forAlice.map((message) => message.subject),
    ['For Alice'],
  );
  const latestForBob = await listOutbox(database.db, sealer, { limit: 1, recipient: bob });
  assert.deepEqual(
    latestForBob.map((message) => message.subject),
    ['For Bob 2'],
  );
  const everyone = await listOutbox(database.db, sealer, { limit: 2 });
  assert.deepEqual(
    everyone.map((message) => message.subject),
    ['For Bob 2', 'For Bob 1'],
  );
});

test('a limit outside 1..1000 is refused', async () => {
  for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
    await assert.rejects(listOutbox(database.db, sealer, { limit }), RangeError);
  }
});

test('a recipient list is refused and nothing is stored', async () => {
  // A second address smuggled into the field would receive the first person's link.
  const mailer = createOutboxMailer({ db: database.db, sealer });
  const to = uniqueAddress();
  await assert.rejects(mailer.send({ to: `${to}, attacker@evil.example`, subject: 'Hello', text: 'link' }), {
    name: 'AppError',
    code: 'validation_failed',
  });
  const stored = await listOutbox(database.db, sealer, { limit: 1000 });
  assert.equal(
    stored.some((message) => message.to.includes(to)),
    false,
  );
});

test('tenant and identity transactions cannot read the outbox (row-level security)', async () => {
  const to = uniqueAddress();
  await createOutboxMailer({ db: database.db, sealer }).send({ to, subject: 'Secret link', text: 'link' });

  const asTenant = await withTenant(database.db, toTenantId(randomUUID()), (scope) =>
    scope.trx.selectFrom('mail_outbox').select('id').execute(),
  );
  const asIdentity = await withIdentity(database.db, (scope) =>
    scope.trx.selectFrom('mail_outbox').select('id').execute(),
  );
  assert.deepEqual(asTenant, []);
  assert.deepEqual(asIdentity, []);
  assert.equal((await listOutbox(database.db, sealer, { limit: 10, recipient: to })).length, 1);
});

test('a stored message holds neither its address nor its text in clear', async () => {
  const to = uniqueAddress();
  await createOutboxMailer({ db: database.db, sealer }).send({ to, subject: 'Link', text: 'token=abc123' });
  const [stored] = await listOutbox(database.db, sealer, { limit: 1, recipient: to });
  const row = await runAsOwner(database, 'select * from mail_outbox where id = $1', [stored!.id]);
  const dump = JSON.stringify(row.rows[0]);
  assert.ok(!dump.includes(to) && !dump.includes('abc123'), dump);
  assert.deepEqual([row.rows[0].recipient, row.rows[0].subject, row.rows[0].body], [null, null, null]);
});
