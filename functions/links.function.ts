import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { json, httpRoute } from '../shared/http/route';
import { DecisionSchema, decide, LinkListQuerySchema, LinkViewSchema, listSuggestions } from '../shared/matching/link-use-cases';

httpRoute({
  name: 'links-list',
  permission: 'link.read',
  method: 'GET',
  route: 'v1/links',
  summary: 'Link suggestions by status, newest first, with the reasons behind each score',
  tag: 'Connect the Dots',
  query: LinkListQuerySchema,
  responses: { 200: { description: 'One page', schema: z.object({ items: z.array(LinkViewSchema), continuationToken: z.string().nullable() }) } },
  handler: async (ctx) => json(200, await listSuggestions(ctx, ctx.query)),
});

httpRoute({
  name: 'links-decision',
  permission: 'link.decide',
  method: 'POST',
  route: 'v1/links/{id}/decision',
  summary: 'Accept (merge, or record a cross-retailer link) or reject (remembered) a suggestion',
  tag: 'Connect the Dots',
  params: z.object({ id: ResourceIdSchema }),
  body: DecisionSchema,
  example: { decision: 'accept', note: 'Same date of birth and phone; CCTV stills match.' },
  conflicts: ['ALREADY_DECIDED', 'STALE_SUGGESTION', 'AGREEMENT_NOT_ACTIVE', 'PROFILE_BUSY', 'SPLIT_UNFINISHED'],
  responses: { 200: { description: 'The decided suggestion', schema: LinkViewSchema } },
  handler: async (ctx) => json(200, await decide(ctx, ctx.params.id, ctx.body)),
});
