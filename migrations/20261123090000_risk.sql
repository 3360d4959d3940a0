-- The risk model: the firm's catalogue (client types, services, required documents), its country
-- and industry risk tables with their history, questionnaires, versioned risk models with
-- four-eyes publication, the firm-wide risk assessment, and each client's risk profile,
-- evaluations and overrides.
--
-- Every table belongs to one tenant. What a decision rests on is never rewritten: published
-- questionnaire and model versions are frozen by a trigger, and answer sets and evaluations are
-- insert-only, so an evaluation can be replayed and explained years later.

CREATE TABLE risk_client_types (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('person', 'entity')),
  required_fields text[] NOT NULL DEFAULT '{}',
  questionnaires text[] NOT NULL DEFAULT '{}',
  is_archived boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  -- Null for what the defaults installed.
  updated_by uuid,
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE risk_services (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  inherent_risk text NOT NULL CHECK (inherent_risk IN ('low', 'medium', 'high')),
  review_interval_months integer NOT NULL CHECK (review_interval_months BETWEEN 1 AND 120),
  is_archived boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  -- Null for what the defaults installed.
  updated_by uuid,
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE risk_document_requirements (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  -- Empty means every client type (or every service).
  client_types text[] NOT NULL DEFAULT '{}',
  services text[] NOT NULL DEFAULT '{}',
  validity_months integer CHECK (validity_months BETWEEN 1 AND 240),
  is_archived boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  -- Null for what the defaults installed.
  updated_by uuid,
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE risk_country_levels (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  country_code text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
  level text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
  flags text[] NOT NULL DEFAULT '{}',
  note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (tenant_id, country_code)
);

CREATE TABLE risk_industry_levels (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  industry_code text NOT NULL CHECK (industry_code ~ '^[A-U](\d{2}(\.\d{1,2})?)?$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  level text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
  note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (tenant_id, industry_code)
);

-- Every change to the country and industry tables, so the level a past decision used is known.
CREATE TABLE risk_table_changes (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  table_name text NOT NULL CHECK (table_name IN ('country', 'industry')),
  key text NOT NULL CHECK (char_length(key) <= 10),
  previous jsonb,
  current jsonb,
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
  changed_at timestamptz NOT NULL,
  changed_by uuid,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX risk_table_changes_by_key ON risk_table_changes (tenant_id, table_name, key, changed_at);

CREATE TABLE risk_questionnaire_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  questionnaire_code text NOT NULL CHECK (questionnaire_code ~ '^[a-z][a-z0-9_]{0,39}$'),
  version integer NOT NULL CHECK (version > 0),
  status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid,
  updated_at timestamptz NOT NULL,
  published_at timestamptz,
  published_by uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, questionnaire_code, version)
);
CREATE UNIQUE INDEX risk_questionnaire_one_published ON risk_questionnaire_versions
  (tenant_id, questionnaire_code) WHERE status = 'published';
CREATE UNIQUE INDEX risk_questionnaire_one_draft ON risk_questionnaire_versions
  (tenant_id, questionnaire_code) WHERE status = 'draft';

CREATE TABLE risk_models (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  status text NOT NULL CHECK (status IN ('draft', 'pending_approval', 'published', 'superseded', 'rejected')),
  definition jsonb NOT NULL,
  -- Everyone who wrote the definition or asked for its publication: none of them may approve it.
  editors uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  created_by uuid,
  updated_at timestamptz NOT NULL,
  submitted_at timestamptz,
  submitted_by uuid,
  decided_at timestamptz,
  decided_by uuid,
  decision_note text CHECK (char_length(decision_note) <= 1000),
  published_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, version),
  -- Four eyes: whoever approves a model neither wrote it nor asked for it.
  CONSTRAINT risk_models_four_eyes CHECK (
    status NOT IN ('published', 'superseded') OR created_by IS NULL OR (
      decided_by IS NOT NULL AND NOT (decided_by = ANY (editors))
      AND decided_by <> created_by AND decided_by IS DISTINCT FROM submitted_by
    )
  )
);
CREATE UNIQUE INDEX risk_models_one_published ON risk_models (tenant_id) WHERE status = 'published';
CREATE UNIQUE INDEX risk_models_one_open_draft ON risk_models (tenant_id)
  WHERE status IN ('draft', 'pending_approval');

-- A published questionnaire or model is what past answers and decisions were made against: its
-- definition is frozen, it only ever moves on to superseded (or retired), and those are final.
-- Who wrote, submitted and decided a model is history too: editors only grow, authorship never
-- changes, and a decision is never rewritten.
CREATE FUNCTION risk_refuse_frozen_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status NOT IN ('draft', 'pending_approval') AND NEW.definition IS DISTINCT FROM OLD.definition THEN
    RAISE EXCEPTION 'a % version that is % cannot be changed', TG_TABLE_NAME, OLD.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
    (OLD.status = 'draft' AND NEW.status IN ('pending_approval', 'published'))
    OR (OLD.status = 'pending_approval' AND NEW.status IN ('draft', 'published', 'rejected'))
    OR (OLD.status = 'published' AND NEW.status IN ('superseded', 'retired'))
  ) THEN
    RAISE EXCEPTION 'a % version that is % is final or cannot become %', TG_TABLE_NAME, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION risk_models_keep_authorship() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NEW.editors @> OLD.editors)
     OR NEW.created_by IS DISTINCT FROM OLD.created_by
     OR (OLD.decided_by IS NOT NULL AND NEW.decided_by IS DISTINCT FROM OLD.decided_by)
     OR (OLD.status NOT IN ('draft', 'pending_approval') AND NEW.submitted_by IS DISTINCT FROM OLD.submitted_by) THEN
    RAISE EXCEPTION 'the authorship of a risk model version cannot be rewritten'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER risk_models_authorship BEFORE UPDATE ON risk_models
  FOR EACH ROW EXECUTE FUNCTION risk_models_keep_authorship();

