/**
 * `diligence risk evaluate --model model.json --facts facts.json`: evaluates a risk model offline,
 * the way a stored evaluation replays. It opens no database and reads no configuration, so a model
 * can be tried and reviewed anywhere before it is published.
 */
/* eslint-disable security/detect-non-literal-fs-filename -- reads the files the operator names on the command line */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  buildCatalogue,
  compileModel,
  evaluate,
  InvalidFactsError,
  ModelError,
  type CompiledModel,
  type EvaluationResult,
  type FactsRecord,
  type ModelIssue,
} from '../modules/risk/index.ts';
import { AppError } from '../platform/errors.ts';
import { runCommand } from './cli-context.ts';

type EvaluateOptions = { model: string; facts: string; json?: boolean };

/** Reads and parses a JSON file; a missing, unreadable or malformed file is named in the error. */
async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `${file}: cannot read the ${what} file (${describeReadError(error)}).`,
    );
  }
  try {
    // Editors on some systems save a byte-order mark, which JSON.parse refuses.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `${file}: the ${what} file is not valid JSON (${(error as Error).message}).`,
    );
  }
}

function describeReadError(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (error as Error).message;
  }
}

/** Every issue on its own line, an expression's caret pointer indented under it. */
function formatIssues(file: string, issues: readonly ModelIssue[]): string {
  const lines = [`${file}: the model has ${issues.length} problem${issues.length === 1 ? '' : 's'}:`];
  for (const issue of issues) {
    lines.push(`  ${issue.path}: ${issue.message}`);
    if (issue.pointer) for (const line of issue.pointer.split('\n')) lines.push(`      ${line}`);
  }
  return lines.join('\n');
}

/**
 * Compiles a model file: on its own from its `inputs` (an exported model), or against the
 * built-in variables when it declares none (a model being written).
 */
function compileModelFile(file: string, definition: unknown): CompiledModel {
  const hasInputs = typeof definition === 'object' && definition !== null && 'inputs' in definition;
  try {
    return hasInputs ? compileModel(definition) : compileModel(definition, buildCatalogue());
  } catch (error) {
    if (error instanceof ModelError)
      throw new AppError('validation_failed', formatIssues(file, error.issues));
    throw error;
  }
}

/** The fact sets in a facts file: one object of variable → value, or a list of them. */
function readFactSets(file: string, value: unknown): { sets: FactsRecord[]; isList: boolean } {
  const isList = Array.isArray(value);
  const sets: unknown[] = isList ? value : [value];
  if (sets.length === 0) throw new AppError('validation_failed', `${file}: the list of fact sets is empty.`);
  sets.forEach((set, index) => {
    if (typeof set !== 'object' || set === null || Array.isArray(set)) {
      const which = isList ? `fact set ${index + 1}` : 'the facts';
      throw new AppError(
        'validation_failed',
        `${file}: ${which} must be a JSON object of variable → value (e.g. {"screening.pep": true}).`,
      );
    }
  });
  return { sets: sets as FactsRecord[], isList };
}

/** Evaluates every fact set; if any does not fit the model, none is reported and all problems are. */
function evaluateAll(file: string, model: CompiledModel, sets: FactsRecord[], isList: boolean) {
  const problems: string[] = [];
  const results = sets.map((facts, index) => {
    try {
      return evaluate(model, facts);
    } catch (error) {
      if (!(error instanceof InvalidFactsError)) throw error;
      const which = isList ? `fact set ${index + 1}: ` : '';
      for (const problem of error.problems) problems.push(`  ${which}${problem.variable} ${problem.message}`);
      return null;
    }
  });
  if (problems.length > 0) {
    throw new AppError(
      'validation_failed',
      `${file}: the facts do not fit the model:\n${problems.join('\n')}`,
    );
  }
  return results as EvaluationResult[];
}

const signed = (points: number) => (points > 0 ? `+${points}` : `${points}`);

/** One evaluation for a person: the outcome, the points, and the rules and reasons behind them. */
function printResult(model: CompiledModel, facts: FactsRecord, result: EvaluationResult): void {
  console.log(`Level: ${result.level}   Disposition: ${result.disposition}   Points: ${result.points}`);
  console.log(
    `Points by factor: ${Object.entries(result.pointsByFactor)
      .map(([factor, points]) => `${factor} ${points}`)
      .join(', ')}`,
  );
  const factorOf = new Map(model.rules.map((rule) => [rule.id, rule.factor]));
  const width = Math.max(...result.rules.map((rule) => rule.id.length));
  const fired = result.rules.filter((rule) => rule.outcome === 'fired');
  console.log(fired.length === 0 ? 'Fired: none' : 'Fired:');
  for (const rule of fired) {
    const forced = [
      rule.forceLevel ? `level at least ${rule.forceLevel}` : '',
      rule.forceDisposition ? `requires ${rule.forceDisposition}` : '',
    ].filter(Boolean);
    console.log(
      `  ${rule.id.padEnd(width)}  ${signed(rule.points)} (${factorOf.get(rule.id)})${forced.length > 0 ? `  ${forced.join(', ')}` : ''}`,
    );
  }
  const unknown = result.rules.filter((rule) => rule.outcome === 'unknown');
  if (unknown.length > 0) console.log('Unknown (facts missing):');
  for (const rule of unknown)
    console.log(`  ${rule.id.padEnd(width)}  missing ${(rule.missing ?? []).join(', ')}`);
  const failed = result.rules.filter((rule) => rule.outcome === 'error');
  if (failed.length > 0) console.log('Failed:');
  for (const rule of failed) console.log(`  ${rule.id.padEnd(width)}  ${rule.error}`);
  console.log('Reasons:');
  for (const reason of result.reasons) console.log(`  - ${reason}`);
  // A misspelt fact is otherwise silent: the rule reading it just comes out unknown.
  const unread = Object.keys(facts).filter((name) => !model.inputs.has(name));
  if (unread.length > 0) console.log(`Not read by this model: ${unread.join(', ')}`);
}

async function evaluateFiles(options: EvaluateOptions): Promise<void> {
  const model = compileModelFile(options.model, await readJsonFile(options.model, 'model'));
  const { sets, isList } = readFactSets(options.facts, await readJsonFile(options.facts, 'facts'));
  const results = evaluateAll(options.facts, model, sets, isList);
  if (options.json) {
    console.log(JSON.stringify(isList ? results : results[0], null, 2));
    return;
  }
  results.forEach((result, index) => {
    if (isList) console.log(`${index > 0 ? '\n' : ''}Fact set ${index + 1} of ${results.length}`);
    printResult(model, sets[index] as FactsRecord, result);
  });
}

/** Adds `diligence risk evaluate --model FILE --facts FILE [--json]` to the command tree. */
export function registerRiskCommands(program: Command): void {
  const risk = program.command('risk').description('risk models, offline');
  risk
    .command('evaluate')
    .description(
      'evaluate a risk model (JSON) against facts (a JSON object of variable → value, or a list of them); ' +
        'needs no database',
    )
    .requiredOption(
      '--model <file>',
      'the model definition; without "inputs", typed by the built-in variables',
    )
    .requiredOption('--facts <file>', 'the facts: one object, or a list of objects evaluated in turn')
    .option('--json', 'print the full evaluation result(s) as JSON')
    .action((options: EvaluateOptions) => runCommand(() => evaluateFiles(options)));
}
