import { z } from 'zod';
import { DeliveryRecordSchema, SubscriptionCreatedSchema, SubscriptionInputSchema, SubscriptionSchema } from '../shared/domain/subscriptions';
import { PageQuerySchema, pageOf, pageOfSchema } from '../shared/domain/paging';
import { json, httpRoute } from '../shared/http/route';
import { offeredPurpose } from '../shared/http/purpose-headers';
import { createSubscription, deleteSubscription, getSubscription, listDeliveries, listSubscriptions, openedAnswer, sealedAnswer } from '../shared/alerts/subscription-use-cases';
import { idempotencyKey } from '../shared/http/headers';
import { respondOnce } from '../shared/events/idempotency';

const params = z.object({ id: z.uuid() });
const tag = 'Alerts';

httpRoute({
  name: 'subscriptions-create',
  permission: 'subscription.manage',
  method: 'POST',
  route: 'v1/subscriptions',
  summary:
    "Subscribe the caller's organisation to alerts by signed webhook, instant or as a daily digest; the signing secret is shown once (and again to a retry with the same optional Idempotency-Key) (police, for events shared with the agency, may state X-Legal-Basis and X-Case-Reference: each delivery's audit entry then carries them)",
  tag,
  body: SubscriptionInputSchema,
  example: { name: 'Violent incidents, Auckland', filter: { jurisdictions: ['NZ-AKL'], violence: 'threatened' }, delivery: { mode: 'instant', url: 'https://hooks.example.org/daybreak' } },
  requestHeaders: ['idempotency-key'],
  responses: { 201: { description: 'The subscription and its secret', schema: SubscriptionCreatedSchema, headers: ['location'] } },
  handler: async (ctx) => {
    const once = { orgId: ctx.principal.orgId, sub: ctx.principal.sub, key: idempotencyKey(ctx.request), rawBody: ctx.rawBody, scope: 'subscriptions' };
    const kept = await respondOnce(once, async (claimedId) => {
      const created = await createSubscription(ctx, ctx.body, offeredPurpose((name) => ctx.request.headers.get(name)), new Date(), claimedId);
      return { status: 201 as const, headers: { location: `/api/v1/subscriptions/${created.id}` }, body: sealedAnswer(created) };
    });
    return json(kept.status, openedAnswer(kept.body), kept.headers);
  },
});

httpRoute({
  name: 'subscriptions-list',
  permission: 'subscription.manage',
  method: 'GET',
  route: 'v1/subscriptions',
  summary: "The caller's organisation's subscriptions (never their secrets)",
  tag,
  query: PageQuerySchema,
  responses: { 200: { description: 'One page, oldest first', schema: pageOfSchema(SubscriptionSchema) } },
  handler: async (ctx) => json(200, pageOf(await listSubscriptions(ctx), (s) => `${s.createdAt}|${s.id}`, ctx.query)),
});

httpRoute({
  name: 'subscriptions-get',
  permission: 'subscription.manage',
  method: 'GET',
  route: 'v1/subscriptions/{id}',
  summary: 'One subscription of the caller’s organisation (never its secret)',
  tag,
  params,
  responses: { 200: { description: 'The subscription', schema: SubscriptionSchema } },
  handler: async (ctx) => json(200, await getSubscription(ctx, ctx.params.id)),
});

httpRoute({
  name: 'subscriptions-delete',
  permission: 'subscription.manage',
  method: 'DELETE',
  route: 'v1/subscriptions/{id}',
  summary: 'Stop a subscription at once: nothing more is delivered, retries included',
  tag,
  params,
  responses: { 204: { description: 'Deleted' } },
  handler: async (ctx) => {
    await deleteSubscription(ctx, ctx.params.id);
    return { status: 204 as const };
  },
});

httpRoute({
  name: 'subscriptions-deliveries',
  permission: 'subscription.manage',
  method: 'GET',
  route: 'v1/subscriptions/{id}/deliveries',
  summary: 'Recent delivery attempts, newest first: status, attempts, the last answer and the next retry',
  tag,
  params,
  // No paging: the 50 most recent. Strict like every other list, so a client's paging parameters are refused, not ignored.
  query: z.object({}).strict(),
  responses: { 200: { description: 'At most 50', schema: z.object({ items: z.array(DeliveryRecordSchema) }) } },
  handler: async (ctx) => json(200, { items: await listDeliveries(ctx, ctx.params.id) }),
});
