/**
 * A KYC case's life, pure: its states, the moves between them, who may make each move, and where
 * the risk model's disposition sends a case when its checks are complete.
 *
 *   checks_running ──(checks done)──▶ ready ──(disposition)──▶ approved | in_review | rejected
 *   in_review ──(officer)──▶ approved | rejected | needs_info
 *   needs_info ──(new data)──▶ checks_running
 *   approved | rejected ──(data change, list hit, periodic review)──▶ a NEW case
 *
 * A decided case is never reopened: later events open a new case, so every decision stays on
 * record exactly as it was made.
 */

/** The states of a case. */
export const CASE_STATES = [
  'checks_running',
  'ready',
  'in_review',
  'approved',
  'rejected',
  'needs_info',
] as const;
/** A case state. */
export type CaseState = (typeof CASE_STATES)[number];

/** States from which nothing moves: the case is decided. */
export const DECIDED_STATES: ReadonlySet<CaseState> = new Set(['approved', 'rejected']);

/** What moves a case. */
export type CaseMove =
  | { kind: 'checks_completed' }
  | { kind: 'checks_restarted' }
  | { kind: 'disposition'; disposition: 'auto_approve' | 'manual_review' | 'reject'; hasOpenHits: boolean }
  | { kind: 'decision'; outcome: 'approved' | 'rejected' | 'needs_info' };

const MOVES: Readonly<Record<CaseMove['kind'], readonly CaseState[]>> = {
  checks_completed: ['checks_running'],
  checks_restarted: ['checks_running', 'ready', 'in_review', 'needs_info'],
  disposition: ['ready'],
  decision: ['in_review'],
};

/** A move the case's state does not allow. */
export class CaseMoveError extends Error {
  constructor(state: CaseState, move: CaseMove['kind']) {
    super(`A case that is ${state.replace('_', ' ')} cannot take '${move.replace('_', ' ')}'.`);
    this.name = 'CaseMoveError';
  }
}

/**
 * The state a move leads to. The model's disposition decides a ready case by itself, with one
 * exception: an unresolved screening hit always needs a person, whatever the score says.
 */
export function nextState(state: CaseState, move: CaseMove): CaseState {
  if (!MOVES[move.kind].includes(state)) throw new CaseMoveError(state, move.kind);
  switch (move.kind) {
    case 'checks_completed':
      return 'ready';
    case 'checks_restarted':
      return 'checks_running';
    case 'disposition':
      if (move.disposition === 'reject') return 'rejected';
      if (move.disposition === 'auto_approve' && !move.hasOpenHits) return 'approved';
      return 'in_review';
    case 'decision':
      return move.outcome;
  }
}

/** Who prepared and who decides a case, for the four-eyes rule. */
export type DecisionRoles = {
  decidedBy: string;
  preparedBy: string | null;
  level: 'low' | 'medium' | 'high';
  outcome: 'approved' | 'rejected' | 'needs_info';
  /** The officer who approved first, for a high-risk case that needs two. */
  firstApproval: string | null;
};

/** What a decision still needs, or null when it may be recorded as it is. */
export type DecisionRequirement = 'different_person' | 'second_officer' | null;

/**
 * Four eyes: nobody decides a case they prepared; approving a high-risk client takes two
 * compliance officers, the second different from the first and from the preparer.
 */
export function decisionRequirement(roles: DecisionRoles): DecisionRequirement {
  if (roles.preparedBy !== null && roles.preparedBy === roles.decidedBy) return 'different_person';
  if (roles.outcome !== 'approved' || roles.level !== 'high') return null;
  if (roles.firstApproval === null) return 'second_officer';
  return roles.firstApproval === roles.decidedBy ? 'different_person' : null;
}
