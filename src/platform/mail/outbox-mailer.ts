/**
 * Mail written to the `mail_outbox` table instead of being sent: development and tests read
 * invitation and reset links from there (`diligence mail outbox`, `listOutbox`).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { withPlatform } from '../db/scopes.ts';
import type { Mailer, MailMessage, OutboxSealer } from './mailer.ts';
import { assertOneRecipient } from './smtp-mailer.ts';

/** A message as it sits in the outbox. */
export type OutboxMessage = MailMessage & { id: string; createdAt: Date };

/** The most messages one listing returns. */
export const OUTBOX_LIST_MAX = 1000;

/** A Mailer that stores each message, sealed, in the outbox, in its own transaction. */
export function createOutboxMailer({ db, sealer }: { db: Kysely<Schema>; sealer: OutboxSealer }): Mailer {
  return {
    async send(message: MailMessage): Promise<void> {
      // The same check as the SMTP mailer, so what works in development works in production.
      assertOneRecipient(message.to);
      // Only the platform scope may touch the outbox (row-level security): no tenant reads it.
      // Sealed: the outbox holds addresses and live links, which a database dump must not reveal.
      await withPlatform(db, async (scope) => {
        const id = randomUUID();
        const sealed = (await sealer.forScope(scope)).seal(id, {
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
        await scope.trx.insertInto('mail_outbox').values({ id, message_sealed: sealed }).execute();
      });
    },
  };
}

/** Lists outbox messages, newest first, optionally only those to one address (case-insensitive). */
export async function listOutbox(
  db: Kysely<Schema>,
  sealer: OutboxSealer,
  { limit, recipient }: { limit: number; recipient?: string },
): Promise<OutboxMessage[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > OUTBOX_LIST_MAX)
    throw new RangeError(`limit must be a whole number from 1 to ${OUTBOX_LIST_MAX}`);
  return withPlatform(db, async (scope) => {
    const opener = await sealer.forScope(scope);
    const messages: OutboxMessage[] = [];
    // Addresses are sealed, so a recipient filter reads messages page by page until enough match.
    for (let offset = 0; messages.length < limit; offset += OUTBOX_LIST_MAX) {
      const rows = await scope.trx
        .selectFrom('mail_outbox')
        .select(['id', 'message_sealed', 'created_at'])
        .where('message_sealed', 'is not', null)
        // The id breaks ties between messages written in the same microsecond, so order is stable.
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(OUTBOX_LIST_MAX)
        .offset(offset)
        .execute();
      for (const row of rows) {
        const message = opener.open(row.id, row.message_sealed!);
        // Domains are case-insensitive and people retype addresses with other capitals.
        if (recipient !== undefined && message.to.toLowerCase() !== recipient.toLowerCase()) continue;
        messages.push({ ...message, id: row.id, createdAt: row.created_at });
        if (messages.length === limit) break;
      }
      if (rows.length < OUTBOX_LIST_MAX) break;
    }
    return messages;
  });
}

/** Seals outbox rows written before messages were sealed (run once at start). */
export async function sealLegacyOutbox(db: Kysely<Schema>, sealer: OutboxSealer): Promise<number> {
  return withPlatform(db, async (scope) => {
    const rows = await scope.trx
      .selectFrom('mail_outbox')
      .select(['id', 'recipient', 'subject', 'body'])
      .where('message_sealed', 'is', null)
      .execute();
    if (rows.length === 0) return 0;
    const sealer_ = await sealer.forScope(scope);
    for (const row of rows) {
      const sealed = sealer_.seal(row.id, {
        to: row.recipient ?? '',
        subject: row.subject ?? '',
        text: row.body ?? '',
      });
      await scope.trx
        .updateTable('mail_outbox')
        .set({ message_sealed: sealed, recipient: null, subject: null, body: null })
        .where('id', '=', row.id)
        .execute();
    }
    return rows.length;
  });
}
