/**
 * What a job may carry and how it is named. Job rows outlive the request that made them (retries,
 * dead jobs, retention) and are readable by anyone with access to the queue tables, so a job holds
 * ids that point at protected rows, never the personal data itself.
 */
import { createHash } from 'node:crypto';

/** A job's data: flat ids and small flags. Nested objects and long text are refused. */
export type JobData = Readonly<Record<string, string | number | boolean | null>>;

/** A job's id (a UUID), branded so it is not confused with other ids. */
export type JobId = string & { readonly __brand: 'JobId' };

// Long enough for any id or key we generate; too short for a document or a free-text note.
const MAX_VALUE_LENGTH = 200;
const MAX_FIELDS = 20;
const QUEUE_NAME_PART = /^[a-z][a-z0-9-]*$/;

/** Throws unless `name` looks like `module.job-name` (lowercase, dots and hyphens). */
export function assertQueueName(name: string): void {
  if (name.length > 100 || !name.split('.').every((part) => QUEUE_NAME_PART.test(part))) {
    throw new TypeError(
      `Queue name "${name}" must be lowercase words separated by dots or hyphens, like "screening.screen-client"`,
    );
  }
}

/** Throws unless `data` is flat and small; the message names the field, never its value. */
export function assertIdsOnly(queue: string, data: unknown): asserts data is JobData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`Job data for ${queue} must be an object of ids`);
  }
  const entries = Object.entries(data);
  if (entries.length > MAX_FIELDS)
    throw new TypeError(`Job data for ${queue} has more than ${MAX_FIELDS} fields`);
  for (const [field, value] of entries) {
    const isScalar =
      value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    const isShortString = typeof value === 'string' && value.length <= MAX_VALUE_LENGTH;
    if (!isScalar && !isShortString) {
      throw new TypeError(
        `Job data field "${field}" for ${queue} must be an id or a small scalar, not a document`,
      );
    }
  }
}

/**
 * The job id for an idempotency key: the same queue and key always give the same id, so a second
 * enqueue hits the primary key and inserts nothing, even from another process. Shaped as a UUID
 * (version 8, "custom") because pg-boss stores ids as `uuid`.
 */
export function jobIdForKey(queue: string, key: string): JobId {
  if (key.length === 0 || key.length > MAX_VALUE_LENGTH) {
    throw new TypeError(`An idempotency key for ${queue} must be 1 to ${MAX_VALUE_LENGTH} characters`);
  }
  const bytes = createHash('sha256').update(queue).update('\u0000').update(key).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` as JobId;
}
