import { z } from 'zod';
import { CaseFileAcceptedSchema, CaseFileInputSchema, CaseFileSchema, JwksSchema } from '../shared/domain/case-files/case-file-schema';
import { json, httpRoute } from '../shared/http/route';
import { idempotencyKey } from '../shared/http/headers';
import { respondOnce } from '../shared/events/idempotency';
import { caseFileContentUrl, createCaseFile, getCaseFile, signingKeys } from '../shared/case-files/case-file-use-cases';

const params = z.object({ id: z.uuid() });
const tag = 'Case files';

httpRoute({
  name: 'case-files-create',
  permission: 'casefile.create',
  method: 'POST',
  route: 'v1/case-files',
  summary:
    'Ask for a signed case file for prosecution over events the caller may see, built in the background (police state X-Legal-Basis and X-Case-Reference); optional Idempotency-Key. Ids the caller may not see are left out and counted in `omitted`; 404 when none of the events is visible',
  tag,
  purpose: true,
  body: CaseFileInputSchema,
  example: { title: 'R v Walker: Queen St thefts, November 2026', eventIds: ['3f2b8c1e-5d4a-4f7e-9b21-6c0d8e4a7f13', '9a41d7c2-0e6b-4c85-a3f9-2b7e15d6c804'] },
  requestHeaders: ['idempotency-key'],
  responses: { 202: { description: 'Accepted: poll Location until the status is ready or failed', schema: CaseFileAcceptedSchema, headers: ['location'] } },
  handler: async (ctx) => {
    const once = { orgId: ctx.principal.orgId, sub: ctx.principal.sub, key: idempotencyKey(ctx.request), rawBody: ctx.rawBody, scope: 'case-files' };
    return respondOnce(once, async (resourceId) => {
      const { id, status, eventIds, profileIds, omitted } = await createCaseFile(ctx, ctx.body, resourceId);
      return { status: 202 as const, headers: { location: `/api/v1/case-files/${id}` }, body: { id, status, eventIds, profileIds, omitted } };
    });
  },
});

httpRoute({
  name: 'case-files-get',
  permission: 'casefile.read',
  method: 'GET',
  route: 'v1/case-files/{id}',
  summary: "A case file of the caller's organisation: building, ready (with the ZIP's size and SHA-256) or failed (with why)",
  tag,
  purpose: true,
  params,
  responses: { 200: { description: 'The case file', schema: CaseFileSchema } },
  handler: async (ctx) => json(200, await getCaseFile(ctx, ctx.params.id), { 'cache-control': 'no-store' }),
});

httpRoute({
  name: 'case-files-content',
  permission: 'casefile.download',
  method: 'GET',
  route: 'v1/case-files/{id}/content',
  summary:
    "Download a ready case file: 302 to a read-only URL valid 5 minutes; recorded in each owning retailer's audit chain. 409 CASE_FILE_NOT_READY while building, CASE_FILE_OUT_OF_DATE when sharing of one of its events was withdrawn since",
  tag,
  purpose: true,
  params,
  conflicts: ['CASE_FILE_NOT_READY', 'CASE_FILE_OUT_OF_DATE'],
  responses: { 302: { description: 'Location is a read-only URL of the ZIP', headers: ['location'] } },
  handler: async (ctx) => ({
    status: 302 as const,
    headers: { location: await caseFileContentUrl(ctx, ctx.params.id), 'cache-control': 'no-store' },
  }),
});

httpRoute({
  name: 'signing-keys',
  method: 'GET',
  route: 'v1/.well-known/signing-keys',
  summary: 'The public keys (JWKS) that case files are signed with: every enabled version, so older files still verify',
  tag,
  anonymous: true,
  responses: { 200: { description: 'A JSON Web Key Set of ES256 public keys', schema: JwksSchema } },
  handler: async () => json(200, await signingKeys(), { 'cache-control': 'public, max-age=300' }),
});
