/**
 * The vault benchmark on one backend (DILIGENCE_TEST_BACKEND): sealing and opening field values,
 * blind indexes, streamed document encryption, and the overhead of sealing a client's personal
 * fields when 10,000 clients are created (sealed vs plaintext inserts, in transactions of 100, each
 * opening the keyring as the application does). Every sealed row is read back and opened, so a run
 * that sealed nothing cannot pass for a fast one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { sql } from 'kysely';
import { createAuditService } from '../src/modules/audit/index.ts';
import { AUTH_SEALED_TABLES } from '../src/modules/auth/index.ts';
import { MEMBERS_SEALED_TABLES } from '../src/modules/members/index.ts';
import { RISK_SEALED_TABLES } from '../src/modules/risk/index.ts';
import { CASES_SEALED_TABLES } from '../src/modules/cases/index.ts';
import { CLIENTS_SEALED_TABLES } from '../src/modules/clients/index.ts';
import { createVault, openLocalKeyProvider } from '../src/modules/vault/index.ts';
import { createDocumentDecrypter, createDocumentEncrypter } from '../src/modules/vault/document-stream.ts';
import { createKey, openField, sealField } from '../src/modules/vault/envelope.ts';
import { systemClock } from '../src/platform/clock.ts';
import { toTenantId, withTenant } from '../src/platform/db/scopes.ts';
import { createJobs } from '../src/platform/jobs/jobs.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createLocalDiskStorage } from '../src/platform/storage/object-storage.ts';
import { createTestDatabase, testBackend } from '../test/test-database.ts';
import { describeMachine, formatTable, timeWork, type BenchRow } from './bench-report.ts';

const FIELDS = 200_000;
const CLIENTS = 10_000;
const CLIENTS_PER_TRANSACTION = 100;
const DOCUMENT_BYTES = 64 * 1024 * 1024;

class BenchFailure extends Error {}

const info = (name: string, count: number, seconds: number): BenchRow => ({
  name,
  count,
  seconds,
  goal: '-',
  verdict: 'info',
});

// A client's personal fields as the KYC module will hold them (made-up values).
function sampleClient(index: number) {
  return {
    fullName: `Jane Marie Doe-${index}`,
    birthDate: '1984-02-29',
    nationality: 'DK',
    address: { street: `Nørregade ${index}`, postcode: '1165', city: 'København K', country: 'DK' },
    documentNumber: `P${String(index).padStart(8, '0')}`,
    email: `jane.doe.${index}@example.com`,
  };
}

async function measureFields(rows: BenchRow[]): Promise<void> {
  const key = createKey();
  const at = { tenantId: randomUUID(), table: 'clients', column: 'full_name_sealed', rowId: randomUUID() };
  const sealed: Buffer[] = [];
  const seal = await timeWork(async () => {
    for (let index = 0; index < FIELDS; index += 1)
      sealed.push(sealField(key, 1, at, 'text', `Jane Marie Doe-${index}`));
  });
  rows.push(info('seal a text field (~20 bytes)', FIELDS, seal.seconds));
  const open = await timeWork(async () => {
    for (const value of sealed) openField(() => key, at, 'text', value);
  });
  rows.push(info('open a text field', FIELDS, open.seconds));
  const address = sampleClient(1).address;
  const json = await timeWork(async () => {
    for (let index = 0; index < FIELDS / 4; index += 1)
      openField(() => key, at, 'json', sealField(key, 1, at, 'json', address));
  });
  rows.push(info('seal + open a JSON address', FIELDS / 4, json.seconds));
}

async function measureDocuments(rows: BenchRow[]): Promise<void> {
  const key = createKey();
  const aad = Buffer.from('bench');
  const plaintext = randomBytes(DOCUMENT_BYTES);
  const chunks = Array.from({ length: DOCUMENT_BYTES / 65_536 }, (_, index) =>
    plaintext.subarray(index * 65_536, (index + 1) * 65_536),
  );
  const encrypt = await timeWork(() => buffer(Readable.from(chunks).pipe(createDocumentEncrypter(key, aad))));
  rows.push(info('encrypt a document stream (MiB)', DOCUMENT_BYTES / 1024 / 1024, encrypt.seconds));
  const decrypt = await timeWork(() =>
    buffer(Readable.from([encrypt.result]).pipe(createDocumentDecrypter(key, aad))),
  );
  rows.push(info('decrypt a document stream (MiB)', DOCUMENT_BYTES / 1024 / 1024, decrypt.seconds));
  if (!decrypt.result.equals(plaintext))
    throw new BenchFailure('the document did not decrypt to its plaintext');
}

async function measureClients(rows: BenchRow[]): Promise<void> {
  const database = await createTestDatabase();
  const documentsDir = await mkdtemp(path.join(tmpdir(), 'diligence-bench-'));
  try {
    const admin = database.adminPool;
    await admin.query(`create table bench_clients_plain (tenant_id uuid, id uuid primary key, full_name text, birth_date date,
      nationality text, address jsonb, document_number text, email text)`);
    await admin.query(`create table bench_clients_sealed (tenant_id uuid, id uuid primary key, full_name bytea, birth_date bytea,
      nationality bytea, address bytea, document_number bytea, email bytea, document_number_index bytea, email_index bytea)`);
    await admin.query('create index on bench_clients_sealed (tenant_id, document_number_index)');
    await admin.query('create index on bench_clients_sealed (tenant_id, email_index)');
    await admin.query('grant select, insert on bench_clients_plain, bench_clients_sealed to diligence_app');
    const db = database.db;
    const logger = createLogger('silent');
    const vault = createVault({
      db,
      keys: await openLocalKeyProvider({ kind: 'inline', keys: [{ id: 'kek-bench', key: createKey() }] }),
      storage: createLocalDiskStorage(documentsDir),
      clock: systemClock,
      jobs: createJobs({ database, logger }),
      audit: createAuditService({ db }),
      // The same declarations as the composition root: the start-up check refuses undeclared columns.
      sealedTables: [
        ...AUTH_SEALED_TABLES,
        ...MEMBERS_SEALED_TABLES,
        ...RISK_SEALED_TABLES,
        ...CLIENTS_SEALED_TABLES,
        ...CASES_SEALED_TABLES,
        { table: 'mail_outbox', scope: 'platform', columns: ['message_sealed'] },
      ],
    });
    await vault.ensureReady();
    const tenantId = toTenantId(randomUUID());
    const batches = CLIENTS / CLIENTS_PER_TRANSACTION;

    const plain = await timeWork(async () => {
      for (let batch = 0; batch < batches; batch += 1)
        await withTenant(db, tenantId, async (scope) => {
          const values = Array.from({ length: CLIENTS_PER_TRANSACTION }, (_, offset) => {
            const client = sampleClient(batch * CLIENTS_PER_TRANSACTION + offset);
            return sql`(${tenantId}, ${randomUUID()}, ${client.fullName}, ${client.birthDate}, ${client.nationality},
              ${JSON.stringify(client.address)}, ${client.documentNumber}, ${client.email})`;
          });
          await sql`insert into bench_clients_plain values ${sql.join(values)}`.execute(scope.trx);
        });
    });
    rows.push(
      info(`create clients, plaintext (${CLIENTS_PER_TRANSACTION}/transaction)`, CLIENTS, plain.seconds),
    );

    const sealed = await timeWork(async () => {
      for (let batch = 0; batch < batches; batch += 1)
        await withTenant(db, tenantId, async (scope) => {
          const keyring = await vault.keyring(scope);
          const values = Array.from({ length: CLIENTS_PER_TRANSACTION }, (_, offset) => {
            const client = sampleClient(batch * CLIENTS_PER_TRANSACTION + offset);
            const rowId = randomUUID();
            const place = (column: string) => ({ table: 'bench_clients_sealed', column, rowId });
            return sql`(${tenantId}, ${rowId}, ${keyring.seal(place('full_name'), 'text', client.fullName)},
              ${keyring.seal(place('birth_date'), 'date', client.birthDate)},
              ${keyring.seal(place('nationality'), 'text', client.nationality)},
              ${keyring.seal(place('address'), 'json', client.address)},
              ${keyring.seal(place('document_number'), 'text', client.documentNumber)},
              ${keyring.seal(place('email'), 'text', client.email)},
              ${keyring.blindIndex('clients.document_number', 'identifier', client.documentNumber)},
              ${keyring.blindIndex('clients.email', 'email', client.email)})`;
          });
          await sql`insert into bench_clients_sealed values ${sql.join(values)}`.execute(scope.trx);
        });
    });
    rows.push(info('create clients, 6 sealed fields + 2 blind indexes', CLIENTS, sealed.seconds));

    const read = await timeWork(() =>
      withTenant(db, tenantId, async (scope) => {
        const keyring = await vault.keyring(scope);
        const all = await sql<{
          id: string;
          full_name: Buffer;
          address: Buffer;
        }>`select id, full_name, address from bench_clients_sealed`.execute(scope.trx);
        let opened = 0;
        for (const row of all.rows) {
          keyring.open(
            { table: 'bench_clients_sealed', column: 'full_name', rowId: row.id },
            'text',
            row.full_name,
          );
          keyring.open(
            { table: 'bench_clients_sealed', column: 'address', rowId: row.id },
            'json',
            row.address,
          );
          opened += 1;
        }
        return opened;
      }),
    );
    if (read.result !== CLIENTS)
      throw new BenchFailure(`read back ${read.result} clients, expected ${CLIENTS}`);
    rows.push(info('read + open name and address of every client', CLIENTS, read.seconds));

    const lookup = await timeWork(() =>
      withTenant(db, tenantId, async (scope) => {
        const keyring = await vault.keyring(scope);
        const index = keyring.blindIndex('clients.document_number', 'identifier', 'p 0000 4242');
        const found = await sql<{
          id: string;
        }>`select id from bench_clients_sealed where tenant_id = ${tenantId} and document_number_index = ${index}`.execute(
          scope.trx,
        );
        return found.rows.length;
      }),
    );
    if (lookup.result !== 1)
      throw new BenchFailure(`blind-index lookup found ${lookup.result} rows, expected 1`);
    rows.push(info('blind-index lookup of one document number', 1, lookup.seconds));
    const overheadMs = ((sealed.seconds - plain.seconds) * 1000) / CLIENTS;
    console.log(
      `sealing overhead per client created: ${overheadMs.toFixed(3)} ms (${((sealed.seconds / plain.seconds - 1) * 100).toFixed(0)} %)`,
    );
  } finally {
    await database.close();
    await rm(documentsDir, { recursive: true, force: true });
  }
}

console.log(`vault benchmark on ${testBackend}; machine: ${describeMachine()}`);
const rows: BenchRow[] = [];
await measureFields(rows);
await measureDocuments(rows);
await measureClients(rows);
console.log(formatTable(rows));
