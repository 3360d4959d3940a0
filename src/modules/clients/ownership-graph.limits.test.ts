// The guards of the ownership graph: caps that refuse a structure too large to analyse rather than
// hang on it, and the checks that refuse an inconsistent one, node by node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyseOwnership,
  checkOwnership,
  InvalidOwnershipError,
  OwnershipLimitError,
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
const holds = (ownerId: string, ownedId: string, percent: number | null): OwnershipEdge => ({
  ownerId,
  ownedId,
  percent,
  role: 'shareholder',
});
const shareOf = (analysis: OwnershipAnalysis, id: string) =>
  analysis.indirectOwnership.find((entry) => entry.id === id)?.percent;

// A ladder of `rungs` layers, two entities each, both holding 50 % of both below: 2^rungs paths to the top.
function ladder(rungs: number): OwnershipInput {
  const nodes = [entity('R')];
  const edges: OwnershipEdge[] = [];
  let below = ['R'];
  for (let rung = 1; rung <= rungs; rung++) {
    const layer = [`L${rung}a`, `L${rung}b`];
    nodes.push(...layer.map((id) => entity(id)));
    for (const ownerId of layer) for (const ownedId of below) edges.push(holds(ownerId, ownedId, 50));
    below = layer;
  }
  return { rootId: 'R', nodes, edges };
}

test('the caps refuse a structure too large to analyse instead of hanging', () => {
  // 20 rungs make 2^21 − 2 simple paths, far over the default 100,000; the walk stops at the cap.
  const started = performance.now();
  assert.throws(
    () => analyseOwnership(ladder(20)),
    (error) => error instanceof OwnershipLimitError && error.limit === 'paths' && error.max === 100_000,
  );
  assert.ok(performance.now() - started < 5_000, 'the cap stops the walk quickly');
  // 10 rungs: each top entity reaches R along 2^9 paths of 0.5^10 × 100 % each = 50 % in all.
  assert.equal(shareOf(analyseOwnership(ladder(10)), 'L10a'), 50);
  assert.throws(
    () => analyseOwnership(ladder(10), { maxPaths: 1_000 }),
    (error) => error instanceof OwnershipLimitError && error.limit === 'paths',
  );
  const three = { rootId: 'R', nodes: [entity('R'), person('P'), person('Q')], edges: [holds('P', 'R', 1)] };
  assert.throws(
    () => analyseOwnership(three, { maxNodes: 2 }),
    (error) =>
      error instanceof OwnershipLimitError && error.limit === 'nodes' && error.code === 'validation_failed',
  );
  assert.throws(
    () => analyseOwnership({ ...three, edges: [holds('P', 'R', 1), holds('Q', 'R', 1)] }, { maxEdges: 1 }),
    (error) => error instanceof OwnershipLimitError && error.limit === 'edges',
  );
  // A threshold of 0 would make every person a beneficial owner: a caller's mistake, refused.
  assert.throws(() => analyseOwnership(three, { beneficialOwnerThreshold: 0 }), RangeError);
  assert.throws(() => analyseOwnership(three, { sanctionsThreshold: Number.NaN }), RangeError);
});

test('a chain as long as the node cap allows is walked to its end', () => {
  // 1,998 entities between the client and one person: 2,000 nodes, the default cap, and no stack overflow.
  const ids = Array.from({ length: 1_999 }, (_, index) => `E${String(index).padStart(4, '0')}`);
  const input: OwnershipInput = {
    rootId: ids[0]!,
    nodes: [...ids.map((id) => entity(id)), person('P')],
    edges: [...ids.slice(1).map((id, index) => holds(id, ids[index]!, 100)), holds('P', ids.at(-1)!, 100)],
  };
  const analysis = analyseOwnership(input);
  assert.equal(analysis.facts['ownership.layers'], 1_998);
  assert.equal(analysis.beneficialOwners[0]?.percent, 100);
  assert.equal(analysis.beneficialOwners[0]?.paths[0]?.length, 2_000);
});

test('an inconsistent structure is reported node by node, and refused by the analysis', () => {
  const nodes = [entity('R'), entity('A'), person('P'), person('Q')];
  const cases: { name: string; input: OwnershipInput; issues: { nodeId: string; message: RegExp }[] }[] = [
    {
      name: 'over 100 %',
      input: { rootId: 'R', nodes, edges: [holds('P', 'R', 120)] },
      issues: [{ nodeId: 'R', message: /between 0 and 100/ }],
    },
    {
      name: 'negative',
      input: { rootId: 'R', nodes, edges: [holds('P', 'R', -1)] },
      issues: [{ nodeId: 'R', message: /between 0 and 100/ }],
    },
    {
      name: 'not a number',
      input: { rootId: 'R', nodes, edges: [holds('P', 'R', Number.NaN)] },
      issues: [{ nodeId: 'R', message: /between 0 and 100/ }],
    },
    {
      name: 'declared shares over 100 in sum',
      input: { rootId: 'R', nodes, edges: [holds('P', 'A', 60), holds('Q', 'A', 50), holds('A', 'R', 100)] },
      issues: [{ nodeId: 'A', message: /sums to 110 %/ }],
    },
    {
      name: 'an unknown owner and an unknown company',
      input: { rootId: 'R', nodes, edges: [holds('Z', 'R', 10), holds('P', 'Y', 10)] },
      issues: [
        { nodeId: 'Y', message: /not listed/ },
        { nodeId: 'Z', message: /not listed/ },
      ],
    },
    {
      name: 'a person owned or controlled',
      input: {
        rootId: 'R',
        nodes,
        edges: [holds('A', 'P', 10), { ...holds('Q', 'P', null), role: 'director' }],
      },
      issues: [{ nodeId: 'P', message: /person cannot be owned/ }],
    },
    {
      name: 'a client not among the nodes',
      input: { rootId: 'X', nodes, edges: [] },
      issues: [{ nodeId: 'X', message: /not among/ }],
    },
    {
      name: 'a node listed twice',
      input: { rootId: 'R', nodes: [...nodes, person('P')], edges: [] },
      issues: [{ nodeId: 'P', message: /more than once/ }],
    },
  ];
  for (const { name, input, issues } of cases) {
    const found = checkOwnership(input);
    assert.equal(found.length, issues.length, `${name}: ${JSON.stringify(found)}`);
    issues.forEach((issue, index) => {
      assert.equal(found[index]?.nodeId, issue.nodeId, name);
      assert.match(found[index]?.message ?? '', issue.message, name);
    });
    assert.throws(
      () => analyseOwnership(input),
      (error) =>
        error instanceof InvalidOwnershipError && JSON.stringify(error.issues) === JSON.stringify(found),
      name,
    );
  }
});

test('declared shares that add up to 100 with decimals are consistent', () => {
  // 0.2 + 83.9 + 15.9 is 100.00000000000001 in floating point: float noise, not an over-declaration.
  assert.ok(0.2 + 83.9 + 15.9 > 100, 'the float premise');
  const input: OwnershipInput = {
    rootId: 'R',
    nodes: [entity('R'), person('P'), person('Q'), person('S')],
    edges: [holds('P', 'R', 0.2), holds('Q', 'R', 83.9), holds('S', 'R', 15.9)],
  };
  assert.deepEqual(checkOwnership(input), []);
  assert.deepEqual(checkOwnership({ ...input, edges: [...input.edges, holds('P', 'R', 0.01)] }), [
    { nodeId: 'R', message: 'Declared ownership sums to 100.01 %, over 100 %.' },
  ]);
});
