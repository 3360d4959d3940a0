import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from '../db/database.ts';
import { withTenant } from '../db/scopes.ts';
import { createJobs } from './jobs.ts';
import {
  captureLogs,
  closeDatabase,
  createTenant,
  POLL_SECONDS,
  reopenableDatabase,
  waitFor,
  type ClientJob,
} from './jobs.test-fixtures.ts';
import type { Jobs, RetryPolicy } from './jobs.types.ts';

// A file of its own: a fresh PGlite data folder costs seconds of initdb on the main thread, which
// would stall the timers of tests running beside it.

const RESTARTABLE = 'test.restartable';
const RETRY_SOON: RetryPolicy = { limit: 2, delaySeconds: 1, backoff: false };

function startRunner(database: Database): Jobs {
  return createJobs({ database, logger: captureLogs().logger, pollingIntervalSeconds: POLL_SECONDS });
}

/** The first "process": starts one of two jobs, then stops without waiting for it, as on a deploy. */
async function runFirstProcess(database: Database): Promise<{ enqueued: string[]; interrupted: string }> {
  const jobs = startRunner(database);
  const started: string[] = [];
  try {
    const queue = jobs.defineQueue<ClientJob>({
      name: RESTARTABLE,
      retry: RETRY_SOON,
      handle: async (run) => {
        started.push(run.id);
        await new Promise((resolve) => run.signal.addEventListener('abort', resolve, { once: true }));
        throw new Error('stopped mid-job');
      },
    });
    await jobs.start();
    const tenantId = await createTenant(database);
    const enqueued = await withTenant(database.db, tenantId, async (scope) => [
      (await jobs.enqueue(scope.trx, queue, { tenantId, clientId: 'a' })).id,
      (await jobs.enqueue(scope.trx, queue, { tenantId, clientId: 'b' })).id,
    ]);
    await waitFor('the first process to start a job', () => started.length === 1);
    return { enqueued, interrupted: started[0]! };
  } finally {
    await jobs.stop({ graceful: false });
  }
}

test(
  'queued and interrupted jobs survive a restart and run in the next process',
  { timeout: 60_000 },
  async () => {
    const store = await reopenableDatabase();
    try {
      const before = await store.open();
      const { enqueued, interrupted } = await runFirstProcess(before).finally(() => closeDatabase(before));

      const after = await store.open();
      const jobs = startRunner(after);
      const attemptsById = new Map<string, number>();
      try {
        jobs.defineQueue<ClientJob>({
          name: RESTARTABLE,
          retry: RETRY_SOON,
          handle: async (run) => void attemptsById.set(run.id, run.attempt),
        });
        await jobs.start();
        await waitFor('both jobs to run after the restart', () => attemptsById.size === 2);
        const queued = enqueued.find((id) => id !== interrupted)!;
        assert.deepEqual(Object.fromEntries(attemptsById), { [interrupted]: 2, [queued]: 1 });
        assert.deepEqual(await jobs.listDeadJobs(), []);
      } finally {
        await jobs.stop();
        await closeDatabase(after);
      }
    } finally {
      await store.dispose();
    }
  },
);
