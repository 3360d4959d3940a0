import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { withTenant } from '../db/scopes.ts';
import { jobIdForKey } from './job-data.ts';
import { enqueueCommitted, readJobState, waitFor, withJobs, type ClientJob } from './jobs.test-fixtures.ts';
import type { Jobs, Queue } from './jobs.types.ts';

const noop = async () => undefined;

test('a job enqueued in a transaction that rolls back never runs', { timeout: 30_000 }, () =>
  withJobs(async ({ database, tenantId, jobs }) => {
    const ran: string[] = [];
    const queue = jobs.defineQueue<ClientJob>({
      name: 'test.record-client',
      handle: async (run) => void ran.push(run.data.clientId),
    });
    await jobs.start();

    let rolledBackId = '';
    await assert.rejects(
      withTenant(database.db, tenantId, async (scope) => {
        rolledBackId = (await jobs.enqueue(scope.trx, queue, { tenantId, clientId: 'rolled-back' })).id;
        throw new Error('the change failed after the enqueue');
      }),
      /the change failed/,
    );
    // Enqueued second, so once it has run the worker has had every chance to run the first.
    const committed = await enqueueCommitted(database, jobs, tenantId, queue, 'committed');
    await waitFor(
      'the committed job',
      async () => (await readJobState(database, committed.id)) === 'completed',
    );

    assert.deepEqual(ran, ['committed']);
    assert.match(rolledBackId, /^[0-9a-f-]{36}$/);
    assert.equal(await readJobState(database, rolledBackId), undefined, 'the rolled-back job left no row');
  }),
);

test('enqueueing twice with the same key makes one job', { timeout: 30_000 }, () =>
  withJobs(async ({ database, tenantId, jobs }) => {
    const ran: string[] = [];
    const queue = jobs.defineQueue<ClientJob>({
      name: 'test.screen-once',
      handle: async (run) => void ran.push(run.data.clientId),
    });
    await jobs.start();
    const enqueue = (clientId: string) =>
      enqueueCommitted(database, jobs, tenantId, queue, clientId, { key: `client-created:${clientId}` });

    const first = await enqueue('c1');
    const again = await enqueue('c1');
    const other = await enqueue('c2');
    assert.deepEqual([first.isNew, again.isNew, other.isNew], [true, false, true]);
    assert.equal(again.id, first.id);
    assert.notEqual(other.id, first.id);

    const isDone = async (id: string) => (await readJobState(database, id)) === 'completed';
    await waitFor('both jobs', async () => (await isDone(first.id)) && (await isDone(other.id)));
    const late = await enqueue('c1');
    assert.deepEqual(late, { id: first.id, isNew: false }, 'a completed job still holds its key');
    assert.deepEqual(ran.sort(), ['c1', 'c2']);
  }),
);

test('the job API refuses what it cannot run safely', { timeout: 30_000 }, () =>
  withJobs(async ({ database, tenantId, jobs }) => {
    const queue = jobs.defineQueue<ClientJob>({ name: 'test.guarded', handle: noop });
    assert.throws(() => jobs.defineQueue({ name: 'test.guarded', handle: noop }), /already defined/);
    assert.throws(() => jobs.defineQueue({ name: 'Bad Name!', handle: noop }), /Queue name/);
    const fractional = { limit: 1, delaySeconds: 0.5, backoff: false };
    assert.throws(
      () => jobs.defineQueue({ name: 'test.half', retry: fractional, handle: noop }),
      /whole number/,
    );
    const enqueue = (data: ClientJob) =>
      withTenant(database.db, tenantId, (scope) => jobs.enqueue(scope.trx, queue, data));

    await assert.rejects(enqueue({ tenantId, clientId: 'c1' }), /not running/);
    await jobs.start();
    assert.throws(() => jobs.defineQueue({ name: 'test.too-late', handle: noop }), /before start/);
    await assert.rejects(jobs.start(), /already running/);

    const document = 'x'.repeat(500);
    await assert.rejects(
      enqueue({ tenantId, clientId: document }),
      (error: Error) => error instanceof TypeError && !error.message.includes(document),
    );
    await assert.rejects(enqueue({ tenantId, clientId: { name: 'Jane Doe' } } as never), /not a document/);
    await assert.rejects(
      withTenant(database.db, tenantId, (scope) =>
        jobs.enqueue(scope.trx, { name: 'test.unknown' }, { tenantId }),
      ),
      /not defined/,
    );
    assert.equal(
      (await enqueue({ tenantId, clientId: 'c1' })).isNew,
      true,
      'the guards let a valid job through',
    );
  }),
);

// Compile-time checks, run by tsc: a queue takes only its own data type.
export function enqueueTypeChecks(jobs: Jobs, trx: Transaction<Schema>, queue: Queue<ClientJob>): void {
  // @ts-expect-error -- clientId is missing.
  void jobs.enqueue(trx, queue, { tenantId: 't1' });
  // @ts-expect-error -- a field the queue does not declare.
  void jobs.enqueue(trx, queue, { tenantId: 't1', clientId: 'c1', clientName: 'Jane Doe' });
}

test('an idempotency key maps to one stable UUID per queue', () => {
  const id = jobIdForKey('screening.screen-client', 'client-created:c1');
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(jobIdForKey('screening.screen-client', 'client-created:c1'), id);
  assert.notEqual(jobIdForKey('screening.rescreen-client', 'client-created:c1'), id);
  assert.notEqual(jobIdForKey('screening.screen-client', 'client-created:c2'), id);
  assert.throws(() => jobIdForKey('screening.screen-client', ''), /idempotency key/);
});
