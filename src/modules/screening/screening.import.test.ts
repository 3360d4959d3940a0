// Importing list versions through the service, against a real database: versions and their deltas,
// no-op re-imports, broken, shrunken and cut-off files refused with the active version left as it
// was, and the audit record of an import.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { createTestClock } from '../../../test/test-server.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { systemActor } from '../../platform/actor.ts';
import { PLATFORM_SCOPE_ID, withPlatform, type TenantId } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import { createAuditService, type AuditService } from '../audit/index.ts';
import { createScreeningService, type ListFile, type ScreeningService } from './index.ts';
import {
  FARAH,
  HARBOUR,
  JSON_NOT_XML,
  KOZLOV,
  OTHER_LIST_XML,
  TORRES,
  TRUNCATED_XML,
  unListFile,
  unListXml,
  VERSION_1,
  VERSION_2,
} from './screening.test-fixtures.ts';

const DATA_DIR =
  process.env.SANCTIONS_DATA_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/data/sanctions');
const actor = systemActor('screening-import-test');

type Fixture = { service: ScreeningService; audit: AuditService; database: TestDatabase };

// The lists are platform data shared by every tenant, so each test gets a database of its own.
async function setUp(
  t: TestContext,
  listUrls: Record<string, Record<string, string>> = {},
): Promise<Fixture> {
  const database = await createTestDatabase();
  const audit = createAuditService({ db: database.db });
  const clock = createTestClock();
  const service = createScreeningService({ db: database.db, audit, clock, threads: 1, listUrls });
  t.after(async () => {
    await service.close();
    await database.close();
  });
  return { service, audit, database };
}

const importUn = (service: ScreeningService, file: ListFile, allowShrink = false) =>
  service.importList(actor, { listId: 'un-sc', files: [file], sourceLabel: file.name, allowShrink });

const fileOf = (text: string, name = 'consolidated.xml'): ListFile => ({ name, bytes: Buffer.from(text) });

async function activeUn(service: ScreeningService) {
  const { lists } = await service.listStatus();
  return lists.find((list) => list.listId === 'un-sc')!.activeVersion;
}

async function versionCount(database: TestDatabase): Promise<number> {
  const rows = await withPlatform(database.db, (scope) =>
    scope.trx.selectFrom('screening_list_versions').select('id').where('list_id', '=', 'un-sc').execute(),
  );
  return rows.length;
}

async function platformEntries(audit: AuditService) {
  return audit.listEntries(PLATFORM_SCOPE_ID as TenantId, { beforeSeq: null, limit: 100 });
}

test('a crafted UN list imports as version 1 with its counts, and the same bytes again change nothing', async (t) => {
  const { service, database } = await setUp(t);
  const first = await importUn(service, unListFile(VERSION_1));
  assert.equal(first.status, 'imported');
  assert.deepEqual(
    [first.sequence, first.entityCount, first.added, first.removed, first.changed, first.publishedAt],
    [1, 3, 3, 0, 0, '2026-03-01'],
  );
  const active = await activeUn(service);
  assert.equal(active?.id, first.versionId);
  assert.deepEqual(active?.counts, { names: 4, person: 2, organisation: 1, topic_sanction: 3 });

  const again = await importUn(service, unListFile(VERSION_1));
  assert.equal(again.status, 'unchanged');
  assert.equal(again.versionId, first.versionId);
  assert.deepEqual(await activeUn(service), active);
  assert.equal(await versionCount(database), 1);
});

test('a new version stores exactly its delta and becomes what screening sees', async (t) => {
  const { service } = await setUp(t);
  await importUn(service, unListFile(VERSION_1));
  const second = await importUn(service, unListFile(VERSION_2, '2026-03-08'));
  assert.deepEqual(
    [second.status, second.sequence, second.entityCount, second.added, second.removed, second.changed],
    ['imported', 2, 3, 1, 1, 1],
  );
  const changes = await service.listChanges('un-sc', second.versionId);
  assert.deepEqual(
    changes.map((change) => [change.sourceId, change.change]),
    [
      [HARBOUR.referenceNumber, 'changed'],
      [TORRES.referenceNumber, 'removed'],
      [FARAH.referenceNumber, 'added'],
    ],
  );
  const [changed, removed, added] = changes;
  assert.ok(changed!.previousHash && changed!.contentHash && changed!.previousHash !== changed!.contentHash);
  assert.deepEqual([added!.previousHash, typeof added!.contentHash], [null, 'string']);
  assert.deepEqual([typeof removed!.previousHash, removed!.contentHash], ['string', null]);

  await service.refresh();
  const { results } = await service.screen(actor, {
    queries: [
      { name: 'Hassan Omar Farah' },
      { name: 'Maria Elena Torres Valdez' },
      { name: 'Blue Harbour Maritime' },
    ],
  });
  assert.deepEqual(
    results.map((hits) => hits.map((hit) => hit.sourceId)),
    [[FARAH.referenceNumber], [], [HARBOUR.referenceNumber]],
  );
});

