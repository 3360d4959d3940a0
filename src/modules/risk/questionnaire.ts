/**
 * Questionnaires, pure: their definition, the conditional logic that shows follow-up questions,
 * the checking of an answer set against the version it answers, and the variables rules read.
 *
 * A follow-up question carries `showIf`, a condition in the rule language over earlier questions
 * of the same questionnaire, by code (`uses_cash == 'yes'`). A hidden question may not be
 * answered; a visible required one must be.
 */
import { Type, type Static } from 'typebox';
import { Value as Schema } from 'typebox/value';
import {
  compileExpression,
  type CompiledExpression,
  type Value,
  type ValueType,
} from './expression-compile.ts';
import { ExpressionError, pointAt } from './expression-syntax.ts';
import { issuePath, ModelError, type ModelIssue } from './risk-model.ts';
import { RISK_LEVELS, type RiskLevel } from './risk-model.schema.ts';
import type { VariableSpec } from './risk-variables.ts';

/** The kinds of question. */
export const QUESTION_KINDS = ['choice', 'yes_no', 'text', 'number', 'date', 'country'] as const;

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', maxLength: 40 });
const Level = Type.Enum(RISK_LEVELS);

/** One answer option, with the risk that answer carries. */
export const OptionDefinition = Type.Object(
  { code: Code, label: Type.String({ minLength: 1, maxLength: 200 }), risk: Type.Optional(Level) },
  { additionalProperties: false },
);

