/** Routes for the firm's catalogue (client types, services, required documents), its country and industry tables, and the firm-wide risk assessment. */
import type { HttpServer } from '../../http/http-server.ts';
import type { RiskCatalogService } from './risk-catalog.service.ts';

/** Registers the routes. */
export function registerRiskCatalogRoutes(app: HttpServer, service: RiskCatalogService): void {
  void app;
  void service;
}
