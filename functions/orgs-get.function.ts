import { z } from 'zod';
import { OrgIdSchema, OrgSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { readOrganisation } from '../shared/orgs/org-use-cases';

httpRoute({
  name: 'orgs-get',
  permission: 'org.read',
  method: 'GET',
  route: 'v1/orgs/{orgId}',
  summary: 'Read an organisation (its own members, or a platform administrator)',
  tag: 'Organisations',
  params: z.object({ orgId: OrgIdSchema }),
  responses: { 200: { description: 'The organisation', schema: OrgSchema } },
  handler: async (ctx) => json(200, await readOrganisation(ctx, ctx.params.orgId)),
});
