/**
 * The dossier's JSON form: canonical, so the same dossier always gives the same bytes and a
 * stored copy can be compared or hashed. Every object's keys are sorted by UTF-16 code unit (the
 * order of RFC 8785), arrays keep their order, and the text is indented for a human reader.
 */
import { Value as Schema } from 'typebox/value';
import { AppError } from '../../platform/errors.ts';
import { DossierSchema, type Dossier } from './dossier.types.ts';

/** The name a reader checks before trusting anything else in the file. */
export const DOSSIER_FORMAT = 'diligence-dossier';
/** The version of the JSON form; a change to the dossier's shape is a new version. */
export const DOSSIER_FORMAT_VERSION = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The dossier as canonical JSON: `{ dossier, format, version }`, keys sorted, ending in a newline. */
export function renderDossierJson(dossier: Dossier): string {
  const envelope = { format: DOSSIER_FORMAT, version: DOSSIER_FORMAT_VERSION, dossier };
  return `${JSON.stringify(canonicalise(envelope, '$'), null, 2)}\n`;
}

/** Reads a dossier back from its JSON form, refusing another format, version or shape. */
export function parseDossierJson(text: string): Dossier {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', 'The dossier file is not valid JSON.');
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    throw new AppError('validation_failed', 'The dossier file is not a dossier.');
  }
  const { format, version, dossier } = envelope as Record<string, unknown>;
  if (format !== DOSSIER_FORMAT) throw new AppError('validation_failed', 'The file is not a dossier.');
  if (version !== DOSSIER_FORMAT_VERSION) {
    throw new AppError('validation_failed', `Dossier version ${String(version)} is not supported.`);
  }
  if (!Schema.Check(DossierSchema, dossier)) {
    const first = Schema.Errors(DossierSchema, dossier)[0];
    const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'unknown field';
    throw new AppError('validation_failed', `The dossier does not have the expected shape (${where}).`);
  }
  return dossier;
}

/**
 * A copy with every object's keys sorted. Refuses what JSON.stringify would silently change
 * (NaN and Infinity become null, a Date becomes a text, a Map becomes {}), since a canonical
 * form that loses data would still look valid.
 */
function canonicalise(value: unknown, path: string): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is not a finite number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => canonicalise(item, `${path}[${index}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const sorted: { [key: string]: Json } = {};
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    entries.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    for (const [key, item] of entries) sorted[key] = canonicalise(item, `${path}.${key}`);
    return sorted;
  }
  throw new TypeError(`${path} is not plain JSON data`);
}
