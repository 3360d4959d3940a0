/**
 * Row types of the clients and cases tables (see `migrations/20261124090000_clients_cases.sql`).
 * JSON columns are written as JSON text and read back parsed.
 */
import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/** A client: its data sealed, blind indexes for exact lookups, a keyed hash to notice changes. */
export type ClientsTable = {
  tenant_id: string;
  id: string;
  kind: 'person' | 'entity';
  data_sealed: Buffer;
  name_index: Buffer;
  identifier_index: Buffer | null;
  data_hash: Buffer;
  version: ColumnType<number, number | undefined, number>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
};

/** A person or company in a client's ownership and control. */
export type ClientPartiesTable = {
  tenant_id: string;
  id: string;
  client_id: string;
  kind: 'person' | 'entity';
  data_sealed: Buffer;
  name_index: Buffer;
  data_hash: Buffer;
  country_code: string | null;
  created_at: Date;
  updated_at: Date;
};

/** Who owns or controls whom inside a client's structure. */
export type ClientOwnershipTable = {
  tenant_id: string;
  client_id: string;
  owner_id: string;
  owned_id: string;
  role:
    'shareholder' | 'director' | 'trustee' | 'settlor' | 'beneficiary' | 'protector' | 'nominee' | 'other';
  percent: ColumnType<string | null, number | null, number | null>;
};

/** A KYC case. */
export type KycCasesTable = {
  tenant_id: string;
  id: string;
  client_id: string;
  reason: 'onboarding' | 'client_changed' | 'list_update' | 'periodic_review';
  state: 'checks_running' | 'ready' | 'in_review' | 'approved' | 'rejected' | 'needs_info';
  client_version: number;
  evaluation_id: string | null;
  level: 'low' | 'medium' | 'high' | null;
  disposition: 'auto_approve' | 'manual_review' | 'reject' | null;
  prepared_by: string | null;
  assigned_to: string | null;
  due_on: ColumnType<string | null, string | null, string | null>;
  first_approval_by: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  checks_claim: string | null;
  checks_claimed_at: Date | null;
  opened_at: Date;
  updated_at: Date;
};

/** One event in a case's history. */
export type KycCaseEventsTable = {
  tenant_id: string;
  id: string;
  case_id: string;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string | null;
  event: string;
  details: Json<Record<string, string | number | boolean | null>>;
};

/** A comment on a case (sealed: it may name people). */
export type KycCaseCommentsTable = {
  tenant_id: string;
  id: string;
  case_id: string;
  body_sealed: Buffer;
  author_id: string;
  created_at: Date;
};

/** One run of a check provider (or of screening) for a case and subject. */
export type KycCheckRunsTable = {
  tenant_id: string;
  id: string;
  case_id: string;
  client_version: number;
  subject_id: string;
  provider: string;
  provider_version: string;
  status: 'running' | 'completed' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  inputs_digest: string;
  outcome: Json<unknown> | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
};

/** A screening hit raised in a case, and how it was resolved. */
export type KycHitsTable = {
  tenant_id: string;
  id: string;
  case_id: string;
  client_version: number;
  client_id: string;
  subject_id: string;
  list_id: string;
  source_id: string;
  topics: string[];
  entity_hash: string;
  subject_hash: Buffer;
  score: ColumnType<string, number, number>;
  explanation_sealed: Buffer;
  status: 'open' | 'true_match' | 'false_positive';
  reused_from: string | null;
  reason_sealed: Buffer | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  created_at: Date;
};

/** The clients and cases tables. */
export type ClientsSchema = {
  clients: ClientsTable;
  client_parties: ClientPartiesTable;
  client_ownership: ClientOwnershipTable;
  kyc_cases: KycCasesTable;
  kyc_case_events: KycCaseEventsTable;
  kyc_case_comments: KycCaseCommentsTable;
  kyc_check_runs: KycCheckRunsTable;
  kyc_hits: KycHitsTable;
};
