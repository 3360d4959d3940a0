/**
 * PGlite does not lock its data folder: a second process can open it, "write" without error
 * and lose the rows. The server holds this lock for as long as the database is open.
 */
import lockfile from 'proper-lockfile';

/** Raised when another process already holds the data folder. */
export class DataFolderLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `The data folder ${dataDir} is in use by another Diligence process. ` +
        'Stop that process first, or point DILIGENCE_DATA_DIR at another folder. ' +
        '(If a process crashed, its lock expires within 15 seconds.)',
    );
    this.name = 'DataFolderLockedError';
  }
}

/** Takes the data-folder lock or throws DataFolderLockedError; returns the release function. */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  try {
    // A crashed holder stops refreshing the lock; after `stale` ms another process may take it.
    return await lockfile.lock(dataDir, { stale: 15_000, update: 5_000, realpath: false });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw new DataFolderLockedError(dataDir);
    throw error;
  }
}
