/**
 * The portfolio the risk benchmarks evaluate: seeded, varied clients built from the default tables
 * (mostly low-risk trades and EU/EEA countries, with PEPs, FATF-listed and other high-risk
 * countries, sanctions and screening hits, documents received, expired or missing, and the
 * answers the default due-diligence questionnaire yields), and the insertion of a batch of them
 * into a tenant's risk tables, one set-based statement per table, as the database owner.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_CLIENT_TYPES,
  DEFAULT_DOCUMENT_REQUIREMENTS,
  DEFAULT_SERVICES,
  DUE_DILIGENCE_QUESTIONNAIRE,
} from '../src/modules/risk/defaults/default-catalog.ts';
import { DEFAULT_COUNTRY_LEVELS } from '../src/modules/risk/defaults/default-countries.ts';
import { DEFAULT_INDUSTRY_LEVELS } from '../src/modules/risk/defaults/default-industries.ts';
import { DEFAULT_QUESTIONNAIRES } from '../src/modules/risk/defaults/default-questionnaire.ts';
import { answerVariables, compileQuestionnaire, type Answers } from '../src/modules/risk/questionnaire.ts';
import {
  indexTables,
  requiredDocuments,
  type DocumentStatus,
  type RiskProfile,
} from '../src/modules/risk/risk-facts.ts';
import type { Value } from '../src/modules/risk/index.ts';
import type { Database } from '../src/platform/db/database.ts';
import { runAsOwner } from '../test/test-database.ts';

/** The default tables, indexed as the service indexes a new tenant's copy of them. */
export const BENCH_TABLES = indexTables({
  clientTypes: DEFAULT_CLIENT_TYPES,
  services: DEFAULT_SERVICES,
  countries: DEFAULT_COUNTRY_LEVELS,
  industries: DEFAULT_INDUSTRY_LEVELS,
  documentRequirements: DEFAULT_DOCUMENT_REQUIREMENTS,
});

const HOME = ['DE', 'DE', 'FR', 'NL', 'DK', 'SE', 'AT', 'BE', 'IT', 'ES', 'PL', 'IE', 'CH', 'GB', 'NO'];
// FATF and EU listed, sanctioned and conflict countries: IR, KP, MM, the monitored ones, and more.
const HIGH_RISK = DEFAULT_COUNTRY_LEVELS.filter((country) => country.level === 'high').map(
  (country) => country.countryCode,
);
const ELSEWHERE = DEFAULT_COUNTRY_LEVELS.map((country) => country.countryCode);
// Mostly low-risk trades, with a share of the ones the SNRA names.
const INDUSTRIES = [
  ...['J62.01', 'J62.02', 'C25.62', 'Q86.21', 'A01.11', 'H49.41', 'M71.11', 'N81.21', 'P85.59', 'C10.71'],
  ...['G47.11', 'I56.10', 'F43.21', 'L68.31', 'K64.20', 'M69.20'],
];
const COMMON_TYPES = DEFAULT_CLIENT_TYPES.filter((type) =>
  ['sole_trader', 'private_limited_company', 'partnership', 'private_person'].includes(type.code),
);
const LOW_SERVICES = ['bookkeeping', 'payroll', 'annual_accounts', 'audit'];
const OTHER_SERVICES = DEFAULT_SERVICES.map((service) => service.code);
const DUE_DILIGENCE = compileQuestionnaire(
  DEFAULT_QUESTIONNAIRES.find(({ code }) => code === DUE_DILIGENCE_QUESTIONNAIRE)?.definition,
);
// The sources of funds whose origin the questionnaire asks to explain (its `showIf`).
const FUNDS_TO_EXPLAIN: ReadonlySet<unknown> = new Set([
  'asset_sale',
  'inheritance_or_gift',
  'loans',
  'unknown',
]);
const DAY_MS = 86_400_000;

/** One client as the dry run reads it: profile, document statuses and latest answer variables. */
export type BenchClient = {
  readonly profile: RiskProfile;
  readonly documents: readonly DocumentStatus[];
  /** The variables of its latest answer set; null when the questionnaire was never answered. */
  readonly answers: Readonly<Record<string, Value>> | null;
  /** The variables of an earlier answer set, superseded by `answers` at a periodic review. */
  readonly earlierAnswers: Readonly<Record<string, Value>> | null;
};

// mulberry32: a small seeded generator, so every run measures the same clients.
/** A seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function drawing(random: () => number) {
  const chance = (probability: number) => random() < probability;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Weights in per cent (or any unit); the last entry takes what rounding leaves.
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    let left = random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of entries) if ((left -= weight) < 0) return value;
    return (entries.at(-1) as readonly [T, number])[0];
  };
  return { chance, pick, weighted };
}

/** `today` (YYYY-MM-DD) moved by whole days. */
export function addDays(today: string, days: number): string {
  return new Date(Date.parse(today) + days * DAY_MS).toISOString().slice(0, 10);
}

