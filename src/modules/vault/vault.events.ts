/** Audit actions of the vault module (ids and counts only; never key material). */
export type VaultAuditAction = 'vault.kek_rotated' | 'vault.data_key_rotated' | 'vault.keyring_shredded';
