/**
 * The lists Diligence knows: where each is published, which importer reads it, and, where only a
 * third party's table of a list could be tested, a note saying so (shown in `lists status`).
 */
import type { EntityTopic } from './list-entity.ts';

/** The file formats the importers read. */
export const LIST_FORMATS = [
  'ofac-sdn-csv',
  'ofac-xml',
  'un-xml',
  'eu-derived-json',
  'uk-derived-csv',
  'opensanctions',
] as const;

/** One of the importer formats. */
export type ListFormat = (typeof LIST_FORMATS)[number];

/** A file of a list's official download. */
export type OfficialFile = {
  /** The name the importer recognises the file by. */
  name: string;
  url: string;
  /** The list cannot be imported without it (OFAC's alias and address files are optional). */
  isRequired: boolean;
};

/** A list Diligence can import. */
export type ListSource = {
  id: string;
  title: string;
  publisher: string;
  format: ListFormat;
  /** What an entry on this list means when the list itself does not say. */
  defaultTopics: EntityTopic[];
  /**
   * The official download, for `lists update`; null where Diligence reads only a derived table of
   * the list (no tested importer for the official format yet), so it must be imported by hand.
   */
  officialFiles: OfficialFile[] | null;
  /** Set when the format read is a third party's table of the list, not the publisher's file. */
  derivedFrom: string | null;
  /** Set for lists whose data licence limits use (shown in `lists status`). */
  licence: string | null;
};

const OFAC_EXPORTS = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports';
const OPENSANCTIONS = 'https://data.opensanctions.org/datasets/latest';
const OPENSANCTIONS_LICENCE = 'CC BY-NC 4.0: commercial use needs a data licence from OpenSanctions';

function openSanctionsSource(dataset: string, title: string, topics: EntityTopic[]): ListSource {
  return {
    id: `opensanctions-${dataset.replaceAll('_', '-')}`,
    title,
    publisher: 'OpenSanctions',
    format: 'opensanctions',
    defaultTopics: topics,
    officialFiles: [
      { name: 'targets.simple.csv', url: `${OPENSANCTIONS}/${dataset}/targets.simple.csv`, isRequired: true },
    ],
    derivedFrom: null,
    licence: OPENSANCTIONS_LICENCE,
  };
}

/** Every list source, by id. */
export const LIST_SOURCES: readonly ListSource[] = [
  {
    id: 'ofac-sdn',
    title: 'OFAC Specially Designated Nationals (SDN) list',
    publisher: 'US Treasury, Office of Foreign Assets Control',
    format: 'ofac-sdn-csv',
    defaultTopics: ['sanction'],
    officialFiles: [
      { name: 'sdn.csv', url: `${OFAC_EXPORTS}/SDN.CSV`, isRequired: true },
      { name: 'alt.csv', url: `${OFAC_EXPORTS}/ALT.CSV`, isRequired: false },
      { name: 'add.csv', url: `${OFAC_EXPORTS}/ADD.CSV`, isRequired: false },
    ],
    derivedFrom: null,
    licence: null,
  },
  {
    id: 'ofac-consolidated',
    title: 'OFAC Consolidated (non-SDN) list',
    publisher: 'US Treasury, Office of Foreign Assets Control',
    format: 'ofac-xml',
    defaultTopics: ['sanction'],
    officialFiles: [{ name: 'consolidated.xml', url: `${OFAC_EXPORTS}/CONSOLIDATED.XML`, isRequired: true }],
    derivedFrom: null,
    licence: null,
  },
  {
    id: 'un-sc',
    title: 'UN Security Council Consolidated List',
    publisher: 'United Nations Security Council',
    format: 'un-xml',
    defaultTopics: ['sanction'],
    officialFiles: [
      {
        name: 'consolidated.xml',
        url: 'https://scsanctions.un.org/resources/xml/en/consolidated.xml',
        isRequired: true,
      },
    ],
    derivedFrom: null,
    licence: null,
  },
  {
    id: 'eu-fsf',
    title: 'EU Consolidated Financial Sanctions List',
    publisher: 'European Commission (FSF)',
    format: 'eu-derived-json',
    defaultTopics: ['sanction'],
    officialFiles: null,
    derivedFrom:
      'a third party’s table of the EU FSF list (haverisenosku/pakote_data all.json): names, aliases, ' +
      'birth dates and identifiers only; no addresses, nationalities or programmes',
    licence: null,
  },
  {
    id: 'uk-sanctions-list',
    title: 'UK Sanctions List',
    publisher: 'UK Foreign, Commonwealth & Development Office',
    format: 'uk-derived-csv',
    defaultTopics: ['sanction'],
    officialFiles: null,
    derivedFrom:
      'a third party’s re-tabulation of the FCDO UK Sanctions List (covyr/uk-sanctions-list CSVs); ' +
      'some less informative names and birth dates were dropped by that project',
    licence: 'Open Government Licence v3.0 (attribution required)',
  },
  openSanctionsSource('ua_war_sanctions', 'Ukraine War and Sanctions portal (OpenSanctions)', ['sanction']),
  openSanctionsSource('interpol_red_notices', 'INTERPOL Red Notices (OpenSanctions)', ['crime']),
  openSanctionsSource('us_congress', 'US Congress members, PEPs (OpenSanctions)', ['pep']),
];

/** The source with this id, or undefined. */
export function findListSource(id: string): ListSource | undefined {
  return LIST_SOURCES.find((source) => source.id === id);
}
