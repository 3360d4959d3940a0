/** Outgoing mail. Messages carry links and ids; callers send after their transaction commits. */

/** One plain-text message to one recipient. */
export type MailMessage = { to: string; subject: string; text: string };

/** Delivers mail; rejects when the message could not be handed over. */
export type Mailer = { send(message: MailMessage): Promise<void> };
