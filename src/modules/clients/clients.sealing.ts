/**
 * How a client's and its parties' data are stored: sealed whole by the tenant's keyring, with
 * keyed blind indexes for exact lookups and a keyed hash of the data to notice a change, so no
 * column holds a name, a birth date or a number in clear.
 */
import type { FieldPlace, Keyring } from '../vault/index.ts';
import { BLIND_INDEXED, blindIndexInput, foldForBlindIndex, type ClientData } from './client-data.schemas.ts';
import type { PartyData } from './clients.schemas.ts';

const clientPlace = (id: string): FieldPlace => ({ table: 'clients', column: 'data_sealed', rowId: id });
const partyPlace = (id: string): FieldPlace => ({
  table: 'client_parties',
  column: 'data_sealed',
  rowId: id,
});

// Each table has its own index fields: the vault keys the field name in, so equal values in two
// fields give unrelated indexes and a leaked column cannot be joined against another.
const FIELDS = {
  clientName: 'clients.name',
  clientIdentifier: 'clients.identifier',
  clientData: 'clients.data',
  partyName: 'client_parties.name',
  partyData: 'client_parties.data',
} as const;

/** The sealed columns of a client row. */
export type SealedClient = {
  data_sealed: Buffer;
  name_index: Buffer;
  identifier_index: Buffer | null;
  data_hash: Buffer;
};

/** The sealed columns of a party row. */
export type SealedParty = { data_sealed: Buffer; name_index: Buffer; data_hash: Buffer };

/**
 * JSON with keys sorted at every level, so equal data gives equal text whatever the key order.
 * Non-ASCII characters are escaped because the vault's 'exact' index applies NFKC: escaped, two
 * spellings that differ only in Unicode form still hash apart and a correction counts as a change.
 */
export function canonicalJson(value: unknown): string {
  const sorted = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sorted);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node).filter(([, child]) => child !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]));
  };
  return JSON.stringify(sorted(value)).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The name a person or company is shown under: given names then family name for a person. */
export function displayName(data: { name: string | { givenNames: string; familyName: string } }): string {
  return typeof data.name === 'string' ? data.name : `${data.name.givenNames} ${data.name.familyName}`;
}

/** The folded name whose keyed hash is the name index (the same text as `blindIndexInput('name', …)`). */
export function nameIndexInput(name: string): string {
  return foldForBlindIndex(BLIND_INDEXED.name.normalisation, name);
}

/**
 * The text whose keyed hash is the identifier index of a number in a country. Registration and
 * document numbers share parts order and folding, and the register's compact form folds to the
 * same text as the number as typed, so one input finds either kind.
 */
export function identifierIndexInput(country: string, identifier: string): string {
  const { normalisation } = BLIND_INDEXED.registration_number;
  return `${foldForBlindIndex(normalisation, country)}:${foldForBlindIndex(normalisation, identifier)}`;
}

/** The name index of a name typed in a lookup. */
export const clientNameIndex = (keyring: Keyring, name: string): Buffer =>
  keyring.blindIndex(FIELDS.clientName, 'exact', nameIndexInput(name));

/** The identifier index of a number typed in a lookup. */
export const clientIdentifierIndex = (keyring: Keyring, country: string, identifier: string): Buffer =>
  keyring.blindIndex(FIELDS.clientIdentifier, 'exact', identifierIndexInput(country, identifier));

/** Seals a client's data, with its name and identifier indexes and its keyed hash. */
export function sealClient(keyring: Keyring, id: string, data: ClientData): SealedClient {
  const identifier = blindIndexInput(
    data.kind === 'legal_entity' ? 'registration_number' : 'document_number',
    data,
  );
  return {
    data_sealed: keyring.seal(clientPlace(id), 'json', data),
    name_index: keyring.blindIndex(FIELDS.clientName, 'exact', nameIndexInput(displayName(data))),
    identifier_index:
      identifier === null ? null : keyring.blindIndex(FIELDS.clientIdentifier, 'exact', identifier),
    data_hash: keyring.blindIndex(FIELDS.clientData, 'exact', canonicalJson(data)),
  };
}

/** The keyed hash of a party's data: equal hashes, equal data. */
export const hashPartyData = (keyring: Keyring, data: PartyData): Buffer =>
  keyring.blindIndex(FIELDS.partyData, 'exact', canonicalJson(data));

/** Seals a party's data, with its name index and keyed hash. */
export function sealParty(keyring: Keyring, id: string, data: PartyData): SealedParty {
  return {
    data_sealed: keyring.seal(partyPlace(id), 'json', data),
    name_index: keyring.blindIndex(FIELDS.partyName, 'exact', nameIndexInput(displayName(data))),
    data_hash: hashPartyData(keyring, data),
  };
}

/** Opens a client's data. */
export const openClientData = (keyring: Keyring, row: { id: string; data_sealed: Buffer }): ClientData =>
  keyring.open(clientPlace(row.id), 'json', row.data_sealed) as ClientData;

/** Opens a party's data. */
export const openPartyData = (keyring: Keyring, row: { id: string; data_sealed: Buffer }): PartyData =>
  keyring.open(partyPlace(row.id), 'json', row.data_sealed) as PartyData;
