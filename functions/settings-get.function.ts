import { httpEtag } from '../shared/http/etag';
import { RetailerSettingsSchema } from '../shared/domain/retailer-settings';
import { json, httpRoute } from '../shared/http/route';
import { readSettings } from '../shared/orgs/settings-use-cases';

httpRoute({
  name: 'settings-get',
  permission: 'settings.read',
  method: 'GET',
  route: 'v1/settings',
  summary: "Read the caller's retailer settings",
  tag: 'Settings',
  responses: { 200: { description: 'The settings; ETag for a later PUT', schema: RetailerSettingsSchema, headers: ['etag'] } },
  handler: async (ctx) => {
    const { settings, etag } = await readSettings(ctx);
    return json(200, settings, etag ? { etag: httpEtag(etag) } : {});
  },
});
