/** The clients module's public surface: the service and routes, client data, its validation, and ownership analysis. */
import type { SealedTable } from '../vault/index.ts';

export {
  createClientsService,
  type ClientChange,
  type ClientForChecks,
  type ClientsDeps,
  type ClientsService,
} from './clients.service.ts';
export { registerClientsRoutes } from './clients.routes.ts';
export type { ClientData } from './client-data.schemas.ts';
export type { PartyData } from './clients.schemas.ts';
export { analyseOwnership, checkOwnership } from './ownership-graph.ts';
export { validateClient } from './client-validation.ts';
export { checkDocumentNumber, checkRegistrationNumber } from './registration-numbers.ts';

/** The clients module's sealed columns, for key rotation and re-encryption. */
export const CLIENTS_SEALED_TABLES: SealedTable[] = [
  { table: 'clients', scope: 'tenant', columns: ['data_sealed'] },
  { table: 'client_parties', scope: 'tenant', columns: ['data_sealed'] },
];
