/** Operators' key routes: the vault's state, and rotations (which need a fresh second factor). */
import { Type } from 'typebox';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import type { Vault } from './vault.service.ts';

const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
const Timestamp = Type.String({ format: 'date-time' });

const VaultStatusResponse = Type.Object({
  keyEncryptionKeys: Type.Array(
    Type.Object({
      id: Type.String(),
      state: Type.String(),
      createdAt: Timestamp,
      retiredAt: Type.Union([Timestamp, Type.Null()]),
      dataKeys: Type.Integer(),
    }),
  ),
  keyrings: Type.Array(
    Type.Object({
      keyringId: Uuid,
      activeVersion: Type.Integer(),
      usableVersions: Type.Array(Type.Integer()),
      shreddedAt: Type.Union([Timestamp, Type.Null()]),
      reencryption: Type.Union([
        Type.Object({
          state: Type.String(),
          targetVersion: Type.Integer(),
          currentTable: Type.Union([Type.String(), Type.Null()]),
          rowsRewritten: Type.Integer(),
          startedAt: Timestamp,
          finishedAt: Type.Union([Timestamp, Type.Null()]),
        }),
        Type.Null(),
      ]),
    }),
  ),
});

const RotateBody = Type.Object(
  {
    /** `data_keys`: new field-key versions (re-encryption follows in the background); `kek`: a new KEK. */
    target: Type.Union([Type.Literal('data_keys'), Type.Literal('kek')]),
    keyringId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

const RotateResponse = Type.Object({
  rotatedKeyrings: Type.Array(Type.Object({ keyringId: Uuid, version: Type.Integer() })),
  kek: Type.Union([
    Type.Object({
      kekId: Type.String(),
      dataKeysRewrapped: Type.Integer(),
      keksRetired: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
});

/** Registers the key routes. */
export function registerVaultRoutes(app: HttpServer, vault: Vault): void {
  app.get(
    '/v1/platform/keys',
    {
      config: { permission: 'keys:read' },
      schema: { tags: ['keys'], response: { 200: VaultStatusResponse } },
    },
    async () => vault.status(),
  );
  app.post(
    '/v1/platform/keys/rotate',
    {
      config: { permission: 'keys:rotate', requiresRecentSecondFactor: true },
      schema: { tags: ['keys'], body: RotateBody, response: { 200: RotateResponse } },
    },
    async (request) => {
      const actor = requireActor(request);
      if (request.body.target === 'kek') return { rotatedKeyrings: [], kek: await vault.rotateKek(actor) };
      const keyringId = request.body.keyringId === undefined ? undefined : toTenantId(request.body.keyringId);
      return { rotatedKeyrings: await vault.rotateDataKeys(actor, { keyringId }), kek: null };
    },
  );
}
