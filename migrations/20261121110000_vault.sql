-- Personal data at rest: envelope encryption keys, key rotation progress, encrypted documents,
-- and sealed (encrypted) columns for the personal data stored so far.
--
-- Key hierarchy: a key-encryption key (KEK) lives outside the database (key file or KMS); each
-- keyring (one per tenant; the nil UUID for people and platform mail) holds data keys wrapped by
-- a KEK. A dump of this database therefore holds only ciphertext and wrapped keys.

-- The KEKs the database has data under; the canary proves at start that a provider's key is this one.
CREATE TABLE vault_key_encryption_keys (
  id text PRIMARY KEY CHECK (id ~ '^kek-[a-z0-9-]{1,60}$'),
  canary bytea NOT NULL CHECK (octet_length(canary) <= 200),
  state text NOT NULL CHECK (state IN ('active', 'decrypt_only', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE UNIQUE INDEX vault_key_encryption_keys_one_active ON vault_key_encryption_keys ((true))
  WHERE state = 'active';

-- One keyring per tenant: which version of its field key new writes use, and whether it was shredded.
CREATE TABLE vault_keyrings (
  tenant_id uuid PRIMARY KEY,
  active_version integer NOT NULL CHECK (active_version > 0),
  shredded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Data keys, wrapped by a KEK and bound (as associated data) to tenant, purpose and version.
CREATE TABLE vault_data_keys (
  tenant_id uuid NOT NULL REFERENCES vault_keyrings (tenant_id),
  purpose text NOT NULL CHECK (purpose IN ('fields', 'blind_index')),
  version integer NOT NULL CHECK (version > 0),
  kek_id text NOT NULL REFERENCES vault_key_encryption_keys (id),
  wrapped_key bytea CHECK (octet_length(wrapped_key) <= 200),
  state text NOT NULL CHECK (state IN ('active', 'decrypt_only', 'retired', 'shredded')),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz,
  PRIMARY KEY (tenant_id, purpose, version),
  -- A retired or shredded key keeps its row (for the record) but not its material.
  CHECK ((state IN ('retired', 'shredded')) = (wrapped_key IS NULL))
);
CREATE INDEX vault_data_keys_by_kek ON vault_data_keys (kek_id) WHERE wrapped_key IS NOT NULL;

-- Re-encryption after a data-key rotation: one resumable pass per keyring.
CREATE TABLE vault_reencryptions (
  tenant_id uuid PRIMARY KEY REFERENCES vault_keyrings (tenant_id),
  target_version integer NOT NULL CHECK (target_version > 0),
  -- running: walking the tables; finishing: walk ended, checking nothing is left, then retiring.
  state text NOT NULL CHECK (state IN ('running', 'finishing', 'done')),
  current_table text CHECK (char_length(current_table) <= 63),
  after_row_id uuid,
  rows_rewritten bigint NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz
);

-- Encrypted documents: the bytes are in document storage; each has its own key, sealed here
-- under the tenant's field key (a rotation re-seals these small keys, not the documents).
CREATE TABLE vault_documents (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  key_sealed bytea NOT NULL CHECK (octet_length(key_sealed) <= 200),
  media_type text NOT NULL CHECK (char_length(media_type) <= 100),
  byte_size bigint NOT NULL CHECK (byte_size >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['vault_keyrings', 'vault_data_keys', 'vault_reencryptions', 'vault_documents'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    -- The platform scope is the key custodian: it re-wraps every keyring's data keys under a new
    -- KEK. Wrapped keys are useless without the KEK, which the database never holds.
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (tenant_id = app_current_tenant() OR app_is_platform_scope()) '
      'WITH CHECK (tenant_id = app_current_tenant() OR app_is_platform_scope())',
      t || '_isolation', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO diligence_app', t);
  END LOOP;
END
$$;
GRANT DELETE ON vault_documents TO diligence_app;

-- The shared keyring (nil UUID) seals people's own data (their email, their TOTP secret). A tenant
-- scope may read its keys to show its members' emails: row-level security on `users` still hides
-- every person who is not a member, so the key opens nothing else there.
CREATE POLICY vault_keyrings_shared_read ON vault_keyrings FOR SELECT
  USING (tenant_id = '00000000-0000-0000-0000-000000000000'::uuid);
CREATE POLICY vault_data_keys_shared_read ON vault_data_keys FOR SELECT
  USING (tenant_id = '00000000-0000-0000-0000-000000000000'::uuid);

ALTER TABLE vault_key_encryption_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE vault_key_encryption_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY vault_key_encryption_keys_platform ON vault_key_encryption_keys
  USING (app_is_platform_scope()) WITH CHECK (app_is_platform_scope());
-- Every scope reads which KEK is active (ids, states and canaries; no key material), so a new
-- keyring is always wrapped under the KEK the database names, never a process's stale idea of it.
CREATE POLICY vault_key_encryption_keys_read ON vault_key_encryption_keys FOR SELECT USING (true);
GRANT SELECT, INSERT, UPDATE ON vault_key_encryption_keys TO diligence_app;

-- Sealed columns. The plaintext columns stay (nullable) only so that rows written before this
-- migration can be sealed at the next start; new rows never fill them.
ALTER TABLE users
  ALTER COLUMN email DROP NOT NULL,
  ADD COLUMN email_sealed bytea,
  ADD COLUMN email_index bytea UNIQUE CHECK (octet_length(email_index) = 32),
  ADD CONSTRAINT users_email_present CHECK (email IS NOT NULL OR (email_sealed IS NOT NULL AND email_index IS NOT NULL));

ALTER TABLE invitations
  ALTER COLUMN email DROP NOT NULL,
  ADD COLUMN email_sealed bytea,
  ADD COLUMN email_index bytea CHECK (octet_length(email_index) = 32),
  ADD CONSTRAINT invitations_email_present
    CHECK (email IS NOT NULL OR (email_sealed IS NOT NULL AND email_index IS NOT NULL));
CREATE INDEX invitations_by_email_index ON invitations (tenant_id, email_index);

ALTER TABLE second_factors
  ADD COLUMN totp_secret_sealed bytea,
  DROP CONSTRAINT second_factors_check,
  ADD CONSTRAINT second_factors_totp_secret_present
    CHECK (kind <> 'totp' OR totp_secret IS NOT NULL OR totp_secret_sealed IS NOT NULL);

ALTER TABLE mail_outbox
  ALTER COLUMN recipient DROP NOT NULL,
  ALTER COLUMN subject DROP NOT NULL,
  ALTER COLUMN body DROP NOT NULL,
  ADD COLUMN message_sealed bytea,
  ADD CONSTRAINT mail_outbox_message_present CHECK (body IS NOT NULL OR message_sealed IS NOT NULL);
-- Sealing outbox rows written before this migration updates them once.
GRANT UPDATE ON mail_outbox TO diligence_app;
