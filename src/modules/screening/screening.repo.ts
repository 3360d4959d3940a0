/**
 * SQL of the screening module: lists, versions, entity contents with their validity, deltas, and
 * tenant settings. Every function takes the transaction (scope) first.
 */
import { sql, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { ListedEntity } from './list-entity.ts';

type Trx = Transaction<Schema>;

/** A list's current content: source id → content hash. */
export type CurrentContent = Map<string, string>;

/** Creates the list row if missing and locks it, so imports of one list run one at a time. */
export async function lockList(trx: Trx, listId: string): Promise<{ activeVersionId: string | null }> {
  await trx
    .insertInto('screening_lists')
    .values({ id: listId })
    .onConflict((c) => c.column('id').doNothing())
    .execute();
  const row = await trx
    .selectFrom('screening_lists')
    .select('active_version_id')
    .where('id', '=', listId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { activeVersionId: row.active_version_id };
}

/** The version screening uses for a list, if any. */
export async function findVersion(trx: Trx, versionId: string) {
  return trx.selectFrom('screening_list_versions').selectAll().where('id', '=', versionId).executeTakeFirst();
}

/** The next version number of a list. */
export async function nextSequence(trx: Trx, listId: string): Promise<number> {
  const row = await trx
    .selectFrom('screening_list_versions')
    .select((eb) => eb.fn.max('sequence').as('sequence'))
    .where('list_id', '=', listId)
    .executeTakeFirst();
  return (row?.sequence ?? 0) + 1;
}

/** The current content hash of every entity of a list. */
export async function readCurrentContent(trx: Trx, listId: string): Promise<CurrentContent> {
  const rows = await trx
    .selectFrom('screening_entities')
    .select(['source_id', 'content_hash'])
    .where('list_id', '=', listId)
    .where('removed_in', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.source_id, row.content_hash]));
}

const BATCH = 500;

/** Ends the validity of these entities' current content at version `sequence`. */
export async function closeEntities(
  trx: Trx,
  listId: string,
  sourceIds: string[],
  sequence: number,
): Promise<void> {
  for (let i = 0; i < sourceIds.length; i += BATCH) {
    await trx
      .updateTable('screening_entities')
      .set({ removed_in: sequence })
      .where('list_id', '=', listId)
      .where('removed_in', 'is', null)
      .where('source_id', 'in', sourceIds.slice(i, i + BATCH))
      .execute();
  }
}

/** Stores new entity contents, valid from version `sequence`. */
export async function insertEntities(
  trx: Trx,
  listId: string,
  entities: { entity: ListedEntity; hash: string }[],
  sequence: number,
): Promise<void> {
  for (let i = 0; i < entities.length; i += BATCH) {
    await trx
      .insertInto('screening_entities')
      .values(
        entities.slice(i, i + BATCH).map(({ entity, hash }) => ({
          list_id: listId,
          source_id: entity.sourceId,
          added_in: sequence,
          content_hash: hash,
          data: JSON.stringify(entity),
        })),
      )
      .execute();
  }
}

/** One entity's change in a version. */
export type EntityChange = {
  sourceId: string;
  change: 'added' | 'removed' | 'changed';
  previousHash: string | null;
  contentHash: string | null;
};

/** Stores a version's delta. */
export async function insertChanges(trx: Trx, versionId: string, changes: EntityChange[]): Promise<void> {
  for (let i = 0; i < changes.length; i += BATCH) {
    await trx
      .insertInto('screening_list_changes')
      .values(
        changes.slice(i, i + BATCH).map((change) => ({
          version_id: versionId,
          source_id: change.sourceId,
          change: change.change,
          previous_hash: change.previousHash,
          content_hash: change.contentHash,
        })),
      )
      .execute();
  }
}

/** Every list with its active version (for status and for building the index). */
export async function listActiveVersions(trx: Trx) {
  return trx
    .selectFrom('screening_lists as l')
    .innerJoin('screening_list_versions as v', 'v.id', 'l.active_version_id')
    .selectAll('v')
    .orderBy('l.id')
    .execute();
}

/** One page of the active entities, after `after` (list id, source id), in key order. */
export async function readActiveEntities(trx: Trx, after: [string, string] | null, limit: number) {
  let query = trx
    .selectFrom('screening_entities as e')
    .innerJoin('screening_lists as l', 'l.id', 'e.list_id')
    // As text: the index snapshot wants JSON, so parsing it here only to stringify it again is waste.
    .select(['e.list_id', 'e.source_id', sql<string>`e.data::text`.as('data')])
    .where('e.removed_in', 'is', null)
    .where('l.active_version_id', 'is not', null)
    .orderBy('e.list_id')
    .orderBy('e.source_id')
    .limit(limit);
  if (after) {
    const [listId, sourceId] = after;
    query = query.where((eb) =>
      eb.or([
        eb('e.list_id', '>', listId),
        eb.and([eb('e.list_id', '=', listId), eb('e.source_id', '>', sourceId)]),
      ]),
    );
  }
  return query.execute();
}

/** The current content of some entries, by list and source id. */
export async function readCurrentEntities(trx: Trx, pairs: readonly { listId: string; sourceId: string }[]) {
  if (pairs.length === 0) return [];
  return trx
    .selectFrom('screening_entities')
    .select(['list_id', 'source_id', 'data'])
    .where('removed_in', 'is', null)
    .where((eb) =>
      eb.or(
        pairs.map((pair) => eb.and([eb('list_id', '=', pair.listId), eb('source_id', '=', pair.sourceId)])),
      ),
    )
    .execute();
}

/** The delta of one version. */
export async function readChanges(trx: Trx, versionId: string) {
  return trx
    .selectFrom('screening_list_changes')
    .select(['source_id', 'change', 'previous_hash', 'content_hash'])
    .where('version_id', '=', versionId)
    .orderBy('source_id')
    .execute();
}

/** A tenant's threshold, if it set one. */
export async function findThreshold(scope: TenantScope): Promise<number | null> {
  const row = await scope.selectFrom('screening_settings').select('threshold').executeTakeFirst();
  return row ? Number(row.threshold) : null;
}

/** Sets a tenant's threshold. */
export async function saveThreshold(
  scope: TenantScope,
  threshold: number,
  userId: string,
  at: Date,
): Promise<void> {
  await scope
    .insertInto('screening_settings', { threshold, updated_at: at, updated_by: userId })
    .onConflict((c) => c.column('tenant_id').doUpdateSet({ threshold, updated_at: at, updated_by: userId }))
    .execute();
}
