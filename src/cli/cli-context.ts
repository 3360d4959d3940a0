/**
 * What every command needs: the configuration, a logger that writes to stderr, and a way to turn
 * known failures into a readable message and an exit code.
 */
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DataFolderLockedError } from '../platform/db/data-folder-lock.ts';
import { MigrationError } from '../platform/db/migrator.ts';
import { AppError } from '../platform/errors.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import pino from 'pino';
import { KeyProviderError, VaultKeyError } from '../modules/vault/index.ts';

/** Configuration and logger for a command. */
export type CliContext = { config: Config; logger: Logger };

/** Reads the configuration; a bad value ends the command with the variable's name. */
export function createCliContext({ isQuiet = false }: { isQuiet?: boolean } = {}): CliContext {
  const config = loadConfig();
  // One-shot commands print their result; their routine log lines only add noise unless asked for.
  const level = isQuiet && !process.env.LOG_LEVEL ? 'warn' : config.logLevel;
  return { config, logger: createLogger(level, pino.destination(2)) };
}

/** Prints a failure for a person and returns the exit code. */
export function reportFailure(error: unknown): number {
  if (
    error instanceof ConfigError ||
    error instanceof DataFolderLockedError ||
    error instanceof MigrationError ||
    error instanceof VaultKeyError ||
    error instanceof KeyProviderError
  ) {
    console.error(`diligence: ${error.message}`);
    return 2;
  }
  if (error instanceof AppError) {
    console.error(`diligence: ${error.message}`);
    return 1;
  }
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000') {
    console.error(`diligence: cannot reach the database (${(error as Error).message}). Check DATABASE_URL.`);
    return 2;
  }
  console.error('diligence: unexpected error:', error);
  return 1;
}

/** Runs a command body, reporting failures and setting the exit code. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await body()) ?? 0;
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}
