/** SQL for clients, their parties and their ownership edges (tenant scope first; rows stay sealed here). */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  ClientOwnershipTable,
  ClientPartiesTable,
  ClientsTable,
} from '../../platform/db/schema-clients.ts';
import type { TenantScope } from '../../platform/db/scopes.ts';

/** A client row. */
export type ClientRow = Selectable<ClientsTable>;
/** A party row. */
export type PartyRow = Selectable<ClientPartiesTable>;
/** An edge as the service reads it: the percent as a number. */
export type EdgeRow = {
  owner_id: string;
  owned_id: string;
  role: ClientOwnershipTable['role'];
  percent: number | null;
};
/** A client found or listed: no sealed data. */
export type ClientSummaryRow = Pick<ClientRow, 'id' | 'kind' | 'version'>;

type NewRow<T> = Omit<Insertable<T>, 'tenant_id'>;

/** A client, or null; `forUpdate` serialises writers of one client (versions never collide). */
export async function findClient(
  scope: TenantScope,
  id: string,
  forUpdate = false,
): Promise<ClientRow | null> {
  let query = scope.selectFrom('clients').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/** Inserts a client. */
export async function insertClient(scope: TenantScope, row: NewRow<ClientsTable>): Promise<void> {
  await scope.insertInto('clients', row).execute();
}

/** Changes a client's columns. */
export async function updateClient(
  scope: TenantScope,
  id: string,
  changes: Omit<Updateable<ClientsTable>, 'tenant_id' | 'id'>,
): Promise<void> {
  await scope.updateTable('clients').set(changes).where('id', '=', id).execute();
}

/** Clients whose index column equals `index`, by id after `after`. */
export async function listClientsByIndex(
  scope: TenantScope,
  column: 'name_index' | 'identifier_index',
  index: Buffer,
  page: { after: string | null; limit: number },
): Promise<Pick<ClientRow, 'id' | 'kind' | 'version' | 'data_sealed'>[]> {
  let query = scope
    .selectFrom('clients')
    .select(['id', 'kind', 'version', 'data_sealed'])
    .where(column, '=', index);
  if (page.after) query = query.where('id', '>', page.after);
  return query.orderBy('id').limit(page.limit).execute();
}

/** One page of the tenant's clients, by id after `after`. */
export async function listClients(
  scope: TenantScope,
  page: { after: string | null; limit: number },
): Promise<ClientSummaryRow[]> {
  let query = scope.selectFrom('clients').select(['id', 'kind', 'version']);
  if (page.after) query = query.where('id', '>', page.after);
  return query.orderBy('id').limit(page.limit).execute();
}

/** Every client id of the tenant. */
export async function listClientIds(scope: TenantScope): Promise<string[]> {
  const rows = await scope.selectFrom('clients').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** A client's parties, by id. */
export async function listParties(scope: TenantScope, clientId: string): Promise<PartyRow[]> {
  return scope
    .selectFrom('client_parties')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy('id')
    .execute();
}

/** Inserts parties. */
export async function insertParties(scope: TenantScope, rows: NewRow<ClientPartiesTable>[]): Promise<void> {
  if (rows.length > 0) await scope.insertInto('client_parties', rows).execute();
}

/** Changes a party's columns. */
export async function updateParty(
  scope: TenantScope,
  id: string,
  changes: Omit<Updateable<ClientPartiesTable>, 'tenant_id' | 'id' | 'client_id'>,
): Promise<void> {
  await scope.updateTable('client_parties').set(changes).where('id', '=', id).execute();
}

/** Deletes a client's parties by id (their edges must be gone first). */
export async function deleteParties(scope: TenantScope, clientId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await scope.deleteFrom('client_parties').where('client_id', '=', clientId).where('id', 'in', ids).execute();
}

/** A client's ownership edges, in a stable order. */
export async function listEdges(scope: TenantScope, clientId: string): Promise<EdgeRow[]> {
  const rows = await scope
    .selectFrom('client_ownership')
    .select(['owner_id', 'owned_id', 'role', 'percent'])
    .where('client_id', '=', clientId)
    .orderBy('owner_id')
    .orderBy('owned_id')
    .orderBy('role')
    .execute();
  // numeric arrives as text, so its 4 decimals survive; the graph computes with numbers.
  return rows.map((row) => ({ ...row, percent: row.percent === null ? null : Number(row.percent) }));
}

/** Inserts a client's edges. */
export async function insertEdges(scope: TenantScope, clientId: string, edges: EdgeRow[]): Promise<void> {
  if (edges.length === 0) return;
  await scope
    .insertInto(
      'client_ownership',
      edges.map((edge) => ({ client_id: clientId, ...edge })),
    )
    .execute();
}

/** Deletes every edge of a client. */
export async function deleteEdges(scope: TenantScope, clientId: string): Promise<void> {
  await scope.deleteFrom('client_ownership').where('client_id', '=', clientId).execute();
}
