/**
 * What a client is: the data the API accepts for a natural person or a legal entity, every field
 * bounded. The schemas check shape; client-validation.ts checks what a shape cannot (real dates,
 * existing countries, check digits) and words each problem for the user.
 */
import { Type, type Static } from 'typebox';
import { checkRegistrationNumber, DOCUMENT_TYPES } from './registration-numbers.ts';

/** The two kinds of client. */
export const CLIENT_KINDS = ['natural_person', 'legal_entity'] as const;
/** One of `CLIENT_KINDS`. */
export type ClientKind = (typeof CLIENT_KINDS)[number];

// The codes of the default due-diligence questionnaire, so a client's answers and its data agree.
/** Why the client wants the relationship. */
export const RELATIONSHIP_PURPOSES = [
  'ongoing_compliance',
  'annual_reporting',
  'one_off_transaction',
  'asset_holding',
  'other',
] as const;
/** Where the client's funds come from. */
export const SOURCES_OF_FUNDS = [
  'business_income',
  'salary_or_pension',
  'investments',
  'asset_sale',
  'inheritance_or_gift',
  'loans',
  'unknown',
] as const;
/** How the firm met the client. */
export const DELIVERY_CHANNELS = ['face_to_face', 'remote'] as const;

// Single-line text with at least one visible character: control characters (newlines included)
// have no place in a name or an address line and would corrupt exports and logs. The pattern is
// linear, so an over-long value costs no backtracking before maxLength refuses it.
const Text = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^(?=.*\\S)[^\\p{Cc}]+$' });
// Shape only: the calendar is checked in client-validation.ts, whose message names the bad date.
const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
// Upper case as stored; whether the code exists is checked against platform/iso-countries.ts.
const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2 });
// A catalogue code, as the risk catalogue's tables allow it (client types, services).
const CatalogueCode = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', maxLength: 40 });
// Letters and digits in any script, with the separators registers print: spaces, dots, dashes, slashes.
const Identifier = Type.String({ pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N} .\\-/]*$', maxLength: 40 });

/** A postal address; the region, where a country uses one, goes in the lines. */
export const AddressSchema = Type.Object(
  {
    lines: Type.Array(Text(100), { minItems: 1, maxItems: 3 }),
    // Optional: some countries (Hong Kong, the United Arab Emirates…) have no postal codes.
    postalCode: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 \\-]*$', maxLength: 12 })),
    city: Text(100),
    country: CountryCode,
  },
  { additionalProperties: false },
);

/** An identity document seen for a natural person. */
export const IdentityDocumentSchema = Type.Object(
  {
    type: Type.Enum(DOCUMENT_TYPES),
    number: Identifier,
    issuingCountry: CountryCode,
    expiryDate: CalendarDate,
  },
  { additionalProperties: false },
);

// What every client has: the relationship, not the person or the company.
const relationship = {
  clientType: CatalogueCode,
  services: Type.Array(CatalogueCode, { maxItems: 50, uniqueItems: true }),
  relationshipPurpose: Type.Enum(RELATIONSHIP_PURPOSES),
  // In euros, the platform's one currency; a trillion bounds typing errors, not real clients.
  expectedAnnualVolume: Type.Number({ minimum: 0, maximum: 1_000_000_000_000 }),
  sourceOfFunds: Type.Enum(SOURCES_OF_FUNDS),
  deliveryChannel: Type.Enum(DELIVERY_CHANNELS),
  // The firm's own key for the client; stored in clear for lookups, so it must hold no personal data.
  firmReference: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 _.:/\\-]*$', maxLength: 60 })),
};

/** A natural person. */
export const NaturalPersonSchema = Type.Object(
  {
    kind: Type.Literal('natural_person'),
    name: Type.Object(
      {
        givenNames: Text(200),
        familyName: Text(200),
        otherNames: Type.Optional(Type.Array(Text(200), { maxItems: 5 })),
      },
      { additionalProperties: false },
    ),
    birthDate: CalendarDate,
    nationalities: Type.Array(CountryCode, { minItems: 1, maxItems: 5, uniqueItems: true }),
    countryOfResidence: CountryCode,
    address: AddressSchema,
    identityDocument: IdentityDocumentSchema,
    occupation: Text(120),
    pepDeclaration: Type.Object(
      { isPep: Type.Boolean(), role: Type.Optional(Text(300)) },
      { additionalProperties: false },
    ),
    ...relationship,
  },
  { additionalProperties: false },
);

/** A legal entity: a company, partnership, foundation, association… */
export const LegalEntitySchema = Type.Object(
  {
    kind: Type.Literal('legal_entity'),
    name: Text(300),
    registrationNumber: Identifier,
    registrationCountry: CountryCode,
    legalForm: Text(100),
    address: AddressSchema,
    // NACE Rev. 2, as the risk module's industry table: section, division, group or class.
    industryCode: Type.String({ pattern: '^[A-U](\\d{2}(\\.\\d{1,2})?)?$', maxLength: 6 }),
    incorporationDate: CalendarDate,
    ...relationship,
  },
  { additionalProperties: false },
);

