/** Routes for risk models, their four-eyes publication and dry runs. */
import type { HttpServer } from '../../http/http-server.ts';
import type { RiskModelsService } from './risk-models.service.ts';

/** Registers the routes. */
export function registerRiskModelsRoutes(app: HttpServer, service: RiskModelsService): void {
  void app;
  void service;
}
