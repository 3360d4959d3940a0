/**
 * Crafted list files for the screening tests: small UN consolidated lists in the official XML
 * structure (see the real files in shared/data/sanctions/un), and files that must be refused.
 * Every person and organisation here is invented.
 */
import type { ListFile } from './index.ts';

/** One entry of a crafted UN list. */
export type UnEntry = {
  referenceNumber: string;
  kind: 'individual' | 'entity';
  /** FIRST_NAME, SECOND_NAME, THIRD_NAME … (an entity has one part). */
  nameParts: string[];
  aliases?: string[];
  /** `YYYY` or `YYYY-MM-DD`. */
  birthDate?: string;
  nationality?: string;
  passport?: string;
};

/** A person with a full birth date, a nationality and a passport. */
export const KOZLOV: UnEntry = {
  referenceNumber: 'XXi.001',
  kind: 'individual',
  nameParts: ['VIKTOR', 'ALEKSANDROVICH', 'KOZLOV'],
  birthDate: '1968-03-14',
  nationality: 'Russian Federation',
  passport: 'NX4409217',
};

/** A person with a birth year only. */
export const TORRES: UnEntry = {
  referenceNumber: 'XXi.002',
  kind: 'individual',
  nameParts: ['MARIA ELENA', 'TORRES', 'VALDEZ'],
  birthDate: '1975',
  nationality: 'Colombia',
};

/** An organisation with one alias. */
export const HARBOUR: UnEntry = {
  referenceNumber: 'XXe.001',
  kind: 'entity',
  nameParts: ['BLUE HARBOUR SHIPPING'],
  aliases: ['BHS LINES'],
};

/** The same organisation after the list gave it a second alias. */
export const HARBOUR_RENAMED: UnEntry = { ...HARBOUR, aliases: ['BHS LINES', 'BLUE HARBOUR MARITIME'] };

/** A person first listed in the second version. */
export const FARAH: UnEntry = {
  referenceNumber: 'XXi.003',
  kind: 'individual',
  nameParts: ['HASSAN', 'OMAR', 'FARAH'],
  birthDate: '1980-11-02',
  nationality: 'Somalia',
};

/** The first version: Kozlov, Torres, Blue Harbour. */
export const VERSION_1 = [KOZLOV, TORRES, HARBOUR];
/** The second version: Farah added, Torres removed, Blue Harbour changed, Kozlov as before. */
export const VERSION_2 = [KOZLOV, HARBOUR_RENAMED, FARAH];

const PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'];

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function entryXml(entry: UnEntry): string {
  const tag = entry.kind === 'individual' ? 'INDIVIDUAL' : 'ENTITY';
  const lines = entry.nameParts.map((part, i) => `<${PARTS[i]}>${escapeXml(part)}</${PARTS[i]}>`);
  lines.push(
    '<UN_LIST_TYPE>Test</UN_LIST_TYPE>',
    `<REFERENCE_NUMBER>${entry.referenceNumber}</REFERENCE_NUMBER>`,
    '<LISTED_ON>2020-01-15</LISTED_ON>',
  );
  if (entry.nationality) lines.push(`<NATIONALITY><VALUE>${entry.nationality}</VALUE></NATIONALITY>`);
  for (const alias of entry.aliases ?? []) {
    lines.push(
      `<${tag}_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>${escapeXml(alias)}</ALIAS_NAME></${tag}_ALIAS>`,
    );
  }
  if (entry.birthDate) {
    const element = entry.birthDate.length === 4 ? 'YEAR' : 'DATE';
    lines.push(
      '<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>' +
        `<${element}>${entry.birthDate}</${element}></INDIVIDUAL_DATE_OF_BIRTH>`,
    );
  }
  if (entry.passport) {
    lines.push(
      '<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>' +
        `<NUMBER>${entry.passport}</NUMBER></INDIVIDUAL_DOCUMENT>`,
    );
  }
  return `    <${tag}>\n${lines.map((line) => `      ${line}\n`).join('')}    </${tag}>\n`;
}

/** A UN consolidated list XML holding these entries, generated on `date` (YYYY-MM-DD). */
export function unListXml(entries: UnEntry[], date = '2026-03-01'): string {
  const individuals = entries.filter((entry) => entry.kind === 'individual').map(entryXml);
  const organisations = entries.filter((entry) => entry.kind === 'entity').map(entryXml);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<CONSOLIDATED_LIST dateGenerated="${date}T00:00:11.197Z">\n` +
    `  <INDIVIDUALS>\n${individuals.join('')}  </INDIVIDUALS>\n` +
    `  <ENTITIES>\n${organisations.join('')}  </ENTITIES>\n` +
    '</CONSOLIDATED_LIST>\n'
  );
}

/** The list as the importer receives it. */
export function unListFile(entries: UnEntry[], date?: string): ListFile {
  return { name: 'consolidated.xml', bytes: Buffer.from(unListXml(entries, date)) };
}

const FULL_VERSION_1 = unListXml(VERSION_1);
/** The first version cut off inside a name, as a broken download leaves it. */
export const TRUNCATED_XML = FULL_VERSION_1.slice(0, FULL_VERSION_1.indexOf('MARIA ELENA') + 5);

/** A file of another kind altogether (JSON), handed in as the UN list. */
export const JSON_NOT_XML = '{"entries": [{"name": "VIKTOR KOZLOV"}]}\n';

/** Well-formed XML of another list (an OFAC export), handed in as the UN list. */
export const OTHER_LIST_XML =
  '<?xml version="1.0"?>\n<sdnList><sdnEntry><uid>1</uid><lastName>KOZLOV</lastName></sdnEntry></sdnList>\n';
