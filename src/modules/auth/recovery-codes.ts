/**
 * One-time recovery codes for a lost second factor: 10 codes of 100 random bits, written in
 * Crockford's base32 (lowercase, no i, l, o or u) so they survive being printed and typed again.
 */
import { createHash, randomBytes } from 'node:crypto';

/** How many codes a person gets at a time. */
export const RECOVERY_CODE_COUNT = 10;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 4;
const GROUP_LENGTH = 5;
const CODE_LENGTH = GROUPS * GROUP_LENGTH; // 20 characters of 5 bits: 100 bits
// Generous room for the dashes and spaces people add; anything longer is not a code.
const MAX_INPUT_LENGTH = 64;
// ALPHABET as a character class, CODE_LENGTH long (a literal, so no pattern is built at run time).
const NORMALISED_FORMAT = /^[0-9a-hjkmnp-tv-z]{20}$/;

function createCode(): string {
  // 32 divides 256, so taking 5 bits of each byte keeps every character equally likely.
  const characters = [...randomBytes(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
  const groups = Array.from({ length: GROUPS }, (_, index) =>
    characters.slice(index * GROUP_LENGTH, (index + 1) * GROUP_LENGTH),
  );
  return groups.join('-');
}

function hashNormalised(normalised: string): Buffer {
  // SHA-256 without stretching suffices: a code has 100 random bits, too many to guess from a leak.
  return createHash('sha256').update(normalised, 'utf8').digest();
}

/**
 * The stored form of what someone typed, or null when it cannot be a code (callers refuse without a
 * lookup). Dashes, spaces and case do not matter; o reads as 0 and i or l as 1, as Crockford intends.
 */
export function hashRecoveryCode(input: string): Buffer | null {
  if (input.length > MAX_INPUT_LENGTH) return null;
  const normalised = input.replace(/[\s-]/g, '').toLowerCase().replace(/o/g, '0').replace(/[il]/g, '1');
  return NORMALISED_FORMAT.test(normalised) ? hashNormalised(normalised) : null;
}

/** A fresh set of codes to show once, and their hashes to store (same order). */
export function createRecoveryCodes(): { codes: string[]; hashes: Buffer[] } {
  const codes = new Set<string>();
  // A repeat among 10 codes of 100 bits will not happen; the loop makes "10 distinct" a certainty.
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(createCode());
  const list = [...codes];
  return { codes: list, hashes: list.map((code) => hashNormalised(code.replaceAll('-', ''))) };
}
