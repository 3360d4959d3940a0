/**
 * Attribute-based rules on single records (ABAC), applied after the route's permission check has
 * let the request in: they read the record's tenant, owning team, sensitivity and preparer.
 */
import type { Actor, Permission } from '../../platform/actor.ts';
import type { KnownPermission, TenantRole } from './access.roles.ts';

/** How sensitive a record is: `pep` for politically exposed persons, `restricted` for need-to-know. */
export type Sensitivity = 'standard' | 'pep' | 'restricted';

/** The attributes of a record the rules read. */
export type RecordAttributes = {
  tenantId: string;
  owningTeam: string | null;
  sensitivity: Sensitivity;
  /** Who prepared the case for decision, if anyone has. */
  preparedBy?: string | null;
};

/** What an actor wants to do with a record. */
export type RecordAction = 'read' | 'write' | 'prepare' | 'decide';

/** The datasets whose records these rules guard. */
export type Dataset = 'clients' | 'cases';

/** The rule that refused an action, for the audit log and tests. */
export type AccessRule =
  | 'tenant_isolation'
  | 'restricted_visibility'
  | 'unsupported_action'
  | 'permission'
  | 'pep_decision'
  | 'four_eyes';

/** The outcome: `not_found` must be answered as 404, `forbidden` as 403. */
export type AccessDecision =
  { allowed: true } | { allowed: false; reason: 'not_found' | 'forbidden'; rule: AccessRule };

// Only officers carry the final responsibility, so only they see everything and decide on PEPs.
const COMPLIANCE_OFFICER: TenantRole = 'compliance_officer';

// Null marks an action the dataset does not have: clients are not decided, cases are not edited
// freely (preparing is their only change before a decision).
const REQUIRED_PERMISSION: Readonly<Record<Dataset, Readonly<Record<RecordAction, KnownPermission | null>>>> =
  {
    clients: { read: 'clients:read', write: 'clients:write', prepare: null, decide: null },
    cases: { read: 'cases:read', write: null, prepare: 'cases:prepare', decide: 'cases:decide' },
  };

const ALLOWED: AccessDecision = { allowed: true };

/** Whether the actor works in this tenant; platform actors (no tenant) work in none. */
export function isSameTenant(actor: Actor, tenantId: string): boolean {
  return actor.tenantId !== null && actor.tenantId === tenantId;
}

/** Decides whether the actor may perform the action on a record of the dataset. */
export function decideRecordAccess(
  actor: Actor,
  record: RecordAttributes,
  action: RecordAction,
  dataset: Dataset,
): AccessDecision {
  // Another tenant's record, or any record for an operator or the system, is answered as absent:
  // a 403 would confirm that the id exists somewhere.
  if (!isSameTenant(actor, record.tenantId)) return deny('not_found', 'tenant_isolation');

  const isOfficer = actor.roles.has(COMPLIANCE_OFFICER);

  // Checked before permissions, so an outsider gets the same answer for every action and cannot
  // learn from a 403 that a restricted record exists.
  if (record.sensitivity === 'restricted' && !isOfficer && !isOwningTeamMember(actor, record)) {
    return deny('not_found', 'restricted_visibility');
  }

  // Fail closed on an action the dataset does not define instead of guessing a permission.
  const required: Permission | null = REQUIRED_PERMISSION[dataset][action];
  if (required === null) return deny('forbidden', 'unsupported_action');

  // The record is visible to this actor, so a 403 reveals nothing new.
  if (!actor.permissions.has(required)) return deny('forbidden', 'permission');

  if (action !== 'decide') return ALLOWED;

  // A decision on a politically exposed person needs an officer even if another role is ever
  // granted `cases:decide`: reading a PEP case is routine, signing it off is not.
  if (record.sensitivity === 'pep' && !isOfficer) return deny('forbidden', 'pep_decision');

  // Four-eyes: whoever prepared a case cannot also approve it, or one person could clear a client.
  if (record.preparedBy != null && record.preparedBy === actor.id) return deny('forbidden', 'four_eyes');

  return ALLOWED;
}

function isOwningTeamMember(actor: Actor, record: RecordAttributes): boolean {
  return record.owningTeam !== null && actor.teams.has(record.owningTeam);
}

function deny(reason: 'not_found' | 'forbidden', rule: AccessRule): AccessDecision {
  return { allowed: false, reason, rule };
}
