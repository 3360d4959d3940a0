/**
 * The risk module, composed: its catalogue and tables, questionnaires, models and clients' risk.
 * Each part is its own service; they share the database and the audit trail, and evaluation reads
 * the catalogue and answers through one context loader.
 */
import type { TenantId } from '../../platform/db/scopes.ts';
import {
  DEFAULT_CLIENT_TYPES,
  DEFAULT_DOCUMENT_REQUIREMENTS,
  DEFAULT_SERVICES,
} from './defaults/default-catalog.ts';
import { DEFAULT_COUNTRY_LEVELS } from './defaults/default-countries.ts';
import { DEFAULT_INDUSTRY_LEVELS } from './defaults/default-industries.ts';
import { defaultModelDefinition } from './defaults/default-model.ts';
import { DEFAULT_QUESTIONNAIRES } from './defaults/default-questionnaire.ts';
import {
  installQuestionnaireDefaults,
  latestAnswerVariables,
  publishedQuestionnaireVariables,
} from './questionnaires.repo.ts';
import { createQuestionnairesService } from './questionnaires.service.ts';
import {
  installCatalogDefaults,
  listClientTypes,
  listDocumentRequirements,
  listServices,
} from './risk-catalog.repo.ts';
import { createRiskCatalogService } from './risk-catalog.service.ts';
import { createRiskClientsService } from './risk-clients.service.ts';
import { createRiskContextLoader } from './risk-context.ts';
import { installMissingDefaults, installTenantDefaults, type DefaultInstallers } from './risk-defaults.ts';
import type { RiskDeps } from './risk-deps.ts';
import { createRiskModelsService } from './risk-models.service.ts';
import { listCountryLevels, listIndustryLevels } from './risk-tables.repo.ts';

/** The risk module's services. */
export type RiskModule = ReturnType<typeof createRiskModule>;

/** Builds the risk module. */
export function createRiskModule(deps: RiskDeps) {
  const context = createRiskContextLoader({
    listClientTypes: (scope) => listClientTypes(scope),
    listServices: (scope) => listServices(scope),
    listDocumentRequirements: (scope) => listDocumentRequirements(scope),
    listCountryLevels,
    listIndustryLevels,
    publishedQuestionnaireVariables,
    latestAnswerVariables,
  });
  const models = createRiskModelsService(deps, context);
  const installers: DefaultInstallers = {
    catalog: (scope, at) =>
      installCatalogDefaults(
        scope,
        {
          clientTypes: DEFAULT_CLIENT_TYPES,
          services: DEFAULT_SERVICES,
          documentRequirements: DEFAULT_DOCUMENT_REQUIREMENTS,
          countries: DEFAULT_COUNTRY_LEVELS,
          industries: DEFAULT_INDUSTRY_LEVELS,
        },
        at,
      ),
    questionnaires: (scope, at) => installQuestionnaireDefaults(scope, [...DEFAULT_QUESTIONNAIRES], at),
    model: (scope) => models.installDefault(scope, defaultModelDefinition()),
  };
  return {
    catalog: createRiskCatalogService(deps),
    questionnaires: createQuestionnairesService(deps),
    models,
    clients: createRiskClientsService(deps, context),
    /** Gives a new tenant the default catalogue, tables, questionnaire and model. */
    installDefaults: (tenantId: TenantId) =>
      installTenantDefaults(deps.db, deps.audit, installers, tenantId, deps.clock.now()),
    /** Gives every tenant that has none the defaults (run at start). */
    installMissingDefaults: () => installMissingDefaults(deps.db, deps.audit, installers, deps.clock.now()),
  };
}
