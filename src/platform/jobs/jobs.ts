/**
 * Background jobs on pg-boss, in the application's own database.
 *
 * A job is enqueued inside the caller's transaction, so it exists exactly when the change that
 * asked for it commits, and it survives restarts because it is a row. Failures retry with
 * backoff and end in pg-boss's `failed` state, which `listDeadJobs()` reports. pg-boss's schema is
 * installed by `migrate()`, so the runtime instance never migrates and runs with the app's grants.
 */
import { CompiledQuery, sql, type Transaction } from 'kysely';
import { PgBoss, type Db, type JobWithMetadata, type Queue as BossQueue, type SendOptions } from 'pg-boss';
import type { Schema } from '../db/schema.ts';
import { assertIdsOnly, assertQueueName, jobIdForKey, type JobData, type JobId } from './job-data.ts';
import type { Jobs, JobsDeps, Queue, QueueDefinition, RetryPolicy } from './jobs.types.ts';

export type * from './jobs.types.ts';

const DEFAULT_RETRY: RetryPolicy = { limit: 5, delaySeconds: 10, backoff: true, maxDelaySeconds: 3600 };
const DEFAULT_TIMEOUT_SECONDS = 15 * 60;

/** Sends pg-boss's statements through the caller's transaction, so they commit or roll back with it. */
function transactionDb(trx: Transaction<Schema>): Db {
  return {
    async executeSql(text, values) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: [...result.rows] };
    },
  };
}

function queueOptions(definition: QueueDefinition<JobData>): Omit<BossQueue, 'name'> {
  const retry = definition.retry ?? DEFAULT_RETRY;
  for (const [label, value] of [
    ['retry.limit', retry.limit],
    ['retry.delaySeconds', retry.delaySeconds],
    ['retry.maxDelaySeconds', retry.maxDelaySeconds ?? 0],
  ] as const) {
    // pg-boss stores these as integers and would silently truncate a fraction.
    if (!Number.isInteger(value) || value < 0)
      throw new TypeError(`${definition.name}: ${label} must be a whole number ≥ 0`);
  }
  return {
    retryLimit: retry.limit,
    retryDelay: retry.delaySeconds,
    retryBackoff: retry.backoff,
    ...(retry.maxDelaySeconds === undefined ? {} : { retryDelayMax: retry.maxDelaySeconds }),
    expireInSeconds: definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
  };
}

