/** What every sign-in use case needs, and the one way they write security events. */
import type { Kysely } from 'kysely';
import type { SessionConfig } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import type { AuditService } from '../audit/index.ts';
import type { Vault } from '../vault/index.ts';
import type { AuthAuditAction } from './auth.events.ts';

/** Dependencies of the auth use cases. */
export type AuthContext = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  /** Seals emails and TOTP secrets (the identity scope's shared keyring) and opens invitations. */
  vault: Pick<Vault, 'keyring'>;
  clock: Clock;
  sessions: SessionConfig;
  /** The origin people use; passkeys are bound to it. */
  publicUrl: URL;
};

/** Where a request came from. */
export type RequestInfo = { requestId?: string; sourceIp?: string; userAgent?: string };

/** Records one security event about a user in the platform's chain (ids only, never an email). */
export async function recordAuthEvent(
  scope: TenantScope,
  context: Pick<AuthContext, 'audit'>,
  event: {
    action: AuthAuditAction;
    userId: string;
    outcome?: 'success' | 'failure' | 'denied';
    info: RequestInfo;
    details?: Record<string, string | number | boolean | null>;
    actor?: { kind: 'user' | 'operator' | 'system'; id: string };
  },
): Promise<void> {
  await context.audit.record(scope, [
    {
      action: event.action,
      actor: event.actor ?? { kind: 'user', id: event.userId },
      outcome: event.outcome ?? 'success',
      target: { type: 'user', id: event.userId },
      requestId: event.info.requestId,
      sourceIp: event.info.sourceIp,
      details: event.details ?? {},
    },
  ]);
}
