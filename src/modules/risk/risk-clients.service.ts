/** The service for clients' risk profiles, documents, evaluations and overrides. */
import type { RiskDeps } from './risk-deps.ts';

/** The clients' risk profiles service. */
export type RiskClientsService = ReturnType<typeof createRiskClientsService>;

/** Builds the service. */
export function createRiskClientsService(deps: RiskDeps) {
  void deps;
  return {};
}
