/** Pure permission rules for tenants. */
import type { Actor } from '../../platform/actor.ts';

/** An operator may read any tenant; anyone else only the tenant they work in. */
export function canReadTenant(actor: Actor, tenantId: string): boolean {
  if (actor.kind === 'operator' || actor.kind === 'system') return true;
  return actor.tenantId === tenantId;
}
