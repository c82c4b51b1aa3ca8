import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { json, httpRoute, movedRoute } from '../shared/http/route';
import { PageQuerySchema, pageOfSchema } from '../shared/domain/paging';
import { splitProfile, SplitResultSchema, SplitSchema } from '../shared/matching/split-profile';
import { idempotencyKey } from '../shared/http/headers';
import { respondOnce } from '../shared/events/idempotency';
import {
  getProfile,
  listGroups,
  listProfilesByHarm,
  ProfileListQuerySchema,
  ProfileSearchSchema,
  ProfileViewSchema,
  searchProfiles,
  SearchHitSchema,
} from '../shared/matching/profile-use-cases';

httpRoute({
  name: 'profiles-search',
  permission: 'profile.search',
  method: 'POST',
  route: 'v1/profiles/search',
  summary: 'Person lookup before reporting: ranked profiles by name, plate, phone or feature, given in the body',
  tag: 'Connect the Dots',
  body: ProfileSearchSchema,
  example: { name: 'Jon Smith' },
  responses: { 200: { description: 'Ranked profiles', schema: z.object({ items: z.array(SearchHitSchema) }) } },
  handler: async (ctx) => json(200, { items: await searchProfiles(ctx, ctx.body) }),
});

movedRoute({ name: 'profiles-search-moved', method: 'GET', route: 'v1/profiles/search', to: 'POST /api/v1/profiles/search' });

httpRoute({
  name: 'profiles-get',
  permission: 'profile.read',
  method: 'GET',
  route: 'v1/profiles/{id}',
  summary: 'A profile with its events, harm and the reasons for it (partners read-only by agreement)',
  tag: 'Connect the Dots',
  params: z.object({ id: ResourceIdSchema }),
  responses: { 200: { description: 'The profile', schema: ProfileViewSchema } },
  handler: async (ctx) => json(200, await getProfile(ctx, ctx.params.id)),
});

httpRoute({
  name: 'profiles-list',
  permission: 'profile.read',
  method: 'GET',
  route: 'v1/profiles',
  summary: 'Profiles ranked by harm (violence, loss, frequency, recency)',
  tag: 'Connect the Dots',
  query: ProfileListQuerySchema,
  responses: {
    200: {
      description: 'One page, most harmful first; pass continuationToken back for the next',
      schema: z.object({ items: z.array(ProfileViewSchema), continuationToken: z.string().nullable() }),
    },
  },
  handler: async (ctx) => json(200, await listProfilesByHarm(ctx, ctx.query)),
});

httpRoute({
  name: 'groups-list',
  permission: 'profile.read',
  method: 'GET',
  route: 'v1/groups',
  summary: 'People who offend together, with members, events and total loss',
  tag: 'Connect the Dots',
  query: PageQuerySchema,
  responses: {
    200: {
      description: 'One page of groups, largest first (most events, then most loss)',
      schema: pageOfSchema(z.object({ members: z.array(z.string()), eventIds: z.array(z.string()), totalLoss: z.number() }).meta({ id: 'Group' })),
    },
  },
  handler: async (ctx) => json(200, await listGroups(ctx, ctx.query)),
});

httpRoute({
  name: 'profiles-split',
  permission: 'profile.split',
  method: 'POST',
  route: 'v1/profiles/{id}/split',
  summary: 'Undo an accepted merge: the merged-away profile comes back exactly, later events stay with this one; optional Idempotency-Key (a retry with the same key and body gets the first answer)',
  tag: 'Connect the Dots',
  params: z.object({ id: ResourceIdSchema }),
  body: SplitSchema,
  requestHeaders: ['idempotency-key'],
  example: { linkId: 'link-5b1c9e2a7d40', reason: 'Accepted in error: different dates of birth.' },
  conflicts: ['ALREADY_SPLIT', 'MERGED_SINCE', 'PROFILE_BUSY', 'PROFILE_ERASED', 'IDEMPOTENCY_CONFLICT'],
  responses: { 200: { description: 'Both profiles after the split: `survivor` with every event not given back, `restored` as it was before the merge; either is null when none of its reports is left (deleted since the merge)', schema: SplitResultSchema } },
  handler: async (ctx) => {
    const once = { orgId: ctx.principal.orgId, sub: ctx.principal.sub, key: idempotencyKey(ctx.request), rawBody: ctx.rawBody, scope: `split:${ctx.params.id}` };
    return respondOnce(once, async (_, takenOver) => json(200, await splitProfile(ctx, ctx.params.id, ctx.body, new Date(), { retried: takenOver })));
  },
});
