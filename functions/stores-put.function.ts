import { z } from 'zod';
import { PutStoreSchema, StoreIdSchema, StoreSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { putStore } from '../shared/orgs/org-use-cases';

httpRoute({
  name: 'stores-put',
  permission: 'store.write',
  method: 'PUT',
  route: 'v1/stores/{storeId}',
  createsAtId: true,
  summary: "Create or update one of the caller's stores",
  tag: 'Organisations',
  params: z.object({ storeId: StoreIdSchema }),
  body: PutStoreSchema,
  example: { name: 'Queen Street', jurisdiction: 'NZ-AKL' },
  responses: {
    200: { description: 'Updated', schema: StoreSchema },
    201: { description: 'Created', schema: StoreSchema, headers: ['location'] },
  },
  handler: async (ctx) => {
    const { store, created } = await putStore(ctx, ctx.params.storeId, ctx.body);
    return json(created ? 201 : 200, store, { location: `/api/v1/stores/${store.id}` });
  },
});
