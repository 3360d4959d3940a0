/**
 * Random bearer tokens (session ids, invitation and CSRF tokens): the token goes to its holder once,
 * only its SHA-256 hash is stored, and comparisons take the same time wherever the bytes differ.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Below 128 bits a token could be guessed online (OWASP's floor for session identifiers).
const MIN_TOKEN_BYTES = 16;

/** A new random token of `bytes` random bytes (256 bits by default), base64url without padding. */
export function createToken(bytes = 32): string {
  if (!Number.isSafeInteger(bytes) || bytes < MIN_TOKEN_BYTES)
    throw new RangeError(`A token needs at least ${MIN_TOKEN_BYTES} random bytes.`);
  return randomBytes(bytes).toString('base64url');
}

/**
 * The SHA-256 of a token, the form it is stored and looked up in. A plain hash (no salt, no
 * stretching) is enough: tokens carry 128+ random bits, so there is nothing to guess from a leak.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Whether two hashes are equal, in time independent of where they differ. */
export function tokensEqual(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual throws on different lengths; the length of a hash is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}
