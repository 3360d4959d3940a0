/**
 * The risk profile a KYC check hands to the risk model, pure: what screening found (resolved or
 * not), what the ownership analysis says, and what the client's data says about the channel and
 * the business. Screening facts come from the hits, never from what someone typed.
 */
import type { KycSubject } from './kyc-subjects.ts';

/** A hit as the facts see it. */
export type HitForFacts = {
  subjectId: string;
  status: 'open' | 'true_match' | 'false_positive';
  topics: readonly string[];
  score: number;
};

/** The ownership analysis' part of the facts (from the clients module). */
export type OwnershipFactsInput = {
  facts: Record<string, number | boolean | string[]>;
  isRootSanctioned: boolean;
};

/** The risk profile input (the risk module's `saveProfile`). */
export type ProfileInput = {
  clientType: string;
  countryCode: string | null;
  industryCode: string | null;
  services: string[];
  facts: Record<string, number | boolean | string[] | null>;
};

/** The client data fields the profile reads. */
export type ClientProfileData = {
  clientType: string;
  services: readonly string[];
  deliveryChannel: 'face_to_face' | 'remote';
  countryOfResidence?: string;
  registrationCountry?: string;
  industryCode?: string;
  incorporationDate?: string;
  pepDeclaration?: { isPep: boolean };
};

function wholeYears(from: string, today: string): number {
  const [y1, m1, d1] = from.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = today.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

/** The profile of a client from its data, its hits and its ownership, on `today` (YYYY-MM-DD). */
export function buildProfile(
  data: ClientProfileData,
  subjects: readonly KycSubject[],
  hits: readonly HitForFacts[],
  ownership: OwnershipFactsInput | null,
  today: string,
): ProfileInput {
  const confirmed = hits.filter((hit) => hit.status === 'true_match');
  const open = hits.filter((hit) => hit.status === 'open');
  const sanctions =
    confirmed.filter((hit) => hit.topics.includes('sanction')).length + (ownership?.isRootSanctioned ? 1 : 0);
  const declaredPep =
    Boolean(data.pepDeclaration?.isPep) || subjects.some((subject) => subject.data.pepDeclaration?.isPep);
  const facts: ProfileInput['facts'] = {
    'screening.top_score': open.length > 0 ? Math.max(...open.map((hit) => hit.score)) : 0,
    'screening.open_hits': open.length,
    'screening.confirmed_sanctions_hits': sanctions,
    'screening.pep': declaredPep || confirmed.some((hit) => hit.topics.includes('pep')),
    'screening.adverse_media': confirmed.some((hit) => hit.topics.includes('crime')),
    'channel.non_face_to_face': data.deliveryChannel === 'remote',
    ...(ownership ? ownership.facts : {}),
  };
  if (data.incorporationDate) facts['client.years_in_business'] = wholeYears(data.incorporationDate, today);
  return {
    clientType: data.clientType,
    countryCode: data.countryOfResidence ?? data.registrationCountry ?? null,
    industryCode: data.industryCode ?? null,
    services: [...data.services],
    facts,
  };
}
