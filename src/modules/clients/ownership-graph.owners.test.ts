// Who owns and controls a client: beneficial owners at the tenant's threshold (exactly included),
// controllers through majorities and trust roles, the directors as a fallback, and when the owners
// count as identified.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyseOwnership,
  type OwnershipEdge,
  type OwnershipInput,
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

test('a person at the threshold exactly is a beneficial owner; just below is not', () => {
  const nodes = [entity('R'), entity('A'), entity('B'), person('P'), person('Q')];
  const cases: { name: string; edges: OwnershipEdge[]; threshold?: number; owners: string[] }[] = [
    { name: '50 % of 50 % is 25 %', edges: [holds('P', 'A', 50), holds('A', 'R', 50)], owners: ['P'] },
    { name: '24.9999 % directly', edges: [holds('P', 'R', 24.9999)], owners: [] },
    // 0.2 + 20.9 + 3.9 adds up to 24.999999999999996 in floating point: rounding makes it 25.
    {
      name: 'three holdings whose float sum falls short of 25',
      edges: [holds('P', 'R', 0.2), holds('P', 'R', 20.9, 'nominee'), holds('P', 'R', 3.9, 'other')],
      owners: ['P'],
    },
    {
      name: 'a tenant threshold of 10 % takes in 12.5 %',
      edges: [holds('P', 'A', 50), holds('A', 'B', 50), holds('B', 'R', 50), holds('Q', 'R', 10)],
      threshold: 10,
      owners: ['P', 'Q'],
    },
    { name: 'an entity is never a beneficial owner', edges: [holds('A', 'R', 100)], owners: [] },
  ];
  assert.ok(0.2 + 20.9 + 3.9 < 25, 'the float premise of the third case');
  for (const { name, edges, threshold, owners } of cases) {
    const options = threshold === undefined ? {} : { beneficialOwnerThreshold: threshold };
    const analysis = analyseOwnership({ rootId: 'R', nodes, edges }, options);
    assert.deepEqual(
      analysis.beneficialOwners.map((owner) => owner.id),
      owners,
      name,
    );
  }
});

test('a beneficial owner carries every path to the client, sorted, and the PEP flag', () => {
  const analysis = analyseOwnership({
    rootId: 'R',
    nodes: [entity('R'), entity('A'), entity('B'), person('P', { isPep: true })],
    edges: [holds('P', 'B', 100), holds('P', 'A', 100), holds('A', 'R', 20), holds('B', 'R', 10)],
  });
  assert.deepEqual(analysis.beneficialOwners, [
    {
      id: 'P',
      percent: 30,
      paths: [
        ['P', 'A', 'R'],
        ['P', 'B', 'R'],
      ],
      isPep: true,
    },
  ]);
});

test('controllers: a majority at each link, or a trust role on the client or on a majority parent', () => {
  const analysis = analyseOwnership({
    rootId: 'R',
    nodes: [
      entity('R'),
      entity('A'),
      entity('B'),
      entity('T'),
      ...['P', 'S', 'U', 'V', 'W'].map((id) => person(id)),
    ],
    edges: [
      // 60 % of 60 % of 60 % is 21.6 %: under the threshold, but a majority at every link.
      holds('P', 'A', 60),
      holds('A', 'B', 60),
      holds('B', 'R', 60),
      holds('W', 'A', 40),
      holds('U', 'B', 40),
      // The trust T holds the other 40 % of R, too little to control it: its settlor does not control R.
      holds('T', 'R', 40),
      acts('S', 'T', 'settlor'),
      // B and A control R through majorities, so roles on them count.
      acts('V', 'B', 'trustee'),
      acts('V', 'A', 'protector'),
      acts('W', 'R', 'director'),
    ],
  });
  assert.deepEqual(analysis.beneficialOwners, [], 'P 21.6, U 24, W 14.4: none reaches 25');
  assert.deepEqual(analysis.controllers, [
    { id: 'P', controls: [{ entityId: 'A', basis: 'majority' }], isPep: false },
    {
      id: 'V',
      controls: [
        { entityId: 'A', basis: 'protector' },
        { entityId: 'B', basis: 'trustee' },
      ],
      isPep: false,
    },
  ]);
  assert.deepEqual(
    analysis.seniorManagingOfficials,
    [],
    'someone controls R, so its director does not stand in',
  );
  assert.equal(analysis.facts['ownership.trust_or_foundation'], true);
});

test('half is not a majority: a 50 % parent does not pass control on', () => {
  const analysis = analyseOwnership({
    rootId: 'R',
    nodes: [entity('R'), entity('A'), person('P'), person('Q'), person('S')],
    edges: [holds('A', 'R', 50), holds('Q', 'R', 50), holds('P', 'A', 100), acts('S', 'A', 'settlor')],
  });
  assert.deepEqual(
    analysis.controllers,
    [],
    'A does not control R, so neither its owner nor its settlor does',
  );
  assert.deepEqual(
    analysis.beneficialOwners.map((owner) => [owner.id, owner.percent]),
    [
      ['P', 50],
      ['Q', 50],
    ],
  );
});

