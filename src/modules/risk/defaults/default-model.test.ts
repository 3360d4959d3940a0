// The defaults a new tenant starts with: the model's decisions on named example clients (each the
// documented behaviour of the default model), and the tables, catalogue and questionnaire it reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Value } from '../expression-compile.ts';
import { answerVariables, checkAnswers, compileQuestionnaire, visibleQuestions } from '../questionnaire.ts';
import type { Answers } from '../questionnaire.ts';
import { evaluate } from '../risk-evaluate.ts';
import { buildFacts, indexTables, requiredDocuments, type DocumentStatus } from '../risk-facts.ts';
import { compileModel } from '../risk-model.ts';
import type { Disposition, RiskLevel } from '../risk-model.schema.ts';
import { BUILT_IN_VARIABLES, COUNTRY_FLAGS } from '../risk-variables.ts';
import { DEFAULT_CLIENT_TYPES, DEFAULT_DOCUMENT_REQUIREMENTS, DEFAULT_SERVICES } from './default-catalog.ts';
import { COUNTRY_LEVELS_AS_OF, DEFAULT_COUNTRY_LEVELS } from './default-countries.ts';
import { DEFAULT_INDUSTRY_LEVELS, findIndustryLevel } from './default-industries.ts';
import { DEFAULT_MODEL_SOURCE, defaultCatalogue, defaultModelDefinition } from './default-model.ts';
import { DEFAULT_QUESTIONNAIRES } from './default-questionnaire.ts';

const TODAY = '2026-06-30';
const CDD = 'client_due_diligence';
const tables = indexTables({
  clientTypes: DEFAULT_CLIENT_TYPES,
  services: DEFAULT_SERVICES,
  countries: DEFAULT_COUNTRY_LEVELS,
  industries: DEFAULT_INDUSTRY_LEVELS,
  documentRequirements: DEFAULT_DOCUMENT_REQUIREMENTS,
});
const dueDiligence = DEFAULT_QUESTIONNAIRES.find((entry) => entry.code === CDD);
assert.ok(dueDiligence, 'the default questionnaires include client due diligence');
const questionnaire = compileQuestionnaire(dueDiligence.definition);
const model = compileModel(DEFAULT_MODEL_SOURCE, defaultCatalogue());
const standalone = compileModel(defaultModelDefinition());

// An unremarkable client, screened and verified, to which each example adds what makes it itself.
const LOW_RISK: Record<string, Value> = {
  'client.relationship_years': 2,
  'client.regulated_entity': false,
  'client.listed_company': false,
  'client.public_body': false,
  'client.cash_intensive': false,
  'client.nominee_shareholders': false,
  'channel.non_face_to_face': false,
  'channel.introduced_by_third_party': false,
  'screening.top_score': 0,
  'screening.open_hits': 0,
  'screening.confirmed_sanctions_hits': 0,
  'screening.pep': false,
  'screening.adverse_media': false,
};
const LOW_RISK_ENTITY: Record<string, Value> = {
  'client.years_in_business': 8,
  'ownership.layers': 1,
  'ownership.max_indirect_percent': 100,
  'ownership.foreign_owners': 0,
  'ownership.high_risk_country_owners': 0,
  'ownership.beneficial_owners_identified': true,
  'ownership.trust_or_foundation': false,
};
const LOW_RISK_ANSWERS: Answers = {
  relationship_purpose: 'ongoing_compliance',
  source_of_funds: 'business_income',
  handles_cash: 'no',
  acts_for_third_party: 'no',
  operates_abroad: 'no',
  expected_annual_turnover: 250_000,
  complex_structure: 'no',
};
type Client = {
  type: string;
  country: string | null;
  industry?: string;
  services: string[];
  facts?: Record<string, Value>;
  /** Answers over the low-risk ones; null: the questionnaire is not answered. */
  answers?: Answers | null;
  documents?: { missing?: string[]; expired?: string[]; received?: string[] };
  /** Facts set after the facts are built: what the firm has not recorded. */
  unrecorded?: Record<string, Value>;
};

