/**
 * The variable catalogue: every fact a rule may read, with its type and meaning. Built-in facts
 * come from the client's profile, the firm's tables, screening, documents and ownership; each
 * published questionnaire that affects the score adds its answers (`answers.<questionnaire>.<question>`).
 *
 * Facts hold codes, levels, counts and flags only: never names, free text or dates of birth.
 */
import type { ValueType } from './expression-compile.ts';
import type { Catalogue } from './risk-model.ts';
import { RISK_LEVELS } from './risk-model.schema.ts';

const LEVEL: ValueType = { kind: 'text', options: RISK_LEVELS, ordered: true };
const NUMBER: ValueType = { kind: 'number' };
const BOOLEAN: ValueType = { kind: 'boolean' };

/** Flags a country can carry in the country table (the lists it is on). */
export const COUNTRY_FLAGS = [
  'fatf_call_for_action',
  'fatf_increased_monitoring',
  'eu_high_risk_third_country',
  'eu_non_cooperative_tax',
  'sanctioned',
  'conflict_or_terrorism',
] as const;

/** One built-in variable. */
export type VariableSpec = { name: string; type: ValueType; description: string };

/** The built-in variables; `client.type` and `services.codes` gain the tenant's codes as options. */
export const BUILT_IN_VARIABLES: readonly VariableSpec[] = [
  { name: 'client.type', type: { kind: 'text' }, description: "The client type's code" },
  {
    name: 'client.kind',
    type: { kind: 'text', options: ['person', 'entity'] },
    description: 'A natural person or a legal entity or arrangement',
  },
  {
    name: 'client.country',
    type: { kind: 'text' },
    description: 'Country of residence or registration (ISO 3166 alpha-2)',
  },
  { name: 'client.country_risk', type: LEVEL, description: "The country's level in the country table" },
  {
    name: 'client.country_flags',
    type: { kind: 'list', options: COUNTRY_FLAGS },
    description: 'The lists the country is on',
  },
  { name: 'client.industry', type: { kind: 'text' }, description: 'Industry (NACE code)' },
  { name: 'client.industry_risk', type: LEVEL, description: "The industry's level in the industry table" },
  {
    name: 'client.years_in_business',
    type: NUMBER,
    description: 'Whole years since incorporation (entities)',
  },
  {
    name: 'client.relationship_years',
    type: NUMBER,
    description: 'Whole years the firm has served the client',
  },
  {
    name: 'client.regulated_entity',
    type: BOOLEAN,
    description: 'A financial institution supervised for AML in the EU/EEA or equivalent',
  },
  {
    name: 'client.listed_company',
    type: BOOLEAN,
    description: 'Listed on a regulated market with disclosure duties',
  },
  {
    name: 'client.public_body',
    type: BOOLEAN,
    description: 'A public authority or state-owned enterprise of an EU/EEA state',
  },
  { name: 'client.cash_intensive', type: BOOLEAN, description: 'A business that handles much cash' },
  {
    name: 'client.nominee_shareholders',
    type: BOOLEAN,
    description: 'Has nominee shareholders or bearer shares',
  },
  {
    name: 'channel.non_face_to_face',
    type: BOOLEAN,
    description: 'Onboarded without meeting in person or a trusted electronic identification',
  },
  {
    name: 'channel.introduced_by_third_party',
    type: BOOLEAN,
    description: 'Introduced by an intermediary the firm relies on',
  },
  { name: 'services.codes', type: { kind: 'list' }, description: 'The services the client is engaged for' },
  { name: 'services.count', type: NUMBER, description: 'How many services the client is engaged for' },
  {
    name: 'services.max_inherent_risk',
    type: LEVEL,
    description: 'The highest inherent risk of those services',
  },
  {
    name: 'screening.top_score',
    type: NUMBER,
    description: 'The best screening match score (0–1) not yet dismissed',
  },
  { name: 'screening.open_hits', type: NUMBER, description: 'Potential matches not yet reviewed' },
  {
    name: 'screening.confirmed_sanctions_hits',
    type: NUMBER,
    description: 'Matches confirmed against a sanctions list',
  },
  {
    name: 'screening.pep',
    type: BOOLEAN,
    description: 'The client or a beneficial owner is a politically exposed person',
  },
  {
    name: 'screening.adverse_media',
    type: BOOLEAN,
    description: 'Confirmed adverse media or criminal record',
  },
  { name: 'documents.missing', type: NUMBER, description: 'Required documents not yet received' },
  { name: 'documents.expired', type: NUMBER, description: 'Required documents past their validity' },
  {
    name: 'documents.awaiting_approval',
    type: NUMBER,
    description: 'Required documents received but not yet approved',
  },
  {
    name: 'ownership.layers',
    type: NUMBER,
    description: 'Layers of legal entities between the client and its beneficial owners',
  },
  {
    name: 'ownership.max_indirect_percent',
    type: NUMBER,
    description: 'The highest share (0–100) any one person holds, directly or indirectly',
  },
  {
    name: 'ownership.foreign_owners',
    type: NUMBER,
    description: 'Owners registered or resident outside the client’s country',
  },
  {
    name: 'ownership.high_risk_country_owners',
    type: NUMBER,
    description: 'Owners in a country of high risk in the country table',
  },
  {
    name: 'ownership.owner_countries',
    type: { kind: 'list' },
    description: 'The countries of the owners (ISO 3166 alpha-2)',
  },
  {
    name: 'ownership.beneficial_owners_identified',
    type: BOOLEAN,
    description: 'Every beneficial owner is identified and verified',
  },
  {
    name: 'ownership.trust_or_foundation',
    type: BOOLEAN,
    description: 'A trust, foundation or similar arrangement is in the structure',
  },
];

/** What the tenant adds to the built-ins: its codes, and its questionnaires' answer variables. */
export type CatalogueSources = {
  clientTypes?: readonly string[];
  services?: readonly string[];
  answers?: readonly VariableSpec[];
};

/** The tenant's catalogue: the built-ins, narrowed to its codes, plus its questionnaire answers. */
export function buildCatalogue(sources: CatalogueSources = {}): Catalogue {
  const catalogue = new Map<string, { type: ValueType; description: string }>();
  for (const variable of BUILT_IN_VARIABLES) {
    let { type } = variable;
    if (variable.name === 'client.type' && sources.clientTypes?.length)
      type = { kind: 'text', options: sources.clientTypes };
    if (variable.name === 'services.codes' && sources.services?.length)
      type = { kind: 'list', options: sources.services };
    catalogue.set(variable.name, { type, description: variable.description });
  }
  for (const answer of sources.answers ?? [])
    catalogue.set(answer.name, { type: answer.type, description: answer.description });
  return catalogue;
}
