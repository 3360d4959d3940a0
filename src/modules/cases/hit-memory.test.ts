// Disposition memory: a resolved hit must not come back (alert fatigue) — but it must come back
// the moment the listed entry or the client's own data materially changes (a missed match).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  materialEntityHash,
  treatHit,
  type MaterialEntityFields,
  type RememberedResolution,
} from './hit-memory.ts';

const ENTRY: MaterialEntityFields = {
  schema: 'person',
  names: [{ full: 'Viktor KOZLOV' }, { full: 'Victor Kozlov' }],
  birthDates: ['1961-03-14'],
  nationalities: ['ru'],
  countries: ['CY'],
  identifiers: [{ type: 'passport', value: '72 1234567' }],
  topics: ['sanction'],
};

test('the material hash ignores order, case, spacing and duplicates', () => {
  const shuffled: MaterialEntityFields = {
    ...ENTRY,
    names: [{ full: 'victor kozlov' }, { full: 'Viktor KOZLOV' }, { full: 'Viktor KOZLOV' }],
    nationalities: ['RU'],
    identifiers: [{ type: 'passport', value: '721234567' }],
  };
  assert.equal(materialEntityHash(shuffled), materialEntityHash(ENTRY));
});

test('a new alias, birth date, country, identifier or topic changes the hash', () => {
  const base = materialEntityHash(ENTRY);
  const changes: Partial<MaterialEntityFields>[] = [
    { names: [...ENTRY.names, { full: 'V. Kozlov' }] },
    { birthDates: ['1961-03-14', '1962'] },
    { countries: ['CY', 'AE'] },
    { identifiers: [{ type: 'passport', value: '721234568' }] },
    { topics: ['sanction', 'crime'] },
    { schema: 'organisation' },
  ];
  for (const change of changes)
    assert.notEqual(materialEntityHash({ ...ENTRY, ...change }), base, JSON.stringify(change));
});

const KEY = { clientId: 'c1', subjectId: 'p1', listId: 'un-sc', sourceId: 'QDi.001' };
const remembered = (overrides: Partial<RememberedResolution> = {}): RememberedResolution => ({
  ...KEY,
  entityHash: 'e1',
  subjectHash: 's1',
  resolution: 'false_positive',
  hitId: 'h1',
  ...overrides,
});

test('a hit resolved before is reused while both sides are unchanged', () => {
  const treatment = treatHit({ ...KEY, entityHash: 'e1', subjectHash: 's1' }, [remembered()]);
  assert.deepEqual(treatment, { action: 'reuse', resolution: remembered() });
});

test('it is raised again when the entry or the subject changed, and for another subject or client', () => {
  const memory = [remembered()];
  assert.deepEqual(treatHit({ ...KEY, entityHash: 'e2', subjectHash: 's1' }, memory), {
    action: 'raise',
    because: 'entity_changed',
  });
  assert.deepEqual(treatHit({ ...KEY, entityHash: 'e1', subjectHash: 's2' }, memory), {
    action: 'raise',
    because: 'subject_changed',
  });
  assert.deepEqual(treatHit({ ...KEY, subjectId: 'p2', entityHash: 'e1', subjectHash: 's1' }, memory), {
    action: 'raise',
    because: 'new',
  });
  assert.deepEqual(treatHit({ ...KEY, clientId: 'c2', entityHash: 'e1', subjectHash: 's1' }, memory), {
    action: 'raise',
    because: 'new',
  });
});

test('a confirmed true match is reused as confirmed, not reopened', () => {
  const match = remembered({ resolution: 'true_match', hitId: 'h7' });
  const treatment = treatHit({ ...KEY, entityHash: 'e1', subjectHash: 's1' }, [
    remembered({ entityHash: 'old' }),
    match,
  ]);
  assert.equal(treatment.action, 'reuse');
  assert.equal(treatment.action === 'reuse' && treatment.resolution.resolution, 'true_match');
});
