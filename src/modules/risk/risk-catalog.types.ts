/** The shapes of the firm's catalogue and tables, as the defaults and the API hold them. */
import type { RiskLevel } from './risk-model.schema.ts';
import type { COUNTRY_FLAGS } from './risk-variables.ts';

/** A flag from the country table. */
export type CountryFlag = (typeof COUNTRY_FLAGS)[number];

/** A kind of client, with the profile fields and questionnaires it requires. */
export type ClientTypeInput = {
  code: string;
  name: string;
  kind: 'person' | 'entity';
  /** Profile fields that must be known: 'country', 'industry', 'services'. */
  requiredFields: string[];
  /** Codes of the questionnaires this client type answers. */
  questionnaires: string[];
};

/** A service the firm delivers. */
export type ServiceInput = {
  code: string;
  name: string;
  inherentRisk: RiskLevel;
  reviewIntervalMonths: number;
};

/** A document required for some client types and services (empty lists: all). */
export type DocumentRequirementInput = {
  code: string;
  name: string;
  clientTypes: string[];
  services: string[];
  validityMonths: number | null;
};

/** A country's level in the country table. */
export type CountryLevelInput = { countryCode: string; level: RiskLevel; flags: CountryFlag[]; note: string };

/** An industry's level (NACE code: section letter, division, group or class, e.g. K, K64, K64.19). */
export type IndustryLevelInput = { industryCode: string; name: string; level: RiskLevel; note: string };
