/**
 * The composition root: builds every module from its factory, in dependency order, and hands
 * the HTTP layer what it needs (routes, the denial recorder).
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DenialRecorder } from './http/auth-guard.ts';
import type { HttpServer } from './http/http-server.ts';
import type { Config } from './config.ts';
import { createAuditService, registerAuditRoutes } from './modules/audit/index.ts';
import {
  createAuthService,
  createSessionAuthenticator,
  registerAccountRoutes,
  registerAuthRoutes,
} from './modules/auth/index.ts';
import { createMembersService, registerMemberRoutes } from './modules/members/index.ts';
import { createTenantsService, registerTenantRoutes } from './modules/tenants/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Mailer } from './platform/mail/mailer.ts';
import type { Actor } from './platform/actor.ts';
import type { Jobs } from './platform/jobs/jobs.ts';
import { PLATFORM_SCOPE_ID, type TenantId } from './platform/db/scopes.ts';
import type { Schema } from './platform/db/schema.ts';

/** Every module, wired. */
export type Modules = ReturnType<typeof composeModules>;

/** What the modules are built from. */
export type ModuleDeps = {
  db: Kysely<Schema>;
  jobs: Pick<Jobs, 'defineQueue' | 'enqueue'>;
  config: Pick<Config, 'publicUrl' | 'sessions'>;
  mailer: Mailer;
  clock: Clock;
};

/** Builds the modules over one database; modules define their job queues on `jobs`. */
export function composeModules({ db, config, mailer, clock }: ModuleDeps) {
  const audit = createAuditService({ db });
  const tenants = createTenantsService({ db, audit });
  const members = createMembersService({ db, audit, mailer, clock, publicUrl: config.publicUrl });
  const auth = createAuthService({
    db,
    audit,
    clock,
    sessions: config.sessions,
    publicUrl: config.publicUrl,
  });
  const authenticate = createSessionAuthenticator({ db, clock, config: config.sessions });

  // Refusals of signed-in callers go to their tenant's chain (operators: the platform's). Anonymous
  // refusals are only logged: writing them to the chain would let anyone grow it at will.
  const recordDenial: DenialRecorder = async (request: FastifyRequest, actor: Actor | null, reason) => {
    request.log.warn(
      { reason, route: request.routeOptions.url, actorId: actor?.id ?? null },
      'request refused',
    );
    if (!actor) return;
    await audit.recordAlone(actor.tenantId ?? (PLATFORM_SCOPE_ID as TenantId), [
      {
        action: 'access.denied',
        actor: { kind: actor.kind, id: actor.id },
        outcome: 'denied',
        requestId: request.id,
        sourceIp: request.ip,
        details: { method: request.method, route: request.routeOptions.url ?? null, reason },
      },
    ]);
  };

  return {
    audit,
    tenants,
    members,
    auth,
    authenticate,
    recordDenial,
    registerRoutes(app: HttpServer) {
      registerAuthRoutes(app, auth);
      registerAccountRoutes(app, auth);
      registerMemberRoutes(app, members);
      registerTenantRoutes(app, tenants);
      registerAuditRoutes(app, audit);
    },
  };
}
