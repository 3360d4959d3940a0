/**
 * Password hashing with argon2id. Passwords are NFKC-normalised before hashing, as NIST SP 800-63B
 * asks, so the same password typed on two keyboards (composed or decomposed accents) still matches.
 */
import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Options } from '@node-rs/argon2';

// The package's `Algorithm` and `Version` are ambient const enums, which isolated modules cannot read.
const ARGON2ID = 2;
const VERSION_0x13 = 1;
const OUTPUT_BYTES = 32;

/**
 * Cost of one hash: 64 MiB, 3 passes, 1 lane — about 105 ms on the 2-core reference machine
 * (bench/argon2.bench.ts), above OWASP's minimum (19 MiB, t=2) and within the 50–250 ms budget.
 */
export const PASSWORD_HASH_PARAMETERS = { memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const;

const HASH_OPTIONS: Options = {
  ...PASSWORD_HASH_PARAMETERS,
  algorithm: ARGON2ID,
  version: VERSION_0x13,
  outputLen: OUTPUT_BYTES,
};

// A stored hash names its own cost. Verifying one that asks for gigabytes (a corrupted or planted
// row) would stall the server for seconds per attempt, so costs far above ours count as malformed.
const COST_CEILING = {
  memoryCost: PASSWORD_HASH_PARAMETERS.memoryCost * 4,
  timeCost: PASSWORD_HASH_PARAMETERS.timeCost * 4,
  parallelism: 4,
} as const;

function normalise(password: string): string {
  return password.normalize('NFKC');
}

/** Hashes a password with the current parameters; the result is a PHC string with its own salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), HASH_OPTIONS);
}

/** Whether the password matches the hash; false (never a throw) when the hash is malformed. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  if (!isWithinCostCeiling(hashed)) return false;
  try {
    return await verify(hashed, normalise(password));
  } catch {
    return false;
  }
}

function isWithinCostCeiling(hashed: string): boolean {
  try {
    const stored = parseOptions(hashed);
    return (
      stored.memoryCost <= COST_CEILING.memoryCost &&
      stored.timeCost <= COST_CEILING.timeCost &&
      stored.parallelism <= COST_CEILING.parallelism
    );
  } catch {
    return false;
  }
}

// Computed on first use rather than at import, so loading the module costs no hashing; the hashed
// value is random and discarded, so no password can ever match it.
let dummyHash: Promise<string> | undefined;

function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url')).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

/** Spends one verification's worth of time when the account does not exist, so timing cannot reveal it. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await getDummyHash(), password);
  return false;
}

/** Whether the hash was made with other parameters than the current ones (rehash after a good sign-in). */
export function needsRehash(hashed: string): boolean {
  try {
    const stored = parseOptions(hashed);
    return (
      stored.algorithm !== ARGON2ID ||
      stored.version !== VERSION_0x13 ||
      stored.outputLen !== OUTPUT_BYTES ||
      stored.memoryCost !== PASSWORD_HASH_PARAMETERS.memoryCost ||
      stored.timeCost !== PASSWORD_HASH_PARAMETERS.timeCost ||
      stored.parallelism !== PASSWORD_HASH_PARAMETERS.parallelism
    );
  } catch {
    // Unreadable: whatever made it, a fresh hash is better.
    return true;
  }
}
