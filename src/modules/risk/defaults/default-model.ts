/**
 * The risk model a new tenant starts with, published on day one. It is built on the four groups of
 * risk factors of the EBA risk-factor guidelines (EBA/GL/2021/02): the customer, the countries
 * involved, the products and services, and the delivery channel. It reads only the built-in
 * variables and the answers to the default due-diligence questionnaire.
 *
 * Two kinds of rule. Decisive rules force an outcome whatever the points: a confirmed sanctions
 * match rejects; a PEP, a FATF or EU listed country, sanctions on the client's country or an
 * unexplained structure make the client high risk; and anything unverified or unknown (open
 * screening hits, no screening, unidentified beneficial owners, missing documents, an unknown
 * country or client type, no questionnaire) sends the client to a person, so missing data never
 * approves a client automatically.
 *
 * Scoring rules add points. One significant factor (a high-risk service, country or industry)
 * weighs 15–25, a lesser one 5–10; lower-risk factors named by the EBA guidelines (a supervised
 * financial institution, a listed company, a public body, a long relationship) subtract. Medium
 * starts at 20, so one significant factor is enough for a person to look; high starts at 45, so it
 * takes about three together. A typical low-risk client scores 0–10.
 */
import { compileModel } from '../risk-model.ts';
import type { Catalogue } from '../risk-model.ts';
import type { ModelDefinition, RuleDefinitionInput } from '../risk-model.schema.ts';
import { buildCatalogue } from '../risk-variables.ts';
import { questionnaireVariables } from '../questionnaire.ts';
import { DEFAULT_CLIENT_TYPES, DEFAULT_SERVICES, DUE_DILIGENCE_QUESTIONNAIRE } from './default-catalog.ts';
import { DEFAULT_COUNTRY_LEVELS } from './default-countries.ts';
import { DEFAULT_QUESTIONNAIRES } from './default-questionnaire.ts';

const ANSWERS = `answers.${DUE_DILIGENCE_QUESTIONNAIRE}`;

// Owners have no flags of their own, only countries: the call-for-action countries are written
// into the rule as the default table lists them, and must be updated with it.
const CALL_FOR_ACTION = DEFAULT_COUNTRY_LEVELS.filter((country) =>
  country.flags.includes('fatf_call_for_action'),
)
  .map((country) => `'${country.countryCode}'`)
  .join(', ');

type Outcome = Pick<RuleDefinitionInput, 'points' | 'forceLevel' | 'forceDisposition'>;

const rule = (
  id: string,
  factor: RuleDefinitionInput['factor'],
  outcome: Outcome,
  when: string,
  description: string,
): RuleDefinitionInput => ({ id, description, factor, when, ...outcome });

const REVIEW: Outcome = { forceDisposition: 'manual_review' };
const HIGH: Outcome = { forceLevel: 'high' };
const HIGH_AND_REVIEW: Outcome = { forceLevel: 'high', forceDisposition: 'manual_review' };
const points = (value: number): Outcome => ({ points: value });

