/**
 * The one error class the application raises on purpose. Its `code` is stable (clients and the
 * problem+json `type` use it); the HTTP status comes from one table in `http/problem.ts`.
 */

/** Every code an AppError can carry. */
export type AppErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'unauthenticated'
  | 'forbidden'
  | 'step_up_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

/** An expected failure with a message written for the user (never containing personal data). */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** True for a PostgreSQL unique-violation error (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** True for a PostgreSQL foreign-key violation (SQLSTATE 23503): the referenced row is missing. */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503';
}
