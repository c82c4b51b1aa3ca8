import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { MessageInputSchema, MessageSchema } from '../shared/domain/sharing';
import { PageQuerySchema, pageOf, pageOfSchema } from '../shared/domain/paging';
import { json, httpRoute } from '../shared/http/route';
import { listMessages, postMessage } from '../shared/sharing/messages';

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
  summary: 'Post a message on a shared event (screened like all free text)',
  tag: 'Sharing',
  purpose: true,
  params,
  body: MessageInputSchema,
  example: { body: 'CCTV from the carpark camera is attached to the event.' },
  responses: { 201: { description: 'The message', schema: MessageSchema } },
  handler: async (ctx) => json(201, await postMessage(ctx, ctx.params.id, ctx.body.body)),
});
