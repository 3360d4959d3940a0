/** Shared fixtures for the questionnaire tests: a questionnaire with chained follow-ups. */
import { compileQuestionnaire, type Answers, type QuestionnaireDefinition } from './questionnaire.ts';

/** Cash handling with a follow-up and a follow-up of that, plus one question of each other kind. */
export const DEFINITION: QuestionnaireDefinition = {
  title: 'Business activity',
  affectsScore: true,
  questions: [
    {
      code: 'uses_cash',
      text: 'Does the business handle cash?',
      kind: 'yes_no',
      required: true,
      options: [
        { code: 'yes', label: 'Yes', risk: 'medium' },
        { code: 'no', label: 'No' },
      ],
    },
    {
      code: 'cash_share',
      text: 'What share of turnover is cash?',
      kind: 'choice',
      required: true,
      showIf: "uses_cash == 'yes'",
      options: [
        { code: 'under_10', label: 'Under 10%', risk: 'low' },
        { code: 'over_50', label: 'Over 50%', risk: 'high' },
      ],
    },
    // A follow-up of a follow-up.
    {
      code: 'cash_source',
      text: 'Where does the cash come from?',
      kind: 'text',
      required: true,
      showIf: "cash_share == 'over_50'",
    },
    { code: 'incorporated', text: 'Date of incorporation', kind: 'date', required: false },
    { code: 'main_country', text: 'Main country of business', kind: 'country', required: true },
    { code: 'employees', text: 'Employees', kind: 'number', required: false },
  ],
};
/** DEFINITION, compiled. */
export const QUESTIONNAIRE = compileQuestionnaire(DEFINITION);
/** A complete, consistent answer set with no follow-up shown. */
export const COMPLETE: Answers = {
  uses_cash: 'no',
  main_country: 'DE',
  incorporated: '2001-03-04',
  employees: 12,
};
