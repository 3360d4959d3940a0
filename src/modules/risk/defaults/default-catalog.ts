/**
 * The catalogue a new tenant starts with: the kinds of client an accounting, tax or legal practice
 * serves, the services it delivers with their inherent risk, and the documents each client must
 * provide. The inherent risks follow the EU supranational risk assessment (COM(2022) 554) and the
 * EBA risk-factor guidelines (EBA/GL/2021/02): services that create or run companies and trusts,
 * move property or hold client money carry the most risk; recurring compliance work the least.
 */
import type { ClientTypeInput, DocumentRequirementInput, ServiceInput } from '../risk-catalog.types.ts';

/** The questionnaire every default client type answers. */
export const DUE_DILIGENCE_QUESTIONNAIRE = 'client_due_diligence';

const BUSINESS = ['country', 'industry', 'services'];
// Foundations, associations, trusts and private persons have no trade to classify.
const NON_TRADING = ['country', 'services'];

const clientType = (
  code: string,
  name: string,
  kind: ClientTypeInput['kind'],
  requiredFields: string[],
): ClientTypeInput => ({ code, name, kind, requiredFields, questionnaires: [DUE_DILIGENCE_QUESTIONNAIRE] });

/** The default client types. */
export const DEFAULT_CLIENT_TYPES: readonly ClientTypeInput[] = [
  clientType('sole_trader', 'Sole trader', 'person', BUSINESS),
  clientType('private_limited_company', 'Private limited company', 'entity', BUSINESS),
  clientType('public_limited_company', 'Public limited company', 'entity', BUSINESS),
  clientType('holding_company', 'Holding company', 'entity', BUSINESS),
  clientType('partnership', 'Partnership', 'entity', BUSINESS),
  clientType('foundation', 'Foundation', 'entity', NON_TRADING),
  clientType('association', 'Association or other non-profit organisation', 'entity', NON_TRADING),
  // A trust is a legal arrangement, not a person: it has beneficial owners to identify.
  clientType('trust', 'Trust or similar legal arrangement', 'entity', NON_TRADING),
  clientType('private_person', 'Private person', 'person', NON_TRADING),
];

// Reviews fall due yearly for high-risk services, every two years for medium and every three for
// low: a common risk-based cycle, which the firm may tighten.
const REVIEW_MONTHS = { low: 36, medium: 24, high: 12 } as const;

const service = (code: string, name: string, inherentRisk: ServiceInput['inherentRisk']): ServiceInput => ({
  code,
  name,
  inherentRisk,
  reviewIntervalMonths: REVIEW_MONTHS[inherentRisk],
});

/** The default services, with the inherent risk each carries. */
export const DEFAULT_SERVICES: readonly ServiceInput[] = [
  service('bookkeeping', 'Bookkeeping', 'low'),
  service('payroll', 'Payroll', 'low'),
  service('annual_accounts', 'Annual accounts', 'low'),
  service('audit', 'Statutory audit', 'low'),
  // Advice can be sought to design a scheme, but it moves no value itself.
  service('tax_advisory', 'Tax advisory', 'medium'),
  service('legal_advice', 'Legal advice', 'medium'),
  service('corporate_finance', 'Corporate finance (mergers, acquisitions, valuations)', 'medium'),
  // Gatekeeper services that create or run the vehicles launderers use, or move the value itself.
  service('company_formation', 'Company formation', 'high'),
  service('registered_office', 'Registered office (domicile)', 'high'),
  service('trust_company_services', 'Trust and company services (trustee, nominee, director)', 'high'),
  service('real_estate_transactions', 'Real estate transactions', 'high'),
  service('client_money_handling', 'Handling of client money or assets', 'high'),
];

const COMPANIES = ['private_limited_company', 'public_limited_company', 'holding_company'];
const REGISTERED = [...COMPANIES, 'partnership', 'foundation', 'association', 'sole_trader'];
const WITH_OWNERS = [...COMPANIES, 'partnership', 'foundation', 'association', 'trust'];
const HIGH_RISK_SERVICES = DEFAULT_SERVICES.filter((entry) => entry.inherentRisk === 'high').map(
  (entry) => entry.code,
);

// Validity follows the review cycle, so a document falls due at a periodic review, not between
// two; an ID document runs at most as long as a passport, and its own expiry date comes first.
const document = (
  code: string,
  name: string,
  scope: { clientTypes?: string[]; services?: string[] },
  validityMonths: number | null,
): DocumentRequirementInput => ({
  code,
  name,
  clientTypes: scope.clientTypes ?? [],
  services: scope.services ?? [],
  validityMonths,
});

/** The default document requirements (an empty scope list means every client type or service). */
export const DEFAULT_DOCUMENT_REQUIREMENTS: readonly DocumentRequirementInput[] = [
  document(
    'id_document',
    'Identity document of the client, its representatives and beneficial owners',
    {},
    120,
  ),
  document('proof_of_address', 'Proof of address', { clientTypes: ['private_person', 'sole_trader'] }, 36),
  document(
    'certificate_of_incorporation',
    'Certificate of incorporation or trade-register extract',
    { clientTypes: REGISTERED },
    36,
  ),
  document(
    'articles_of_association',
    'Articles of association',
    { clientTypes: [...COMPANIES, 'association'] },
    null,
  ),
  document('partnership_agreement', 'Partnership agreement', { clientTypes: ['partnership'] }, null),
  document(
    'shareholder_register',
    'Shareholder register',
    { clientTypes: ['private_limited_company', 'holding_company'] },
    36,
  ),
  document(
    'beneficial_owner_register_extract',
    'Beneficial owner register extract',
    { clientTypes: WITH_OWNERS },
    36,
  ),
  document(
    'ownership_structure_chart',
    'Ownership and control structure chart',
    { clientTypes: ['holding_company', 'foundation', 'trust'] },
    36,
  ),
  document('trust_deed', 'Trust deed and letter of wishes', { clientTypes: ['trust'] }, null),
  document('foundation_statutes', 'Foundation statutes', { clientTypes: ['foundation'] }, null),
  // Services that move or hold value need evidence of where it comes from (enhanced due diligence).
  document(
    'source_of_funds_evidence',
    'Evidence of the source of funds',
    { services: HIGH_RISK_SERVICES },
    12,
  ),
  document('engagement_letter', 'Signed engagement letter', {}, null),
];
