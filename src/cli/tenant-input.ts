/** Validates `tenant create` options with the same schema as the API. */
import { Value } from 'typebox/value';
import { AppError } from '../platform/errors.ts';
import { CreateTenantBody, type CreateTenantInput } from '../modules/tenants/index.ts';

/** Returns the input or throws a readable error naming the bad option. */
export function validateCreateTenant(options: { slug: string; name: string }): CreateTenantInput {
  const input = { slug: options.slug, name: options.name };
  const first = Value.Errors(CreateTenantBody, input)[0];
  if (first) {
    const option = first.instancePath.replace(/^\//, '') || 'input';
    const hint = (CreateTenantBody.properties as Record<string, { description?: string }>)[option]
      ?.description;
    throw new AppError('validation_failed', `--${option} ${first.message}${hint ? ` (${hint})` : ''}`);
  }
  return input;
}
