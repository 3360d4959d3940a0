/**
 * The cryptography of the vault, with no database: AES-256-GCM sealing of one field value, the
 * wrapping of data keys by a key-encryption key (KEK), and keyed blind indexes.
 *
 * A sealed field is `header ‖ iv ‖ tag ‖ ciphertext`; the header names the format, the algorithm
 * and the data-key version. The associated data binds the header and the field's place (tenant,
 * table, column, row id), so a ciphertext copied to another row, column or tenant fails to open.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** Byte 0 of every sealed value: the layout below. */
export const SEALED_FORMAT = 1;
/** Byte 1: AES-256-GCM with a 96-bit random IV and a 128-bit tag. */
export const ALGORITHM_AES_256_GCM = 1;
const HEADER_BYTES = 6; // format, algorithm, key version (uint32 big-endian)
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a sealed value adds to its plaintext (header, IV, tag, type tag). */
export const SEALED_OVERHEAD_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES + 1;
/** A data key or KEK: 256 random bits. */
export const KEY_BYTES = 32;

/** Where a sealed value lives; all four parts are authenticated. */
export type FieldAddress = { tenantId: string; table: string; column: string; rowId: string };

/** The kinds of value a field can hold; the kind is sealed with the value and checked on opening. */
export type FieldType = 'text' | 'date' | 'number' | 'json' | 'bytes';
/** JSON as stored in a `json` field. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** The value type of each field type. */
export type FieldValue<T extends FieldType> = {
  text: string;
  date: string;
  number: number;
  json: JsonValue;
  bytes: Buffer;
}[T];

/** A sealed value could not be opened: wrong key, wrong place, or tampered bytes. */
export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedValueError';
  }
}

const TYPE_TAGS: Record<FieldType, number> = { text: 1, date: 2, number: 3, json: 4, bytes: 5 };
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function lengthPrefixed(parts: readonly string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

function fieldAad(header: Buffer, at: FieldAddress): Buffer {
  // Length prefixes make ("ab","c") and ("a","bc") different associated data.
  return Buffer.concat([
    header,
    lengthPrefixed(['diligence/field/v1', at.tenantId, at.table, at.column, at.rowId]),
  ]);
}

function encodeValue<T extends FieldType>(type: T, value: FieldValue<T>): Buffer {
  const tag = Buffer.of(TYPE_TAGS[type]);
  switch (type) {
    case 'text':
      if (typeof value !== 'string') throw new TypeError('A text field takes a string');
      return Buffer.concat([tag, Buffer.from(value, 'utf8')]);
    case 'date':
      if (typeof value !== 'string' || !ISO_DATE.test(value))
        throw new TypeError('A date field takes an ISO date (YYYY-MM-DD)');
      return Buffer.concat([tag, Buffer.from(value, 'ascii')]);
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new TypeError('A number field takes a finite number');
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleBE(value);
      return Buffer.concat([tag, bytes]);
    }
    case 'json':
      return Buffer.concat([tag, Buffer.from(JSON.stringify(value), 'utf8')]);
    case 'bytes':
      if (!Buffer.isBuffer(value)) throw new TypeError('A bytes field takes a Buffer');
      return Buffer.concat([tag, value]);
  }
  throw new TypeError(`Unknown field type ${String(type)}`);
}

function decodeValue<T extends FieldType>(type: T, plaintext: Buffer): FieldValue<T> {
  if (plaintext[0] !== TYPE_TAGS[type]) throw new SealedValueError(`The sealed value is not of type ${type}`);
  const payload = plaintext.subarray(1);
  switch (type) {
    case 'text':
    case 'date':
      return payload.toString('utf8') as FieldValue<T>;
    case 'number':
      return payload.readDoubleBE(0) as FieldValue<T>;
    case 'json':
      return JSON.parse(payload.toString('utf8')) as FieldValue<T>;
    case 'bytes':
      return Buffer.from(payload) as FieldValue<T>;
  }
  throw new SealedValueError(`Unknown field type ${String(type)}`);
}

/** The data-key version a sealed value names in its header (without opening it). */
export function sealedKeyVersion(sealed: Uint8Array): number {
  if (sealed.length < SEALED_OVERHEAD_BYTES || sealed[0] !== SEALED_FORMAT)
    throw new SealedValueError('Not a sealed value (unknown format)');
  return Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).readUInt32BE(2);
}

function sealPlaintext(key: Buffer, keyVersion: number, at: FieldAddress, plaintext: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = SEALED_FORMAT;
  header[1] = ALGORITHM_AES_256_GCM;
  header.writeUInt32BE(keyVersion, 2);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(fieldAad(header, at));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
}

