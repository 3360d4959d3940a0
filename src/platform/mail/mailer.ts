/** Outgoing mail. Messages carry links and ids; callers send after their transaction commits. */
import type { TenantScope } from '../db/scopes.ts';

/** One plain-text message to one recipient. */
export type MailMessage = { to: string; subject: string; text: string };

/** Delivers mail; rejects when the message could not be handed over. */
export type Mailer = { send(message: MailMessage): Promise<void> };

/**
 * Seals outbox messages at rest. The vault provides it (platform code cannot import modules);
 * `forScope` opens the keyring once for a transaction.
 */
export type OutboxSealer = {
  forScope(scope: TenantScope): Promise<{
    seal(messageId: string, message: MailMessage): Buffer;
    open(messageId: string, sealed: Buffer): MailMessage;
  }>;
};