function factsOf(client: Client): Record<string, Value> {
  const isEntity = tables.clientTypes.get(client.type)?.kind === 'entity';
  const ownerCountries = client.country ? [client.country] : [];
  const recorded = {
    ...LOW_RISK,
    ...(isEntity ? { ...LOW_RISK_ENTITY, 'ownership.owner_countries': ownerCountries } : {}),
    ...client.facts,
  };
  const { missing = [], expired = [], received = [] } = client.documents ?? {};
  const documents: DocumentStatus[] = requiredDocuments(tables, client.type, client.services)
    .filter((requirement) => !missing.includes(requirement.code))
    .map((requirement) => ({
      requirementCode: requirement.code,
      status: received.includes(requirement.code) ? 'received' : 'approved',
      expiresOn: expired.includes(requirement.code) ? '2026-01-31' : null,
    }));
  let answers: Record<string, Value> = {};
  if (client.answers !== null) {
    const given = { ...LOW_RISK_ANSWERS, ...client.answers };
    assert.deepEqual(checkAnswers(questionnaire, given), [], 'the example answers are complete');
    answers = answerVariables(CDD, questionnaire, given, TODAY);
  }
  const profile = {
    clientId: 'example',
    clientType: client.type,
    countryCode: client.country,
    industryCode: client.industry ?? null,
    services: client.services,
    facts: recorded,
  };
  return { ...buildFacts(profile, tables, documents, answers, TODAY), ...client.unrecorded };
}

type Case = {
  name: string;
  client: Client;
  expect: [level: RiskLevel, disposition: Disposition, points: number];
  fired: string[];
  /** Rules whose outcome is unknown, with the missing facts they name. */
  unknown?: Record<string, string[]>;
};

const company = (country: string, industry: string, services: string[], more: Partial<Client> = {}) =>
  ({ type: 'private_limited_company', country, industry, services, ...more }) satisfies Client;
const person = (country: string | null, services: string[], more: Partial<Client> = {}) =>
  ({ type: 'private_person', country, services, ...more }) satisfies Client;
const UNSCREENED = Object.fromEntries(
  Object.keys(LOW_RISK).flatMap((name) => (name.startsWith('screening.') ? [[name, null]] : [])),
);

