/**
 * The providers this installation offers, and each tenant's choice among them. A tenant's
 * configuration is validated before it is stored, and again when checks are chosen, because a
 * provider may have been removed since: an unknown id is refused loudly, never skipped.
 */
import { AppError } from '../../platform/errors.ts';
import { CHECK_KINDS, type CheckInput, type CheckKind, type CheckProvider } from './check-provider.ts';

/** A tenant's check configuration: which providers run, and their settings. */
export type CheckConfig = { enabled: string[]; settings?: Record<string, unknown> };

/** A provider as the UI lists it. */
export type ProviderSummary = { id: string; version: string; kind: CheckKind; isLocal: boolean };

/** For one kind: the providers installed and those this tenant enabled (empty: "no provider configured"). */
export type KindAvailability = {
  kind: CheckKind;
  availableProviderIds: string[];
  enabledProviderIds: string[];
};

/** The installed providers and the rules for choosing among them. */
export type CheckRegistry = {
  /** Every installed provider, in the stable order. */
  listProviders(): ProviderSummary[];
  /** The provider with this id; throws when none is installed. */
  getProvider(id: string): CheckProvider;
  /** Validates a configuration from outside (the tenant's request or its stored row). */
  parseConfig(raw: unknown): CheckConfig;
  /** The configuration of a tenant that chose nothing: every local provider, since no data leaves the machine. */
  defaultConfig(): CheckConfig;
  /** The enabled providers that apply to this subject, in the stable order. */
  providersFor(config: CheckConfig, subject: CheckInput): CheckProvider[];
  /** Every kind, including those with no provider, for the settings page. */
  describeKinds(config: CheckConfig): KindAvailability[];
};

const PROVIDER_ID_CHARACTERS = /^[a-z0-9-]+$/;

/** Kebab-case: lower-case letters and digits in words joined by single hyphens. */
function isKebabCase(id: string): boolean {
  return PROVIDER_ID_CHARACTERS.test(id) && !id.startsWith('-') && !id.endsWith('-') && !id.includes('--');
}
const CONFIG_KEYS = new Set(['enabled', 'settings']);
/** Long enough for any real id; a longer one is echoed cut short so a message stays readable. */
const MAX_ECHOED_ID = 64;
const MAX_PROBLEMS_SHOWN = 10;

/** Kind in display order, then id, so the runner and the UI always list providers alike. */
function compareProviders(a: CheckProvider, b: CheckProvider): number {
  const byKind = CHECK_KINDS.indexOf(a.kind) - CHECK_KINDS.indexOf(b.kind);
  if (byKind !== 0) return byKind;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function echo(id: string): string {
  return JSON.stringify(id.length > MAX_ECHOED_ID ? `${id.slice(0, MAX_ECHOED_ID)}…` : id);
}

/** Refuses a provider list the code itself got wrong, at start rather than at the first check. */
function assertValidProviders(providers: readonly CheckProvider[]): void {
  const seen = new Set<string>();
  for (const provider of providers) {
    if (!isKebabCase(provider.id))
      throw new Error(`Check provider id ${echo(provider.id)} is not kebab-case.`);
    if (seen.has(provider.id)) throw new Error(`Check provider ${echo(provider.id)} is registered twice.`);
    if (!CHECK_KINDS.includes(provider.kind))
      throw new Error(`Check provider ${echo(provider.id)} has no known kind.`);
    if (provider.version.trim() === '')
      throw new Error(`Check provider ${echo(provider.id)} has no version.`);
    seen.add(provider.id);
  }
}

/** The installed providers, by id, with the message that lists them when an id is unknown. */
type Installed = { byId: ReadonlyMap<string, CheckProvider>; unknownMessage: (id: string) => string };

function findEnabledProblems(installed: Installed, enabled: unknown): string[] {
  if (!Array.isArray(enabled)) return ['"enabled" must be a list of provider ids.'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const id of enabled) {
    if (typeof id !== 'string') problems.push('"enabled" may hold only provider ids (strings).');
    else if (!installed.byId.has(id)) problems.push(installed.unknownMessage(id));
    else if (seen.has(id)) problems.push(`Check provider ${echo(id)} is listed twice.`);
    else seen.add(id);
  }
  return problems;
}

function findSettingsProblems(installed: Installed, settings: unknown): string[] {
  if (settings === undefined) return [];
  if (!isPlainObject(settings)) return ['"settings" must be an object keyed by provider id.'];
  return Object.entries(settings).flatMap(([id, value]) => {
    const provider = installed.byId.get(id);
    if (provider === undefined) return [installed.unknownMessage(id)];
    if (provider.describeSettingsProblem === undefined)
      return [`Check provider ${echo(id)} takes no settings.`];
    const problem = provider.describeSettingsProblem(value);
    return problem === undefined ? [] : [`Settings of ${echo(id)}: ${problem}`];
  });
}

function parseConfigWith(installed: Installed, raw: unknown): CheckConfig {
  if (!isPlainObject(raw))
    throw new AppError('validation_failed', 'The check configuration must be an object.');
  const strayKeys = Object.keys(raw).filter((key) => !CONFIG_KEYS.has(key));
  const problems = [
    ...strayKeys.map((key) => `Unknown check configuration field ${echo(key)}.`),
    ...findEnabledProblems(installed, raw.enabled),
    ...findSettingsProblems(installed, raw.settings),
  ];
  if (problems.length > 0) {
    // A list of a thousand bad ids needs no thousand-line answer.
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
    throw new AppError('validation_failed', shown.join(' '), { problems: shown });
  }
  const enabled = (raw.enabled as string[]).map((id) => installed.byId.get(id)!).sort(compareProviders);
  const ids = enabled.map((provider) => provider.id);
  return raw.settings === undefined
    ? { enabled: ids }
    : { enabled: ids, settings: raw.settings as Record<string, unknown> };
}

const idsOf = (providers: CheckProvider[]) => providers.map((provider) => provider.id);

/** Builds the registry of the providers installed in this process. */
export function createCheckRegistry(providers: readonly CheckProvider[]): CheckRegistry {
  assertValidProviders(providers);
  const ordered = [...providers].sort(compareProviders);
  const knownIds = idsOf(ordered).join(', ') || 'none';
  const installed: Installed = {
    byId: new Map(ordered.map((provider) => [provider.id, provider])),
    unknownMessage: (id) => `Unknown check provider ${echo(id)}; installed providers: ${knownIds}.`,
  };

  function getProvider(id: string): CheckProvider {
    const provider = installed.byId.get(id);
    if (provider === undefined) throw new AppError('not_found', installed.unknownMessage(id));
    return provider;
  }
  const enabledProviders = (config: CheckConfig) => config.enabled.map(getProvider).sort(compareProviders);

  return {
    listProviders: () => ordered.map(({ id, version, kind, isLocal }) => ({ id, version, kind, isLocal })),
    getProvider,
    parseConfig: (raw) => parseConfigWith(installed, raw),
    defaultConfig: () => ({ enabled: idsOf(ordered.filter((provider) => provider.isLocal)) }),
    providersFor: (config, subject) =>
      enabledProviders(config).filter((provider) => provider.appliesTo(subject)),
    describeKinds: (config) => {
      const enabled = enabledProviders(config);
      return CHECK_KINDS.map((kind) => ({
        kind,
        availableProviderIds: idsOf(ordered.filter((provider) => provider.kind === kind)),
        enabledProviderIds: idsOf(enabled.filter((provider) => provider.kind === kind)),
      }));
    },
  };
}
