/**
 * The ownership graph of a client: who owns and controls it and through how many layers, who its
 * beneficial owners are, and whether sanctioned owners block it under the 50 % rule. Pure, so the
 * same structure always gives the same answer and a stored result can be replayed.
 *
 * Shares are computed in full precision and rounded to 4 decimals on output; thresholds compare the
 * rounded value, so a float product such as 24.999999999999996 counts as 25 %.
 *
 * Cycles (A owns B owns A, or an entity holding its own shares): a share counts along simple paths
 * only, no node twice. Going round a loop would count the same block of shares again each turn, so
 * totals would depend on an arbitrary stopping point or inflate past what was declared. Simple paths
 * give each distinct chain once; they can understate a share that the loop would feed back, so a
 * structure with a cycle is never reported as having its beneficial owners identified.
 */
import { AppError } from '../../platform/errors.ts';

/** The capacity in which a node holds or controls another. */
export type OwnershipRole =
  'shareholder' | 'director' | 'trustee' | 'settlor' | 'beneficiary' | 'protector' | 'nominee' | 'other';

/** A person or entity in the structure; `isSanctioned` is a confirmed sanctions match from screening. */
export type OwnershipNode = {
  id: string;
  kind: 'person' | 'entity';
  countryCode: string | null;
  isSanctioned: boolean;
  isPep?: boolean;
};

/** `ownerId` holds `percent` (0–100) of `ownedId`; null means control without ownership (a director). */
export type OwnershipEdge = { ownerId: string; ownedId: string; percent: number | null; role: OwnershipRole };

/** The structure around one client, the root. */
export type OwnershipInput = {
  rootId: string;
  nodes: readonly OwnershipNode[];
  edges: readonly OwnershipEdge[];
};

/** AMLD's 25 % (a tenant may lower it), OFAC's 50 %, and caps far above any real structure. */
export const DEFAULT_OWNERSHIP_OPTIONS = Object.freeze({
  beneficialOwnerThreshold: 25,
  sanctionsThreshold: 50,
  maxNodes: 2_000,
  maxEdges: 10_000,
  maxPaths: 100_000,
});

/** The tenant's thresholds (percent) and the caps that keep a hostile structure from hanging the analysis. */
export type OwnershipOptions = Record<keyof typeof DEFAULT_OWNERSHIP_OPTIONS, number>;

/** A rule of the graph that the structure breaks, on the node where it shows. */
export type OwnershipIssue = { nodeId: string; message: string };

/** Why a person controls an entity: a majority holding, or a role in a trust. */
export type ControlBasis = 'majority' | 'trustee' | 'settlor' | 'protector' | 'beneficiary';

/** The risk model's ownership facts, under the variable names of the risk catalogue. */
export type OwnershipFacts = {
  'ownership.layers': number;
  'ownership.max_indirect_percent': number;
  'ownership.foreign_owners': number;
  'ownership.owner_countries': string[];
  'ownership.beneficial_owners_identified': boolean;
  'ownership.trust_or_foundation': boolean;
};

/** Everything the analysis finds; every list is sorted by id. */
export type OwnershipAnalysis = {
  indirectOwnership: { id: string; percent: number }[];
  cycles: string[][];
  beneficialOwners: { id: string; percent: number; paths: string[][]; isPep: boolean }[];
  controllers: { id: string; controls: { entityId: string; basis: ControlBasis }[]; isPep: boolean }[];
  seniorManagingOfficials: { id: string; isFallback: true; isPep: boolean }[];
  sanctionedByOwnership: { id: string; aggregatePercent: number; through: string[] }[];
  isRootSanctioned: boolean;
  facts: OwnershipFacts;
};

/** The structure breaks rules of the graph; `issues` says where. */
export class InvalidOwnershipError extends AppError {
  readonly issues: readonly OwnershipIssue[];
  constructor(issues: OwnershipIssue[]) {
    super('validation_failed', 'The ownership structure is not consistent.', { issues });
    this.name = 'InvalidOwnershipError';
    this.issues = issues;
  }
}

/** The structure is beyond a cap, so it is refused rather than analysed for unbounded time. */
export class OwnershipLimitError extends AppError {
  readonly limit: 'nodes' | 'edges' | 'paths';
  readonly max: number;
  constructor(limit: 'nodes' | 'edges' | 'paths', max: number) {
    super('validation_failed', `The ownership structure has over ${max} ${limit}: too many.`, { limit, max });
    this.name = 'OwnershipLimitError';
    this.limit = limit;
    this.max = max;
  }
}

