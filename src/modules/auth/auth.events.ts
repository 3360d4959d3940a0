/** Audit actions of the auth module: the security events of sign-in (platform chain, ids only). */
export type AuthAuditAction =
  | 'auth.signed_in'
  | 'auth.sign_in_failed'
  | 'auth.account_locked'
  | 'auth.account_unlocked'
  | 'auth.account_created'
  | 'auth.account_set_up'
  | 'auth.invitation_accepted'
  | 'auth.stepped_up'
  | 'auth.factor_added'
  | 'auth.factor_removed'
  | 'auth.recovery_code_used'
  | 'auth.recovery_codes_regenerated'
  | 'auth.password_changed'
  | 'auth.session_revoked'
  | 'auth.signed_out'
  | 'auth.tenant_selected';
