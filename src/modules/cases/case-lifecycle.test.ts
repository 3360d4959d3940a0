// A case's moves and the four-eyes rule, table-driven: a case must never skip its checks, be
// decided twice, or be approved at high risk by one person alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CASE_STATES,
  CaseMoveError,
  decisionRequirement,
  nextState,
  type CaseMove,
  type CaseState,
  type DecisionRoles,
} from './case-lifecycle.ts';

const moves: [CaseState, CaseMove, CaseState][] = [
  ['checks_running', { kind: 'checks_completed' }, 'ready'],
  ['ready', { kind: 'disposition', disposition: 'auto_approve', hasOpenHits: false }, 'approved'],
  ['ready', { kind: 'disposition', disposition: 'auto_approve', hasOpenHits: true }, 'in_review'],
  ['ready', { kind: 'disposition', disposition: 'manual_review', hasOpenHits: false }, 'in_review'],
  ['ready', { kind: 'disposition', disposition: 'reject', hasOpenHits: false }, 'rejected'],
  ['in_review', { kind: 'decision', outcome: 'approved' }, 'approved'],
  ['in_review', { kind: 'decision', outcome: 'rejected' }, 'rejected'],
  ['in_review', { kind: 'decision', outcome: 'needs_info' }, 'needs_info'],
  ['needs_info', { kind: 'checks_restarted' }, 'checks_running'],
  ['in_review', { kind: 'checks_restarted' }, 'checks_running'],
  // New data while checks run, or before the disposition: the checks start again on the new data.
  ['checks_running', { kind: 'checks_restarted' }, 'checks_running'],
  ['ready', { kind: 'checks_restarted' }, 'checks_running'],
];

for (const [from, move, to] of moves) {
  test(`${from} + ${move.kind}${'disposition' in move ? ` ${move.disposition}` : ''}${'outcome' in move ? ` ${move.outcome}` : ''} → ${to}`, () => {
    assert.equal(nextState(from, move), to);
  });
}

test('every move not in the table is refused, and a decided case takes no move at all', () => {
  const allowed = new Set(moves.map(([from, move]) => `${from}:${move.kind}`));
  const kinds: CaseMove[] = [
    { kind: 'checks_completed' },
    { kind: 'checks_restarted' },
    { kind: 'disposition', disposition: 'auto_approve', hasOpenHits: false },
    { kind: 'decision', outcome: 'approved' },
  ];
  let refused = 0;
  for (const state of CASE_STATES) {
    for (const move of kinds) {
      if (allowed.has(`${state}:${move.kind}`)) continue;
      assert.throws(() => nextState(state, move), CaseMoveError, `${state} ${move.kind}`);
      refused += 1;
    }
  }
  for (const decided of ['approved', 'rejected'] as const) {
    for (const move of kinds) assert.throws(() => nextState(decided, move), CaseMoveError);
  }
  assert.ok(refused >= 14);
});

const roles = (overrides: Partial<DecisionRoles>): DecisionRoles => ({
  decidedBy: 'officer-b',
  preparedBy: 'analyst-a',
  level: 'low',
  outcome: 'approved',
  firstApproval: null,
  ...overrides,
});

const requirements: [string, Partial<DecisionRoles>, ReturnType<typeof decisionRequirement>][] = [
  ['another officer approves a low-risk case', {}, null],
  ['the preparer decides their own case', { decidedBy: 'analyst-a' }, 'different_person'],
  [
    'the preparer rejects their own case',
    { decidedBy: 'analyst-a', outcome: 'rejected' },
    'different_person',
  ],
  ['a high-risk approval without a first approval', { level: 'high' }, 'second_officer'],
  ['the first approver approves again', { level: 'high', firstApproval: 'officer-b' }, 'different_person'],
  ['a second officer completes a high-risk approval', { level: 'high', firstApproval: 'officer-c' }, null],
  ['a high-risk rejection needs one officer', { level: 'high', outcome: 'rejected' }, null],
  ['nobody prepared it: one officer approves a medium case', { preparedBy: null, level: 'medium' }, null],
];

for (const [name, overrides, expected] of requirements) {
  test(`four eyes: ${name}`, () => {
    assert.equal(decisionRequirement(roles(overrides)), expected);
  });
}