// The rule tables are laid out by hand, one rule to a few lines, so they read as tables.
// prettier-ignore
const decisiveRules: RuleDefinitionInput[] = [
  rule('confirmed_sanctions_hit', 'customer', { forceLevel: 'high', forceDisposition: 'reject' },
    'screening.confirmed_sanctions_hits > 0',
    'The client or an owner is confirmed on a sanctions list: no funds or services may be made ' +
      'available. Reject, freeze and report.'),
  rule('politically_exposed_person', 'customer', HIGH_AND_REVIEW, 'screening.pep',
    'The client or a beneficial owner is a politically exposed person: enhanced due diligence, ' +
      'senior management approval and the source of wealth (EU AMLD art. 20).'),
  rule('adverse_media', 'customer', { points: 25, ...HIGH }, 'screening.adverse_media',
    'Confirmed adverse media or a criminal record: high risk, weighed by a person.'),
  rule('open_screening_hits', 'customer', REVIEW, 'screening.open_hits > 0',
    'Potential screening matches are not yet reviewed: a person must dismiss or confirm them first.'),
  rule('screening_not_run', 'customer', REVIEW, 'not known(screening.open_hits)',
    'No screening result is recorded: an unscreened client is never approved automatically.'),
  rule('client_type_unknown', 'customer', REVIEW, 'not known(client.type) or not known(client.kind)',
    'The client type is not known, so the model cannot tell which checks apply.'),
  rule('beneficial_owners_not_identified', 'customer', REVIEW,
    "client.kind == 'entity' and not (ownership.beneficial_owners_identified ?? false)",
    'Not every beneficial owner is identified and verified (EU AMLD art. 13); unknown counts as not.'),
  rule('questionnaire_not_answered', 'customer', REVIEW, `not known(${ANSWERS}.risk)`,
    'The due-diligence questionnaire is not answered: the purpose of the relationship is not known.'),
  rule('unexplained_structure', 'customer', HIGH, `${ANSWERS}.complex_structure == 'yes'`,
    'The structure is unusual or complex without an evident economic or lawful purpose: enhanced ' +
      'due diligence (EU AMLD art. 18(2)).'),
  rule('country_unknown', 'geography', REVIEW, 'not known(client.country) or not known(client.country_risk)',
    'The client’s country is missing, or not in the country table: its risk cannot be judged.'),
  rule('fatf_call_for_action', 'geography', HIGH_AND_REVIEW,
    "'fatf_call_for_action' in client.country_flags or (known(ownership.owner_countries) and " +
      `overlaps(ownership.owner_countries, [${CALL_FOR_ACTION}]))`,
    'The client or an owner is in a country under a FATF call for action: enhanced due diligence ' +
      'and counter-measures.'),
  rule('eu_high_risk_or_fatf_monitored_country', 'geography', HIGH,
    "'eu_high_risk_third_country' in client.country_flags or " +
      "'fatf_increased_monitoring' in client.country_flags",
    'The client’s country is an EU high-risk third country or under FATF increased monitoring: ' +
      'enhanced due diligence (EU AMLD art. 18a).'),
  rule('sanctioned_country', 'geography', HIGH, "'sanctioned' in client.country_flags",
    'The client’s country is under UN or EU sanctions beyond listed persons: every payment must be ' +
      'checked against the restrictions.'),
  rule('deals_with_listed_countries', 'geography', HIGH, `${ANSWERS}.high_risk_country_links == 'yes'`,
    'The client deals with a country on a FATF list, the EU high-risk list or under sanctions ' +
      '(EU AMLD art. 18a).'),
  rule('documents_missing_or_expired', 'other', REVIEW, 'documents.missing > 0 or documents.expired > 0',
    'A required document is missing or past its validity: identity and ownership are not verified.'),
  rule('documents_awaiting_approval', 'other', REVIEW, 'documents.awaiting_approval > 0',
    'A required document is received but not yet checked by a person.'),
];

