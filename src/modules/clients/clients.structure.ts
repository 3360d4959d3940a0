/**
 * The rules of a submitted client beyond its schema: its data checked by validateClient, each
 * party's data checked the same way, refs resolved to ids (a party keeps its id when named by it
 * or when its data is unchanged, so its screening memory survives a resubmission), and the graph
 * checked by checkOwnership; each problem points into the request.
 */
import { randomUUID } from 'node:crypto';
import { isCountryCode } from '../../platform/iso-countries.ts';
import { AppError } from '../../platform/errors.ts';
import type { Keyring } from '../vault/index.ts';
import { validateClient, type ClientIssue } from './client-validation.ts';
import type { EdgeRow, PartyRow } from './clients.repo.ts';
import type { ClientInput, PartyData } from './clients.schemas.ts';
import { hashPartyData } from './clients.sealing.ts';
import { checkOwnership } from './ownership-graph.ts';
import { checkDocumentNumber, checkRegistrationNumber } from './registration-numbers.ts';

/** How the tables name a client's or party's kind. */
export type ClientKindCode = 'person' | 'entity';

/** A party as it will be stored. */
export type PlannedParty = {
  id: string;
  ref: string;
  index: number;
  kind: ClientKindCode;
  data: PartyData;
  dataHash: Buffer;
  countryCode: string;
};

/** The structure to store: parties with ids, edges between ids. */
export type StructurePlan = { parties: PlannedParty[]; edges: EdgeRow[] };

/** The table's kind of a data kind. */
export const kindOf = (data: { kind: 'natural_person' | 'legal_entity' }): ClientKindCode =>
  data.kind === 'natural_person' ? 'person' : 'entity';

/** Throws a 400 listing `errors` (pointers into `location`) when there are any. */
export function refuse(errors: ClientIssue[], location: 'body' | 'querystring' = 'body'): void {
  if (errors.length === 0) return;
  throw new AppError('validation_failed', 'Some fields are not valid; see errors.', {
    errors: errors.map((error) => ({ location, ...error })),
  });
}

const isCalendarDate = (value: string): boolean => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

/** What a party's schema cannot check: real dates, existing countries, numbers' check digits. */
export function validateParty(data: PartyData, today: string): ClientIssue[] {
  const errors: ClientIssue[] = [];
  const error = (pointer: string, message: string) => errors.push({ pointer, message });
  const country = (pointer: string, code: string | undefined) => {
    if (code !== undefined && !isCountryCode(code))
      error(pointer, `${code} is not a country code (ISO 3166-1, e.g. DE or FR).`);
  };
  const pastDate = (pointer: string, date: string | undefined, label: string) => {
    if (date === undefined) return;
    if (!isCalendarDate(date)) error(pointer, `${label} is not a date in the calendar.`);
    else if (date > today) error(pointer, `${label} is in the future.`);
  };
  country('/address/country', data.address?.country);
  if (data.kind === 'legal_entity') {
    country('/registrationCountry', data.registrationCountry);
    const number = data.registrationNumber
      ? checkRegistrationNumber(data.registrationCountry, data.registrationNumber)
      : null;
    if (number?.status === 'invalid') error('/registrationNumber', number.message);
    pastDate('/incorporationDate', data.incorporationDate, 'The incorporation date');
    return errors;
  }
  country('/countryOfResidence', data.countryOfResidence);
  data.nationalities?.forEach((code, index) => country(`/nationalities/${index}`, code));
  pastDate('/birthDate', data.birthDate, 'The birth date');
  const document = data.identityDocument;
  if (document) {
    country('/identityDocument/issuingCountry', document.issuingCountry);
    const number = checkDocumentNumber(document.type, document.issuingCountry, document.number);
    if (number.status === 'invalid') error('/identityDocument/number', number.message);
    if (!isCalendarDate(document.expiryDate))
      error('/identityDocument/expiryDate', 'The expiry date is not a date in the calendar.');
    else if (document.expiryDate < today)
      error('/identityDocument/expiryDate', 'The identity document has expired.');
  }
  return errors;
}

/** The warnings of valid input; refuses input with errors, pointing into the body. */
export function checkInput(input: ClientInput, today: string) {
  const client = validateClient(input.data, today);
  const prefixed = (at: string) => (issue: { pointer: string; message: string }) => ({
    pointer: `${at}${issue.pointer}`,
    message: issue.message,
  });
  const errors = client.errors.map(prefixed('/data'));
  input.parties?.forEach((party, index) =>
    errors.push(...validateParty(party.data, today).map(prefixed(`/parties/${index}/data`))),
  );
  // Edges without parties would silently replace the structure with an empty one.
  if (input.ownership && !input.parties)
    errors.push({
      pointer: '/parties',
      message: 'Send the parties with the ownership: the structure is replaced whole.',
    });
  refuse(errors);
  return client.warnings.map(prefixed('/data'));
}

