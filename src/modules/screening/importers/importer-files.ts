/**
 * Reading a list file's bytes as text, CSV, XML or JSON, with errors that name the file and say
 * what is wrong, so the person importing a list can tell a truncated download from a wrong file.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ListFormatError, type ListFile } from '../list-entity.ts';

/** An XML element or JSON object as the parsers return it. */
export type Node = Record<string, unknown>;

/** One CSV record and the line it ends on (for error messages). */
export type CsvRow = { line: number; fields: string[] };

/** A CSV file with a header row: each record keyed by column name. */
export type CsvTable = { columns: string[]; rows: { line: number; values: Record<string, string> }[] };

const END_OF_FILE = '\u001a';

/** The file's text: UTF-8, or Windows-1252 for older exports that are not valid UTF-8. */
export function decodeText(file: ListFile): string {
  if (file.bytes.length === 0) throw new ListFormatError(`${file.name}: the file is empty`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(file.bytes);
  }
  text = text.trimEnd();
  // OFAC still ends its CSV files with the DOS end-of-file character.
  if (text.endsWith(END_OF_FILE)) text = text.slice(0, -1).trimEnd();
  if (text.trim() === '') throw new ListFormatError(`${file.name}: the file is empty`);
  return text;
}

/** Whether a value is a plain object (an XML element with children, a JSON object). */
export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// What a file looks like from its first character, to refuse a file of another kind with a clear
// message before a parser reports something cryptic about it.
function sniffKind(text: string): 'XML' | 'JSON' | 'CSV' {
  const first = text.trimStart()[0];
  if (first === '<') return 'XML';
  if (first === '{' || first === '[') return 'JSON';
  return 'CSV';
}

/** Refuses a file whose content is not of the expected kind, naming what it seems to be. */
export function expectKind(file: ListFile, text: string, expected: 'XML' | 'JSON' | 'CSV', listName: string) {
  const kind = sniffKind(text);
  if (kind !== expected) {
    const article = (word: string) => (word === 'XML' ? 'an' : 'a');
    throw new ListFormatError(
      `${file.name} looks like ${article(kind)} ${kind} file; ${listName} is ${article(expected)} ${expected} file`,
    );
  }
}

/** All records of a headerless CSV file, of any width (the caller checks the column count). */
export function readCsvRows(file: ListFile, text: string, listName: string): CsvRow[] {
  expectKind(file, text, 'CSV', listName);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new ListFormatError(`${file.name} is not readable CSV: ${(error as Error).message}`);
  }
  return records.map(({ record, info }) => ({ line: info.lines, fields: record }));
}

/** A CSV file with a header row that must name the required columns. */
export function readCsvTable(file: ListFile, text: string, required: string[], listName: string): CsvTable {
  return toCsvTable(file, readCsvRows(file, text, listName), required, listName);
}

/** Already-read CSV records as a table keyed by the header row's column names. */
export function toCsvTable(
  file: ListFile,
  records: CsvRow[],
  required: string[],
  listName: string,
): CsvTable {
  const [header, ...body] = records;
  const columns = (header?.fields ?? []).map((column) => column.trim());
  const missing = required.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new ListFormatError(
      `${file.name}: missing column(s) ${missing.join(', ')}; ${listName} needs ${required.join(', ')}`,
    );
  }
  const rows = body.map(({ line, fields }) => {
    if (fields.length !== columns.length) {
      throw new ListFormatError(
        `${file.name}: line ${line} has ${fields.length} columns, the header has ${columns.length}`,
      );
    }
    const values: Record<string, string> = {};
    columns.forEach((column, index) => (values[column] = (fields[index] ?? '').trim()));
    return { line, values };
  });
  return { columns, rows };
}

type XmlOptions = { root: string; repeated: ReadonlySet<string>; listName: string };

/** The root element of a well-formed XML file; a truncated or foreign file is refused. */
export function readXml(file: ListFile, text: string, { root, repeated, listName }: XmlOptions): Node {
  expectKind(file, text, 'XML', listName);
  // Lists never declare entities; refusing a DOCTYPE rules out entity-expansion attacks entirely.
  if (/<!DOCTYPE/i.test(text)) {
    throw new ListFormatError(`${file.name}: has a DOCTYPE declaration, which ${listName} never has`);
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw new ListFormatError(
      `${file.name}: broken XML ${describeXmlError(validation.err)} (is the file truncated?)`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    // Ids and document numbers such as "007" must stay text.
    parseTagValue: false,
    htmlEntities: true,
    processEntities: { enabled: true, maxEntityCount: 10, maxExpandedLength: 10_000 },
    isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && repeated.has(name),
  });
  const document = parser.parse(text) as Node;
  const element = document[root];
  if (!isNode(element)) {
    const found = Object.keys(document).filter((key) => !key.startsWith('?'));
    throw new ListFormatError(
      `${file.name} is not ${listName}: no ${root} root element (found ${found.join(', ') || 'none'})`,
    );
  }
  return element;
}

// The validator reports a file that ends inside elements as "Invalid '[ "a", "b" ]' found".
function describeXmlError({ line, msg }: { line: number; msg: string }): string {
  const open = /^Invalid '\[(.*)\]' found/s.exec(msg)?.[1];
  if (open === undefined) return `at line ${line}: ${msg.replace(/\s+/g, ' ')}`;
  const names = [...open.matchAll(/"([^"]+)"/g)].map((match) => `<${match[1]}>`);
  return `at line ${line}: the file ends inside ${names.join(' ')}`;
}

/** The child elements called `name` that have content (empty `<X/>` elements are left out). */
export function childNodes(node: Node, name: string): Node[] {
  const value = node[name];
  return (Array.isArray(value) ? value : [value]).filter(isNode);
}

/** The trimmed text of a value, or of a child element when a name is given; '' when absent. */
export function textOf(value: unknown, name?: string): string {
  const target = name === undefined ? value : isNode(value) ? value[name] : undefined;
  if (typeof target === 'string') return target.trim();
  if (typeof target === 'number' || typeof target === 'boolean') return String(target);
  if (isNode(target)) return textOf(target['#text']);
  return '';
}

/** The texts of a repeated child element (e.g. UN `<VALUE>`s), blanks left out. */
export function textsOf(node: Node, name: string): string[] {
  const value = node[name];
  return (Array.isArray(value) ? value : [value]).map((item) => textOf(item)).filter((text) => text !== '');
}

/** One JSON document; a truncated one is refused. */
export function readJson(file: ListFile, text: string, listName: string): unknown {
  expectKind(file, text, 'JSON', listName);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ListFormatError(`${file.name}: broken JSON (${(error as Error).message}); is it truncated?`);
  }
}

/** One JSON object per line (OpenSanctions exports); a cut or non-object line is refused. */
export function readJsonLines(file: ListFile, text: string, listName: string): Node[] {
  expectKind(file, text, 'JSON', listName);
  const objects: Node[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ListFormatError(
        `${file.name}: line ${index + 1} is not valid JSON (${(error as Error).message}); is it truncated?`,
      );
    }
    if (!isNode(value)) throw new ListFormatError(`${file.name}: line ${index + 1} is not a JSON object`);
    objects.push(value);
  });
  return objects;
}
