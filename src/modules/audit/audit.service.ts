/**
 * Appends to and verifies the tamper-evident audit log. `record` runs inside the caller's
 * transaction, so an event is stored exactly when the change it describes is.
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { withTenant, type TenantId, type TenantScope } from '../../platform/db/scopes.ts';
import { createChainVerifier, hashEntry, type ChainBreak } from './audit-chain.ts';
import type { AuditEntry, AuditEvent } from './audit.events.ts';
import * as repo from './audit.repo.ts';

/** The result of walking one chain. */
export type ChainVerification = {
  readonly tenantId: string;
  readonly entriesChecked: number;
  readonly broken: ChainBreak | null;
};

const VERIFY_PAGE_SIZE = 10_000n;
const YIELD_EVERY = 500;

const MAX_DETAIL_KEYS = 20;
const MAX_DETAIL_STRING = 200;
const LATEST_TIME = Date.UTC(9999, 11, 31);

// Details are small, id-only and must survive the jsonb round trip unchanged, or the stored
// entry would no longer hash to what was written.
function assertValidEvent(event: AuditEvent): void {
  const entries = Object.entries(event.details ?? {});
  if (entries.length > MAX_DETAIL_KEYS)
    throw new TypeError(`${event.action}: at most ${MAX_DETAIL_KEYS} details`);
  for (const [key, value] of entries) {
    const isValid =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isSafeInteger(value)) ||
      (typeof value === 'string' && value.length <= MAX_DETAIL_STRING && !value.includes('\u0000'));
    if (!isValid || key.length > 64)
      throw new TypeError(
        `${event.action}: detail "${key}" must be a short string, a whole number, a boolean or null`,
      );
  }
  const time = event.occurredAt?.getTime();
  if (time !== undefined && !(time >= 0 && time <= LATEST_TIME))
    throw new TypeError(`${event.action}: occurredAt is out of range`);
}

function chainEntry(scope: TenantScope, event: AuditEvent, seq: bigint, prevHash: Buffer): AuditEntry {
  const fields = {
    tenantId: scope.tenantId,
    seq,
    id: randomUUID(),
    // Millisecond precision, so the stored timestamp reads back exactly as it was hashed.
    occurredAt: new Date((event.occurredAt ?? new Date()).getTime()),
    actorType: event.actor.kind,
    actorId: event.actor.id,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    outcome: event.outcome,
    requestId: event.requestId ?? null,
    // Only a well-formed address is kept; a forwarded header may carry anything.
    sourceIp: event.sourceIp !== undefined && isIP(event.sourceIp) !== 0 ? event.sourceIp : null,
    details: event.details ?? {},
    prevHash,
  };
  return { ...fields, hash: hashEntry(fields) };
}

/** Appends events to the scope's chain, in order, inside the scope's transaction. */
export async function recordAuditEvents(
  scope: TenantScope,
  events: readonly AuditEvent[],
): Promise<AuditEntry[]> {
  if (events.length === 0) return [];
  events.forEach(assertValidEvent);
  const head = await repo.lockChainHead(scope);
  const entries: AuditEntry[] = [];
  let seq = head.lastSeq;
  let prevHash = head.lastHash;
  for (const event of events) {
    seq += 1n;
    const entry = chainEntry(scope, event, seq, prevHash);
    entries.push(entry);
    prevHash = entry.hash;
  }
  await repo.insertEntries(scope, entries);
  await repo.updateChainHead(scope, { lastSeq: seq, lastHash: prevHash });
  return entries;
}

/** Walks one chain from its first entry and reports the first broken link, if any. */
export async function verifyAuditChain(db: Kysely<Schema>, tenantId: TenantId): Promise<ChainVerification> {
  const verifier = createChainVerifier();
  // The head and the highest stored number are read together, once: entries appended while
  // verification runs lie past this head and are left for the next run, not taken for forgery.
  const { head, maxSeq } = await withTenant(db, tenantId, async (scope) => ({
    head: await repo.findChainHead(scope),
    maxSeq: await repo.findMaxSeq(scope),
  }));
  const lastSeq = head?.lastSeq ?? 0n;
  // One short read-only transaction per page, so verification never holds a snapshot open.
  // The next page is requested before this one is hashed, and the hashing loop yields now and
  // then so that request's round trips (begin, scope, query, commit) actually go out meanwhile.
  const fetchPage = (fromSeq: bigint) =>
    withTenant(db, tenantId, (scope) =>
      repo.listLinksInRange(scope, fromSeq, minimum(fromSeq + VERIFY_PAGE_SIZE, lastSeq + 1n)),
    );
  let next = lastSeq >= 1n ? fetchPage(1n) : null;
  for (let fromSeq = 1n; next !== null; fromSeq += VERIFY_PAGE_SIZE) {
    const page = await next;
    const following = fromSeq + VERIFY_PAGE_SIZE;
    next = following <= lastSeq ? fetchPage(following) : null;
    for (const [index, link] of page.entries()) {
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await setImmediate();
      const broken = verifier.check(link);
      if (broken) {
        await next?.catch(() => undefined);
        return { tenantId, entriesChecked: verifier.checked, broken };
      }
    }
  }
  const broken = verifier.finish(head) ?? (maxSeq > lastSeq ? entriesPastHead(lastSeq) : null);
  return { tenantId, entriesChecked: verifier.checked, broken };
}

function minimum(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

// Entries and head are written in one transaction, so an entry beyond the head it was read
// with cannot come from the application.
function entriesPastHead(lastSeq: bigint): ChainBreak {
  return {
    seq: lastSeq + 1n,
    id: null,
    reason: 'head_mismatch',
    message: `Entry ${lastSeq + 1n} lies past the chain head: it was added outside the application.`,
  };
}

/** Lists entries newest first, for people reviewing who did what. */
export async function listAuditEntries(
  db: Kysely<Schema>,
  tenantId: TenantId,
  page: { beforeSeq: bigint | null; limit: number },
): Promise<AuditEntry[]> {
  return withTenant(db, tenantId, (scope) => repo.listEntriesBefore(scope, page.beforeSeq, page.limit));
}

/** The audit log's public surface, bound to one database. */
export type AuditService = ReturnType<typeof createAuditService>;

/** Creates the audit service over a database. */
export function createAuditService({ db }: { db: Kysely<Schema> }) {
  return {
    /** Appends events inside the caller's transaction. */
    record: (scope: TenantScope, events: readonly AuditEvent[]) => recordAuditEvents(scope, events),
    /** Appends events in a transaction of their own (for refusals, which change nothing else). */
    recordAlone: (tenantId: TenantId, events: readonly AuditEvent[]) =>
      withTenant(db, tenantId, (scope) => recordAuditEvents(scope, events)),
    verifyChain: (tenantId: TenantId) => verifyAuditChain(db, tenantId),
    listEntries: (tenantId: TenantId, page: { beforeSeq: bigint | null; limit: number }) =>
      listAuditEntries(db, tenantId, page),
  };
}
