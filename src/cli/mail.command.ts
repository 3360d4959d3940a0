/** `diligence mail outbox`: shows the mail stored in the database outbox instead of being sent. */
import { InvalidArgumentError, type Command } from 'commander';
import { OUTBOX_LIST_MAX, type OutboxMessage } from '../platform/mail/outbox-mailer.ts';
import { createCliContext, runCommand } from './cli-context.ts';
import { withModules } from './cli-modules.ts';

function limitOption(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > OUTBOX_LIST_MAX)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${OUTBOX_LIST_MAX}.`);
  return limit;
}

function addressOption(value: string): string {
  if (value.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(value))
    throw new InvalidArgumentError('expected an email address.');
  return value;
}

function printMessage(message: OutboxMessage): void {
  console.log(`${message.createdAt.toISOString()}  ${message.to}  ${message.subject}`);
  // Indented so that a body line can never be mistaken for the next message's header line.
  for (const line of message.text.split('\n')) console.log(`    ${line}`);
  console.log('');
}

async function showOutbox(options: { limit: number; to?: string; json?: boolean }): Promise<void> {
  const { config } = createCliContext({ isQuiet: true });
  if (config.mail.kind === 'smtp')
    console.error('diligence: SMTP_URL is set, so new mail is sent, not stored; showing older outbox mail.');
  // Like the other one-shot commands: a fresh data folder works without a separate migrate.
  const messages = await withModules((modules) =>
    modules.listOutbox({ limit: options.limit, recipient: options.to }),
  );
  if (options.json) console.log(JSON.stringify(messages));
  else if (messages.length === 0) console.log('The outbox is empty.');
  else for (const message of messages) printMessage(message);
}

/** Adds `diligence mail outbox [--limit N] [--to ADDRESS] [--json]` to the command tree. */
export function registerMailCommands(program: Command): void {
  const mail = program.command('mail').description('outgoing mail');
  mail
    .command('outbox')
    .description('list mail written to the database outbox (when SMTP_URL is not set), newest first')
    .option('--limit <n>', `how many messages to show (1-${OUTBOX_LIST_MAX})`, limitOption, 20)
    .option('--to <address>', 'only mail to this address (case-insensitive)', addressOption)
    .option('--json', 'print JSON')
    .action((options: { limit: number; to?: string; json?: boolean }) =>
      runCommand(() => showOutbox(options)),
    );
}