/** Gives each submitted party its id: the one it names, else a stored party with equal data, else a new one. */
function planParties(keyring: Keyring, input: ClientInput, stored: PartyRow[], errors: ClientIssue[]) {
  const unclaimed = new Map(stored.map((row) => [row.id, row]));
  // Named ids first, so that a party matched by its data cannot take an id another entry names.
  input.parties?.forEach((party, index) => {
    if (party.id === undefined) return;
    if (!unclaimed.delete(party.id))
      errors.push({ pointer: `/parties/${index}/id`, message: 'No other party of this client has this id.' });
  });
  const byRef = new Map<string, PlannedParty>();
  for (const [index, party] of (input.parties ?? []).entries()) {
    const dataHash = hashPartyData(keyring, party.data);
    const same =
      party.id === undefined
        ? [...unclaimed.values()].find((row) => row.data_hash.equals(dataHash))
        : undefined;
    if (same) unclaimed.delete(same.id);
    if (byRef.has(party.ref))
      errors.push({ pointer: `/parties/${index}/ref`, message: `Another party has the ref '${party.ref}'.` });
    byRef.set(party.ref, {
      id: party.id ?? same?.id ?? randomUUID(),
      ref: party.ref,
      index,
      kind: kindOf(party.data),
      data: party.data,
      dataHash,
      countryCode:
        party.data.kind === 'legal_entity' ? party.data.registrationCountry : party.data.countryOfResidence,
    });
  }
  return byRef;
}

// numeric(7, 4): rounded before comparing, so a resubmitted 33.33333 equals the stored 33.3333.
const toStoredPercent = (percent: number | undefined) =>
  percent === undefined ? null : Math.round(percent * 10_000) / 10_000;

/** Resolves the edges' refs to ids. */
function planEdges(
  clientId: string,
  input: ClientInput,
  byRef: Map<string, PlannedParty>,
  errors: ClientIssue[],
) {
  const edges: EdgeRow[] = [];
  const seen = new Set<string>();
  for (const [index, edge] of (input.ownership ?? []).entries()) {
    const at = `/ownership/${index}`;
    const ownerId = byRef.get(edge.ownerRef)?.id;
    const ownedId = edge.ownedRef === undefined ? clientId : byRef.get(edge.ownedRef)?.id;
    if (!ownerId)
      errors.push({ pointer: `${at}/ownerRef`, message: `No party has the ref '${edge.ownerRef}'.` });
    if (!ownedId)
      errors.push({ pointer: `${at}/ownedRef`, message: `No party has the ref '${edge.ownedRef}'.` });
    if (!ownerId || !ownedId) continue;
    const key = `${ownerId} ${ownedId} ${edge.role}`;
    if (ownerId === ownedId) errors.push({ pointer: at, message: 'A party cannot own or control itself.' });
    else if (seen.has(key)) errors.push({ pointer: at, message: 'This holding is listed twice.' });
    seen.add(key);
    edges.push({
      owner_id: ownerId,
      owned_id: ownedId,
      role: edge.role,
      percent: toStoredPercent(edge.percent),
    });
  }
  return edges;
}

/** The structure to store, or a 400 naming each problem; `stored` are the client's current parties. */
export function planStructure(
  keyring: Keyring,
  client: { id: string; kind: ClientKindCode },
  input: ClientInput,
  stored: PartyRow[],
): StructurePlan {
  const errors: ClientIssue[] = [];
  const byRef = planParties(keyring, input, stored, errors);
  const edges = planEdges(client.id, input, byRef, errors);
  refuse(errors);
  const parties = [...byRef.values()];
  const byId = new Map(parties.map((party) => [party.id, party]));
  const issues = checkOwnership({
    rootId: client.id,
    nodes: [
      { id: client.id, kind: client.kind, countryCode: null, isSanctioned: false },
      ...parties.map(({ id, kind, countryCode }) => ({ id, kind, countryCode, isSanctioned: false })),
    ],
    edges: edges.map((edge) => ({
      ownerId: edge.owner_id,
      ownedId: edge.owned_id,
      role: edge.role,
      percent: edge.percent,
    })),
  });
  refuse(
    issues.map((issue) => {
      const party = byId.get(issue.nodeId);
      return party
        ? { pointer: `/parties/${party.index}`, message: `Party '${party.ref}': ${issue.message}` }
        : { pointer: '/ownership', message: `The client: ${issue.message}` };
    }),
  );
  return { parties, edges };
}

/** Whether the plan stores exactly the parties (ids and data) and edges already stored. */
export function sameStructure(stored: PartyRow[], storedEdges: EdgeRow[], plan: StructurePlan): boolean {
  const parties = (list: { id: string; hash: Buffer }[]) =>
    list
      .map((party) => `${party.id}:${party.hash.toString('hex')}`)
      .sort()
      .join(',');
  const edges = (list: EdgeRow[]) =>
    list
      .map((edge) => `${edge.owner_id}:${edge.owned_id}:${edge.role}:${edge.percent}`)
      .sort()
      .join(',');
  return (
    parties(stored.map((row) => ({ id: row.id, hash: row.data_hash }))) ===
      parties(plan.parties.map((party) => ({ id: party.id, hash: party.dataHash }))) &&
    edges(storedEdges) === edges(plan.edges)
  );
}
