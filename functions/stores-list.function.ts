import { z } from 'zod';
import { StoreSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { readStores } from '../shared/orgs/org-use-cases';

httpRoute({
  name: 'stores-list',
  method: 'GET',
  route: 'v1/stores',
  summary: "List the caller's stores",
  tag: 'Organisations',
  responses: { 200: { description: 'The stores', schema: z.object({ items: z.array(StoreSchema) }) } },
  handler: async (ctx) => json(200, { items: await readStores(ctx) }),
});
