/** Routes of a tenant's people: members and invitations. */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import {
  InvitationParams,
  InvitationResponse,
  InviteAdminBody,
  InviteBody,
  MemberParams,
  MemberResponse,
  TenantParams,
  UpdateMemberBody,
} from './members.schemas.ts';
import type { MembersService } from './members.service.ts';

const origin = (request: FastifyRequest) => ({ requestId: request.id, sourceIp: request.ip });

/** Registers the members routes. */
export function registerMemberRoutes(app: HttpServer, members: MembersService): void {
  app.get(
    '/v1/members',
    {
      config: { permission: 'members:read' },
      schema: { tags: ['members'], response: { 200: Type.Object({ members: Type.Array(MemberResponse) }) } },
    },
    async (request) => ({ members: await members.listMembers(requireActor(request)) }),
  );
  app.patch(
    '/v1/members/:userId',
    {
      config: { permission: 'members:manage', requiresRecentSecondFactor: true },
      schema: {
        tags: ['members'],
        params: MemberParams,
        body: UpdateMemberBody,
        response: { 200: MemberResponse },
      },
    },
    async (request) =>
      members.updateMember(requireActor(request), request.params.userId, request.body, origin(request)),
  );
  app.delete(
    '/v1/members/:userId',
    {
      config: { permission: 'members:manage', requiresRecentSecondFactor: true },
      schema: { tags: ['members'], params: MemberParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await members.removeMember(requireActor(request), request.params.userId, origin(request));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/v1/invitations',
    {
      config: { permission: 'members:invite', requiresRecentSecondFactor: true },
      schema: { tags: ['members'], body: InviteBody, response: { 201: InvitationResponse } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await members.inviteMember(requireActor(request), request.body, origin(request))),
  );
  app.get(
    '/v1/invitations',
    {
      config: { permission: 'members:read' },
      schema: {
        tags: ['members'],
        response: { 200: Type.Object({ invitations: Type.Array(InvitationResponse) }) },
      },
    },
    async (request) => ({ invitations: await members.listInvitations(requireActor(request)) }),
  );
  app.delete(
    '/v1/invitations/:invitationId',
    {
      config: { permission: 'members:invite' },
      schema: { tags: ['members'], params: InvitationParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await members.revokeInvitation(requireActor(request), request.params.invitationId, origin(request));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/v1/tenants/:tenantId/invitations',
    {
      config: { permission: 'members:invite', requiresRecentSecondFactor: true },
      schema: {
        tags: ['members'],
        params: TenantParams,
        body: InviteAdminBody,
        response: { 201: InvitationResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await members.inviteTenantAdmin(
            requireActor(request),
            request.params.tenantId,
            request.body.email,
            origin(request),
          ),
        ),
  );
}
