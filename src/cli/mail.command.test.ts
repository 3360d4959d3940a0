// `diligence mail outbox` as a developer uses it to pick up an invitation link: newest first,
// filtered by recipient, capped by --limit, with readable errors for bad options.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  TEST_RUNTIME_LOGIN,
  testBackend,
  testPostgresAdminUrl,
} from '../../test/test-database.ts';
import { loadConfig } from '../config.ts';
import { prepareModules } from '../main.ts';
import { systemClock } from '../platform/clock.ts';
import { openDatabase, type Database } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrator.ts';
import { createJobs } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxMailer } from '../platform/mail/outbox-mailer.ts';

const cli = fileURLToPath(new URL('../../bin/diligence.js', import.meta.url));
// The variables that point the command at this test's database and key, on either backend.
let databaseEnv: Record<string, string>;
// The command must open the mail this test seals, so both use one key-encryption key.
const keyEnv = { DILIGENCE_KEK: `kek-mail-cli-test:${randomBytes(32).toString('base64')}` };
let cleanUp: () => Promise<void>;

function postgresUrl(database: string, user?: string): string {
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${database}`;
  if (user !== undefined) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
}

/** Opens a database the command can reach too: a data folder on PGlite, a server database otherwise. */
async function openSharedDatabase(): Promise<Database> {
  if (testBackend === 'postgres') {
    const database = await createTestDatabase();
    databaseEnv = {
      DATABASE_URL: postgresUrl(database.name, TEST_RUNTIME_LOGIN),
      DATABASE_ADMIN_URL: postgresUrl(database.name),
    };
    // Kept open (closing drops it) until the last command has run.
    cleanUp = () => database.close();
    return database;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'diligence-mail-cli-'));
  databaseEnv = { DILIGENCE_DATA_DIR: dataDir };
  cleanUp = () => rm(dataDir, { recursive: true, force: true });
  const database = await openDatabase({ kind: 'pglite', dataDir });
  await migrate(database.adminPool);
  return database;
}

function diligence(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...databaseEnv, ...keyEnv };
  for (const name of ['LOG_LEVEL', 'SMTP_URL', 'MAIL_FROM', 'DILIGENCE_KEY_FILE']) delete env[name];
  if (testBackend === 'pglite') for (const name of ['DATABASE_URL', 'DATABASE_ADMIN_URL']) delete env[name];
  return spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}

before(async () => {
  const database = await openSharedDatabase();
  try {
    const config = loadConfig({ LOG_LEVEL: 'silent', ...databaseEnv, ...keyEnv });
    const logger = createLogger('silent');
    const jobs = createJobs({ database, logger });
    const modules = await prepareModules(config, { logger, database, jobs, clock: systemClock });
    const mailer = createOutboxMailer({ db: database.db, sealer: modules.outboxSealer });
    await mailer.send({
      to: 'alice@acme.example',
      subject: 'Invitation 1',
      text: 'Join: https://x.example/i/1',
    });
    await mailer.send({
      to: 'bob@acme.example',
      subject: 'Invitation 2',
      text: 'Join: https://x.example/i/2',
    });
    await mailer.send({
      to: 'alice@acme.example',
      subject: 'Invitation 3',
      text: 'Hello Alice,\nJoin: https://x.example/i/3',
    });
  } finally {
    // On PGlite the command cannot open the data folder while this process holds its lock.
    if (testBackend === 'pglite') await database.close();
  }
});
after(async () => {
  await cleanUp();
});

test('mail outbox --help describes its options', () => {
  const result = diligence('mail', 'outbox', '--help');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Usage: diligence mail outbox/m);
  assert.match(result.stdout, /--limit <n>/);
  assert.match(result.stdout, /--to <address>/);
});

test('mail outbox lists messages newest first with their bodies', { timeout: 120_000 }, () => {
  const result = diligence('mail', 'outbox');
  assert.equal(result.status, 0, result.stderr);
  const headers = result.stdout.split('\n').filter((line) => /^\d{4}-/.test(line));
  assert.deepEqual(
    headers.map((line) => line.split('  ').slice(1)),
    [
      ['alice@acme.example', 'Invitation 3'],
      ['bob@acme.example', 'Invitation 2'],
      ['alice@acme.example', 'Invitation 1'],
    ],
  );
  assert.match(result.stdout, /^ {4}Hello Alice,\n {4}Join: https:\/\/x\.example\/i\/3$/m);
});

test('--to filters by recipient (any case) and --limit keeps the newest', { timeout: 120_000 }, () => {
  const result = diligence('mail', 'outbox', '--to', 'ALICE@acme.example', '--limit', '1', '--json');
  assert.equal(result.status, 0, result.stderr);
  const messages = JSON.parse(result.stdout) as { to: string; subject: string; text: string }[];
  assert.deepEqual(
    messages.map(({ to, subject }) => ({ to, subject })),
    [{ to: 'alice@acme.example', subject: 'Invitation 3' }],
  );
  assert.match(messages[0]!.text, /https:\/\/x\.example\/i\/3/);

  const nobody = diligence('mail', 'outbox', '--to', 'carol@acme.example');
  assert.equal(nobody.status, 0, nobody.stderr);
  assert.equal(nobody.stdout, 'The outbox is empty.\n');
});

test('bad options get readable errors', () => {
  for (const [args, pattern] of [
    [['--limit', '0'], /--limit <n>.*expected a whole number from 1 to 1000/],
    [['--limit', 'ten'], /--limit <n>.*expected a whole number from 1 to 1000/],
    [['--to', 'not an address'], /--to <address>.*expected an email address/],
  ] as const) {
    const result = diligence('mail', 'outbox', ...args);
    assert.equal(result.status, 1, args.join(' '));
    assert.match(result.stderr, pattern);
  }
});
