// Broken or foreign files are refused with a message naming the file and the problem, never
// imported as an empty or partial list (an empty version would "remove" every listed entry).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListFormatError, type ListFile } from '../list-entity.ts';
import type { ListFormat } from '../list-sources.ts';
import { parseListFiles } from './index.ts';

const file = (name: string, text: string): ListFile => ({ name, bytes: Buffer.from(text) });

const SDN_ROW = '1,"DOE, John",individual,SDGT,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n';
const ALT_ROW = '1,10,"aka","DOE, Johnny",-0- \r\n';
const OFAC_XML =
  '<?xml version="1.0"?><sdnList><publshInformation><Publish_Date>01/08/2026</Publish_Date></publshInformation>' +
  '<sdnEntry><uid>1</uid><lastName>ACME</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>';
const UN_XML =
  '<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09Z"><INDIVIDUALS><INDIVIDUAL>' +
  '<FIRST_NAME>JOHN</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS>' +
  '<ENTITIES/></CONSOLIDATED_LIST>';
const EU_JSON = JSON.stringify({
  metadata: { generated: '2026-01-28T06:31:48Z' },
  entities: [
    {
      name: 'A',
      type: 'entity',
      aliases: [],
      birthdates: [],
      identifiers: [],
      source: ['EU'],
      source_id: '1',
    },
  ],
});
const UK_SUBJECTS = 'unique_id,subject_type,un_reference_number,ofsi_group_id,date_designated,last_updated\n';
const UK_NAMES =
  'name_id,unique_id,name_type,alias_strength,full_name,name_6,name_1,name_2,name_3,name_4,name_5\n';
const TARGETS =
  'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,dataset,last_change\n';

