/**
 * The screening module's use cases: import list versions, report their status and deltas, keep
 * the index in step with the active versions, and screen names for a tenant at its threshold.
 */
import type { Kysely } from 'kysely';
import type { AuditService } from '../audit/index.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import {
  PLATFORM_SCOPE_ID,
  withPlatform,
  withTenant,
  type TenantId,
  type TenantScope,
} from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ListedEntity, ListFile } from './list-entity.ts';
import { updateLists } from './list-download.ts';
import { importListVersion, type ImportResult } from './list-import.ts';
import { findListSource, LIST_SOURCES, type ListSource } from './list-sources.ts';
import type { ScreeningHit, ScreeningQuery } from './match-search.ts';
import {
  createScreeningEngine,
  EMPTY_INDEX,
  type IndexState,
  type ScreeningEngine,
} from './screening-engine.ts';
import * as repo from './screening.repo.ts';

/** The threshold a tenant screens at until it sets its own: tuned on the evaluation data. */
export const DEFAULT_THRESHOLD = 0.85;
const MAX_HITS = 50;
// A batch answers the ten best hits per name at the tenant's threshold: a wide batch of common
// names would otherwise return hundreds of megabytes.
const MAX_BATCH_HITS = 10;
const SNAPSHOT_PAGE = 2_000;

type Deps = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  /** Worker threads for the index; default one per core. */
  threads?: number;
  /** Overrides of official download URLs: list id → file name → URL. */
  listUrls?: Record<string, Record<string, string>>;
};

/** One list in the status report. */
export type ListStatus = {
  listId: string;
  title: string;
  publisher: string;
  derivedFrom: string | null;
  licence: string | null;
  canUpdate: boolean;
  activeVersion: {
    id: string;
    sequence: number;
    publishedAt: string | null;
    importedAt: string;
    entityCount: number;
    counts: Record<string, number>;
    added: number;
    removed: number;
    changed: number;
    sourceLabel: string;
  } | null;
};

/** A screening request from a tenant's person or API client. */
export type ScreeningRequest = { queries: ScreeningQuery[]; threshold?: number; lists?: string[] };

function getSource(listId: string): ListSource {
  const source = findListSource(listId);
  if (!source) {
    const known = LIST_SOURCES.map((item) => item.id).join(', ');
    throw new AppError('validation_failed', `Unknown list "${listId}". Known lists: ${known}.`);
  }
  return source;
}

// The command line (a system actor) screens outside any tenant; its searches go to the platform chain.
function scopeOf(actor: Actor): TenantId {
  if (actor.tenantId) return actor.tenantId;
  if (actor.kind === 'system') return PLATFORM_SCOPE_ID as TenantId;
  throw new AppError('forbidden', 'Screening runs inside a tenant.');
}

function requireTenant(actor: Actor): TenantId {
  if (!actor.tenantId) throw new AppError('forbidden', 'Screening runs inside a tenant.');
  return actor.tenantId;
}

/** The screening service. */
export type ScreeningService = ReturnType<typeof createScreeningService>;

