-- diligence_app is a server-wide role: an administrator or another Diligence database may have
-- created it before. Whatever created it, it must not be able to bypass row-level security.
-- (Changing those attributes needs a superuser, so the migration refuses instead of fixing.)
DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM pg_roles
    WHERE rolname = 'diligence_app' AND (rolsuper OR rolbypassrls OR rolcanlogin)
  ) THEN
    RAISE EXCEPTION 'Role diligence_app must not be a superuser, bypass row-level security or log in; correct it with ALTER ROLE, then migrate again';
  END IF;
END
$$;

-- The migrating role may also run the application (a single DATABASE_URL); every transaction
-- switches to diligence_app, which needs membership.
GRANT diligence_app TO CURRENT_USER;
