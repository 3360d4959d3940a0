// First run: `diligence admin create` makes the first operator with no password anywhere; the
// printed one-time link sets a password and leads straight to second-factor enrolment.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runDiligence } from '../../test/cli-runner.ts';
import { testBackend } from '../../test/test-database.ts';
import { loadConfig } from '../config.ts';
import { startDiligence } from '../main.ts';
import { openDatabase } from '../platform/db/database.ts';
import { createLogger } from '../platform/logger.ts';

const skip = testBackend === 'postgres' ? 'the command line is exercised on the embedded database' : false;
let root: string;
let dataDir: string;

const diligence = (...args: string[]) => runDiligence({ dataDir }, ...args);

before(async () => {
  // The key file is made beside the data folder (root/keys), as in a real installation.
  root = await mkdtemp(path.join(tmpdir(), 'diligence-admin-'));
  dataDir = path.join(root, 'data');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test(
  'admin create prints a one-time setup link that sets a password and asks for a factor',
  { skip, timeout: 120_000 },
  async () => {
    const created = diligence('admin', 'create', '--email', 'Root@Example.test');
    assert.equal(created.status, 0, created.stderr);
    const link = /^(http:\/\/localhost:3000\/set-up-account#token=([A-Za-z0-9_-]+))$/m.exec(created.stdout);
    assert.ok(link, created.stdout);
    assert.doesNotMatch(created.stdout, /password:/i, 'no password is ever printed');

    const again = diligence('admin', 'create', '--email', 'root@example.test');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
    const bad = diligence('admin', 'create', '--email', 'not-an-email');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--email/);

    const config = loadConfig({ LOG_LEVEL: 'silent', DILIGENCE_DATA_DIR: dataDir });
    const app = await startDiligence(config, {
      logger: createLogger('silent'),
      database: await openDatabase(config.database),
      listen: false,
    });
    try {
      const setUp = () =>
        app.server!.inject({
          method: 'POST',
          url: '/v1/auth/account-setup',
          payload: { token: link[2], password: 'a long and unusual passphrase' },
        });
      const first = await setUp();
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().stage, 'enrolment');
      const cookie = first.cookies.find((item) => item.name === '__Host-diligence-session');
      assert.ok(cookie?.value);
      // The enrolment session reaches nothing but enrolment.
      const tenants = await app.server!.inject({
        method: 'GET',
        url: '/v1/tenants',
        headers: { cookie: `${cookie.name}=${cookie.value}` },
      });
      assert.equal(tenants.statusCode, 403);
      const reused = await setUp();
      assert.equal(reused.statusCode, 404);
    } finally {
      await app.stop();
    }
  },
);
