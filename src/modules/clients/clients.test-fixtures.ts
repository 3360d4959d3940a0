/** Fixtures for the clients module's tests: members by role, a caller, valid client data and a layered structure. */
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../../../test/test-server.ts';
import type { Actor } from '../../platform/actor.ts';
import { toTenantId } from '../../platform/db/scopes.ts';
import { permissionsForTenantRoles, type TenantRole } from '../access/index.ts';
import type { LegalEntityData, NaturalPersonData } from './client-data.schemas.ts';
import type { OwnershipInput, PartyInput } from './clients.schemas.ts';

/** A member of a tenant holding one role. */
export function clientsMember(tenantId: string, role: TenantRole): Actor {
  return {
    kind: 'user',
    id: randomUUID(),
    tenantId: toTenantId(tenantId),
    permissions: permissionsForTenantRoles([role]),
    secondFactorAt: null,
    roles: new Set([role]),
    teams: new Set(),
  };
}

/** Calls the API as a member of `tenantId` holding `role`. */
export function caller(server: TestServer, tenantId: string, role: TenantRole) {
  const headers = server.headersFor(clientsMember(tenantId, role));
  return (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

const relationship: Pick<
  NaturalPersonData,
  | 'clientType'
  | 'services'
  | 'relationshipPurpose'
  | 'expectedAnnualVolume'
  | 'sourceOfFunds'
  | 'deliveryChannel'
> = {
  clientType: 'private_individual',
  services: ['bookkeeping'],
  relationshipPurpose: 'ongoing_compliance',
  expectedAnnualVolume: 80_000,
  sourceOfFunds: 'salary_or_pension',
  deliveryChannel: 'face_to_face',
};

/** A valid natural person (the document expires far in the future, whatever the test clock says). */
export const personData = (overrides: Partial<NaturalPersonData> = {}): NaturalPersonData => ({
  kind: 'natural_person',
  name: { givenNames: 'Ingrid Marie', familyName: 'Halvorsen' },
  birthDate: '1979-03-14',
  nationalities: ['NO'],
  countryOfResidence: 'DK',
  address: { lines: ['Strandvejen 12'], postalCode: '2100', city: 'København', country: 'DK' },
  identityDocument: { type: 'passport', number: 'NX4471902', issuingCountry: 'NO', expiryDate: '2099-05-31' },
  occupation: 'Engineer',
  pepDeclaration: { isPep: false },
  ...relationship,
  ...overrides,
});

/** A valid legal entity with a Danish CVR number whose check digit matches. */
export const entityData = (overrides: Partial<LegalEntityData> = {}): LegalEntityData => ({
  kind: 'legal_entity',
  name: 'Nordlys Rådgivning ApS',
  registrationNumber: '24256790',
  registrationCountry: 'DK',
  legalForm: 'Anpartsselskab',
  address: { lines: ['Havnegade 4'], postalCode: '1058', city: 'København', country: 'DK' },
  industryCode: 'M69',
  incorporationDate: '2011-09-01',
  ...relationship,
  clientType: 'private_limited_company',
  sourceOfFunds: 'business_income',
  ...overrides,
});

/**
 * Three layers of owners above the client: anna owns midco, which owns 60 % of holdco, which owns
 * the client; bo owns the other 40 % of holdco; carl directs the client without shares.
 */
export function layeredStructure(): { parties: PartyInput[]; ownership: OwnershipInput[] } {
  return {
    parties: [
      {
        ref: 'holdco',
        data: { kind: 'legal_entity', name: 'Fjord Holding ApS', registrationCountry: 'DK' },
      },
      {
        ref: 'midco',
        data: { kind: 'legal_entity', name: 'Skagerrak Invest AB', registrationCountry: 'SE' },
      },
      {
        ref: 'anna',
        data: {
          kind: 'natural_person',
          name: { givenNames: 'Anna', familyName: 'Lindqvist' },
          countryOfResidence: 'SE',
          birthDate: '1968-11-02',
        },
      },
      {
        ref: 'bo',
        data: {
          kind: 'natural_person',
          name: { givenNames: 'Bo', familyName: 'Kjær' },
          countryOfResidence: 'DK',
        },
      },
      {
        ref: 'carl',
        data: {
          kind: 'natural_person',
          name: { givenNames: 'Carl', familyName: 'Berg' },
          countryOfResidence: 'DK',
        },
      },
    ],
    ownership: [
      { ownerRef: 'holdco', role: 'shareholder', percent: 100 },
      { ownerRef: 'midco', ownedRef: 'holdco', role: 'shareholder', percent: 60 },
      { ownerRef: 'bo', ownedRef: 'holdco', role: 'shareholder', percent: 40 },
      { ownerRef: 'anna', ownedRef: 'midco', role: 'shareholder', percent: 100 },
      { ownerRef: 'carl', role: 'director' },
    ],
  };
}