const TRUST_ROLES: ReadonlySet<OwnershipRole> = new Set(['trustee', 'settlor', 'protector', 'beneficiary']);
// Declared totals are sums of decimals (33.33 + 33.33 + 33.34), so allow float noise above 100.
const EPSILON = 1e-9;
const round = (value: number): number => Math.round(value * 10_000) / 10_000;
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: { id: string }, b: { id: string }): number => compareText(a.id, b.id);
const compareLists = (a: readonly string[], b: readonly string[]): number => {
  for (let index = 0; index < Math.min(a.length, b.length); index++)
    if (a[index] !== b[index]) return compareText(a[index]!, b[index]!);
  return a.length - b.length;
};

/** The issues of a structure: unknown or duplicate nodes, owned persons, shares outside 0–100 or over 100 in sum. */
export function checkOwnership(input: OwnershipInput): OwnershipIssue[] {
  const issues = new Map<string, OwnershipIssue>();
  const add = (nodeId: string, message: string) =>
    issues.set(JSON.stringify([nodeId, message]), { nodeId, message });
  const kinds = new Map<string, OwnershipNode['kind']>();
  for (const node of input.nodes) {
    if (kinds.has(node.id)) add(node.id, 'The node is listed more than once.');
    kinds.set(node.id, node.kind);
  }
  if (!kinds.has(input.rootId)) add(input.rootId, 'The client is not among the nodes.');
  const declared = new Map<string, number>();
  for (const edge of input.edges) {
    for (const id of [edge.ownerId, edge.ownedId])
      if (!kinds.has(id)) add(id, 'A holding names a node that is not listed.');
    if (kinds.get(edge.ownedId) === 'person') add(edge.ownedId, 'A person cannot be owned or controlled.');
    if (edge.percent === null) continue;
    if (!Number.isFinite(edge.percent) || edge.percent < 0 || edge.percent > 100)
      add(edge.ownedId, `The holding of ${edge.ownerId} is not between 0 and 100 %.`);
    else declared.set(edge.ownedId, (declared.get(edge.ownedId) ?? 0) + edge.percent);
  }
  for (const [id, total] of declared)
    if (total > 100 + EPSILON) add(id, `Declared ownership sums to ${round(total)} %, over 100 %.`);
  return [...issues.values()].sort(
    (a, b) => compareText(a.nodeId, b.nodeId) || compareText(a.message, b.message),
  );
}

type Graph = {
  root: OwnershipNode;
  nodes: ReadonlyMap<string, OwnershipNode>;
  // owned id → owner id → percent, parallel holdings of one owner summed
  holders: ReadonlyMap<string, ReadonlyMap<string, number>>;
  edges: readonly OwnershipEdge[];
};

const kindOf = (graph: Graph, id: string) => graph.nodes.get(id)?.kind;
const isPep = (graph: Graph, id: string) => graph.nodes.get(id)?.isPep ?? false;

function buildGraph(input: OwnershipInput): Graph {
  const nodes = new Map(input.nodes.map((node) => [node.id, node]));
  const holders = new Map<string, Map<string, number>>();
  for (const { ownerId, ownedId, percent } of input.edges) {
    if (percent === null) continue;
    const owners = holders.get(ownedId) ?? new Map<string, number>();
    owners.set(ownerId, (owners.get(ownerId) ?? 0) + percent);
    holders.set(ownedId, owners);
  }
  return { root: nodes.get(input.rootId)!, nodes, holders, edges: input.edges };
}

type Walk = {
  shares: Map<string, number>;
  paths: Map<string, string[][]>;
  cycles: string[][];
  layers: number;
};

/** Every simple ownership path into the root, depth first from the root up; a cap bounds the work. */
function walkOwnership(graph: Graph, maxPaths: number): Walk {
  const shares = new Map<string, number>();
  const paths = new Map<string, string[][]>();
  const cycles = new Map<string, string[]>();
  const path = [graph.root.id];
  let explored = 0;
  let layers = 0;
  const visit = (id: string, shareOfRoot: number): void => {
    for (const [ownerId, percent] of graph.holders.get(id) ?? []) {
      const seenAt = path.indexOf(ownerId);
      if (seenAt >= 0) {
        // The path runs root-wards, so the loop in holding order (each owning the next) is reversed.
        const loop = path.slice(seenAt).reverse();
        const start = loop.indexOf(loop.reduce((least, next) => (next < least ? next : least)));
        const cycle = [...loop.slice(start), ...loop.slice(0, start)];
        cycles.set(JSON.stringify(cycle), cycle);
        continue;
      }
      if (++explored > maxPaths) throw new OwnershipLimitError('paths', maxPaths);
      const share = (shareOfRoot * percent) / 100;
      path.push(ownerId);
      shares.set(ownerId, (shares.get(ownerId) ?? 0) + share);
      const isPerson = kindOf(graph, ownerId) === 'person';
      if (isPerson) paths.set(ownerId, paths.get(ownerId) ?? []);
      paths.get(ownerId)?.push(path.toReversed());
      // Only persons end a path (they cannot be owned), so every node above the root but a person is an entity.
      layers = Math.max(layers, path.length - (isPerson ? 2 : 1));
      visit(ownerId, share);
      path.pop();
    }
  };
  visit(graph.root.id, 100);
  return { shares, paths, cycles: [...cycles.values()].sort(compareLists), layers };
}

