/**
 * Turns a name, in any script, into comparable tokens: Unicode NFKC, Latin transliteration (a
 * maintained table, any-ascii), case fold, no diacritics or punctuation, honorifics dropped and
 * legal forms marked. Lists and queries go through the same function, so both sides agree.
 */
import anyAscii from 'any-ascii';
import type { EntitySchema } from './list-entity.ts';

/** What a token is, which decides how much it weighs in a match. */
export type TokenRole = 'name' | 'particle' | 'initial' | 'legal_form' | 'number';

/** One token of a normalised name. */
export type NameToken = { text: string; role: TokenRole };

/** A normalised name. `isAbjad`: written in Arabic or Hebrew script, whose vowels are mostly unwritten. */
export type NormalisedName = { tokens: NameToken[]; isAbjad: boolean };

// Titles and honorifics: they say nothing about who someone is, and lists use them inconsistently.
const HONORIFICS = new Set(
  (
    'mr mrs ms miss mx dr prof sir dame lord lady madam madame herr frau monsieur mme mlle sheikh shaikh ' +
    'sheik shaykh haji hajji alhaji hadji mullah mulla maulavi mawlawi maulana mufti imam sayyid sayed ' +
    'general gen colonel col major maj captain capt lieutenant lt sergeant sgt admiral adm commander ' +
    'president minister senator rep representative hon honorable honourable judge justice rev reverend ' +
    'father brother sister saint st jr junior sr senior'
  ).split(' '),
);

// Particles of Arabic, Dutch, German, Romance names: real parts of a name, but weak evidence alone.
const PARTICLES = new Set(
  'al el ul ur bin ben ibn bint abu abou bou van von der den de di da du la le del della dos das do y e'.split(
    ' ',
  ),
);

// Legal-form words (after punctuation is removed: "S.A." -> "sa", "A/S" -> "as", "ООО" -> "ooo").
const LEGAL_FORMS = new Set(
  (
    'ltd limited llc llp lp lllp plc inc incorporated corp corporation co gmbh mbh ag kg kgaa ohg ug se sa ' +
    'sas sasu sarl eurl srl sprl spa sapa snc bv nv vof cv oy oyj ab hb kb as asa aps is hf ks ooo oao zao ' +
    'pao ao ojsc cjsc jsc pjsc ip tov pp fzco fze fzc fzllc dmcc wll spc saoc saog bsc pte pty bhd sdn tbk ' +
    'sdnbhd pt cv kft zrt nyrt bt doo dd ad ead jsc sh pk ltda eireli me epp sab de rl kk yk gk llc lda sgps sp zoo ' +
    'company holding holdings group'
  ).split(' '),
);

const ABJAD = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}]/u;
const NON_LATIN_RUN = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]+/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
// Scripts written without spaces between a name's parts; any-ascii capitalises each syllable.
const SYLLABIC = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

// Multi-word legal forms, after transliteration, reduced to their abbreviation (then marked).
const LEGAL_FORM_PHRASES: [RegExp, string][] = [
  [/\b(open|closed|public|private) joint stock company\b/g, 'jsc'],
  [/\bjoint stock company\b/g, 'jsc'],
  [/\blimited liability (company|partnership)\b/g, 'llc'],
  [/\bobshchestvo s ogranichennoi otvetstvennostiu\b/g, 'ooo'],
  [/\btovaristvo z obmezhenoiu vidpovidalnistiu\b/g, 'tov'],
  [/\b(publichnoe |zakrytoe |otkrytoe )?aktsionernoe obshchestvo\b/g, 'ao'],
  [/\baktiengesellschaft\b/g, 'ag'],
  [/\bgesellschaft mit beschrankter haftung\b/g, 'gmbh'],
  [/\bsociete anonyme\b/g, 'sa'],
  [/\bsociedad anonima\b/g, 'sa'],
  [/\bsdn bhd\b/g, 'sdnbhd'],
];

/** Transliterates to lower-case ASCII; syllables of unspaced scripts (CJK) become separate tokens. */
export function toAscii(raw: string): string {
  const text = raw.normalize('NFKC');
  const spaced = text.replace(NON_LATIN_RUN, (run) => {
    // Cyrillic "дж" is "dzh" in the table but "j" in most Latin spellings of the same names.
    const ascii = CYRILLIC.test(run) ? anyAscii(run.replace(/дж/giu, 'j')) : anyAscii(run);
    return SYLLABIC.test(run) ? ` ${ascii.replace(/([a-z])([A-Z])/g, '$1 $2')} ` : ascii;
  });
  return anyAscii(spaced).toLowerCase();
}

/** Normalises a name; `schema` decides whether legal forms are marked (organisations, unknowns). */
export function normaliseName(raw: string, schema: EntitySchema = 'unknown'): NormalisedName {
  const isAbjad = ABJAD.test(raw);
  const ascii = toAscii(raw)
    // "S.A." -> "SA", "A/S" -> "AS": abbreviations keep their letters together.
    .replace(/\b([a-z])[./](?=[a-z]\b)/g, '$1')
    .replace(/['`’ʻʼ.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const phrased = LEGAL_FORM_PHRASES.reduce((text, [phrase, short]) => text.replace(phrase, short), ascii);
  const words = phrased === '' ? [] : phrased.split(' ');
  const marksLegalForms = schema !== 'person';
  const kept = words.filter((word) => !HONORIFICS.has(word));
  // A name made only of honorifics ("Sheikh") keeps them rather than becoming nothing.
  const source = kept.length > 0 ? kept : words;
  const tokens = source.map((text): NameToken => {
    if (/^\d+$/.test(text)) return { text, role: 'number' };
    if (text.length === 1) return { text, role: 'initial' };
    if (marksLegalForms && source.length > 1 && LEGAL_FORMS.has(text)) return { text, role: 'legal_form' };
    if (PARTICLES.has(text)) return { text, role: 'particle' };
    return { text, role: 'name' };
  });
  return { tokens, isAbjad };
}

/**
 * The consonant skeleton of a token: how an abjad spelling ("mhmd") and a vocalised Latin one
 * ("muhammad") meet. Vowels and the letters that stand in for them go, doubled letters collapse.
 */
export function consonantSkeleton(token: string): string {
  return token
    .replace(/[aeiouyw]/g, '')
    .replace(/h/g, '')
    .replace(/(.)\1+/g, '$1');
}
