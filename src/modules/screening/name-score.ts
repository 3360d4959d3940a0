/**
 * Compares two normalised names token by token: every pair of tokens (and a token against two
 * joined ones, "alqaeda" ~ "al qaeda") is scored, the best non-overlapping pairs are taken, and the
 * score is how much of each name's weight those pairs cover. Order never matters ("Putin,
 * Vladimir" = "Vladimir Putin"); rare tokens weigh more than common ones when weights come from
 * the index.
 */
import type { NameToken, TokenRole } from './name-normalise.ts';
import { compareTokens, type TokenMethod } from './name-similarity.ts';

/** A token with the weight it carries in a comparison. */
export type WeightedToken = NameToken & { weight: number };

/** One aligned pair of a comparison, for the explanation. */
export type TokenPair = { query: string; candidate: string; score: number; method: TokenMethod };

/** The result of comparing two names. */
export type NameComparison = {
  score: number;
  pairs: TokenPair[];
  unmatchedQuery: string[];
  unmatchedCandidate: string[];
};

const ROLE_WEIGHT: Record<Exclude<TokenRole, 'name'>, number> = {
  particle: 0.3,
  initial: 0.3,
  legal_form: 0.1,
  number: 1,
};

/** The weight of a token: its role's fixed weight, or (for name words) `nameWeight` from rarity. */
export function tokenWeight(role: TokenRole, nameWeight = 1): number {
  return role === 'name' ? nameWeight : ROLE_WEIGHT[role];
}

/** Gives each token its role's weight (for comparisons outside an index, which has no rarity). */
export function withRoleWeights(tokens: NameToken[]): WeightedToken[] {
  return tokens.map((token) => ({ ...token, weight: tokenWeight(token.role) }));
}

// Sound-alike joins ("hn thir" ~ "naderi") are chance; a join must agree letter by letter, or
// (abjad) on a skeleton of four or more consonants ("lmsry" ~ "al masri").
function isStrongJoin(similarity: { score: number; method: string }, single: string): boolean {
  if (similarity.method === 'exact' || similarity.method === 'jaro_winkler') return similarity.score >= 0.9;
  return similarity.method === 'skeleton' && single.replace(/[aeiouyhw]/g, '').length >= 4;
}

type Option = { query: number[]; candidate: number[]; score: number; method: TokenMethod };

// Of the two names' coverages, the lower counts this much; the rest is the higher. A name that
// lacks a middle name the other has still scores high, two names sharing one word do not.
const LOWER_COVERAGE_SHARE = 0.4;
// A match resting on one word, where either name has more, is weak evidence however exact.
const SINGLE_WORD_CAP = 0.75;
// Joined words must be nearly equal to their pair (a skeleton match, 0.88, is enough).
const JOINED_MINIMUM = 0.88;

function isSubstantive(token: WeightedToken): boolean {
  return token.role === 'name' || token.role === 'number';
}

// Tokens that count towards "more than one word matched": an initial beside a surname does.
function countsAsWord(token: WeightedToken): boolean {
  return isSubstantive(token) || token.role === 'initial';
}

function collectOptions(query: WeightedToken[], candidate: WeightedToken[], isAbjad: boolean): Option[] {
  const options: Option[] = [];
  for (let i = 0; i < query.length; i++) {
    for (let j = 0; j < candidate.length; j++) {
      const similarity = compareTokens(query[i]!.text, candidate[j]!.text, isAbjad);
      if (similarity.score > 0) options.push({ query: [i], candidate: [j], ...similarity });
    }
  }
  // Joined and split words: one token against two adjacent ones written together.
  const addJoined = (singles: WeightedToken[], pairs: WeightedToken[], singleIsQuery: boolean) => {
    for (let i = 0; i < singles.length; i++) {
      const single = singles[i]!.text;
      if (single.length < 4) continue;
      for (let j = 0; j + 1 < pairs.length; j++) {
        const joined = pairs[j]!.text + pairs[j + 1]!.text;
        const similarity = compareTokens(single, joined, isAbjad);
        if (similarity.score < JOINED_MINIMUM || !isStrongJoin(similarity, single)) continue;
        const [q, c] = singleIsQuery ? [[i], [j, j + 1]] : [[j, j + 1], [i]];
        options.push({ query: q, candidate: c, score: similarity.score, method: 'joined' });
      }
    }
  };
  addJoined(query, candidate, true);
  addJoined(candidate, query, false);
  return options.sort(
    (a, b) =>
      b.score - a.score || b.query.length + b.candidate.length - (a.query.length + a.candidate.length),
  );
}

/** Compares a query name with a candidate name; both carry weights. */
export function compareNames(
  query: WeightedToken[],
  candidate: WeightedToken[],
  isAbjad = false,
): NameComparison {
  const usedQuery = new Uint8Array(query.length);
  const usedCandidate = new Uint8Array(candidate.length);
  const pairs: TokenPair[] = [];
  let coveredQuery = 0;
  let coveredCandidate = 0;
  let substantiveMatches = 0;
  for (const option of collectOptions(query, candidate, isAbjad)) {
    if (option.query.some((i) => usedQuery[i]) || option.candidate.some((j) => usedCandidate[j])) continue;
    for (const i of option.query) {
      usedQuery[i] = 1;
      coveredQuery += option.score * query[i]!.weight;
    }
    for (const j of option.candidate) {
      usedCandidate[j] = 1;
      coveredCandidate += option.score * candidate[j]!.weight;
    }
    const words = Math.max(
      option.query.filter((i) => countsAsWord(query[i]!)).length,
      option.candidate.filter((j) => countsAsWord(candidate[j]!)).length,
    );
    substantiveMatches += words;
    pairs.push({
      query: option.query.map((i) => query[i]!.text).join(' '),
      candidate: option.candidate.map((j) => candidate[j]!.text).join(' '),
      score: option.score,
      method: option.method,
    });
  }
  const totalQuery = query.reduce((sum, token) => sum + token.weight, 0);
  const totalCandidate = candidate.reduce((sum, token) => sum + token.weight, 0);
  const coverageQuery = totalQuery > 0 ? coveredQuery / totalQuery : 0;
  const coverageCandidate = totalCandidate > 0 ? coveredCandidate / totalCandidate : 0;
  const lower = Math.min(coverageQuery, coverageCandidate);
  const higher = Math.max(coverageQuery, coverageCandidate);
  let score = lower * LOWER_COVERAGE_SHARE + higher * (1 - LOWER_COVERAGE_SHARE);
  const longest = Math.max(query.filter(isSubstantive).length, candidate.filter(isSubstantive).length);
  if (substantiveMatches < 2 && longest >= 2) score = Math.min(score, SINGLE_WORD_CAP);
  return {
    score,
    pairs,
    unmatchedQuery: query.filter((_, i) => !usedQuery[i]).map((token) => token.text),
    unmatchedCandidate: candidate.filter((_, j) => !usedCandidate[j]).map((token) => token.text),
  };
}
