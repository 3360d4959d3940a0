/** Audit actions of the screening module (counts and ids only: never a screened name). */
export type ScreeningAuditAction =
  'screening.list_imported' | 'screening.searched' | 'screening.threshold_changed';
