/** The service for questionnaires, their versions and clients' answer sets. */
import type { RiskDeps } from './risk-deps.ts';

/** The questionnaires service. */
export type QuestionnairesService = ReturnType<typeof createQuestionnairesService>;

/** Builds the service. */
export function createQuestionnairesService(deps: RiskDeps) {
  void deps;
  return {};
}
