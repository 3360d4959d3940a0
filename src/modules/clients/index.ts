/** The clients module's public surface: client data, its validation, and ownership analysis. */
import type { SealedTable } from '../vault/index.ts';

export { analyseOwnership, checkOwnership } from './ownership-graph.ts';
export { validateClient } from './client-validation.ts';
export { checkDocumentNumber, checkRegistrationNumber } from './registration-numbers.ts';

/** The clients module's sealed columns, for key rotation and re-encryption. */
export const CLIENTS_SEALED_TABLES: SealedTable[] = [
  { table: 'clients', scope: 'tenant', columns: ['data_sealed'] },
  { table: 'client_parties', scope: 'tenant', columns: ['data_sealed'] },
];
