import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { ErasureResultSchema } from '../shared/domain/privacy/erasure';
import { json, httpRoute } from '../shared/http/route';
import { eraseProfile } from '../shared/privacy/erasure-use-cases';

httpRoute({
  name: 'profiles-erase',
  permission: 'profile.erase',
  method: 'DELETE',
  route: 'v1/profiles/{id}',
  summary: 'Erase a person: they leave every event of the retailer (the events remain); 409 LEGAL_HOLD while an event of theirs is held',
  tag: 'Privacy',
  params: z.object({ id: ResourceIdSchema }),
  conflicts: ['LEGAL_HOLD', 'PROFILE_BUSY', 'SPLIT_UNFINISHED'],
  responses: { 200: { description: 'Erased, with what changed', schema: ErasureResultSchema } },
  handler: async (ctx) => json(200, await eraseProfile(ctx, ctx.params.id)),
});
