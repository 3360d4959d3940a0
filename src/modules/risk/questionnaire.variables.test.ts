// The variables a questionnaire offers rules, and their values for an answer set: reduced to codes,
// flags and whole years, so no free text or date reaches the risk model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerVariables, questionnaireVariables, type Answers } from './questionnaire.ts';
import { COMPLETE, DEFINITION, QUESTIONNAIRE } from './questionnaire.test-fixtures.ts';

test('questionnaireVariables: text becomes _answered, a date _years_ago, the rest keep their type', () => {
  const variables = questionnaireVariables('activity', DEFINITION);
  assert.deepEqual(
    variables.map((variable) => [variable.name, variable.type]),
    [
      ['answers.activity.risk', { kind: 'text', options: ['low', 'medium', 'high'], ordered: true }],
      ['answers.activity.uses_cash', { kind: 'text', options: ['yes', 'no'] }],
      ['answers.activity.cash_share', { kind: 'text', options: ['under_10', 'over_50'] }],
      ['answers.activity.cash_source_answered', { kind: 'boolean' }],
      ['answers.activity.incorporated_years_ago', { kind: 'number' }],
      ['answers.activity.main_country', { kind: 'text' }],
      ['answers.activity.employees', { kind: 'number' }],
    ],
  );
  assert.deepEqual(questionnaireVariables('activity', { ...DEFINITION, affectsScore: false }), []);
});

test('answerVariables: the risk is the highest option risk among the questions shown', () => {
  const risk = (answers: Answers) =>
    answerVariables('a', QUESTIONNAIRE, answers, '2024-06-15')['answers.a.risk'];
  assert.equal(risk(COMPLETE), 'low', "'no' carries no risk: the default is low");
  assert.equal(risk({ ...COMPLETE, uses_cash: 'yes' }), 'medium');
  assert.equal(risk({ ...COMPLETE, uses_cash: 'yes', cash_share: 'under_10' }), 'medium');
  assert.equal(risk({ ...COMPLETE, uses_cash: 'yes', cash_share: 'over_50' }), 'high');
  // An answer to a hidden question counts for nothing.
  assert.equal(risk({ ...COMPLETE, uses_cash: 'no', cash_share: 'over_50' }), 'low');
  assert.deepEqual(
    answerVariables(
      'a',
      { ...QUESTIONNAIRE, definition: { ...DEFINITION, affectsScore: false } },
      COMPLETE,
      '2024-06-15',
    ),
    {},
  );
});

test('answerVariables counts whole years, turning over on the anniversary itself', () => {
  const cases: [date: string, today: string, years: number][] = [
    ['2000-06-15', '2024-06-15', 24],
    ['2000-06-16', '2024-06-15', 23],
    ['2000-06-14', '2024-06-15', 24],
    ['2000-07-01', '2024-06-15', 23],
    ['2000-05-31', '2024-06-15', 24],
    ['2023-12-31', '2024-01-01', 0],
    ['2024-06-15', '2024-06-15', 0],
    // Born on 29 February: the year turns on 1 March in common years.
    ['2000-02-29', '2023-02-28', 22],
    ['2000-02-29', '2023-03-01', 23],
    ['2000-02-29', '2024-02-29', 24],
  ];
  for (const [incorporated, today, years] of cases) {
    const values = answerVariables('a', QUESTIONNAIRE, { ...COMPLETE, incorporated }, today);
    assert.equal(values['answers.a.incorporated_years_ago'], years, `${incorporated} on ${today}`);
  }
  const unanswered = answerVariables(
    'a',
    QUESTIONNAIRE,
    { uses_cash: 'no', main_country: 'DE' },
    '2024-06-15',
  );
  assert.equal(unanswered['answers.a.incorporated_years_ago'], null);
});

test('answerVariables keeps no free text and no date', () => {
  const answers: Answers = {
    ...COMPLETE,
    uses_cash: 'yes',
    cash_share: 'over_50',
    cash_source: 'Takings of the shop at 12 Private Street',
  };
  const values = answerVariables('a', QUESTIONNAIRE, answers, '2024-06-15');
  assert.deepEqual(values, {
    'answers.a.uses_cash': 'yes',
    'answers.a.cash_share': 'over_50',
    'answers.a.cash_source_answered': true,
    'answers.a.incorporated_years_ago': 23,
    'answers.a.main_country': 'DE',
    'answers.a.employees': 12,
    'answers.a.risk': 'high',
  });
  const text = JSON.stringify(values);
  assert.ok(!text.includes('Private Street') && !text.includes('2001-03-04'));
});
