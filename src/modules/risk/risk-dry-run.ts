/**
 * The dry run: a candidate model and the published one evaluated on every client's current facts,
 * so the officers see the new distribution and exactly which clients would change level or
 * disposition before they publish. Both models read the same facts, so every change is the
 * model's doing. Overrides are left out: they hide what the model itself would decide.
 */
import type { Value } from './expression-compile.ts';
import { evaluate, InvalidFactsError, type EvaluationResult } from './risk-evaluate.ts';
import { buildFacts, type DocumentStatus, type RiskProfile, type RiskTables } from './risk-facts.ts';
import type { CompiledModel } from './risk-model.ts';
import { DISPOSITIONS, RISK_LEVELS, type Disposition, type RiskLevel } from './risk-model.schema.ts';

/** Counts of clients by level and by disposition. */
export type Distribution = Record<RiskLevel | Disposition, number>;

/** The dry run's figures. */
export type DryRunSummary = {
  clients: number;
  /** Clients whose facts a model could not read (a fact of the wrong type); listed in the changes. */
  failed: number;
  changed: number;
  candidate: Distribution;
  baseline: Distribution | null;
  milliseconds: number;
};

/** One client whose outcome would change. */
export type DryRunChange = {
  clientId: string;
  from: { level: RiskLevel; disposition: Disposition; points: number } | null;
  to: { level: RiskLevel; disposition: Disposition; points: number } | null;
  error?: string;
};

const emptyDistribution = (): Distribution =>
  Object.fromEntries([...RISK_LEVELS, ...DISPOSITIONS].map((key) => [key, 0])) as Distribution;

function tryEvaluate(model: CompiledModel, facts: Record<string, Value>): EvaluationResult | string {
  try {
    return evaluate(model, facts);
  } catch (error) {
    if (error instanceof InvalidFactsError) return error.message;
    throw error;
  }
}

const outcome = (result: EvaluationResult) => ({
  level: result.level,
  disposition: result.disposition,
  points: result.points,
});

// Evaluating is CPU work on the main thread: hand the event loop back after this long, checking
// the time every few clients (a heavy model can take milliseconds per client).
const SLICE_MILLISECONDS = 20;
const CLIENTS_PER_CHECK = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What the dry run reads: every client's profile, documents and latest answers, read in one transaction. */
export type DryRunInput = {
  candidate: CompiledModel;
  baseline: CompiledModel | null;
  tables: RiskTables;
  profiles: readonly RiskProfile[];
  documents: ReadonlyMap<string, readonly DocumentStatus[]>;
  answers: ReadonlyMap<string, Readonly<Record<string, Value>>>;
  today: string;
};

/**
 * Evaluates both models on every client. Runs outside any transaction, in slices, so a dry run
 * over a large book neither holds a database connection nor stalls other requests.
 */
export async function runDryRun(
  input: DryRunInput,
): Promise<{ summary: DryRunSummary; changes: DryRunChange[] }> {
  const started = performance.now();
  const { profiles, documents } = input;
  const candidate = emptyDistribution();
  const baseline = input.baseline ? emptyDistribution() : null;
  const changes: DryRunChange[] = [];
  let failed = 0;
  let sliceStarted = performance.now();
  for (const [index, profile] of profiles.entries()) {
    if (index % CLIENTS_PER_CHECK === 0 && performance.now() - sliceStarted > SLICE_MILLISECONDS) {
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
    const facts = buildFacts(
      profile,
      input.tables,
      documents.get(profile.clientId) ?? [],
      input.answers.get(profile.clientId) ?? {},
      input.today,
    );
    const next = tryEvaluate(input.candidate, facts);
    const previous = input.baseline ? tryEvaluate(input.baseline, facts) : null;
    if (typeof next === 'string') {
      failed += 1;
      changes.push({
        clientId: profile.clientId,
        from: previous && typeof previous !== 'string' ? outcome(previous) : null,
        to: null,
        error: next,
      });
      continue;
    }
    candidate[next.level] += 1;
    candidate[next.disposition] += 1;
    if (baseline && previous && typeof previous !== 'string') {
      baseline[previous.level] += 1;
      baseline[previous.disposition] += 1;
    }
    const before = previous && typeof previous !== 'string' ? previous : null;
    if (!before || before.level !== next.level || before.disposition !== next.disposition) {
      changes.push({ clientId: profile.clientId, from: before ? outcome(before) : null, to: outcome(next) });
    }
  }
  return {
    summary: {
      clients: profiles.length,
      failed,
      changed: changes.length,
      candidate,
      baseline,
      milliseconds: Math.round(performance.now() - started),
    },
    changes,
  };
}
