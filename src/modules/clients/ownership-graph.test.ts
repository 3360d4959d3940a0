// The mechanics of the ownership graph: shares multiplied along chains and summed across them,
// cycles counted once and never walked round, and the facts the risk model reads. The caps and
// checks are in ownership-graph.limits.test.ts, owners and controllers in ownership-graph.owners.test.ts,
// the sanctions 50 % rule in ownership-graph.sanctions.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyseOwnership,
  type OwnershipAnalysis,
  type OwnershipEdge,
  type OwnershipInput,
  type OwnershipNode,
} from './ownership-graph.ts';

const person = (id: string, extra: Partial<OwnershipNode> = {}): OwnershipNode => ({
  id,
  kind: 'person',
  countryCode: 'DE',
  isSanctioned: false,
  ...extra,
});
const entity = (id: string, extra: Partial<OwnershipNode> = {}): OwnershipNode => ({
  ...person(id, extra),
  kind: 'entity',
});
const holds = (
  ownerId: string,
  ownedId: string,
  percent: number | null,
  role: OwnershipEdge['role'] = 'shareholder',
) => ({ ownerId, ownedId, percent, role }) satisfies OwnershipEdge;
const shareOf = (analysis: OwnershipAnalysis, id: string) =>
  analysis.indirectOwnership.find((entry) => entry.id === id)?.percent;

test('indirect ownership through three layers with a cycle, and the 50 % rule', () => {
  // R ← A (60) ← B (50) ← C (80) ← X (60, sanctioned); C and B hold each other (B has 10 of C).
  const input: OwnershipInput = {
    rootId: 'R',
    nodes: [
      entity('R'),
      entity('A'),
      entity('B', { countryCode: 'LU' }),
      entity('C', { countryCode: 'CY' }),
      person('P1'),
      person('P2', { countryCode: 'FR' }),
      person('X', { countryCode: 'RU', isSanctioned: true }),
      person('Y'),
    ],
    edges: [
      holds('P1', 'R', 40),
      holds('A', 'R', 60),
      holds('P2', 'A', 50),
      holds('B', 'A', 50),
      holds('C', 'B', 80),
      holds('Y', 'B', 20),
      holds('X', 'C', 60),
      holds('B', 'C', 10),
      holds('Y', 'C', 30),
    ],
  };
  const analysis = analyseOwnership(input);
  // B: 50 % of A's 60 = 30; C: 80 % of B's 30 = 24; X: 60 % of C's 24 = 14.4;
  // Y: 20 % of B's 30 (6) plus 30 % of C's 24 (7.2) = 13.2. B's 10 % of C leads back to B and counts for nothing.
  assert.deepEqual(analysis.indirectOwnership, [
    { id: 'A', percent: 60 },
    { id: 'B', percent: 30 },
    { id: 'C', percent: 24 },
    { id: 'P1', percent: 40 },
    { id: 'P2', percent: 30 },
    { id: 'X', percent: 14.4 },
    { id: 'Y', percent: 13.2 },
  ]);
  // B owns C and C owns B: one cycle, listed from its smallest id in holding order.
  assert.deepEqual(analysis.cycles, [['B', 'C']]);
  assert.deepEqual(
    analysis.beneficialOwners.map((owner) => [owner.id, owner.percent, owner.paths]),
    [
      ['P1', 40, [['P1', 'R']]],
      ['P2', 30, [['P2', 'A', 'R']]],
    ],
  );
  // X's 60 blocks C (B's 10 joins once B is blocked), C's 80 blocks B, B's 50 blocks A, A's 60 blocks R.
  assert.deepEqual(analysis.sanctionedByOwnership, [
    { id: 'A', aggregatePercent: 50, through: ['B'] },
    { id: 'B', aggregatePercent: 80, through: ['C'] },
    { id: 'C', aggregatePercent: 70, through: ['B', 'X'] },
    { id: 'R', aggregatePercent: 60, through: ['A'] },
  ]);
  assert.equal(analysis.isRootSanctioned, true);
  assert.equal(analysis.facts['ownership.layers'], 3, 'A, B and C lie between R and X');
  assert.equal(
    analysis.facts['ownership.beneficial_owners_identified'],
    false,
    'a cycle is never identified',
  );
});

