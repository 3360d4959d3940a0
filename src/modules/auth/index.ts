/** The auth module's public surface. */
export { createAuthService, type AuthService } from './auth.service.ts';
export { AUTH_SEALED_TABLES } from './auth.sealing.ts';
export { registerAuthRoutes } from './auth.routes.ts';
export { registerAccountRoutes } from './account.routes.ts';
export { createSessionAuthenticator } from './sessions.service.ts';
export { SESSION_COOKIE, CSRF_HEADER } from './session-cookie.ts';
export { PASSWORD_HASH_PARAMETERS } from './password-hasher.ts';
