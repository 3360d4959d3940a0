/**
 * The one way application code reaches tenant data: a transaction opened for one tenant.
 *
 * Two locks, so that a forgotten filter cannot leak data:
 *  1. the query builders below add `tenant_id = <scope>` to every statement on a tenant table;
 *  2. the transaction switches to the `diligence_app` role (owns no table, not a superuser) and
 *     sets `app.tenant_id`, so PostgreSQL's row-level-security policies hide every other
 *     tenant's rows even from a query that skips the builders (`scope.trx`).
 */
import {
  sql,
  type DeleteQueryBuilder,
  type DeleteResult,
  type InsertQueryBuilder,
  type InsertResult,
} from 'kysely';
import type {
  Insertable,
  Kysely,
  SelectQueryBuilder,
  Transaction,
  UpdateQueryBuilder,
  UpdateResult,
} from 'kysely';
import type { Schema, TenantTableName } from './schema.ts';

/** The role every application transaction runs as. */
export const APP_ROLE = 'diligence_app';

/** The chain id the platform's own audit entries use (no tenant owns them). */
export const PLATFORM_SCOPE_ID = '00000000-0000-0000-0000-000000000000';

/** A tenant's id (a UUID), branded so it is not confused with other ids. */
export type TenantId = string & { readonly __brand: 'TenantId' };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks the shape of a tenant id and brands it. */
export function toTenantId(value: string): TenantId {
  if (!UUID_PATTERN.test(value)) throw new TypeError('A tenant id must be a lowercase UUID');
  return value as TenantId;
}

type RowsOf<T extends TenantTableName> = Omit<Insertable<Schema[T]>, 'tenant_id'>;

/** A transaction bound to one tenant. */
export type TenantScope = {
  readonly tenantId: TenantId;
  /** The raw transaction: still confined to the tenant by row-level security. */
  readonly trx: Transaction<Schema>;
  selectFrom<T extends TenantTableName>(table: T): SelectQueryBuilder<Schema, T, object>;
  updateTable<T extends TenantTableName>(table: T): UpdateQueryBuilder<Schema, T, T, UpdateResult>;
  deleteFrom<T extends TenantTableName>(table: T): DeleteQueryBuilder<Schema, T, DeleteResult>;
  insertInto<T extends TenantTableName>(
    table: T,
    rows: RowsOf<T> | RowsOf<T>[],
  ): InsertQueryBuilder<Schema, T, InsertResult>;
};

async function enterScope(
  trx: Transaction<Schema>,
  tenantId: string,
  scope: 'tenant' | 'platform' | 'identity',
): Promise<void> {
  await sql`select set_config('role', ${APP_ROLE}, true),
                   set_config('app.tenant_id', ${tenantId}, true),
                   set_config('app.scope', ${scope}, true)`.execute(trx);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- Kysely cannot type a builder over a
   generic table name; the public signatures above carry the types. */
function bindTenant(trx: Transaction<Schema>, tenantId: TenantId): TenantScope {
  const column = (table: string) => sql.ref(`${table}.tenant_id`);
  return {
    tenantId,
    trx,
    selectFrom: (table) => (trx.selectFrom(table) as any).where(column(table), '=', tenantId),
    updateTable: (table) => (trx.updateTable(table) as any).where(column(table), '=', tenantId),
    deleteFrom: (table) => (trx.deleteFrom(table) as any).where(column(table), '=', tenantId),
    insertInto: (table, rows) => {
      const list = Array.isArray(rows) ? rows : [rows];
      return (trx.insertInto(table) as any).values(list.map((row) => ({ ...row, tenant_id: tenantId })));
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Runs `work` in one transaction confined to `tenantId`; commits when it resolves. */
export async function withTenant<T>(
  db: Kysely<Schema>,
  tenantId: TenantId,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterScope(trx, tenantId, 'tenant');
    return work(bindTenant(trx, tenantId));
  });
}

/**
 * Runs `work` in one transaction in the platform scope: it may create and list tenants, and its
 * tenant-table statements (the platform's audit chain) are bound to the nil UUID.
 */
export async function withPlatform<T>(
  db: Kysely<Schema>,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterScope(trx, PLATFORM_SCOPE_ID, 'platform');
    return work(bindTenant(trx, PLATFORM_SCOPE_ID as TenantId));
  });
}

/**
 * Runs `work` in one transaction in the identity scope: people, credentials and sessions (tables
 * no tenant owns), memberships across tenants, and the platform's audit chain. Only sign-in and
 * account code opens it; it cannot create tenants or read any tenant's data.
 */
export async function withIdentity<T>(
  db: Kysely<Schema>,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterScope(trx, PLATFORM_SCOPE_ID, 'identity');
    return work(bindTenant(trx, PLATFORM_SCOPE_ID as TenantId));
  });
}

/**
 * Runs `work` for one tenant inside an identity-scope transaction (accepting an invitation writes
 * the membership and the tenant's audit entry atomically with the new account), then returns to
 * the identity scope.
 */
export async function withinTenant<T>(
  identity: TenantScope,
  tenantId: TenantId,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  await enterScope(identity.trx, tenantId, 'tenant');
  const result = await work(bindTenant(identity.trx, tenantId));
  await enterScope(identity.trx, PLATFORM_SCOPE_ID, 'identity');
  return result;
}
