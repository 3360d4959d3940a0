/** The risk module's public surface: the services, the routes, and the pure evaluation core. */
import type { SealedTable } from '../vault/index.ts';

export { createRiskModule, type RiskModule } from './risk.service.ts';
export { registerRiskRoutes } from './risk.routes.ts';
export {
  compileModel,
  ModelError,
  type CompiledModel,
  type ModelIssue,
  type Catalogue,
} from './risk-model.ts';
export { evaluate, InvalidFactsError, type EvaluationResult, type RuleTrace } from './risk-evaluate.ts';
export { buildCatalogue, BUILT_IN_VARIABLES } from './risk-variables.ts';
export type { ModelDefinition, RiskLevel, Disposition } from './risk-model.schema.ts';
export type { FactsRecord, Value } from './expression-compile.ts';

/** The risk module's sealed columns, for key rotation and re-encryption. */
export const RISK_SEALED_TABLES: SealedTable[] = [
  { table: 'risk_answer_sets', scope: 'tenant', columns: ['answers_sealed'] },
  { table: 'risk_overrides', scope: 'tenant', columns: ['reason_sealed'] },
];
