import { z } from 'zod';
import { ActivationInputSchema, OrgIdSchema, OrgSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { activateAgency, suspendAgency } from '../shared/orgs/org-use-cases';

const params = z.object({ orgId: OrgIdSchema });

httpRoute({
  name: 'orgs-activate',
  permission: 'org.activate',
  method: 'PUT',
  route: 'v1/orgs/{orgId}/activation',
  summary: 'Approve an agency until expiresAt (at most three years ahead), citing its agreement and privacy assessment',
  tag: 'Organisations',
  params,
  body: ActivationInputSchema,
  example: { agreementReference: 'DSA-2026/014', privacyAssessmentReference: 'PIA-2026/007', expiresAt: '2027-06-30T00:00:00Z' },
  responses: { 200: { description: 'The agency, active', schema: OrgSchema } },
  handler: async (ctx) => json(200, await activateAgency(ctx, ctx.params.orgId, ctx.body)),
});

httpRoute({
  name: 'orgs-suspend',
  permission: 'org.suspend',
  method: 'DELETE',
  route: 'v1/orgs/{orgId}/activation',
  summary: 'Suspend an agency at once: every request of its officers answers 403 AGENCY_NOT_ACTIVE',
  tag: 'Organisations',
  params,
  responses: { 200: { description: 'The agency, suspended', schema: OrgSchema } },
  handler: async (ctx) => json(200, await suspendAgency(ctx, ctx.params.orgId)),
});
