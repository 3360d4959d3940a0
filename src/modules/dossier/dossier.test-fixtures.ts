/**
 * A realistic dossier for the renderers' tests: a Danish holding owned through three layers, with
 * names that a standard PDF font cannot print, a resolved false positive, and a risk model long
 * enough to run over several pages.
 */
import type { Dossier, DossierActor } from './dossier.types.ts';

const OFFICER: DossierActor = { id: 'usr_7f3a91', name: 'Maria Nowak' };
const APPROVER: DossierActor = { id: 'usr_2c88d0', name: 'Jonas Lindqvist' };

/** [rule id, what it tests, outcome, points]: a model of 34 rules, as a firm's default might have. */
const RULES: [string, string, 'fired' | 'not_fired' | 'unknown', number][] = [
  [
    'country_high_risk_third_country',
    'Client or owner resident in an EU high-risk third country',
    'not_fired',
    0,
  ],
  ['country_fatf_grey_list', 'Any party in a country under increased FATF monitoring', 'not_fired', 0],
  ['country_sanctioned', 'Any party in a comprehensively sanctioned country', 'not_fired', 0],
  ['country_non_eea_owner', 'A beneficial owner resident outside the EEA', 'not_fired', 0],
  ['country_cpi_below_40', "Client's country scores below 40 on the corruption index", 'not_fired', 0],
  ['customer_pep', 'Client is a politically exposed person', 'not_fired', 0],
  ['customer_pep_owner', 'A beneficial owner is a politically exposed person', 'not_fired', 0],
  ['customer_pep_relative', 'A family member or close associate of a PEP is involved', 'not_fired', 0],
  ['customer_layers_over_2', 'More than two layers between the client and its owners', 'fired', 10],
  ['customer_bearer_shares', 'The client or an owner has issued bearer shares', 'not_fired', 0],
  ['customer_nominee_directors', 'Nominee directors or shareholders are used', 'not_fired', 0],
  ['customer_recent_incorporation', 'Incorporated less than 12 months ago', 'not_fired', 0],
  ['customer_shell_indicators', 'No employees and no premises declared', 'unknown', 0],
  ['customer_ubo_unverified', 'A beneficial owner has no verified identity document', 'not_fired', 0],
  ['customer_ownership_cycle', 'The ownership graph has a cycle', 'not_fired', 0],
  ['customer_adverse_media', 'Adverse media check reported a relevant finding', 'not_fired', 0],
  ['customer_screening_true_match', 'A screening hit was resolved as a true match', 'not_fired', 0],
  ['customer_cash_intensive', 'Cash-intensive industry', 'not_fired', 0],
  ['industry_high_risk', "Client's industry is rated high", 'not_fired', 0],
  ['industry_medium_risk', "Client's industry is rated medium", 'fired', 5],
  ['product_private_banking', 'Uses private banking or wealth management', 'not_fired', 0],
  ['product_crypto_assets', 'Holds or transfers crypto-assets', 'not_fired', 0],
  ['product_cross_border_payments', 'Expects regular cross-border payments', 'fired', 5],
  ['product_trade_finance', 'Uses trade finance products', 'not_fired', 0],
  ['product_expected_volume_high', 'Expected yearly volume above EUR 5 million', 'not_fired', 0],
  ['product_source_of_funds_unclear', 'Source of funds not documented', 'not_fired', 0],
  ['channel_non_face_to_face', 'Onboarded without meeting in person', 'fired', 5],
  ['channel_introducer', 'Introduced by a third party', 'not_fired', 0],
  ['channel_no_eid', 'Identity not confirmed through an electronic ID scheme', 'not_fired', 0],
  ['documents_missing', 'A required document is missing', 'not_fired', 0],
  ['documents_expired', 'A required document has expired', 'not_fired', 0],
  ['questionnaire_incomplete', 'The business questionnaire is incomplete', 'not_fired', 0],
  ['history_prior_exit', 'The firm exited this client before', 'not_fired', 0],
  ['history_sar_filed', 'A suspicious activity report was filed about the client', 'not_fired', 0],
];

