// The `diligence` command as an operator uses it: help on every command, readable errors, tenant
// creation, and `audit verify` failing (exit code 1) when a chain was tampered with.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runDiligence } from '../../test/cli-runner.ts';
import { tamperWithAuditLog, testBackend } from '../../test/test-database.ts';
import { openDatabase } from '../platform/db/database.ts';

const skip = testBackend === 'postgres' ? 'the command line is exercised on the embedded database' : false;
let root: string;
let dataDir: string;

const diligence = (...args: string[]) => runDiligence({ dataDir }, ...args);

before(async () => {
  // The key file and documents sit beside the data folder, so all three live under one temp root.
  root = await mkdtemp(path.join(tmpdir(), 'diligence-cli-'));
  dataDir = path.join(root, 'data');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('every command has --help', { skip }, () => {
  for (const command of [
    [],
    ['serve'],
    ['migrate'],
    ['tenant'],
    ['tenant', 'create'],
    ['tenant', 'list'],
    ['audit'],
    ['audit', 'verify'],
    ['admin'],
    ['admin', 'create'],
    ['tenant', 'invite-admin'],
  ]) {
    const result = diligence(...command, '--help');
    assert.equal(result.status, 0, `${command.join(' ')} --help`);
    assert.match(result.stdout, /^Usage: diligence/m);
  }
});

test(
  'tenant create prints the id; bad input and duplicates get readable errors',
  { skip, timeout: 120_000 },
  () => {
    const created = diligence('tenant', 'create', '--slug', 'acme', '--name', 'Acme Accounting', '--json');
    assert.equal(created.status, 0, created.stderr);
    const tenant = JSON.parse(created.stdout) as { id: string; slug: string };
    assert.equal(tenant.slug, 'acme');
    assert.match(tenant.id, /^[0-9a-f-]{36}$/);

    const duplicate = diligence('tenant', 'create', '--slug', 'acme', '--name', 'Again');
    assert.equal(duplicate.status, 1);
    assert.match(duplicate.stderr, /^diligence: A tenant with the slug "acme" already exists\./m);

    const bad = diligence('tenant', 'create', '--slug', 'Not A Slug', '--name', 'X');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--slug/);

    const listed = diligence('tenant', 'list');
    assert.ok(listed.stdout.split('\n').includes(`${tenant.id}  acme  active`), listed.stdout);
  },
);

test(
  'audit verify passes on intact chains and exits 1 naming the tampered entry',
  { skip, timeout: 120_000 },
  async () => {
    const intact = diligence('audit', 'verify');
    assert.equal(intact.status, 0, intact.stderr);
    assert.match(intact.stdout, /^ok {6}platform {2}1 entries$/m);

    // An attacker with direct access edits the platform chain's first entry.
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await tamperWithAuditLog(database, "update audit_entries set actor_id = 'someone-else' where seq = 1");
    } finally {
      await database.close();
    }
    const broken = diligence('audit', 'verify', '--platform');
    assert.equal(broken.status, 1);
    assert.match(
      broken.stdout,
      /^BROKEN {2}platform {2}at entry 1: Entry 1 was altered after it was written\./m,
    );
  },
);

test('a bad setting stops the command with the variable named', { skip }, () => {
  const result = runDiligence({ dataDir, extraEnv: { PORT: 'eighty' } }, 'migrate');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /Configuration error: PORT must be a whole number/);
});
