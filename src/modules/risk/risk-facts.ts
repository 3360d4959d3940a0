/**
 * Builds a client's facts — the values the model's variables take — from the risk profile, the
 * firm's tables, the documents and the latest answer sets. Pure, so the dry run can build facts
 * for every client from a handful of queries, and so the facts stored with an evaluation are
 * exactly what the model read.
 */
import type { Value } from './expression-compile.ts';
import type {
  CountryLevelInput,
  DocumentRequirementInput,
  IndustryLevelInput,
} from './risk-catalog.types.ts';
import { RISK_LEVELS, type RiskLevel } from './risk-model.schema.ts';
import { BUILT_IN_VARIABLES } from './risk-variables.ts';

/** Facts the firm records about a client (channel, screening, ownership, flags); the rest is derived. */
export const RECORDED_FACTS: ReadonlySet<string> = new Set(
  BUILT_IN_VARIABLES.map((variable) => variable.name).filter(
    (name) =>
      !/^(client\.(type|kind|country|country_risk|country_flags|industry|industry_risk)|services\..*|documents\..*)$/.test(
        name,
      ),
  ),
);

/** A client's risk profile as stored. */
export type RiskProfile = {
  clientId: string;
  clientType: string;
  countryCode: string | null;
  industryCode: string | null;
  services: readonly string[];
  facts: Readonly<Record<string, Value>>;
};

/** A document's recorded status for one client. */
export type DocumentStatus = {
  requirementCode: string;
  status: 'missing' | 'received' | 'approved' | 'expired';
  expiresOn: string | null;
};

/** The firm's tables, indexed for lookups. */
export type RiskTables = {
  clientTypes: ReadonlyMap<string, { kind: 'person' | 'entity'; requiredFields?: readonly string[] }>;
  services: ReadonlyMap<string, { inherentRisk: RiskLevel }>;
  countries: ReadonlyMap<string, Pick<CountryLevelInput, 'level' | 'flags'>>;
  industries: ReadonlyMap<string, Pick<IndustryLevelInput, 'level'>>;
  documentRequirements: readonly DocumentRequirementInput[];
};

/** Indexes the tables as the repositories return them. */
export function indexTables(tables: {
  clientTypes: readonly { code: string; kind: 'person' | 'entity'; requiredFields?: readonly string[] }[];
  services: readonly { code: string; inherentRisk: RiskLevel }[];
  countries: readonly CountryLevelInput[];
  industries: readonly IndustryLevelInput[];
  documentRequirements: readonly DocumentRequirementInput[];
}): RiskTables {
  return {
    clientTypes: new Map(tables.clientTypes.map((type) => [type.code, type])),
    services: new Map(tables.services.map((service) => [service.code, service])),
    countries: new Map(tables.countries.map((country) => [country.countryCode, country])),
    industries: new Map(tables.industries.map((industry) => [industry.industryCode, industry])),
    documentRequirements: tables.documentRequirements,
  };
}

/** The most specific industry entry: K64.19, then K64.1, K64, K. */
export function findIndustry<T>(industries: ReadonlyMap<string, T>, code: string | null): T | null {
  let candidate = code;
  while (candidate) {
    const found = industries.get(candidate);
    if (found) return found;
    candidate =
      candidate.length > 3
        ? candidate.slice(0, -1).replace(/\.$/, '')
        : candidate.length > 1
          ? candidate.slice(0, 1)
          : null;
  }
  return null;
}

/** The requirements that apply to a client of this type engaged for these services. */
export function requiredDocuments(
  tables: RiskTables,
  clientType: string,
  services: readonly string[],
): DocumentRequirementInput[] {
  return tables.documentRequirements.filter(
    (requirement) =>
      (requirement.clientTypes.length === 0 || requirement.clientTypes.includes(clientType)) &&
      (requirement.services.length === 0 ||
        requirement.services.some((service) => services.includes(service))),
  );
}

/** A document's status on `today` (YYYY-MM-DD): an approved or received document past its expiry is expired. */
export function effectiveStatus(
  document: DocumentStatus | undefined,
  today: string,
): DocumentStatus['status'] {
  if (!document) return 'missing';
  if (document.expiresOn !== null && document.expiresOn < today && document.status !== 'missing')
    return 'expired';
  return document.status;
}

const maxLevel = (levels: RiskLevel[]): RiskLevel | null =>
  levels.reduce<RiskLevel | null>(
    (best, level) => (best === null || RISK_LEVELS.indexOf(level) > RISK_LEVELS.indexOf(best) ? level : best),
    null,
  );

/** The facts of one client on `today`. */
export function buildFacts(
  profile: RiskProfile,
  tables: RiskTables,
  documents: readonly DocumentStatus[],
  answers: Readonly<Record<string, Value>>,
  today: string,
): Record<string, Value> {
  const facts: Record<string, Value> = {};
  for (const [name, value] of Object.entries(profile.facts))
    if (RECORDED_FACTS.has(name)) facts[name] = value;
  const country = profile.countryCode ? tables.countries.get(profile.countryCode) : undefined;
  const industry = findIndustry(tables.industries, profile.industryCode);
  facts['client.type'] = profile.clientType;
  facts['client.kind'] = tables.clientTypes.get(profile.clientType)?.kind ?? null;
  facts['client.country'] = profile.countryCode;
  // A country missing from the table is unknown, not low: the model decides what unknown means.
  facts['client.country_risk'] = country?.level ?? null;
  facts['client.country_flags'] = country ? [...country.flags] : null;
  facts['client.industry'] = profile.industryCode;
  facts['client.industry_risk'] = industry?.level ?? null;
  facts['services.codes'] = [...profile.services];
  facts['services.count'] = profile.services.length;
  const inherent = profile.services
    .map((code) => tables.services.get(code)?.inherentRisk)
    .filter((level): level is RiskLevel => level !== undefined);
  facts['services.max_inherent_risk'] = maxLevel(inherent);
  const byCode = new Map(documents.map((document) => [document.requirementCode, document]));
  let missing = 0;
  let expired = 0;
  let awaiting = 0;
  for (const requirement of requiredDocuments(tables, profile.clientType, profile.services)) {
    const status = effectiveStatus(byCode.get(requirement.code), today);
    if (status === 'missing') missing += 1;
    else if (status === 'expired') expired += 1;
    else if (status === 'received') awaiting += 1;
  }
  facts['documents.missing'] = missing;
  facts['documents.expired'] = expired;
  facts['documents.awaiting_approval'] = awaiting;
  Object.assign(facts, answers);
  return facts;
}
