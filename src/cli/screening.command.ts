/**
 * `diligence lists import | update | status` and `diligence screen`: the sanctions and PEP lists
 * and ad-hoc screening from the command line. Screened names are printed, never logged.
 */
/* eslint-disable security/detect-non-literal-fs-filename -- reads the files the operator names on the command line */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { systemActor } from '../platform/actor.ts';
import { AppError } from '../platform/errors.ts';
import type { ScreeningHit, ScreeningQuery, ListStatus } from '../modules/screening/index.ts';
import { runCommand } from './cli-context.ts';
import { withModules } from './cli-modules.ts';

const CLI_ACTOR = systemActor('cli');
const SCHEMAS = ['person', 'organisation', 'vessel', 'aircraft'] as const;

function thresholdOption(value: string): number {
  const threshold = Number(value);
  if (!Number.isFinite(threshold) || threshold < 0.5 || threshold > 1) {
    throw new InvalidArgumentError('expected a number from 0.5 to 1.');
  }
  return threshold;
}

function birthDateOption(value: string): string {
  if (!/^(\d{4}|\d{4}-\d{2}|\d{4}-\d{2}-\d{2})$/.test(value))
    throw new InvalidArgumentError('expected YYYY, YYYY-MM or YYYY-MM-DD.');
  return value;
}

function countryOption(value: string): string {
  if (!/^[A-Za-z]{2}$/.test(value))
    throw new InvalidArgumentError('expected a two-letter country code (ISO 3166).');
  return value.toUpperCase();
}

function schemaOption(value: string): (typeof SCHEMAS)[number] {
  const schema = SCHEMAS.find((item) => item === value);
  if (!schema) throw new InvalidArgumentError(`expected one of ${SCHEMAS.join(', ')}.`);
  return schema;
}

function printStatus(lists: ListStatus[]): void {
  for (const list of lists) {
    const version = list.activeVersion;
    const state = version
      ? `v${version.sequence}, ${version.entityCount} entries, published ${version.publishedAt ?? 'date not stated'}, ` +
        `imported ${version.importedAt}; last delta +${version.added} -${version.removed} ~${version.changed}`
      : 'not imported';
    console.log(`${list.listId.padEnd(34)} ${state}`);
    console.log(`${''.padEnd(34)} ${list.title} (${list.publisher})`);
    if (list.derivedFrom) console.log(`${''.padEnd(34)} DERIVED: ${list.derivedFrom}`);
    if (list.licence) console.log(`${''.padEnd(34)} licence: ${list.licence}`);
  }
}

/** Reads a CSV of names to screen: a header with `name` and optional birth_date, country, schema, identifier. */
export function readNamesCsv(text: string): ScreeningQuery[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
    string,
    string
  >[];
  if (rows.length === 0 || !('name' in rows[0]!)) {
    throw new AppError(
      'validation_failed',
      'The CSV needs a header row with a "name" column (and optionally birth_date, country, schema, identifier).',
    );
  }
  return rows.map((row, i) => {
    const line = i + 2;
    if (!row.name) throw new AppError('validation_failed', `Line ${line}: the name is empty.`);
    const query: ScreeningQuery = { name: row.name.slice(0, 300) };
    try {
      if (row.birth_date) query.birthDate = birthDateOption(row.birth_date);
      if (row.country) query.countries = [countryOption(row.country)];
      if (row.schema) query.schema = schemaOption(row.schema);
    } catch (error) {
      throw new AppError('validation_failed', `Line ${line}: ${(error as Error).message}`);
    }
    if (row.identifier) query.identifiers = [{ value: row.identifier.slice(0, 100) }];
    return query;
  });
}

function printHits(label: string, hits: ScreeningHit[]): void {
  console.log(`${label}: ${hits.length === 0 ? 'no hit' : `${hits.length} hit(s)`}`);
  for (const hit of hits) {
    console.log(
      `  ${hit.score.toFixed(3)}  ${hit.listId} ${hit.sourceId}  ${hit.primaryName}  [${hit.schema}; ${hit.topics.join(', ')}]`,
    );
    console.log(
      `         matched "${hit.explanation.matchedName}" (${hit.explanation.nameQuality}): ${hit.explanation.summary}`,
    );
  }
}

