/**
 * A Diligence instance for route tests: a fresh test database, the real server (not listening;
 * requests go through `app.inject()`), a clock the test can move, and real session sign-in.
 * Tests of modules that are not about sign-in may also register ready-made actors and send the
 * `x-test-actor` header; that shortcut exists only here, never in the server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { loadConfig } from '../src/config.ts';
import type { Authenticator } from '../src/http/auth-guard.ts';
import type { HttpServer } from '../src/http/http-server.ts';
import type { Clock } from '../src/platform/clock.ts';
import { startDiligence, type Diligence } from '../src/main.ts';
import type { Database } from '../src/platform/db/database.ts';
import type { Actor, Permission } from '../src/platform/actor.ts';
import { toTenantId } from '../src/platform/db/scopes.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createLocalDiskStorage } from '../src/platform/storage/object-storage.ts';
import { openLocalKeyProvider, type KeyProvider } from '../src/modules/vault/index.ts';
import { createTestDatabase } from './test-database.ts';

/** A key provider holding one random KEK, as DILIGENCE_KEK would give it. */
export function createTestKeys(): Promise<KeyProvider> {
  return openLocalKeyProvider({ kind: 'inline', keys: [{ id: 'kek-test-1', key: randomBytes(32) }] });
}

/** A clock that starts at the real time and moves only when told. */
export type TestClock = Clock & { advance(ms: number): void; set(date: Date): void };

/** Creates a test clock. */
export function createTestClock(start = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(date: Date) {
      current = date.getTime();
    },
  };
}

/** A running test instance plus helpers to make callers. */
export type TestServer = Diligence & {
  readonly app: HttpServer;
  readonly clock: TestClock;
  /** The key provider the vault uses. */
  readonly keys: KeyProvider;
  /** The folder encrypted documents are written to. */
  readonly documentsDir: string;
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
    keys?: KeyProvider;
    /** A database to start on instead of a fresh test database (it is closed on stop). */
    database?: Database;
  } = {},
): Promise<TestServer> {
  const actors = new Map<string, Actor>();
  const config = loadConfig({ LOG_LEVEL: 'silent', ...options.env });
  const database = options.database ?? (await createTestDatabase());
  const clock = createTestClock();
  const keys = options.keys ?? (await createTestKeys());
  const documentsDir = await mkdtemp(path.join(tmpdir(), 'diligence-documents-'));
  let signIn: Authenticator | null = null;
  const instance = await startDiligence(config, {
    logger: createLogger(config.logLevel),
    database,
    listen: false,
    clock,
    keys,
    storage: createLocalDiskStorage(documentsDir),
    authenticate: async (request: FastifyRequest) => {
      const token = request.headers['x-test-actor'];
      if (typeof token === 'string') return actors.get(token) ?? null;
      return signIn ? signIn(request) : null;
    },
    registerExtraRoutes: options.registerExtraRoutes,
  });
  signIn = instance.modules.authenticate;
  const stop = instance.stop.bind(instance);
  return Object.assign(instance, {
    app: instance.server!,
    clock,
    keys,
    documentsDir,
    async stop() {
      await stop();
      await rm(documentsDir, { recursive: true, force: true });
    },
    headersFor(actor: Actor) {
      const token = randomUUID();
      actors.set(token, actor);
      return { 'x-test-actor': token };
    },
  });
}
