// What the stored indexes and hashes are computed from: the canonical JSON behind "the data
// changed", and lookup inputs that must equal the index inputs the data declares.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blindIndexInput } from './client-data.schemas.ts';
import { canonicalJson, displayName, identifierIndexInput, nameIndexInput } from './clients.sealing.ts';
import { entityData, personData } from './clients.test-fixtures.ts';

test('canonical JSON ignores key order at every level and drops absent values', () => {
  const a = { b: 1, a: { d: [{ y: 1, x: 2 }], c: 'x' }, e: undefined };
  const b = { a: { c: 'x', d: [{ x: 2, y: 1 }] }, b: 1 };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(canonicalJson(a), '{"a":{"c":"x","d":[{"x":2,"y":1}]},"b":1}');
  assert.notEqual(
    canonicalJson({ list: [1, 2] }),
    canonicalJson({ list: [2, 1] }),
    'arrays keep their order',
  );
});

test('canonical JSON escapes non-ASCII, so spellings that NFKC would merge still differ', () => {
  assert.equal(canonicalJson({ name: 'Kjær' }), '{"name":"Kj\\u00e6r"}');
  // The ligature and the two letters are one string after NFKC: the hash must still tell them apart.
  assert.notEqual(
    canonicalJson({ name: 'ﬁrm' }).normalize('NFKC'),
    canonicalJson({ name: 'firm' }).normalize('NFKC'),
  );
  assert.equal(JSON.parse(canonicalJson({ name: 'Ærø 😀' })).name, 'Ærø 😀', 'still the same value');
});

test('the name index input is the one the data schema declares, for both kinds', () => {
  for (const data of [
    personData(),
    entityData(),
    personData({ name: { givenNames: 'Jean-Luc', familyName: "O'Brien" } }),
  ])
    assert.equal(nameIndexInput(displayName(data)), blindIndexInput('name', data));
  assert.equal(nameIndexInput('  INGRID   marie-Halvorsen '), nameIndexInput('Ingrid Marie Halvorsen'));
});

test('an identifier typed in a lookup folds to the index input of either kind of number', () => {
  const entity = entityData({ registrationNumber: '24 25.67/90' });
  assert.equal(identifierIndexInput('DK', '24256790'), blindIndexInput('registration_number', entity));
  const person = personData();
  assert.equal(identifierIndexInput('NO', 'nx 447-1902'), blindIndexInput('document_number', person));
  assert.notEqual(identifierIndexInput('SE', 'NX4471902'), blindIndexInput('document_number', person));
});