test('a truncated, empty or foreign file is refused, naming the problem, and the active version stays', async (t) => {
  const { service, database } = await setUp(t);
  const first = await importUn(service, unListFile(VERSION_1));
  const refusals: [string, ListFile, RegExp][] = [
    [
      'truncated XML',
      fileOf(TRUNCATED_XML),
      /^un-sc: consolidated\.xml: broken XML at line \d+.*is the file truncated\?/,
    ],
    ['empty file', fileOf(''), /^un-sc: consolidated\.xml: the file is empty/],
    [
      'JSON file',
      fileOf(JSON_NOT_XML, 'list.json'),
      /list\.json looks like a JSON file; a UN consolidated list is an XML file/,
    ],
    ['another list', fileOf(OTHER_LIST_XML), /no CONSOLIDATED_LIST root element \(found sdnList\)/],
  ];
  for (const [label, file, message] of refusals) {
    await assert.rejects(
      importUn(service, file),
      (error: unknown) => {
        assert.ok(error instanceof AppError, `${label}: ${String(error)}`);
        assert.equal(error.code, 'validation_failed', label);
        assert.match(error.message, message, label);
        assert.match(error.message, /The active version is unchanged\.$/, label);
        return true;
      },
      label,
    );
  }
  await assert.rejects(
    service.importList(actor, {
      listId: 'un-security-council',
      files: [unListFile(VERSION_1)],
      sourceLabel: 'x',
    }),
    { code: 'validation_failed', message: /^Unknown list "un-security-council"\. Known lists: .*\bun-sc\b/ },
  );
  const active = await activeUn(service);
  assert.deepEqual([active?.id, active?.sequence, active?.entityCount], [first.versionId, 1, 3]);
  assert.equal(await versionCount(database), 1);
});

test('a version with under half the entries is refused unless a shrink is allowed', async (t) => {
  const { service, database } = await setUp(t);
  const first = await importUn(service, unListFile(VERSION_1));
  await assert.rejects(importUn(service, unListFile([KOZLOV])), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /the new file has 1 entries, the active version 3/);
    assert.match(error.message, /nothing was imported and the active version is unchanged/);
    assert.match(error.message, /allowing it to shrink/);
    return true;
  });
  const active = await activeUn(service);
  assert.deepEqual([active?.id, active?.entityCount], [first.versionId, 3]);
  assert.equal(await versionCount(database), 1);

  const shrunk = await importUn(service, unListFile([KOZLOV]), true);
  assert.deepEqual(
    [shrunk.status, shrunk.sequence, shrunk.entityCount, shrunk.added, shrunk.removed, shrunk.changed],
    ['imported', 2, 1, 0, 2, 0],
  );
  assert.equal((await activeUn(service))?.id, shrunk.versionId);
});

test('an import writes screening.list_imported to the platform chain, with counts and no list content', async (t) => {
  const { service, audit } = await setUp(t);
  const first = await importUn(service, unListFile(VERSION_1));
  await importUn(service, unListFile(VERSION_1));
  await assert.rejects(importUn(service, fileOf(TRUNCATED_XML)));
  const entries = (await platformEntries(audit)).filter((entry) => entry.action.startsWith('screening.'));
  assert.equal(entries.length, 1, 'an unchanged or refused import records nothing');
  const [entry] = entries;
  assert.deepEqual(
    [entry!.action, entry!.outcome, entry!.actorType, entry!.actorId],
    ['screening.list_imported', 'success', 'system', actor.id],
  );
  assert.deepEqual([entry!.targetType, entry!.targetId], ['screening_list_version', first.versionId]);
  assert.deepEqual(entry!.details, {
    listId: 'un-sc',
    sequence: 1,
    entities: 3,
    added: 3,
    removed: 0,
    changed: 0,
  });
  assert.equal((await audit.verifyChain(PLATFORM_SCOPE_ID as TenantId)).broken, null);
});

test('real UN lists of 2026-01-28 then 2026-02-27: four added, none removed or changed', async (t) => {
  if (!existsSync(path.join(DATA_DIR, 'un'))) {
    t.skip(`${DATA_DIR}/un not present: the real-list import is not tested`);
    return;
  }
  const { service } = await setUp(t);
  const read = (date: string) => ({
    name: 'consolidated.xml',
    bytes: readFileSync(path.join(DATA_DIR, `un/consolidated_${date}.xml`)),
  });
  const january = await importUn(service, read('2026-01-28'));
  assert.deepEqual([january.sequence, january.entityCount, january.publishedAt], [1, 999, '2026-01-28']);
  const february = await importUn(service, read('2026-02-27'));
  assert.deepEqual(
    [february.sequence, february.entityCount, february.added, february.removed, february.changed],
    [2, 1003, 4, 0, 0],
  );
  const changes = await service.listChanges('un-sc', february.versionId);
  assert.deepEqual(
    changes.map((change) => `${change.sourceId} ${change.change}`),
    ['SDi.007 added', 'SDi.008 added', 'SDi.009 added', 'SDi.010 added'],
  );
});