/** A complete dossier for an entity client; pass overrides for the part a test is about. */
export function buildExampleDossier(overrides: Partial<Dossier> = {}): Dossier {
  return {
    generatedAt: '2026-03-14T09:30:00.000Z',
    generatedBy: OFFICER,
    tenant: { id: 'ten_4b21', name: 'Nordvik Kapital A/S' },
    client: {
      kind: 'entity',
      id: 'cli_91d2e7',
      reference: 'C-2026-0042',
      name: 'Ångström Holding ApS',
      clientType: 'Private limited company',
      country: 'DK',
      legalForm: 'Anpartsselskab (ApS)',
      registrationNumber: 'CVR 41 27 93 58',
      addresses: [
        {
          kind: 'registered',
          lines: ['Østergade 12, 3. sal'],
          postalCode: '1100',
          city: 'København K',
          country: 'DK',
        },
      ],
    },
    ownership: {
      nodes: [
        { id: 'n_client', kind: 'entity', name: 'Ångström Holding ApS', country: 'DK', isSanctioned: false },
        { id: 'n_nordlys', kind: 'entity', name: 'Nordlys Invest A/S', country: 'DK', isSanctioned: false },
        {
          id: 'n_wojcik_fh',
          kind: 'entity',
          name: 'Wójcik Family Holding sp. z o.o.',
          country: 'PL',
          isSanctioned: false,
        },
        { id: 'n_wojcik', kind: 'person', name: 'Łukasz Wójcik', country: 'PL', isSanctioned: false },
        { id: 'n_erdos', kind: 'person', name: 'Zsófia Erdős', country: 'HU', isSanctioned: false },
        { id: 'n_ostergaard', kind: 'person', name: 'Søren Østergaard', country: 'DK', isSanctioned: false },
      ],
      edges: [
        { ownerId: 'n_nordlys', ownedId: 'n_client', percentage: 75 },
        { ownerId: 'n_ostergaard', ownedId: 'n_client', percentage: 25 },
        { ownerId: 'n_wojcik_fh', ownedId: 'n_nordlys', percentage: 80 },
        { ownerId: 'n_erdos', ownedId: 'n_nordlys', percentage: 20 },
        { ownerId: 'n_wojcik', ownedId: 'n_wojcik_fh', percentage: 100 },
      ],
      beneficialOwners: [
        {
          nodeId: 'n_wojcik',
          name: 'Łukasz Wójcik',
          indirectPercentage: 60,
          paths: [['n_wojcik', 'n_wojcik_fh', 'n_nordlys', 'n_client']],
        },
        {
          nodeId: 'n_ostergaard',
          name: 'Søren Østergaard',
          indirectPercentage: 25,
          paths: [['n_ostergaard', 'n_client']],
        },
      ],
      sanctionsFlags: [],
      cycles: [],
    },
    documents: [
      { id: 'doc_1', name: 'Certificate of registration (CVR extract)', status: 'approved', expiresOn: null },
      { id: 'doc_2', name: 'Articles of association', status: 'approved', expiresOn: null },
      { id: 'doc_3', name: 'Shareholder register', status: 'approved', expiresOn: null },
      { id: 'doc_4', name: 'Passport — Łukasz Wójcik', status: 'approved', expiresOn: '2031-05-01' },
      { id: 'doc_5', name: 'Passport — Søren Østergaard', status: 'received', expiresOn: '2028-11-19' },
    ],
    answerSets: [
      {
        id: 'ans_5521',
        questionnaireTitle: 'Business relationship questionnaire',
        version: 3,
        submittedAt: '2026-03-02T14:12:00.000Z',
        submittedBy: { id: 'usr_c1ient', name: 'Łukasz Wójcik' },
        answers: [
          {
            code: 'purpose',
            question: 'What is the purpose of the business relationship?',
            answer: 'Holding company treasury: intra-group loans and dividend receipts.',
          },
          {
            code: 'source_of_funds',
            question: 'Where do the funds come from?',
            answer: 'Dividends from operating subsidiaries in Denmark and Poland.',
          },
          { code: 'expected_volume', question: 'Expected yearly volume (EUR)', answer: '1 200 000' },
          { code: 'countries', question: 'Countries of counterparties', answer: 'DK, PL, DE, SE' },
          { code: 'cash', question: 'Do you handle cash?', answer: 'No' },
          { code: 'pep', question: 'Is any owner or director a politically exposed person?', answer: 'No' },
        ],
      },
    ],
    checks: [
      {
        id: 'chk_1',
        provider: 'company-registry',
        providerVersion: '2.4.0',
        ranAt: '2026-03-02T14:20:11.000Z',
        status: 'passed',
        findings: ['Registered name and number match the client record.', 'Status: active since 2019-04-08.'],
      },
      {
        id: 'chk_2',
        provider: 'identity-verification',
        providerVersion: '5.1.2',
        ranAt: '2026-03-03T08:05:40.000Z',
        status: 'passed',
        findings: ['Passport of Łukasz Wójcik: MRZ and chip verified; liveness passed.'],
      },
      {
        id: 'chk_3',
        provider: 'adverse-media',
        providerVersion: '1.9.0',
        ranAt: '2026-03-03T08:06:02.000Z',
        status: 'passed',
        findings: [],
      },
    ],
    screeningHits: [
      {
        id: 'hit_77',
        list: 'EU consolidated financial sanctions',
        entityName: 'WOJCIK, Lukasz',
        score: 0.91,
        explanation: 'Full name matches after transliteration (Łukasz Wójcik → Lukasz Wojcik).',
        resolution: {
          outcome: 'false_positive',
          by: OFFICER,
          reason:
            'Different person: the listed individual was born on 1961-02-11 and is a Belarusian national; ' +
            'our beneficial owner was born on 1984-07-02 and holds a Polish passport.',
          at: '2026-03-04T10:15:00.000Z',
        },
      },
    ],
    riskEvaluation: {
      modelName: 'Nordvik standard client risk model',
      modelVersion: 7,
      evaluatedAt: '2026-03-05T11:00:00.000Z',
      level: 'medium',
      disposition: 'manual_review',
      points: 25,
      pointsByFactor: { customer: 10, geography: 0, product: 10, channel: 5, other: 0 },
      rules: RULES.map(([id, description, outcome, points]) => ({
        id,
        description,
        outcome,
        points,
        note: outcome === 'unknown' ? 'Missing facts: client.employee_count, client.premises' : null,
      })),
      variables: {
        'client.country': 'DK',
        'client.industry': '64.20 Activities of holding companies',
        'client.services': ['current_account', 'cross_border_payments'],
        'client.employee_count': null,
        'client.premises': null,
        'ownership.layers': 3,
        'ownership.has_cycle': false,
        'screening.true_matches': 0,
        'derived.max_owner_country_level': 'low',
      },
      reasons: [
        'Points 25 fall in the medium band (20–39).',
        'Medium risk requires a manual review under the model.',
        'Rule customer_shell_indicators could not be evaluated: facts missing.',
      ],
      override: null,
    },
    decision: {
      outcome: 'approved',
      decidedBy: OFFICER,
      secondApprover: APPROVER,
      decidedAt: '2026-03-06T15:42:00.000Z',
      note: 'Approved with standard due diligence; review the ownership again in 12 months.',
    },
    history: [
      {
        at: '2026-03-02T13:58:00.000Z',
        actor: OFFICER,
        event: 'case.opened',
        summary: 'Onboarding case opened.',
      },
      {
        at: '2026-03-02T14:12:00.000Z',
        actor: null,
        event: 'questionnaire.submitted',
        summary: 'Business questionnaire v3 submitted by the client.',
      },
      {
        at: '2026-03-03T08:06:10.000Z',
        actor: null,
        event: 'screening.hit_found',
        summary: 'One hit on the EU consolidated list.',
      },
      {
        at: '2026-03-04T10:15:00.000Z',
        actor: OFFICER,
        event: 'screening.hit_resolved',
        summary: 'Hit resolved as a false positive.',
      },
      {
        at: '2026-03-05T11:00:00.000Z',
        actor: null,
        event: 'risk.evaluated',
        summary: 'Medium risk, manual review.',
      },
      {
        at: '2026-03-06T09:20:00.000Z',
        actor: OFFICER,
        event: 'case.submitted',
        summary: 'Sent for four-eyes approval.',
      },
      { at: '2026-03-06T15:42:00.000Z', actor: APPROVER, event: 'case.approved', summary: 'Approved.' },
    ],
    ...overrides,
  };
}
