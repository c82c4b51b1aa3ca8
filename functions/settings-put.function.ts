import { httpEtag, ifMatchOf } from '../shared/http/etag';
import { RetailerSettingsSchema, SettingsUpdateSchema } from '../shared/domain/retailer-settings';
import { json, httpRoute } from '../shared/http/route';
import { updateSettings } from '../shared/orgs/settings-use-cases';

httpRoute({
  name: 'settings-put',
  permission: 'settings.update',
  method: 'PUT',
  route: 'v1/settings',
  summary: 'Change retailer settings; omitted fields keep their value; If-Match optional',
  tag: 'Settings',
  body: SettingsUpdateSchema,
  example: { retentionDays: 365, policeSharing: 'jurisdiction' },
  requestHeaders: ['if-match-optional'],
  responses: { 200: { description: 'The settings now in force', schema: RetailerSettingsSchema, headers: ['etag'] } },
  handler: async (ctx) => {
    const { settings, etag } = await updateSettings(ctx, ctx.body, ifMatchOf(ctx.request.headers.get('if-match')));
    return json(200, settings, etag ? { etag: httpEtag(etag) } : {});
  },
});