/** One question. `yes_no` questions have the options `yes` and `no` (give them to attach risks). */
export const QuestionDefinition = Type.Object(
  {
    code: Code,
    text: Type.String({ minLength: 1, maxLength: 500 }),
    help: Type.Optional(Type.String({ maxLength: 1000 })),
    kind: Type.Enum(QUESTION_KINDS),
    required: Type.Boolean(),
    options: Type.Optional(Type.Array(OptionDefinition, { minItems: 1, maxItems: 50 })),
    showIf: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** A questionnaire version's definition. */
export const QuestionnaireDefinitionSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    // Whether the answers feed the risk model; if not, they are recorded but no rule can read them.
    affectsScore: Type.Boolean(),
    questions: Type.Array(QuestionDefinition, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);

/** A questionnaire definition. */
export type QuestionnaireDefinition = Static<typeof QuestionnaireDefinitionSchema>;
/** One question. */
export type Question = Static<typeof QuestionDefinition>;

/** An answer as submitted: a code, text, number, date (YYYY-MM-DD) or country code. */
export type Answer = string | number;
/** An answer set: question code → answer. */
export type Answers = Readonly<Record<string, Answer>>;

/** A checked questionnaire, with its follow-up conditions compiled. */
export type CompiledQuestionnaire = {
  readonly definition: QuestionnaireDefinition;
  readonly conditions: ReadonlyMap<string, CompiledExpression>;
};

// Own answers only: a question coded `constructor` must not find Object.prototype's.
const answerTo = (answers: Answers, code: string): Answer | undefined =>
  Object.hasOwn(answers, code) ? answers[code] : undefined;

const optionsOf = (question: Question): string[] =>
  question.kind === 'yes_no' ? ['yes', 'no'] : (question.options ?? []).map((option) => option.code);

/** The type of a question's answer as its follow-up conditions see it. */
function answerType(question: Question): ValueType {
  switch (question.kind) {
    case 'choice':
    case 'yes_no':
      return { kind: 'text', options: optionsOf(question) };
    case 'number':
      return { kind: 'number' };
    default:
      return { kind: 'text' };
  }
}

/** Checks a definition (shape, unique codes, options, follow-up conditions); throws a ModelError. */
export function compileQuestionnaire(definition: unknown): CompiledQuestionnaire {
  const shape = [...Schema.Errors(QuestionnaireDefinitionSchema, definition)]
    .filter((error) => error.message !== 'schema is false')
    .map((error) => ({
      path: issuePath(error.instancePath) || 'questionnaire',
      message: error.message,
    }));
  if (shape.length > 0) throw new ModelError(shape.slice(0, 50));
  const questionnaire = definition as QuestionnaireDefinition;
  const issues: ModelIssue[] = [];
  const earlier = new Map<string, ValueType>();
  const conditions = new Map<string, CompiledExpression>();
  questionnaire.questions.forEach((question, index) => {
    const path = `questions[${index}]`;
    // The names rules read are made from the codes: these would collide with generated ones.
    if (question.code === 'risk' || /_(answered|years_ago)$/.test(question.code)) {
      issues.push({
        path: `${path}.code`,
        message: `'${question.code}' is reserved: 'risk' and codes ending in _answered or _years_ago name generated values`,
      });
    }
    if (earlier.has(question.code))
      issues.push({ path: `${path}.code`, message: `the code '${question.code}' is used twice` });
    if (question.kind === 'choice' && !question.options)
      issues.push({ path: `${path}.options`, message: 'a choice needs options' });
    if (question.kind !== 'choice' && question.kind !== 'yes_no' && question.options) {
      issues.push({ path: `${path}.options`, message: `a ${question.kind} question has no options` });
    }
    if (question.kind === 'yes_no' && question.options) {
      const codes = question.options.map((option) => option.code).sort();
      if (codes.join() !== 'no,yes')
        issues.push({ path: `${path}.options`, message: "a yes/no question's options are 'yes' and 'no'" });
    }
    const codes = question.options?.map((option) => option.code) ?? [];
    if (new Set(codes).size !== codes.length)
      issues.push({ path: `${path}.options`, message: 'an option code is used twice' });
    if (question.showIf) {
      try {
        const names = [...earlier.keys()];
        conditions.set(
          question.code,
          compileExpression(question.showIf, (name) => earlier.get(name), { names, expected: 'boolean' }),
        );
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        const message = error.message.startsWith('unknown variable')
          ? `${error.message}; a follow-up may only depend on earlier questions`
          : error.message;
        issues.push({
          path: `${path}.showIf`,
          message,
          start: error.start,
          end: error.end,
          pointer: pointAt(question.showIf, error),
        });
      }
    }
    earlier.set(question.code, answerType(question));
  });
  if (issues.length > 0) throw new ModelError(issues);
  return { definition: questionnaire, conditions };
}

/** The codes of the questions shown for these answers (follow-ups whose condition holds). */
export function visibleQuestions(questionnaire: CompiledQuestionnaire, answers: Answers): Set<string> {
  const visible = new Set<string>();
  const seen: Record<string, Value> = {};
  for (const question of questionnaire.definition.questions) {
    const condition = questionnaire.conditions.get(question.code);
    // An unknown condition (it reads an unanswered question) hides the follow-up.
    if (!condition || condition.run(seen) === true) {
      visible.add(question.code);
      seen[question.code] = answerTo(answers, question.code) ?? null;
    }
  }
  return visible;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// Date.parse rolls 2023-02-30 over to 2 March; a real date reads back unchanged.
const isCalendarDate = (text: string): boolean =>
  DATE.test(text) && new Date(Date.parse(text)).toISOString().slice(0, 10) === text;

/** Every problem with an answer set (empty when it is complete and consistent). */
export function checkAnswers(questionnaire: CompiledQuestionnaire, answers: Answers): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const visible = visibleQuestions(questionnaire, answers);
  const byCode = new Map(questionnaire.definition.questions.map((question) => [question.code, question]));
  for (const code of Object.keys(answers)) {
    if (!byCode.has(code)) issues.push({ path: code, message: 'there is no such question in this version' });
    else if (!visible.has(code))
      issues.push({ path: code, message: 'this follow-up question is not asked for these answers' });
  }
  for (const question of questionnaire.definition.questions) {
    if (!visible.has(question.code)) continue;
    const answer = answerTo(answers, question.code);
    if (answer === undefined) {
      if (question.required) issues.push({ path: question.code, message: 'this question must be answered' });
      continue;
    }
    const problem = answerProblem(question, answer);
    if (problem) issues.push({ path: question.code, message: problem });
  }
  return issues;
}

function answerProblem(question: Question, answer: Answer): string | null {
  switch (question.kind) {
    case 'choice':
    case 'yes_no':
      return typeof answer === 'string' && optionsOf(question).includes(answer)
        ? null
        : `must be one of ${optionsOf(question).join(', ')}`;
    case 'number':
      return typeof answer === 'number' && Number.isFinite(answer) ? null : 'must be a number';
    case 'date':
      return typeof answer === 'string' && isCalendarDate(answer) ? null : 'must be a date (YYYY-MM-DD)';
    case 'country':
      return typeof answer === 'string' && /^[A-Z]{2}$/.test(answer)
        ? null
        : 'must be a country code (two capital letters)';
    default:
      return typeof answer === 'string' && answer.length > 0 && answer.length <= 4000
        ? null
        : 'must be a text of 1 to 4,000 characters';
  }
}

/** The variables a questionnaire offers rules (none when it does not affect the score). */
export function questionnaireVariables(code: string, definition: QuestionnaireDefinition): VariableSpec[] {
  if (!definition.affectsScore) return [];
  const prefix = `answers.${code}.`;
  const variables: VariableSpec[] = [
    {
      name: `${prefix}risk`,
      type: { kind: 'text', options: RISK_LEVELS, ordered: true },
      description: `The highest risk of the answers to "${definition.title}"`,
    },
  ];
  for (const question of definition.questions) {
    const name = prefix + question.code;
    const description = question.text;
    if (question.kind === 'text')
      variables.push({
        name: `${name}_answered`,
        type: { kind: 'boolean' },
        description: `Answered: ${description}`,
      });
    else if (question.kind === 'date')
      variables.push({
        name: `${name}_years_ago`,
        type: { kind: 'number' },
        description: `Whole years since the date answered to: ${description}`,
      });
    else variables.push({ name, type: answerType(question), description });
  }
  return variables;
}

/**
 * The values a questionnaire's variables take for an answer set, as of `today` (YYYY-MM-DD).
 * Free text and dates are reduced to "answered" and whole years, so no personal value is kept.
 */
export function answerVariables(
  code: string,
  questionnaire: CompiledQuestionnaire,
  answers: Answers,
  today: string,
): Record<string, Value> {
  const { definition } = questionnaire;
  if (!definition.affectsScore) return {};
  const prefix = `answers.${code}.`;
  const visible = visibleQuestions(questionnaire, answers);
  const values: Record<string, Value> = {};
  let risk: RiskLevel | null = null;
  for (const question of definition.questions) {
    const answer = visible.has(question.code) ? answerTo(answers, question.code) : undefined;
    const name = prefix + question.code;
    if (question.kind === 'text') values[`${name}_answered`] = answer !== undefined;
    else if (question.kind === 'date')
      values[`${name}_years_ago`] = answer === undefined ? null : wholeYears(String(answer), today);
    else values[name] = answer ?? null;
    const level = question.options?.find((option) => option.code === answer)?.risk;
    if (level && (risk === null || RISK_LEVELS.indexOf(level) > RISK_LEVELS.indexOf(risk))) risk = level;
  }
  values[`${prefix}risk`] = risk ?? 'low';
  return values;
}

function wholeYears(date: string, today: string): number {
  const [y1, m1, d1] = date.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = today.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

/**
 * The model inputs under `answers.<code>.` that a new version would no longer offer with the same
 * type (a dropped question, a changed kind, a changed list of options). Publishing such a version would
 * silently turn the model's rules on those answers into "unknown".
 */
export function inputsDroppedBy(
  code: string,
  definition: QuestionnaireDefinition,
  inputs: Readonly<Record<string, ValueType>>,
): string[] {
  const offered = new Map(
    questionnaireVariables(code, definition).map((variable) => [variable.name, variable.type]),
  );
  return Object.entries(inputs)
    .filter(([name]) => name.startsWith(`answers.${code}.`))
    .filter(([name, type]) => {
      const now = offered.get(name);
      if (!now || now.kind !== type.kind) return true;
      // Options must stay exactly the same: a removed one breaks a rule naming it, an added one
      // is a value the model's stored inputs refuse when a client chooses it.
      const before = 'options' in type ? [...(type.options ?? [])].sort() : [];
      const after = 'options' in now ? [...(now.options ?? [])].sort() : [];
      return before.join('\u0000') !== after.join('\u0000');
    })
    .map(([name]) => name);
}