/** A client's data, as the API accepts it. */
export const ClientDataSchema = Type.Union([NaturalPersonSchema, LegalEntitySchema]);

/** A natural person's data. */
export type NaturalPersonData = Static<typeof NaturalPersonSchema>;
/** A legal entity's data. */
export type LegalEntityData = Static<typeof LegalEntitySchema>;
/** A client's data. */
export type ClientData = Static<typeof ClientDataSchema>;

/**
 * The fields stored only sealed by the vault (JSON pointers; a pointer covers everything under it).
 * For a person, everything that identifies them or describes their finances. For an entity, its
 * name, number and address too: a sole trader's or one-person company's identify a person, and one
 * rule for all entities is safer than judging each. The rest are codes the risk model and the
 * lists read, which identify no one on their own.
 */
export const PERSONAL_FIELDS = {
  natural_person: [
    '/name',
    '/birthDate',
    '/nationalities',
    '/countryOfResidence',
    '/address',
    '/identityDocument',
    '/occupation',
    '/pepDeclaration',
    '/expectedAnnualVolume',
    '/sourceOfFunds',
  ],
  legal_entity: ['/name', '/registrationNumber', '/address'],
} as const satisfies Record<ClientKind, readonly string[]>;

/** How a value is folded before its blind index, so the spellings one client is given index alike. */
export type IndexNormalisation = {
  case: 'lower' | 'upper';
  // 'collapse' keeps word boundaries (names); 'remove' drops them (numbers are spaced at will).
  whitespace: 'collapse' | 'remove';
  // 'space' turns "Jean-Luc" and "O'Brien" into two words, as people also type them.
  punctuation: 'space' | 'remove';
};

const NAME: IndexNormalisation = { case: 'lower', whitespace: 'collapse', punctuation: 'space' };
const NUMBER: IndexNormalisation = { case: 'upper', whitespace: 'remove', punctuation: 'remove' };

/**
 * The sealed fields that also get a blind index, for exact lookups ("is this person already a
 * client?") without opening every record. Parts are joined in this order. Numbers carry their
 * country, because the same digits are different companies in Denmark and in Estonia; a
 * registration number is indexed in the form checkRegistrationNumber normalises it to.
 */
export const BLIND_INDEXED = {
  name: { kinds: ['natural_person', 'legal_entity'], parts: ['/name'], normalisation: NAME },
  name_birth_date: { kinds: ['natural_person'], parts: ['/name', '/birthDate'], normalisation: NAME },
  document_number: {
    kinds: ['natural_person'],
    parts: ['/identityDocument/issuingCountry', '/identityDocument/number'],
    normalisation: NUMBER,
  },
  registration_number: {
    kinds: ['legal_entity'],
    parts: ['/registrationCountry', '/registrationNumber'],
    normalisation: NUMBER,
  },
} as const satisfies Record<
  string,
  { kinds: readonly ClientKind[]; parts: readonly string[]; normalisation: IndexNormalisation }
>;

/** The name of one blind index. */
export type BlindIndexName = keyof typeof BLIND_INDEXED;

/** Folds a value as `normalisation` says (NFKC first, so full-width and ligature forms fold too). */
export function foldForBlindIndex(normalisation: IndexNormalisation, value: string): string {
  const folded = value.normalize('NFKC');
  const cased = normalisation.case === 'lower' ? folded.toLowerCase() : folded.toUpperCase();
  const bare = cased.replace(/[\p{P}\p{S}]/gu, normalisation.punctuation === 'space' ? ' ' : '');
  return normalisation.whitespace === 'collapse'
    ? bare.replace(/\s+/g, ' ').trim()
    : bare.replace(/\s+/g, '');
}

function partOf(client: ClientData, pointer: string): string {
  if (pointer === '/registrationNumber' && client.kind === 'legal_entity') {
    return checkRegistrationNumber(client.registrationCountry, client.registrationNumber).normalised;
  }
  let node: unknown = client;
  for (const key of pointer.split('/').slice(1)) node = (node as Record<string, unknown>)[key];
  if (typeof node === 'string') return node;
  // A person's name: given names, then family name, as most European registers write it.
  const name = node as NaturalPersonData['name'];
  return `${name.givenNames} ${name.familyName}`;
}

/**
 * The text whose keyed hash is `index`'s blind index for `client`, or null when the index is not
 * for its kind. Each part is folded alone and joined by ':', which folding never leaves in a part,
 * so parts cannot run into one another. The vault hashes it as given ('exact').
 */
export function blindIndexInput(index: BlindIndexName, client: ClientData): string | null {
  const { kinds, parts, normalisation } = BLIND_INDEXED[index];
  if (!(kinds as readonly ClientKind[]).includes(client.kind)) return null;
  return parts.map((pointer) => foldForBlindIndex(normalisation, partOf(client, pointer))).join(':');
}
