/**
 * A node-postgres pool over an in-process PGlite instance.
 *
 * PGlite's own `createPgConfig()` hands ONE connection object to every pool client; after the
 * first SQL error that shared connection is torn down and the next query crashes the process
 * ("Connection terminated unexpectedly"). Each client here builds its own protocol connection
 * instead, and the pool holds one client because PGlite runs a single backend.
 */
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { PglitePgConnection } from '@electric-sql/pglite/node-postgres';

/** Creates a one-connection `pg.Pool` whose client talks to the given PGlite instance. */
export function createPglitePool(pglite: PGlite): pg.Pool {
  class PgliteClient extends pg.Client {
    constructor(options: pg.ClientConfig = {}) {
      super({
        ...options,
        user: 'postgres',
        database: 'postgres',
        host: 'localhost',
        password: 'unused',
        connection: new PglitePgConnection({ pglite }),
      } as pg.ClientConfig);
    }
  }
  return new pg.Pool({ Client: PgliteClient, max: 1, idleTimeoutMillis: 0 });
}
