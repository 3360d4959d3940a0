/**
 * The risk module, composed: its catalogue and tables, questionnaires, models and clients' risk.
 * Each part is its own service; they share the database and the audit trail.
 */
import { createQuestionnairesService } from './questionnaires.service.ts';
import { createRiskCatalogService } from './risk-catalog.service.ts';
import { createRiskClientsService } from './risk-clients.service.ts';
import { createRiskContextLoader } from './risk-context.ts';
import type { RiskDeps } from './risk-deps.ts';
import { createRiskModelsService } from './risk-models.service.ts';

/** The risk module's services. */
export type RiskModule = ReturnType<typeof createRiskModule>;

/** Builds the risk module. */
export function createRiskModule(deps: RiskDeps) {
  // Wired to the catalogue and questionnaire queries once those parts land.
  const context = createRiskContextLoader({
    listClientTypes: async () => [],
    listServices: async () => [],
    listDocumentRequirements: async () => [],
    listCountryLevels: async () => [],
    listIndustryLevels: async () => [],
    publishedQuestionnaireVariables: async () => [],
    latestAnswerVariables: async () => new Map(),
  });
  return {
    catalog: createRiskCatalogService(deps),
    questionnaires: createQuestionnairesService(deps),
    models: createRiskModelsService(deps, context),
    clients: createRiskClientsService(deps, context),
  };
}