// One example client to a few lines, laid out by hand so the table reads as a specification.
// prettier-ignore
const cases: Case[] = [
  { name: 'Nordic Bookkeeping ApS: Danish private limited company, software, bookkeeping only, all documents, no hits',
    client: company('DK', 'J62.01', ['bookkeeping']),
    expect: ['low', 'auto_approve', 0], fired: [] },
  { name: 'Café Lisboa Lda: Portuguese restaurant, 10–50% of takings in cash, bookkeeping and payroll',
    client: company('PT', 'I56.10', ['bookkeeping', 'payroll'], { facts: { 'client.cash_intensive': true },
      answers: { handles_cash: 'yes', cash_share: 'from_10_to_50_percent' } }),
    expect: ['medium', 'manual_review', 33], fired: ['cash_intensive', 'industry_high', 'questionnaire_medium'] },
  { name: 'Foreign PEP: a Swiss private person seeking tax advice is politically exposed',
    client: person('CH', ['tax_advisory'], { facts: { 'screening.pep': true } }),
    expect: ['high', 'manual_review', 8], fired: ['politically_exposed_person', 'service_medium'] },
  { name: 'Caspian Freight: a freight forwarder in the UAE confirmed on a sanctions list is rejected',
    client: company('AE', 'H52.29', ['bookkeeping'], { facts: { 'screening.confirmed_sanctions_hits': 1 } }),
    expect: ['high', 'reject', 13], fired: ['confirmed_sanctions_hit', 'country_medium', 'industry_medium'] },
  { name: 'Tehran importer: a client in a FATF call-for-action country, under sanctions, owned locally',
    client: company('IR', 'G46.90', ['bookkeeping'], { facts: { 'ownership.high_risk_country_owners': 1 } }),
    expect: ['high', 'manual_review', 50],
    fired: ['country_high', 'eu_high_risk_or_fatf_monitored_country', 'fatf_call_for_action',
      'high_risk_country_owners', 'industry_medium', 'sanctioned_country'] },
  { name: 'Baltic Shipping A/S: Danish, but one owner is in Myanmar (FATF call for action)',
    client: company('DK', 'H50.20', ['bookkeeping', 'annual_accounts'], { facts: {
      'ownership.owner_countries': ['DK', 'MM'], 'ownership.foreign_owners': 1,
      'ownership.high_risk_country_owners': 1 } }),
    expect: ['high', 'manual_review', 25],
    fired: ['fatf_call_for_action', 'foreign_owners', 'high_risk_country_owners'] },
  { name: 'Nairobi consultancy: a Kenyan company, in an EU high-risk third country',
    client: company('KE', 'M70.22', ['bookkeeping']),
    expect: ['high', 'manual_review', 30],
    fired: ['country_high', 'eu_high_risk_or_fatf_monitored_country', 'industry_medium'] },
  { name: 'Kyiv developer: a Ukrainian sole trader; conflict scores points but forces nothing',
    client: { type: 'sole_trader', country: 'UA', industry: 'J62.01', services: ['bookkeeping'] },
    expect: ['medium', 'manual_review', 25], fired: ['country_high'] },
  { name: 'Rhein Bank AG: a listed, supervised German bank is low despite three layers and foreign owners',
    client: company('DE', 'K64.19', ['corporate_finance'], { type: 'public_limited_company', facts: {
      'ownership.layers': 3, 'ownership.foreign_owners': 2, 'client.regulated_entity': true,
      'client.listed_company': true } }),
    expect: ['low', 'auto_approve', -2],
    fired: ['foreign_owners', 'industry_medium', 'listed_company', 'ownership_layers',
      'regulated_financial_institution', 'service_medium'] },
  { name: 'Stadtwerke: a municipal utility, a public body, scores below zero',
    client: company('DE', 'D35.11', ['audit'], { facts: { 'client.public_body': true } }),
    expect: ['low', 'auto_approve', -20], fired: ['public_body'] },
  { name: 'Remote tax client: a French sole trader onboarded remotely scores 18, just below medium',
    client: { type: 'sole_trader', country: 'FR', industry: 'M74.10', services: ['tax_advisory'],
      facts: { 'channel.non_face_to_face': true } },
    expect: ['low', 'auto_approve', 18], fired: ['non_face_to_face', 'service_medium'] },
  { name: 'Berlin start-up: company formation alone scores exactly the medium threshold, 20',
    client: company('DE', 'J62.01', ['company_formation']),
    expect: ['medium', 'manual_review', 20], fired: ['service_high'] },
  { name: 'Young layered company: formation, three layers, one year old: exactly the high threshold, 45',
    client: company('NL', 'J63.11', ['company_formation'], {
      facts: { 'client.years_in_business': 1, 'ownership.layers': 3 } }),
    expect: ['high', 'manual_review', 45], fired: ['ownership_layers', 'service_high', 'young_company'] },
  { name: 'Limassol domicile client: nominees, a BVI owner, formation and domicile, no evident purpose',
    client: company('CY', 'M70.10', ['company_formation', 'registered_office'], {
      facts: { 'client.nominee_shareholders': true, 'ownership.layers': 4, 'ownership.foreign_owners': 1,
        'ownership.owner_countries': ['CY', 'VG'], 'ownership.high_risk_country_owners': 1 },
      answers: { source_of_funds: 'unknown', source_of_funds_details: 'The client declined to say.',
        complex_structure: 'yes', complex_structure_explanation: 'Said to be tax planning; nothing shown.' } }),
    expect: ['high', 'manual_review', 115],
    fired: ['foreign_owners', 'high_risk_country_owners', 'industry_high', 'nominee_shareholders',
      'ownership_layers', 'questionnaire_high', 'service_high', 'unexplained_structure'] },
  { name: 'Missing country: a private person with no country recorded goes to a person',
    client: person(null, ['annual_accounts']),
    expect: ['low', 'manual_review', 0], fired: ['country_unknown'],
    unknown: { country_high: ['client.country_risk'], sanctioned_country: ['client.country_flags'] } },
  { name: 'Amstel Holdings B.V.: a holding company whose ownership and age are not recorded',
    client: company('NL', 'K64.20', ['bookkeeping'], { type: 'holding_company', unrecorded: {
      ...Object.fromEntries(Object.keys(LOW_RISK_ENTITY).map((name) => [name, null])),
      'ownership.owner_countries': null } }),
    expect: ['low', 'manual_review', 15], fired: ['beneficial_owners_not_identified', 'industry_high'],
    unknown: { ownership_layers: ['ownership.layers'], foreign_owners: ['ownership.foreign_owners'],
      young_company: ['client.years_in_business'] } },
  { name: 'Unscreened client: no screening result recorded yet',
    client: person('DK', ['payroll'], { unrecorded: UNSCREENED }),
    expect: ['low', 'manual_review', 0], fired: ['screening_not_run'],
    unknown: { politically_exposed_person: ['screening.pep'], adverse_media: ['screening.adverse_media'] } },
  { name: 'Open screening hits: two potential matches not yet reviewed',
    client: company('SE', 'J62.01', ['payroll'], { facts: { 'screening.open_hits': 2 } }),
    expect: ['low', 'manual_review', 0], fired: ['open_screening_hits'] },
  { name: 'No questionnaire: the due-diligence questionnaire is not answered',
    client: company('FI', 'J62.01', ['bookkeeping'], { answers: null }),
    expect: ['low', 'manual_review', 0], fired: ['questionnaire_not_answered'],
    unknown: { questionnaire_high: [`answers.${CDD}.risk`] } },
  { name: 'Expired passport: a required identity document is past its validity',
    client: company('AT', 'J62.01', ['bookkeeping'], { documents: { expired: ['id_document'] } }),
    expect: ['low', 'manual_review', 0], fired: ['documents_missing_or_expired'] },
  { name: 'Unchecked documents: the register extract is received but not yet approved',
    client: company('IE', 'J62.01', ['bookkeeping'], { documents: { received: ['certificate_of_incorporation'] } }),
    expect: ['low', 'manual_review', 0], fired: ['documents_awaiting_approval'] },
  { name: 'Client type not recorded: the model cannot tell which checks apply',
    client: company('BE', 'J62.01', ['bookkeeping'], { unrecorded: { 'client.type': null, 'client.kind': null } }),
    expect: ['low', 'manual_review', 0], fired: ['client_type_unknown'] },
];

