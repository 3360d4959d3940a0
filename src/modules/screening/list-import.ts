/**
 * Importing a list version: parse, compare with the list's current content, and store the new
 * version with its delta, all in one transaction that also makes it the active version. A file
 * that fails to parse, parses to nothing, or would shrink the list by more than half without
 * being told to, stops before anything is written: the previous version stays active.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditService } from '../audit/index.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { withPlatform } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { parseListFiles } from './importers/index.ts';
import { hashEntity, ListFormatError, type ListedEntity, type ListFile } from './list-entity.ts';
import type { ListSource } from './list-sources.ts';
import * as repo from './screening.repo.ts';

/** What an import did. */
export type ImportResult = {
  listId: string;
  status: 'imported' | 'unchanged';
  versionId: string;
  sequence: number;
  publishedAt: string | null;
  entityCount: number;
  added: number;
  removed: number;
  changed: number;
  warnings: string[];
};

// A new version with fewer than this share of the active version's entries is refused unless the
// caller says the shrink is expected: a cut-off download must never empty a sanctions list.
const MIN_KEPT_SHARE = 0.5;

/** Hashes a set of files independently of their names and order. */
export function hashFiles(files: ListFile[]): string {
  const digests = files.map((file) => createHash('sha256').update(file.bytes).digest('hex')).sort();
  return createHash('sha256').update(digests.join('\n')).digest('hex');
}

function countBySchema(entities: ListedEntity[]): Record<string, number> {
  const counts: Record<string, number> = { names: 0 };
  for (const entity of entities) {
    counts[entity.schema] = (counts[entity.schema] ?? 0) + 1;
    counts.names! += entity.names.length;
    for (const topic of entity.topics) counts[`topic_${topic}`] = (counts[`topic_${topic}`] ?? 0) + 1;
  }
  return counts;
}

type Deps = { db: Kysely<Schema>; audit: Pick<AuditService, 'record'>; clock: Clock };

/** Parses files into entities; a format error becomes a validation error naming the list. */
export function parseSourceFiles(source: ListSource, files: ListFile[]) {
  if (files.length === 0) throw new AppError('validation_failed', `No file given for ${source.id}.`);
  try {
    return parseListFiles(source.format, files, { defaultTopics: source.defaultTopics });
  } catch (error) {
    if (error instanceof ListFormatError) {
      throw new AppError(
        'validation_failed',
        `${source.id}: ${error.message} The active version is unchanged.`,
      );
    }
    throw error;
  }
}

/** Imports one version of a list (see the module comment for what is refused). */
export async function importListVersion(
  { db, audit, clock }: Deps,
  request: { source: ListSource; files: ListFile[]; sourceLabel: string; allowShrink: boolean; actor: Actor },
): Promise<ImportResult> {
  const { source, files, actor } = request;
  const filesHash = hashFiles(files);
  const parsed = parseSourceFiles(source, files);
  const hashed = parsed.entities.map((entity) => ({ entity, hash: hashEntity(entity) }));
  return withPlatform(db, async (scope) => {
    const { activeVersionId } = await repo.lockList(scope.trx, source.id);
    const active = activeVersionId ? await repo.findVersion(scope.trx, activeVersionId) : undefined;
    if (active && active.files_hash === filesHash) {
      return {
        listId: source.id,
        status: 'unchanged',
        versionId: active.id,
        sequence: active.sequence,
        publishedAt: active.published_at,
        entityCount: active.entity_count,
        added: 0,
        removed: 0,
        changed: 0,
        warnings: [],
      };
    }
    if (active && !request.allowShrink && hashed.length < active.entity_count * MIN_KEPT_SHARE) {
      throw new AppError(
        'conflict',
        `${source.id}: the new file has ${hashed.length} entries, the active version ${active.entity_count}. ` +
          'A drop of more than half looks like a truncated file, so nothing was imported and the active ' +
          'version is unchanged. If the list really shrank, import again allowing it to shrink.',
      );
    }
    const activeNames = active?.counts.names ?? 0;
    const newNames = parsed.entities.reduce((sum, entity) => sum + entity.names.length, 0);
    if (active && !request.allowShrink && newNames < activeNames * MIN_KEPT_SHARE) {
      throw new AppError(
        'conflict',
        `${source.id}: the new files hold ${newNames} names, the active version ${activeNames}. ` +
          'Losing more than half the names (a missing alias file?) would weaken screening, so nothing ' +
          'was imported and the active version is unchanged. Import every file of the list, or allow the shrink.',
      );
    }
    const current = await repo.readCurrentContent(scope.trx, source.id);
    const changes: repo.EntityChange[] = [];
    const toInsert: typeof hashed = [];
    const seen = new Set<string>();
    for (const item of hashed) {
      seen.add(item.entity.sourceId);
      const previous = current.get(item.entity.sourceId);
      if (previous === item.hash) continue;
      toInsert.push(item);
      changes.push({
        sourceId: item.entity.sourceId,
        change: previous ? 'changed' : 'added',
        previousHash: previous ?? null,
        contentHash: item.hash,
      });
    }
    for (const [sourceId, previous] of current) {
      if (!seen.has(sourceId))
        changes.push({ sourceId, change: 'removed', previousHash: previous, contentHash: null });
    }
    const sequence = await repo.nextSequence(scope.trx, source.id);
    const versionId = randomUUID();
    const count = (kind: repo.EntityChange['change']) =>
      changes.filter((change) => change.change === kind).length;
    const added = count('added');
    const removed = count('removed');
    const changed = count('changed');
    await scope.trx
      .insertInto('screening_list_versions')
      .values({
        id: versionId,
        list_id: source.id,
        sequence,
        format: source.format,
        source_label: request.sourceLabel.slice(0, 2000),
        files_hash: filesHash,
        published_at: parsed.publishedAt,
        imported_at: clock.now(),
        entity_count: hashed.length,
        counts: JSON.stringify(countBySchema(parsed.entities)),
        added,
        removed,
        changed,
        warnings: JSON.stringify(parsed.warnings.slice(0, 100)),
      })
      .execute();
    const closing = changes.filter((change) => change.change !== 'added').map((change) => change.sourceId);
    await repo.closeEntities(scope.trx, source.id, closing, sequence);
    await repo.insertEntities(scope.trx, source.id, toInsert, sequence);
    await repo.insertChanges(scope.trx, versionId, changes);
    await scope.trx
      .updateTable('screening_lists')
      .set({ active_version_id: versionId })
      .where('id', '=', source.id)
      .execute();
    await audit.record(scope, [
      {
        action: 'screening.list_imported',
        actor: { kind: actor.kind, id: actor.id },
        outcome: 'success',
        target: { type: 'screening_list_version', id: versionId },
        details: { listId: source.id, sequence, entities: hashed.length, added, removed, changed },
      },
    ]);
    return {
      listId: source.id,
      status: 'imported',
      versionId,
      sequence,
      publishedAt: parsed.publishedAt,
      entityCount: hashed.length,
      added,
      removed,
      changed,
      warnings: parsed.warnings,
    };
  });
}
