/** Runs the real `diligence` command in a child process against an embedded data folder. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../bin/diligence.js', import.meta.url));

/**
 * Runs `diligence <args>` with its data in `dataDir` (never a server's DATABASE_URL); `extraEnv`
 * adds or overrides variables.
 */
export function runDiligence(
  { dataDir, extraEnv = {} }: { dataDir: string; extraEnv?: Record<string, string> },
  ...args: string[]
): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DILIGENCE_DATA_DIR: dataDir, ...extraEnv };
  delete env.DATABASE_URL;
  if (!('LOG_LEVEL' in extraEnv)) delete env.LOG_LEVEL;
  return spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}
