/** Picks the Mailer the configuration asks for. */
import type { Kysely } from 'kysely';
import type { MailConfig } from '../../config.ts';
import type { Schema } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { Mailer, OutboxSealer } from './mailer.ts';
import { createOutboxMailer } from './outbox-mailer.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

/** The SMTP mailer when SMTP_URL is set, otherwise the database outbox. */
export function createMailer(
  config: MailConfig,
  { db, logger, sealer }: { db: Kysely<Schema>; logger: Pick<Logger, 'info' | 'warn'>; sealer: OutboxSealer },
): Mailer {
  if (config.kind === 'smtp') return createSmtpMailer({ url: config.url, from: config.from, logger });
  // Said once at start, so an operator who forgot SMTP_URL learns why nobody receives mail.
  logger.info('SMTP_URL is not set: mail is written to the database outbox, not sent');
  return createOutboxMailer({ db, sealer });
}
