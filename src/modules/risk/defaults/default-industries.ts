/**
 * The industry table a new tenant starts with, in NACE Rev. 2 codes: all 21 sections (A–U) with a
 * level, and the divisions, groups and classes that the EU supranational risk assessment (SNRA,
 * COM(2022) 554 with SWD(2022) 344) and national risk assessments treat as more exposed than their
 * section. A client's industry takes the most specific entry: K64.19, then K64.1, K64, K.
 *
 * Sections are rated on how much of their activity is cash, high value, hard to trace or a known
 * typology; a sub-entry is listed only where it differs from its section or needs saying. The firm
 * edits the table as its own risk assessment finds; every change is kept with its reason.
 */
import type { IndustryLevelInput } from '../risk-catalog.types.ts';
import { findIndustry } from '../risk-facts.ts';
import type { RiskLevel } from '../risk-model.schema.ts';

const entry = (industryCode: string, name: string, level: RiskLevel, note: string) => ({
  industryCode,
  name,
  level,
  note,
});

/** The default industry table. */
export const DEFAULT_INDUSTRY_LEVELS: readonly IndustryLevelInput[] = [
  entry('A', 'Agriculture, forestry and fishing', 'low', 'Mostly traceable sales to processors'),
  entry('B', 'Mining and quarrying', 'medium', 'Extraction licences carry corruption risk'),
  entry('B06', 'Extraction of crude petroleum and natural gas', 'medium', 'Corruption and PEP exposure'),
  entry(
    'B07.29',
    'Mining of other non-ferrous metal ores (including gold, silver and platinum)',
    'high',
    'Precious metals: high value, portable, illegal mining (SNRA; FATF 2015 gold report)',
  ),
  entry(
    'B08.99',
    'Other mining and quarrying n.e.c. (including precious and semi-precious stones)',
    'high',
    'Precious stones: high value, portable, conflict-mineral risk',
  ),
  entry('C', 'Manufacturing', 'low', 'Goods and invoices are traceable'),
  entry('C12', 'Manufacture of tobacco products', 'medium', 'Illicit tobacco trade typologies'),
  entry('C24.41', 'Precious metals production', 'high', 'Refining of gold and silver (SNRA)'),
  entry('C25.4', 'Manufacture of weapons and ammunition', 'high', 'Export control, embargo and PEP exposure'),
  entry('C30.4', 'Manufacture of military fighting vehicles', 'high', 'Export control and embargo exposure'),
  entry(
    'C32.1',
    'Manufacture of jewellery, bijouterie and related articles',
    'high',
    'Precious metals and stones',
  ),
  entry('D', 'Electricity, gas, steam and air conditioning supply', 'low', 'Regulated utilities'),
  entry(
    'E',
    'Water supply; sewerage, waste management and remediation activities',
    'medium',
    'Waste trafficking by organised crime (Europol)',
  ),
  entry(
    'E38.3',
    'Materials recovery (including scrap metal)',
    'high',
    'Scrap metal: cash payments, stolen goods, waste trafficking',
  ),
  entry('F', 'Construction', 'high', 'SNRA: cash wages, subcontracting chains, public contracts'),
  entry(
    'F41.1',
    'Development of building projects',
    'high',
    'Property development: large sums, overlap with real estate (SNRA)',
  ),
  entry(
    'G',
    'Wholesale and retail trade; repair of motor vehicles and motorcycles',
    'medium',
    'Cash takings, trade-based laundering',
  ),
  entry('G45.1', 'Sale of motor vehicles', 'high', 'High-value goods often paid in cash (SNRA)'),
  entry('G46.35', 'Wholesale of tobacco products', 'high', 'Illicit tobacco trade typologies'),
  entry('G46.48', 'Wholesale of watches and jewellery', 'high', 'High-value dealers in goods (SNRA)'),
  entry(
    'G46.72',
    'Wholesale of metals and metal ores (including precious metals)',
    'high',
    'Dealers in precious metals (SNRA)',
  ),
  entry('G46.77', 'Wholesale of waste and scrap', 'high', 'Scrap metal: cash payments, stolen goods'),
  entry(
    'G47.77',
    'Retail sale of watches and jewellery',
    'high',
    'Dealers in precious metals and stones (SNRA)',
  ),
  entry(
    'G47.78',
    'Other retail sale of new goods in specialised stores (including art galleries)',
    'medium',
    'Includes commercial art galleries; art traders are obliged entities',
  ),
  entry(
    'G47.79',
    'Retail sale of second-hand goods (including antiques and auction houses)',
    'high',
    'Art and antiques dealers and auction houses (SNRA)',
  ),
  entry('H', 'Transportation and storage', 'low', 'Mostly traceable contracts'),
  entry('H49.32', 'Taxi operation', 'medium', 'Cash-intensive'),
  entry(
    'H52.29',
    'Other transportation support activities (freight forwarding)',
    'medium',
    'Trade-based laundering and sanctions evasion',
  ),
  entry('I', 'Accommodation and food service activities', 'medium', 'Cash takings'),
  entry(
    'I56',
    'Food and beverage service activities (restaurants and bars)',
    'high',
    'Cash-intensive: takings can be inflated to mix funds (national risk assessments)',
  ),
  entry('J', 'Information and communication', 'low', 'Mostly traceable, invoiced services'),
  entry(
    'K',
    'Financial and insurance activities',
    'medium',
    'Regulated, but the channel for most laundering',
  ),
  entry('K64.11', 'Central banking', 'low', 'Public body'),
  entry('K64.19', 'Other monetary intermediation (banks)', 'medium', 'Supervised credit institutions'),
  entry(
    'K64.2',
    'Activities of holding companies',
    'high',
    'Layering and concealment of beneficial ownership (SNRA)',
  ),
  entry('K64.3', 'Trusts, funds and similar financial entities', 'high', 'Opaque ownership (SNRA)'),
  entry('K64.9', 'Other financial service activities', 'high', 'Often less supervised lenders and investors'),
  entry('K64.91', 'Financial leasing', 'medium', 'Asset-backed, usually bank-owned'),
  entry(
    'K64.92',
    'Other credit granting (including pawnbroking)',
    'high',
    'Pawnbrokers and non-bank lenders: cash and high-value goods',
  ),
  entry('K65', 'Insurance, reinsurance and pension funding', 'low', 'Mostly non-life and pension cover'),
  entry('K65.11', 'Life insurance', 'medium', 'Investment-type products with early surrender (SNRA)'),
  entry(
    'K66.12',
    'Security and commodity contracts brokerage (including bureaux de change)',
    'high',
    'Currency exchange: cash, one-off transactions (SNRA)',
  ),
  entry(
    'K66.19',
    'Other activities auxiliary to financial services',
    'high',
    'Money remittance, payment services and crypto-asset services are usually classed here (SNRA)',
  ),
  entry('K66.3', 'Fund management activities', 'medium', 'Supervised, but complex ownership'),
  entry('L', 'Real estate activities', 'high', 'SNRA: high-value assets, cash purchases'),
  entry(
    'L68.2',
    'Renting and operating of own or leased real estate',
    'medium',
    'Rental income is recurring and traceable',
  ),
  entry('M', 'Professional, scientific and technical activities', 'low', 'Mostly invoiced services'),
  entry(
    'M69',
    'Legal and accounting activities',
    'high',
    'Gatekeepers: company formation, client money, tax advice (SNRA)',
  ),
  entry('M70', 'Activities of head offices; management consultancy', 'medium', 'Intra-group and fee flows'),
  entry('M70.1', 'Activities of head offices', 'high', 'Intra-group flows; shell-company risk'),
  entry('N', 'Administrative and support service activities', 'low', 'Mostly invoiced services'),
  entry(
    'N82.11',
    'Combined office administrative service activities (domiciliation)',
    'high',
    'Registered-office and business-centre providers are trust and company service providers (SNRA)',
  ),
  entry('O', 'Public administration and defence; compulsory social security', 'low', 'Public bodies'),
  entry('P', 'Education', 'low', 'Mostly public or fee-regulated'),
  entry('Q', 'Human health and social work activities', 'low', 'Mostly public or insured payments'),
  entry('R', 'Arts, entertainment and recreation', 'medium', 'Cash takings and hard-to-value goods'),
  entry('R92', 'Gambling and betting activities', 'high', 'SNRA: gambling, especially land-based and online'),
  entry(
    'R93.12',
    'Activities of sport clubs',
    'high',
    'Professional football: transfers and ownership (SNRA)',
  ),
  entry('S', 'Other service activities', 'low', 'Small local services'),
  entry(
    'S94',
    'Activities of membership organisations (non-profit organisations)',
    'high',
    'Non-profit organisations: terrorist-financing abuse (SNRA; FATF R.8)',
  ),
  entry('S96.04', 'Physical well-being activities', 'medium', 'Cash-intensive; exploitation typologies'),
  entry(
    'T',
    'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
    'low',
    'Private households',
  ),
  entry(
    'U',
    'Activities of extraterritorial organisations and bodies',
    'medium',
    'Diplomatic and PEP exposure',
  ),
];

/**
 * The most specific entry for a NACE code (exact, then K64.19 → K64.1 → K64 → K), or null when
 * none matches.
 */
export function findIndustryLevel(
  table: readonly IndustryLevelInput[],
  code: string,
): IndustryLevelInput | null {
  // The facts builder walks the same way, so a client's level here is the level a model reads.
  return findIndustry(new Map(table.map((industry) => [industry.industryCode, industry])), code);
}