/** Builds the job runner; nothing touches the database until `start()`. */
export function createJobs({
  database,
  logger,
  pollingIntervalSeconds = 2,
  maintenanceIntervalSeconds = 60,
}: JobsDeps): Jobs {
  const definitions = new Map<string, QueueDefinition<JobData>>();
  let boss: PgBoss | undefined;
  let starting: Promise<PgBoss> | undefined;

  function running(): PgBoss {
    // Before start() pg-boss has no queue cache and would look the queue up on another pooled
    // connection; on PGlite (one connection, held by the caller's transaction) that never returns.
    if (!boss) throw new Error('Jobs are not running: call start() first');
    return boss;
  }

  async function runJob(definition: QueueDefinition<JobData>, job: JobWithMetadata<JobData>): Promise<void> {
    // Ids only: the data may point at personal records and must stay out of the logs.
    const context = { jobId: job.id, queue: job.name, attempt: job.retryCount + 1 };
    const isLastAttempt = job.retryCount >= job.retryLimit;
    const startedAt = performance.now();
    logger.debug(context, 'job started');
    try {
      await definition.handle({
        id: job.id as JobId,
        queue: job.name,
        data: job.data,
        attempt: context.attempt,
        isLastAttempt,
        signal: job.signal,
      });
    } catch (error) {
      if (isLastAttempt)
        logger.error({ ...context, err: error }, 'job failed with no retries left; it is now dead');
      else logger.warn({ ...context, err: error }, 'job failed; it will be retried');
      throw error;
    }
    logger.info({ ...context, durationMs: Math.round(performance.now() - startedAt) }, 'job completed');
  }

  async function startBoss(workers: boolean): Promise<PgBoss> {
    const instance = new PgBoss({
      db: { executeSql: (text, values) => database.pool.query(text, values) },
      backend: database.backend,
      migrate: false, // migrate() installs the schema as the owner, atomically with our own migrations
      schedule: false, // no cron jobs yet; spares a clock-skew poll every few seconds
      superviseIntervalSeconds: maintenanceIntervalSeconds,
    });
    instance.on('error', (error) => logger.error({ err: error }, 'job queue error'));
    // Only the message: a slow-query warning's data holds the statement's values, i.e. job data.
    instance.on('warning', (warning) => logger.warn({ warning: warning.message }, 'job queue warning'));
    try {
      for (const definition of definitions.values()) {
        const options = queueOptions(definition);
        await instance.createQueue(definition.name, options);
        // createQueue leaves an existing queue untouched; the code is the source of truth for its options.
        await instance.updateQueue(definition.name, {
          ...options,
          retryDelayMax: options.retryDelayMax ?? null,
        });
      }
      await instance.start(); // loads the queue cache that enqueue inside a transaction relies on
      if (workers) {
        for (const definition of definitions.values()) {
          const workOptions = {
            includeMetadata: true,
            batchSize: 1,
            pollingIntervalSeconds,
            localConcurrency: definition.concurrency ?? 1,
          } as const;
          await instance.work(definition.name, workOptions, ([job]: JobWithMetadata<JobData>[]) =>
            job ? runJob(definition, job) : Promise.resolve(),
          );
        }
      }
      return instance;
    } catch (error) {
      await instance.stop({ graceful: false, close: false }).catch(() => undefined);
      throw error;
    }
  }

  return {
    defineQueue<Data extends JobData>(definition: QueueDefinition<Data>): Queue<Data> {
      if (boss || starting) throw new Error(`Queue ${definition.name} must be defined before start()`);
      assertQueueName(definition.name);
      if (definitions.has(definition.name)) throw new Error(`Queue ${definition.name} is already defined`);
      queueOptions(definition as QueueDefinition<JobData>); // fail at definition, not at start
      definitions.set(definition.name, definition as QueueDefinition<JobData>);
      return { name: definition.name };
    },

    async start({ workers = true } = {}) {
      if (boss || starting) throw new Error('Jobs are already running');
      starting = startBoss(workers);
      try {
        boss = await starting;
      } finally {
        starting = undefined;
      }
      logger.info({ queues: [...definitions.keys()], workers }, 'jobs started');
    },

    async stop({ graceful = true, timeoutMs = 30_000 } = {}) {
      // A shutdown that arrives mid-start must still stop what that start leaves running.
      await starting?.catch(() => undefined);
      const instance = boss;
      if (!instance) return;
      boss = undefined;
      // close: false because the Database owns the pool; pg-boss only borrows it.
      await instance.stop({ graceful, timeout: timeoutMs, close: false });
      logger.info({ graceful }, 'jobs stopped');
    },

    async enqueue(trx, queue, data, options = {}) {
      const instance = running();
      if (definitions.get(queue.name) === undefined) throw new Error(`Queue ${queue.name} is not defined`);
      assertIdsOnly(queue.name, data);
      const id = options.key === undefined ? undefined : jobIdForKey(queue.name, options.key);
      const sendOptions: SendOptions = { db: transactionDb(trx) };
      if (id !== undefined) sendOptions.id = id;
      if (options.delaySeconds !== undefined) sendOptions.startAfter = options.delaySeconds;
      // With a key, a duplicate hits the primary key and pg-boss returns null instead of an id.
      const sent = await instance.send(queue.name, data, sendOptions);
      const jobId = (sent ?? id) as JobId | undefined;
      if (jobId === undefined) throw new Error(`Queue ${queue.name} refused the job`);
      logger.debug({ jobId, queue: queue.name, isNew: sent !== null }, 'job enqueued');
      return { id: jobId, isNew: sent !== null };
    },

    async listDeadJobs({ queue, limit = 100 } = {}) {
      // pg-boss has no "failed jobs" query; its schema is pinned by the migrator's version check.
      const result = await sql<{
        id: string;
        queue: string;
        attempts: number;
        failed_at: Date;
        error: string | null;
      }>`
        select id, name as queue, retry_count + 1 as attempts, completed_on as failed_at, output->>'message' as error
        from pgboss.job
        where state = 'failed' and (${queue ?? null}::text is null or name = ${queue ?? null})
        order by completed_on desc
        limit ${Math.min(Math.max(limit, 1), 1000)}`.execute(database.db);
      return result.rows.map((row) => ({
        id: row.id as JobId,
        queue: row.queue,
        attempts: Number(row.attempts),
        failedAt: row.failed_at,
        error: row.error,
      }));
    },

    async retryDeadJob(job) {
      const response = (await running().retry(job.queue, job.id)) as { affected?: number };
      const isRetried = response.affected === 1;
      logger.info({ jobId: job.id, queue: job.queue, isRetried }, 'dead job retry requested');
      return isRetried;
    },
  };
}