function openPlaintext(
  keyForVersion: (version: number) => Buffer,
  at: FieldAddress,
  sealed: Uint8Array,
): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const version = sealedKeyVersion(bytes);
  if (bytes[1] !== ALGORITHM_AES_256_GCM) throw new SealedValueError('Unknown algorithm in sealed value');
  const header = bytes.subarray(0, HEADER_BYTES);
  const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = bytes.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keyForVersion(version), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(fieldAad(header, at));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    // Deliberately vague: which of key, place or bytes was wrong is not the caller's business.
    throw new SealedValueError('The sealed value does not open with this key at this place');
  }
}

/** Seals one value with `key` (data-key version `keyVersion`) for the place `at`. */
export function sealField<T extends FieldType>(
  key: Buffer,
  keyVersion: number,
  at: FieldAddress,
  type: T,
  value: FieldValue<T>,
): Buffer {
  return sealPlaintext(key, keyVersion, at, encodeValue(type, value));
}

/** Opens a value sealed by `sealField` with the key its header names; throws if anything differs. */
export function openField<T extends FieldType>(
  keyForVersion: (version: number) => Buffer,
  at: FieldAddress,
  type: T,
  sealed: Uint8Array,
): FieldValue<T> {
  return decodeValue(type, openPlaintext(keyForVersion, at, sealed));
}

/** Opens a sealed value and seals the same bytes under another key version (re-encryption). */
export function resealField(
  keyForVersion: (version: number) => Buffer,
  newKey: Buffer,
  newVersion: number,
  at: FieldAddress,
  sealed: Uint8Array,
): Buffer {
  return sealPlaintext(newKey, newVersion, at, openPlaintext(keyForVersion, at, sealed));
}

/** What a wrapped data key is bound to; a wrapped key moved to another tenant or version fails. */
export type DataKeyLabel = { kekId: string; tenantId: string; purpose: string; version: number };

function dataKeyAad(label: DataKeyLabel): Buffer {
  return lengthPrefixed([
    'diligence/data-key/v1',
    label.kekId,
    label.tenantId,
    label.purpose,
    String(label.version),
  ]);
}

function encryptWithAad(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([
    Buffer.of(SEALED_FORMAT, ALGORITHM_AES_256_GCM),
    iv,
    cipher.getAuthTag(),
    ciphertext,
  ]);
}

function decryptWithAad(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed[0] !== SEALED_FORMAT || sealed[1] !== ALGORITHM_AES_256_GCM)
    throw new SealedValueError('Unknown key-wrapping format');
  const iv = sealed.subarray(2, 2 + IV_BYTES);
  const tag = sealed.subarray(2 + IV_BYTES, 2 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(2 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealedValueError('The wrapped key does not open with this key-encryption key');
  }
}

/** Encrypts a data key under a KEK, bound to its label. */
export function wrapDataKey(kek: Buffer, dataKey: Buffer, label: DataKeyLabel): Buffer {
  return encryptWithAad(kek, dataKey, dataKeyAad(label));
}

/** Decrypts a data key wrapped by `wrapDataKey` with the same KEK and label. */
export function unwrapDataKey(kek: Buffer, wrapped: Buffer, label: DataKeyLabel): Buffer {
  return decryptWithAad(kek, wrapped, dataKeyAad(label));
}

const CANARY_TEXT = Buffer.from('diligence key-encryption-key check', 'utf8');

/** A value only `kek` opens: stored beside the KEK's id, it proves at start that a key is the right one. */
export function createKekCanary(kek: Buffer, kekId: string): Buffer {
  return encryptWithAad(kek, CANARY_TEXT, lengthPrefixed(['diligence/kek-canary/v1', kekId]));
}

/** Whether `kek` is the key whose canary this is. */
export function isKekCanaryValid(kek: Buffer, kekId: string, canary: Buffer): boolean {
  try {
    return decryptWithAad(kek, canary, lengthPrefixed(['diligence/kek-canary/v1', kekId])).equals(
      CANARY_TEXT,
    );
  } catch {
    return false;
  }
}

/** How a value is normalised before its blind index is computed, so equal values index equally. */
export type BlindIndexKind = 'email' | 'identifier' | 'exact';

/** The normal form a blind index is computed over. */
export function normaliseForIndex(kind: BlindIndexKind, value: string): string {
  const folded = value.normalize('NFKC').trim();
  switch (kind) {
    case 'email':
      return folded.toLowerCase();
    case 'identifier':
      // Document and registration numbers are written with spaces, dashes, dots or slashes at will.
      return folded.toUpperCase().replace(/[\s\-./]/g, '');
    case 'exact':
      return folded;
  }
}

/**
 * A keyed HMAC-SHA256 of the normalised value. The field's name is part of the input, so the same
 * value in two fields gives unrelated indexes; equal values in one field and tenant give equal ones.
 */
export function computeBlindIndex(key: Buffer, field: string, kind: BlindIndexKind, value: string): Buffer {
  return createHmac('sha256', key)
    .update(lengthPrefixed(['diligence/blind-index/v1', field, normaliseForIndex(kind, value)]))
    .digest();
}

/** A fresh random 256-bit key. */
export function createKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
