// Attacks on sealed values: a ciphertext copied to another row, column, table or tenant, a
// tampered byte, a value read back as another type, a wrapped key moved between tenants.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import test from 'node:test';
import {
  computeBlindIndex,
  createKekCanary,
  createKey,
  isKekCanaryValid,
  openField,
  resealField,
  sealField,
  sealedKeyVersion,
  SealedValueError,
  SEALED_OVERHEAD_BYTES,
  unwrapDataKey,
  wrapDataKey,
  type FieldAddress,
  type FieldType,
  type FieldValue,
} from './envelope.ts';

const key = createKey();
const keys = (version: number) => {
  if (version !== 7) throw new SealedValueError('no such version');
  return key;
};
const at: FieldAddress = {
  tenantId: '6f1c2a7e-3d0b-4f7a-9a55-0c1d2e3f4a5b',
  table: 'clients',
  column: 'name_sealed',
  rowId: 'b1e0c6f2-8a4d-4c3b-9e2f-1a2b3c4d5e6f',
};

const examples: { [T in FieldType]: FieldValue<T>[] } = {
  text: ['Ana María Øster-Łukasiewicz', '', '李小龍', 'x'.repeat(10_000)],
  date: ['1984-02-29', '2001-12-31'],
  number: [0, -1.5, 25, Number.MAX_SAFE_INTEGER],
  json: [{ street: 'Nørregade 1', city: 'København', lines: ['a', 'b'] }, [1, 'two', null], null, true],
  bytes: [Buffer.alloc(0), randomBytes(4096)],
};

for (const [type, values] of Object.entries(examples) as [FieldType, FieldValue<FieldType>[]][]) {
  test(`a ${type} value round-trips and the ciphertext does not contain it`, () => {
    for (const value of values) {
      const sealed = sealField(key, 7, at, type, value);
      assert.deepEqual(openField(keys, at, type, sealed), value);
      assert.equal(sealedKeyVersion(sealed), 7);
      if (typeof value === 'string' && value.length > 3)
        assert.equal(sealed.includes(Buffer.from(value, 'utf8')), false, 'plaintext visible in ciphertext');
    }
  });
}

test('sealing the same value twice gives different ciphertexts (random IV)', () => {
  const a = sealField(key, 7, at, 'text', 'Jane Doe');
  const b = sealField(key, 7, at, 'text', 'Jane Doe');
  assert.notDeepEqual(a, b);
  assert.equal(a.length, SEALED_OVERHEAD_BYTES + 'Jane Doe'.length);
});

for (const [part, moved] of [
  ['row', { ...at, rowId: '0b1e0c6f-8a4d-4c3b-9e2f-1a2b3c4d5e6f' }],
  ['column', { ...at, column: 'address_sealed' }],
  ['table', { ...at, table: 'owners' }],
  ['tenant', { ...at, tenantId: '7f1c2a7e-3d0b-4f7a-9a55-0c1d2e3f4a5b' }],
] as const) {
  test(`a ciphertext moved to another ${part} does not open`, () => {
    const sealed = sealField(key, 7, at, 'text', 'Jane Doe');
    assert.throws(() => openField(keys, moved, 'text', sealed), SealedValueError);
  });
}

test('a changed byte anywhere (header, IV, tag, body) makes the value unreadable', () => {
  const sealed = sealField(key, 7, at, 'text', 'Jane Doe');
  for (let index = 0; index < sealed.length; index += 1) {
    const tampered = Buffer.from(sealed);
    tampered[index] = tampered[index]! ^ 0x01;
    assert.throws(() => openField(keys, at, 'text', tampered), SealedValueError, `byte ${index}`);
  }
});

test('a value is opened only as the type it was sealed as', () => {
  const sealed = sealField(key, 7, at, 'date', '1990-01-01');
  assert.throws(() => openField(keys, at, 'text', sealed), /not of type text/);
});

test('invalid values are refused before sealing', () => {
  assert.throws(() => sealField(key, 7, at, 'date', '01/02/1990'), TypeError);
  assert.throws(() => sealField(key, 7, at, 'number', Number.NaN), TypeError);
  assert.throws(() => sealField(key, 7, at, 'text', 42 as unknown as string), TypeError);
});

test('another key does not open the value', () => {
  const sealed = sealField(key, 7, at, 'text', 'Jane Doe');
  assert.throws(() => openField(() => createKey(), at, 'text', sealed), SealedValueError);
});

test('reseal moves a value to a new key version, keeping its type and place', () => {
  const newKey = createKey();
  const sealed = sealField(key, 7, at, 'json', { a: 1 });
  const resealed = resealField(keys, newKey, 8, at, sealed);
  assert.equal(sealedKeyVersion(resealed), 8);
  assert.deepEqual(
    openField((version) => (version === 8 ? newKey : key), at, 'json', resealed),
    { a: 1 },
  );
});

test('a wrapped data key opens only under its KEK and its own label', () => {
  const kek = createKey();
  const dataKey = createKey();
  const label = { kekId: 'kek-a', tenantId: at.tenantId, purpose: 'fields', version: 1 };
  const wrapped = wrapDataKey(kek, dataKey, label);
  assert.deepEqual(unwrapDataKey(kek, wrapped, label), dataKey);
  assert.throws(() => unwrapDataKey(createKey(), wrapped, label), SealedValueError);
  assert.throws(() =>
    unwrapDataKey(kek, wrapped, { ...label, tenantId: '7f1c2a7e-3d0b-4f7a-9a55-0c1d2e3f4a5b' }),
  );
  assert.throws(() => unwrapDataKey(kek, wrapped, { ...label, version: 2 }));
  assert.throws(() => unwrapDataKey(kek, wrapped, { ...label, purpose: 'blind_index' }));
});

test('the KEK canary recognises its key and nothing else', () => {
  const kek = createKey();
  const canary = createKekCanary(kek, 'kek-a');
  assert.equal(isKekCanaryValid(kek, 'kek-a', canary), true);
  assert.equal(isKekCanaryValid(createKey(), 'kek-a', canary), false);
  assert.equal(isKekCanaryValid(kek, 'kek-b', canary), false);
});

test('blind indexes: equal after normalisation, different across fields and keys', () => {
  const indexKey = createKey();
  const email = (value: string) => computeBlindIndex(indexKey, 'users.email', 'email', value);
  assert.deepEqual(email('Jane.Doe@Example.com '), email('jane.doe@example.com'));
  assert.notDeepEqual(email('jane.doe@example.com'), email('jane.doe@example.co'));
  const documentNumber = (value: string) =>
    computeBlindIndex(indexKey, 'clients.document_number', 'identifier', value);
  assert.deepEqual(documentNumber('AB 123-456/7'), documentNumber('ab1234567'));
  assert.notDeepEqual(documentNumber('AB1234567'), documentNumber('AB1234568'));
  assert.notDeepEqual(
    computeBlindIndex(indexKey, 'owners.document_number', 'identifier', 'AB1234567'),
    documentNumber('AB1234567'),
  );
  assert.notDeepEqual(computeBlindIndex(createKey(), 'users.email', 'email', 'a@b.c'), email('a@b.c'));
  assert.equal(email('jane.doe@example.com').length, 32);
});
