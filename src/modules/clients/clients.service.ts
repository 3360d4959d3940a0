/**
 * Clients: creating and changing a client with its ownership structure (checked, sealed, audited
 * and handed to the cases module in one transaction), reading it back opened, exact lookups
 * through the blind indexes, and the opened view the KYC pipeline checks.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { Keyring, Vault } from '../vault/index.ts';
import type { ClientData } from './client-data.schemas.ts';
import type { ClientAuditEvent } from './clients.events.ts';
import * as repo from './clients.repo.ts';
import type { ClientInput, ClientsQueryInput, PartyData } from './clients.schemas.ts';
import * as sealing from './clients.sealing.ts';
import {
  checkInput,
  kindOf,
  planStructure,
  refuse,
  sameStructure,
  type ClientKindCode,
  type StructurePlan,
} from './clients.structure.ts';

/** The clients service. */
export type ClientsService = ReturnType<typeof createClientsService>;

/** Why a client's checks must run: it was created, or its data or structure changed. */
export type ClientChange = { clientId: string; version: number; reason: 'onboarding' | 'client_changed' };

/** A client opened for the KYC checks: its data, its parties and its ownership edges. */
export type ClientForChecks = {
  id: string;
  kind: ClientKindCode;
  version: number;
  data: ClientData;
  dataHash: Buffer;
  parties: {
    id: string;
    kind: ClientKindCode;
    data: PartyData;
    dataHash: Buffer;
    countryCode: string | null;
  }[];
  edges: { ownerId: string; ownedId: string; role: repo.EdgeRow['role']; percent: number | null }[];
};

/** What the service is built from; `onClientChanged` runs inside the transaction of every change. */
export type ClientsDeps = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  vault: Pick<Vault, 'keyring'>;
  onClientChanged(scope: TenantScope, change: ClientChange): Promise<void>;
};

