-- Sanctions and PEP lists, versioned, and each tenant's screening settings.
--
-- The lists are public data that no tenant owns: only the platform scope writes them; every scope
-- may read them (a tenant's analyst sees which versions are active). An entity row is valid from
-- the version that added it (or its current content) until the version that removed or changed
-- it; `removed_in IS NULL` marks the current content. Each version stores its delta, which drives
-- re-screening of existing clients.

CREATE TABLE screening_lists (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,59}$'),
  active_version_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE screening_list_versions (
  id uuid PRIMARY KEY,
  list_id text NOT NULL REFERENCES screening_lists (id),
  sequence integer NOT NULL CHECK (sequence > 0),
  format text NOT NULL CHECK (char_length(format) <= 40),
  -- The file names (or URLs) imported, for the record.
  source_label text NOT NULL CHECK (char_length(source_label) <= 2000),
  -- SHA-256 over the imported files: the same files again are a no-op.
  files_hash text NOT NULL CHECK (files_hash ~ '^[0-9a-f]{64}$'),
  -- The publication date the file states (YYYY-MM-DD), when it states one.
  published_at text CHECK (published_at ~ '^\d{4}-\d{2}-\d{2}$'),
  imported_at timestamptz NOT NULL,
  entity_count integer NOT NULL CHECK (entity_count > 0),
  counts jsonb NOT NULL,
  added integer NOT NULL CHECK (added >= 0),
  removed integer NOT NULL CHECK (removed >= 0),
  changed integer NOT NULL CHECK (changed >= 0),
  warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  UNIQUE (list_id, sequence)
);

ALTER TABLE screening_lists
  ADD CONSTRAINT screening_lists_active_version FOREIGN KEY (active_version_id)
  REFERENCES screening_list_versions (id);

CREATE TABLE screening_entities (
  list_id text NOT NULL REFERENCES screening_lists (id),
  source_id text NOT NULL CHECK (char_length(source_id) <= 200),
  added_in integer NOT NULL CHECK (added_in > 0),
  removed_in integer CHECK (removed_in > added_in),
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  data jsonb NOT NULL,
  PRIMARY KEY (list_id, source_id, added_in)
);
CREATE UNIQUE INDEX screening_entities_current ON screening_entities (list_id, source_id)
  WHERE removed_in IS NULL;

CREATE TABLE screening_list_changes (
  version_id uuid NOT NULL REFERENCES screening_list_versions (id),
  source_id text NOT NULL CHECK (char_length(source_id) <= 200),
  change text NOT NULL CHECK (change IN ('added', 'removed', 'changed')),
  previous_hash text CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
  content_hash text CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (version_id, source_id)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['screening_lists', 'screening_list_versions', 'screening_entities', 'screening_list_changes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (true)', t || '_read', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I FOR ALL USING (app_is_platform_scope()) WITH CHECK (app_is_platform_scope())',
      t || '_platform_writes', t);
    EXECUTE format('GRANT SELECT, INSERT ON %I TO diligence_app', t);
  END LOOP;
END
$$;
-- History is never rewritten: only the active version moves, and an entity's content is closed
-- (removed_in set), never edited.
GRANT UPDATE (active_version_id) ON screening_lists TO diligence_app;
GRANT UPDATE (removed_in) ON screening_entities TO diligence_app;

-- Each tenant's screening threshold (the default applies while a tenant has no row).
CREATE TABLE screening_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  threshold numeric(4, 3) NOT NULL CHECK (threshold >= 0.5 AND threshold <= 0.95),
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL
);
ALTER TABLE screening_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE screening_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY screening_settings_isolation ON screening_settings
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
GRANT SELECT, INSERT, UPDATE ON screening_settings TO diligence_app;
