-- Identity: people, their credentials and sessions; tenant memberships and invitations; the
-- development mail outbox.
--
-- People are global (one person may work in several tenants), so their tables carry no
-- tenant_id. They are reachable only in the 'identity' scope, which the sign-in code opens; a
-- tenant scope sees only the users who are members of that tenant, and never a credential.

CREATE FUNCTION app_scope() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.scope', true), '') $$;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (char_length(email) BETWEEN 3 AND 254 AND email = lower(email)),
  is_operator boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'disabled')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Password hashes live apart from users: a tenant may read its members' user rows, and row-level
-- security cannot hide one column, so the hash sits in a table only the identity scope reaches.
CREATE TABLE user_passwords (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  password_hash text NOT NULL CHECK (char_length(password_hash) <= 300),
  changed_at timestamptz NOT NULL
);

-- A user's roles and teams in one tenant.
CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id),
  roles text[] NOT NULL CHECK (
    cardinality(roles) BETWEEN 1 AND 4
    AND roles <@ ARRAY['tenant_admin', 'compliance_officer', 'analyst', 'auditor']::text[]
  ),
  teams text[] NOT NULL DEFAULT '{}' CHECK (cardinality(teams) <= 20),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email = lower(email)),
  roles text[] NOT NULL CHECK (
    cardinality(roles) BETWEEN 1 AND 4
    AND roles <@ ARRAY['tenant_admin', 'compliance_officer', 'analyst', 'auditor']::text[]
  ),
  teams text[] NOT NULL DEFAULT '{}' CHECK (cardinality(teams) <= 20),
  token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  invited_by text CHECK (char_length(invited_by) <= 200),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users (id),
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_by_tenant ON invitations (tenant_id, created_at);

-- One-time links that let a person set a first password (the first operator, made by the CLI).
CREATE TABLE account_setup_tokens (
  token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE second_factors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('totp', 'passkey')),
  label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
  -- TOTP: the shared secret and the last time step accepted (a code is usable once).
  totp_secret text CHECK (char_length(totp_secret) <= 200),
  totp_last_step bigint,
  -- Passkey: the credential as registered.
  credential_id text UNIQUE CHECK (char_length(credential_id) <= 1400),
  public_key bytea,
  sign_count bigint,
  transports text[],
  confirmed_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'totp' OR totp_secret IS NOT NULL),
  CHECK (kind <> 'passkey' OR (credential_id IS NOT NULL AND public_key IS NOT NULL))
);
CREATE INDEX second_factors_by_user ON second_factors (user_id);

CREATE TABLE recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash bytea NOT NULL CHECK (octet_length(code_hash) = 32),
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  csrf_token_hash bytea NOT NULL CHECK (octet_length(csrf_token_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id),
  -- The tenant the person chose to work in (null: none chosen yet, or an operator).
  active_tenant_id uuid REFERENCES tenants (id),
  -- second_factor: password given, a factor is still due; enrolment: no factor exists yet.
  stage text NOT NULL CHECK (stage IN ('second_factor', 'enrolment', 'full')),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  second_factor_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text CHECK (char_length(revoked_reason) <= 40),
  source_ip text CHECK (char_length(source_ip) <= 45),
  user_agent text CHECK (char_length(user_agent) <= 200)
);
CREATE INDEX sessions_by_user ON sessions (user_id, created_at);

-- Failed-attempt counters per account (keyed by a hash of the email, so unknown accounts behave
-- the same) and per source address.
CREATE TABLE sign_in_throttles (
  key text PRIMARY KEY CHECK (char_length(key) <= 100),
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL,
  next_attempt_at timestamptz,
  locked_until timestamptz,
  updated_at timestamptz NOT NULL
);

-- WebAuthn challenges, single use.
CREATE TABLE auth_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose text NOT NULL CHECK (purpose IN ('passkey_registration', 'passkey_sign_in', 'passkey_step_up')),
  challenge text NOT NULL CHECK (char_length(challenge) <= 200),
  user_id uuid REFERENCES users (id),
  expires_at timestamptz NOT NULL
);

-- Mail written here instead of being sent (development and tests).
CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient text NOT NULL CHECK (char_length(recipient) <= 254),
  subject text NOT NULL CHECK (char_length(subject) <= 200),
  body text NOT NULL CHECK (char_length(body) <= 20000),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Row-level security: identity tables belong to the identity scope alone.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'users', 'user_passwords', 'account_setup_tokens', 'second_factors', 'recovery_codes', 'sessions',
    'sign_in_throttles', 'auth_challenges'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (app_scope() = ''identity'') WITH CHECK (app_scope() = ''identity'')',
      t || '_identity_scope', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO diligence_app', t);
  END LOOP;
END
$$;

-- A tenant sees the people who are its members (to list and manage them), read-only.
CREATE POLICY users_tenant_members ON users FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_current_tenant()));

-- Memberships and invitations: the tenant's own rows; the identity scope reads a person's
-- memberships across tenants and marks invitations accepted.
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_isolation ON memberships
  USING (tenant_id = app_current_tenant())
  WITH CHECK (tenant_id = app_current_tenant());
-- Read-only: the identity scope writes a membership only from inside the tenant (withinTenant).
CREATE POLICY memberships_identity_read ON memberships FOR SELECT USING (app_scope() = 'identity');
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO diligence_app;

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_isolation ON invitations
  USING (tenant_id = app_current_tenant() OR app_scope() = 'identity')
  WITH CHECK (tenant_id = app_current_tenant() OR app_scope() = 'identity');
GRANT SELECT, INSERT, UPDATE ON invitations TO diligence_app;

-- The identity scope reads tenant names and status (to offer a person their tenants).
CREATE POLICY tenants_identity_read ON tenants FOR SELECT USING (app_scope() = 'identity');

ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY mail_outbox_platform ON mail_outbox
  USING (app_scope() = 'platform') WITH CHECK (app_scope() = 'platform');
GRANT SELECT, INSERT ON mail_outbox TO diligence_app;
