/**
 * A Diligence instance for route tests: a fresh test database, the real server (not listening;
 * requests go through `app.inject()`), and an authenticator that accepts actors the test
 * registered. Sign-in does not exist yet; this stands in for it and nothing else.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { loadConfig } from '../src/config.ts';
import type { HttpServer } from '../src/http/http-server.ts';
import { startDiligence, type Diligence } from '../src/main.ts';
import type { Actor, Permission } from '../src/platform/actor.ts';
import { toTenantId } from '../src/platform/db/scopes.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createTestDatabase } from './test-database.ts';

/** A running test instance plus helpers to make callers. */
export type TestServer = Diligence & {
  readonly app: HttpServer;
  /** Registers an actor and returns headers that authenticate as it. */
  headersFor(actor: Actor): Record<string, string>;
};

/** An operator with every platform permission. */
export function operatorActor(
  permissions: Permission[] = [
    'tenants:create',
    'tenants:list',
    'tenants:read',
    'audit:read',
    'audit:verify',
  ],
): Actor {
  return {
    kind: 'operator',
    id: randomUUID(),
    tenantId: null,
    permissions: new Set(permissions),
    secondFactorAt: null,
    roles: new Set(),
    teams: new Set(),
  };
}

/** A user working in one tenant. */
export function tenantUserActor(
  tenantId: string,
  permissions: Permission[] = ['tenants:read', 'audit:read', 'audit:verify'],
): Actor {
  return {
    kind: 'user',
    id: randomUUID(),
    tenantId: toTenantId(tenantId),
    permissions: new Set(permissions),
    secondFactorAt: null,
    roles: new Set(),
    teams: new Set(),
  };
}

/** Starts an instance on a fresh database; call `stop()` when done. */
export async function startTestServer(
  options: {
    env?: Record<string, string>;
    registerExtraRoutes?: (app: HttpServer) => void | Promise<void>;
  } = {},
): Promise<TestServer> {
  const actors = new Map<string, Actor>();
  const config = loadConfig({ LOG_LEVEL: 'silent', ...options.env });
  const database = await createTestDatabase();
  const instance = await startDiligence(config, {
    logger: createLogger(config.logLevel),
    database,
    listen: false,
    authenticate: async (request: FastifyRequest) => {
      const token = request.headers['x-test-actor'];
      return typeof token === 'string' ? (actors.get(token) ?? null) : null;
    },
    registerExtraRoutes: options.registerExtraRoutes,
  });
  return Object.assign(instance, {
    app: instance.server!,
    headersFor(actor: Actor) {
      const token = randomUUID();
      actors.set(token, actor);
      return { 'x-test-actor': token };
    },
  });
}