for (const example of cases) {
  const [level, disposition, points] = example.expect;
  test(`default model: ${example.name} → ${level}, ${disposition}`, () => {
    const facts = factsOf(example.client);
    const result = evaluate(model, facts);
    const fired = result.rules.filter((rule) => rule.outcome === 'fired').map((rule) => rule.id);
    assert.deepEqual(fired.toSorted(), example.fired.toSorted(), 'the rules that fired');
    assert.deepEqual([result.level, result.disposition, result.points], [level, disposition, points]);
    for (const [id, missing] of Object.entries(example.unknown ?? {})) {
      const trace = result.rules.find((rule) => rule.id === id);
      assert.deepEqual(
        { id, outcome: trace?.outcome, missing: trace?.missing },
        { id, outcome: 'unknown', missing },
      );
    }
    // The stored definition, compiled without the catalogue, decides exactly the same.
    assert.deepEqual(evaluate(standalone, facts), result);
  });
}

test('the default model reads only built-in variables and the due-diligence answers', () => {
  const builtIn = new Set(BUILT_IN_VARIABLES.map((variable) => variable.name));
  const foreign = [...model.inputs.keys()].filter(
    (name) => !builtIn.has(name) && !name.startsWith(`answers.${CDD}.`),
  );
  assert.deepEqual(foreign, []);
  assert.ok(model.inputs.has(`answers.${CDD}.risk`) && model.inputs.has('screening.pep'));
  const factors = new Set(DEFAULT_MODEL_SOURCE.rules.map((rule) => rule.factor));
  for (const factor of ['customer', 'geography', 'product', 'channel'] as const)
    assert.ok(factors.has(factor));
});

