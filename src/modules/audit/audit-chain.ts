/**
 * The hash chain: pure functions, no database. Each entry's hash is SHA-256 over a canonical
 * encoding of its fields, which include the previous entry's hash, so editing, deleting or
 * reordering any entry breaks every link after it.
 */
import { createHash } from 'node:crypto';
import type { AuditDetails, AuditEntry } from './audit.events.ts';

/** The previous-hash of a chain's first entry. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);
const GENESIS_HEX = GENESIS_HASH.toString('hex');

/**
 * Part of every hashed encoding. A future encoding would need the version stored per entry (a
 * new column) so that old entries still verify; version 1 is the only one so far.
 */
const ENCODING_VERSION = 1;

/**
 * An entry with every field in its canonical text form (sequence number as decimal, time as
 * ISO 8601 with milliseconds, hashes as hex). Verification reads links straight from the
 * database in this form, so it never converts a million values back and forth.
 */
export type ChainLink = {
  readonly tenantId: string;
  readonly seq: string;
  readonly id: string;
  readonly occurredAt: string;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly outcome: string;
  readonly requestId: string | null;
  readonly sourceIp: string | null;
  readonly details: AuditDetails;
  readonly prevHash: string;
  readonly hash: string;
};

/** The canonical text form of an entry. */
export function linkOf(entry: AuditEntry): ChainLink {
  return {
    ...entry,
    seq: entry.seq.toString(),
    occurredAt: entry.occurredAt.toISOString(),
    prevHash: entry.prevHash.toString('hex'),
    hash: entry.hash.toString('hex'),
  };
}

/**
 * The canonical string of an entry, the input to its hash: a JSON array in a fixed field order
 * (JSON string escaping is deterministic), with `details` as key-sorted pairs, because jsonb
 * does not keep key order.
 */
export function canonicalEncoding(link: Omit<ChainLink, 'hash'>): string {
  const details = Object.keys(link.details)
    .sort()
    .map((key) => [key, link.details[key]]);
  return JSON.stringify([
    ENCODING_VERSION,
    link.tenantId,
    link.seq,
    link.id,
    link.occurredAt,
    link.actorType,
    link.actorId,
    link.action,
    link.targetType,
    link.targetId,
    link.outcome,
    link.requestId,
    link.sourceIp,
    details,
    link.prevHash,
  ]);
}

/** SHA-256 of the canonical encoding, as hex. */
export function hashLink(link: Omit<ChainLink, 'hash'>): string {
  return createHash('sha256').update(canonicalEncoding(link)).digest('hex');
}

/** SHA-256 of an entry's canonical encoding (its `hash` field, if any, is ignored). */
export function hashEntry(entry: Omit<AuditEntry, 'hash'>): Buffer {
  return Buffer.from(hashLink(linkOf({ ...entry, hash: GENESIS_HASH })), 'hex');
}

/** Why a chain failed verification. */
export type ChainBreak = {
  readonly seq: bigint;
  readonly id: string | null;
  readonly reason: 'sequence_gap' | 'previous_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';
  readonly message: string;
};

/** The running state of a verification, fed links in order. */
export type ChainVerifier = {
  /** Checks the next link; returns the first break, or null while the chain holds. */
  check(link: ChainLink): ChainBreak | null;
  /** Checks the end of the chain against the stored head (catches a truncated tail). */
  finish(head: { lastSeq: bigint; lastHash: Buffer } | null): ChainBreak | null;
  readonly checked: number;
};

function chainBreak(
  seq: bigint,
  id: string | null,
  reason: ChainBreak['reason'],
  message: string,
): ChainBreak {
  return { seq, id, reason, message };
}

/** Starts verifying a chain from its first entry. */
export function createChainVerifier(): ChainVerifier {
  let expectedSeq = 1;
  let previousHash = GENESIS_HEX;
  return {
    get checked() {
      return expectedSeq - 1;
    },
    check(link) {
      const seq = BigInt(expectedSeq);
      if (link.seq !== String(expectedSeq)) {
        return chainBreak(seq, link.id, 'sequence_gap', `Entry ${seq} is missing (found ${link.seq} next).`);
      }
      if (link.prevHash !== previousHash) {
        const message = `Entry ${seq} does not link to entry ${seq - 1n}: an entry was removed, inserted or reordered.`;
        return chainBreak(seq, link.id, 'previous_hash_mismatch', message);
      }
      if (hashLink(link) !== link.hash) {
        return chainBreak(seq, link.id, 'hash_mismatch', `Entry ${seq} was altered after it was written.`);
      }
      expectedSeq += 1;
      previousHash = link.hash;
      return null;
    },
    finish(head) {
      const lastSeq = BigInt(expectedSeq - 1);
      if (head === null) {
        if (lastSeq === 0n) return null;
        return chainBreak(lastSeq, null, 'head_mismatch', 'The chain has entries but no recorded head.');
      }
      if (head.lastSeq !== lastSeq || head.lastHash.toString('hex') !== previousHash) {
        const message = `The chain ends at entry ${lastSeq} but its head records entry ${head.lastSeq}: entries were removed from the end.`;
        return chainBreak(lastSeq + 1n, null, 'head_mismatch', message);
      }
      return null;
    },
  };
}
