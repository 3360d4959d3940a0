/**
 * The contract every KYC check provider meets (identity document, company registry, credit,
 * adverse media), so the job runner drives local rules and external services the same way.
 * A check that completes resolves with an outcome, negative findings included. A check that
 * cannot complete throws, and the error's class tells the runner whether trying again can help:
 * `ProviderUnavailableError` (retry with backoff) or `ProviderRejectedInputError` (do not). Any
 * other error is a bug and is not retried. Nothing is skipped silently: either an outcome or an error.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';

/** Every kind of check, in display order; a kind may have no provider, and the UI says so. */
export const CHECK_KINDS = ['identity_document', 'company_registry', 'credit', 'adverse_media'] as const;
/** One kind of check. */
export type CheckKind = (typeof CHECK_KINDS)[number];

/** The identity documents a person's check can be run on (the same values as the client record's). */
export const IDENTITY_DOCUMENT_TYPES = [
  'passport',
  'national_id',
  'driving_licence',
  'residence_permit',
] as const;
/** One type of identity document. */
export type IdentityDocumentType = (typeof IDENTITY_DOCUMENT_TYPES)[number];

/** An identity document as the client record holds it, unsealed in memory for one check. */
export type IdentityDocument = {
  type: IdentityDocumentType;
  /** As printed; case, spaces and hyphens do not matter. */
  number: string;
  /** The issuing state, ISO 3166-1 alpha-2, upper case (the platform's country form). */
  issuingCountry: string;
  /** YYYY-MM-DD; the document is valid through this day. */
  expiryDate: string;
  /** The machine-readable zone when it was captured, one string per line, as printed. */
  mrz?: string[];
};

/** What a check on a natural person is run on; everything is optional, so a gap is a finding. */
export type PersonCheckInput = { kind: 'person'; identityDocument?: IdentityDocument };

/** What a check on a legal entity is run on. */
export type EntityCheckInput = {
  kind: 'entity';
  /** As the client supplied it; the registry rule normalises it. */
  registrationNumber?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  registrationCountry?: string;
};

/** The input of one check: built by the caller from the client's data, never stored as such. */
export type CheckInput = PersonCheckInput | EntityCheckInput;

/** What the runner gives every run besides the input. */
export type CheckContext = {
  /** The business date the check is judged on (YYYY-MM-DD), so results do not depend on the machine's clock. */
  today: string;
  /** Aborted when the runner's timeout passes or it shuts down; providers pass it to their I/O. */
  signal: AbortSignal;
  /** This tenant's settings for the provider, already accepted by `describeSettingsProblem`. */
  settings?: unknown;
};

/** How serious a finding is: critical fails the check, warning asks for attention. */
export type FindingSeverity = 'info' | 'warning' | 'critical';

/** One observation of a check, written for the analyst and free of personal values. */
export type CheckFinding = { code: string; severity: FindingSeverity; message: string };

/** The verdict of a completed check. */
export type CheckStatus = 'passed' | 'attention' | 'failed_check';

/** The result of a check that completed, whatever it found. */
export type CheckOutcome = {
  status: CheckStatus;
  findings: CheckFinding[];
  /** Derived values risk rules may read (never a personal value such as a document number). */
  facts?: Record<string, number | boolean | string | null>;
};

/** A check provider; adding a credit or adverse-media service means writing one of these. */
export type CheckProvider = {
  /** Stable, kebab-case; tenants' configurations name providers by it. */
  readonly id: string;
  /** Stored with every result; bump it whenever the rules or the service behind them change. */
  readonly version: string;
  readonly kind: CheckKind;
  /** True when no data leaves this machine; only such providers are enabled by default. */
  readonly isLocal: boolean;
  /** Whether the check concerns a subject of this kind; a missing field is a finding, not a reason to skip. */
  appliesTo(subject: CheckInput): boolean;
  /** Why a tenant's settings are unusable, or undefined when they are fine; absent when the provider takes none. */
  describeSettingsProblem?(settings: unknown): string | undefined;
  /** Runs the check; resolves with an outcome or throws one of the two provider errors. */
  run(input: CheckInput, context: CheckContext): Promise<CheckOutcome>;
};

/** Why a provider could not complete a check this time. */
export type UnavailableReason = 'network' | 'timeout' | 'aborted' | 'configuration' | 'service';

/** The provider could not complete the check now (network, timeout, configuration): retry later. */
export class ProviderUnavailableError extends AppError {
  readonly reason: UnavailableReason;
  constructor(reason: UnavailableReason, message: string, options: { cause?: unknown } = {}) {
    super('unavailable', message, { reason });
    this.name = 'ProviderUnavailableError';
    this.reason = reason;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** The provider cannot run on this input at all; the same input would fail again, so never retry. */
export class ProviderRejectedInputError extends AppError {
  constructor(message: string) {
    super('validation_failed', message);
    this.name = 'ProviderRejectedInputError';
  }
}

/** Whether the job runner should try a failed run again: only when the provider was unavailable. */
export function isRetryableCheckError(error: unknown): boolean {
  return error instanceof ProviderUnavailableError;
}

/** Throws a retryable error when the runner has given up on this run (timeout or shutdown). */
export function assertNotAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  const isTimeout = (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
  throw isTimeout
    ? new ProviderUnavailableError('timeout', 'The check timed out.', { cause: signal.reason })
    : new ProviderUnavailableError('aborted', 'The check was stopped before it finished.', {
        cause: signal.reason,
      });
}

/**
 * The outcome of a completed check: the worst finding decides, and without positive evidence the
 * check is at best 'attention', so "we could not tell" never reads as "passed".
 */
export function decideOutcome(
  findings: CheckFinding[],
  hasEvidence: boolean,
  facts?: CheckOutcome['facts'],
): CheckOutcome {
  const severities = new Set(findings.map((finding) => finding.severity));
  let status: CheckStatus = 'passed';
  if (severities.has('critical')) status = 'failed_check';
  else if (severities.has('warning') || !hasEvidence) status = 'attention';
  return facts === undefined ? { status, findings } : { status, findings, facts };
}

/**
 * JSON with object keys sorted at every level and undefined members dropped, so equal data always
 * gives equal text whatever order the caller built it in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Canonical JSON has no form for a non-finite number.');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`Canonical JSON has no form for a value of type ${typeof value}.`);
}

/**
 * SHA-256 (hex) of the input's canonical JSON: a result records exactly what it was run on, and a
 * re-run on the same data can be recognised, without the result holding the personal values.
 */
export function inputsDigest(input: CheckInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}
