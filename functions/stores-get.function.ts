import { z } from 'zod';
import { StoreIdSchema, StoreSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { readStore } from '../shared/orgs/org-use-cases';

httpRoute({
  name: 'stores-get',
  permission: 'store.read',
  method: 'GET',
  route: 'v1/stores/{storeId}',
  summary: "Read one of the caller's stores",
  tag: 'Organisations',
  params: z.object({ storeId: StoreIdSchema }),
  responses: { 200: { description: 'The store', schema: StoreSchema } },
  handler: async (ctx) => json(200, await readStore(ctx, ctx.params.storeId)),
});
