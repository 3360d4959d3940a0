/**
 * SQL for the audit log. Every function takes the tenant scope first; the scope's row-level
 * security confines it to one chain.
 */
import { sql, type Selectable } from 'kysely';
import type { AuditEntriesTable } from '../../platform/db/schema.ts';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { ActorKind } from '../../platform/actor.ts';
import { GENESIS_HASH, type ChainLink } from './audit-chain.ts';
import type { AuditDetails, AuditEntry, AuditOutcome } from './audit.events.ts';

/** A chain's last link. */
export type ChainHead = { lastSeq: bigint; lastHash: Buffer };

/**
 * Locks the chain head for the rest of the transaction (creating it for a new chain) and
 * returns it. Concurrent appenders to the same chain queue here, so sequence numbers never fork.
 */
export async function lockChainHead(scope: TenantScope): Promise<ChainHead> {
  const result = await sql<{ last_seq: string; last_hash: Buffer }>`
    insert into audit_chain_heads (tenant_id, last_seq, last_hash)
    values (${scope.tenantId}, 0, ${GENESIS_HASH})
    on conflict (tenant_id) do update set tenant_id = excluded.tenant_id
    returning last_seq, last_hash`.execute(scope.trx);
  const row = result.rows[0]!;
  return { lastSeq: BigInt(row.last_seq), lastHash: row.last_hash };
}

/** Moves the head to the newest entry. */
export async function updateChainHead(scope: TenantScope, head: ChainHead): Promise<void> {
  await scope
    .updateTable('audit_chain_heads')
    .set({ last_seq: head.lastSeq.toString(), last_hash: head.lastHash, updated_at: new Date() })
    .execute();
}

/** Reads the head without locking it. */
export async function findChainHead(scope: TenantScope): Promise<ChainHead | null> {
  const row = await scope
    .selectFrom('audit_chain_heads')
    .select(['last_seq', 'last_hash'])
    .executeTakeFirst();
  return row ? { lastSeq: BigInt(row.last_seq), lastHash: row.last_hash } : null;
}

/** Inserts chained entries in one statement (column arrays, so the statement size is fixed). */
export async function insertEntries(scope: TenantScope, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const column = <T>(pick: (entry: AuditEntry) => T) => entries.map(pick);
  await sql`
    insert into audit_entries (tenant_id, seq, id, occurred_at, actor_type, actor_id, action, target_type,
      target_id, outcome, request_id, source_ip, details, prev_hash, hash)
    select ${scope.tenantId}::uuid, seq, id, occurred_at, actor_type, actor_id, action, target_type,
      target_id, outcome, request_id, source_ip, details, decode(prev_hash, 'hex'), decode(hash, 'hex')
    from unnest(
      ${column((entry) => entry.seq.toString())}::bigint[],
      ${column((entry) => entry.id)}::uuid[],
      ${column((entry) => entry.occurredAt.toISOString())}::timestamptz[],
      ${column((entry) => entry.actorType)}::text[],
      ${column((entry) => entry.actorId)}::text[],
      ${column((entry) => entry.action)}::text[],
      ${column((entry) => entry.targetType)}::text[],
      ${column((entry) => entry.targetId)}::text[],
      ${column((entry) => entry.outcome)}::text[],
      ${column((entry) => entry.requestId)}::text[],
      ${column((entry) => entry.sourceIp)}::text[],
      ${column((entry) => JSON.stringify(entry.details))}::jsonb[],
      ${column((entry) => entry.prevHash.toString('hex'))}::text[],
      ${column((entry) => entry.hash.toString('hex'))}::text[]
    ) as input(seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, outcome,
      request_id, source_ip, details, prev_hash, hash)`.execute(scope.trx);
}

type EntryRow = Selectable<AuditEntriesTable>;

function toEntry(row: EntryRow): AuditEntry {
  return {
    tenantId: row.tenant_id,
    seq: BigInt(row.seq),
    id: row.id,
    occurredAt: row.occurred_at,
    actorType: row.actor_type as ActorKind,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome as AuditOutcome,
    requestId: row.request_id,
    sourceIp: row.source_ip,
    details: row.details as AuditDetails,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Reads the links with `fromSeq <= seq < toSeq`, oldest first, in canonical text form, for
 * verification. A bounded range (rather than "after X, limit N") keeps the planner from sorting
 * the rest of the chain per page, and the page arrives as one JSON document: per-row protocol
 * and type parsing cost more than the hashing, especially on PGlite.
 */
export async function listLinksInRange(
  scope: TenantScope,
  fromSeq: bigint,
  toSeq: bigint,
): Promise<ChainLink[]> {
  // The inner ORDER BY follows the primary-key index, so no sort step is needed; the order is
  // still checked below rather than trusted.
  const result = await sql<{ page: string }>`
    select coalesce(json_agg(json_build_array(seq::text, id,
      to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_type, actor_id, action,
      target_type, target_id, outcome, request_id, source_ip, details, encode(prev_hash, 'hex'),
      encode(hash, 'hex')))::text, '[]') as page
    from (select * from audit_entries
          where tenant_id = ${scope.tenantId} and seq >= ${fromSeq.toString()}::bigint and seq < ${toSeq.toString()}::bigint
          order by tenant_id, seq) as page_entries`.execute(scope.trx);
  const rows = JSON.parse(result.rows[0]!.page) as LinkTuple[];
  const links = rows.map((row): ChainLink => ({
    tenantId: scope.tenantId,
    seq: row[0],
    id: row[1],
    occurredAt: row[2],
    actorType: row[3],
    actorId: row[4],
    action: row[5],
    targetType: row[6],
    targetId: row[7],
    outcome: row[8],
    requestId: row[9],
    sourceIp: row[10],
    details: row[11],
    prevHash: row[12],
    hash: row[13],
  }));
  const isAscending = links.every(
    (link, index) => index === 0 || BigInt(links[index - 1]!.seq) < BigInt(link.seq),
  );
  return isAscending ? links : links.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
}

type LinkTuple = [
  string,
  string,
  string,
  string,
  string | null,
  string,
  string | null,
  string | null,
  string,
  string | null,
  string | null,
  AuditDetails,
  string,
  string,
];

/** The highest sequence number stored in the chain (0 when empty), whatever the head says. */
export async function findMaxSeq(scope: TenantScope): Promise<bigint> {
  const row = await scope
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.max('seq').as('max'))
    .executeTakeFirst();
  return row?.max ? BigInt(row.max) : 0n;
}

/** Reads up to `limit` entries before `beforeSeq` (or the newest), newest first. */
export async function listEntriesBefore(
  scope: TenantScope,
  beforeSeq: bigint | null,
  limit: number,
): Promise<AuditEntry[]> {
  let query = scope.selectFrom('audit_entries').selectAll();
  if (beforeSeq !== null) query = query.where('seq', '<', beforeSeq.toString());
  const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}
