/**
 * How dossier values read on paper. Times are printed in UTC with the zone named, because a
 * printed dossier travels to auditors and supervisors in other time zones.
 */
import type { DossierActor } from './dossier.types.ts';

/** `2026-03-14 09:30 UTC`; a text that is not a valid instant is printed as it is. */
export function formatInstant(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const text = new Date(time).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** A date, or a dash when there is none. */
export function formatDate(date: string | null): string {
  return date ?? '—';
}

/** `Maria Nowak (usr_123)`: the name for the reader, the id for the audit trail. */
export function formatActor(actor: DossierActor | null): string {
  return actor ? `${actor.name} (${actor.id})` : 'system';
}

/** `33.33 %`, without trailing zeros. */
export function formatPercentage(value: number): string {
  return `${Number(value.toFixed(2))} %`;
}

/** A stored code in words: `false_positive` → `false positive`. */
export function formatCode(code: string): string {
  return code.replaceAll('_', ' ');
}

/** The same code with a capital, for the start of a cell. */
export function formatCodeCapitalised(code: string): string {
  const words = formatCode(code);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A risk variable's value; lists are joined, a missing fact says so. */
export function formatVariable(value: number | boolean | string | readonly string[] | null): string {
  if (value === null) return '(missing)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  return String(value);
}

/** `yes` / `no`. */
export function formatYesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
