// Migrations: applied on both backends, atomic when one fails, refused when history was edited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  createTestDatabase,
  runAsOwner,
  testBackend,
  testPostgresAdminUrl,
  type TestDatabase,
} from '../../../test/test-database.ts';
import { openDatabase } from './database.ts';
import { toTenantId, withTenant } from './scopes.ts';
import {
  listPendingMigrations,
  migrate,
  MigrationError,
  readMigrationFiles,
  type MigrationFile,
} from './migrator.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

async function tableNames(): Promise<string[]> {
  const result = await runAsOwner(
    database,
    "select table_name from information_schema.tables where table_schema = 'public' order by 1",
  );
  return result.rows.map((row) => row.table_name as string);
}

test('every migration file is applied and the database reports nothing pending', async () => {
  const files = await readMigrationFiles();
  assert.ok(files.length > 0);
  assert.deepEqual(await listPendingMigrations(database.pool), []);
  const applied = await runAsOwner(database, 'select version from schema_migrations order by version');
  assert.deepEqual(
    applied.rows.map((row) => row.version),
    files.map((file) => file.version),
  );
  assert.deepEqual(await tableNames(), [
    'account_setup_tokens',
    'audit_chain_heads',
    'audit_entries',
    'auth_challenges',
    'client_ownership',
    'client_parties',
    'clients',
    'invitations',
    'kyc_case_comments',
    'kyc_case_events',
    'kyc_cases',
    'kyc_check_runs',
    'kyc_hits',
    'mail_outbox',
    'memberships',
    'recovery_codes',
    'risk_answer_sets',
    'risk_client_documents',
    'risk_client_profiles',
    'risk_client_types',
    'risk_country_levels',
    'risk_document_requirements',
    'risk_dry_runs',
    'risk_evaluations',
    'risk_firm_assessments',
    'risk_industry_levels',
    'risk_models',
    'risk_overrides',
    'risk_questionnaire_versions',
    'risk_services',
    'risk_table_changes',
    'schema_migrations',
    'screening_entities',
    'screening_list_changes',
    'screening_list_versions',
    'screening_lists',
    'screening_settings',
    'second_factors',
    'sessions',
    'sign_in_throttles',
    'tenants',
    'user_passwords',
    'users',
    'vault_data_keys',
    'vault_documents',
    'vault_key_encryption_keys',
    'vault_keyrings',
    'vault_reencryptions',
  ]);
});

test('running migrate again applies nothing', async () => {
  const report = await migrate(database.adminPool);
  assert.deepEqual(report.applied, []);
  assert.equal(report.jobsSchemaChanged, false);
});

test('a failing migration leaves the database exactly as it was', async () => {
  const files = await readMigrationFiles();
  const before = await tableNames();
  const broken: MigrationFile[] = [
    ...files,
    {
      version: '29990101000000',
      name: 'creates_then_fails',
      sql: 'create table half_done (id int); select 1/0;',
      checksum: 'a',
    },
    { version: '29990101000001', name: 'never_reached', sql: 'create table never (id int);', checksum: 'b' },
  ];
  await assert.rejects(migrate(database.adminPool, broken), (error: unknown) => {
    assert.ok(error instanceof MigrationError);
    assert.match(error.message, /29990101000000_creates_then_fails failed: division by zero/);
    return true;
  });
  assert.deepEqual(await tableNames(), before);
  assert.deepEqual(await listPendingMigrations(database.pool, broken), ['29990101000000', '29990101000001']);
});

test('an applied migration whose file changed is refused', async () => {
  const files = await readMigrationFiles();
  const edited = files.map((file, index) => (index === 0 ? { ...file, checksum: 'tampered' } : file));
  await assert.rejects(migrate(database.adminPool, edited), /was changed after it was applied/);
});

test('a database migrated by a newer release is refused', async () => {
  const files = await readMigrationFiles();
  await assert.rejects(migrate(database.adminPool, files.slice(1)), /does not know/);
});

test('the application role owns nothing and cannot bypass row-level security', async () => {
  const role = await runAsOwner(
    database,
    "select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'diligence_app'",
  );
  assert.deepEqual(role.rows[0], { rolsuper: false, rolbypassrls: false, rolcanlogin: false });
  const owned = await runAsOwner(
    database,
    "select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'diligence_app'",
  );
  assert.equal(owned.rows[0].n, 0);
});

test('every table but the migration ledger has forced row-level security and a policy', async () => {
  const result = await runAsOwner(
    database,
    `select c.relname, c.relrowsecurity, c.relforcerowsecurity,
            (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations'`,
  );
  assert.ok(result.rows.length >= 14, 'expected the application tables');
  for (const row of result.rows) {
    assert.equal(row.relrowsecurity, true, `${row.relname}: RLS not enabled`);
    assert.equal(row.relforcerowsecurity, true, `${row.relname}: RLS not forced`);
    assert.ok(row.policies >= 1, `${row.relname}: no policy`);
  }
});

test(
  'a non-superuser owner can migrate and run the application as documented in the README',
  { skip: testBackend === 'pglite' ? 'PGlite has only its superuser' : false },
  async () => {
    const owner = 'diligence_test_owner';
    const name = `diligence_own_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testPostgresAdminUrl });
    await admin.connect();
    try {
      await admin.query(`do $$ begin
          if not exists (select 1 from pg_roles where rolname = '${owner}') then
            create role ${owner} login createrole nosuperuser nobypassrls;
          end if;
        end $$`);
      await admin.query(`create database ${name} owner ${owner}`);
      const url = new URL(testPostgresAdminUrl);
      url.pathname = `/${name}`;
      url.username = owner;
      const database = await openDatabase({
        kind: 'postgres',
        url: url.toString(),
        adminUrl: url.toString(),
        poolSize: 2,
      });
      try {
        assert.equal(await database.isRuntimeSuperuser(), false);
        const report = await migrate(database.adminPool);
        assert.equal(report.applied.length, (await readMigrationFiles()).length);
        const tenant = toTenantId(randomUUID());
        await withTenant(database.db, tenant, (scope) =>
          scope.insertInto('audit_chain_heads', { last_seq: 0, last_hash: Buffer.alloc(32) }).execute(),
        );
        const seenByOther = await withTenant(database.db, toTenantId(randomUUID()), (scope) =>
          scope.trx.selectFrom('audit_chain_heads').selectAll().execute(),
        );
        assert.deepEqual(seenByOther, [], 'row-level security applies to the owner too');
      } finally {
        await database.close();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  },
);