/** Builds the screening service and its engine (the pool starts at once; the index on `start`). */
export function createScreeningService({ db, audit, clock, threads, listUrls = {} }: Deps) {
  async function* readSnapshot(): AsyncIterable<string[]> {
    let after: [string, string] | null = null;
    for (;;) {
      const rows = await withPlatform(db, (scope) =>
        repo.readActiveEntities(scope.trx, after, SNAPSHOT_PAGE),
      );
      if (rows.length === 0) return;
      yield rows.map((row) => `{"l":${JSON.stringify(row.list_id)},"e":${row.data}}`);
      const last = rows[rows.length - 1]!;
      after = [last.list_id, last.source_id];
    }
  }
  // Started on first use: command-line tools that only import lists never start worker threads.
  let started: ScreeningEngine | null = null;
  const engine = {
    get: (): ScreeningEngine => (started ??= createScreeningEngine({ readSnapshot, threads })),
    status: (): IndexState => started?.status() ?? EMPTY_INDEX,
  };
  let loadedVersions = '';
  let watcher: NodeJS.Timeout | null = null;

  async function activeVersionKey(): Promise<string> {
    const versions = await withPlatform(db, (scope) => repo.listActiveVersions(scope.trx));
    return versions.map((version) => version.id).join(',');
  }

  /** Rebuilds the index if the active versions changed (another process may have imported). */
  async function refresh(): Promise<IndexState> {
    const key = await activeVersionKey();
    // No list yet: no worker threads either (most test servers and fresh installs).
    if (key === loadedVersions && (started || key === '')) return engine.status();
    const state = await engine.get().reload();
    loadedVersions = key;
    return state;
  }

  async function thresholdFor(tenantId: TenantId): Promise<number> {
    return (await withTenant(db, tenantId, (scope) => repo.findThreshold(scope))) ?? DEFAULT_THRESHOLD;
  }

  return {
    /** Builds the index from the active versions and watches for new ones every `watchMs`. */
    async start({ watchMs = 30_000 }: { watchMs?: number } = {}): Promise<IndexState> {
      const state = await refresh();
      if (watchMs > 0 && !watcher) {
        watcher = setInterval(() => void refresh().catch(() => undefined), watchMs);
        watcher.unref();
      }
      return state;
    },

    refresh,

    /** Imports a version of a list; a running index is rebuilt before this returns. */
    async importList(
      actor: Actor,
      request: { listId: string; files: ListFile[]; sourceLabel: string; allowShrink?: boolean },
    ): Promise<ImportResult> {
      const result = await importListVersion(
        { db, audit, clock },
        { ...request, source: getSource(request.listId), allowShrink: request.allowShrink ?? false, actor },
      );
      // A running index follows at once; a process without one (the CLI) leaves it to the server's watcher.
      if (started && result.status === 'imported') await refresh();
      return result;
    },

    /** Downloads every list with an official download (or those in `only`) and imports it. */
    async updateLists(actor: Actor, options: { only?: string[]; fetcher?: typeof fetch } = {}) {
      return updateLists({
        urls: listUrls,
        ...options,
        importList: async (listId, files, sourceLabel) => {
          const result = await importListVersion(
            { db, audit, clock },
            { source: getSource(listId), files, sourceLabel, allowShrink: false, actor },
          );
          const { status, entityCount, added, removed, changed } = result;
          return { listId, status, entityCount, added, removed, changed };
        },
      });
    },

    /** Every known list and its active version. */
    async listStatus() {
      const versions = await withPlatform(db, (scope) => repo.listActiveVersions(scope.trx));
      const byList = new Map(versions.map((version) => [version.list_id, version]));
      const lists = LIST_SOURCES.map((source): ListStatus => {
        const version = byList.get(source.id);
        return {
          listId: source.id,
          title: source.title,
          publisher: source.publisher,
          derivedFrom: source.derivedFrom,
          licence: source.licence,
          canUpdate: source.officialFiles !== null,
          activeVersion: version
            ? {
                id: version.id,
                sequence: version.sequence,
                publishedAt: version.published_at,
                importedAt: version.imported_at.toISOString(),
                entityCount: version.entity_count,
                counts: version.counts,
                added: version.added,
                removed: version.removed,
                changed: version.changed,
                sourceLabel: version.source_label,
              }
            : null,
        };
      });
      const index = engine.status();
      return { lists, index: { ...index, builtAt: index.builtAt?.toISOString() ?? null } };
    },

    /** The delta a version brought (what re-screening of existing clients starts from). */
    /** The current content of listed entries (what a hit matched), keyed `list:source`. */
    async currentEntities(
      pairs: readonly { listId: string; sourceId: string }[],
    ): Promise<Map<string, ListedEntity>> {
      const rows = await withPlatform(db, (scope) =>
        repo.readCurrentEntities(scope.trx, pairs.slice(0, 1000)),
      );
      return new Map(rows.map((row) => [`${row.list_id}:${row.source_id}`, row.data as ListedEntity]));
    },

    async listChanges(listId: string, versionId: string) {
      getSource(listId);
      return withPlatform(db, async (scope) => {
        const version = await repo.findVersion(scope.trx, versionId);
        if (!version || version.list_id !== listId) throw new AppError('not_found', 'No such list version.');
        const changes = await repo.readChanges(scope.trx, versionId);
        return changes.map((change) => ({
          sourceId: change.source_id,
          change: change.change,
          previousHash: change.previous_hash,
          contentHash: change.content_hash,
        }));
      });
    },

    /** Screens names for the actor's tenant; hits ranked and explained, per query. */
    async screen(
      actor: Actor,
      request: ScreeningRequest,
    ): Promise<{ threshold: number; results: ScreeningHit[][] }> {
      const tenantId = scopeOf(actor);
      const isPlatform = tenantId === PLATFORM_SCOPE_ID;
      const floor = isPlatform ? DEFAULT_THRESHOLD : await thresholdFor(tenantId);
      // A search may look wider than the tenant's threshold, never narrower: hiding weaker hits is
      // the officers' setting (with a fresh second factor), not a per-request choice.
      const isBatch = request.queries.length > 1;
      if (isBatch && request.threshold !== undefined && request.threshold < floor && !isPlatform) {
        throw new AppError(
          'validation_failed',
          `A batch screens at your organisation's threshold (${floor}); search names one at a time to look wider.`,
        );
      }
      for (const listId of request.lists ?? []) getSource(listId);
      if (request.threshold !== undefined && request.threshold > floor && !isPlatform) {
        throw new AppError(
          'validation_failed',
          `The threshold may not be above your organisation's screening threshold (${floor}); ` +
            'a compliance officer can change that in the screening settings.',
        );
      }
      const threshold = request.threshold ?? floor;
      if (!started) await refresh();
      const results = await engine.get().search(request.queries, {
        threshold,
        limit: isBatch ? MAX_BATCH_HITS : MAX_HITS,
        ...(request.lists ? { lists: request.lists } : {}),
      });
      const hits = results.reduce((sum, list) => sum + list.length, 0);
      const recordSearch = (scope: TenantScope) =>
        audit.record(scope, [
          {
            action: 'screening.searched',
            actor: { kind: actor.kind, id: actor.id },
            outcome: 'success',
            details: {
              queries: request.queries.length,
              hits,
              threshold: threshold.toFixed(3),
              // Narrowing a search (to some lists, to one kind of entity) decides what could be found.
              lists: request.lists?.join(',') ?? 'all',
              schemas: [...new Set(request.queries.map((query) => query.schema ?? 'any'))].join(','),
            },
          },
        ]);
      await (isPlatform ? withPlatform(db, recordSearch) : withTenant(db, tenantId, recordSearch));
      return { threshold, results };
    },

    /** The tenant's threshold and the default. */
    async getSettings(actor: Actor): Promise<{ threshold: number; defaultThreshold: number }> {
      return { threshold: await thresholdFor(requireTenant(actor)), defaultThreshold: DEFAULT_THRESHOLD };
    },

    /** Sets the tenant's threshold (recorded: a higher threshold hides weaker hits). */
    async setThreshold(actor: Actor, threshold: number) {
      const tenantId = requireTenant(actor);
      await withTenant(db, tenantId, async (scope) => {
        const previous = (await repo.findThreshold(scope)) ?? DEFAULT_THRESHOLD;
        await repo.saveThreshold(scope, threshold, actor.id, clock.now());
        await audit.record(scope, [
          {
            action: 'screening.threshold_changed',
            actor: { kind: actor.kind, id: actor.id },
            outcome: 'success',
            details: { previous: previous.toFixed(3), threshold: threshold.toFixed(3) },
          },
        ]);
      });
      return { threshold, defaultThreshold: DEFAULT_THRESHOLD };
    },

    indexStatus: (): IndexState => engine.status(),

    async close(): Promise<void> {
      if (watcher) clearInterval(watcher);
      watcher = null;
      await started?.close();
      started = null;
    },
  };
}
