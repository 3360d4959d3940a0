/**
 * The environment, parsed and validated once at start. A bad value stops the process with a
 * message that names the variable; secrets have no defaults.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { KeyProviderError, parseInlineKeks, type LocalKeySource } from './modules/vault/index.ts';

/** Which database the process talks to. */
export type DatabaseConfig =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; adminUrl: string; poolSize: number };

/** Where mail goes: an SMTP server, or the database outbox (development and tests). */
export type MailConfig = { kind: 'outbox' } | { kind: 'smtp'; url: string; from: string };

/** Session lifetimes. */
export type SessionConfig = { idleTimeoutMs: number; absoluteTimeoutMs: number };

/** Everything the process reads from its environment. */
export type Config = {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** false, a number of proxy hops, or the proxies' addresses/CIDRs; never "trust everyone". */
  trustProxy: false | number | string[];
  roles: ReadonlySet<'api' | 'worker'>;
  database: DatabaseConfig;
  /** The address people use to reach Diligence: links in mail, the passkey origin. */
  publicUrl: URL;
  mail: MailConfig;
  sessions: SessionConfig;
  /** Where the key-encryption keys come from: a key file, or DILIGENCE_KEK. */
  keys: LocalKeySource;
  /** The folder encrypted documents are stored in. */
  documentsDir: string;
  screening: ScreeningConfig;
};

/** Screening: worker threads for the index, how often to look for new list versions, list URLs. */
export type ScreeningConfig = {
  /** Worker threads holding the index; 0 means one per core. */
  threads: number;
  /** How often a running server checks for list versions imported by another process. */
  watchMs: number;
  /** Overrides of official download URLs: list id → file name → URL. */
  listUrls: Record<string, Record<string, string>>;
};

