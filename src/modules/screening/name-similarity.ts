/**
 * Token similarity: Jaro-Winkler on the letters, with phonetic (Double Metaphone) and consonant-
 * skeleton equality as second opinions, initials matching the token they abbreviate, and numbers
 * that must be equal (a vessel "Ocean 1" is not "Ocean 2").
 */
import { doubleMetaphone } from 'double-metaphone';
import { consonantSkeleton } from './name-normalise.ts';

/** How two tokens were found alike (part of every hit's explanation). */
export type TokenMethod = 'exact' | 'jaro_winkler' | 'phonetic' | 'skeleton' | 'initial' | 'joined';

/** A similarity and how it was reached. */
export type TokenSimilarity = { score: number; method: TokenMethod };

/** Below this, two tokens count as different. */
export const TOKEN_FLOOR = 0.8;
const PHONETIC_SCORE = 0.88;
const SKELETON_SCORE = 0.88;
const INITIAL_SCORE = 0.9;
const PHONETIC_MIN_LETTERS = 0.7;
const NONE: TokenSimilarity = { score: 0, method: 'jaro_winkler' };

// Reused across calls: the matcher compares many short tokens and the baseline whole names.
let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

/** Jaro-Winkler similarity of two strings (prefix scale 0.1, prefix up to 4). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  if (lengthA > matchedA.length) matchedA = new Uint8Array(lengthA * 2);
  if (lengthB > matchedB.length) matchedB = new Uint8Array(lengthB * 2);
  matchedA.fill(0, 0, lengthA);
  matchedB.fill(0, 0, lengthB);
  const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const code = a.charCodeAt(i);
    const to = Math.min(i + window + 1, lengthB);
    for (let j = Math.max(0, i - window); j < to; j++) {
      if (matchedB[j] || b.charCodeAt(j) !== code) continue;
      matchedA[i] = matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < lengthA; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[j]) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j++)) transpositions++;
  }
  const jaro = (matches / lengthA + matches / lengthB + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < lengthA && prefix < lengthB && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

const phoneticCache = new Map<string, readonly [string, string]>();

/** The Double Metaphone codes of a token (cached: list vocabularies repeat tokens a lot). */
export function phoneticCodes(token: string): readonly [string, string] {
  let codes = phoneticCache.get(token);
  if (!codes) {
    codes = doubleMetaphone(token) as [string, string];
    if (phoneticCache.size > 100_000) phoneticCache.clear();
    phoneticCache.set(token, codes);
  }
  return codes;
}

/**
 * The skeletons of an abjad token: as written, and without a fused Arabic article ("lmsry" for
 * al-Masri). A skeleton under three letters ("ly", Ali) counts only between short tokens.
 */
export function abjadSkeletons(token: string): string[] {
  const skeleton = consonantSkeleton(token);
  return token.startsWith('l') && skeleton.length > 3 ? [skeleton, skeleton.slice(1)] : [skeleton];
}

function isSkeletonMatch(query: string, candidate: string): boolean {
  const target = consonantSkeleton(candidate);
  if (target.length === 0) return false;
  // Two consonants agree by chance too often ("ysn" ~ "husein"); only short words may rest on them.
  const consonants = candidate.replace(/[aeiouyw]/g, '').replace(/(.)\1+/g, '$1').length;
  if (consonants < 3 && (query.length > 3 || candidate.length > 4)) return false;
  return abjadSkeletons(query).includes(target);
}

/** How alike two normalised tokens are; `isAbjad`: the query token came from Arabic or Hebrew script. */
export function compareTokens(query: string, candidate: string, isAbjad = false): TokenSimilarity {
  if (query === candidate) return { score: 1, method: 'exact' };
  const isNumber = /^\d+$/.test(query) || /^\d+$/.test(candidate);
  if (isNumber) return NONE;
  if (query.length === 1 || candidate.length === 1) {
    const [short, long] = query.length === 1 ? [query, candidate] : [candidate, query];
    return long.startsWith(short) ? { score: INITIAL_SCORE, method: 'initial' } : NONE;
  }
  let best: TokenSimilarity = { score: jaroWinkler(query, candidate), method: 'jaro_winkler' };
  // Double Metaphone alone is loose ("tarak" ~ "duriqi"): the letters must also be fairly alike.
  // Short words and abjad spellings have too few letters for Jaro-Winkler to judge ("sko" ~ "sok").
  const isLetterCheckUseful = !isAbjad && Math.min(query.length, candidate.length) > 3;
  const lettersAgree = !isLetterCheckUseful || best.score >= PHONETIC_MIN_LETTERS;
  if (best.score < PHONETIC_SCORE && lettersAgree && query.length > 2 && candidate.length > 2) {
    const [queryPrimary, querySecondary] = phoneticCodes(query);
    const [candidatePrimary, candidateSecondary] = phoneticCodes(candidate);
    if (
      queryPrimary.length > 1 &&
      (queryPrimary === candidatePrimary ||
        queryPrimary === candidateSecondary ||
        querySecondary === candidatePrimary)
    ) {
      best = { score: PHONETIC_SCORE, method: 'phonetic' };
    }
  }
  if (isAbjad && best.score < SKELETON_SCORE && isSkeletonMatch(query, candidate)) {
    best = { score: SKELETON_SCORE, method: 'skeleton' };
  }
  return best.score >= TOKEN_FLOOR ? best : NONE;
}