// prettier-ignore
const scoringRules: RuleDefinitionInput[] = [
  rule('industry_high', 'customer', points(15), "client.industry_risk == 'high'",
    'An industry of high risk in the industry table (SNRA sectors, cash-intensive trades).'),
  rule('industry_medium', 'customer', points(5), "client.industry_risk == 'medium'",
    'An industry of medium risk in the industry table.'),
  rule('ownership_layers', 'customer', points(15), 'ownership.layers >= 3',
    'Three or more layers of entities between the client and its beneficial owners obscure control.'),
  rule('nominee_shareholders', 'customer', points(20), 'client.nominee_shareholders',
    'Nominee shareholders or bearer shares (EBA/GL/2021/02, customer risk factors).'),
  rule('trust_or_foundation', 'customer', points(10),
    "(ownership.trust_or_foundation ?? false) or client.type in ['trust', 'foundation']",
    'A trust, foundation or similar arrangement separates legal and beneficial ownership.'),
  rule('young_company', 'customer', points(10), "client.kind == 'entity' and client.years_in_business < 2",
    'An entity incorporated less than two years ago has no track record.'),
  rule('cash_intensive', 'customer', points(10), 'client.cash_intensive',
    'A cash-intensive business: the origin of cash takings is hard to verify.'),
  rule('questionnaire_high', 'customer', points(20), `${ANSWERS}.risk == 'high'`,
    'An answer of high risk in the due-diligence questionnaire.'),
  rule('questionnaire_medium', 'customer', points(8), `${ANSWERS}.risk == 'medium'`,
    'An answer of medium risk in the due-diligence questionnaire.'),
  rule('regulated_financial_institution', 'customer', points(-20),
    "client.regulated_entity and client.country_risk == 'low'",
    'A financial institution supervised for AML in a low-risk country: a lower-risk factor (EBA).'),
  rule('listed_company', 'customer', points(-15), 'client.listed_company',
    'Listed on a regulated market whose disclosure duties make ownership transparent: lower risk.'),
  rule('public_body', 'customer', points(-20), 'client.public_body',
    'A public authority or state-owned enterprise of an EU/EEA state: a lower-risk factor.'),
  rule('long_relationship', 'customer', points(-5), 'client.relationship_years >= 5',
    'Served for five years or more: the firm knows the client’s pattern of business.'),
  rule('country_high', 'geography', points(25), "client.country_risk == 'high'",
    'The client’s country is of high risk in the country table.'),
  rule('country_medium', 'geography', points(8), "client.country_risk == 'medium'",
    'The client’s country is of medium risk in the country table (for example on the EU tax list).'),
  rule('foreign_owners', 'geography', points(5), 'ownership.foreign_owners > 0',
    'Owners registered or resident in another country.'),
  rule('high_risk_country_owners', 'geography', points(20), 'ownership.high_risk_country_owners > 0',
    'Owners in a country of high risk in the country table.'),
  rule('service_high', 'product', points(20), "services.max_inherent_risk == 'high'",
    'A service of high inherent risk: formation, domicile, trust services, real estate, client money.'),
  rule('service_medium', 'product', points(8), "services.max_inherent_risk == 'medium'",
    'A service of medium inherent risk: tax or legal advice, corporate finance.'),
  rule('large_volume_young_entity', 'product', points(10),
    "client.kind == 'entity' and client.years_in_business < 2 and " +
      `${ANSWERS}.expected_annual_turnover >= 1000000`,
    'A million euros or more a year expected through an entity less than two years old.'),
  rule('non_face_to_face', 'channel', points(10), 'channel.non_face_to_face',
    'Onboarded without meeting in person or a trusted electronic identification (eIDAS).'),
  rule('introduced_by_third_party', 'channel', points(8), 'channel.introduced_by_third_party',
    'Introduced by an intermediary the firm relies on for part of the due diligence.'),
];

/** The default model as written, before its inputs are typed from the catalogue. */
export const DEFAULT_MODEL_SOURCE: ModelDefinition = {
  name: 'Default risk model (EBA risk factors)',
  description:
    'Scores the four EBA risk-factor groups (EBA/GL/2021/02): customer, geography, products and ' +
    'services, and delivery channel. Sanctions matches reject; PEPs, FATF and EU listed countries ' +
    'and unexplained structures are high risk; anything unverified or unknown goes to a person. ' +
    'Medium risk from 20 points, high from 45. Low risk is approved automatically; medium and ' +
    'high risk are reviewed by a person.',
  rules: [...decisiveRules, ...scoringRules],
  thresholds: { medium: 20, high: 45 },
  dispositions: { low: 'auto_approve', medium: 'manual_review', high: 'manual_review' },
};

/** The catalogue of a tenant with the defaults: built-in variables and the questionnaire's answers. */
export function defaultCatalogue(): Catalogue {
  return buildCatalogue({
    clientTypes: DEFAULT_CLIENT_TYPES.map((type) => type.code),
    services: DEFAULT_SERVICES.map((service) => service.code),
    answers: DEFAULT_QUESTIONNAIRES.flatMap(({ code, definition }) =>
      questionnaireVariables(code, definition),
    ),
  });
}

/** The default model as stored: self-contained, with the type of every input it reads. */
export function defaultModelDefinition(): ModelDefinition {
  return compileModel(DEFAULT_MODEL_SOURCE, defaultCatalogue()).definition;
}
