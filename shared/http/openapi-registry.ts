import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** Filled by httpRoute() as each function file registers, so the document and the routes cannot drift. */
export const openApiRegistry = new OpenAPIRegistry();

openApiRegistry.registerComponent('securitySchemes', 'bearer', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
});

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
}).meta({ id: 'Problem' });

export function openApiDocument(): unknown {
  return new OpenApiGeneratorV31(openApiRegistry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Daybreak API',
      version: '1.0.0',
      description: 'Retail-crime intelligence: events, evidence, Connect the Dots, sharing, police accountability, alerts, LPR, retention and audit.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Daybreak-Proprietary' },
    },
    servers: [{ url: '/' }],
  });
}
