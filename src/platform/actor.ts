/**
 * Who is acting: passed as one object from the HTTP layer (or the CLI, or a job) to services.
 */
import type { TenantId } from './db/scopes.ts';

/** The kinds of actor the audit log distinguishes. */
export type ActorKind = 'user' | 'api_client' | 'system' | 'operator';

/** A permission string, `<module>:<action>`. */
export type Permission = `${string}:${string}`;

/** The authenticated principal behind a request or job. */
export type Actor = {
  readonly kind: ActorKind;
  /** Stable id of the user, API client or system component; never a name or email. */
  readonly id: string;
  /** The tenant the actor works in; null for platform operators and the system. */
  readonly tenantId: TenantId | null;
  readonly permissions: ReadonlySet<Permission>;
  /** When the actor last presented a second factor (step-up checks use it). */
  readonly secondFactorAt: Date | null;
  /** Roles held in `tenantId` (or `operator`), and teams: the attributes record policies read. */
  readonly roles: ReadonlySet<string>;
  readonly teams: ReadonlySet<string>;
  /** The session behind a signed-in person's request, if any. */
  readonly sessionId?: string;
};

/** The actor used by the command line and background work run by the platform itself. */
export function systemActor(id: string): Actor {
  return {
    kind: 'system',
    id,
    tenantId: null,
    permissions: new Set(),
    secondFactorAt: null,
    roles: new Set(),
    teams: new Set(),
  };
}