test('shares multiply along a chain and add up across chains', () => {
  const nodes = [entity('R'), entity('A'), entity('B'), entity('C'), person('P'), person('Q')];
  const cases: { name: string; edges: OwnershipEdge[]; expected: Record<string, number> }[] = [
    {
      name: '60 % of A, which holds 50 %, plus 10 % directly',
      edges: [holds('P', 'A', 60), holds('A', 'R', 50), holds('P', 'R', 10), holds('Q', 'A', 40)],
      expected: { A: 50, P: 40, Q: 20, B: 0 },
    },
    {
      name: 'halved at each of three links',
      edges: [holds('P', 'A', 50), holds('A', 'B', 50), holds('B', 'R', 50)],
      expected: { B: 50, A: 25, P: 12.5 },
    },
    {
      name: 'a diamond: A reaches R through B and through C',
      edges: [
        holds('P', 'A', 100),
        holds('A', 'B', 50),
        holds('A', 'C', 50),
        holds('B', 'R', 50),
        holds('C', 'R', 50),
      ],
      expected: { A: 50, P: 50 },
    },
    {
      name: 'two holdings of one owner in one company add up',
      edges: [holds('P', 'R', 10), { ...holds('P', 'R', 15), role: 'nominee' }],
      expected: { P: 25 },
    },
    {
      name: 'control without ownership gives no share',
      edges: [{ ...holds('P', 'R', null), role: 'director' }, holds('Q', 'R', 100)],
      expected: { P: 0, Q: 100 },
    },
    {
      name: 'a third of a third, rounded to 4 decimals',
      edges: [holds('P', 'A', 100 / 3), holds('A', 'R', 100 / 3)],
      expected: { A: 33.3333, P: 11.1111 },
    },
  ];
  for (const { name, edges, expected } of cases) {
    const analysis = analyseOwnership({ rootId: 'R', nodes, edges });
    for (const [id, percent] of Object.entries(expected))
      assert.equal(shareOf(analysis, id), percent, `${name}: ${id}`);
    assert.equal(shareOf(analysis, 'R'), undefined, `${name}: the root is not its own owner`);
  }
});

test('a cycle is reported once, however often and wherever the walk meets it', () => {
  const cases: { name: string; input: OwnershipInput; cycles: string[][]; shares: Record<string, number> }[] =
    [
      {
        name: 'the client holds its own shares',
        input: {
          rootId: 'R',
          nodes: [entity('R'), person('P')],
          edges: [holds('R', 'R', 10), holds('P', 'R', 90)],
        },
        cycles: [['R']],
        shares: { P: 90 },
      },
      {
        name: 'an owner holds its own shares',
        input: {
          rootId: 'R',
          nodes: [entity('R'), entity('A'), person('P')],
          edges: [holds('A', 'R', 100), holds('A', 'A', 20), holds('P', 'A', 80)],
        },
        cycles: [['A']],
        shares: { A: 100, P: 80 },
      },
      {
        // Entered from A and from B; a walk round the loop would add 15 % × 30 % again and again.
        name: 'two owners of the client hold 30 % of each other',
        input: {
          rootId: 'R',
          nodes: [entity('R'), entity('A'), entity('B')],
          edges: [holds('A', 'R', 50), holds('B', 'R', 50), holds('A', 'B', 30), holds('B', 'A', 30)],
        },
        cycles: [['A', 'B']],
        shares: { A: 65, B: 65 },
      },
      {
        // A owns B owns C owns A, entered at each of its nodes; C owns A is not A owns C.
        name: 'a loop through three owners, each also holding the client',
        input: {
          rootId: 'R',
          nodes: [entity('R'), entity('A'), entity('B'), entity('C')],
          edges: [
            holds('C', 'R', 30),
            holds('B', 'R', 30),
            holds('A', 'R', 30),
            holds('A', 'B', 10),
            holds('B', 'C', 10),
            holds('C', 'A', 10),
          ],
        },
        cycles: [['A', 'B', 'C']],
        // A: 30 direct, 10 % of B's direct 30 (3), 10 % of 10 % of C's 30 (0.3); likewise for B and C.
        shares: { A: 33.3, B: 33.3, C: 33.3 },
      },
      {
        name: 'two loops through one owner, in opposite directions',
        input: {
          rootId: 'R',
          nodes: [entity('R'), entity('A'), entity('B'), entity('C')],
          edges: [
            holds('A', 'R', 100),
            holds('B', 'A', 10),
            holds('A', 'B', 10),
            holds('C', 'A', 10),
            holds('A', 'C', 10),
          ],
        },
        cycles: [
          ['A', 'B'],
          ['A', 'C'],
        ],
        shares: { A: 100, B: 10, C: 10 },
      },
    ];
  for (const { name, input, cycles, shares } of cases) {
    const analysis = analyseOwnership(input);
    assert.deepEqual(analysis.cycles, cycles, name);
    for (const [id, percent] of Object.entries(shares))
      assert.equal(shareOf(analysis, id), percent, `${name}: ${id}`);
  }
});

