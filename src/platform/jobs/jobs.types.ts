/**
 * The public types of the background-job runner: what a queue declares, what a handler receives,
 * and the runner's narrow API.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Schema } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { JobData, JobId } from './job-data.ts';

export type { JobData, JobId } from './job-data.ts';

/** How a failing job is retried before it is declared dead. */
export type RetryPolicy = {
  /** Retries after the first attempt; 0 makes the first failure final. */
  limit: number;
  /** Whole seconds before the first retry. */
  delaySeconds: number;
  /** Roughly doubles the delay (with jitter) on each further retry. */
  backoff: boolean;
  /** Upper bound on a backed-off delay, in whole seconds. */
  maxDelaySeconds?: number;
};

/** One attempt at a job, as its handler sees it. */
export type JobRun<Data extends JobData> = {
  readonly id: JobId;
  readonly queue: string;
  readonly data: Data;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
  readonly isLastAttempt: boolean;
  /** Aborted when the attempt times out or the runner stops without waiting. */
  readonly signal: AbortSignal;
};

/** A queue: its name, its data type, how it retries, and the handler that runs its jobs. */
export type QueueDefinition<Data extends JobData> = {
  /** `module.job-name`, stable across releases (it is stored with every job). */
  name: string;
  retry?: RetryPolicy;
  /** Seconds an attempt may run before it counts as failed. */
  timeoutSeconds?: number;
  /** Jobs of this queue one process runs at once. */
  concurrency?: number;
  /** Must be idempotent: a job can run again after a crash or a timeout. */
  handle(run: JobRun<Data>): Promise<void>;
};

/** A defined queue; enqueue through it so the data type is checked. */
export type Queue<Data extends JobData> = { readonly name: string; readonly __data?: Data };

/** Options for one enqueue. */
export type EnqueueOptions = {
  /** Enqueues with the same key in the same queue make one job, for as long as the job is kept. */
  key?: string;
  /** Seconds to wait before the job may run. */
  delaySeconds?: number;
};

/** What an enqueue did. */
export type EnqueueResult = { id: JobId; isNew: boolean };

/** A job that used up its retries; `error` is its handler's last error message. */
export type DeadJob = { id: JobId; queue: string; attempts: number; failedAt: Date; error: string | null };

/** The background-job runner. */
export type Jobs = {
  /** Declares a queue; call before `start()`. */
  defineQueue<Data extends JobData>(definition: QueueDefinition<Data>): Queue<Data>;
  /** Creates the queues and, unless `workers` is false, starts running their jobs. */
  start(options?: { workers?: boolean }): Promise<void>;
  /** Stops polling; `graceful` waits (up to `timeoutMs`) for running jobs, else they fail and retry later. */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
  /** Adds a job inside `trx`: it runs only if that transaction commits. */
  enqueue<Data extends JobData>(
    trx: Transaction<Schema>,
    queue: Queue<Data>,
    data: NoInfer<Data>,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>;
  /** Jobs that failed for good, newest first. */
  listDeadJobs(options?: { queue?: string; limit?: number }): Promise<DeadJob[]>;
  /** Gives a dead job one more attempt; false if it is not dead (or not found). */
  retryDeadJob(job: { queue: string; id: string }): Promise<boolean>;
};

/** What the runner needs. */
export type JobsDeps = {
  database: Pick<Database, 'db' | 'pool' | 'backend'>;
  logger: Logger;
  /** Seconds between polls for new jobs; pg-boss's minimum is 0.5. */
  pollingIntervalSeconds?: number;
  /** Seconds between maintenance passes (timing out stuck jobs, deleting old ones). */
  maintenanceIntervalSeconds?: number;
};
