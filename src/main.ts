/**
 * Starts Diligence: opens and migrates the database, wires the modules, and runs the roles this
 * process was given (the HTTP API, the job worker, or both).
 */
import type { Config } from './config.ts';
import { composeModules, type Modules } from './composition.ts';
import type { Authenticator } from './http/auth-guard.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { createMailer } from './platform/mail/create-mailer.ts';
import type { Mailer } from './platform/mail/mailer.ts';
import type { HttpServer } from './http/http-server.ts';
import { buildServer } from './http/server.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { listPendingMigrations, migrate, readMigrationFiles } from './platform/db/migrator.ts';
import { createJobs, type Jobs } from './platform/jobs/jobs.ts';
import type { Logger } from './platform/logger.ts';
import { createLocalDiskStorage, type ObjectStorage } from './platform/storage/object-storage.ts';
import { openLocalKeyProvider, type KeyProvider } from './modules/vault/index.ts';

const SHUTDOWN_MARGIN_MS = 5_000;

/** A running instance. */
export type Diligence = {
  readonly database: Database;
  readonly modules: Modules;
  readonly jobs: Jobs;
  readonly server: HttpServer | null;
  /** The bound address (`http://host:port`) when the API role runs. */
  readonly url: string | null;
  /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
  stop(): Promise<void>;
};

/** Options mostly for tests: where the database comes from and who may sign in. */
export type StartOptions = {
  logger: Logger;
  database?: Database;
  /** Replaces session sign-in (tests only). */
  authenticate?: Authenticator;
  clock?: Clock;
  mailer?: Mailer;
  /** Replaces the configured key source (tests). */
  keys?: KeyProvider;
  /** Replaces the configured document storage (tests). */
  storage?: ObjectStorage;
  /** Extra routes registered after the modules' ones. */
  registerExtraRoutes?: (app: HttpServer) => void | Promise<void>;
  listen?: boolean;
};

/**
 * Builds the modules over a migrated database and readies the vault: checks the key-encryption
 * key (a wrong or missing key stops here, before anything is served) and seals personal data an
 * older release stored in clear. The server and the one-shot commands both start this way.
 */
export async function prepareModules(
  config: Config,
  options: Pick<StartOptions, 'logger' | 'keys' | 'storage' | 'mailer'> & {
    database: Database;
    jobs: Jobs;
    clock: Clock;
  },
): Promise<Modules> {
  const { database, logger } = options;
  const keys = options.keys ?? (await openLocalKeyProvider(config.keys));
  const modules = composeModules({
    db: database.db,
    jobs: options.jobs,
    config,
    clock: options.clock,
    keys,
    storage: options.storage ?? createLocalDiskStorage(config.documentsDir),
    logger,
    mailer: (sealer) => options.mailer ?? createMailer(config.mail, { db: database.db, logger, sealer }),
  });
  const { createdKekId } = await modules.vault.ensureReady();
  if (createdKekId !== null)
    logger.warn(
      { kekId: createdKekId, keySource: keys.description },
      'created a new key-encryption key; back it up now: without it the personal data cannot be read',
    );
  await modules.sealLegacyPlaintext();
  await modules.installMissingDefaults();
  return modules;
}

/** Starts the configured roles and returns a handle to stop them. */
export async function startDiligence(config: Config, options: StartOptions): Promise<Diligence> {
  const { logger } = options;
  const database = options.database ?? (await openDatabase(config.database));
  let startedJobs: Jobs | null = null;
  try {
    const migrationFiles = await readMigrationFiles();
    const report = await migrate(database.adminPool, migrationFiles);
    logger.info({ applied: report.applied, backend: database.backend }, 'database ready');
    if (database.backend === 'postgres' && (await database.isRuntimeSuperuser())) {
      logger.warn(
        'DATABASE_URL connects as a superuser, which could lift row-level security; use a role that only belongs to diligence_app',
      );
    }
    const jobs = createJobs({ database, logger });
    startedJobs = jobs;
    const clock = options.clock ?? systemClock;
    const modules = await prepareModules(config, { ...options, database, jobs, clock });
    // Queues are defined by the modules above; a process without the worker role only enqueues.
    await jobs.start({ workers: config.roles.has('worker') });
    let server: HttpServer | null = null;
    let url: string | null = null;
    if (config.roles.has('api')) {
      server = await buildServer({
        logger,
        bodyLimitBytes: config.bodyLimitBytes,
        trustProxy: config.trustProxy,
        authenticate: options.authenticate ?? modules.authenticate,
        clock,
        recordDenial: modules.recordDenial,
        // Reading the applied migrations is itself the reachability check.
        readiness: async () => ({
          database: true,
          pendingMigrations: await listPendingMigrations(database.pool, migrationFiles),
        }),
        registerRoutes: async (app) => {
          modules.registerRoutes(app);
          await options.registerExtraRoutes?.(app);
        },
      });
      if (options.listen !== false) url = await server.listen({ host: config.host, port: config.port });
      else await server.ready();
      // The index builds in worker threads after the server answers; searches wait for it.
      modules.screening
        .start({ watchMs: config.screening.watchMs })
        .then((index) => logger.info({ index }, 'screening index ready'))
        .catch((error: unknown) => logger.error({ err: error }, 'screening index failed to build'));
    }
    let stopping: Promise<void> | null = null;
    return {
      database,
      modules,
      jobs,
      server,
      url,
      stop() {
        stopping ??= (async () => {
          await server?.close();
          await modules.screening.close();
          await jobs.stop({ graceful: true, timeoutMs: config.shutdownTimeoutMs });
          await database.close();
          logger.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await startedJobs?.stop({ graceful: false }).catch(() => undefined);
    await database.close();
    throw error;
  }
}

/**
 * Stops gracefully on SIGTERM or SIGINT: no new connections, in-flight requests finish, the
 * database closes, then the process exits. A stuck shutdown ends after `timeoutMs`.
 */
export function stopOnSignals(
  app: Diligence,
  { logger, timeoutMs }: { logger: Logger; timeoutMs: number },
): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Jobs get `timeoutMs` to finish; the margin lets the database close cleanly after them.
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs + SHUTDOWN_MARGIN_MS);
    timer.unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