test('with no one owning or controlling the client, its directors stand in as senior managing officials', () => {
  const shareholders = ['P1', 'P2', 'P3', 'P4', 'P5'];
  const input: OwnershipInput = {
    rootId: 'R',
    nodes: [entity('R'), entity('E'), ...[...shareholders, 'D2', 'D1'].map((id) => person(id))],
    edges: [
      ...shareholders.map((id) => holds(id, 'R', 20)),
      acts('D2', 'R', 'director'),
      acts('D1', 'R', 'director'),
      acts('D1', 'R', 'director'),
      acts('E', 'R', 'director'),
    ],
  };
  const analysis = analyseOwnership(input);
  assert.deepEqual(analysis.beneficialOwners, []);
  assert.deepEqual(
    analysis.seniorManagingOfficials,
    [
      { id: 'D1', isFallback: true, isPep: false },
      { id: 'D2', isFallback: true, isPep: false },
    ],
    'persons only, each once, sorted; the corporate director E is not a natural person',
  );
  assert.equal(
    analysis.facts['ownership.beneficial_owners_identified'],
    true,
    'all 100 % declared, 20 % each',
  );
  const withBeneficialOwner = analyseOwnership(input, { beneficialOwnerThreshold: 20 });
  assert.equal(withBeneficialOwner.beneficialOwners.length, 5);
  assert.deepEqual(withBeneficialOwner.seniorManagingOfficials, []);
  const withoutDirectors = analyseOwnership({ ...input, edges: input.edges.slice(0, 5) });
  assert.deepEqual(withoutDirectors.seniorManagingOfficials, []);
  assert.equal(
    withoutDirectors.facts['ownership.beneficial_owners_identified'],
    false,
    'no one found at all',
  );
});

test('the owners count as identified only when no undeclared share could hide one', () => {
  const nodes = [
    entity('R'),
    entity('A'),
    entity('T'),
    ...['P', 'Q', 'N', 'S', 'V', 'D'].map((id) => person(id)),
  ];
  const cases: { name: string; edges: OwnershipEdge[]; isIdentified: boolean }[] = [
    {
      name: 'all declared, an owner found',
      edges: [holds('P', 'R', 60), holds('Q', 'R', 40)],
      isIdentified: true,
    },
    {
      // Each company declares at least 75 %, yet one hidden holder of both blocks would hold 20 + 25 % of 20 = 25 %.
      name: 'undeclared blocks that add up to the threshold',
      edges: [holds('P', 'R', 60), holds('A', 'R', 20), holds('P', 'A', 75)],
      isIdentified: false,
    },
    {
      name: 'undeclared blocks too small to hide an owner',
      edges: [holds('P', 'R', 60), holds('A', 'R', 20), holds('P', 'A', 100)],
      isIdentified: true,
    },
    {
      name: 'a known 20 % holder who might also hold the undeclared 20 %',
      edges: [holds('P', 'R', 60), holds('Q', 'R', 20)],
      isIdentified: false,
    },
    {
      name: 'an undeclared 20 % beside two 40 % owners',
      edges: [holds('P', 'R', 40), holds('Q', 'R', 40)],
      isIdentified: true,
    },
    {
      name: 'a parent whose owners are not declared',
      edges: [holds('A', 'R', 100), acts('D', 'R', 'director')],
      isIdentified: false,
    },
    {
      name: 'a trust declares its owners through its parties',
      edges: [holds('T', 'R', 100), acts('S', 'T', 'settlor'), acts('V', 'T', 'trustee')],
      isIdentified: true,
    },
    {
      name: 'a nominee holds for someone the structure does not show',
      edges: [holds('P', 'R', 70), holds('N', 'R', 30, 'nominee')],
      isIdentified: false,
    },
    {
      name: 'a cycle, though all is declared',
      edges: [holds('P', 'R', 90), holds('R', 'R', 10)],
      isIdentified: false,
    },
  ];
  for (const { name, edges, isIdentified } of cases) {
    const analysis = analyseOwnership({ rootId: 'R', nodes, edges });
    assert.equal(analysis.facts['ownership.beneficial_owners_identified'], isIdentified, name);
  }
});

test('a person client is its own beneficial owner', () => {
  const analysis = analyseOwnership({ rootId: 'R', nodes: [person('R', { isPep: true })], edges: [] });
  assert.deepEqual(analysis.beneficialOwners, [{ id: 'R', percent: 100, paths: [['R']], isPep: true }]);
  assert.deepEqual(analysis.indirectOwnership, []);
  assert.equal(analysis.facts['ownership.max_indirect_percent'], 100);
  assert.equal(analysis.facts['ownership.layers'], 0);
  assert.equal(analysis.facts['ownership.beneficial_owners_identified'], true);
});