test('two imports of one list at once get consecutive versions, the second diffed against the first', async (t) => {
  const { service } = await setUp(t);
  const results = await Promise.all([
    importUn(service, unListFile(VERSION_1)),
    importUn(service, unListFile(VERSION_2, '2026-03-08')),
  ]);
  const [earlier, later] = results.sort((a, b) => a.sequence - b.sequence);
  assert.deepEqual([earlier!.sequence, later!.sequence], [1, 2]);
  assert.equal(earlier!.added, 3);
  assert.equal(later!.added + later!.removed + later!.changed, 3);
  assert.equal((await activeUn(service))?.id, later!.versionId);
});

test('the changes of a version are read only under its own list', async (t) => {
  const { service } = await setUp(t);
  const first = await importUn(service, unListFile(VERSION_1));
  await assert.rejects(service.listChanges('ofac-sdn', first.versionId), { code: 'not_found' });
  await assert.rejects(service.listChanges('no-such-list', first.versionId), { code: 'validation_failed' });
  assert.equal((await service.listChanges('un-sc', first.versionId)).length, 3);
});

test('lists update refuses a download that would more than halve the list, from the configured URL', async (t) => {
  const { service } = await setUp(t, {
    'un-sc': { 'consolidated.xml': 'https://lists.example.test/un.xml' },
  });
  const first = await importUn(service, unListFile(VERSION_1));
  const requested: string[] = [];
  const fetcher = (async (url: string | URL | Request) => {
    requested.push(String(url));
    return new Response(unListXml([KOZLOV]));
  }) as typeof fetch;
  const outcomes = await service.updateLists(actor, { only: ['un-sc'], fetcher });
  assert.deepEqual(requested, ['https://lists.example.test/un.xml']);
  assert.equal(outcomes.length, 1);
  const [outcome] = outcomes;
  assert.equal(outcome!.status, 'failed');
  assert.match(
    outcome!.status === 'failed' ? outcome!.reason : '',
    /the new file has 1 entries, the active version 3/,
  );
  const active = await activeUn(service);
  assert.deepEqual([active?.id, active?.entityCount], [first.versionId, 3]);
});

test('a download cut off midway fails that list as cut off, naming its URL; the version stays', async (t) => {
  const list = Buffer.from(unListXml(VERSION_2, '2026-03-08'));
  // Announces the whole file, sends half, and hangs up.
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/xml', 'content-length': list.length });
    response.write(list.subarray(0, list.length >> 1), () => response.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/consolidated.xml`;
  const { service } = await setUp(t, { 'un-sc': { 'consolidated.xml': url } });
  const first = await importUn(service, unListFile(VERSION_1));
  const [outcome] = await service.updateLists(actor, { only: ['un-sc'] });
  assert.equal(outcome?.status, 'failed');
  const active = await activeUn(service);
  assert.deepEqual([active?.id, active?.entityCount], [first.versionId, 3]);
  const reason = outcome.status === 'failed' ? outcome.reason : '';
  assert.ok(reason.startsWith(`${url} `), `the reason names the URL: ${reason}`);
  assert.match(reason, /was cut off: \d+ of \d+ bytes arrived$/);
});

test('an unreachable list server fails that list, naming its URL; the version stays', async (t) => {
  // A port that was just free: nothing listens there any more.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/consolidated.xml`;
  await new Promise((resolve) => probe.close(resolve));
  const { service } = await setUp(t, { 'un-sc': { 'consolidated.xml': url } });
  const first = await importUn(service, unListFile(VERSION_1));
  const [outcome] = await service.updateLists(actor, { only: ['un-sc'] });
  assert.equal(outcome?.status, 'failed');
  assert.equal((await activeUn(service))?.id, first.versionId);
  const reason = outcome.status === 'failed' ? outcome.reason : '';
  assert.ok(reason.includes(url), `the reason names the URL: ${reason}`);
});

test('a version that keeps the entries but loses over half the names (a missing alias file) is refused', async (t) => {
  const { service, database } = await setUp(t);
  const manyAliases = (entry: typeof KOZLOV, prefix: string) => ({
    ...entry,
    aliases: Array.from({ length: 6 }, (_, i) => `${prefix} ALIAS ${String.fromCharCode(65 + i)}`),
  });
  const full = [manyAliases(KOZLOV, 'KOZ'), manyAliases(TORRES, 'TOR'), manyAliases(HARBOUR, 'HAR')];
  const first = await importUn(service, unListFile(full));
  await assert.rejects(importUn(service, unListFile(VERSION_1)), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /names, the active version \d+/);
    assert.match(error.message, /a missing alias file/);
    return true;
  });
  assert.equal((await activeUn(service))?.id, first.versionId);
  assert.equal(await versionCount(database), 1);
});
