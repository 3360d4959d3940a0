// Two processes on one PGlite data folder would silently lose writes; the second must refuse to
// start with a clear message, and start normally once the first has gone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from './database.ts';

const cli = fileURLToPath(new URL('../../../bin/diligence.js', import.meta.url));

function runMigrate(dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DILIGENCE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [cli, 'migrate'], { env, encoding: 'utf8', timeout: 60_000 });
}

test(
  'a second process on a held data folder refuses to start; it starts once the folder is free',
  { timeout: 120_000 },
  async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'diligence-lock-'));
    try {
      const holder = await openDatabase({ kind: 'pglite', dataDir });
      let second;
      try {
        second = runMigrate(dataDir);
      } finally {
        await holder.close();
      }
      assert.equal(second.status, 2, second.stderr);
      assert.match(second.stderr, /in use by another Diligence process/);
      const third = runMigrate(dataDir);
      assert.equal(third.status, 0, third.stderr);
      assert.match(third.stdout, /Applied: \d{14}|up to date/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
