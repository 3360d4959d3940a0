/**
 * The shape of an audit record. Entries hold ids only: no names, emails, dates of birth or
 * document numbers, in any field, including `details`.
 */
import type { ActorKind } from '../../platform/actor.ts';

/** `<module>.<past-tense-verb>`, e.g. `tenant.created`. */
export type AuditAction = `${string}.${string}`;

/** What happened to the attempted action. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Small, id-only context values. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

/** One event to append to a tenant's (or the platform's) chain. */
export type AuditEvent = {
  readonly action: AuditAction;
  readonly actor: { readonly kind: ActorKind; readonly id: string | null };
  readonly outcome: AuditOutcome;
  readonly target?: { readonly type: string; readonly id: string };
  readonly requestId?: string;
  readonly sourceIp?: string;
  readonly details?: AuditDetails;
  /** Defaults to now. */
  readonly occurredAt?: Date;
};

/** A stored, chained entry as read back from the log. */
export type AuditEntry = {
  readonly tenantId: string;
  readonly seq: bigint;
  readonly id: string;
  readonly occurredAt: Date;
  readonly actorType: ActorKind;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly outcome: AuditOutcome;
  readonly requestId: string | null;
  readonly sourceIp: string | null;
  readonly details: AuditDetails;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
};
