/**
 * Who a KYC check looks at, pure: the client itself and every person and company in its
 * ownership and control, each turned into a screening query and the inputs of the check
 * providers. Works on the opened data in memory; nothing here is stored.
 */

/** A person's or company's data as the clients module holds it (the fields the checks read). */
export type SubjectData = {
  kind?: string;
  name?: string | { givenNames?: string; familyName?: string; otherNames?: readonly string[] };
  birthDate?: string;
  nationalities?: readonly string[];
  countryOfResidence?: string;
  registrationNumber?: string;
  registrationCountry?: string;
  identityDocument?: { type: string; number: string; issuingCountry: string; expiryDate: string };
  pepDeclaration?: { isPep: boolean };
};

/** One subject of the checks. */
export type KycSubject = {
  id: string;
  /** The client itself, or a party of its structure. */
  isClient: boolean;
  kind: 'person' | 'entity';
  data: SubjectData;
  /** The keyed hash of its data, for disposition memory. */
  dataHash: Buffer;
  countryCode: string | null;
};

/** A screening query for the screening module. */
export type SubjectQuery = {
  name: string;
  schema: 'person' | 'organisation';
  birthDate?: string;
  countries?: string[];
  identifiers?: { type?: string; value: string }[];
};

/** The display name of a subject (given names then family name for a person). */
export function subjectName(data: SubjectData): string {
  if (typeof data.name === 'string') return data.name;
  return [data.name?.givenNames, data.name?.familyName].filter(Boolean).join(' ');
}

/** The screening queries of a subject: its name, and each other name, with its evidence. */
export function screeningQueries(subject: KycSubject): SubjectQuery[] {
  const { data } = subject;
  const countries = [
    ...new Set([...(data.nationalities ?? []), data.countryOfResidence, data.registrationCountry]),
  ].filter((code): code is string => typeof code === 'string');
  const identifiers = [
    ...(data.identityDocument
      ? [{ type: data.identityDocument.type, value: data.identityDocument.number }]
      : []),
    ...(data.registrationNumber ? [{ type: 'registration', value: data.registrationNumber }] : []),
  ];
  const evidence = {
    schema: subject.kind === 'person' ? ('person' as const) : ('organisation' as const),
    ...(data.birthDate ? { birthDate: data.birthDate } : {}),
    ...(countries.length > 0 ? { countries: countries.slice(0, 10) } : {}),
    ...(identifiers.length > 0 ? { identifiers } : {}),
  };
  const names = [subjectName(data), ...(typeof data.name === 'object' ? (data.name.otherNames ?? []) : [])];
  return [...new Set(names.map((name) => name.trim()).filter((name) => name.length > 0))].map((name) => ({
    name,
    ...evidence,
  }));
}

/** What the check providers read for a subject. */
export function providerInput(
  subject: KycSubject,
):
  | { kind: 'person'; identityDocument?: NonNullable<SubjectData['identityDocument']> }
  | { kind: 'entity'; registrationNumber?: string; registrationCountry?: string } {
  if (subject.kind === 'person') {
    return {
      kind: 'person',
      ...(subject.data.identityDocument ? { identityDocument: subject.data.identityDocument } : {}),
    };
  }
  return {
    kind: 'entity',
    ...(subject.data.registrationNumber ? { registrationNumber: subject.data.registrationNumber } : {}),
    ...(subject.data.registrationCountry ? { registrationCountry: subject.data.registrationCountry } : {}),
  };
}
