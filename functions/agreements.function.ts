import { z } from 'zod';
import { AgreementSchema, ProposeAgreementSchema } from '../shared/domain/sharing';
import { PageQuerySchema, pageOf, pageOfSchema } from '../shared/domain/paging';
import { json, httpRoute } from '../shared/http/route';
import { idempotencyKey } from '../shared/http/headers';
import { respondOnce } from '../shared/events/idempotency';
import type { HttpRequest } from '../shared/adapters/functions-runtime';
import { acceptAgreement, getAgreement, listAgreements, proposeAgreement, revokeAgreement } from '../shared/sharing/agreement-use-cases';

const params = z.object({ id: z.string().regex(/^[a-z0-9-]{2,63}\.[a-z0-9-]{2,63}$/, 'Not an agreement id.') });
const one = { description: 'The agreement', schema: AgreementSchema };
const onceOf = (ctx: { principal: { orgId: string | null; sub: string }; request: HttpRequest; rawBody: unknown }) => ({ orgId: ctx.principal.orgId, sub: ctx.principal.sub, key: idempotencyKey(ctx.request), rawBody: ctx.rawBody ?? null });

httpRoute({
  name: 'agreements-propose',
  permission: 'agreement.manage',
  method: 'POST',
  route: 'v1/agreements',
  summary: 'Propose a data-sharing agreement to another retailer; optional Idempotency-Key (a retry with the same key and body gets the first answer)',
  tag: 'Sharing',
  body: ProposeAgreementSchema,
  requestHeaders: ['idempotency-key'],
  example: { partnerRetailerId: 'ret-countdown' },
  responses: { 201: { ...one, headers: ['location'] } },
  handler: async (ctx) =>
    respondOnce({ ...onceOf(ctx), scope: 'agreement-propose' }, async (_, takenOver) => {
      const agreement = await proposeAgreement(ctx, ctx.body.partnerRetailerId, new Date(), takenOver);
      return json(201, agreement, { location: `/api/v1/agreements/${agreement.id}` });
    }),
});

httpRoute({
  name: 'agreements-accept',
  permission: 'agreement.manage',
  method: 'POST',
  route: 'v1/agreements/{id}/accept',
  summary: "Accept a proposed agreement (the partner's administrator); optional Idempotency-Key (a retry with the same key gets the first answer)",
  tag: 'Sharing',
  params,
  requestHeaders: ['idempotency-key'],
  responses: { 200: one },
  handler: async (ctx) =>
    respondOnce({ ...onceOf(ctx), scope: `agreement-accept:${ctx.params.id}` }, async (_, takenOver) => json(200, await acceptAgreement(ctx, ctx.params.id, new Date(), takenOver))),
});

httpRoute({
  name: 'agreements-revoke',
  permission: 'agreement.manage',
  method: 'DELETE',
  route: 'v1/agreements/{id}',
  summary: 'End an agreement, from either side, effective immediately',
  tag: 'Sharing',
  params,
  responses: { 200: one },
  handler: async (ctx) => json(200, await revokeAgreement(ctx, ctx.params.id)),
});

httpRoute({
  name: 'agreements-list',
  permission: 'agreement.read',
  method: 'GET',
  route: 'v1/agreements',
  summary: "The caller's retailer's agreements with their state",
  tag: 'Sharing',
  query: PageQuerySchema,
  responses: { 200: { description: 'One page of the agreements, by id', schema: pageOfSchema(AgreementSchema) } },
  handler: async (ctx) => json(200, pageOf(await listAgreements(ctx), (a) => a.id, ctx.query)),
});

httpRoute({
  name: 'agreements-get',
  permission: 'agreement.read',
  method: 'GET',
  route: 'v1/agreements/{id}',
  summary: "One of the caller's retailer's agreements",
  tag: 'Sharing',
  params,
  responses: { 200: one },
  handler: async (ctx) => json(200, await getAgreement(ctx, ctx.params.id)),
});
