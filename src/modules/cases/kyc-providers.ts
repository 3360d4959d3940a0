/**
 * Running the check providers for every subject of a case. A provider that completes is stored
 * with its outcome; one that cannot (unavailable, timed out) is stored as failed — never skipped —
 * and, when it may succeed later, makes the whole check retry with backoff.
 */
import type { TenantId } from '../../platform/db/scopes.ts';
import { inputsDigest, isRetryableCheckError, type CheckInput } from '../checks/index.ts';
import type { PipelineDeps } from './kyc-pipeline.deps.ts';
import { providerInput, type KycSubject } from './kyc-subjects.ts';

// A provider gets this long per subject before its attempt counts as failed.
const PROVIDER_TIMEOUT_MS = 10_000;

/** A provider that could not complete. */
export type ProviderFailure = { subjectId: string; provider: string; isRetryable: boolean };

/** A finished run, without its case. */
export type ProviderRun = {
  subjectId: string;
  provider: string;
  providerVersion: string;
  status: 'completed' | 'failed';
  attempts: number;
  inputsDigest: string;
  outcome: unknown;
  error: string | null;
  startedAt: Date;
  finishedAt: Date;
};

/** Runs every applicable provider for every subject. */
export async function runProviders(
  deps: Pick<PipelineDeps, 'providersFor' | 'clock'>,
  tenantId: TenantId,
  subjects: readonly KycSubject[],
  today: string,
): Promise<{ runs: ProviderRun[]; failures: ProviderFailure[] }> {
  const runs: ProviderRun[] = [];
  const failures: ProviderFailure[] = [];
  for (const subject of subjects) {
    const input = providerInput(subject) as CheckInput;
    for (const provider of deps.providersFor(tenantId, subject)) {
      if (!provider.appliesTo(input)) continue;
      const startedAt = deps.clock.now();
      const base = {
        subjectId: subject.id,
        provider: provider.id,
        providerVersion: provider.version,
        attempts: 1,
        inputsDigest: inputsDigest(input),
        startedAt,
      };
      try {
        const outcome = await provider.run(input, {
          today,
          signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
        });
        runs.push({ ...base, status: 'completed', outcome, error: null, finishedAt: deps.clock.now() });
      } catch (error) {
        const isRetryable = isRetryableCheckError(error);
        // The message is the provider's own (no input values); cut to the column's size.
        const message = error instanceof Error ? error.message.slice(0, 500) : 'the provider failed';
        runs.push({ ...base, status: 'failed', outcome: null, error: message, finishedAt: deps.clock.now() });
        failures.push({ subjectId: subject.id, provider: provider.id, isRetryable });
      }
    }
  }
  return { runs, failures };
}