test('the stored default model is self-contained: it compiles with no catalogue, to the same inputs', () => {
  const definition = defaultModelDefinition();
  assert.deepEqual(Object.keys(definition.inputs ?? {}), [...model.inputs.keys()]);
  assert.deepEqual([...standalone.inputs], [...model.inputs]);
  assert.equal(DEFAULT_MODEL_SOURCE.inputs, undefined, 'the source leaves the inputs to the catalogue');
});

test('the questionnaire shows each follow-up only when its answer calls for it', () => {
  const followUps = (answers: Answers) => {
    const shown = visibleQuestions(questionnaire, { ...LOW_RISK_ANSWERS, ...answers });
    return dueDiligence.definition.questions
      .filter((question) => question.showIf && shown.has(question.code))
      .map((question) => question.code);
  };
  const conditional = dueDiligence.definition.questions.filter((question) => question.showIf);
  assert.ok(conditional.length >= 3, 'at least three follow-ups are conditional');
  assert.deepEqual(followUps({}), [], 'none for low-risk answers');
  assert.deepEqual(followUps({ relationship_purpose: 'other' }), ['relationship_purpose_details']);
  assert.deepEqual(followUps({ source_of_funds: 'inheritance_or_gift' }), ['source_of_funds_details']);
  assert.deepEqual(followUps({ handles_cash: 'yes' }), ['cash_share']);
  assert.deepEqual(followUps({ acts_for_third_party: 'yes' }), ['third_party_role']);
  assert.deepEqual(followUps({ operates_abroad: 'yes' }), [
    'main_foreign_country',
    'high_risk_country_links',
  ]);
  assert.deepEqual(followUps({ complex_structure: 'yes' }), ['complex_structure_explanation']);
  const problems = (answers: Answers) =>
    checkAnswers(questionnaire, { ...LOW_RISK_ANSWERS, ...answers }).map((issue) => issue.path);
  assert.deepEqual(problems({ handles_cash: 'yes' }), ['cash_share'], 'a shown follow-up must be answered');
  assert.deepEqual(problems({ cash_share: 'below_10_percent' }), ['cash_share'], 'a hidden one may not be');
  const riskOf = (answers: Answers) =>
    answerVariables(CDD, questionnaire, { ...LOW_RISK_ANSWERS, ...answers }, TODAY)[`answers.${CDD}.risk`];
  assert.equal(riskOf({}), 'low');
  assert.equal(riskOf({ handles_cash: 'yes', cash_share: 'above_50_percent' }), 'high');
});

test('the country table covers every country once, and its levels follow the documented rule', () => {
  const codes = DEFAULT_COUNTRY_LEVELS.map((country) => country.countryCode);
  assert.equal(new Set(codes).size, codes.length, 'no country twice');
  assert.ok(codes.length >= 249 && codes.length <= 251, `${codes.length} countries`);
  for (const code of ['DE', 'US', 'CN', 'KP', 'AQ', 'VG', 'ZW']) assert.ok(codes.includes(code), code);
  const lowBase = new Set(['DK', 'SE', 'NO', 'IS', 'LI', 'GB', 'US', 'JP', 'CH']);
  for (const country of DEFAULT_COUNTRY_LEVELS) {
    const where = `${country.countryCode} (${country.flags.join(', ')})`;
    assert.match(country.countryCode, /^[A-Z]{2}$/);
    assert.ok(country.note.length > 0 && country.note.length <= 500, where);
    assert.ok(
      country.flags.every((flag) => COUNTRY_FLAGS.includes(flag)),
      where,
    );
    const taxOnly = country.flags.length === 1 && country.flags[0] === 'eu_non_cooperative_tax';
    if (country.flags.length > 0) assert.equal(country.level, taxOnly ? 'medium' : 'high', where);
    if (lowBase.has(country.countryCode)) assert.equal(country.level, 'low', where);
  }
  const flagged = (flag: (typeof COUNTRY_FLAGS)[number]) =>
    DEFAULT_COUNTRY_LEVELS.filter((country) => country.flags.includes(flag)).map((c) => c.countryCode);
  assert.deepEqual(flagged('fatf_call_for_action'), ['IR', 'KP', 'MM']);
  for (const flag of COUNTRY_FLAGS) assert.ok(flagged(flag).length > 0, `someone is on ${flag}`);
  assert.ok(DEFAULT_COUNTRY_LEVELS.some((c) => c.flags.length === 0 && c.level === 'medium'));
  assert.match(COUNTRY_LEVELS_AS_OF, /FATF .*2026/);
});

