/**
 * The HTTP server: Fastify with schema-validated routes (unknown fields rejected), request ids,
 * strict security headers, problem+json errors, metrics, health and the OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { HttpServer } from './http-server.ts';
import type { Logger } from '../platform/logger.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import cookie from '@fastify/cookie';
import { registerAuthGuard, type Authenticator, type DenialRecorder } from './auth-guard.ts';
import { registerHealthRoutes, type ReadinessProbe } from './health.routes.ts';
import { registerMetrics } from './metrics.ts';
import { handleError, problem, sendProblem } from './problem.ts';

/** What the server needs from the rest of the application. */
export type ServerOptions = {
  logger: Logger;
  bodyLimitBytes: number;
  trustProxy: false | number | string[];
  authenticate: Authenticator;
  recordDenial: DenialRecorder;
  /** The time, for step-up checks (tests move it). */
  clock?: Clock;
  readiness: ReadinessProbe;
  /** Registers the modules' routes (the composition root decides which). */
  registerRoutes: (app: HttpServer) => void | Promise<void>;
};

function trustHops(count: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < count;
}

const INCOMING_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

// Correlate with a caller's id when it is well-formed; otherwise mint one.
function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export type { HttpServer } from './http-server.ts';

/** Builds (but does not start) the HTTP server. */
export async function buildServer(options: ServerOptions): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    // A hop count means "trust that many proxies in front of us" (proxy-addr's hop semantics).
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : options.trustProxy,
    genReqId: requestIdFor,
    // Request logs carry the id under the same key as every other log line of the request.
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`, request),
    ),
  );
  // Responses finishing during shutdown close their connection, so a keep-alive client cannot
  // hold the server open after its in-flight request is done.
  let isClosing = false;
  app.addHook('preClose', async () => {
    isClosing = true;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (isClosing) reply.header('connection', 'close');
    reply.header('x-request-id', request.id);
    // API answers may carry tenant data; nothing may be cached by browsers or proxies.
    reply.header('cache-control', 'no-store');
    return payload;
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Diligence API', version: '0.1.0', description: 'KYC/AML compliance platform' },
    },
  });

  // Cookies are parsed, never signed: the session token is an opaque random value looked up by hash.
  await app.register(cookie);
  registerAuthGuard(app, options.authenticate, options.recordDenial, options.clock ?? systemClock);
  registerMetrics(app);
  registerHealthRoutes(app, options.readiness);
  app.get('/openapi.json', { schema: { hide: true }, config: { isPublic: true } }, async () => app.swagger());
  await options.registerRoutes(app);
  return app;
}
