/**
 * The list importers: pure functions from a list's files to the normalised entity model. No
 * database and no network; a file that cannot be read as the list it claims to be throws
 * ListFormatError with a message for the person importing it.
 */
import { ListFormatError, type EntityTopic, type ListFile, type ParsedList } from '../list-entity.ts';
import type { ListFormat } from '../list-sources.ts';
import { parseEuDerivedJson } from './eu-derived-json.ts';
import { parseOfacSdnCsv } from './ofac-sdn-csv.ts';
import { parseOfacXml } from './ofac-xml.ts';
import { parseOpenSanctions } from './opensanctions.ts';
import { parseUkDerivedCsv } from './uk-derived-csv.ts';
import { parseUnXml } from './un-xml.ts';

/** What an importer needs besides the files. */
export type ParseOptions = {
  /** Topics for entries whose list does not say why they are listed (from the list source). */
  defaultTopics: EntityTopic[];
};

/** Parses one list's files in the given format; never returns an empty entity list. */
export function parseListFiles(format: ListFormat, files: ListFile[], options: ParseOptions): ParsedList {
  if (files.length === 0) throw new ListFormatError('no files were given to import');
  const topics = options.defaultTopics;
  switch (format) {
    case 'ofac-sdn-csv':
      return parseOfacSdnCsv(files, topics);
    case 'ofac-xml':
      return parseOfacXml(onlyFile(files, 'an OFAC XML list'), topics);
    case 'un-xml':
      return parseUnXml(onlyFile(files, 'the UN consolidated list'), topics);
    case 'eu-derived-json':
      return parseEuDerivedJson(onlyFile(files, 'the derived EU list'), topics);
    case 'uk-derived-csv':
      return parseUkDerivedCsv(files, topics);
    case 'opensanctions':
      return parseOpenSanctions(onlyFile(files, 'an OpenSanctions export'), topics);
    default: {
      const unknown: never = format;
      throw new ListFormatError(`unknown list format ${String(unknown)}`);
    }
  }
}

function onlyFile(files: ListFile[], listName: string): ListFile {
  const [file, ...others] = files;
  if (file === undefined || others.length > 0) {
    const names = files.map((given) => given.name).join(', ');
    throw new ListFormatError(`${listName} is one file, but ${files.length} were given (${names})`);
  }
  return file;
}
