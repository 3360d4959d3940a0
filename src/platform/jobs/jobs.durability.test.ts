import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enqueueCommitted, readJobState, waitFor, withJobs, type ClientJob } from './jobs.test-fixtures.ts';

// Concurrent: each test mostly waits on polls and retry delays, and each has its own database.
describe('job durability', { concurrency: true }, () => {
  test('a graceful stop lets a running job finish', { timeout: 30_000 }, () =>
    withJobs(async ({ database, tenantId, jobs }) => {
      let isRunning = false;
      const queue = jobs.defineQueue<ClientJob>({
        name: 'test.slow',
        handle: async () => {
          isRunning = true;
          await new Promise((resolve) => setTimeout(resolve, 700));
        },
      });
      await jobs.start();
      const { id } = await enqueueCommitted(database, jobs, tenantId, queue, 'c1');
      await waitFor('the job to start', () => isRunning);
      await jobs.stop({ graceful: true, timeoutMs: 5_000 });
      assert.equal(await readJobState(database, id), 'completed');
    }),
  );

  test(
    'a failing job retries with growing delays, is reported dead, and can be retried',
    { timeout: 30_000 },
    () =>
      withJobs(async ({ database, tenantId, jobs, logLines }) => {
        const attemptsAt: number[] = [];
        let isProviderUp = false;
        const queue = jobs.defineQueue<ClientJob>({
          name: 'test.flaky-provider',
          retry: { limit: 2, delaySeconds: 1, backoff: true },
          handle: async () => {
            attemptsAt.push(Date.now());
            if (!isProviderUp) throw new Error('screening provider unavailable');
          },
        });
        await jobs.start();
        const marker = 'client-7d1e-never-in-logs';
        const { id } = await enqueueCommitted(database, jobs, tenantId, queue, marker);

        const listDead = () => jobs.listDeadJobs({ queue: queue.name });
        await waitFor('the job to be dead', async () => (await listDead()).length === 1, 15_000);
        const [dead] = await jobs.listDeadJobs();
        assert.ok(dead?.failedAt instanceof Date);
        assert.deepEqual(
          { ...dead, failedAt: null },
          { id, queue: queue.name, attempts: 3, error: 'screening provider unavailable', failedAt: null },
        );
        assert.equal(attemptsAt.length, 3, 'one attempt and two retries, no more');
        // Backoff: the second retry waits at least twice the base delay; a fixed delay would not.
        const [first, second, third] = attemptsAt as [number, number, number];
        assert.ok(second - first >= 950, `first retry after ${second - first} ms`);
        assert.ok(third - second >= 1950, `second retry after ${third - second} ms`);

        isProviderUp = true;
        assert.equal(await jobs.retryDeadJob(dead), true);
        await waitFor('the retried job', async () => (await readJobState(database, id)) === 'completed');
        assert.deepEqual(await jobs.listDeadJobs(), []);
        assert.equal(await jobs.retryDeadJob(dead), false, 'a completed job is not dead');

        const deathLogged = logLines.some(
          (line) => line.includes(`"jobId":"${id}"`) && line.includes('now dead'),
        );
        assert.ok(deathLogged, 'the death is logged by job id');
        assert.ok(!logLines.join('').includes(marker), 'job data never reaches the log');
      }),
  );
});
