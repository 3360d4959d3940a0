/** Request and response schemas of the catalogue routes: client types, services, required documents. */
import { Type } from 'typebox';
import { RISK_LEVELS } from './risk-model.schema.ts';

/** A catalogue code, as the tables' checks allow it. */
export const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', maxLength: 40 });
/** An actor's id, or null for what the defaults installed. */
export const UpdatedBy = Type.Union([Type.String({ format: 'uuid' }), Type.Null()]);
/** A moment, in ISO 8601. */
export const DateTime = Type.String({ format: 'date-time' });

const Name = Type.String({ minLength: 1, maxLength: 120 });
const Codes = Type.Array(Code, { maxItems: 50, uniqueItems: true });
const Level = Type.Enum(RISK_LEVELS);
// A PUT replaces the entry: leaving this out un-archives it.
const IsArchived = Type.Optional(Type.Boolean());

/** The profile fields a client type may require. */
export const REQUIRED_FIELDS = ['country', 'industry', 'services'] as const;

/** `:code`. */
export const CodeParams = Type.Object({ code: Code }, { additionalProperties: false });

/** A client type. */
export const ClientTypeBody = Type.Object(
  {
    name: Name,
    kind: Type.Enum(['person', 'entity'] as const),
    requiredFields: Type.Array(Type.Enum(REQUIRED_FIELDS), { maxItems: 3, uniqueItems: true }),
    questionnaires: Type.Array(Code, { maxItems: 20, uniqueItems: true }),
    isArchived: IsArchived,
  },
  { additionalProperties: false },
);

/** A service. */
export const ServiceBody = Type.Object(
  {
    name: Name,
    inherentRisk: Level,
    reviewIntervalMonths: Type.Integer({ minimum: 1, maximum: 120 }),
    isArchived: IsArchived,
  },
  { additionalProperties: false },
);

/** A required document; empty lists mean every client type or every service. */
export const DocumentRequirementBody = Type.Object(
  {
    name: Name,
    clientTypes: Codes,
    services: Codes,
    validityMonths: Type.Union([Type.Integer({ minimum: 1, maximum: 240 }), Type.Null()]),
    isArchived: IsArchived,
  },
  { additionalProperties: false },
);

const Stamp = { isArchived: Type.Boolean(), updatedAt: DateTime, updatedBy: UpdatedBy };

/** A client type as stored. */
export const ClientTypeResponse = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  requiredFields: Type.Array(Type.String()),
  questionnaires: Type.Array(Type.String()),
  ...Stamp,
});
/** Every client type. */
export const ClientTypesResponse = Type.Object({ clientTypes: Type.Array(ClientTypeResponse) });

/** A service as stored. */
export const ServiceResponse = Type.Object({
  code: Type.String(),
  name: Type.String(),
  inherentRisk: Level,
  reviewIntervalMonths: Type.Integer(),
  ...Stamp,
});
/** Every service. */
export const ServicesResponse = Type.Object({ services: Type.Array(ServiceResponse) });

/** A required document as stored. */
export const DocumentRequirementResponse = Type.Object({
  code: Type.String(),
  name: Type.String(),
  clientTypes: Type.Array(Type.String()),
  services: Type.Array(Type.String()),
  validityMonths: Type.Union([Type.Integer(), Type.Null()]),
  ...Stamp,
});
/** Every required document. */
export const DocumentRequirementsResponse = Type.Object({
  documentRequirements: Type.Array(DocumentRequirementResponse),
});
