/**
 * Sends mail through an SMTP server (production). Failures become an AppError without the
 * server's reply: nodemailer's messages quote recipient addresses, which must not reach a log.
 */
import nodemailer from 'nodemailer';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Mailer, MailMessage } from './mailer.ts';

type Deps = { url: string; from: string; logger: Pick<Logger, 'info' | 'warn'> };

// What nodemailer adds to its errors; only these fields (no addresses) are kept.
type SmtpError = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
};

// Errors that mean no SMTP conversation took place, as opposed to a server saying no.
const UNREACHABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY']);

// A list such as "victim@example.com, attacker@example.net" would be parsed as two recipients
// and hand an invitation link to the second one, so a recipient is one plain address.
const SINGLE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

/** Throws unless `to` is exactly one plain address (no display name, no list). */
export function assertOneRecipient(to: string): void {
  if (to.length > 254 || !SINGLE_ADDRESS.test(to))
    throw new AppError('validation_failed', 'A mail recipient must be one plain email address.');
}

function toAppError(error: SmtpError): AppError {
  const code = error.code ?? '';
  if (UNREACHABLE_CODES.has(code))
    return new AppError('unavailable', 'Mail could not be sent: the mail server could not be reached.');
  if (code === 'EAUTH' || code === 'ENOAUTH')
    return new AppError('unavailable', 'Mail could not be sent: the mail server refused the login.');
  return new AppError('unavailable', 'Mail could not be sent: the mail server refused the message.');
}

/** A Mailer that hands each message to the SMTP server named by `url` (smtp:// or smtps://). */
export function createSmtpMailer({ url, from, logger }: Deps): Mailer {
  // One connection per message: mail is rare (invitations, resets), so a pool would mostly
  // hold idle sockets. Timeouts are short so a dead server fails a job, not blocks it for
  // minutes; query parameters in the URL still override them.
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });

  async function send(message: MailMessage): Promise<void> {
    assertOneRecipient(message.to);
    let info: { messageId: string; accepted: unknown[] };
    try {
      info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    } catch (error) {
      const { code, originalCode, responseCode, command } = error as SmtpError;
      logger.warn({ mail: { code, originalCode, responseCode, command } }, 'Mail not sent');
      throw toAppError(error as SmtpError);
    }
    logger.info({ mail: { messageId: info.messageId, recipients: info.accepted.length } }, 'Mail sent');
  }

  return { send };
}
