-- Foundation: the application role, tenants, and the audit log.
--
-- The application never runs its queries as a table owner or superuser (both bypass row-level
-- security): every transaction switches to diligence_app, which owns nothing and holds only the
-- grants below.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'diligence_app') THEN
    CREATE ROLE diligence_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO diligence_app;

-- The tenant of the current transaction, or NULL outside a tenant scope. The missing-setting
-- case yields NULL (no rows), never an error and never "all rows".
CREATE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION app_is_platform_scope() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.scope', true), '') = 'platform' $$;

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
-- A tenant scope sees its own tenant row; only the platform scope creates or lists tenants.
CREATE POLICY tenants_isolation ON tenants
  USING (id = app_current_tenant() OR app_is_platform_scope())
  WITH CHECK (app_is_platform_scope());
GRANT SELECT, INSERT, UPDATE ON tenants TO diligence_app;

-- Audit chains are keyed by tenant; the platform's own chain uses the nil UUID.
CREATE TABLE audit_entries (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_client', 'system', 'operator')),
  actor_id text CHECK (char_length(actor_id) <= 200),
  action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  target_type text CHECK (char_length(target_type) <= 100),
  target_id text CHECK (char_length(target_id) <= 200),
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  request_id text CHECK (char_length(request_id) <= 100),
  source_ip text CHECK (char_length(source_ip) <= 45),
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
  hash bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (tenant_id, seq)
);
ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_entries_isolation ON audit_entries
  USING (tenant_id = app_current_tenant())
  WITH CHECK (tenant_id = app_current_tenant());
-- Append-only for the application: no UPDATE or DELETE grant.
GRANT SELECT, INSERT ON audit_entries TO diligence_app;

CREATE TABLE audit_chain_heads (
  tenant_id uuid PRIMARY KEY,
  last_seq bigint NOT NULL,
  last_hash bytea NOT NULL CHECK (octet_length(last_hash) = 32),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_heads_isolation ON audit_chain_heads
  USING (tenant_id = app_current_tenant())
  WITH CHECK (tenant_id = app_current_tenant());
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO diligence_app;

-- Even a role that holds UPDATE or DELETE (an owner, a careless grant) cannot rewrite history
-- without first disabling this trigger, which needs ownership and leaves its own trace.
CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entries_append_only
  BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change();
CREATE TRIGGER audit_entries_no_truncate
  BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();
