/** Request and response schemas of the screening routes (responses are whitelists). */
import { Type, type Static } from 'typebox';
import { ENTITY_SCHEMAS } from './list-entity.ts';

const ListId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,59}$', maxLength: 60 });
const Threshold = Type.Number({ minimum: 0.5, maximum: 1 });

/** One name to screen, with the evidence the caller has. */
export const ScreeningQueryBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    schema: Type.Optional(Type.Union(ENTITY_SCHEMAS.map((schema) => Type.Literal(schema)))),
    birthDate: Type.Optional(
      Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$', maxLength: 10 }),
    ),
    countries: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z]{2}$' }), { maxItems: 10 })),
    identifiers: Type.Optional(
      Type.Array(
        Type.Object(
          {
            type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            value: Type.String({ minLength: 1, maxLength: 100 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10 },
      ),
    ),
  },
  { additionalProperties: false },
);

/** `POST /v1/screening/search`. */
export const SearchBody = Type.Object(
  {
    ...ScreeningQueryBody.properties,
    threshold: Type.Optional(Threshold),
    lists: Type.Optional(Type.Array(ListId, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

/** The most names one batch request screens. */
export const MAX_BATCH = 10_000;

/** `POST /v1/screening/batch`. */
export const BatchBody = Type.Object(
  {
    queries: Type.Array(ScreeningQueryBody, { minItems: 1, maxItems: MAX_BATCH }),
    threshold: Type.Optional(Threshold),
    lists: Type.Optional(Type.Array(ListId, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** One explained hit. */
export const HitResponse = Type.Object({
  listId: Type.String(),
  sourceId: Type.String(),
  schema: Type.String(),
  topics: Type.Array(Type.String()),
  primaryName: Type.String(),
  score: Type.Number(),
  explanation: Type.Object({
    matchedName: Type.String(),
    nameQuality: Type.String(),
    nameScore: Type.Number(),
    tokens: Type.Array(
      Type.Object({
        query: Type.String(),
        candidate: Type.String(),
        score: Type.Number(),
        method: Type.String(),
      }),
    ),
    unmatchedQueryTokens: Type.Array(Type.String()),
    unmatchedListTokens: Type.Array(Type.String()),
    birthDate: Type.Object({
      outcome: Type.String(),
      adjustment: Type.Number(),
      listed: Type.Array(Type.String()),
    }),
    country: Type.Object({
      outcome: Type.String(),
      adjustment: Type.Number(),
      listed: Type.Array(Type.String()),
    }),
    identifier: Nullable(Type.Object({ type: Type.String(), value: Type.String() })),
    threshold: Type.Number(),
    summary: Type.String(),
  }),
});

/** `POST /v1/screening/search` answer. */
export const SearchResponse = Type.Object({ threshold: Type.Number(), hits: Type.Array(HitResponse) });

/** `POST /v1/screening/batch` answer: results in the order of the queries. */
export const BatchResponse = Type.Object({
  threshold: Type.Number(),
  results: Type.Array(Type.Object({ hits: Type.Array(HitResponse) })),
});

const Timestamp = Type.String({ format: 'date-time' });

/** `GET /v1/screening/lists`. */
export const ListsResponse = Type.Object({
  lists: Type.Array(
    Type.Object({
      listId: Type.String(),
      title: Type.String(),
      publisher: Type.String(),
      derivedFrom: Nullable(Type.String()),
      licence: Nullable(Type.String()),
      canUpdate: Type.Boolean(),
      activeVersion: Nullable(
        Type.Object({
          id: Type.String(),
          sequence: Type.Integer(),
          publishedAt: Nullable(Type.String()),
          importedAt: Timestamp,
          entityCount: Type.Integer(),
          counts: Type.Record(Type.String(), Type.Integer()),
          added: Type.Integer(),
          removed: Type.Integer(),
          changed: Type.Integer(),
          sourceLabel: Type.String(),
        }),
      ),
    }),
  ),
  index: Type.Object({
    state: Type.String(),
    generation: Type.Integer(),
    entities: Type.Integer(),
    snapshotBytes: Type.Integer(),
    builtAt: Nullable(Timestamp),
    buildMs: Nullable(Type.Number()),
  }),
});

/** Path of a list version. */
export const VersionParams = Type.Object({ listId: ListId, versionId: Type.String({ format: 'uuid' }) });

/** `GET /v1/screening/lists/:listId/versions/:versionId/changes`. */
export const ChangesResponse = Type.Object({
  changes: Type.Array(
    Type.Object({
      sourceId: Type.String(),
      change: Type.String(),
      previousHash: Nullable(Type.String()),
      contentHash: Nullable(Type.String()),
    }),
  ),
});

/** `GET|PUT /v1/screening/settings`. */
// A tenant threshold above 0.95 would leave only near-exact names: fuzzy matching silenced.
export const SettingsBody = Type.Object(
  { threshold: Type.Number({ minimum: 0.5, maximum: 0.95 }) },
  { additionalProperties: false },
);
export const SettingsResponse = Type.Object({ threshold: Type.Number(), defaultThreshold: Type.Number() });

/** A screening query as the routes receive it. */
export type ScreeningQueryInput = Static<typeof ScreeningQueryBody>;
