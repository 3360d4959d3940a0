/** The audit module's public surface. */
export { createAuditService, type AuditService, type ChainVerification } from './audit.service.ts';
export { registerAuditRoutes } from './audit.routes.ts';
export type { AuditEvent, AuditEntry, AuditAction, AuditOutcome, AuditDetails } from './audit.events.ts';
export type { ChainBreak } from './audit-chain.ts';