// About 80% answer low risk throughout; the rest name a one-off deal, unexplained funds, cash,
// someone acting for another, high-risk countries or an unexplained structure.
function generateAnswers(random: () => number): Answers {
  const { chance, pick, weighted } = drawing(random);
  const answers: Record<string, string | number> = {
    relationship_purpose: weighted([
      ['ongoing_compliance', 65],
      ['annual_reporting', 30],
      ['one_off_transaction', 3],
      ['asset_holding', 0.5],
      ['other', 1.5],
    ]),
    source_of_funds: weighted([
      ['business_income', 60],
      ['salary_or_pension', 22],
      ['investments', 12],
      ['asset_sale', 2],
      ['inheritance_or_gift', 2],
      ['loans', 1.5],
      ['unknown', 0.5],
    ]),
    handles_cash: chance(0.12) ? 'yes' : 'no',
    acts_for_third_party: chance(0.05) ? 'yes' : 'no',
    operates_abroad: chance(0.2) ? 'yes' : 'no',
    expected_annual_turnover: Math.round(random() * random() * 5_000_000),
    complex_structure: chance(0.01) ? 'yes' : 'no',
  };
  // Free text is only ever "answered" in the variables; its content does not matter here.
  if (answers.relationship_purpose === 'other') answers.relationship_purpose_details = 'Bench answer';
  if (FUNDS_TO_EXPLAIN.has(answers.source_of_funds)) answers.source_of_funds_details = 'Bench answer';
  if (answers.handles_cash === 'yes')
    answers.cash_share = weighted([
      ['below_10_percent', 80],
      ['from_10_to_50_percent', 17],
      ['above_50_percent', 3],
    ]);
  if (answers.acts_for_third_party === 'yes')
    answers.third_party_role = weighted([
      ['legal_representative', 40],
      ['employee_or_director', 40],
      ['professional_adviser', 15],
      ['nominee', 2],
      ['other', 3],
    ]);
  if (answers.operates_abroad === 'yes') {
    answers.main_foreign_country = pick(ELSEWHERE);
    answers.high_risk_country_links = chance(0.08) ? 'yes' : 'no';
  }
  if (answers.complex_structure === 'yes') answers.complex_structure_explanation = 'Bench answer';
  return answers;
}

// Documents as a practice holds them: nearly all approved and in date; a few not yet sent (no
// row), sent but not checked, requested and marked missing, or past their validity.
function generateDocuments(
  random: () => number,
  profile: Pick<RiskProfile, 'clientType' | 'services'>,
  today: string,
): DocumentStatus[] {
  const { chance, weighted } = drawing(random);
  return requiredDocuments(BENCH_TABLES, profile.clientType, profile.services).flatMap(
    (requirement, index): DocumentStatus[] => {
      if (index === 0 && chance(0.04)) return [];
      const status = weighted<DocumentStatus['status']>([
        ['approved', 97.5],
        ['received', 2],
        ['missing', 0.5],
      ]);
      const validityDays = (requirement.validityMonths ?? 0) * 30;
      const expiresOn =
        validityDays === 0
          ? null
          : chance(0.01)
            ? addDays(today, -1 - Math.floor(random() * 90))
            : addDays(today, 1 + Math.floor(random() * validityDays));
      return [{ requirementCode: requirement.code, status, expiresOn }];
    },
  );
}

/** Generates one client. */
export function generateClient(random: () => number, today: string): BenchClient {
  const { chance, pick } = drawing(random);
  // Mostly companies, sole traders and private persons; a few foundations, associations and trusts.
  const type = chance(0.9) ? pick(COMMON_TYPES) : pick(DEFAULT_CLIENT_TYPES);
  const country = chance(0.08) ? pick(HIGH_RISK) : chance(0.1) ? pick(ELSEWHERE) : pick(HOME);
  const services = [pick(LOW_SERVICES), ...(chance(0.2) ? [pick(OTHER_SERVICES)] : [])];
  const recorded: Record<string, Value> = {
    'client.relationship_years': Math.floor(random() * 12),
    'client.regulated_entity': chance(0.03),
    'client.listed_company': chance(0.03),
    'client.public_body': chance(0.02),
    'client.cash_intensive': chance(0.1),
    'client.nominee_shareholders': chance(0.02),
    'channel.non_face_to_face': chance(0.15),
    'channel.introduced_by_third_party': chance(0.1),
    'screening.top_score': Math.round(random() * 1000) / 1000,
    'screening.open_hits': chance(0.04) ? 1 + Math.floor(random() * 3) : 0,
    'screening.confirmed_sanctions_hits': chance(0.005) ? 1 : 0,
    'screening.pep': chance(0.02),
    'screening.adverse_media': chance(0.02),
  };
  if (type.kind === 'entity') {
    const foreign = chance(0.2) ? 1 + Math.floor(random() * 3) : 0;
    const layers = 1 + Math.floor(random() * random() * 4);
    Object.assign(recorded, {
      'client.years_in_business': Math.floor(random() * 30),
      'ownership.layers': layers,
      'ownership.max_indirect_percent': layers === 1 ? 100 : 25 + Math.floor(random() * 76),
      'ownership.foreign_owners': foreign,
      'ownership.high_risk_country_owners': foreign > 0 && chance(0.1) ? 1 : 0,
      'ownership.owner_countries': foreign > 0 ? [country, pick(ELSEWHERE)] : [country],
      'ownership.beneficial_owners_identified': chance(0.97),
      'ownership.trust_or_foundation': chance(0.05),
    });
  }
  // Missing facts, as in a real portfolio: no screening yet (2%), no country (1%), no
  // questionnaire (3%); one in five has answered it before, at an earlier review.
  if (chance(0.02))
    for (const name of Object.keys(recorded)) if (name.startsWith('screening.')) delete recorded[name];
  const profile: RiskProfile = {
    clientId: randomUUID(),
    clientType: type.code,
    countryCode: chance(0.01) ? null : country,
    industryCode: type.requiredFields.includes('industry') ? pick(INDUSTRIES) : null,
    services,
    facts: recorded,
  };
  const variablesOf = (answers: Answers) =>
    answerVariables(DUE_DILIGENCE_QUESTIONNAIRE, DUE_DILIGENCE, answers, today);
  const isAnswered = !chance(0.03);
  return {
    profile,
    documents: generateDocuments(random, profile, today),
    answers: isAnswered ? variablesOf(generateAnswers(random)) : null,
    earlierAnswers: isAnswered && chance(0.2) ? variablesOf(generateAnswers(random)) : null,
  };
}