const DEFAULT_PAGE = 50;
const toEdge = (edge: repo.EdgeRow) => ({
  ownerId: edge.owner_id,
  ownedId: edge.owned_id,
  role: edge.role,
  percent: edge.percent,
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// created_by is a person's or API client's uuid; the system acts under a name, recorded as nobody.
const actorUuid = (actor: Actor): string | null => (UUID.test(actor.id) ? actor.id : null);

/** Builds the service. */
export function createClientsService({ db, audit, clock, vault, onClientChanged }: ClientsDeps) {
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) => {
    if (!actor.tenantId) throw new AppError('forbidden', 'Clients belong to a tenant; sign in to one.');
    return withTenant(db, actor.tenantId, work);
  };
  const today = () => clock.now().toISOString().slice(0, 10);

  const record = (scope: TenantScope, actor: Actor, clientId: string, event: ClientAuditEvent) =>
    audit.record(scope, [
      {
        action: event.action,
        actor: { kind: actor.kind, id: actor.id },
        outcome: 'success',
        target: { type: 'client', id: clientId },
        details: event.details,
      },
    ]);

  async function getRow(scope: TenantScope, id: string, forUpdate = false): Promise<repo.ClientRow> {
    const row = await repo.findClient(scope, id, forUpdate);
    if (!row) throw new AppError('not_found', 'There is no such client.');
    return row;
  }

  /** Replaces the stored structure with the plan: parties kept by id, changed ones re-sealed. */
  async function writeStructure(
    scope: TenantScope,
    keyring: Keyring,
    clientId: string,
    stored: repo.PartyRow[],
    plan: StructurePlan,
  ): Promise<void> {
    const now = clock.now();
    const planned = new Set(plan.parties.map((party) => party.id));
    const byId = new Map(stored.map((row) => [row.id, row]));
    await repo.deleteEdges(scope, clientId);
    await repo.deleteParties(
      scope,
      clientId,
      stored.filter((row) => !planned.has(row.id)).map((row) => row.id),
    );
    const fresh = [];
    for (const party of plan.parties) {
      const row = byId.get(party.id);
      if (row?.data_hash.equals(party.dataHash)) continue;
      const columns = {
        kind: party.kind,
        ...sealing.sealParty(keyring, party.id, party.data),
        country_code: party.countryCode,
        updated_at: now,
      };
      if (row) await repo.updateParty(scope, party.id, columns);
      else fresh.push({ id: party.id, client_id: clientId, created_at: now, ...columns });
    }
    await repo.insertParties(scope, fresh);
    await repo.insertEdges(scope, clientId, plan.edges);
  }

  /** The client's row, data, parties and edges, opened. */
  async function openClient(scope: TenantScope, id: string) {
    const row = await getRow(scope, id);
    const keyring = await vault.keyring(scope);
    const parties = await repo.listParties(scope, id);
    return {
      row,
      data: sealing.openClientData(keyring, row),
      parties: parties.map((party) => ({ row: party, data: sealing.openPartyData(keyring, party) })),
      edges: await repo.listEdges(scope, id),
    };
  }

  return {
    /** Creates a client with its structure and opens its onboarding case. */
    async createClient(actor: Actor, input: ClientInput) {
      const warnings = checkInput(input, today());
      const id = randomUUID();
      const kind = kindOf(input.data);
      return inTenant(actor, async (scope) => {
        const keyring = await vault.keyring(scope);
        const plan = planStructure(keyring, { id, kind }, input, []);
        const now = clock.now();
        const by = actorUuid(actor);
        await repo.insertClient(scope, {
          id,
          kind,
          ...sealing.sealClient(keyring, id, input.data),
          created_at: now,
          created_by: by,
          updated_at: now,
          updated_by: by,
        });
        await writeStructure(scope, keyring, id, [], plan);
        const counts = { parties: plan.parties.length, edges: plan.edges.length };
        await record(scope, actor, id, {
          action: 'client.created',
          details: { kind, version: 1, ...counts },
        });
        await onClientChanged(scope, { clientId: id, version: 1, reason: 'onboarding' });
        return { id, version: 1, kind, warnings };
      });
    },

    /** Replaces a client's data (and its structure when `parties` is sent); a new version only on a real change. */
    async updateClient(actor: Actor, id: string, input: ClientInput) {
      const warnings = checkInput(input, today());
      return inTenant(actor, async (scope) => {
        const current = await getRow(scope, id, true);
        const kind = kindOf(input.data);
        if (kind !== current.kind)
          refuse([{ pointer: '/data/kind', message: "A client's kind cannot change; create a new client." }]);
        const keyring = await vault.keyring(scope);
        const sealed = sealing.sealClient(keyring, id, input.data);
        const isDataChanged = !sealed.data_hash.equals(current.data_hash);
        const stored = await repo.listParties(scope, id);
        const storedEdges = await repo.listEdges(scope, id);
        const plan = input.parties ? planStructure(keyring, { id, kind }, input, stored) : null;
        const isStructureChanged = plan !== null && !sameStructure(stored, storedEdges, plan);
        if (!isDataChanged && !isStructureChanged)
          return { id, version: current.version, kind, changed: false, warnings };
        const version = current.version + 1;
        if (isStructureChanged) await writeStructure(scope, keyring, id, stored, plan);
        await repo.updateClient(scope, id, {
          ...(isDataChanged ? sealed : {}),
          version,
          updated_at: clock.now(),
          updated_by: actorUuid(actor),
        });
        await record(scope, actor, id, {
          action: 'client.updated',
          details: {
            version,
            isDataChanged,
            isStructureChanged,
            parties: plan?.parties.length ?? stored.length,
            edges: plan?.edges.length ?? storedEdges.length,
          },
        });
        await onClientChanged(scope, { clientId: id, version, reason: 'client_changed' });
        return { id, version, kind, changed: true, warnings };
      });
    },

    /** A client with its data, parties and edges, opened. */
    getClient: (actor: Actor, id: string) =>
      inTenant(actor, async (scope) => {
        const { row, data, parties, edges } = await openClient(scope, id);
        return {
          id: row.id,
          kind: row.kind,
          version: row.version,
          data,
          parties: parties.map(({ row: party, data: partyData }) => ({
            id: party.id,
            kind: party.kind,
            countryCode: party.country_code,
            data: partyData,
          })),
          ownership: edges.map(toEdge),
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        };
      }),

    /** Exact lookup by name or by identifier and country (blind indexes); else every client, by id. */
    async findClients(actor: Actor, query: ClientsQueryInput) {
      const { name, identifier, country } = query;
      const at = (pointer: string, message: string) => ({ pointer, message });
      if (name !== undefined && identifier !== undefined)
        refuse([at('/identifier', 'Look up by name or by identifier, not both.')], 'querystring');
      if ((identifier === undefined) !== (country === undefined))
        refuse(
          [at('/country', 'An identifier is looked up with the country that issued it.')],
          'querystring',
        );
      const page = { after: query.after ?? null, limit: query.limit ?? DEFAULT_PAGE };
      return inTenant(actor, async (scope) => {
        const next = (rows: { id: string }[]) => (rows.length === page.limit ? rows.at(-1)!.id : null);
        if (name === undefined && identifier === undefined) {
          const rows = await repo.listClients(scope, page);
          return { clients: rows, next: next(rows) };
        }
        const keyring = await vault.keyring(scope);
        const rows =
          name !== undefined
            ? await repo.listClientsByIndex(scope, 'name_index', sealing.clientNameIndex(keyring, name), page)
            : await repo.listClientsByIndex(
                scope,
                'identifier_index',
                sealing.clientIdentifierIndex(keyring, country!, identifier!),
                page,
              );
        const clients = rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          version: row.version,
          name: sealing.displayName(sealing.openClientData(keyring, row)),
        }));
        return { clients, next: next(rows) };
      });
    },

    /** The client opened for the KYC checks, inside the caller's transaction; throws when absent. */
    async loadClientForChecks(scope: TenantScope, clientId: string): Promise<ClientForChecks> {
      const { row, data, parties, edges } = await openClient(scope, clientId);
      return {
        id: row.id,
        kind: row.kind,
        version: row.version,
        data,
        dataHash: row.data_hash,
        parties: parties.map(({ row: party, data: partyData }) => ({
          id: party.id,
          kind: party.kind,
          data: partyData,
          dataHash: party.data_hash,
          countryCode: party.country_code,
        })),
        edges: edges.map(toEdge),
      };
    },

    /** Every client id of the scope's tenant (ongoing monitoring walks them). */
    listClientIds: (scope: TenantScope) => repo.listClientIds(scope),
  };
}
