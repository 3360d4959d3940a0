/**
 * The hash chain: pure functions, no database. Each entry's hash is SHA-256 over a canonical
 * encoding of its fields, which include the previous entry's hash, so editing, deleting or
 * reordering any entry breaks every link after it.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit.events.ts';

/** The previous-hash of a chain's first entry. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Bumped if the canonical encoding ever changes, so old entries still verify. */
const ENCODING_VERSION = 1;

/** The fields an entry's hash covers. */
export type ChainedFields = Omit<AuditEntry, 'hash'>;

/**
 * The canonical string of an entry, the input to its hash: a JSON array in a fixed field order
 * (JSON string escaping is deterministic), with `details` as key-sorted pairs, because jsonb
 * does not keep key order.
 */
export function canonicalEncoding(entry: ChainedFields): string {
  const details = Object.keys(entry.details)
    .sort()
    .map((key) => [key, entry.details[key]]);
  return JSON.stringify([
    ENCODING_VERSION,
    entry.tenantId,
    entry.seq.toString(),
    entry.id,
    entry.occurredAt.toISOString(),
    entry.actorType,
    entry.actorId,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.outcome,
    entry.requestId,
    entry.sourceIp,
    details,
    entry.prevHash.toString('hex'),
  ]);
}

/** SHA-256 of the canonical encoding. */
export function hashEntry(entry: ChainedFields): Buffer {
  return createHash('sha256').update(canonicalEncoding(entry)).digest();
}

/** Why a chain failed verification. */
export type ChainBreak = {
  readonly seq: bigint;
  readonly id: string | null;
  readonly reason: 'sequence_gap' | 'previous_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';
  readonly message: string;
};

/** The running state of a verification, fed entries in order. */
export type ChainVerifier = {
  /** Checks the next entry; returns the first break, or null while the chain holds. */
  check(entry: AuditEntry): ChainBreak | null;
  /** Checks the end of the chain against the stored head (catches a truncated tail). */
  finish(head: { lastSeq: bigint; lastHash: Buffer } | null): ChainBreak | null;
  readonly checked: number;
};

/** Starts verifying a chain from its first entry. */
export function createChainVerifier(): ChainVerifier {
  let expectedSeq = 1n;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  return {
    get checked() {
      return checked;
    },
    check(entry) {
      if (entry.seq !== expectedSeq) {
        return {
          seq: expectedSeq,
          id: entry.id,
          reason: 'sequence_gap',
          message: `Entry ${expectedSeq} is missing (found ${entry.seq} next).`,
        };
      }
      if (!entry.prevHash.equals(previousHash)) {
        return {
          seq: entry.seq,
          id: entry.id,
          reason: 'previous_hash_mismatch',
          message: `Entry ${entry.seq} does not link to entry ${entry.seq - 1n}: an entry was removed, inserted or reordered.`,
        };
      }
      if (!hashEntry(entry).equals(entry.hash)) {
        return {
          seq: entry.seq,
          id: entry.id,
          reason: 'hash_mismatch',
          message: `Entry ${entry.seq} was altered after it was written.`,
        };
      }
      checked += 1;
      expectedSeq += 1n;
      previousHash = entry.hash;
      return null;
    },
    finish(head) {
      const lastSeq = expectedSeq - 1n;
      if (head === null) {
        if (lastSeq === 0n) return null;
        return {
          seq: lastSeq,
          id: null,
          reason: 'head_mismatch',
          message: 'The chain has entries but no recorded head.',
        };
      }
      if (head.lastSeq !== lastSeq || !head.lastHash.equals(previousHash)) {
        return {
          seq: lastSeq + 1n,
          id: null,
          reason: 'head_mismatch',
          message: `The chain ends at entry ${lastSeq} but its head records entry ${head.lastSeq}: entries were removed from the end.`,
        };
      }
      return null;
    },
  };
}
