/**
 * Compiling stored and submitted models: a stored version compiles on its own (its definition
 * carries its inputs) and never changes, so it is compiled once; a submitted one is checked
 * against the tenant's catalogue and its problems become a validation error listing them all.
 */
import { AppError } from '../../platform/errors.ts';
import { compileModel, ModelError, type Catalogue, type CompiledModel } from './risk-model.ts';
import type { ModelDefinition } from './risk-model.schema.ts';

/** The module-wide cache of compiled published versions (a stored version never changes). */
const compiledVersions = new Map<string, CompiledModel>();
// Each is bounded by MAX_MODEL_NODES, so the cache stays within a few hundred megabytes at worst.
const CACHE_LIMIT = 50;

/** Compiles a stored version on its own (its definition carries its inputs), once. */
export function compileStored(model: { id: string; definition: ModelDefinition }): CompiledModel {
  const cached = compiledVersions.get(model.id);
  if (cached) return cached;
  const compiled = compileModel(model.definition);
  if (compiledVersions.size >= CACHE_LIMIT)
    compiledVersions.delete(compiledVersions.keys().next().value as string);
  compiledVersions.set(model.id, compiled);
  return compiled;
}

/** Compiles a submitted definition against the catalogue, or throws a validation error with every issue. */
export function compileForTenant(definition: unknown, catalogue: Catalogue): CompiledModel {
  try {
    return compileModel(definition, catalogue);
  } catch (error) {
    if (error instanceof ModelError) {
      throw new AppError('validation_failed', error.message, {
        issues: error.issues.map((issue) => ({ ...issue })),
      });
    }
    throw error;
  }
}
