// Questionnaires: definitions checked before they are published, follow-up questions shown only when
// their condition holds, and answer sets checked against the version they answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  answerVariables,
  checkAnswers,
  compileQuestionnaire,
  visibleQuestions,
  type Answers,
} from './questionnaire.ts';
import { COMPLETE, QUESTIONNAIRE } from './questionnaire.test-fixtures.ts';
import { ModelError, type ModelIssue } from './risk-model.ts';

/** The issues compiling `definition` reports; fails the test when it compiles. */
function issuesOf(definition: unknown): readonly ModelIssue[] {
  try {
    compileQuestionnaire(definition);
  } catch (error) {
    assert.ok(error instanceof ModelError, `a ModelError, not ${String(error)}`);
    return error.issues;
  }
  assert.fail('expected the questionnaire to be refused');
}

const withQuestions = (...questions: object[]) => ({ title: 'Q', affectsScore: true, questions });

test('a definition with every problem reports them all, each with its path', () => {
  const issues = issuesOf(
    withQuestions(
      { code: 'a', text: 'A', kind: 'choice', required: true },
      { code: 'a', text: 'Again', kind: 'number', required: false },
      {
        code: 'b',
        text: 'B',
        kind: 'yes_no',
        required: true,
        options: [
          { code: 'yes', label: 'Y' },
          { code: 'maybe', label: 'M' },
        ],
      },
      { code: 'c', text: 'C', kind: 'text', required: true, options: [{ code: 'x', label: 'X' }] },
      {
        code: 'd',
        text: 'D',
        kind: 'choice',
        required: true,
        options: [
          { code: 'x', label: 'X' },
          { code: 'x', label: 'Y' },
        ],
      },
    ),
  );
  assert.deepEqual(
    issues.map((issue) => [issue.path, issue.message]),
    [
      ['questions[0].options', 'a choice needs options'],
      ['questions[1].code', "the code 'a' is used twice"],
      ['questions[2].options', "a yes/no question's options are 'yes' and 'no'"],
      ['questions[3].options', 'a text question has no options'],
      ['questions[4].options', 'an option code is used twice'],
    ],
  );
  const shape = issuesOf(withQuestions({ code: 'Bad-code', text: 'X', kind: 'essay', required: true }));
  assert.deepEqual(
    shape.map((issue) => issue.path),
    ['questions[0].code', 'questions[0].kind'],
  );
});

test('a follow-up may depend only on earlier questions; the pointer shows the offending name', () => {
  const first = { code: 'first', text: 'F', kind: 'yes_no', required: true };
  const cases: [showIf: string, message: RegExp, name: string][] = [
    [
      "later == 'yes'",
      /^unknown variable 'later'; a follow-up may only depend on earlier questions$/,
      'later',
    ],
    ["second == 'yes'", /^unknown variable 'second'; a follow-up may only depend on earlier/, 'second'],
    ["frist == 'yes'", /^unknown variable 'frist' \(did you mean 'first'\?\); a follow-up/, 'frist'],
    ["first == 'maybe'", /^'maybe' is not a value of first; it may be 'yes', 'no'$/, "'maybe'"],
  ];
  for (const [showIf, message, name] of cases) {
    const issues = issuesOf(
      withQuestions(
        first,
        { code: 'second', text: 'S', kind: 'yes_no', required: true, showIf },
        { code: 'later', text: 'L', kind: 'yes_no', required: true },
      ),
    );
    assert.equal(issues.length, 1, showIf);
    const [issue] = issues;
    const start = showIf.indexOf(name);
    assert.equal(issue?.path, 'questions[1].showIf');
    assert.match(issue?.message ?? '', message, showIf);
    assert.deepEqual([issue?.start, issue?.end], [start, start + name.length], showIf);
    assert.equal(issue?.pointer, `${showIf}\n${' '.repeat(start)}${'^'.repeat(name.length)}`);
  }
  const notACondition = issuesOf(withQuestions(first, { ...first, code: 'n', showIf: "first ?? 'no'" }));
  assert.match(notACondition[0]?.message ?? '', /must be a boolean but it is a text/);
});

test('follow-ups are shown only while their condition holds, through chains', () => {
  const cases: [answers: Answers, visible: string[]][] = [
    [{}, ['uses_cash', 'incorporated', 'main_country', 'employees']],
    [{ uses_cash: 'no' }, ['uses_cash', 'incorporated', 'main_country', 'employees']],
    [{ uses_cash: 'yes' }, ['uses_cash', 'cash_share', 'incorporated', 'main_country', 'employees']],
    [
      { uses_cash: 'yes', cash_share: 'under_10' },
      ['uses_cash', 'cash_share', 'incorporated', 'main_country', 'employees'],
    ],
    [
      { uses_cash: 'yes', cash_share: 'over_50' },
      ['uses_cash', 'cash_share', 'cash_source', 'incorporated', 'main_country', 'employees'],
    ],
    // A hidden question's answer does not count: its own follow-up stays hidden.
    [{ uses_cash: 'no', cash_share: 'over_50' }, ['uses_cash', 'incorporated', 'main_country', 'employees']],
  ];
  for (const [answers, visible] of cases) {
    assert.deepEqual([...visibleQuestions(QUESTIONNAIRE, answers)], visible, JSON.stringify(answers));
  }
});

