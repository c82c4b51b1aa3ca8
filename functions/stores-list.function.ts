import { PageQuerySchema, pageOf, pageOfSchema } from '../shared/domain/paging';
import { StoreSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { readStores } from '../shared/orgs/org-use-cases';

httpRoute({
  name: 'stores-list',
  permission: 'store.read',
  method: 'GET',
  route: 'v1/stores',
  summary: "List the caller's stores",
  tag: 'Organisations',
  query: PageQuerySchema,
  responses: { 200: { description: 'One page of the stores, by id', schema: pageOfSchema(StoreSchema) } },
  handler: async (ctx) => json(200, pageOf(await readStores(ctx), (s) => s.id, ctx.query)),
});
