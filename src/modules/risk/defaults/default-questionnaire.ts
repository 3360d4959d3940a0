/**
 * The due-diligence questionnaire a new tenant starts with. It asks what the EU AML rules require
 * the firm to understand and the EBA risk-factor guidelines (EBA/GL/2021/02) name as risk factors:
 * the purpose and intended nature of the relationship, the source of funds, cash, people acting for
 * others, links to other countries, the expected volume, and structures without an evident purpose.
 * Each answer option carries a risk; the highest becomes `answers.client_due_diligence.risk`.
 */
import type { QuestionnaireDefinition } from '../questionnaire.ts';
import { DUE_DILIGENCE_QUESTIONNAIRE } from './default-catalog.ts';

const dueDiligence: QuestionnaireDefinition = {
  title: 'Client due diligence',
  description:
    'The purpose of the relationship and the risk indicators the firm must understand before it ' +
    'accepts a client, and again at each periodic review.',
  affectsScore: true,
  questions: [
    {
      code: 'relationship_purpose',
      text: 'What is the purpose and intended nature of the business relationship?',
      kind: 'choice',
      required: true,
      options: [
        { code: 'ongoing_compliance', label: 'Ongoing accounting, payroll or tax compliance', risk: 'low' },
        { code: 'annual_reporting', label: 'Annual accounts and tax returns only', risk: 'low' },
        {
          code: 'one_off_transaction',
          label: 'A one-off transaction (formation, sale, restructuring)',
          risk: 'medium',
        },
        {
          code: 'asset_holding',
          label: 'Holding or managing assets for the client or for others',
          risk: 'high',
        },
        { code: 'other', label: 'Something else', risk: 'medium' },
      ],
    },
    {
      code: 'relationship_purpose_details',
      text: 'Describe the purpose of the relationship.',
      kind: 'text',
      required: true,
      showIf: "relationship_purpose == 'other'",
    },
    {
      code: 'source_of_funds',
      text: 'Where do the funds involved in the relationship come from?',
      kind: 'choice',
      required: true,
      options: [
        { code: 'business_income', label: 'Income of the business', risk: 'low' },
        { code: 'salary_or_pension', label: 'Salary or pension', risk: 'low' },
        { code: 'investments', label: 'Investments or savings', risk: 'low' },
        { code: 'asset_sale', label: 'Sale of a business or property', risk: 'medium' },
        { code: 'inheritance_or_gift', label: 'Inheritance or gift', risk: 'medium' },
        { code: 'loans', label: 'Loans from shareholders or third parties', risk: 'medium' },
        { code: 'unknown', label: 'Not known or not documented', risk: 'high' },
      ],
    },
    {
      code: 'source_of_funds_details',
      text: 'Explain the origin of the funds and the evidence seen.',
      help: 'For example: the deed of sale, the will, or the loan agreement.',
      kind: 'text',
      required: true,
      showIf: "source_of_funds in ['asset_sale', 'inheritance_or_gift', 'loans', 'unknown']",
    },
    {
      code: 'handles_cash',
      text: 'Does the client receive or pay cash in its business?',
      // No risk of its own: the share of cash that follows carries it.
      kind: 'yes_no',
      required: true,
    },
    {
      code: 'cash_share',
      text: 'What share of its turnover is in cash?',
      kind: 'choice',
      required: true,
      showIf: "handles_cash == 'yes'",
      options: [
        { code: 'below_10_percent', label: 'Less than 10%', risk: 'low' },
        { code: 'from_10_to_50_percent', label: '10% to 50%', risk: 'medium' },
        { code: 'above_50_percent', label: 'More than 50%', risk: 'high' },
      ],
    },
    {
      code: 'acts_for_third_party',
      text: 'Does someone act on the client’s behalf, or does the client act for someone else?',
      help: 'A power of attorney, an agent, a nominee, or anyone giving instructions for another.',
      kind: 'yes_no',
      required: true,
      options: [
        { code: 'yes', label: 'Yes', risk: 'medium' },
        { code: 'no', label: 'No', risk: 'low' },
      ],
    },
    {
      code: 'third_party_role',
      text: 'Who acts, and in what role?',
      kind: 'choice',
      required: true,
      showIf: "acts_for_third_party == 'yes'",
      options: [
        { code: 'legal_representative', label: 'A legal representative or guardian', risk: 'low' },
        { code: 'employee_or_director', label: 'An employee or director of the client', risk: 'low' },
        { code: 'professional_adviser', label: 'A lawyer, accountant or other adviser', risk: 'medium' },
        { code: 'nominee', label: 'A nominee, or someone following an undisclosed principal', risk: 'high' },
        { code: 'other', label: 'Someone else', risk: 'medium' },
      ],
    },
    {
      code: 'operates_abroad',
      text: 'Does the client do business in, or receive funds from, countries other than its own?',
      kind: 'yes_no',
      required: true,
    },
    {
      code: 'main_foreign_country',
      text: 'Which other country matters most to its business?',
      kind: 'country',
      required: true,
      showIf: "operates_abroad == 'yes'",
    },
    {
      code: 'high_risk_country_links',
      text: 'Does it deal with a country on a FATF list, the EU high-risk list, or under sanctions?',
      kind: 'yes_no',
      required: true,
      showIf: "operates_abroad == 'yes'",
      options: [
        { code: 'yes', label: 'Yes', risk: 'high' },
        { code: 'no', label: 'No', risk: 'low' },
      ],
    },
    {
      code: 'expected_annual_turnover',
      text: 'What is the expected annual turnover, or the value passing through the relationship (EUR)?',
      kind: 'number',
      required: true,
    },
    {
      code: 'complex_structure',
      text: 'Is the ownership or control structure unusual or complex, without an evident economic or lawful purpose?',
      kind: 'yes_no',
      required: true,
      options: [
        { code: 'yes', label: 'Yes', risk: 'high' },
        { code: 'no', label: 'No', risk: 'low' },
      ],
    },
    {
      code: 'complex_structure_explanation',
      text: 'What does the client say the structure is for, and what has been checked?',
      kind: 'text',
      required: true,
      showIf: "complex_structure == 'yes'",
    },
  ],
};

/** The default questionnaires, by code. */
export const DEFAULT_QUESTIONNAIRES: readonly { code: string; definition: QuestionnaireDefinition }[] = [
  { code: DUE_DILIGENCE_QUESTIONNAIRE, definition: dueDiligence },
];
