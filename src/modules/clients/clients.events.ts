/** Audit events of the clients module: ids, kinds, versions and counts only, never a client's data. */

/** A client was created with its structure. */
export type ClientCreatedEvent = {
  action: 'client.created';
  details: { kind: 'person' | 'entity'; version: number; parties: number; edges: number };
};

/** A client's data or structure changed (an update that changed nothing is not recorded). */
export type ClientUpdatedEvent = {
  action: 'client.updated';
  details: {
    version: number;
    isDataChanged: boolean;
    isStructureChanged: boolean;
    parties: number;
    edges: number;
  };
};

/** Every audit event of the clients module. */
export type ClientAuditEvent = ClientCreatedEvent | ClientUpdatedEvent;
