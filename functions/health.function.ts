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
    503: { description: 'A dependency does not answer (try again after Retry-After)', schema: HealthSchema, headers: ['retry-after'] },
  },
  handler: async () => {
    const health = await checkHealth();
    // A 503 here is a status report, not an error: its body says which dependency, and Retry-After when to look again.
    if (health.status !== 'ok') return json(503, health, { 'cache-control': 'no-store', 'retry-after': '5' });
    return json(200, health, { 'cache-control': 'no-store' });
  },
});