/** Thrown when an environment variable holds a value Diligence cannot use. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

type Environment = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function readInteger(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readTrustProxy(env: Environment): false | number | string[] {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  if (raw === 'true') {
    throw new ConfigError(
      'TRUST_PROXY',
      'must be a number of proxy hops or their addresses: trusting every hop lets clients forge their IP',
    );
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    if (isIP(address ?? '') === 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) {
      throw new ConfigError('TRUST_PROXY', `must list IP addresses or CIDR ranges, got "${entry}"`);
    }
  }
  return entries;
}

function readEnum<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
}

function readPostgresUrl(env: Environment, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL (expected postgres://user@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

function readRoles(env: Environment): ReadonlySet<'api' | 'worker'> {
  const raw = env.DILIGENCE_ROLES;
  if (raw === undefined || raw === '') return new Set(['api', 'worker']);
  const roles = raw.split(',').map((role) => role.trim());
  for (const role of roles) {
    if (role !== 'api' && role !== 'worker') {
      throw new ConfigError('DILIGENCE_ROLES', `may contain only api and worker, got "${role}"`);
    }
  }
  return new Set(roles as ('api' | 'worker')[]);
}

function readDatabase(env: Environment, cwd: string): DatabaseConfig {
  const url = readPostgresUrl(env, 'DATABASE_URL');
  const adminUrl = readPostgresUrl(env, 'DATABASE_ADMIN_URL');
  if (url === undefined) {
    if (adminUrl !== undefined) throw new ConfigError('DATABASE_ADMIN_URL', 'is set but DATABASE_URL is not');
    const dataDir =
      env.DILIGENCE_DATA_DIR === undefined || env.DILIGENCE_DATA_DIR === '' ? 'data' : env.DILIGENCE_DATA_DIR;
    return { kind: 'pglite', dataDir: path.resolve(cwd, dataDir) };
  }
  return {
    kind: 'postgres',
    url,
    adminUrl: adminUrl ?? url,
    poolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
  };
}

function readPublicUrl(env: Environment, port: number): URL {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') return new URL(`http://localhost:${port}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `is not a valid URL, got "${raw}"`);
  }
  // Session cookies are Secure and passkeys need a secure context: only localhost may use http.
  const isLocal = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocal))
    throw new ConfigError('PUBLIC_URL', 'must use https:// (http:// is allowed only for localhost)');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    throw new ConfigError('PUBLIC_URL', 'must be an origin only, like https://diligence.example.com');
  return url;
}

function readMail(env: Environment): MailConfig {
  const raw = env.SMTP_URL;
  if (raw === undefined || raw === '') {
    if (env.MAIL_FROM) throw new ConfigError('MAIL_FROM', 'is set but SMTP_URL is not');
    return { kind: 'outbox' };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL', 'is not a valid URL (expected smtps://user:password@host:465)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new ConfigError('SMTP_URL', `must start with smtp:// or smtps://, got "${url.protocol}//"`);
  const from = env.MAIL_FROM;
  if (from === undefined || !/^[^\s@<>]+@[^\s@<>]+$/.test(from))
    throw new ConfigError('MAIL_FROM', 'must be the sender address when SMTP_URL is set');
  return { kind: 'smtp', url: raw, from };
}

// Keys and documents sit beside the embedded data folder by default (./keys, ./documents), never
// inside it, so a copy of the data folder does not carry the key that opens it.
function defaultStateDir(database: DatabaseConfig, cwd: string): string {
  return database.kind === 'pglite' ? path.dirname(database.dataDir) : cwd;
}

function readKeys(env: Environment, stateDir: string, cwd: string): LocalKeySource {
  const inline = env.DILIGENCE_KEK;
  const file = env.DILIGENCE_KEY_FILE;
  if (inline !== undefined && inline !== '') {
    if (file !== undefined && file !== '')
      throw new ConfigError('DILIGENCE_KEY_FILE', 'and DILIGENCE_KEK are both set; use one of them');
    try {
      return { kind: 'inline', keys: parseInlineKeks(inline) };
    } catch (error) {
      if (error instanceof KeyProviderError) throw new ConfigError('DILIGENCE_KEK', error.message);
      throw error;
    }
  }
  if (file !== undefined && file !== '') return { kind: 'file', file: path.resolve(cwd, file) };
  return { kind: 'file', file: path.join(stateDir, 'keys', 'diligence-kek.json') };
}

/** Parses and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): Config {
  const port = readInteger(env, 'PORT', 3000, 0, 65535);
  const publicUrl = readPublicUrl(env, port);
  const mail = readMail(env);
  // The outbox keeps live invitation links in the database: fine on a laptop, not in production.
  if (mail.kind === 'outbox' && !['localhost', '127.0.0.1'].includes(publicUrl.hostname))
    throw new ConfigError(
      'SMTP_URL',
      'must be set when PUBLIC_URL is not localhost (the mail outbox is for development)',
    );
  const database = readDatabase(env, cwd);
  const stateDir = defaultStateDir(database, cwd);
  return {
    host: env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST,
    port,
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: readInteger(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    trustProxy: readTrustProxy(env),
    roles: readRoles(env),
    database,
    publicUrl,
    mail,
    sessions: {
      idleTimeoutMs: readInteger(env, 'SESSION_IDLE_MINUTES', 30, 5, 240) * 60_000,
      absoluteTimeoutMs: readInteger(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24) * 3_600_000,
    },
    keys: readKeys(env, stateDir, cwd),
    documentsDir:
      env.DILIGENCE_DOCUMENTS_DIR === undefined || env.DILIGENCE_DOCUMENTS_DIR === ''
        ? path.join(stateDir, 'documents')
        : path.resolve(cwd, env.DILIGENCE_DOCUMENTS_DIR),
    screening: {
      threads: readInteger(env, 'DILIGENCE_SCREENING_THREADS', 0, 0, 64),
      watchMs: readInteger(env, 'DILIGENCE_LIST_WATCH_SECONDS', 30, 0, 86_400) * 1000,
      listUrls: readListUrls(env),
    },
  };
}

function readListUrls(env: Environment): Record<string, Record<string, string>> {
  const raw = env.DILIGENCE_LIST_URLS;
  if (raw === undefined || raw === '') return {};
  const problem =
    'must be JSON like {"un-sc": {"consolidated.xml": "https://…"}} (list id → file name → URL)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('DILIGENCE_LIST_URLS', problem);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError('DILIGENCE_LIST_URLS', problem);
  const result: Record<string, Record<string, string>> = {};
  for (const [listId, files] of Object.entries(parsed)) {
    if (!files || typeof files !== 'object' || Array.isArray(files))
      throw new ConfigError('DILIGENCE_LIST_URLS', problem);
    const urls: Record<string, string> = {};
    for (const [file, url] of Object.entries(files as Record<string, unknown>)) {
      if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url)) {
        throw new ConfigError('DILIGENCE_LIST_URLS', `has no valid http(s) URL for ${listId} ${file}`);
      }
      urls[file] = url;
    }
    result[listId] = urls;
  }
  return result;
}