/** Adds the `lists` and `screen` commands to the command tree. */
export function registerScreeningCommands(program: Command): void {
  const lists = program.command('lists').description('sanctions and PEP lists: import, update, status');
  lists
    .command('import')
    .description('import a version of a list from files (e.g. `lists import un-sc consolidated.xml`)')
    .argument('<list>', 'list id (see `lists status`)')
    .argument('<files...>', 'the list file(s); a folder of CSVs for the UK derived list')
    .option('--allow-shrink', 'accept a version with less than half the active version’s entries')
    .action((listId: string, files: string[], options: { allowShrink?: boolean }) =>
      runCommand(async () => {
        const loaded = await readListFiles(files);
        const result = await withModules((modules) =>
          modules.screening.importList(CLI_ACTOR, {
            listId,
            files: loaded,
            sourceLabel: files.map((file) => path.basename(file)).join(' '),
            allowShrink: options.allowShrink ?? false,
          }),
        );
        if (result.status === 'unchanged') {
          console.log(
            `${listId}: these files are the active version (v${result.sequence}); nothing changed.`,
          );
          return;
        }
        console.log(
          `${listId}: imported v${result.sequence}, ${result.entityCount} entries (published ${result.publishedAt ?? 'date not stated'}); ` +
            `+${result.added} added, -${result.removed} removed, ~${result.changed} changed.`,
        );
        if (result.warnings.length > 0)
          console.log(`  ${result.warnings.length} warning(s): ${result.warnings.slice(0, 5).join('; ')}`);
      }),
    );
  lists
    .command('update')
    .description('download every list from its official URL (DILIGENCE_LIST_URLS overrides) and import it')
    .argument('[lists...]', 'only these list ids')
    .action((only: string[]) =>
      runCommand(async () => {
        const outcomes = await withModules((modules) =>
          modules.screening.updateLists(CLI_ACTOR, only.length > 0 ? { only } : {}),
        );
        for (const outcome of outcomes) {
          if (outcome.status === 'failed' || outcome.status === 'skipped') {
            console.log(`${outcome.listId.padEnd(34)} ${outcome.status.toUpperCase()}: ${outcome.reason}`);
          } else {
            console.log(
              `${outcome.listId.padEnd(34)} ${outcome.status}: ${outcome.entityCount} entries, +${outcome.added} -${outcome.removed} ~${outcome.changed}`,
            );
          }
        }
        const failed = outcomes.filter((outcome) => outcome.status === 'failed').length;
        if (failed > 0)
          throw new AppError(
            'unavailable',
            `${failed} list(s) failed to update; their active versions are unchanged.`,
          );
      }),
    );
  lists
    .command('status')
    .description('show each list’s active version, publication date, counts, last delta and data origin')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      runCommand(async () => {
        const status = await withModules((modules) => modules.screening.listStatus());
        if (options.json) console.log(JSON.stringify(status));
        else printStatus(status.lists);
      }),
    );

  program
    .command('screen')
    .description('screen a name (or a CSV of names, --file) against the active lists')
    .argument('[name]', 'the name to screen')
    .option('--dob <date>', 'birth date (YYYY, YYYY-MM or YYYY-MM-DD)', birthDateOption)
    .option('--country <code>', 'nationality or country (ISO 3166 alpha-2)', countryOption)
    .option('--schema <schema>', `what the name is: ${SCHEMAS.join(', ')}`, schemaOption)
    .option('--id <identifier>', 'a passport, registration or IMO number')
    .option('--threshold <score>', 'lowest score reported (0.5–1)', thresholdOption)
    .option('--file <csv>', 'screen every row of a CSV with a "name" column')
    .option('--json', 'print JSON')
    .action(
      (
        name: string | undefined,
        options: {
          dob?: string;
          country?: string;
          schema?: (typeof SCHEMAS)[number];
          id?: string;
          threshold?: number;
          file?: string;
          json?: boolean;
        },
      ) =>
        runCommand(async () => {
          const queries = options.file
            ? readNamesCsv(await readFile(options.file, 'utf8'))
            : [singleQuery(name, options)];
          const result = await withModules(async (modules) => {
            try {
              await modules.screening.start({ watchMs: 0 });
              return await modules.screening.screen(CLI_ACTOR, {
                queries,
                ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
              });
            } finally {
              await modules.screening.close();
            }
          });
          if (options.json) {
            console.log(
              JSON.stringify({
                threshold: result.threshold,
                results: result.results.map((hits, i) => ({ name: queries[i]!.name, hits })),
              }),
            );
            return;
          }
          result.results.forEach((hits, i) => printHits(queries[i]!.name, hits));
        }),
    );
}

function singleQuery(
  name: string | undefined,
  options: { dob?: string; country?: string; schema?: (typeof SCHEMAS)[number]; id?: string },
): ScreeningQuery {
  if (!name || name.trim() === '')
    throw new AppError('validation_failed', 'Give a name to screen, or --file names.csv.');
  if (name.length > 300) throw new AppError('validation_failed', 'A name is at most 300 characters.');
  return {
    name,
    ...(options.dob ? { birthDate: options.dob } : {}),
    ...(options.country ? { countries: [options.country] } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.id ? { identifiers: [{ value: options.id }] } : {}),
  };
}

async function readListFiles(paths: string[]) {
  const files: { name: string; bytes: Buffer }[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (!info) throw new AppError('validation_failed', `${given}: no such file or folder.`);
    const inFolder = info.isDirectory()
      ? (await readdir(given)).sort().map((entry) => path.join(given, entry))
      : [given];
    for (const file of inFolder) files.push({ name: path.basename(file), bytes: await readFile(file) });
  }
  return files;
}
