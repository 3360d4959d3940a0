/**
 * The structured logger. Logs carry ids (request, tenant, actor), never personal values: request
 * and response bodies are not logged, and known sensitive keys are redacted as a second guard.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Keys that must never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  '*.email',
  '*.name',
  '*.dateOfBirth',
  '*.documentNumber',
  // Key material (the vault never logs it; this guards against a config or error object being logged).
  '*.key',
  '*.keys',
  '*.kek',
  '*.wrapped_key',
  'body',
  '*.body',
];

// PostgreSQL errors carry row values ("Failing row contains (…)", "Key (email)=(…)") in these
// fields; the message, code and constraint name are enough to diagnose.
const DATABASE_VALUE_FIELDS = ['detail', 'where', 'parameters', 'hint', 'internalQuery'];

function serializeError(error: Error): Record<string, unknown> {
  const serialized: Record<string, unknown> = { ...pino.stdSerializers.err(error) };
  for (const field of DATABASE_VALUE_FIELDS) delete serialized[field];
  return serialized;
}

/** Options shared by the server's logger and the standalone one. */
export function loggerOptions(level: LoggerOptions['level']): LoggerOptions {
  return {
    level,
    base: { service: 'diligence' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      // The path only: query strings may carry search terms such as a name or email.
      req: (request: { method?: string; url?: string; ip?: string }) => ({
        method: request.method,
        path: String(request.url ?? '').split('?')[0],
        remoteAddress: request.ip,
      }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      err: serializeError,
    },
  };
}

/** A logger for code outside an HTTP request (CLI, workers, start-up). */
export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: pino.DestinationStream,
): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
