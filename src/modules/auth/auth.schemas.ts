/** Request and response schemas of sign-in and account routes (responses are whitelists). */
import { Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
const Base64Url = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+=*$' });
// Passwords are bounded well above the policy's 128 characters so the policy, not the schema,
// explains a refusal; argon2 never sees more than this.
const Password = Type.String({ minLength: 1, maxLength: 512 });
const Token = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });
const Transport = Type.Union(
  ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'].map((name) => Type.Literal(name)),
);
const Label = Type.String({ minLength: 1, maxLength: 100 });

/** Body of POST /v1/auth/sign-in. */
export const SignInBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }), password: Password },
  { additionalProperties: false },
);

/** Body presenting a TOTP or recovery code. */
export const CodeBody = Type.Object(
  {
    method: Type.Union([Type.Literal('totp'), Type.Literal('recovery_code')]),
    code: Type.String({ minLength: 6, maxLength: 40 }),
  },
  { additionalProperties: false },
);

/** Body of setup-link and invitation acceptance. */
export const TokenPasswordBody = Type.Object(
  { token: Token, password: Password },
  { additionalProperties: false },
);

/** A WebAuthn registration response from the browser. */
export const RegistrationResponseBody = Type.Object(
  {
    id: Base64Url(1400),
    rawId: Base64Url(1400),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: Base64Url(8192),
        attestationObject: Base64Url(32768),
        authenticatorData: Type.Optional(Base64Url(32768)),
        transports: Type.Optional(Type.Array(Transport, { maxItems: 10 })),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(Base64Url(8192)),
      },
      { additionalProperties: false },
    ),
    clientExtensionResults: Type.Object({}, { additionalProperties: true, maxProperties: 20 }),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
  },
  { additionalProperties: false },
);

/** A WebAuthn authentication response from the browser. */
export const AuthenticationResponseBody = Type.Object(
  {
    id: Base64Url(1400),
    rawId: Base64Url(1400),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: Base64Url(8192),
        authenticatorData: Base64Url(32768),
        signature: Base64Url(2048),
        userHandle: Type.Optional(Base64Url(1024)),
      },
      { additionalProperties: false },
    ),
    clientExtensionResults: Type.Object({}, { additionalProperties: true, maxProperties: 20 }),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
  },
  { additionalProperties: false },
);

/** Body finishing a passkey sign-in or step-up. */
export const PasskeyAssertionBody = Type.Object(
  { challengeId: Uuid, response: AuthenticationResponseBody },
  { additionalProperties: false },
);

/** Body finishing a passkey registration. */
export const PasskeyRegistrationBody = Type.Object(
  { challengeId: Uuid, label: Label, response: RegistrationResponseBody },
  { additionalProperties: false },
);

/** Body starting a TOTP enrolment. */
export const TotpBeginBody = Type.Object({ label: Label }, { additionalProperties: false });
/** Body confirming a TOTP enrolment. */
export const TotpConfirmBody = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);

/** Body of a password change. */
export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

/** Body choosing the tenant to work in. */
export const SelectTenantBody = Type.Object({ tenantId: Uuid }, { additionalProperties: false });

/** Path naming a factor. */
export const FactorParams = Type.Object({ factorId: Uuid }, { additionalProperties: false });
/** Path naming a session. */
export const SessionParams = Type.Object({ sessionId: Uuid }, { additionalProperties: false });
/** Path naming a member. */
export const UserParams = Type.Object({ userId: Uuid }, { additionalProperties: false });

/** The state of the caller's session after a sign-in step (the cookie carries the token). */
export const SessionStateResponse = Type.Object({
  stage: Type.Union([Type.Literal('second_factor'), Type.Literal('enrolment'), Type.Literal('full')]),
  csrfToken: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  factorKinds: Type.Array(Type.String()),
});

/** WebAuthn options for the browser plus the id of the stored challenge. */
export const PasskeyOptionsResponse = Type.Object({ challengeId: Type.String(), options: Type.Unknown() });

/** The result of adding a factor; the first factor also returns recovery codes (once). */
export const EnrolmentResponse = Type.Object({
  factorId: Type.String(),
  recoveryCodes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  session: Type.Union([SessionStateResponse, Type.Null()]),
});

/** The signed-in person. */
export const AccountResponse = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  isOperator: Type.Boolean(),
  activeTenantId: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  secondFactorAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  tenants: Type.Array(
    Type.Object({ tenantId: Type.String(), name: Type.String(), roles: Type.Array(Type.String()) }),
  ),
});

/** A person's factors (never a secret or a key). */
export const FactorsResponse = Type.Object({
  factors: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      label: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
      lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
  recoveryCodesLeft: Type.Integer(),
});

/** A pending TOTP enrolment: the secret is shown this once. */
export const TotpBeginResponse = Type.Object({
  factorId: Type.String(),
  secret: Type.String(),
  uri: Type.String(),
});

/** A person's live sessions. */
export const SessionsResponse = Type.Object({
  sessions: Type.Array(
    Type.Object({
      id: Type.String(),
      isCurrent: Type.Boolean(),
      stage: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
      lastSeenAt: Type.String({ format: 'date-time' }),
      expiresAt: Type.String({ format: 'date-time' }),
      sourceIp: Type.Union([Type.String(), Type.Null()]),
      userAgent: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

/** The roles a tenant can grant, with their permissions. */
export const RolesResponse = Type.Object({
  roles: Type.Array(Type.Object({ role: Type.String(), permissions: Type.Array(Type.String()) })),
});
