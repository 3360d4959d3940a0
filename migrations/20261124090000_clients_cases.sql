-- Clients and the people and companies in their ownership and control, KYC cases with their
-- checks, screening hits and decisions, and the memory of how hits were resolved.
--
-- Personal data is only ever stored sealed by the vault (`*_sealed`); exact lookups go through
-- keyed blind indexes (`*_index`), and change detection through keyed hashes (`*_hash`), so no
-- column holds a name, a birth date or a document number in clear.

CREATE TABLE clients (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('person', 'entity')),
  data_sealed bytea NOT NULL,
  name_index bytea NOT NULL,
  identifier_index bytea,
  data_hash bytea NOT NULL,
  -- Grows with every change of the client's data or structure: a case records the one it checked.
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at timestamptz NOT NULL,
  created_by uuid,
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX clients_by_name ON clients (tenant_id, name_index);
CREATE INDEX clients_by_identifier ON clients (tenant_id, identifier_index) WHERE identifier_index IS NOT NULL;

-- A person or company in a client's ownership and control structure (owners, directors, trustees).
CREATE TABLE client_parties (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  client_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('person', 'entity')),
  data_sealed bytea NOT NULL,
  name_index bytea NOT NULL,
  data_hash bytea NOT NULL,
  country_code text CHECK (country_code ~ '^[A-Z]{2}$'),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
);
CREATE INDEX client_parties_by_client ON client_parties (tenant_id, client_id);

-- Who owns or controls whom inside one client's structure; `owned_id` is the client or a party.
CREATE TABLE client_ownership (
  tenant_id uuid NOT NULL,
  client_id uuid NOT NULL,
  owner_id uuid NOT NULL,
  owned_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('shareholder', 'director', 'trustee', 'settlor', 'beneficiary', 'protector', 'nominee', 'other')),
  percent numeric(7, 4) CHECK (percent >= 0 AND percent <= 100),
  PRIMARY KEY (tenant_id, client_id, owner_id, owned_id, role),
  FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES client_parties (tenant_id, id),
  CHECK (owner_id <> owned_id)
);

CREATE TABLE kyc_cases (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  client_id uuid NOT NULL,
  reason text NOT NULL CHECK (reason IN ('onboarding', 'client_changed', 'list_update', 'periodic_review')),
  state text NOT NULL CHECK (state IN ('checks_running', 'ready', 'in_review', 'approved', 'rejected', 'needs_info')),
  client_version integer NOT NULL,
  evaluation_id uuid,
  level text CHECK (level IN ('low', 'medium', 'high')),
  disposition text CHECK (disposition IN ('auto_approve', 'manual_review', 'reject')),
  prepared_by uuid,
  assigned_to uuid,
  due_on date,
  first_approval_by uuid,
  decided_at timestamptz,
  decided_by uuid,
  -- Who is running the checks (a random token) and since when: one runner per case at a time.
  checks_claim uuid,
  checks_claimed_at timestamptz,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id),
  -- Four eyes, in the database too: nobody decides a case they prepared, and the second approval
  -- of a high-risk client comes from another officer.
  CHECK (decided_by IS NULL OR prepared_by IS NULL OR decided_by <> prepared_by),
  CHECK (decided_by IS NULL OR first_approval_by IS NULL OR decided_by <> first_approval_by)
);
CREATE UNIQUE INDEX kyc_cases_one_open ON kyc_cases (tenant_id, client_id)
  WHERE state NOT IN ('approved', 'rejected');
CREATE INDEX kyc_cases_by_state ON kyc_cases (tenant_id, state, due_on);

-- What happened to a case, in order; never changed.
CREATE TABLE kyc_case_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_kind text NOT NULL,
  actor_id text,
  event text NOT NULL CHECK (char_length(event) <= 60),
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES kyc_cases (tenant_id, id)
);
CREATE INDEX kyc_case_events_by_case ON kyc_case_events (tenant_id, case_id, occurred_at);

CREATE TABLE kyc_case_comments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  body_sealed bytea NOT NULL,
  author_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES kyc_cases (tenant_id, id)
);

-- One run of one provider (or of screening) for one case and subject, with its inputs' digest.
CREATE TABLE kyc_check_runs (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  -- The client version checked: a case whose data changed mid-way is checked again, and only the
  -- latest version's runs and hits are the case's current ones.
  client_version integer NOT NULL,
  subject_id uuid NOT NULL,
  provider text NOT NULL CHECK (char_length(provider) <= 60),
  provider_version text NOT NULL CHECK (char_length(provider_version) <= 60),
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  inputs_digest text NOT NULL,
  outcome jsonb,
  error text CHECK (char_length(error) <= 500),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES kyc_cases (tenant_id, id)
);
CREATE INDEX kyc_check_runs_by_case ON kyc_check_runs (tenant_id, case_id);

CREATE TABLE kyc_hits (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  client_version integer NOT NULL,
  client_id uuid NOT NULL,
  -- The client itself or one of its parties.
  subject_id uuid NOT NULL,
  list_id text NOT NULL,
  source_id text NOT NULL,
  topics text[] NOT NULL DEFAULT '{}',
  entity_hash text NOT NULL,
  subject_hash bytea NOT NULL,
  score numeric(4, 3) NOT NULL,
  -- The explanation names the screened subject's tokens: sealed.
  explanation_sealed bytea NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'true_match', 'false_positive')),
  -- Set when an earlier resolution of the same pairing was reused (disposition memory).
  reused_from uuid,
  reason_sealed bytea,
  resolved_by uuid,
  resolved_at timestamptz,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES kyc_cases (tenant_id, id)
);
CREATE INDEX kyc_hits_by_case ON kyc_hits (tenant_id, case_id);
CREATE INDEX kyc_hits_by_pairing ON kyc_hits (tenant_id, client_id, subject_id, list_id, source_id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'clients', 'client_parties', 'client_ownership', 'kyc_cases', 'kyc_case_events',
    'kyc_case_comments', 'kyc_check_runs', 'kyc_hits'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
      t || '_isolation', t);
    EXECUTE format('GRANT SELECT, INSERT ON %I TO diligence_app', t);
  END LOOP;
END
$$;

GRANT UPDATE ON clients, client_parties, kyc_cases, kyc_check_runs TO diligence_app;
GRANT DELETE ON client_parties, client_ownership TO diligence_app;
GRANT UPDATE (status, reason_sealed, resolved_by, resolved_at, explanation_sealed) ON kyc_hits TO diligence_app;
-- Key rotation re-seals in place.
GRANT UPDATE (body_sealed) ON kyc_case_comments TO diligence_app;
