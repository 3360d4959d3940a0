/** The service for the firm's catalogue (client types, services, required documents), its country and industry tables, and the firm-wide risk assessment. */
import type { RiskDeps } from './risk-deps.ts';

/** The the firm's catalogue (client types service. */
export type RiskCatalogService = ReturnType<typeof createRiskCatalogService>;

/** Builds the service. */
export function createRiskCatalogService(deps: RiskDeps) {
  void deps;
  return {};
}