const cases: [string, ListFormat, ListFile[], RegExp][] = [
  ['no files at all', 'un-xml', [], /no files were given/],
  ['an empty sdn.csv', 'ofac-sdn-csv', [file('sdn.csv', '')], /^sdn\.csv: the file is empty$/],
  [
    'an sdn.csv of blank lines',
    'ofac-sdn-csv',
    [file('sdn.csv', '\r\n \r\n\u001a')],
    /sdn\.csv: the file is empty/,
  ],
  [
    'an sdn.csv row of the wrong width',
    'ofac-sdn-csv',
    [file('sdn.csv', `${SDN_ROW}${SDN_ROW}${ALT_ROW}`)],
    /^sdn\.csv: line 3 has 5 columns, an OFAC SDN file \(sdn\.csv\) has 12$/,
  ],
  [
    'a CSV of unknown width',
    'ofac-sdn-csv',
    [file('sdn.csv', 'a,b,c\n')],
    /line 1 has 3 columns; OFAC's sdn\.csv has 12/,
  ],
  [
    'alt.csv without sdn.csv',
    'ofac-sdn-csv',
    [file('alt.csv', ALT_ROW)],
    /no sdn\.csv among the files \(alt\.csv\)/,
  ],
  [
    'two sdn files',
    'ofac-sdn-csv',
    [file('a.csv', SDN_ROW), file('b.csv', SDN_ROW)],
    /a\.csv and b\.csv are both/,
  ],
  [
    'an sdn.csv with a header row',
    'ofac-sdn-csv',
    [file('sdn.csv', `ent_num,name,type,program,title,call,vt,t,grt,flag,owner,remarks\n${SDN_ROW}`)],
    /sdn\.csv: line 1 starts with "ent_num".*no header row/,
  ],
  [
    'an sdn.csv cut inside a quoted field',
    'ofac-sdn-csv',
    [file('sdn.csv', `${SDN_ROW}2,"DOE, J`)],
    /sdn\.csv is not readable CSV: Quote Not Closed/,
  ],
  [
    'a UN XML given as OFAC CSV',
    'ofac-sdn-csv',
    [file('sdn.csv', UN_XML)],
    /sdn\.csv looks like an XML file; an OFAC SDN CSV file is a CSV file/,
  ],
  [
    'a truncated OFAC XML',
    'ofac-xml',
    [file('sdn.xml', OFAC_XML.slice(0, OFAC_XML.indexOf('ME</lastName>')))],
    /^sdn\.xml: broken XML at line 1: the file ends inside <sdnList> <sdnEntry>.*\(is the file truncated\?\)$/,
  ],
  [
    'a UN XML given as OFAC XML',
    'ofac-xml',
    [file('consolidated.xml', UN_XML)],
    /^consolidated\.xml is not an OFAC XML list \(sdnList\): no sdnList root element \(found CONSOLIDATED_LIST\)$/,
  ],
  [
    'an OFAC XML with no entries',
    'ofac-xml',
    [file('sdn.xml', '<sdnList><publshInformation/></sdnList>')],
    /sdn\.xml: the file parsed but holds no list entries/,
  ],
  [
    'an XML with a DOCTYPE',
    'ofac-xml',
    [file('sdn.xml', `<!DOCTYPE x [<!ENTITY a "b">]>${OFAC_XML}`)],
    /has a DOCTYPE declaration/,
  ],
  [
    'two files for a one-file list',
    'ofac-xml',
    [file('a.xml', OFAC_XML), file('b.xml', OFAC_XML)],
    /one file, but 2 were given \(a\.xml, b\.xml\)/,
  ],
  ['an empty UN XML', 'un-xml', [file('consolidated.xml', ' \n')], /consolidated\.xml: the file is empty/],
  [
    'a truncated UN XML',
    'un-xml',
    [file('consolidated.xml', UN_XML.slice(0, -30))],
    /broken XML at line 1.*truncated/,
  ],
  [
    'an OFAC XML given as UN XML',
    'un-xml',
    [file('consolidated.xml', OFAC_XML)],
    /^consolidated\.xml is not a UN consolidated list: no CONSOLIDATED_LIST root element \(found sdnList\)$/,
  ],
  [
    'a UN XML with no entries',
    'un-xml',
    [file('consolidated.xml', '<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>')],
    /holds no list entries/,
  ],
  [
    'a JSON cut mid-way',
    'eu-derived-json',
    [file('all.json', EU_JSON.slice(0, 80))],
    /^all\.json: broken JSON \(.*\); is it truncated\?$/,
  ],
  [
    'a JSON of another shape',
    'eu-derived-json',
    [file('all.json', '{"data":[]}')],
    /all\.json is not the derived EU list.*no "entities" array/,
  ],
  [
    'a table with no EU entry',
    'eu-derived-json',
    [file('all.json', EU_JSON.replace('"EU"', '"UN"'))],
    /none of its 1 entries comes from the EU list/,
  ],
  [
    'a table with no entries',
    'eu-derived-json',
    [file('all.json', '{"entities":[]}')],
    /holds no list entries/,
  ],
  ['a UN XML given as EU JSON', 'eu-derived-json', [file('all.json', UN_XML)], /looks like an XML file/],
  [
    'UK subjects without names',
    'uk-derived-csv',
    [file('subjects.csv', UK_SUBJECTS)],
    /needs subject_names\.csv, but no file given \(subjects\.csv\) has its columns/,
  ],
  [
    'a UK subjects.csv missing a column',
    'uk-derived-csv',
    [file('subjects.csv', 'unique_id,subject_type,date_designated\n'), file('subject_names.csv', UK_NAMES)],
    /^subjects\.csv: missing column\(s\) last_updated; subjects\.csv needs/,
  ],
  [
    'a UK row of the wrong width',
    'uk-derived-csv',
    [file('subjects.csv', `${UK_SUBJECTS}RUS0001,individual,,1\n`), file('subject_names.csv', UK_NAMES)],
    /^subjects\.csv: line 2 has 4 columns, the header has 6$/,
  ],
  [
    'an OFAC sdn.csv given as UK',
    'uk-derived-csv',
    [file('sdn.csv', SDN_ROW)],
    /sdn\.csv is not a file of the derived UK Sanctions List/,
  ],
  [
    'UK files with no subjects',
    'uk-derived-csv',
    [file('subjects.csv', UK_SUBJECTS), file('subject_names.csv', UK_NAMES)],
    /subjects\.csv: the file parsed but holds no list entries/,
  ],
  [
    'JSON lines cut mid-way',
    'opensanctions',
    [file('senzing.json', '{"DATA_SOURCE":"X","RECORD_ID":"1"}\n{"DATA_SO')],
    /senzing\.json: line 2 is not valid JSON .*truncated/,
  ],
  [
    'an OpenSanctions delta file',
    'opensanctions',
    [file('entities.delta.json', '{"op":"ADD","entity":{}}')],
    /is an OpenSanctions delta file/,
  ],
  [
    'a CSV that is not targets.simple',
    'opensanctions',
    [file('targets.simple.csv', SDN_ROW)],
    /is not an OpenSanctions export/,
  ],
  [
    'a targets.simple.csv missing a column',
    'opensanctions',
    [file('targets.simple.csv', 'id,schema,name\n')],
    /missing column\(s\) aliases, birth_date/,
  ],
  [
    'a FollowTheMoney file with no targets',
    'opensanctions',
    [file('entities.ftm.json', '{"id":"a","schema":"Address","properties":{}}')],
    /holds no list entries/,
  ],
  [
    'an empty targets.simple.csv',
    'opensanctions',
    [file('targets.simple.csv', TARGETS)],
    /holds no list entries/,
  ],
  [
    'JSON lines of an unknown shape',
    'opensanctions',
    [file('x.json', '{"hello":1}')],
    /neither DATA_SOURCE\/RECORD_ID/,
  ],
];

for (const [problem, format, files, message] of cases) {
  test(`${format}: ${problem} is refused`, () => {
    assert.throws(
      () => parseListFiles(format, files, { defaultTopics: ['sanction'] }),
      (error: unknown) => {
        assert.ok(error instanceof ListFormatError, `not a ListFormatError: ${String(error)}`);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('the well-formed versions of those files import', () => {
  const topics = { defaultTopics: ['sanction' as const] };
  assert.equal(
    parseListFiles('ofac-sdn-csv', [file('sdn.csv', SDN_ROW), file('alt.csv', ALT_ROW)], topics).entities
      .length,
    1,
  );
  assert.equal(parseListFiles('ofac-xml', [file('sdn.xml', OFAC_XML)], topics).publishedAt, '2026-01-08');
  assert.equal(
    parseListFiles('un-xml', [file('consolidated.xml', UN_XML)], topics).publishedAt,
    '2026-02-27',
  );
  assert.equal(parseListFiles('eu-derived-json', [file('all.json', EU_JSON)], topics).entities.length, 1);
});
