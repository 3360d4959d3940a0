/** The modules for a one-shot command: opened, migrated and readied like the server's, then closed. */
import type { Modules } from '../composition.ts';
import { prepareModules } from '../main.ts';
import { systemClock } from '../platform/clock.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrator.ts';
import { createJobs } from '../platform/jobs/jobs.ts';
import { createCliContext } from './cli-context.ts';

/** Opens the database and the modules for one command, then closes them. */
export async function withModules<T>(work: (modules: Modules) => Promise<T>): Promise<T> {
  const { config, logger } = createCliContext({ isQuiet: true });
  const database = await openDatabase(config.database);
  const jobs = createJobs({ database, logger });
  try {
    await migrate(database.adminPool);
    const modules = await prepareModules(config, { logger, database, jobs, clock: systemClock });
    // The command line enqueues work for the server's workers; it never runs jobs itself.
    await jobs.start({ workers: false });
    return await work(modules);
  } finally {
    await jobs.stop({ graceful: true });
    await database.close();
  }
}
