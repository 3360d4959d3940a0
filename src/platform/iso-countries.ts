/**
 * The country codes the platform accepts: the 249 codes ISO 3166-1 assigns officially (alpha-2),
 * and Kosovo under the user-assigned code XK, which EU institutions and most registers use while
 * ISO assigns it no code. No business rules: which countries carry which risk is the risk module's.
 */

const split = (list: string): readonly string[] => Object.freeze(list.trim().split(/\s+/));

/** The 249 officially assigned ISO 3166-1 alpha-2 codes, in alphabetical order. */
export const ISO_COUNTRY_CODES: readonly string[] = split(`
  AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
  BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
  EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
  HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
  LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
  NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
  SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
  TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
`);

/** User-assigned codes accepted as countries: XK, Kosovo, which has no ISO code yet. */
export const USER_ASSIGNED_COUNTRY_CODES: readonly string[] = split('XK');

const KNOWN = new Set([...ISO_COUNTRY_CODES, ...USER_ASSIGNED_COUNTRY_CODES]);

/** Whether `code` is an accepted country code, written as stored: two capital letters (XK included). */
export function isCountryCode(code: string): boolean {
  return KNOWN.has(code);
}
