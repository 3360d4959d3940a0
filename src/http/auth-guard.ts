/**
 * Deny unless allowed. Every route is private unless it says `config: { isPublic: true }`; a
 * private route names the permission it needs, and a sensitive one asks for a recent second
 * factor (step-up).
 */
import type { FastifyRequest } from 'fastify';
import type { HttpServer } from './http-server.ts';
import type { Actor, Permission } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';

/** Turns a request's credentials into an actor, or null when there are none or they are bad. */
export type Authenticator = (request: FastifyRequest) => Promise<Actor | null>;

/** Records a refused request (in the audit log, through the composition root). */
export type DenialRecorder = (
  request: FastifyRequest,
  actor: Actor | null,
  reason: 'unauthenticated' | 'forbidden',
) => Promise<void>;

/** The authenticator of a server with no sign-in configured: nobody gets in. */
export const refuseEveryone: Authenticator = async () => null;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Open to anyone (health, metrics, the API description). */
    isPublic?: boolean;
    /** The permission a caller must hold. */
    permission?: Permission;
    /** A sensitive action: the caller must have presented a second factor in the last 5 minutes. */
    requiresRecentSecondFactor?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller (null on public routes). */
    actor: Actor | null;
  }
}

/** The authenticated actor of a private route (the guard has already run). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Sign in to use this endpoint.');
  return request.actor;
}

/** Installs the guard as the first hook of every request. */
export function registerAuthGuard(
  app: HttpServer,
  authenticate: Authenticator,
  recordDenial: DenialRecorder,
  clock: Clock,
): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unmatched URLs fall through to the 404 handler; they expose nothing.
    if (config.isPublic || request.routeOptions.url === undefined) return;
    const actor = await authenticate(request);
    if (!actor) {
      await recordDenial(request, null, 'unauthenticated');
      throw new AppError('unauthenticated', 'Sign in to use this endpoint.');
    }
    const permission = config.permission;
    if (permission === undefined || !actor.permissions.has(permission)) {
      await recordDenial(request, actor, 'forbidden');
      throw new AppError('forbidden', 'Your role does not allow this action.');
    }
    if (config.requiresRecentSecondFactor) assertRecentSecondFactor(actor, clock.now());
    request.actor = actor;
  });
}

/** How recent a second factor must be for a sensitive action. */
export const STEP_UP_WINDOW_MS = 5 * 60_000;

/** Throws step_up_required unless the actor presented a second factor within the window. */
export function assertRecentSecondFactor(actor: Actor, now: Date): void {
  if (!hasRecentSecondFactor(actor, now))
    throw new AppError(
      'step_up_required',
      'Confirm it is you: present your second factor again (POST /v1/auth/step-up), then retry.',
    );
}

/** True when the actor presented a second factor within the step-up window. */
export function hasRecentSecondFactor(actor: Actor, now: Date): boolean {
  return actor.secondFactorAt !== null && now.getTime() - actor.secondFactorAt.getTime() <= STEP_UP_WINDOW_MS;
}
