/**
 * Country names as the lists write them, mapped to ISO 3166-1 alpha-2. The names are the ones
 * measured in the OFAC, UN and EU-derived files in shared/data/sanctions (nationality, address,
 * vessel flag and document-issuer fields), so a new spelling shows up as a counted warning instead
 * of a guess. Kosovo maps to XK, the user-assigned code every sanctions list uses for it.
 */

// One code per line, then the spellings separated by `|`. Lookups ignore case, accents, punctuation
// and the word "the", so "Bahamas, The" and "The Bahamas" are one key.
const COUNTRY_NAME_TABLE = `
AE United Arab Emirates
AF Afghanistan
AG Antigua and Barbuda
AL Albania
AM Armenia
AO Angola
AR Argentina
AT Austria
AU Australia
AW Aruba
AZ Azerbaijan
BA Bosnia and Herzegovina
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BJ Benin
BM Bermuda
BN Brunei|Brunei Darussalam
BO Bolivia|Bolivia (Plurinational State of)
BR Brazil
BS Bahamas, The
BY Belarus
BZ Belize
CA Canada
CD Congo, Democratic Republic of the|Democratic Republic of the Congo|Congo (Democratic Republic)
CF Central African Republic
CG Congo|Congo, Republic of the|Republic of the Congo
CH Switzerland
CI Cote d Ivoire|Côte d'Ivoire|Ivory Coast
CK Cook Islands
CL Chile
CM Cameroon
CN China|Region: China
CO Colombia
CR Costa Rica
CU Cuba
CV Cabo Verde|Cape Verde
CY Cyprus
CZ Czech Republic|Czechia
DE Germany
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt
ER Eritrea
ES Spain
ET Ethiopia
FI Finland
FR France
GA Gabon
GB United Kingdom|United Kingdom of Great Britain and Northern Ireland|U.K.|UK|Great Britain
GE Georgia
GG Guernsey
GH Ghana
GI Gibraltar
GM The Gambia|Gambia
GN Guinea
GQ Equatorial Guinea
GR Greece
GT Guatemala
GW Guinea-Bissau
GY Guyana
HK Hong Kong|China, Hong Kong Special Administrative Region
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Man, Isle of|Isle of Man
IN India
IQ Iraq
IR Iran|Iran (Islamic Republic of)
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis|St. Kitts and Nevis|St. Kitts & Nevis|St Kitts and Nevis
KP Korea, North|Democratic People's Republic of Korea|North Korea|DPRK
KR Korea, South|Republic of Korea|South Korea
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos|Lao People's Democratic Republic
LB Lebanon
LI Liechtenstein
LK Sri Lanka
LR Liberia
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MA Morocco
MC Monaco
MD Moldova|Republic of Moldova
ME Montenegro
MH Marshall Islands
MK North Macedonia, The Republic of|North Macedonia
ML Mali|Region: Northern Mali
MM Burma|Myanmar
MN Mongolia
MO Macau|Macao
MR Mauritania
MT Malta
MU Mauritius
MV Maldives
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NE Niger
NG Nigeria
NI Nicaragua
NL Netherlands
NO Norway
NZ New Zealand
OM Oman
PA Panama
PE Peru
PH Philippines
PK Pakistan
PL Poland
PS Palestinian|State of Palestine|Palestine|West Bank|Region: West Bank|Region: Gaza|Region: North Gaza|Region: Northern Gaza
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RO Romania
RS Serbia
RU Russia|Russian Federation|Region: Russia
RW Rwanda
SA Saudi Arabia
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SI Slovenia
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan
ST Sao Tome and Principe
SV El Salvador
SY Syria|Syrian Arab Republic
TD Chad
TG Togo
TH Thailand
TJ Tajikistan
TM Turkmenistan
TN Tunisia
TR Turkey|Türkiye
TT Trinidad and Tobago
TV Tuvalu
TW Taiwan
TZ Tanzania|United Republic of Tanzania
UA Ukraine
UG Uganda
US United States|United States of America|USA
UY Uruguay
UZ Uzbekistan
VC Saint Vincent and the Grenadines|St. Vincent and the Grenadines
VE Venezuela|Venezuela (Bolivarian Republic of)
VG Virgin Islands, British|British Virgin Islands
VN Vietnam|Viet Nam
VU Vanuatu
WS Samoa
XK Kosovo
YE Yemen
ZA South Africa
ZM Zambia
ZW Zimbabwe
`;

// Every officially assigned ISO 3166-1 alpha-2 code, plus XK, to check codes lists give directly.
const ASSIGNED_CODES = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID
IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ
OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO
SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN
VU WF WS YE YT ZA ZM ZW XK`;

// Values lists write where they have no country; not worth a warning.
const NO_COUNTRY = new Set(['none identified', 'undetermined', 'unknown', 'na', 'n a']);

/** The lookup key of a country name: no accents, case, punctuation or "the". */
export function normaliseCountryName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((word) => word !== '' && word !== 'the')
    .join(' ');
}

const CODE_BY_NAME: ReadonlyMap<string, string> = new Map(
  COUNTRY_NAME_TABLE.trim()
    .split('\n')
    .flatMap((line) => {
      const code = line.slice(0, 2);
      return line
        .slice(3)
        .split('|')
        .map((name): [string, string] => [normaliseCountryName(name), code]);
    }),
);

const CODES: ReadonlySet<string> = new Set(ASSIGNED_CODES.split(/\s+/));

/** Whether a (upper-case) code is an assigned ISO 3166-1 alpha-2 code or XK. */
export function isCountryCode(code: string): boolean {
  return CODES.has(code);
}

/**
 * The code for a country name: a string code, `null` for a known "no country" marker, or
 * undefined when the name is not in the table (the caller counts a warning).
 */
export function lookUpCountryName(name: string): string | null | undefined {
  const key = normaliseCountryName(name);
  if (key === '' || NO_COUNTRY.has(key)) return null;
  return CODE_BY_NAME.get(key);
}
