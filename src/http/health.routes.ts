/**
 * Liveness and readiness. `/healthz` says the process answers; `/readyz` says the database is
 * reachable and its schema is current, so a load balancer sends traffic only when both hold.
 */
import type { HttpServer } from './http-server.ts';
import { Type } from 'typebox';

/** What readiness needs to know, supplied by the composition root. */
export type ReadinessProbe = () => Promise<{ database: boolean; pendingMigrations: string[] }>;

const HealthResponse = Type.Object({ status: Type.Literal('ok') });
const ReadyResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: Type.Boolean(), migrations: Type.Boolean() }),
});

/** Registers `/healthz` and `/readyz`. */
export function registerHealthRoutes(app: HttpServer, probe: ReadinessProbe): void {
  app.get(
    '/healthz',
    { config: { isPublic: true }, schema: { tags: ['operations'], response: { 200: HealthResponse } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { isPublic: true },
      schema: { tags: ['operations'], response: { 200: ReadyResponse, 503: ReadyResponse } },
    },
    async (request, reply) => {
      let database = false;
      let migrations = false;
      try {
        const result = await probe();
        database = result.database;
        migrations = result.pendingMigrations.length === 0;
      } catch (error) {
        request.log.warn({ err: error }, 'readiness probe failed');
      }
      const ready = database && migrations;
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations } });
    },
  );
}
