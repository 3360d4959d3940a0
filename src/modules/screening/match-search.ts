/**
 * One screening query against the index: retrieve candidate names, score each against the query
 * name, weigh the secondary evidence, and explain every hit that passes the threshold.
 */
import type { EntitySchema, EntityTopic, ListedEntity, NameQuality } from './list-entity.ts';
import { weighEvidence, type Evidence, type QueryEvidence } from './match-evidence.ts';
import { isSchemaCompatible, type MatchIndex } from './match-index.ts';
import { normaliseName, type NormalisedName } from './name-normalise.ts';
import { compareNames, tokenWeight, type TokenPair, type WeightedToken } from './name-score.ts';

/** What is screened. */
export type ScreeningQuery = QueryEvidence & { name: string; schema?: EntitySchema };

/** How a search runs. */
export type SearchOptions = {
  /** Hits scoring below this are not returned (0–1). */
  threshold: number;
  limit: number;
  /** Only these lists (ids); all when absent. */
  lists?: string[];
};

/** Why a hit was returned: the matched name variant, per-feature scores, and the sum. */
export type HitExplanation = {
  matchedName: string;
  nameQuality: NameQuality;
  nameScore: number;
  tokens: TokenPair[];
  unmatchedQueryTokens: string[];
  unmatchedListTokens: string[];
  birthDate: Evidence['birthDate'];
  country: Evidence['country'];
  identifier: Evidence['identifier'];
  threshold: number;
  summary: string;
};

/** One list entity the query may be. */
export type ScreeningHit = {
  listId: string;
  sourceId: string;
  schema: EntitySchema;
  topics: EntityTopic[];
  primaryName: string;
  score: number;
  explanation: HitExplanation;
};

// Weak aliases (short, generic) identify less: their name score is discounted.
const WEAK_ALIAS_FACTOR = 0.9;

const round = (value: number) => Math.round(value * 1000) / 1000;

function describe(
  name: { score: number; tokens: TokenPair[] },
  evidence: Evidence,
  score: number,
  threshold: number,
): string {
  if (evidence.identifier) {
    return `identifier ${evidence.identifier.type} ${evidence.identifier.value} matches: decisive (score 1)`;
  }
  const tokens = name.tokens.map((pair) =>
    pair.method === 'exact'
      ? `"${pair.query}" exact`
      : `"${pair.query}"~"${pair.candidate}" ${pair.method} ${round(pair.score)}`,
  );
  const parts = [`name ${round(name.score)} (${tokens.join('; ') || 'no token matched'})`];
  const signed = (value: number) => (value >= 0 ? `+${value}` : `${value}`);
  if (evidence.birthDate.outcome !== 'not_compared') {
    parts.push(
      `birth date ${evidence.birthDate.outcome.replaceAll('_', ' ')} (${signed(evidence.birthDate.adjustment)})`,
    );
  }
  if (evidence.country.outcome !== 'not_compared') {
    parts.push(`country ${evidence.country.outcome} (${signed(evidence.country.adjustment)})`);
  }
  const verdict = score >= threshold ? '≥' : '<';
  return `${parts.join(', ')} → ${round(score)} ${verdict} threshold ${threshold}`;
}

function weighTokens(index: MatchIndex, tokens: ReturnType<typeof normaliseName>['tokens']): WeightedToken[] {
  return tokens.map((token) => ({ ...token, weight: tokenWeight(token.role, index.rarity(token.text)) }));
}

// No real name has more words than this; a query with more (repeated words, emoji that expand
// under NFKC) would only multiply the work, so the rest is ignored.
const MAX_QUERY_TOKENS = 12;

function limitTokens(name: NormalisedName): NormalisedName {
  const seen = new Set<string>();
  const tokens = name.tokens.filter((token) => !seen.has(token.text) && seen.add(token.text));
  return { ...name, tokens: tokens.slice(0, MAX_QUERY_TOKENS) };
}

type Best = { name: number; comparison: ReturnType<typeof compareNames>; nameScore: number };

/** Screens one query; hits sorted by score, best first. */
export function searchIndex(
  index: MatchIndex,
  query: ScreeningQuery,
  options: SearchOptions,
): ScreeningHit[] {
  const normalised = limitTokens(normaliseName(query.name, query.schema));
  const queryTokens = weighTokens(index, normalised.tokens);
  const bestByEntity = new Map<number, Best>();
  const allowedLists = options.lists ? new Set(options.lists) : null;
  const isWanted = (entityNumber: number) => {
    const { listId, entity } = index.entities[entityNumber]!;
    return (!allowedLists || allowedLists.has(listId)) && isSchemaCompatible(query.schema, entity.schema);
  };
  for (const candidate of index.findCandidates(normalised.tokens, normalised.isAbjad)) {
    const name = index.names[candidate.name]!;
    if (!isWanted(name.entity)) continue;
    const comparison = compareNames(queryTokens, weighTokens(index, name.tokens), normalised.isAbjad);
    const nameScore = comparison.score * (name.quality === 'weak' ? WEAK_ALIAS_FACTOR : 1);
    const previous = bestByEntity.get(name.entity);
    if (!previous || previous.nameScore < nameScore)
      bestByEntity.set(name.entity, { name: candidate.name, comparison, nameScore });
  }
  // An identifier match is decisive, whatever the name: add those entities even if no name matched.
  for (const identifier of query.identifiers ?? []) {
    for (const entityNumber of index.findByIdentifier(identifier.value)) {
      if (bestByEntity.has(entityNumber) || !isWanted(entityNumber)) continue;
      const nameNumber = index.primaryNameOf(entityNumber);
      const name = index.names[nameNumber];
      if (name?.entity !== entityNumber) continue;
      const comparison = compareNames(queryTokens, weighTokens(index, name.tokens), normalised.isAbjad);
      bestByEntity.set(entityNumber, { name: nameNumber, comparison, nameScore: comparison.score });
    }
  }
  const hits: ScreeningHit[] = [];
  for (const [entityNumber, best] of bestByEntity) {
    const { listId, entity } = index.entities[entityNumber]!;
    const hit = toHit(listId, entity, index.names[best.name]!, best, query, options.threshold);
    if (hit.score >= options.threshold) hits.push(hit);
  }
  hits.sort(
    (a, b) => b.score - a.score || a.listId.localeCompare(b.listId) || a.sourceId.localeCompare(b.sourceId),
  );
  return hits.slice(0, options.limit);
}

function toHit(
  listId: string,
  entity: ListedEntity,
  name: MatchIndex['names'][number],
  best: Best,
  query: ScreeningQuery,
  threshold: number,
): ScreeningHit {
  const evidence = weighEvidence(query, entity);
  const adjusted = best.nameScore + evidence.birthDate.adjustment + evidence.country.adjustment;
  const score = evidence.identifier ? 1 : Math.max(0, Math.min(1, adjusted));
  return {
    listId,
    sourceId: entity.sourceId,
    schema: entity.schema,
    topics: entity.topics,
    primaryName: entity.names[0]!.full,
    score: round(score),
    explanation: {
      matchedName: name.full,
      nameQuality: name.quality,
      nameScore: round(best.nameScore),
      tokens: best.comparison.pairs.map((pair) => ({ ...pair, score: round(pair.score) })),
      unmatchedQueryTokens: best.comparison.unmatchedQuery,
      unmatchedListTokens: best.comparison.unmatchedCandidate,
      birthDate: evidence.birthDate,
      country: evidence.country,
      identifier: evidence.identifier,
      threshold,
      summary: describe({ score: best.nameScore, tokens: best.comparison.pairs }, evidence, score, threshold),
    },
  };
}
