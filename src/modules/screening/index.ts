/** The screening module's public surface: the service, its routes, and the types callers use. */
export {
  createScreeningService,
  DEFAULT_THRESHOLD,
  type ScreeningService,
  type ListStatus,
} from './screening.service.ts';
export { registerScreeningRoutes } from './screening.routes.ts';
export type { ScreeningHit, ScreeningQuery, HitExplanation } from './match-search.ts';
export type { ListedEntity, EntitySchema, ListFile } from './list-entity.ts';
export { LIST_SOURCES, findListSource, type ListSource } from './list-sources.ts';
export type { ImportResult } from './list-import.ts';
export type { IndexState } from './screening-engine.ts';