/** Rows written by one insertion. */
export type InsertedRows = { profiles: number; documents: number; answerSets: number };

/**
 * Inserts clients into a tenant's risk tables as the owner (who is not held by row-level security,
 * so every row names its tenant): one `insert … select … from jsonb_to_recordset` per table.
 */
export async function insertClients(
  database: Database,
  target: { tenantId: string; questionnaireVersionId: string; today: string },
  clients: readonly BenchClient[],
): Promise<InsertedRows> {
  const { tenantId, questionnaireVersionId, today } = target;
  const at = `${today}T08:00:00Z`;
  const profiles = await runAsOwner(
    database,
    `insert into risk_client_profiles
       (tenant_id, client_id, client_type, country_code, industry_code, services, facts, created_at, updated_at)
     select $1, r.client_id, r.client_type, r.country_code, r.industry_code, r.services, r.facts, $2, $2
     from jsonb_to_recordset($3::jsonb) as r(client_id uuid, client_type text, country_code text,
       industry_code text, services text[], facts jsonb)`,
    [
      tenantId,
      at,
      JSON.stringify(
        clients.map(({ profile }) => ({
          client_id: profile.clientId,
          client_type: profile.clientType,
          country_code: profile.countryCode,
          industry_code: profile.industryCode,
          services: profile.services,
          facts: profile.facts,
        })),
      ),
    ],
  );
  const documents = await runAsOwner(
    database,
    `insert into risk_client_documents (tenant_id, client_id, requirement_code, status, expires_on, updated_at)
     select $1, r.client_id, r.requirement_code, r.status, r.expires_on, $2
     from jsonb_to_recordset($3::jsonb) as r(client_id uuid, requirement_code text, status text, expires_on date)`,
    [
      tenantId,
      at,
      JSON.stringify(
        clients.flatMap(({ profile, documents }) =>
          documents.map((document) => ({
            client_id: profile.clientId,
            requirement_code: document.requirementCode,
            status: document.status,
            expires_on: document.expiresOn,
          })),
        ),
      ),
    ],
  );
  // Answered within the last two years; an earlier set one to three years before that.
  const answerSets = clients.flatMap(({ profile, answers, earlierAnswers }, index) => {
    const latest = Date.parse(at) - ((index * 7919) % 730) * DAY_MS;
    return [
      ...(answers ? [{ client_id: profile.clientId, variables: answers, submitted_at: latest }] : []),
      ...(earlierAnswers
        ? [
            {
              client_id: profile.clientId,
              variables: earlierAnswers,
              submitted_at: latest - (365 + ((index * 104_729) % 730)) * DAY_MS,
            },
          ]
        : []),
    ].map((row) => ({ ...row, submitted_at: new Date(row.submitted_at).toISOString() }));
  });
  // The sealed answers are a placeholder: the dry run reads only `variables`, never opens them.
  const answerSetsResult = await runAsOwner(
    database,
    `insert into risk_answer_sets (tenant_id, id, client_id, questionnaire_code, questionnaire_version_id,
       answers_sealed, variables, submitted_at)
     select $1, gen_random_uuid(), r.client_id, $2, $3, '\\x00'::bytea, r.variables, r.submitted_at
     from jsonb_to_recordset($4::jsonb) as r(client_id uuid, variables jsonb, submitted_at timestamptz)`,
    [tenantId, DUE_DILIGENCE_QUESTIONNAIRE, questionnaireVersionId, JSON.stringify(answerSets)],
  );
  return {
    profiles: profiles.rowCount ?? 0,
    documents: documents.rowCount ?? 0,
    answerSets: answerSetsResult.rowCount ?? 0,
  };
}
