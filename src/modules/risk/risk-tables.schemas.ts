/** Request and response schemas of the country and industry table routes (responses are whitelists). */
import { Type } from 'typebox';
import { DateTime, UpdatedBy } from './risk-catalog.schemas.ts';
import { RISK_LEVELS } from './risk-model.schema.ts';
import { COUNTRY_FLAGS } from './risk-variables.ts';

const Level = Type.Enum(RISK_LEVELS);
const Note = Type.String({ maxLength: 500 });
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** `:countryCode` (ISO 3166-1 alpha-2, upper case). */
export const CountryParams = Type.Object(
  { countryCode: Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2 }) },
  { additionalProperties: false },
);
/** `:industryCode` (NACE: section letter, division, group or class, e.g. K, K64, K64.19). */
export const IndustryParams = Type.Object(
  { industryCode: Type.String({ pattern: '^[A-U](\\d{2}(\\.\\d{1,2})?)?$', maxLength: 6 }) },
  { additionalProperties: false },
);
/** How much history to return. */
export const HistoryQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);

/** A country's level; flags and note default to none. */
export const CountryBody = Type.Object(
  {
    level: Level,
    flags: Type.Optional(
      Type.Array(Type.Enum(COUNTRY_FLAGS), { maxItems: COUNTRY_FLAGS.length, uniqueItems: true }),
    ),
    note: Type.Optional(Note),
    reason: Reason,
  },
  { additionalProperties: false },
);
/** An industry's level; the note defaults to none. */
export const IndustryBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    level: Level,
    note: Type.Optional(Note),
    reason: Reason,
  },
  { additionalProperties: false },
);
/** Why an industry leaves the table, in the body (a DELETE without a body validates as null)… */
export const RemovalBody = Nullable(Type.Object({ reason: Reason }, { additionalProperties: false }));
/** …or in the query. */
export const RemovalQuery = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });

const CountryValue = Type.Object({ level: Level, flags: Type.Array(Type.String()), note: Type.String() });
const IndustryValue = Type.Object({ name: Type.String(), level: Level, note: Type.String() });
const Stamp = { updatedAt: DateTime, updatedBy: UpdatedBy };

/** A country's row. */
export const CountryResponse = Type.Object({
  countryCode: Type.String(),
  ...CountryValue.properties,
  ...Stamp,
});
/** The country table. */
export const CountriesResponse = Type.Object({ countries: Type.Array(CountryResponse) });
/** A country's row after a PUT, and whether the PUT changed it. */
export const CountrySavedResponse = Type.Object({ ...CountryResponse.properties, isChanged: Type.Boolean() });

/** An industry's row. */
export const IndustryResponse = Type.Object({
  industryCode: Type.String(),
  ...IndustryValue.properties,
  ...Stamp,
});
/** The industry table. */
export const IndustriesResponse = Type.Object({ industries: Type.Array(IndustryResponse) });
/** An industry's row after a PUT, and whether the PUT changed it. */
export const IndustrySavedResponse = Type.Object({
  ...IndustryResponse.properties,
  isChanged: Type.Boolean(),
});

const changeOf = <T extends typeof CountryValue | typeof IndustryValue>(value: T) =>
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    previous: Nullable(value),
    current: Nullable(value),
    reason: Type.String(),
    changedAt: DateTime,
    changedBy: UpdatedBy,
  });
/** A country's changes, newest first. */
export const CountryHistoryResponse = Type.Object({ changes: Type.Array(changeOf(CountryValue)) });
/** An industry's changes, newest first. */
export const IndustryHistoryResponse = Type.Object({ changes: Type.Array(changeOf(IndustryValue)) });
