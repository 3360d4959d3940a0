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
  AUTH_SEALED_TABLES,
  createAuthService,
  createSessionAuthenticator,
  registerAccountRoutes,
  registerAuthRoutes,
} from './modules/auth/index.ts';
import {
  createMembersService,
  MEMBERS_SEALED_TABLES,
  registerMemberRoutes,
} from './modules/members/index.ts';
import { createRiskModule, registerRiskRoutes, RISK_SEALED_TABLES } from './modules/risk/index.ts';
import {
  CASES_SEALED_TABLES,
  createCasesService,
  ownershipFacts,
  registerCaseRoutes,
} from './modules/cases/index.ts';
import {
  createCheckRegistry,
  createLocalDocumentCheck,
  createLocalRegistrationCheck,
} from './modules/checks/index.ts';
import {
  analyseOwnership,
  checkDocumentNumber,
  checkRegistrationNumber,
  CLIENTS_SEALED_TABLES,
  createClientsService,
  registerClientsRoutes,
} from './modules/clients/index.ts';
import { createScreeningService, registerScreeningRoutes } from './modules/screening/index.ts';
import { createTenantsService, registerTenantRoutes } from './modules/tenants/index.ts';
import { createVault, registerVaultRoutes, type KeyProvider } from './modules/vault/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Mailer, MailMessage, OutboxSealer } from './platform/mail/mailer.ts';
import { listOutbox, sealLegacyOutbox } from './platform/mail/outbox-mailer.ts';
import type { ObjectStorage } from './platform/storage/object-storage.ts';
import type { Actor } from './platform/actor.ts';
import type { Jobs } from './platform/jobs/jobs.ts';
import type { Logger } from './platform/logger.ts';
import { PLATFORM_SCOPE_ID, type TenantId } from './platform/db/scopes.ts';
import type { Schema } from './platform/db/schema.ts';

/** Every module, wired. */
export type Modules = ReturnType<typeof composeModules>;

/** What the modules are built from. */
export type ModuleDeps = {
  db: Kysely<Schema>;
  jobs: Pick<Jobs, 'defineQueue' | 'enqueue'>;
  config: Pick<Config, 'publicUrl' | 'sessions' | 'screening'>;
  /** Builds the mailer; the outbox mailer seals what it stores with the vault. */
  mailer: (sealer: OutboxSealer) => Mailer;
  clock: Clock;
  keys: KeyProvider;
  storage: ObjectStorage;
  /** Where background failures that also retry as jobs are reported. */
  logger: Pick<Logger, 'error'>;
};

const OUTBOX_PLACE = (id: string) => ({ table: 'mail_outbox', column: 'message_sealed', rowId: id });

/** Builds the modules over one database; modules define their job queues on `jobs`. */
export function composeModules({ db, jobs, config, clock, keys, storage, logger, ...deps }: ModuleDeps) {
  const audit = createAuditService({ db });
  const vault = createVault({
    db,
    keys,
    storage,
    clock,
    jobs,
    audit,
    sealedTables: [
      ...AUTH_SEALED_TABLES,
      ...MEMBERS_SEALED_TABLES,
      ...RISK_SEALED_TABLES,
      ...CLIENTS_SEALED_TABLES,
      ...CASES_SEALED_TABLES,
      { table: 'mail_outbox', scope: 'platform', columns: ['message_sealed'] },
    ],
  });
  const outboxSealer: OutboxSealer = {
    async forScope(scope) {
      const keyring = await vault.keyring(scope);
      return {
        seal: (id, message) => keyring.seal(OUTBOX_PLACE(id), 'json', message),
        open: (id, sealed) => keyring.open(OUTBOX_PLACE(id), 'json', sealed) as MailMessage,
      };
    },
  };
  const mailer = deps.mailer(outboxSealer);
  const tenants = createTenantsService({
    db,
    audit,
    // `risk` is built below; a tenant is only created once the modules are running.
    onTenantCreated: async (tenantId) => {
      await risk.installDefaults(tenantId);
    },
  });
  const members = createMembersService({ db, audit, vault, mailer, clock, publicUrl: config.publicUrl });
  const auth = createAuthService({
    db,
    audit,
    vault,
    clock,
    sessions: config.sessions,
    publicUrl: config.publicUrl,
  });
  const authenticate = createSessionAuthenticator({ db, clock, config: config.sessions });
  const screening = createScreeningService({
    db,
    audit,
    clock,
    listUrls: config.screening.listUrls,
    ...(config.screening.threads > 0 ? { threads: config.screening.threads } : {}),
  });

  const risk = createRiskModule({
    db,
    audit,
    clock,
    vault,
    onClientInputsChanged: (scope, clientId) => cases.onClientInputsChanged(scope, clientId),
  });
  // Clients and cases need each other: a client's change opens its case, and a case's checks read
  // the client; `cases` is bound when the first change happens, long after both exist.
  const clients = createClientsService({
    db,
    audit,
    clock,
    vault,
    onClientChanged: (scope, change) => cases.onClientChanged(scope, change),
  });
  const checkRegistry = createCheckRegistry([
    createLocalDocumentCheck({ checkNumber: checkDocumentNumber }),
    createLocalRegistrationCheck({ checkNumber: checkRegistrationNumber }),
  ]);
  const checkConfig = checkRegistry.defaultConfig();
  const cases = createCasesService({
    db,
    audit,
    clock,
    vault,
    jobs,
    loadClient: (scope, clientId) => clients.loadClientForChecks(scope, clientId),
    screen: async (actor, queries) => (await screening.screen(actor, { queries })).results,
    currentEntities: (pairs) => screening.currentEntities(pairs),
    providersFor: (_tenantId, subject) => checkRegistry.providersFor(checkConfig, subject),
    analyseOwnership: (client, hits) => ownershipFacts(client, hits, analyseOwnership),
    risk: { saveProfile: risk.clients.saveProfile, evaluate: risk.clients.evaluate },
    logError: (error, caseId) =>
      logger.error({ err: error, caseId }, 'the immediate KYC check failed; its job retries it'),
  });

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
    vault,
    tenants,
    members,
    auth,
    authenticate,
    screening,
    risk,
    clients,
    cases,
    recordDenial,
    /** Seals outbox mail with the shared keyring (the outbox mailer's and the outbox listing's). */
    outboxSealer,
    /** Lists the mail outbox (development), opening the sealed messages. */
    listOutbox: (options: { limit: number; recipient?: string }) => listOutbox(db, outboxSealer, options),
    /** Seals personal data stored in clear by releases before the vault; run at start, before serving. */
    /** Sets up what a tenant created before a module existed lacks; run at start, before serving. */
    async installMissingDefaults(): Promise<void> {
      await risk.installMissingDefaults();
    },
    async sealLegacyPlaintext(): Promise<void> {
      await auth.sealLegacyPlaintext();
      await members.sealLegacyPlaintext();
      await sealLegacyOutbox(db, outboxSealer);
    },
    registerRoutes(app: HttpServer) {
      registerAuthRoutes(app, auth);
      registerAccountRoutes(app, auth);
      registerMemberRoutes(app, members);
      registerTenantRoutes(app, tenants);
      registerAuditRoutes(app, audit);
      registerVaultRoutes(app, vault);
      registerScreeningRoutes(app, screening);
      registerRiskRoutes(app, risk);
      registerClientsRoutes(app, clients);
      registerCaseRoutes(app, cases);
    },
  };
}
