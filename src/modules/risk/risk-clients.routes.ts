/** Routes for clients' risk profiles, documents, evaluations and overrides. */
import type { HttpServer } from '../../http/http-server.ts';
import type { RiskClientsService } from './risk-clients.service.ts';

/** Registers the routes. */
export function registerRiskClientsRoutes(app: HttpServer, service: RiskClientsService): void {
  void app;
  void service;
}
