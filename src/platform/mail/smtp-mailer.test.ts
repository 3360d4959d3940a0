// The SMTP mailer against a real SMTP server running in this process on 127.0.0.1 (no mail
// leaves the machine): delivery, refusals, an unreachable server, and logs free of addresses.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

type Delivery = { from: string; to: string[]; raw: string };

const REFUSED_RECIPIENT = 'nobody@refused.example';
const deliveries: Delivery[] = [];
let server: SMTPServer;
let port: number;

before(async () => {
  server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: STARTTLS would need a certificate the client trusts.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED_RECIPIENT) {
        const error = Object.assign(new Error(`<${REFUSED_RECIPIENT}>: Recipient address rejected`), {
          responseCode: 550,
        });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        deliveries.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(resolve));
});

function capturingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', { write: (line: string) => void lines.push(line) }) };
}

/** A port on loopback that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split('\r\n\r\n')[0] ?? '';
  const line = head.split('\r\n').find((entry) => entry.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

test('a message reaches the server with its sender, recipient, subject and body', async () => {
  const { lines, logger } = capturingLogger();
  const mailer = createSmtpMailer({
    url: `smtp://127.0.0.1:${port}`,
    from: 'diligence@diligence.example',
    logger,
  });
  const text = 'Join Acme on Diligence: https://diligence.example/invitations/abc123';

  await mailer.send({ to: 'alice@acme.example', subject: 'You are invited to Acme', text });

  const delivery = deliveries.find((entry) => entry.to.includes('alice@acme.example'));
  assert.ok(delivery, 'the server received the message');
  assert.deepEqual(delivery.to, ['alice@acme.example']);
  assert.equal(delivery.from, 'diligence@diligence.example');
  assert.equal(headerOf(delivery.raw, 'Subject'), 'You are invited to Acme');
  assert.equal(headerOf(delivery.raw, 'To'), 'alice@acme.example');
  assert.equal(delivery.raw.split('\r\n\r\n').slice(1).join('\r\n\r\n').trim(), text);

  // The log says that mail went out, never to whom or what.
  const logged = lines.join('');
  assert.match(logged, /"msg":"Mail sent"/);
  assert.match(logged, /"recipients":1/);
  assert.doesNotMatch(logged, /alice|acme\.example|invitations/);
});

test('a recipient the server refuses rejects with a clear error that names no address', async () => {
  const { lines, logger } = capturingLogger();
  const mailer = createSmtpMailer({
    url: `smtp://127.0.0.1:${port}`,
    from: 'diligence@diligence.example',
    logger,
  });

  const error = await mailer.send({ to: REFUSED_RECIPIENT, subject: 'Hello', text: 'Body text' }).then(
    () => assert.fail('send should have rejected'),
    (caught: unknown) => caught,
  );

  assert.ok(error instanceof AppError);
  assert.equal(error.code, 'unavailable');
  assert.equal(error.message, 'Mail could not be sent: the mail server refused the message.');
  assert.equal(error.cause, undefined);
  const logged = lines.join('');
  assert.match(logged, /"responseCode":550/);
  assert.doesNotMatch(logged, /refused\.example|nobody|Body text/);
});

test('an unreachable server rejects with a clear error', async () => {
  const { logger } = capturingLogger();
  const mailer = createSmtpMailer({
    url: `smtp://127.0.0.1:${await closedPort()}`,
    from: 'diligence@diligence.example',
    logger,
  });

  await assert.rejects(mailer.send({ to: 'bob@acme.example', subject: 'Hello', text: 'Hi' }), {
    name: 'AppError',
    code: 'unavailable',
    message: 'Mail could not be sent: the mail server could not be reached.',
  });
});

test('a recipient list or display name is refused before anything is sent', async () => {
  // An attacker who controls the address field must not add a second recipient for the link.
  const { logger } = capturingLogger();
  const mailer = createSmtpMailer({
    url: `smtp://127.0.0.1:${port}`,
    from: 'diligence@diligence.example',
    logger,
  });
  const before = deliveries.length;

  for (const to of [
    'victim@acme.example, attacker@evil.example',
    'victim@acme.example;attacker@evil.example',
    'Victim <attacker@evil.example>',
    'no-at-sign',
    '',
  ]) {
    await assert.rejects(mailer.send({ to, subject: 'Hello', text: 'Hi' }), {
      name: 'AppError',
      code: 'validation_failed',
    });
  }
  assert.equal(deliveries.length, before);
});
