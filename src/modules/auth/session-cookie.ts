/**
 * The session cookie and the CSRF header. The cookie is `__Host-` prefixed (Secure, Path=/, no
 * Domain: no subdomain can set or read it), HttpOnly (scripts cannot read it) and SameSite=Lax.
 * Cookie-authenticated requests that change state must also echo the session's CSRF token in a
 * header, which a cross-site form cannot do.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie's name. */
export const SESSION_COOKIE = '__Host-diligence-session';

/** The header carrying the CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the method cannot change state, so no CSRF token is needed. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The session token the request carries, if any. */
export function readSessionToken(request: FastifyRequest): string | null {
  const value = request.cookies[SESSION_COOKIE];
  return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : null;
}

/** The CSRF token the request carries, if any. */
export function readCsrfToken(request: FastifyRequest): string | null {
  const value = request.headers[CSRF_HEADER];
  return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : null;
}

/** Sets the session cookie; it lives no longer than the session's absolute lifetime. */
export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    expires: expiresAt,
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });
}
