import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { MessageInputSchema, MessageSchema } from '../shared/domain/sharing';
import { PageQuerySchema, pageOf, pageOfSchema } from '../shared/domain/paging';
import { json, httpRoute } from '../shared/http/route';
import { listMessages, postMessage } from '../shared/sharing/messages';
import { idempotencyKey } from '../shared/http/headers';
import { respondOnce } from '../shared/events/idempotency';

const params = z.object({ id: ResourceIdSchema });

httpRoute({
  name: 'messages-list',
  permission: 'event.message',
  method: 'GET',
  route: 'v1/events/{id}/messages',
  summary: "The conversation between the retailer's investigators and the police about one shared event",
  tag: 'Sharing',
  purpose: true,
  params,
  query: PageQuerySchema,
  responses: { 200: { description: 'One page of the messages, oldest first', schema: pageOfSchema(MessageSchema) } },
  handler: async (ctx) => json(200, pageOf(await listMessages(ctx, ctx.params.id), (m) => `${m.createdAt}|${m.id}`, ctx.query)),
});

httpRoute({
  name: 'messages-post',
  permission: 'event.message',
  method: 'POST',
  route: 'v1/events/{id}/messages',
  summary: 'Post a message on a shared event (screened like all free text); optional Idempotency-Key (a retry with the same key and body gets the first answer)',
  tag: 'Sharing',
  purpose: true,
  params,
  body: MessageInputSchema,
  requestHeaders: ['idempotency-key'],
  example: { body: 'CCTV from the carpark camera is attached to the event.' },
  responses: { 201: { description: 'The message', schema: MessageSchema } },
  handler: async (ctx) => {
    // Scoped by the event: one key on two events' threads is two requests.
    const once = { orgId: ctx.principal.orgId, sub: ctx.principal.sub, key: idempotencyKey(ctx.request), rawBody: ctx.rawBody, scope: `message:${ctx.params.id}`, eventId: ctx.params.id };
    return respondOnce(once, async (claimedId) => json(201, await postMessage(ctx, ctx.params.id, ctx.body.body, new Date(), claimedId)));
  },
});
