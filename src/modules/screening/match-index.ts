/**
 * The in-memory screening index. Names are tokenised once; each distinct token is reachable by
 * itself, its phonetic codes, its single-deletion variants (one typo away) and its consonant
 * skeleton, and leads to the names that contain it. A query touches only the names that share a
 * (fuzzily) equal token with it, never the whole list; only the best of those are fully scored.
 */
import type { EntitySchema, ListedEntity } from './list-entity.ts';
import { isDistinctiveIdentifier, normaliseIdentifier } from './match-evidence.ts';
import { consonantSkeleton, normaliseName, type NameToken } from './name-normalise.ts';
import { abjadSkeletons, compareTokens, phoneticCodes } from './name-similarity.ts';

/** One entity of one list, as the index holds it. */
export type IndexedEntity = { listId: string; entity: ListedEntity };

/** One indexed name. */
export type IndexedName = {
  entity: number;
  full: string;
  quality: ListedEntity['names'][number]['quality'];
  tokens: NameToken[];
  tokenIds: number[];
};

/** A name the retrieval step found worth scoring, with how much of the query it shares. */
export type Candidate = { name: number; overlap: number };

// Typo keys (single deletions) only for words long enough that one typo leaves them recognisable.
const MIN_DELETION_LENGTH = 5;
// Retrieval keeps names sharing at least this share of the query's token weight, best first.
const MIN_OVERLAP_SHARE = 0.45;
const MAX_CANDIDATE_NAMES = 80;

function deletionVariants(token: string): string[] {
  const variants: string[] = [];
  for (let i = 0; i < token.length; i++) variants.push(token.slice(0, i) + token.slice(i + 1));
  return variants;
}

/** Builds and queries the index; build once per set of active list versions. */
export class MatchIndex {
  readonly entities: IndexedEntity[];
  readonly names: IndexedName[] = [];
  private readonly vocabulary = new Map<string, number>();
  private readonly vocabularyText: string[] = [];
  private readonly postings: number[][] = [];
  private readonly frequency: number[] = [];
  // Joined pairs ("al qaeda" -> "alqaeda") are found only when written joined, never by typo keys.
  private readonly isJoined: boolean[] = [];
  private readonly keys = new Map<string, number[]>();
  private readonly identifiers = new Map<string, number[]>();
  private readonly firstName: number[] = [];
  private logNames = 1;

  /** Builds the whole index at once (tests, the command line); workers build in slices instead. */
  constructor(entities: IndexedEntity[] = []) {
    this.entities = [];
    this.add(entities);
    this.finish();
  }

  /** Adds entities; call `finish` when all are in. Slices let a worker answer queries in between. */
  add(entities: IndexedEntity[]): void {
    for (const indexed of entities) {
      this.entities.push(indexed);
      this.addEntity(indexed, this.entities.length - 1);
    }
  }

  /** Computes the fuzzy keys of tokens added since the last call and the rarity weights. */
  finish(fromToken = this.keyedTokens, toToken = this.vocabularyText.length): void {
    this.logNames = Math.log(this.names.length + 1);
    for (let id = fromToken; id < toToken; id++) this.addKeys(this.vocabularyText[id]!, id);
    this.keyedTokens = Math.max(this.keyedTokens, toToken);
  }

  /** Tokens whose fuzzy keys are not computed yet (a worker finishes in slices). */
  get pendingTokens(): [number, number] {
    return [this.keyedTokens, this.vocabularyText.length];
  }

  private keyedTokens = 0;

  private addEntity({ entity }: IndexedEntity, entityNumber: number): void {
    this.firstName[entityNumber] = this.names.length;
    const seen = new Set<string>();
    for (const name of entity.names) {
      const { tokens } = normaliseName(name.full, entity.schema);
      const key = tokens.map((token) => token.text).join(' ');
      if (tokens.length === 0 || seen.has(key)) continue;
      seen.add(key);
      const nameNumber = this.names.length;
      const tokenIds = tokens.map((token) => this.addPosting(token.text, nameNumber, false));
      for (let i = 0; i + 1 < tokens.length; i++)
        this.addPosting(tokens[i]!.text + tokens[i + 1]!.text, nameNumber, true);
      this.names.push({ entity: entityNumber, full: name.full, quality: name.quality, tokens, tokenIds });
    }
    for (const identifier of entity.identifiers) {
      const normalised = normaliseIdentifier(identifier.value);
      if (!isDistinctiveIdentifier(normalised)) continue;
      const list = this.identifiers.get(normalised) ?? [];
      if (!list.includes(entityNumber)) list.push(entityNumber);
      this.identifiers.set(normalised, list);
    }
  }

  private addPosting(text: string, nameNumber: number, isJoined: boolean): number {
    let id = this.vocabulary.get(text);
    if (id === undefined) {
      id = this.vocabularyText.length;
      this.vocabulary.set(text, id);
      this.vocabularyText.push(text);
      this.postings.push([]);
      this.frequency.push(0);
      this.isJoined.push(isJoined);
    } else if (!isJoined) {
      this.isJoined[id] = false;
    }
    const list = this.postings[id]!;
    if (list[list.length - 1] !== nameNumber) {
      list.push(nameNumber);
      this.frequency[id]!++;
    }
    return id;
  }

