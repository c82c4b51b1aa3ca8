import { z } from 'zod';
import { openApiDocument } from '../shared/http/openapi-registry';
import { json, httpRoute } from '../shared/http/route';

httpRoute({
  name: 'openapi',
  method: 'GET',
  route: 'v1/openapi.json',
  summary: 'This document: OpenAPI 3.1 generated from the zod schemas that validate requests',
  tag: 'Operations',
  anonymous: true,
  responses: { 200: { description: 'The OpenAPI document', schema: z.object({ openapi: z.string() }).loose() } },
  handler: async () => json(200, openApiDocument() as { openapi: string }),
});
