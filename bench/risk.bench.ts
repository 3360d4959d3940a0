/**
 * The risk model benchmark: the default model, compiled once as it is stored, evaluated in-process
 * on 10,000 varied clients built from the default tables (mostly low-risk, with PEPs, high-risk
 * countries, sanctions and screening hits, and missing facts), for at least two seconds after a
 * warm-up. The goal is 50,000 evaluations a second. Every outcome is checked against what the
 * model must decide, so a broken run cannot read as a fast one. Takes about five seconds.
 */
import { performance } from 'node:perf_hooks';
import { defaultModelDefinition, defaultCatalogue } from '../src/modules/risk/defaults/default-model.ts';
import {
  DEFAULT_CLIENT_TYPES,
  DEFAULT_DOCUMENT_REQUIREMENTS,
  DEFAULT_SERVICES,
} from '../src/modules/risk/defaults/default-catalog.ts';
import { DEFAULT_COUNTRY_LEVELS } from '../src/modules/risk/defaults/default-countries.ts';
import { DEFAULT_INDUSTRY_LEVELS } from '../src/modules/risk/defaults/default-industries.ts';
import { buildFacts, indexTables, requiredDocuments } from '../src/modules/risk/risk-facts.ts';
import {
  compileModel,
  evaluate,
  type CompiledModel,
  type FactsRecord,
  type Value,
} from '../src/modules/risk/index.ts';
import { describeMachine, formatTable, judgeRate, type BenchRow } from './bench-report.ts';

const FACT_SETS = 10_000;
const SEED = 20_261_123;
const WARM_UP_ROUNDS = 3;
const MIN_SECONDS = 2;
const COMPILATIONS = 200;
const GOAL_PER_SECOND = 50_000;
const TODAY = '2026-06-30';

/** Raised when the model's answers do not check out. */
class BenchFailure extends Error {}

const tables = indexTables({
  clientTypes: DEFAULT_CLIENT_TYPES,
  services: DEFAULT_SERVICES,
  countries: DEFAULT_COUNTRY_LEVELS,
  industries: DEFAULT_INDUSTRY_LEVELS,
  documentRequirements: DEFAULT_DOCUMENT_REQUIREMENTS,
});
const HOME = ['DE', 'DE', 'FR', 'NL', 'DK', 'SE', 'AT', 'BE', 'IT', 'ES', 'PL', 'IE', 'CH', 'GB', 'NO'];
const HIGH_RISK = DEFAULT_COUNTRY_LEVELS.filter((country) => country.level === 'high').map(
  (c) => c.countryCode,
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

// mulberry32: a small seeded generator, so every run measures the same clients.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Builds one client's facts as the service would, from a profile, documents and answers. */
function generateFacts(random: () => number): FactsRecord {
  const chance = (probability: number) => random() < probability;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
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
    'screening.top_score': random(),
    'screening.open_hits': chance(0.04) ? 1 + Math.floor(random() * 3) : 0,
    'screening.confirmed_sanctions_hits': chance(0.005) ? 1 : 0,
    'screening.pep': chance(0.03),
    'screening.adverse_media': chance(0.02),
  };
  if (type.kind === 'entity') {
    const foreign = chance(0.2) ? 1 + Math.floor(random() * 3) : 0;
    Object.assign(recorded, {
      'client.years_in_business': Math.floor(random() * 30),
      'ownership.layers': 1 + Math.floor(random() * random() * 4),
      'ownership.foreign_owners': foreign,
      'ownership.high_risk_country_owners': foreign > 0 && chance(0.1) ? 1 : 0,
      'ownership.owner_countries': foreign > 0 ? [country, pick(ELSEWHERE)] : [country],
      'ownership.beneficial_owners_identified': chance(0.97),
      'ownership.trust_or_foundation': chance(0.05),
    });
  }
  // Missing facts, as in a real portfolio: no screening yet (2%), a document not yet received (4%),
  // no questionnaire (3%), no country (1%).
  if (chance(0.02))
    for (const name of Object.keys(recorded)) if (name.startsWith('screening.')) delete recorded[name];
  const documents = requiredDocuments(tables, type.code, services)
    .filter((_, index) => index > 0 || chance(0.96))
    .map((requirement) => ({
      requirementCode: requirement.code,
      status: 'approved' as const,
      expiresOn: null,
    }));
  const answers: Record<string, Value> = chance(0.03)
    ? {}
    : {
        'answers.client_due_diligence.risk': chance(0.85) ? 'low' : chance(0.7) ? 'medium' : 'high',
        'answers.client_due_diligence.complex_structure': chance(0.01) ? 'yes' : 'no',
        'answers.client_due_diligence.high_risk_country_links': chance(0.03) ? 'yes' : null,
        'answers.client_due_diligence.expected_annual_turnover': Math.round(random() * random() * 5_000_000),
      };
  const profile = {
    clientId: 'bench',
    clientType: type.code,
    countryCode: chance(0.01) ? null : country,
    industryCode: type.requiredFields.includes('industry') ? pick(INDUSTRIES) : null,
    services,
    facts: recorded,
  };
  return buildFacts(profile, tables, documents, answers, TODAY);
}