test('a loop that does not lead to the client is no part of its ownership', () => {
  const analysis = analyseOwnership({
    rootId: 'R',
    nodes: [entity('R'), entity('S'), entity('T'), person('P')],
    edges: [holds('P', 'R', 100), holds('R', 'S', 50), holds('S', 'T', 50), holds('T', 'S', 50)],
  });
  assert.deepEqual(analysis.cycles, [], 'S and T are subsidiaries: no share of R runs through them');
  assert.equal(shareOf(analysis, 'S'), 0);
});

test('facts: layers of entities, the largest personal share, foreign owners and their countries', () => {
  const nodes = [
    entity('R'),
    entity('A', { countryCode: 'LU' }),
    entity('B'),
    person('P'),
    person('Q', { countryCode: 'FR' }),
    person('N', { countryCode: null }),
    person('X', { countryCode: 'US' }),
  ];
  const cases: { name: string; edges: OwnershipEdge[]; facts: Record<string, unknown> }[] = [
    {
      name: 'persons own the client directly',
      edges: [holds('P', 'R', 60), holds('Q', 'R', 40)],
      facts: { layers: 0, max_indirect_percent: 60, foreign_owners: 1, owner_countries: ['DE', 'FR'] },
    },
    {
      // A's 100 % is an entity's share; the largest personal share is Q's 70 % of it.
      name: 'through one company',
      edges: [holds('A', 'R', 100), holds('P', 'A', 30), holds('Q', 'A', 70)],
      facts: { layers: 1, max_indirect_percent: 70, foreign_owners: 2, owner_countries: ['DE', 'FR', 'LU'] },
    },
    {
      // B declares no owners, so it ends the chain: whoever stands behind it is two layers away.
      name: 'the longest chain counts, even one ending in an entity',
      edges: [holds('P', 'R', 50), holds('A', 'R', 50), holds('B', 'A', 100)],
      facts: { layers: 2, max_indirect_percent: 50, foreign_owners: 1, owner_countries: ['DE', 'LU'] },
    },
    {
      // N's country is unknown, so it cannot be shown to be domestic; X only directs, and owns nothing.
      name: 'an owner of unknown country, and a foreign director',
      edges: [holds('N', 'R', 100), holds('X', 'R', null, 'director')],
      facts: { layers: 0, max_indirect_percent: 100, foreign_owners: 1, owner_countries: [] },
    },
  ];
  for (const { name, edges, facts } of cases) {
    const found = analyseOwnership({ rootId: 'R', nodes, edges }).facts;
    const expected = Object.fromEntries(
      Object.entries(facts).map(([key, value]) => [`ownership.${key}`, value]),
    );
    for (const [key, value] of Object.entries(expected))
      assert.deepEqual(found[key as keyof typeof found], value, `${name}: ${key}`);
    assert.equal(found['ownership.trust_or_foundation'], false, name);
  }
  const stateless = analyseOwnership({
    rootId: 'R',
    nodes: [entity('R', { countryCode: null }), person('P'), person('N', { countryCode: null })],
    edges: [holds('P', 'R', 50), holds('N', 'R', 50)],
  });
  // Without the client's country no owner is domestic: two unknown countries need not be one.
  assert.equal(stateless.facts['ownership.foreign_owners'], 2);
});