CREATE TRIGGER risk_models_frozen BEFORE UPDATE ON risk_models
  FOR EACH ROW EXECUTE FUNCTION risk_refuse_frozen_change();
CREATE TRIGGER risk_questionnaire_versions_frozen BEFORE UPDATE ON risk_questionnaire_versions
  FOR EACH ROW EXECUTE FUNCTION risk_refuse_frozen_change();

CREATE TABLE risk_firm_assessments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  status text NOT NULL CHECK (status IN ('draft', 'signed')),
  document jsonb NOT NULL,
  review_due date,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL,
  signed_at timestamptz,
  signed_by uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, version),
  CHECK (status <> 'signed' OR (signed_at IS NOT NULL AND signed_by IS NOT NULL AND review_due IS NOT NULL))
);
CREATE UNIQUE INDEX risk_firm_assessments_one_draft ON risk_firm_assessments (tenant_id)
  WHERE status = 'draft';

-- A signed assessment is the firm's record of what it knew and decided: it never changes.
CREATE FUNCTION risk_firm_assessments_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'a signed firm-wide risk assessment cannot be changed' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER risk_firm_assessments_frozen BEFORE UPDATE ON risk_firm_assessments
  FOR EACH ROW EXECUTE FUNCTION risk_firm_assessments_refuse_change();

-- A client's risk inputs: what the firm knows that the model reads. Only codes, levels, counts and
-- flags; names and free text live with the client, sealed.
CREATE TABLE risk_client_profiles (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  client_id uuid NOT NULL,
  client_type text NOT NULL CHECK (client_type ~ '^[a-z][a-z0-9_]{0,39}$'),
  country_code text CHECK (country_code ~ '^[A-Z]{2}$'),
  industry_code text CHECK (industry_code ~ '^[A-U](\d{2}(\.\d{1,2})?)?$'),
  services text[] NOT NULL DEFAULT '{}',
  facts jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (tenant_id, client_id)
);

