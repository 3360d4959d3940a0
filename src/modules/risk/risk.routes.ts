/** Registers every route of the risk module (under `/v1/risk`). */
import type { HttpServer } from '../../http/http-server.ts';
import { registerQuestionnairesRoutes } from './questionnaires.routes.ts';
import { registerRiskCatalogRoutes } from './risk-catalog.routes.ts';
import { registerRiskClientsRoutes } from './risk-clients.routes.ts';
import { registerRiskModelsRoutes } from './risk-models.routes.ts';
import type { RiskModule } from './risk.service.ts';

/** Registers the risk routes. */
export function registerRiskRoutes(app: HttpServer, risk: RiskModule): void {
  registerRiskCatalogRoutes(app, risk.catalog);
  registerQuestionnairesRoutes(app, risk.questionnaires);
  registerRiskModelsRoutes(app, risk.models);
  registerRiskClientsRoutes(app, risk.clients);
}
