// The sanctions 50 % rule (OFAC, and EU guidance on ownership): sanctioned owners block an entity in
// aggregate, directly or through owners that are themselves blocked, and never through others.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyseOwnership,
  type OwnershipEdge,
  type OwnershipNode,
  type OwnershipRole,
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
const holds = (ownerId: string, ownedId: string, percent: number, role: OwnershipRole = 'shareholder') =>
  ({ ownerId, ownedId, percent, role }) satisfies OwnershipEdge;
const acts = (ownerId: string, ownedId: string, role: OwnershipRole): OwnershipEdge => ({
  ownerId,
  ownedId,
  percent: null,
  role,
});
const sanctioned = (id: string) => person(id, { isSanctioned: true });

test('the 50 % rule: sanctioned owners in aggregate, through blocked owners only', () => {
  const nodes = [
    entity('R'),
    entity('A'),
    entity('B'),
    sanctioned('X'),
    sanctioned('Y'),
    sanctioned('Z'),
    person('P'),
  ];
  type Blocked = { id: string; aggregatePercent: number; through: string[] };
  const cases: {
    name: string;
    edges: OwnershipEdge[];
    threshold?: number;
    blocked: Blocked[];
    isRoot: boolean;
  }[] = [
    {
      name: 'two sanctioned owners, 30 % and 25 %',
      edges: [holds('X', 'R', 30), holds('Y', 'R', 25), holds('P', 'R', 45)],
      blocked: [{ id: 'R', aggregatePercent: 55, through: ['X', 'Y'] }],
      isRoot: true,
    },
    {
      name: '49.99 % is not 50 %',
      edges: [holds('X', 'R', 49.99), holds('P', 'R', 50.01)],
      blocked: [],
      isRoot: false,
    },
    {
      name: '50 % exactly',
      edges: [holds('X', 'R', 50), holds('P', 'R', 50)],
      blocked: [{ id: 'R', aggregatePercent: 50, through: ['X'] }],
      isRoot: true,
    },
    {
      // 0.3 + 32.3 + 17.4 is 49.99999999999999 in floating point: rounded, it is the 50 % it was declared as.
      name: 'three holdings whose float sum falls short of 50',
      edges: [holds('X', 'R', 0.3), holds('Y', 'R', 32.3), holds('Z', 'R', 17.4), holds('P', 'R', 50)],
      blocked: [{ id: 'R', aggregatePercent: 50, through: ['X', 'Y', 'Z'] }],
      isRoot: true,
    },
    {
      name: 'propagated up through blocked layers',
      edges: [
        holds('X', 'A', 50),
        holds('P', 'A', 50),
        holds('A', 'B', 50),
        holds('P', 'B', 50),
        holds('B', 'R', 50),
      ],
      blocked: [
        { id: 'A', aggregatePercent: 50, through: ['X'] },
        { id: 'B', aggregatePercent: 50, through: ['A'] },
        { id: 'R', aggregatePercent: 50, through: ['B'] },
      ],
      isRoot: true,
    },
    {
      // X holds 40 % of R through A, but A is not blocked, so nothing carries over.
      name: 'not through an owner that is not blocked',
      edges: [holds('X', 'A', 40), holds('P', 'A', 60), holds('A', 'R', 100)],
      blocked: [],
      isRoot: false,
    },
    {
      name: 'a blocked company and a sanctioned person together',
      edges: [
        holds('Y', 'A', 60),
        holds('P', 'A', 40),
        holds('A', 'R', 20),
        holds('X', 'R', 30),
        holds('P', 'R', 50),
      ],
      blocked: [
        { id: 'A', aggregatePercent: 60, through: ['Y'] },
        { id: 'R', aggregatePercent: 50, through: ['A', 'X'] },
      ],
      isRoot: true,
    },
    {
      // R's own 10 % does not help block R: only holders already blocked count, and R is not yet.
      name: 'a blocked client holding its own shares',
      edges: [holds('X', 'R', 50), holds('R', 'R', 10), holds('P', 'R', 40)],
      blocked: [{ id: 'R', aggregatePercent: 50, through: ['X'] }],
      isRoot: true,
    },
    {
      name: 'control is not ownership',
      edges: [acts('X', 'R', 'director'), acts('Y', 'R', 'protector'), holds('P', 'R', 100)],
      blocked: [],
      isRoot: false,
    },
    {
      name: 'a tenant that applies the rule from 25 %',
      edges: [holds('X', 'R', 30), holds('P', 'R', 70)],
      threshold: 25,
      blocked: [{ id: 'R', aggregatePercent: 30, through: ['X'] }],
      isRoot: true,
    },
  ];
  assert.ok(0.3 + 32.3 + 17.4 < 50, 'the float premise of the fourth case');
  for (const { name, edges, threshold, blocked, isRoot } of cases) {
    const options = threshold === undefined ? {} : { sanctionsThreshold: threshold };
    const analysis = analyseOwnership({ rootId: 'R', nodes, edges }, options);
    assert.deepEqual(analysis.sanctionedByOwnership, blocked, name);
    assert.equal(analysis.isRootSanctioned, isRoot, name);
  }
});

test('a client on a sanctions list is sanctioned, though not by the 50 % rule', () => {
  const analysis = analyseOwnership({
    rootId: 'R',
    nodes: [entity('R', { isSanctioned: true }), person('P')],
    edges: [holds('P', 'R', 100)],
  });
  assert.equal(analysis.isRootSanctioned, true);
  assert.deepEqual(analysis.sanctionedByOwnership, []);
});
