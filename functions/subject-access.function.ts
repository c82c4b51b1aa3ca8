import { SubjectAccessRequestSchema } from '../shared/domain/privacy/subject-access';
import { json, httpRoute } from '../shared/http/route';
import { exportSubjectAccess, SubjectAccessBundleSchema } from '../shared/privacy/subject-access-export';

httpRoute({
  name: 'subject-access',
  permission: 'subject-access.export',
  method: 'POST',
  route: 'v1/subject-access',
  summary: 'Subject access: everything the retailer holds about the person described',
  tag: 'Privacy',
  body: SubjectAccessRequestSchema,
  example: { name: 'Jon Smith', dateOfBirth: '1990-04-12' },
  responses: { 200: { description: 'The bundle: profiles, events, evidence metadata, links and audit entries', schema: SubjectAccessBundleSchema } },
  handler: async (ctx) => json(200, await exportSubjectAccess(ctx, ctx.body)),
});
