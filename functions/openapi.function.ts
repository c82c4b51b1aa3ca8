import { z } from 'zod';
import { openApiDocument } from '../shared/http/openapi-registry';
import { json, httpRoute } from '../shared/http/route';

/**
 * Built once, at the first request: every route has registered by then (the host loads every
 * function file before it serves), and the document is anonymous, so rebuilding it (tens of ms
 * of CPU) on each hit would let anyone spend the service's CPU for nothing.
 */
let document: { openapi: string } | undefined;

httpRoute({
  name: 'openapi',
  method: 'GET',
  route: 'v1/openapi.json',
  summary: 'This document: OpenAPI 3.1 generated from the zod schemas that validate requests',
  tag: 'Operations',
  anonymous: true,
  responses: { 200: { description: 'The OpenAPI document', schema: z.object({ openapi: z.string() }).loose() } },
  handler: async () => json(200, (document ??= openApiDocument() as { openapi: string })),
});
