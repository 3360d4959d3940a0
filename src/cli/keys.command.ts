/**
 * `diligence keys status | rotate | shred`: the vault's keys from the command line. Printing
 * shows ids, states and counts; never key material.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { systemActor } from '../platform/actor.ts';
import { toTenantId, type TenantId } from '../platform/db/scopes.ts';
import type { VaultStatus } from '../modules/vault/index.ts';
import { runCommand } from './cli-context.ts';
import { withModules } from './cli-modules.ts';

const CLI_ACTOR = systemActor('cli');

function keyringOption(value: string): TenantId {
  try {
    return toTenantId(value.toLowerCase());
  } catch {
    throw new InvalidArgumentError('expected a keyring id (a tenant UUID).');
  }
}

function printStatus(status: VaultStatus): void {
  console.log('Key-encryption keys:');
  for (const kek of status.keyEncryptionKeys)
    console.log(`  ${kek.id}  ${kek.state.padEnd(12)}  data keys: ${kek.dataKeys}  created ${kek.createdAt}`);
  console.log(`Keyrings: ${status.keyrings.length}`);
  for (const ring of status.keyrings) {
    const progress = ring.reencryption
      ? `re-encryption to v${ring.reencryption.targetVersion}: ${ring.reencryption.state}, ${ring.reencryption.rowsRewritten} rows rewritten`
      : 'no rotation yet';
    const shredded = ring.shreddedAt ? `  SHREDDED ${ring.shreddedAt}` : '';
    console.log(
      `  ${ring.keyringId}  active v${ring.activeVersion}  usable [${ring.usableVersions.join(', ')}]  ${progress}${shredded}`,
    );
  }
}

/** Adds the `keys` commands to the command tree. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('encryption keys of personal data (the vault)');
  keys
    .command('status')
    .description('show key-encryption keys, keyrings, key versions in use and re-encryption progress')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      runCommand(async () => {
        const status = await withModules((modules) => modules.vault.status());
        if (options.json) console.log(JSON.stringify(status));
        else printStatus(status);
      }),
    );
  keys
    .command('rotate')
    .description(
      'rotate keys: by default a new data-key version for every keyring (or one, --keyring), then re-encrypt; --kek for a new key-encryption key',
    )
    .option('--kek', 'create a new key-encryption key and re-wrap every data key under it')
    .option('--keyring <id>', 'rotate only this keyring (a tenant id)', keyringOption)
    .option('--no-wait', "only start: leave the re-encryption to the server's background workers")
    .action((options: { kek?: boolean; keyring?: TenantId; wait: boolean }) =>
      runCommand(() =>
        withModules(async (modules) => {
          if (options.kek) {
            const result = await modules.vault.rotateKek(CLI_ACTOR);
            console.log(
              `New key-encryption key ${result.kekId}: ${result.dataKeysRewrapped} data keys re-wrapped.`,
            );
            if (result.keksRetired.length > 0)
              console.log(
                `Retired: ${result.keksRetired.join(', ')}. Keep them in your key backup while backups made under them exist.`,
              );
            return;
          }
          const rotated = await modules.vault.rotateDataKeys(CLI_ACTOR, { keyringId: options.keyring });
          for (const ring of rotated) {
            console.log(`Keyring ${ring.keyringId}: new writes use key version ${ring.version}.`);
            if (!options.wait) continue;
            const run = await modules.vault.reencrypt(ring.keyringId);
            console.log(`  re-encrypted; retired versions: ${run.retiredVersions.join(', ') || 'none'}`);
          }
          if (rotated.length === 0) console.log('No keyring to rotate (nothing is sealed yet).');
        }),
      ),
    );
  keys
    .command('shred')
    .description("destroy a tenant's data keys: all its personal data becomes unreadable, for good")
    .requiredOption('--tenant <id>', 'the tenant whose keys are destroyed', keyringOption)
    .requiredOption('--confirm <id>', 'the same tenant id again, to confirm')
    .action((options: { tenant: TenantId; confirm: string }) =>
      runCommand(async () => {
        if (options.confirm.toLowerCase() !== options.tenant) {
          console.error('diligence: --confirm must repeat the tenant id exactly; nothing was destroyed.');
          return 1;
        }
        const result = await withModules((modules) => modules.vault.shredTenant(CLI_ACTOR, options.tenant));
        console.log(
          `Destroyed ${result.keysDestroyed} data keys of tenant ${options.tenant}; its personal data is unreadable.`,
        );
      }),
    );
}