test('checkAnswers reports each problem against the question it concerns', () => {
  const cases: [answers: Record<string, unknown>, issues: [string, RegExp][]][] = [
    [COMPLETE, []],
    [{ ...COMPLETE, uses_cash: 'yes', cash_share: 'over_50', cash_source: 'Retail takings' }, []],
    [{ ...COMPLETE, cash_share: 'over_50' }, [['cash_share', /not asked for these answers/]]],
    [{ uses_cash: 'no' }, [['main_country', /must be answered/]]],
    [{ ...COMPLETE, uses_cash: 'yes' }, [['cash_share', /must be answered/]]],
    [{ ...COMPLETE, uses_cash: 'maybe' }, [['uses_cash', /must be one of yes, no/]]],
    [
      { ...COMPLETE, uses_cash: 'yes', cash_share: 'half' },
      [['cash_share', /must be one of under_10, over_50/]],
    ],
    [{ ...COMPLETE, employees: '12' }, [['employees', /must be a number/]]],
    [{ ...COMPLETE, favourite_colour: 'blue' }, [['favourite_colour', /no such question in this version/]]],
    [
      { ...COMPLETE, uses_cash: 'yes', cash_share: 'over_50', cash_source: '' },
      [['cash_source', /1 to 4,000/]],
    ],
    [
      { ...COMPLETE, uses_cash: 'yes', cash_share: 'over_50', cash_source: 'x'.repeat(4001) },
      [['cash_source', /1 to 4,000/]],
    ],
  ];
  for (const [answers, expected] of cases) {
    const issues = checkAnswers(QUESTIONNAIRE, answers as Answers);
    assert.deepEqual(
      issues.map((issue) => issue.path),
      expected.map(([path]) => path),
      JSON.stringify(answers).slice(0, 100),
    );
    issues.forEach((issue, index) => assert.match(issue.message, expected[index]![1]));
  }
});

test('dates must be real calendar days; countries two capital letters', () => {
  const dates: [date: unknown, isValid: boolean][] = [
    ['2024-02-29', true],
    ['1999-12-31', true],
    ['2023-02-29', false],
    ['2023-02-30', false],
    ['2023-04-31', false],
    ['2023-13-01', false],
    ['2023-1-05', false],
    ['05/01/2023', false],
    [20230105, false],
  ];
  for (const [incorporated, isValid] of dates) {
    const issues = checkAnswers(QUESTIONNAIRE, { ...COMPLETE, incorporated } as Answers);
    assert.deepEqual(
      issues.map((issue) => issue.message),
      isValid ? [] : ['must be a date (YYYY-MM-DD)'],
      String(incorporated),
    );
  }
  for (const [country, isValid] of [
    ['FR', true],
    ['fr', false],
    ['FRA', false],
    ['F1', false],
    [33, false],
  ] as const) {
    const issues = checkAnswers(QUESTIONNAIRE, { ...COMPLETE, main_country: country } as Answers);
    assert.equal(issues.length, isValid ? 0 : 1, String(country));
  }
});

test('a question coded like an Object.prototype member is unanswered until answered', () => {
  const optional = compileQuestionnaire(
    withQuestions({ code: 'constructor', text: 'Who built it?', kind: 'number', required: false }),
  );
  assert.deepEqual(checkAnswers(optional, {}), []);
  assert.deepEqual(answerVariables('q', optional, {}, '2024-01-01'), {
    'answers.q.constructor': null,
    'answers.q.risk': 'low',
  });
  const required = compileQuestionnaire(
    withQuestions({ code: 'constructor', text: 'Who built it?', kind: 'number', required: true }),
  );
  assert.deepEqual(
    checkAnswers(required, {}).map((issue) => issue.message),
    ['this question must be answered'],
  );
});

test('question codes that would collide with generated variable names are reserved', () => {
  for (const code of ['risk', 'purpose_answered', 'incorporated_years_ago']) {
    const issues = issuesOf(withQuestions({ code, text: 'A question', kind: 'number', required: false }));
    assert.equal(issues.length, 1, code);
    assert.equal(issues[0]!.path, 'questions[0].code');
    assert.match(issues[0]!.message, /is reserved/);
  }
  assert.doesNotThrow(() =>
    compileQuestionnaire(
      withQuestions({ code: 'risk_appetite', text: 'A question', kind: 'number', required: false }),
    ),
  );
});
