// The configuration picks the mailer: without SMTP_URL mail lands in the outbox (and the operator
// is told); with it, mail goes to the SMTP server and never into the outbox.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import type { Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { createMailer } from './create-mailer.ts';
import type { OutboxSealer } from './mailer.ts';
import { listOutbox } from './outbox-mailer.ts';

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

function capturingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', { write: (line: string) => void lines.push(line) }) };
}

test('the outbox configuration writes to the outbox and says mail is not sent', async () => {
  const { lines, logger } = capturingLogger();
  const to = `person-${randomUUID().slice(0, 8)}@acme.example`;

  const mailer = createMailer({ kind: 'outbox' }, { db: database.db, logger, sealer });
  await mailer.send({ to, subject: 'Reset your password', text: 'https://diligence.example/reset/x' });

  const stored = await listOutbox(database.db, sealer, { limit: 1, recipient: to });
  assert.equal(stored[0]?.subject, 'Reset your password');
  assert.match(lines.join(''), /mail is written to the database outbox, not sent/);
});

test('the SMTP configuration talks to the SMTP server, not the outbox', async () => {
  const { logger } = capturingLogger();
  const to = `person-${randomUUID().slice(0, 8)}@acme.example`;
  // A loopback port nothing listens on: the mailer must try to connect there and fail.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const mailer = createMailer(
    { kind: 'smtp', url: `smtp://127.0.0.1:${port}`, from: 'diligence@diligence.example' },
    { db: database.db, logger, sealer },
  );
  await assert.rejects(mailer.send({ to, subject: 'Hello', text: 'Hi' }), {
    code: 'unavailable',
    message: /could not be reached/,
  });
  assert.deepEqual(await listOutbox(database.db, sealer, { limit: 10, recipient: to }), []);
});
