/** What the KYC pipeline is built from: narrow functions of the other modules, wired by the composition root. */
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TenantId, TenantScope } from '../../platform/db/scopes.ts';
import type { Schema } from '../../platform/db/schema.ts';
import type { AuditService } from '../audit/index.ts';
import type { CheckProvider } from '../checks/index.ts';
import type { Vault } from '../vault/index.ts';
import type { HitForFacts, OwnershipFactsInput, ProfileInput } from './kyc-facts.ts';
import type { MaterialEntityFields } from './hit-memory.ts';
import type { SubjectData, SubjectQuery } from './kyc-subjects.ts';

/** A client as the pipeline reads it: opened data, parties and ownership edges. */
export type LoadedClient = {
  id: string;
  kind: 'person' | 'entity';
  version: number;
  data: SubjectData & Parameters<typeof import('./kyc-facts.ts').buildProfile>[0];
  dataHash: Buffer;
  parties: {
    id: string;
    kind: 'person' | 'entity';
    data: SubjectData;
    dataHash: Buffer;
    countryCode: string | null;
  }[];
  edges: { ownerId: string; ownedId: string; role: string; percent: number | null }[];
};

/** One screening hit as the screening module returns it. */
export type ScreeningHitLike = {
  listId: string;
  sourceId: string;
  topics: string[];
  score: number;
  explanation: unknown;
};

/** The pipeline's dependencies. */
export type PipelineDeps = {
  db: Kysely<Schema>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  vault: Pick<Vault, 'keyring'>;
  loadClient(scope: TenantScope, clientId: string): Promise<LoadedClient>;
  screen(actor: Actor, queries: SubjectQuery[]): Promise<ScreeningHitLike[][]>;
  currentEntities(pairs: { listId: string; sourceId: string }[]): Promise<Map<string, MaterialEntityFields>>;
  providersFor(tenantId: TenantId, subject: { kind: 'person' | 'entity' }): CheckProvider[];
  analyseOwnership(client: LoadedClient, hits: readonly HitForFacts[]): OwnershipFactsInput | null;
  risk: {
    saveProfile(actor: Actor, clientId: string, input: ProfileInput): Promise<unknown>;
    evaluate(
      actor: Actor,
      clientId: string,
    ): Promise<{
      id: string;
      level: 'low' | 'medium' | 'high';
      disposition: 'auto_approve' | 'manual_review' | 'reject';
    }>;
  };
};