test('the industry table has all 21 NACE sections, and a client takes the most specific entry', () => {
  const codes = DEFAULT_INDUSTRY_LEVELS.map((industry) => industry.industryCode);
  assert.equal(new Set(codes).size, codes.length);
  const sections = codes.filter((code) => code.length === 1);
  assert.deepEqual(sections, [...'ABCDEFGHIJKLMNOPQRSTU']);
  for (const industry of DEFAULT_INDUSTRY_LEVELS) {
    // eslint-disable-next-line security/detect-unsafe-regex -- the database CHECK; codes are seven characters at most
    assert.match(industry.industryCode, /^[A-U](\d{2}(\.\d{1,2})?)?$/);
    assert.ok(industry.name.length <= 200 && industry.note.length > 0 && industry.note.length <= 500);
  }
  const found = (code: string) => findIndustryLevel(DEFAULT_INDUSTRY_LEVELS, code)?.industryCode ?? null;
  assert.equal(found('K64.19'), 'K64.19', 'exact');
  assert.equal(found('K64.20'), 'K64.2', 'class to group');
  assert.equal(found('R92.00'), 'R92', 'class to division');
  assert.equal(found('K64.12'), 'K', 'class to section when neither group nor division is listed');
  assert.equal(found('A01.11'), 'A');
  assert.equal(findIndustryLevel(DEFAULT_INDUSTRY_LEVELS, 'R92.00')?.level, 'high');
  assert.equal(findIndustryLevel([], 'K64.19'), null);
  assert.equal(findIndustryLevel(DEFAULT_INDUSTRY_LEVELS.slice(1), 'A01.11'), null, 'no section A');
});

test('the catalogue fits the database: codes, names, intervals, and document scopes that exist', () => {
  const CODE = /^[a-z][a-z0-9_]{0,39}$/;
  const clientTypes = new Set(DEFAULT_CLIENT_TYPES.map((type) => type.code));
  const services = new Set(DEFAULT_SERVICES.map((service) => service.code));
  const questionnaires = new Set(DEFAULT_QUESTIONNAIRES.map((entry) => entry.code));
  for (const type of DEFAULT_CLIENT_TYPES) {
    assert.match(type.code, CODE);
    assert.ok(type.name.length <= 120 && type.questionnaires.every((code) => questionnaires.has(code)));
    assert.ok(type.requiredFields.every((field) => ['country', 'industry', 'services'].includes(field)));
  }
  for (const service of DEFAULT_SERVICES) {
    assert.match(service.code, CODE);
    assert.ok(service.name.length <= 120, service.code);
    assert.ok(service.reviewIntervalMonths >= 1 && service.reviewIntervalMonths <= 120, service.code);
  }
  for (const document of DEFAULT_DOCUMENT_REQUIREMENTS) {
    assert.match(document.code, CODE);
    assert.ok(document.name.length <= 120, document.code);
    const validity = document.validityMonths ?? 1;
    assert.ok(validity >= 1 && validity <= 240, document.code);
    assert.ok(
      document.clientTypes.every((code) => clientTypes.has(code)),
      document.code,
    );
    assert.ok(
      document.services.every((code) => services.has(code)),
      document.code,
    );
  }
  const documents = DEFAULT_DOCUMENT_REQUIREMENTS.map((document) => document.code);
  for (const codes of [[...clientTypes], [...services], documents])
    assert.equal(new Set(codes).size, codes.length);
  const sourceOfFunds = DEFAULT_DOCUMENT_REQUIREMENTS.find((d) => d.code === 'source_of_funds_evidence');
  const highRisk = DEFAULT_SERVICES.filter((service) => service.inherentRisk === 'high').map((s) => s.code);
  assert.deepEqual(sourceOfFunds?.services, highRisk);
  assert.ok(DEFAULT_DOCUMENT_REQUIREMENTS.find((d) => d.code === 'id_document')?.validityMonths);
});
