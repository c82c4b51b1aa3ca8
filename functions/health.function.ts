import { z } from 'zod';
import { checkHealth } from '../shared/health/health-check';
import { json, httpRoute } from '../shared/http/route';

const CheckSchema = z.object({ ok: z.boolean(), ms: z.number() });
const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ cosmos: CheckSchema, storage: CheckSchema }),
});

httpRoute({
  name: 'health',
  method: 'GET',
  route: 'v1/health',
  summary: 'Liveness, and whether Cosmos DB and Storage answer',
  tag: 'Operations',
  anonymous: true,
  responses: {
    200: { description: 'Everything answers', schema: HealthSchema },
    503: { description: 'A dependency does not answer', schema: HealthSchema },
  },
  handler: async () => {
    const health = await checkHealth();
    return json(health.status === 'ok' ? 200 : 503, health, { 'cache-control': 'no-store' });
  },
});