CREATE TABLE risk_client_documents (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  client_id uuid NOT NULL,
  requirement_code text NOT NULL CHECK (requirement_code ~ '^[a-z][a-z0-9_]{0,39}$'),
  status text NOT NULL CHECK (status IN ('missing', 'received', 'approved', 'expired')),
  expires_on date,
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (tenant_id, client_id, requirement_code),
  FOREIGN KEY (tenant_id, client_id) REFERENCES risk_client_profiles (tenant_id, client_id)
);

-- A client's answers to one questionnaire version. The answers themselves are sealed (free text
-- may name people); `variables` holds only what rules read (choice codes, numbers, levels).
CREATE TABLE risk_answer_sets (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  client_id uuid NOT NULL,
  questionnaire_code text NOT NULL,
  questionnaire_version_id uuid NOT NULL,
  answers_sealed bytea NOT NULL,
  variables jsonb NOT NULL,
  submitted_at timestamptz NOT NULL,
  submitted_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES risk_client_profiles (tenant_id, client_id),
  FOREIGN KEY (tenant_id, questionnaire_version_id) REFERENCES risk_questionnaire_versions (tenant_id, id)
);
CREATE INDEX risk_answer_sets_by_client ON risk_answer_sets (tenant_id, client_id, questionnaire_code, submitted_at);

CREATE TABLE risk_overrides (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  client_id uuid NOT NULL,
  level text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
  -- The officer's reason, sealed: it may name people.
  reason_sealed bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES risk_client_profiles (tenant_id, client_id),
  CHECK (expires_at > created_at)
);
CREATE INDEX risk_overrides_by_client ON risk_overrides (tenant_id, client_id, created_at);

CREATE TABLE risk_evaluations (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  client_id uuid NOT NULL,
  model_id uuid NOT NULL,
  model_version integer NOT NULL,
  -- Every variable's value as the model saw it, and the full result (rules fired, points).
  facts jsonb NOT NULL,
  result jsonb NOT NULL,
  level text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
  disposition text NOT NULL CHECK (disposition IN ('auto_approve', 'manual_review', 'reject')),
  override_id uuid,
  evaluated_at timestamptz NOT NULL,
  evaluated_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES risk_client_profiles (tenant_id, client_id),
  FOREIGN KEY (tenant_id, model_id) REFERENCES risk_models (tenant_id, id)
);
CREATE INDEX risk_evaluations_by_client ON risk_evaluations (tenant_id, client_id, evaluated_at);

CREATE TABLE risk_dry_runs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  model_id uuid NOT NULL,
  baseline_model_id uuid,
  summary jsonb NOT NULL,
  changes jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, model_id) REFERENCES risk_models (tenant_id, id)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'risk_client_types', 'risk_services', 'risk_document_requirements', 'risk_country_levels',
    'risk_industry_levels', 'risk_table_changes', 'risk_questionnaire_versions', 'risk_models',
    'risk_firm_assessments', 'risk_client_profiles', 'risk_client_documents', 'risk_answer_sets',
    'risk_overrides', 'risk_evaluations', 'risk_dry_runs'
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

-- Editable state. History (table changes, answer sets, evaluations, dry runs) is insert-only.
GRANT UPDATE ON risk_client_types, risk_services, risk_document_requirements TO diligence_app;
GRANT UPDATE, DELETE ON risk_country_levels, risk_industry_levels TO diligence_app;
GRANT UPDATE ON risk_questionnaire_versions, risk_models, risk_firm_assessments TO diligence_app;
GRANT UPDATE ON risk_client_profiles, risk_client_documents TO diligence_app;
GRANT UPDATE (revoked_at, revoked_by) ON risk_overrides TO diligence_app;
-- Key rotation re-seals these values in place; nothing else about the row changes.
GRANT UPDATE (answers_sealed) ON risk_answer_sets TO diligence_app;
GRANT UPDATE (reason_sealed) ON risk_overrides TO diligence_app;
