/** SQL for tenants. Runs in the platform scope (create, list) or the tenant's own scope (read). */
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { CreateTenantInput } from './tenants.schemas.ts';

/** A tenant row. */
export type TenantRow = {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  created_at: Date;
};

const COLUMNS = ['id', 'slug', 'name', 'status', 'created_at'] as const;

/** Inserts a tenant; a duplicate slug raises a unique violation. */
export async function insertTenant(scope: TenantScope, input: CreateTenantInput): Promise<TenantRow> {
  return scope.trx
    .insertInto('tenants')
    .values({ slug: input.slug, name: input.name })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Finds a tenant visible in this scope (its own row, or any row in the platform scope). */
export async function findTenant(scope: TenantScope, id: string): Promise<TenantRow | undefined> {
  return scope.trx.selectFrom('tenants').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Lists tenants visible in this scope, oldest first. */
export async function listTenants(scope: TenantScope, limit: number): Promise<TenantRow[]> {
  return scope.trx
    .selectFrom('tenants')
    .select(COLUMNS)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
