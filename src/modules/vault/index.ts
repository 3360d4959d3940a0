/** The vault module's public surface: the factory, keyrings, key providers, and their types. */
export { createVault, type Vault } from './vault.service.ts';
export type { Keyring, FieldPlace } from './keyring.ts';
export type { SealedTable } from './reencryption.ts';
export type { VaultStatus } from './vault.status.ts';
export type { StoredDocument } from './documents.ts';
export { VaultKeyError } from './key-lifecycle.ts';
export {
  openLocalKeyProvider,
  parseInlineKeks,
  KeyProviderError,
  type KeyProvider,
  type LocalKeySource,
} from './key-provider.ts';
export { SealedValueError, type BlindIndexKind, type FieldType } from './envelope.ts';
export { DocumentIntegrityError } from './document-stream.ts';
export { registerVaultRoutes } from './vault.routes.ts';
