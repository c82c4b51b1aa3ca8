import { CreateOrgSchema, OrgSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { createOrganisation } from '../shared/orgs/org-use-cases';

httpRoute({
  name: 'orgs-create',
  permission: 'org.create',
  method: 'POST',
  route: 'v1/orgs',
  summary: 'Create a retailer or an agency',
  tag: 'Organisations',
  body: CreateOrgSchema,
  example: { id: 'agy-nz-police-akl', type: 'agency', name: 'NZ Police — Auckland City', jurisdictions: ['NZ-AKL'] },
  responses: { 201: { description: 'Created', schema: OrgSchema, headers: ['location'] } },
  handler: async (ctx) => {
    const org = await createOrganisation(ctx, ctx.body);
    return json(201, org, { location: `/api/v1/orgs/${org.id}` });
  },
});
