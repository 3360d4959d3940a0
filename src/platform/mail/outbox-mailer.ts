/**
 * Mail written to the `mail_outbox` table instead of being sent: development and tests read
 * invitation and reset links from there (`diligence mail outbox`, `listOutbox`).
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { withPlatform } from '../db/scopes.ts';
import type { Mailer, MailMessage } from './mailer.ts';
import { assertOneRecipient } from './smtp-mailer.ts';

/** A message as it sits in the outbox. */
export type OutboxMessage = MailMessage & { id: string; createdAt: Date };

/** The most messages one listing returns. */
export const OUTBOX_LIST_MAX = 1000;

/** A Mailer that stores each message in the outbox, in its own transaction. */
export function createOutboxMailer({ db }: { db: Kysely<Schema> }): Mailer {
  return {
    async send(message: MailMessage): Promise<void> {
      // The same check as the SMTP mailer, so what works in development works in production.
      assertOneRecipient(message.to);
      // Only the platform scope may touch the outbox (row-level security): no tenant reads it.
      await withPlatform(db, (scope) =>
        scope.trx
          .insertInto('mail_outbox')
          .values({ recipient: message.to, subject: message.subject, body: message.text })
          .execute(),
      );
    },
  };
}

/** Lists outbox messages, newest first, optionally only those to one address (case-insensitive). */
export async function listOutbox(
  db: Kysely<Schema>,
  { limit, recipient }: { limit: number; recipient?: string },
): Promise<OutboxMessage[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > OUTBOX_LIST_MAX)
    throw new RangeError(`limit must be a whole number from 1 to ${OUTBOX_LIST_MAX}`);
  const rows = await withPlatform(db, (scope) => {
    let query = scope.trx
      .selectFrom('mail_outbox')
      .select(['id', 'recipient', 'subject', 'body', 'created_at'])
      // The id breaks ties between messages written in the same microsecond, so order is stable.
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    // Domains are case-insensitive and people retype addresses with other capitals.
    if (recipient !== undefined) query = query.where(sql`lower(recipient)`, '=', recipient.toLowerCase());
    return query.execute();
  });
  return rows.map((row) => ({
    id: row.id,
    to: row.recipient,
    subject: row.subject,
    text: row.body,
    createdAt: row.created_at,
  }));
}
