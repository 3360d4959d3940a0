/** Pure permission rules for tenants. */
import type { Actor } from '../../platform/actor.ts';

/** An operator may read any tenant; anyone else only the tenant they work in. */
export function canReadTenant(actor: Actor, tenantId: string): boolean {
  if (isPlatformActor(actor)) return true;
  return actor.tenantId === tenantId;
}

/** Only the platform's own people and processes work across tenants. */
export function isPlatformActor(actor: Actor): boolean {
  return (actor.kind === 'operator' || actor.kind === 'system') && actor.tenantId === null;
}
