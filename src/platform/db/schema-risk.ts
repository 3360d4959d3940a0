/**
 * Row types of the risk module's tables (see `migrations/20261123090000_risk.sql`). JSON columns
 * are written as JSON text and read back parsed.
 */
import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Level = 'low' | 'medium' | 'high';

/** A kind of client the firm serves, with what it must provide. */
export type RiskClientTypesTable = {
  tenant_id: string;
  code: string;
  name: string;
  kind: 'person' | 'entity';
  required_fields: string[];
  questionnaires: string[];
  is_archived: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Date;
  updated_by: string | null;
};

/** A service the firm delivers, with its inherent risk and review interval. */
export type RiskServicesTable = {
  tenant_id: string;
  code: string;
  name: string;
  inherent_risk: Level;
  review_interval_months: number;
  is_archived: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Date;
  updated_by: string | null;
};

/** A document the firm requires for some client types and services. */
export type RiskDocumentRequirementsTable = {
  tenant_id: string;
  code: string;
  name: string;
  client_types: string[];
  services: string[];
  validity_months: number | null;
  is_archived: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Date;
  updated_by: string | null;
};

/** A country's risk level in one tenant's table. */
export type RiskCountryLevelsTable = {
  tenant_id: string;
  country_code: string;
  level: Level;
  flags: string[];
  note: string;
  updated_at: Date;
  updated_by: string | null;
};

/** An industry's risk level in one tenant's table. */
export type RiskIndustryLevelsTable = {
  tenant_id: string;
  industry_code: string;
  name: string;
  level: Level;
  note: string;
  updated_at: Date;
  updated_by: string | null;
};

/** One change to a country or industry table. */
export type RiskTableChangesTable = {
  tenant_id: string;
  id: string;
  table_name: 'country' | 'industry';
  key: string;
  previous: Json<unknown> | null;
  current: Json<unknown> | null;
  reason: string;
  changed_at: Date;
  changed_by: string | null;
};

/** One version of a questionnaire. */
export type RiskQuestionnaireVersionsTable = {
  tenant_id: string;
  id: string;
  questionnaire_code: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  definition: Json<unknown>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  published_at: Date | null;
  published_by: string | null;
};

/** One version of a tenant's risk model. */
export type RiskModelsTable = {
  tenant_id: string;
  id: string;
  version: number;
  name: string;
  status: 'draft' | 'pending_approval' | 'published' | 'superseded' | 'rejected';
  definition: Json<unknown>;
  editors: string[];
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  submitted_at: Date | null;
  submitted_by: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_note: string | null;
  published_at: Date | null;
};

/** One version of the firm-wide risk assessment. */
export type RiskFirmAssessmentsTable = {
  tenant_id: string;
  id: string;
  version: number;
  status: 'draft' | 'signed';
  document: Json<unknown>;
  review_due: ColumnType<string | null, string | null, string | null>;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
  signed_at: Date | null;
  signed_by: string | null;
};

/** A client's risk inputs (codes, levels, counts, flags). */
export type RiskClientProfilesTable = {
  tenant_id: string;
  client_id: string;
  client_type: string;
  country_code: string | null;
  industry_code: string | null;
  services: string[];
  facts: Json<Record<string, unknown>>;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
};

/** The status of one required document for one client. */
export type RiskClientDocumentsTable = {
  tenant_id: string;
  client_id: string;
  requirement_code: string;
  status: 'missing' | 'received' | 'approved' | 'expired';
  expires_on: ColumnType<string | null, string | null, string | null>;
  updated_at: Date;
  updated_by: string | null;
};

/** A client's answers to one questionnaire version (sealed), and the values rules read. */
export type RiskAnswerSetsTable = {
  tenant_id: string;
  id: string;
  client_id: string;
  questionnaire_code: string;
  questionnaire_version_id: string;
  answers_sealed: Buffer;
  variables: Json<Record<string, unknown>>;
  submitted_at: Date;
  submitted_by: string | null;
};

/** An officer's override of a client's risk level, with a sealed reason and an expiry. */
export type RiskOverridesTable = {
  tenant_id: string;
  id: string;
  client_id: string;
  level: Level;
  reason_sealed: Buffer;
  expires_at: Date;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
};

/** One evaluation of a client by one model version, with every input and the full result. */
export type RiskEvaluationsTable = {
  tenant_id: string;
  id: string;
  client_id: string;
  model_id: string;
  model_version: number;
  facts: Json<Record<string, unknown>>;
  result: Json<unknown>;
  level: Level;
  disposition: 'auto_approve' | 'manual_review' | 'reject';
  override_id: string | null;
  evaluated_at: Date;
  evaluated_by: string | null;
};

/** A draft model evaluated against every client, compared with the published one. */
export type RiskDryRunsTable = {
  tenant_id: string;
  id: string;
  model_id: string;
  baseline_model_id: string | null;
  summary: Json<unknown>;
  changes: Json<unknown>;
  created_at: Date;
  created_by: string | null;
};

/** The risk module's tables. */
export type RiskSchema = {
  risk_client_types: RiskClientTypesTable;
  risk_services: RiskServicesTable;
  risk_document_requirements: RiskDocumentRequirementsTable;
  risk_country_levels: RiskCountryLevelsTable;
  risk_industry_levels: RiskIndustryLevelsTable;
  risk_table_changes: RiskTableChangesTable;
  risk_questionnaire_versions: RiskQuestionnaireVersionsTable;
  risk_models: RiskModelsTable;
  risk_firm_assessments: RiskFirmAssessmentsTable;
  risk_client_profiles: RiskClientProfilesTable;
  risk_client_documents: RiskClientDocumentsTable;
  risk_answer_sets: RiskAnswerSetsTable;
  risk_overrides: RiskOverridesTable;
  risk_evaluations: RiskEvaluationsTable;
  risk_dry_runs: RiskDryRunsTable;
};