/** Checks every outcome the model must force, and counts the mix of levels and dispositions. */
function checkOutcomes(model: CompiledModel, factSets: readonly FactsRecord[]): string {
  const counts = new Map<string, number>();
  for (const facts of factSets) {
    const { level, disposition } = evaluate(model, facts);
    for (const key of [level, disposition]) counts.set(key, (counts.get(key) ?? 0) + 1);
    if ((facts['screening.confirmed_sanctions_hits'] ?? 0) !== 0 && disposition !== 'reject')
      throw new BenchFailure('a confirmed sanctions hit was not rejected');
    if (facts['screening.pep'] === true && level !== 'high')
      throw new BenchFailure('a PEP was not high risk');
    if ((facts['screening.open_hits'] ?? null) === null && disposition === 'auto_approve')
      throw new BenchFailure('an unscreened client was approved automatically');
  }
  const share = (key: string) => `${key} ${(((counts.get(key) ?? 0) / factSets.length) * 100).toFixed(1)}%`;
  return ['low', 'medium', 'high', 'auto_approve', 'manual_review', 'reject'].map(share).join(', ');
}

/** Compiles the default model, then measures evaluations per second on varied clients. */
function benchEvaluation(): BenchRow[] {
  const catalogue = defaultCatalogue();
  const compileStarted = performance.now();
  for (let round = 0; round < COMPILATIONS; round += 1) compileModel(defaultModelDefinition(), catalogue);
  const compileSeconds = (performance.now() - compileStarted) / 1000;

  const model = compileModel(defaultModelDefinition());
  const random = seededRandom(SEED);
  const factSets = Array.from({ length: FACT_SETS }, () => generateFacts(random));
  console.log(`mix of ${FACT_SETS.toLocaleString('en-US')} clients: ${checkOutcomes(model, factSets)}`);

  for (let round = 0; round < WARM_UP_ROUNDS; round += 1)
    for (const facts of factSets) evaluate(model, facts);
  let evaluations = 0;
  let checksum = 0;
  const started = performance.now();
  let seconds = 0;
  while (seconds < MIN_SECONDS) {
    for (const facts of factSets) checksum += evaluate(model, facts).points;
    evaluations += factSets.length;
    seconds = (performance.now() - started) / 1000;
  }
  // The sum of points is printed so the evaluations cannot be optimised away.
  console.log(`checksum of points: ${checksum}`);
  return [
    {
      name: 'compile the default model',
      count: COMPILATIONS,
      seconds: compileSeconds,
      goal: '—',
      verdict: 'info',
    },
    {
      name: 'evaluate the default model, varied clients',
      count: evaluations,
      seconds,
      goal: `≥ ${GOAL_PER_SECOND.toLocaleString('en-US')}/s in-process`,
      verdict: judgeRate(evaluations / seconds, GOAL_PER_SECOND),
    },
  ];
}

try {
  console.log(`Risk model benchmark; machine: ${describeMachine()}`);
  const rows = benchEvaluation();
  console.log(formatTable(rows));
  const below = rows.filter((row) => row.verdict === 'BELOW').map((row) => row.name);
  console.log(below.length === 0 ? 'goal met' : `goal NOT met: ${below.join(', ')}`);
} catch (error) {
  // Loud and non-zero: a failed run must never read as a result.
  console.error(`\nFAILED: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof BenchFailure)) console.error(error);
  process.exitCode = 1;
}