  private addKey(key: string, id: number): void {
    const list = this.keys.get(key);
    if (!list) this.keys.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  }

  private addKeys(text: string, id: number): void {
    if (/^\d+$/.test(text) || text.length < 2 || this.isJoined[id]) return;
    const [primary, secondary] = phoneticCodes(text);
    if (primary.length > 1) this.addKey(`p:${primary}`, id);
    if (secondary.length > 1 && secondary !== primary) this.addKey(`p:${secondary}`, id);
    const skeleton = consonantSkeleton(text);
    if (skeleton.length > 1) this.addKey(`s:${skeleton}`, id);
    if (text.length >= MIN_DELETION_LENGTH) {
      this.addKey(`d:${text}`, id);
      for (const variant of deletionVariants(text)) this.addKey(`d:${variant}`, id);
    }
  }

  /** How much a name word weighs: rare words (low document frequency) up to 1, common ones down to 0.35. */
  rarity(text: string): number {
    const id = this.vocabulary.get(text);
    if (id === undefined) return 1;
    const inverse = Math.log((this.names.length + 1) / (this.frequency[id]! + 1)) / this.logNames;
    return 0.35 + 0.65 * Math.max(0, Math.min(1, inverse));
  }

  private similarTokens(text: string, isAbjad: boolean): number[] {
    const found = new Set<number>();
    const exact = this.vocabulary.get(text);
    if (exact !== undefined) found.add(exact);
    const addAll = (key: string) => this.keys.get(key)?.forEach((id) => found.add(id));
    if (!/^\d+$/.test(text) && text.length > 1) {
      const [primary, secondary] = phoneticCodes(text);
      if (primary.length > 1) addAll(`p:${primary}`);
      if (secondary.length > 1 && secondary !== primary) addAll(`p:${secondary}`);
      if (isAbjad) abjadSkeletons(text).forEach((skeleton) => addAll(`s:${skeleton}`));
      // A four-letter word may be a five-letter listed word missing a letter ("najb" for "najib").
      if (text.length >= MIN_DELETION_LENGTH - 1) addAll(`d:${text}`);
      if (text.length >= MIN_DELETION_LENGTH) {
        for (const variant of deletionVariants(text)) addAll(`d:${variant}`);
      }
    }
    return [...found];
  }

  /** The names worth scoring for these query tokens, most overlapping first. */
  findCandidates(tokens: NameToken[], isAbjad: boolean): Candidate[] {
    const overlap = new Map<number, number>();
    let totalWeight = 0;
    const probes: { text: string; weight: number }[] = [];
    for (const token of tokens) {
      if (token.role !== 'name' && token.role !== 'number') continue;
      const weight = this.rarity(token.text);
      totalWeight += weight;
      probes.push({ text: token.text, weight });
    }
    // A query word written as two ("al qaeda" for "alqaeda") is probed joined as well.
    for (let i = 0; i + 1 < tokens.length; i++) {
      const [first, second] = [tokens[i]!, tokens[i + 1]!];
      const weight = (this.rarity(first.text) + this.rarity(second.text)) / 2;
      probes.push({ text: first.text + second.text, weight });
    }
    for (const probe of probes) {
      const best = new Map<number, number>();
      for (const id of this.similarTokens(probe.text, isAbjad)) {
        const similarity = compareTokens(probe.text, this.vocabularyText[id]!, isAbjad).score;
        if (similarity === 0) continue;
        for (const name of this.postings[id]!) {
          if ((best.get(name) ?? 0) < similarity) best.set(name, similarity);
        }
      }
      for (const [name, similarity] of best) {
        overlap.set(name, (overlap.get(name) ?? 0) + similarity * probe.weight);
      }
    }
    const minimum = totalWeight * MIN_OVERLAP_SHARE;
    const candidates: Candidate[] = [];
    for (const [name, value] of overlap) if (value >= minimum) candidates.push({ name, overlap: value });
    candidates.sort((a, b) => b.overlap - a.overlap);
    return candidates.slice(0, MAX_CANDIDATE_NAMES);
  }

  /** The number of an entity's first (primary) name. */
  primaryNameOf(entityNumber: number): number {
    return this.firstName[entityNumber]!;
  }

  /** Entities carrying this identifier (normalised), for the decisive identifier match. */
  findByIdentifier(value: string): number[] {
    const normalised = normaliseIdentifier(value);
    return isDistinctiveIdentifier(normalised) ? (this.identifiers.get(normalised) ?? []) : [];
  }

  /** Figures for status and benchmarks. */
  stats(): { entities: number; names: number; tokens: number; keys: number } {
    return {
      entities: this.entities.length,
      names: this.names.length,
      tokens: this.vocabularyText.length,
      keys: this.keys.size,
    };
  }
}

/** True when an entity of `schema` can be what a query of `wanted` schema looks for. */
export function isSchemaCompatible(wanted: EntitySchema | undefined, schema: EntitySchema): boolean {
  return !wanted || wanted === 'unknown' || schema === 'unknown' || wanted === schema;
}
