/**
 * Disposition memory, pure: a screening hit an officer resolved is not raised again for the same
 * client, the same person in its structure and the same list entry — unless the entry's listed
 * data materially changed or the person's own data changed. Both sides are compared by hash, so
 * the memory holds no name.
 *
 * "Materially" means the fields matching reads (names, birth dates, nationalities and countries,
 * identifiers, the kind of entity) and the topics (sanction, PEP, crime). A new programme code,
 * remark or address line leaves a resolution standing; a new alias or birth date does not.
 */
import { createHash } from 'node:crypto';

/** The fields of a listed entry a resolution rests on. */
export type MaterialEntityFields = {
  schema: string;
  names: readonly { full: string }[];
  birthDates: readonly string[];
  nationalities: readonly string[];
  countries: readonly string[];
  identifiers: readonly { type?: string | null; value: string }[];
  topics: readonly string[];
};

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** A stable hash of an entry's material fields (order and duplicates do not matter). */
export function materialEntityHash(entity: MaterialEntityFields): string {
  const canonical = {
    schema: entity.schema,
    names: sortedUnique(entity.names.map((name) => name.full.normalize('NFC').trim().toLowerCase())),
    birthDates: sortedUnique(entity.birthDates),
    countries: sortedUnique([...entity.nationalities, ...entity.countries].map((code) => code.toUpperCase())),
    identifiers: sortedUnique(
      entity.identifiers.map((id) => `${id.type ?? ''}:${id.value.replace(/\s+/g, '').toUpperCase()}`),
    ),
    topics: sortedUnique(entity.topics),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Which hit: this client, this person or company in it (the client itself included), this entry. */
export type HitKey = { clientId: string; subjectId: string; listId: string; sourceId: string };

/** A resolution on record. */
export type RememberedResolution = HitKey & {
  entityHash: string;
  /** A keyed hash of the subject's screened data when it was resolved. */
  subjectHash: string;
  resolution: 'true_match' | 'false_positive';
  hitId: string;
};

/** What to do with a new hit. */
export type HitTreatment =
  | { action: 'raise'; because: 'new' | 'entity_changed' | 'subject_changed' }
  | { action: 'reuse'; resolution: RememberedResolution };

const sameKey = (a: HitKey, b: HitKey) =>
  a.clientId === b.clientId &&
  a.subjectId === b.subjectId &&
  a.listId === b.listId &&
  a.sourceId === b.sourceId;

/**
 * Raise the hit for an officer, or reuse an earlier resolution of exactly this pairing. A reused
 * true match stays a confirmed match (it is not reopened, and it still counts as confirmed); a
 * reused false positive is not shown again.
 */
export function treatHit(
  hit: HitKey & { entityHash: string; subjectHash: string },
  memory: readonly RememberedResolution[],
): HitTreatment {
  const earlier = memory.filter((entry) => sameKey(entry, hit));
  if (earlier.length === 0) return { action: 'raise', because: 'new' };
  const exact = earlier.find(
    (entry) => entry.entityHash === hit.entityHash && entry.subjectHash === hit.subjectHash,
  );
  if (exact) return { action: 'reuse', resolution: exact };
  const entityStill = earlier.some((entry) => entry.entityHash === hit.entityHash);
  return { action: 'raise', because: entityStill ? 'subject_changed' : 'entity_changed' };
}
