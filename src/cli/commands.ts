/** The `diligence` command: serve, migrate, tenant and audit commands. */
import { Command, InvalidArgumentError } from 'commander';
import { systemActor } from '../platform/actor.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrator.ts';
import { PLATFORM_SCOPE_ID, toTenantId, type TenantId } from '../platform/db/scopes.ts';
import { startDiligence, stopOnSignals } from '../main.ts';
import { withModules } from './cli-modules.ts';
import { registerKeyCommands } from './keys.command.ts';
import { createCliContext, runCommand } from './cli-context.ts';
import { registerMailCommands } from './mail.command.ts';
import { registerRiskCommands } from './risk.command.ts';
import { registerScreeningCommands } from './screening.command.ts';
import { validateEmailOption } from './account-input.ts';
import { validateCreateTenant } from './tenant-input.ts';

const CLI_ACTOR = systemActor('cli');

function tenantIdOption(value: string): TenantId {
  try {
    return toTenantId(value.toLowerCase());
  } catch {
    throw new InvalidArgumentError('expected a tenant id (a UUID).');
  }
}

async function serve(): Promise<void> {
  const { config, logger } = createCliContext();
  const app = await startDiligence(config, { logger });
  logger.info({ url: app.url, roles: [...config.roles] }, 'Diligence is running');
  stopOnSignals(app, { logger, timeoutMs: config.shutdownTimeoutMs });
}

/** Builds the command tree. */
export function buildCli(): Command {
  const program = new Command('diligence')
    .description('Diligence: KYC/AML compliance platform')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('serve')
    .description('start the server (migrates the database first); configuration comes from the environment')
    .action(() => runCommand(serve));

  program
    .command('migrate')
    .description('apply pending database migrations atomically, then exit')
    .action(() =>
      runCommand(async () => {
        const { config } = createCliContext();
        const database = await openDatabase(config.database);
        try {
          const report = await migrate(database.adminPool);
          console.log(
            report.applied.length === 0
              ? 'The database is up to date.'
              : `Applied: ${report.applied.join(', ')}`,
          );
        } finally {
          await database.close();
        }
      }),
    );

  const tenant = program.command('tenant').description('manage tenants (customer organisations)');
  tenant
    .command('create')
    .description('create a tenant and print its id')
    .requiredOption('--slug <slug>', 'short URL-safe name: lowercase letters, digits and dashes')
    .requiredOption('--name <name>', "the organisation's display name")
    .option('--json', 'print the tenant as JSON')
    .action((options: { slug: string; name: string; json?: boolean }) =>
      runCommand(async () => {
        const input = validateCreateTenant(options);
        const created = await withModules((modules) => modules.tenants.createTenant(CLI_ACTOR, input));
        console.log(options.json ? JSON.stringify(created) : `Created tenant ${created.slug}: ${created.id}`);
      }),
    );
  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      runCommand(async () => {
        const tenants = await withModules((modules) => modules.tenants.listTenants(CLI_ACTOR));
        if (options.json) console.log(JSON.stringify(tenants));
        else for (const row of tenants) console.log(`${row.id}  ${row.slug}  ${row.status}`);
      }),
    );

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('walk audit chains and report the first broken link (exit code 1 if any chain is broken)')
    .option('--tenant <id>', "verify only this tenant's chain", tenantIdOption)
    .option('--platform', "verify only the platform's own chain")
    .action((options: { tenant?: TenantId; platform?: boolean }) =>
      runCommand(async () =>
        withModules(async (modules) => {
          const chains: TenantId[] = options.tenant
            ? [options.tenant]
            : options.platform
              ? [PLATFORM_SCOPE_ID as TenantId]
              : [
                  PLATFORM_SCOPE_ID as TenantId,
                  ...(await modules.tenants.listTenants(CLI_ACTOR, 1_000_000)).map((row) =>
                    toTenantId(row.id),
                  ),
                ];
          let broken = 0;
          for (const chain of chains) {
            const result = await modules.audit.verifyChain(chain);
            const label = chain === PLATFORM_SCOPE_ID ? 'platform' : chain;
            if (result.broken) {
              broken += 1;
              console.log(
                `BROKEN  ${label}  at entry ${result.broken.seq}: ${result.broken.message} (${result.entriesChecked} entries intact before it)`,
              );
            } else {
              console.log(`ok      ${label}  ${result.entriesChecked} entries`);
            }
          }
          return broken === 0 ? 0 : 1;
        }),
      ),
    );
  const admin = program.command('admin').description('platform operators (the people who run Diligence)');
  admin
    .command('create')
    .description('create a platform operator and print a one-time link to set a password and a second factor')
    .requiredOption('--email <email>', "the operator's email address")
    .action((options: { email: string }) =>
      runCommand(async () => {
        const email = validateEmailOption(options.email);
        const created = await withModules((modules) => modules.auth.createOperator(email));
        console.log(`Created operator ${created.userId}.`);
        console.log(
          `Open this link once, before ${created.expiresAt.toISOString()}, to set a password and enrol a second factor:`,
        );
        console.log(created.setupLink);
      }),
    );
  tenant
    .command('invite-admin')
    .description(
      "invite a tenant's first administrator by email (the invitation is mailed, or kept in the outbox)",
    )
    .requiredOption('--tenant <id>', 'the tenant id', tenantIdOption)
    .requiredOption('--email <email>', "the administrator's email address")
    .action((options: { tenant: TenantId; email: string }) =>
      runCommand(async () => {
        const email = validateEmailOption(options.email);
        const invitation = await withModules((modules) =>
          modules.members.inviteTenantAdmin(CLI_ACTOR, options.tenant, email),
        );
        console.log(`Invited ${invitation.id}; it expires at ${invitation.expiresAt}.`);
      }),
    );
  registerMailCommands(program);
  registerKeyCommands(program);
  registerScreeningCommands(program);
  registerRiskCommands(program);
  return program;
}
