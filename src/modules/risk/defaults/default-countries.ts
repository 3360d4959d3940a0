/**
 * The country table a new tenant starts with: every ISO 3166-1 alpha-2 country (249), plus Kosovo
 * under the user-assigned code XK that the European Commission uses, each with a level, the lists
 * it is on, and a note saying why.
 *
 * The lists, and the publication each is taken from:
 * - `fatf_call_for_action`: FATF, "High-Risk Jurisdictions subject to a Call for Action", 19 June 2026.
 * - `fatf_increased_monitoring`: FATF, "Jurisdictions under Increased Monitoring", 19 June 2026.
 * - `eu_high_risk_third_country`: the Annex to Commission Delegated Regulation (EU) 2016/1675, as
 *   amended by Delegated Regulations (EU) 2026/46 and 2026/83, in force since 29 January 2026.
 * - `eu_non_cooperative_tax`: EU list of non-cooperative jurisdictions for tax purposes, Annex I,
 *   Council conclusions of 17 February 2026.
 * - `sanctioned`: UN Security Council or EU regimes that reach beyond listed persons (an embargo, or
 *   restrictions on trade or finance with the country as a whole), as of November 2026. Syria: most
 *   EU economic sanctions were lifted in May 2025; the arms embargo and the listings remain.
 * - `conflict_or_terrorism`: armed conflict or terrorism across much of the territory, as of
 *   November 2026. Neither this nor the sanctions flag is one official list: both are a starting
 *   judgement for the firm to confirm.
 *
 * The level follows one rule, so the table can be checked against it:
 * - on a FATF list, the EU high-risk list, under sanctions, or in conflict → high;
 * - on the EU tax list only → medium;
 * - otherwise, an EU/EEA state or a FATF member → low;
 * - every other country → medium.
 *
 * FATF publishes after each plenary (February, June, October) and the EU amends its lists several
 * times a year: the firm must review this table whenever either publishes. The table is the
 * tenant's to edit, and every change is kept with its reason, so past decisions stay explainable.
 */
import { ISO_COUNTRY_CODES, USER_ASSIGNED_COUNTRY_CODES } from '../../../platform/iso-countries.ts';
import type { CountryFlag, CountryLevelInput } from '../risk-catalog.types.ts';
import type { RiskLevel } from '../risk-model.schema.ts';
import { COUNTRY_FLAGS } from '../risk-variables.ts';

/** The publications the default country table reflects. */
export const COUNTRY_LEVELS_AS_OF =
  'FATF statements of 19 June 2026; EU high-risk third countries in force 29 January 2026 ' +
  '(Delegated Regulations (EU) 2026/46 and 2026/83); EU tax list Annex I of 17 February 2026; ' +
  'sanctions and conflict as of November 2026';

const codes = (list: string): readonly string[] => list.trim().split(/\s+/);

// The 27 EU member states and the three EEA states (Iceland, Liechtenstein, Norway).
const EU_EEA = new Set(
  codes(`AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO`),
);
// FATF member jurisdictions (the European Commission and the GCC are members too, but not countries).
// Russia's membership has been suspended since February 2023; it is flagged below.
const FATF_MEMBERS = new Set(
  codes(`AR AU AT BE BR CA CN DK FI FR DE GR HK IS IN ID IE IL IT JP KR LU MX NL NZ NO PT RU SA SG
    ZA ES SE CH TR GB US`),
);

const LISTS: Record<CountryFlag, { codes: ReadonlySet<string>; label: string }> = {
  fatf_call_for_action: { codes: new Set(codes('IR KP MM')), label: 'FATF call for action (Jun 2026)' },
  fatf_increased_monitoring: {
    codes: new Set(codes(`AO BA BG BO CD CI CM HT IQ KE KW LA LB MC NP PG SS SY VE VG VN YE`)),
    label: 'FATF increased monitoring (Jun 2026)',
  },
  eu_high_risk_third_country: {
    codes: new Set(codes(`AF AO BO CD CI CM DZ HT IR KE KP LA LB MC MM NA NP RU SS SY TT VE VG VN VU YE`)),
    label: 'EU high-risk third country (Reg. 2016/1675, Jan 2026)',
  },
  eu_non_cooperative_tax: {
    codes: new Set(codes('AI AS GU PA PW RU TC VI VN VU')),
    label: 'EU tax non-cooperative list, Annex I (Feb 2026)',
  },
  sanctioned: {
    codes: new Set(codes('AF BY CD CF IR KP LY MM RU SD SO SS SY VE YE')),
    label: 'UN/EU sanctions or embargo',
  },
  conflict_or_terrorism: {
    codes: new Set(codes('AF BF CD CF HT IQ LY ML MM MZ NE NG PK PS RU SD SO SS SY UA YE')),
    label: 'armed conflict or terrorism',
  },
};

/** Every flag except the tax list makes a country high; the tax list alone makes it medium. */
function levelOf(code: string, flags: readonly CountryFlag[]): RiskLevel {
  if (flags.some((flag) => flag !== 'eu_non_cooperative_tax')) return 'high';
  if (flags.length > 0) return 'medium';
  return EU_EEA.has(code) || FATF_MEMBERS.has(code) ? 'low' : 'medium';
}

function noteOf(code: string, flags: readonly CountryFlag[]): string {
  if (flags.length > 0) {
    const labels = flags.map((flag) => LISTS[flag].label).join('; ');
    return `${labels.charAt(0).toUpperCase()}${labels.slice(1)}`;
  }
  if (EU_EEA.has(code)) return 'EU/EEA state on no list';
  if (FATF_MEMBERS.has(code)) return 'FATF member on no list';
  return 'On no list, but neither an EU/EEA state nor a FATF member';
}

function entryOf(code: string): CountryLevelInput {
  const flags = COUNTRY_FLAGS.filter((flag) => LISTS[flag].codes.has(code));
  return { countryCode: code, level: levelOf(code, flags), flags, note: noteOf(code, flags) };
}

/** The default country table: every country, its level, its lists and why. */
export const DEFAULT_COUNTRY_LEVELS: readonly CountryLevelInput[] = [
  ...ISO_COUNTRY_CODES,
  ...USER_ASSIGNED_COUNTRY_CODES,
].map(entryOf);
