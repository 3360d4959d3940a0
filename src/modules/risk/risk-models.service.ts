/** The service for risk models, their four-eyes publication and dry runs. */
import type { RiskDeps } from './risk-deps.ts';

/** The risk models service. */
export type RiskModelsService = ReturnType<typeof createRiskModelsService>;

/** Builds the service. */
export function createRiskModelsService(deps: RiskDeps) {
  void deps;
  return {};
}
