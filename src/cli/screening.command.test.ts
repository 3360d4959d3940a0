// `diligence lists import | update | status` and `diligence screen` as an operator uses them, in a
// child process on one data folder (the tests build on each other, in order: each spawn costs
// seconds). A broken file or a failed download must leave the active version as it was.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { runDiligence } from '../../test/cli-runner.ts';
import { testBackend } from '../../test/test-database.ts';
import type { ListStatus } from '../modules/screening/index.ts';
/* eslint-disable boundaries/dependencies -- the crafted list files are test fixtures, not module surface */
import {
  KOZLOV,
  TORRES,
  TRUNCATED_XML,
  unListXml,
  VERSION_1,
  VERSION_2,
} from '../modules/screening/screening.test-fixtures.ts';
/* eslint-enable boundaries/dependencies */

const skip = testBackend === 'postgres' ? 'the command line is exercised on the embedded database' : false;
const options = { skip, timeout: 120_000 };
// One index thread is plenty for three entries, and starts faster.
const ENV = { DILIGENCE_SCREENING_THREADS: '1' };

// The list server runs in a worker thread: runDiligence blocks this thread until the command exits.
const LIST_SERVER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const list = Buffer.from(workerData.list);
const server = createServer((request, response) => {
  if (request.url === '/consolidated.xml') {
    response.writeHead(200, { 'content-type': 'application/xml', 'content-length': list.length });
    response.end(list);
  } else if (request.url === '/empty') {
    response.writeHead(200, { 'content-type': 'application/xml', 'content-length': 0 });
    response.end();
  } else if (request.url === '/error') {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end('internal error');
  } else if (request.url === '/cut') {
    // Announces the whole file, sends half, and hangs up: a download cut off midway.
    response.writeHead(200, { 'content-type': 'application/xml', 'content-length': list.length });
    response.write(list.subarray(0, list.length >> 1), () => response.socket.destroy());
  } else {
    response.writeHead(404);
    response.end();
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

let root: string;
let dataDir: string;
let listServer: Worker | null = null;
let listServerUrl: string;
// What the failed update of the cut-off download printed (read by the last test).
let cutOffReason = '';

const diligence = (...args: string[]) => runDiligence({ dataDir, extraEnv: ENV }, ...args);

const updateFrom = (pathname: string) =>
  runDiligence(
    {
      dataDir,
      extraEnv: {
        ...ENV,
        DILIGENCE_LIST_URLS: JSON.stringify({
          'un-sc': { 'consolidated.xml': `${listServerUrl}${pathname}` },
        }),
      },
    },
    'lists',
    'update',
    'un-sc',
  );

function activeUn(): NonNullable<ListStatus['activeVersion']> {
  const status = diligence('lists', 'status', '--json');
  assert.equal(status.status, 0, status.stderr);
  const lists = (JSON.parse(status.stdout) as { lists: ListStatus[] }).lists;
  const version = lists.find((list) => list.listId === 'un-sc')?.activeVersion;
  assert.ok(version, 'un-sc has an active version');
  return version;
}

function assertNoStackTrace(output: string): void {
  assert.doesNotMatch(output, /^\s+at /m, output);
  assert.doesNotMatch(output, /unexpected error/, output);
}

before(async () => {
  // The key file is made beside the data folder (root/keys), as in a real installation.
  root = await mkdtemp(path.join(tmpdir(), 'diligence-screening-cli-'));
  dataDir = path.join(root, 'data');
  await writeFile(path.join(root, 'consolidated.xml'), unListXml(VERSION_1));
  await writeFile(path.join(root, 'truncated.xml'), TRUNCATED_XML);
  await writeFile(
    path.join(root, 'names.csv'),
    'name,birth_date,country\nKozlov Viktor Aleksandrovich,1968-03-14,ru\nNobody Atall,,\nMaria Elena Torres Valdez,1975,\n',
  );
  if (skip) return;
  const worker = new Worker(LIST_SERVER, {
    eval: true,
    workerData: { list: unListXml(VERSION_2, '2026-03-08') },
  });
  listServer = worker;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  listServerUrl = `http://127.0.0.1:${port}`;
});
after(async () => {
  await listServer?.terminate();
  await rm(root, { recursive: true, force: true });
});

test('lists import reads a file as version 1, and lists status shows it', options, () => {
  const imported = diligence('lists', 'import', 'un-sc', path.join(root, 'consolidated.xml'));
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(
    imported.stdout,
    /^un-sc: imported v1, 3 entries \(published 2026-03-01\); \+3 added, -0 removed, ~0 changed\.$/m,
  );
  const status = diligence('lists', 'status');
  assert.equal(status.status, 0, status.stderr);
  assert.match(
    status.stdout,
    /^un-sc\s+v1, 3 entries, published 2026-03-01, imported \S+; last delta \+3 -0 ~0$/m,
  );
  assert.match(status.stdout, /^ofac-sdn\s+not imported$/m);
});

test('screen prints the hit with its explanation; --file screens every row', options, () => {
  const screened = diligence('screen', 'Козлов Виктор Александрович', '--dob', '1968-03-14');
  assert.equal(screened.status, 0, screened.stderr);
  assert.match(screened.stdout, /^Козлов Виктор Александрович: 1 hit\(s\)$/m);
  assert.match(
    screened.stdout,
    /^ {2}[\d.]+ {2}un-sc XXi\.001 {2}VIKTOR ALEKSANDROVICH KOZLOV {2}\[person; sanction\]$/m,
  );
  assert.match(
    screened.stdout,
    /matched "VIKTOR ALEKSANDROVICH KOZLOV" \(primary\): name [\d.]+ \(.*"kozlov" exact.*\), birth date exact \(\+[\d.]+\) → [\d.]+ ≥ threshold 0\.85$/m,
  );

  const batch = diligence('screen', '--file', path.join(root, 'names.csv'), '--json');
  assert.equal(batch.status, 0, batch.stderr);
  const { results } = JSON.parse(batch.stdout) as {
    results: {
      name: string;
      hits: { sourceId: string; explanation: { birthDate: { outcome: string } } }[];
    }[];
  };
  assert.deepEqual(
    results.map((result) => [result.name, result.hits.map((hit) => hit.sourceId)]),
    [
      ['Kozlov Viktor Aleksandrovich', [KOZLOV.referenceNumber]],
      ['Nobody Atall', []],
      ['Maria Elena Torres Valdez', [TORRES.referenceNumber]],
    ],
  );
  assert.equal(results[0]!.hits[0]!.explanation.birthDate.outcome, 'exact', 'the CSV birth date is used');
});

test('a broken file is refused with a readable message, and the active version stays', options, () => {
  const refused = diligence('lists', 'import', 'un-sc', path.join(root, 'truncated.xml'));
  assert.equal(refused.status, 1, refused.stdout);
  assert.match(
    refused.stderr,
    /^diligence: un-sc: truncated\.xml: broken XML at line \d+.*\(is the file truncated\?\) The active version is unchanged\.$/m,
  );
  assertNoStackTrace(refused.stderr);
  const version = activeUn();
  assert.deepEqual([version.sequence, version.entityCount], [1, 3]);
});

test('lists update downloads from the configured URL and imports the new version', options, () => {
  const updated = updateFrom('/consolidated.xml');
  assert.equal(updated.status, 0, updated.stderr);
  assert.match(updated.stdout, /^un-sc\s+imported: 3 entries, \+1 -1 ~1$/m);
  // lists status is read in the next test, which must find this version still active.
});

test('an empty, failed or cut-off download fails the list; the previous version stays', options, () => {
  const reasons = ['/empty', '/error', '/cut'].map((pathname) => {
    const failed = updateFrom(pathname);
    assert.equal(failed.status, 1, `${pathname}: ${failed.stdout}`);
    assert.match(
      failed.stderr,
      /^diligence: 1 list\(s\) failed to update; their active versions are unchanged\.$/m,
    );
    assertNoStackTrace(failed.stderr);
    const line = /^un-sc\s+FAILED: (.*)$/m.exec(failed.stdout);
    assert.ok(line, `${pathname}: ${failed.stdout}`);
    return line[1]!;
  });
  const version = activeUn();
  assert.deepEqual(
    [version.sequence, version.entityCount, version.publishedAt, version.sourceLabel],
    [2, 3, '2026-03-08', `${listServerUrl}/consolidated.xml`],
  );
  assert.equal(reasons[0], `${listServerUrl}/empty sent an empty file`);
  assert.equal(reasons[1], `${listServerUrl}/error answered HTTP 500`);
  cutOffReason = reasons[2]!;
});

test('a download cut off midway is reported as cut off, naming its URL', options, () => {
  // The server announced the whole file and hung up halfway: the operator must be told that, not
  // just that something "terminated".
  const prefix = `${listServerUrl}/cut `;
  assert.ok(cutOffReason.startsWith(prefix), `the reason names the URL: ${cutOffReason}`);
  assert.match(cutOffReason.slice(prefix.length), /^was cut off: \d+ of \d+ bytes arrived$/);
});
