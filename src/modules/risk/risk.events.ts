/** Audit actions of the risk module (codes, ids, levels and counts only: never a client's data). */
export type RiskAuditAction =
  // The catalogue and tables.
  | 'risk.client_type_saved'
  | 'risk.service_saved'
  | 'risk.document_requirement_saved'
  | 'risk.country_level_changed'
  | 'risk.industry_level_changed'
  | 'risk.defaults_installed'
  // Questionnaires.
  | 'risk.questionnaire_drafted'
  | 'risk.questionnaire_published'
  | 'risk.answers_submitted'
  // Models and their four-eyes publication.
  | 'risk.model_drafted'
  | 'risk.model_submitted'
  | 'risk.model_approved'
  | 'risk.model_rejected'
  | 'risk.model_dry_run'
  // Clients.
  | 'risk.profile_saved'
  | 'risk.document_status_changed'
  | 'risk.client_evaluated'
  | 'risk.override_set'
  | 'risk.override_revoked'
  // The firm-wide risk assessment.
  | 'risk.assessment_saved'
  | 'risk.assessment_signed';
