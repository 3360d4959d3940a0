/** Request and response schemas of the tenants routes: bounded fields, no unknown ones. */
import { Type, type Static } from 'typebox';

/** A tenant as the API shows it (a whitelist of columns). */
export const TenantResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type TenantView = Static<typeof TenantResponse>;

/** Input of `POST /v1/tenants`. */
export const CreateTenantBody = Type.Object(
  {
    slug: Type.String({
      minLength: 1,
      maxLength: 63,
      pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
      description:
        'unique short name: 1-63 lowercase letters, digits and dashes, not starting or ending with a dash',
    }),
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      description: 'display name, 1-200 characters',
    }),
  },
  { additionalProperties: false },
);
export type CreateTenantInput = Static<typeof CreateTenantBody>;

/** Path of routes addressing one tenant. */
export const TenantParams = Type.Object(
  { tenantId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
