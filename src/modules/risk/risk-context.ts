/**
 * What evaluating a client needs besides its own rows: the tenant's variable catalogue and its
 * tables, loaded in one go, and the latest answers to questionnaires. The other parts of the
 * module provide the queries; this joins them.
 */
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { Value } from './expression-compile.ts';
import type {
  ClientTypeInput,
  CountryLevelInput,
  DocumentRequirementInput,
  IndustryLevelInput,
  ServiceInput,
} from './risk-catalog.types.ts';
import { indexTables, type RiskTables } from './risk-facts.ts';
import type { Catalogue } from './risk-model.ts';
import { buildCatalogue, type VariableSpec } from './risk-variables.ts';

/** The queries the context is built from. */
export type RiskContextQueries = {
  listClientTypes(scope: TenantScope): Promise<(ClientTypeInput & { isArchived?: boolean })[]>;
  listServices(scope: TenantScope): Promise<(ServiceInput & { isArchived?: boolean })[]>;
  listDocumentRequirements(
    scope: TenantScope,
  ): Promise<(DocumentRequirementInput & { isArchived?: boolean })[]>;
  listCountryLevels(scope: TenantScope): Promise<CountryLevelInput[]>;
  listIndustryLevels(scope: TenantScope): Promise<IndustryLevelInput[]>;
  publishedQuestionnaireVariables(scope: TenantScope): Promise<VariableSpec[]>;
  latestAnswerVariables(
    scope: TenantScope,
    clientIds?: string[],
  ): Promise<Map<string, Record<string, Value>>>;
};

/** The catalogue and tables of one tenant, as of one transaction. */
export type RiskContext = { catalogue: Catalogue; tables: RiskTables };

/** Loads a tenant's context, and clients' latest answers. */
export type RiskContextLoader = {
  load(scope: TenantScope): Promise<RiskContext>;
  answers(scope: TenantScope, clientIds?: string[]): Promise<Map<string, Record<string, Value>>>;
};

/** Builds the loader over the module's queries. */
export function createRiskContextLoader(queries: RiskContextQueries): RiskContextLoader {
  return {
    async load(scope) {
      const [clientTypes, services, documentRequirements, countries, industries, answers] = await Promise.all(
        [
          queries.listClientTypes(scope),
          queries.listServices(scope),
          queries.listDocumentRequirements(scope),
          queries.listCountryLevels(scope),
          queries.listIndustryLevels(scope),
          queries.publishedQuestionnaireVariables(scope),
        ],
      );
      // Archived entries stay in the tables (old clients still use them) but offer no new option.
      const active = <T extends { isArchived?: boolean }>(list: T[]) =>
        list.filter((entry) => !entry.isArchived);
      const catalogue = buildCatalogue({
        clientTypes: clientTypes.map((type) => type.code),
        services: services.map((service) => service.code),
        answers,
      });
      return {
        catalogue,
        tables: indexTables({
          clientTypes,
          services,
          countries,
          industries,
          documentRequirements: active(documentRequirements),
        }),
      };
    },
    answers: (scope, clientIds) => queries.latestAnswerVariables(scope, clientIds),
  };
}