/** Persons with a trust role on, or a majority of, the root or an entity that holds it through > 50 % chains. */
function findControllers(graph: Graph): OwnershipAnalysis['controllers'] {
  const controls = new Map<string, Map<string, { entityId: string; basis: ControlBasis }>>();
  const add = (personId: string, entityId: string, basis: ControlBasis) => {
    const found = controls.get(personId) ?? new Map<string, { entityId: string; basis: ControlBasis }>();
    controls.set(personId, found.set(JSON.stringify([entityId, basis]), { entityId, basis }));
  };
  const controlled = new Set([graph.root.id]);
  const queue = [graph.root.id];
  for (const id of queue)
    for (const [ownerId, percent] of graph.holders.get(id) ?? []) {
      if (round(percent) <= 50) continue;
      if (kindOf(graph, ownerId) === 'person') add(ownerId, id, 'majority');
      else if (!controlled.has(ownerId)) {
        controlled.add(ownerId);
        queue.push(ownerId);
      }
    }
  for (const { ownerId, ownedId, role } of graph.edges)
    if (TRUST_ROLES.has(role) && controlled.has(ownedId) && kindOf(graph, ownerId) === 'person')
      add(ownerId, ownedId, role as ControlBasis);
  return [...controls]
    .map(([id, found]) => ({
      id,
      controls: [...found.values()].sort(
        (a, b) => compareText(a.entityId, b.entityId) || compareText(a.basis, b.basis),
      ),
      isPep: isPep(graph, id),
    }))
    .sort(byId);
}

/** OFAC's 50 % rule to a fixed point: blocked owners holding ≥ the threshold in aggregate block an entity. */
function applyFiftyPercentRule(graph: Graph, threshold: number) {
  const blocked = new Set(
    [...graph.nodes.values()].filter((node) => node.isSanctioned).map((node) => node.id),
  );
  // A blocked entity's own shares do not count towards blocking it: it must be blocked by others first.
  const blockedHolders = (id: string) =>
    [...(graph.holders.get(id) ?? [])].filter(([ownerId]) => ownerId !== id && blocked.has(ownerId));
  const blockedShare = (id: string) => blockedHolders(id).reduce((sum, [, percent]) => sum + percent, 0);
  // Blocking only grows, so the loop ends after at most one pass per entity.
  for (let isChanged = true; isChanged;) {
    isChanged = false;
    for (const id of graph.holders.keys())
      if (!blocked.has(id) && round(blockedShare(id)) >= threshold) {
        blocked.add(id);
        isChanged = true;
      }
  }
  const byOwnership = [...blocked]
    .filter((id) => !graph.nodes.get(id)?.isSanctioned)
    .sort(compareText)
    .map((id) => ({
      id,
      aggregatePercent: round(blockedShare(id)),
      through: blockedHolders(id)
        .filter(([, percent]) => percent > 0)
        .map(([ownerId]) => ownerId)
        .sort(compareText),
    }));
  return { byOwnership, isRootSanctioned: blocked.has(graph.root.id) };
}

/**
 * Conservative: false on any cycle, or when no one was found, or when the shares nobody declared
 * (each entity's undeclared block times its share of the root, summed, since one hidden person could
 * hold several) plus the largest known share below the threshold could reach the threshold. A trust
 * is declared through its parties; a nominee person's holding is undeclared, as it is held for another.
 */
function isEveryOwnerIdentified(
  graph: Graph,
  walk: Walk,
  isAnyoneFound: boolean,
  threshold: number,
): boolean {
  if (graph.root.kind === 'person') return true;
  if (walk.cycles.length > 0 || !isAnyoneFound) return false;
  const shareOf = (id: string) => (id === graph.root.id ? 100 : (walk.shares.get(id) ?? 0));
  const trusts = new Set(
    graph.edges.filter((edge) => TRUST_ROLES.has(edge.role)).map((edge) => edge.ownedId),
  );
  const declared = new Map<string, number>();
  for (const { ownerId, ownedId, percent, role } of graph.edges)
    if (percent !== null && !(role === 'nominee' && kindOf(graph, ownerId) === 'person'))
      declared.set(ownedId, (declared.get(ownedId) ?? 0) + percent);
  let undeclared = 0;
  for (const id of [graph.root.id, ...walk.shares.keys()])
    if (kindOf(graph, id) === 'entity' && !trusts.has(id))
      undeclared += (Math.max(0, 100 - (declared.get(id) ?? 0)) * shareOf(id)) / 100;
  let largestBelow = 0;
  for (const id of walk.paths.keys())
    if (round(shareOf(id)) < threshold) largestBelow = Math.max(largestBelow, shareOf(id));
  return round(largestBelow + undeclared) < threshold;
}

