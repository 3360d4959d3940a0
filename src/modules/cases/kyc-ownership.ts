/**
 * The ownership analysis of a checked client, pure glue: the client and its parties become the
 * graph's nodes, marked sanctioned where a sanctions hit on them was confirmed, and the analysis
 * (the clients module's, passed in) gives the facts and the 50 % rule's verdict on the client.
 */
import type { HitForFacts, OwnershipFactsInput } from './kyc-facts.ts';
import type { LoadedClient } from './kyc-pipeline.deps.ts';

/** The clients module's analysis, as the pipeline needs it. */
export type AnalyseOwnership = (input: {
  rootId: string;
  nodes: {
    id: string;
    kind: 'person' | 'entity';
    countryCode: string | null;
    isSanctioned: boolean;
    isPep?: boolean;
  }[];
  edges: { ownerId: string; ownedId: string; percent: number | null; role: never }[];
}) => { facts: Record<string, number | boolean | string[]>; isRootSanctioned: boolean };

/** The ownership facts of a client given its confirmed hits. */
export function ownershipFacts(
  client: LoadedClient,
  hits: readonly HitForFacts[],
  analyse: AnalyseOwnership,
): OwnershipFactsInput {
  const confirmed = (subjectId: string, topic: string) =>
    hits.some(
      (hit) => hit.subjectId === subjectId && hit.status === 'true_match' && hit.topics.includes(topic),
    );
  const country = (data: LoadedClient['data'] | LoadedClient['parties'][number]['data']) =>
    data.countryOfResidence ?? data.registrationCountry ?? data.nationalities?.[0] ?? null;
  const nodes = [
    {
      id: client.id,
      kind: client.kind,
      countryCode: country(client.data),
      isSanctioned: confirmed(client.id, 'sanction'),
      isPep: confirmed(client.id, 'pep'),
    },
    ...client.parties.map((party) => ({
      id: party.id,
      kind: party.kind,
      countryCode: party.countryCode ?? country(party.data),
      isSanctioned: confirmed(party.id, 'sanction'),
      isPep: confirmed(party.id, 'pep') || Boolean(party.data.pepDeclaration?.isPep),
    })),
  ];
  const edges = client.edges.map((edge) => ({ ...edge, role: edge.role as never }));
  const analysis = analyse({ rootId: client.id, nodes, edges });
  return { facts: analysis.facts, isRootSanctioned: analysis.isRootSanctioned };
}
