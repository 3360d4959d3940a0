/** Routes for the firm-wide risk assessment: the version in force, the draft, signing, and the book's figures. */
import { requireActor } from '../../http/auth-guard.ts';
import type { HttpServer } from '../../http/http-server.ts';
import type { AssessmentVersion } from './firm-assessment.repo.ts';
import {
  AssessmentDocumentSchema,
  AssessmentResponse,
  OverviewResponse,
  SignBody,
  VersionResponse,
  VersionsResponse,
} from './firm-assessment.schemas.ts';
import type { FirmAssessmentService } from './firm-assessment.service.ts';

const tags = ['risk'];

const present = (version: AssessmentVersion) => ({
  ...version,
  createdAt: version.createdAt.toISOString(),
  updatedAt: version.updatedAt.toISOString(),
  signedAt: version.signedAt?.toISOString() ?? null,
});
const presentOrNull = (version: AssessmentVersion | null) => (version ? present(version) : null);

/** Registers the routes. */
export function registerFirmAssessmentRoutes(app: HttpServer, assessment: FirmAssessmentService): void {
  app.get(
    '/v1/risk/firm-assessment',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: AssessmentResponse } } },
    async (request) => {
      const { current, draft } = await assessment.getFirmAssessment(requireActor(request));
      return { current: presentOrNull(current), draft: presentOrNull(draft) };
    },
  );
  app.put(
    '/v1/risk/firm-assessment/draft',
    {
      config: { permission: 'risk:configure' },
      schema: { tags, body: AssessmentDocumentSchema, response: { 200: VersionResponse } },
    },
    async (request) => present(await assessment.saveFirmAssessmentDraft(requireActor(request), request.body)),
  );
  app.post(
    '/v1/risk/firm-assessment/draft/sign',
    {
      config: { permission: 'risk:approve', requiresRecentSecondFactor: true },
      schema: { tags, body: SignBody, response: { 200: VersionResponse } },
    },
    async (request) =>
      present(await assessment.signFirmAssessment(requireActor(request), request.body.reviewDue)),
  );
  app.get(
    '/v1/risk/firm-assessment/versions',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: VersionsResponse } } },
    async (request) => ({
      versions: (await assessment.listFirmAssessmentVersions(requireActor(request))).map(present),
    }),
  );
  app.get(
    '/v1/risk/firm-assessment/overview',
    { config: { permission: 'risk:read' }, schema: { tags, response: { 200: OverviewResponse } } },
    async (request) => {
      const overview = await assessment.firmAssessmentOverview(requireActor(request));
      return { ...overview, asOf: overview.asOf.toISOString() };
    },
  );
}
