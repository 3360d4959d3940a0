// A stolen database dump or data folder must reveal no email, TOTP secret, invitation link or
// document: the test populates a database through the real flows, then greps a logical dump of
// every table (pg_dump on PostgreSQL), the raw data files (PGlite) and the document folder.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import test from 'node:test';
import { promisify } from 'node:util';
import { openDatabase, type Database } from '../../platform/db/database.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import {
  createTestDatabase,
  testBackend,
  testPostgresAdminUrl,
  type TestDatabase,
} from '../../../test/test-database.ts';
import { startTestServer } from '../../../test/test-server.ts';
import { createMember, createTenant, invitationToken, uniqueEmail } from '../../../test/sign-in-fixtures.ts';
import { systemActor } from '../../platform/actor.ts';

const run = promisify(execFile);

/** Every row of every table, as text (bytea as hex): what a logical dump holds. */
async function logicalDump(database: Database): Promise<string> {
  const tables = await database.adminPool.query(
    `select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema')`,
  );
  const parts: string[] = [];
  for (const { name } of tables.rows as { name: string }[]) {
    const rows = await database.adminPool.query(`select t::text as row from ${name} t`);
    for (const row of rows.rows as { row: string }[]) parts.push(row.row);
  }
  return parts.join('\n');
}

async function filesUnder(dir: string): Promise<Buffer[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) => readFile(path.join(entry.parentPath, entry.name))),
  );
}

function assertAbsent(haystack: Buffer, secrets: Record<string, string>, where: string): void {
  for (const [label, value] of Object.entries(secrets)) {
    assert.equal(haystack.includes(Buffer.from(value, 'utf8')), false, `${label} found in ${where}`);
    assert.equal(
      haystack.includes(Buffer.from(Buffer.from(value, 'utf8').toString('hex'))),
      false,
      `${label} (hex) found in ${where}`,
    );
  }
}

test('a dump of a populated database holds none of the personal values written to it', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'diligence-dump-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'data');
  const database: Database | TestDatabase =
    testBackend === 'pglite' ? await openDatabase({ kind: 'pglite', dataDir }) : await createTestDatabase();
  const server = await startTestServer({ database, env: { DILIGENCE_ROLES: 'api' } });
  let isStopped = false;
  t.after(async () => {
    if (!isStopped) await server.stop();
  });

  const tenantId = await createTenant(server);
  const member = await createMember(server, tenantId, ['compliance_officer'], {
    email: uniqueEmail('jane.dumptest'),
  });
  const pendingEmail = uniqueEmail('pending.invitee');
  await server.modules.members.inviteMember(
    { ...systemActor('test-inviter'), tenantId: toTenantId(tenantId) },
    { email: pendingEmail, roles: ['analyst'] },
  );
  const pendingToken = await invitationToken(server, pendingEmail);
  const documentText = 'P<DNKDOE<<JANE<MARIE<<<<<<<<<<<<<<<<<<<<<<<<';
  await server.modules.vault.documents.store(
    toTenantId(tenantId),
    Readable.from([Buffer.from(documentText.repeat(100))]),
    {
      mediaType: 'image/png',
    },
  );
  const secrets = {
    'member email': member.email,
    'member email local part': member.email.split('@')[0]!,
    'pending invitee email': pendingEmail,
    'TOTP secret': member.totpSecret,
    'invitation link token': pendingToken,
    'document text': documentText.slice(0, 20),
  };

  const dump = Buffer.from(await logicalDump(server.database));
  assert.ok(dump.length > 10_000, 'the dump holds data');
  assertAbsent(dump, secrets, 'the logical dump');
  // The documents folder holds only ciphertext.
  for (const file of await filesUnder(server.documentsDir)) assertAbsent(file, secrets, 'a stored document');

  if (testBackend === 'postgres') {
    const url = new URL(testPostgresAdminUrl);
    url.pathname = `/${(database as TestDatabase).name}`;
    const { stdout } = await run('pg_dump', ['--data-only', url.toString()], {
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.ok(stdout.includes('vault_data_keys'), 'pg_dump ran');
    assertAbsent(Buffer.from(stdout), secrets, 'pg_dump');
    await server.stop();
    isStopped = true;
  } else {
    await server.stop(); // checkpoints and closes: the data folder is what a copied backup holds
    isStopped = true;
    const files = await filesUnder(dataDir);
    assert.ok(files.length > 100, 'the data folder holds the database files');
    for (const file of files) assertAbsent(file, secrets, `the data folder`);
  }
});