/** Persons whose share reaches the threshold, with every path that gives it; a person client owns itself. */
function findBeneficialOwners(
  graph: Graph,
  walk: Walk,
  threshold: number,
): OwnershipAnalysis['beneficialOwners'] {
  const { root } = graph;
  if (root.kind === 'person')
    return [{ id: root.id, percent: 100, paths: [[root.id]], isPep: isPep(graph, root.id) }];
  return [...walk.paths]
    .map(([id, paths]) => ({ id, percent: round(walk.shares.get(id)!), paths: paths.sort(compareLists) }))
    .filter((owner) => owner.percent >= threshold)
    .map((owner) => ({ ...owner, isPep: isPep(graph, owner.id) }))
    .sort(byId);
}

/** AMLD art. 3(6)(a)(ii): the root's directors, only when no one owns or controls it under point (i). */
function findSeniorManagingOfficials(graph: Graph, isOwnerFound: boolean) {
  if (isOwnerFound) return [];
  const directors = graph.edges.filter(
    (edge) =>
      edge.role === 'director' && edge.ownedId === graph.root.id && kindOf(graph, edge.ownerId) === 'person',
  );
  return [...new Set(directors.map((edge) => edge.ownerId))]
    .sort(compareText)
    .map((id) => ({ id, isFallback: true as const, isPep: isPep(graph, id) }));
}

function buildFacts(graph: Graph, walk: Walk, isIdentified: boolean): OwnershipFacts {
  const { root } = graph;
  const owners = [...walk.shares.keys()].map((id) => graph.nodes.get(id)!);
  const personShares = [...walk.paths.keys()].map((id) => round(walk.shares.get(id)!));
  return {
    'ownership.layers': walk.layers,
    'ownership.max_indirect_percent': root.kind === 'person' ? 100 : Math.max(0, ...personShares),
    // An unknown country cannot be shown to be the client's own, so it counts as foreign.
    'ownership.foreign_owners': owners.filter(
      (owner) =>
        owner.countryCode === null || root.countryCode === null || owner.countryCode !== root.countryCode,
    ).length,
    'ownership.owner_countries': [
      ...new Set(owners.flatMap((owner) => (owner.countryCode === null ? [] : [owner.countryCode]))),
    ].sort(compareText),
    'ownership.beneficial_owners_identified': isIdentified,
    'ownership.trust_or_foundation': graph.edges.some((edge) => TRUST_ROLES.has(edge.role)),
  };
}

/** Analyses a valid structure; throws InvalidOwnershipError on issues, OwnershipLimitError past a cap. */
export function analyseOwnership(
  input: OwnershipInput,
  options: Partial<OwnershipOptions> = {},
): OwnershipAnalysis {
  const settings = { ...DEFAULT_OWNERSHIP_OPTIONS, ...options };
  for (const name of ['beneficialOwnerThreshold', 'sanctionsThreshold'] as const)
    if (!(settings[name] > 0 && settings[name] <= 100)) throw new RangeError(`${name} must be in (0, 100]`);
  if (input.nodes.length > settings.maxNodes) throw new OwnershipLimitError('nodes', settings.maxNodes);
  if (input.edges.length > settings.maxEdges) throw new OwnershipLimitError('edges', settings.maxEdges);
  const issues = checkOwnership(input);
  if (issues.length > 0) throw new InvalidOwnershipError(issues);
  const graph = buildGraph(input);
  const threshold = settings.beneficialOwnerThreshold;
  const walk = walkOwnership(graph, settings.maxPaths);
  const beneficialOwners = findBeneficialOwners(graph, walk, threshold);
  const controllers = findControllers(graph);
  const seniorManagingOfficials = findSeniorManagingOfficials(
    graph,
    beneficialOwners.length + controllers.length > 0,
  );
  const isAnyoneFound = beneficialOwners.length + controllers.length + seniorManagingOfficials.length > 0;
  const sanctions = applyFiftyPercentRule(graph, settings.sanctionsThreshold);
  return {
    indirectOwnership: [...graph.nodes.keys()]
      .filter((id) => id !== graph.root.id)
      .sort(compareText)
      .map((id) => ({ id, percent: round(walk.shares.get(id) ?? 0) })),
    cycles: walk.cycles,
    beneficialOwners,
    controllers,
    seniorManagingOfficials,
    sanctionedByOwnership: sanctions.byOwnership,
    isRootSanctioned: sanctions.isRootSanctioned,
    facts: buildFacts(graph, walk, isEveryOwnerIdentified(graph, walk, isAnyoneFound, threshold)),
  };
}
