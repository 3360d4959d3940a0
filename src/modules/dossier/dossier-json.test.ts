import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../platform/errors.ts';
import { parseDossierJson, renderDossierJson } from './dossier-json.ts';
import { buildExampleDossier } from './dossier.test-fixtures.ts';
import type { Dossier } from './dossier.types.ts';

/** The same data with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  );
}

/** Every object key path whose keys are out of order, so a failure names where. */
function unsortedObjects(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => unsortedObjects(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  const sorted = [...keys].sort();
  const here = keys.join() === sorted.join() ? [] : [path];
  return [
    ...here,
    ...Object.entries(value).flatMap(([key, item]) => unsortedObjects(item, `${path}.${key}`)),
  ];
}

function rejection(code: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

test('the JSON names its format and version and sorts the keys of every object', () => {
  const text = renderDossierJson(buildExampleDossier());
  const parsed = JSON.parse(text) as { format: unknown; version: unknown; dossier: Dossier };
  assert.equal(parsed.format, 'diligence-dossier');
  assert.equal(parsed.version, 1);
  assert.deepEqual(Object.keys(parsed), ['dossier', 'format', 'version']);
  assert.deepEqual(unsortedObjects(parsed), []);
  assert.ok(text.endsWith('}\n'));
  // Names stay as written: canonical form does not escape or fold them.
  assert.ok(text.includes('"name": "Ångström Holding ApS"'));
  assert.ok(text.includes('Łukasz Wójcik'));
});

test('the same dossier gives the same text whatever order its fields were built in', () => {
  const dossier = buildExampleDossier();
  const shuffled = reverseKeys(dossier) as Dossier;
  assert.notDeepEqual(Object.keys(shuffled), Object.keys(dossier));
  assert.equal(renderDossierJson(shuffled), renderDossierJson(dossier));
  assert.equal(renderDossierJson(buildExampleDossier()), renderDossierJson(dossier));
});

test('the JSON reads back into the same dossier, and renders again to the same text', () => {
  const dossier = buildExampleDossier();
  const text = renderDossierJson(dossier);
  const read = parseDossierJson(text);
  assert.deepEqual(read, dossier);
  assert.equal(renderDossierJson(read), text);
});

test('reading refuses another format, another version, a wrong shape or broken JSON', () => {
  const envelope = JSON.parse(renderDossierJson(buildExampleDossier())) as Record<string, unknown>;
  const withField = (changes: Record<string, unknown>) => JSON.stringify({ ...envelope, ...changes });
  assert.throws(
    () => parseDossierJson(withField({ format: 'other' })),
    rejection('validation_failed', /not a dossier/),
  );
  assert.throws(
    () => parseDossierJson(withField({ version: 2 })),
    rejection('validation_failed', /version 2/),
  );
  const dossier = envelope.dossier as Record<string, unknown>;
  assert.throws(
    () => parseDossierJson(withField({ dossier: { ...dossier, decision: { outcome: 'maybe' } } })),
    rejection('validation_failed', /\/decision/),
  );
  assert.throws(
    () => parseDossierJson(withField({ dossier: { ...dossier, generatedAt: 'yesterday' } })),
    rejection('validation_failed', /\/generatedAt: must match format "date-time"/),
  );
  assert.throws(() => parseDossierJson('{"format":'), rejection('validation_failed', /not valid JSON/));
  assert.throws(() => parseDossierJson('[]'), rejection('validation_failed', /not a dossier/));
});

test('rendering refuses a value JSON would silently change, rather than archive a lossy copy', () => {
  const example = buildExampleDossier();
  const [hit] = example.screeningHits;
  assert.ok(hit);
  assert.throws(
    () => renderDossierJson({ ...example, screeningHits: [{ ...hit, score: Number.NaN }] }),
    /screeningHits\[0\]\.score is not a finite number/,
  );
  const withDate = { ...example, generatedAt: new Date() } as unknown as Dossier;
  assert.throws(() => renderDossierJson(withDate), /\$\.dossier\.generatedAt is not plain JSON data/);
});
