/**
 * Request and response schemas of the client routes (responses are whitelists). A party of the
 * structure reuses the client fields' bounds but needs fewer of them: a director or a holding
 * company is screened and checked, not onboarded.
 */
import { Type, type Static } from 'typebox';
import { ClientDataSchema, LegalEntitySchema, NaturalPersonSchema } from './client-data.schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Kind = Type.Enum(['person', 'entity'] as const);
// A client-side name for a party, so ownership edges can point at parties before they have ids.
const Ref = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:\\-]*$', minLength: 1, maxLength: 40 });
const Issue = Type.Object({ pointer: Type.String(), message: Type.String() });

/** The capacities in which a party holds or controls the client or another party. */
export const OWNERSHIP_ROLES = [
  'shareholder',
  'director',
  'trustee',
  'settlor',
  'beneficiary',
  'protector',
  'nominee',
  'other',
] as const;

/** The most parties and edges one structure may hold: far above real structures, bounded for the analysis. */
export const STRUCTURE_LIMITS = { parties: 200, edges: 1000 } as const;

const person = NaturalPersonSchema.properties;
const entity = LegalEntitySchema.properties;

/** A natural person in a client's structure: name and residence at least. */
export const PartyPersonSchema = Type.Object(
  {
    kind: person.kind,
    name: person.name,
    countryOfResidence: person.countryOfResidence,
    birthDate: Type.Optional(person.birthDate),
    nationalities: Type.Optional(person.nationalities),
    address: Type.Optional(person.address),
    identityDocument: Type.Optional(person.identityDocument),
    occupation: Type.Optional(person.occupation),
    pepDeclaration: Type.Optional(person.pepDeclaration),
  },
  { additionalProperties: false },
);

/** A legal entity in a client's structure: name and country of registration at least. */
export const PartyEntitySchema = Type.Object(
  {
    kind: entity.kind,
    name: entity.name,
    registrationCountry: entity.registrationCountry,
    registrationNumber: Type.Optional(entity.registrationNumber),
    legalForm: Type.Optional(entity.legalForm),
    address: Type.Optional(entity.address),
    industryCode: Type.Optional(entity.industryCode),
    incorporationDate: Type.Optional(entity.incorporationDate),
  },
  { additionalProperties: false },
);

/** A party's data. */
export const PartyDataSchema = Type.Union([PartyPersonSchema, PartyEntitySchema]);
/** A party's data. */
export type PartyData = Static<typeof PartyDataSchema>;

/** A party as submitted; `id` keeps an existing party's identity (and its screening memory). */
export const PartyInputSchema = Type.Object(
  { ref: Ref, id: Type.Optional(Uuid), data: PartyDataSchema },
  { additionalProperties: false },
);
/** A party as submitted. */
export type PartyInput = Static<typeof PartyInputSchema>;

/** `ownerRef` holds or controls `ownedRef`, or the client itself when `ownedRef` is absent. */
export const OwnershipInputSchema = Type.Object(
  {
    ownerRef: Ref,
    ownedRef: Type.Optional(Ref),
    role: Type.Enum(OWNERSHIP_ROLES),
    // Absent for control without shares (a director); stored to 4 decimals.
    percent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
/** An ownership edge as submitted. */
export type OwnershipInput = Static<typeof OwnershipInputSchema>;

/** A client's data and, optionally, its whole structure (a PUT without `parties` keeps the stored one). */
export const ClientBody = Type.Object(
  {
    data: ClientDataSchema,
    parties: Type.Optional(Type.Array(PartyInputSchema, { maxItems: STRUCTURE_LIMITS.parties })),
    ownership: Type.Optional(Type.Array(OwnershipInputSchema, { maxItems: STRUCTURE_LIMITS.edges })),
  },
  { additionalProperties: false },
);
/** A client's data and structure as submitted. */
export type ClientInput = Static<typeof ClientBody>;

/** `:clientId`. */
export const ClientParams = Type.Object({ clientId: Uuid }, { additionalProperties: false });

/** An exact lookup by name, or by identifier and country; neither lists every client, by id. */
export const ClientsQuery = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    identifier: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    after: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
/** The lookup or listing query. */
export type ClientsQueryInput = Static<typeof ClientsQuery>;

/** A created client. */
export const CreatedResponse = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  kind: Kind,
  warnings: Type.Array(Issue),
});

/** An updated client; `changed` is false when the data and structure were already as sent. */
export const UpdatedResponse = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  kind: Kind,
  changed: Type.Boolean(),
  warnings: Type.Array(Issue),
});

/** A client with its data and structure, opened. */
export const ClientResponse = Type.Object({
  id: Uuid,
  kind: Kind,
  version: Type.Integer(),
  data: ClientDataSchema,
  parties: Type.Array(
    Type.Object({
      id: Uuid,
      kind: Kind,
      countryCode: Type.Union([Type.String(), Type.Null()]),
      data: PartyDataSchema,
    }),
  ),
  ownership: Type.Array(
    Type.Object({
      ownerId: Uuid,
      ownedId: Uuid,
      role: Type.Enum(OWNERSHIP_ROLES),
      percent: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
  createdAt: DateTime,
  updatedAt: DateTime,
});

/** Clients found or listed; `name` only in a lookup; `next` is the `after` of the next page. */
export const ClientsResponse = Type.Object({
  clients: Type.Array(
    Type.Object({ id: Uuid, kind: Kind, version: Type.Integer(), name: Type.Optional(Type.String()) }),
  ),
  next: Type.Union([Uuid, Type.Null()]),
});
