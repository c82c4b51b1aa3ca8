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

/** The sections of the reference, in the order a newcomer meets them. */
const TAGS = [
  { name: 'Events', description: 'Crimes and incidents recorded after they happen (PRODUCT §2).' },
  { name: 'Evidence', description: 'CCTV, images and statements, with their chain of custody (§3).' },
  { name: 'Connect the Dots', description: 'Profiles, link suggestions with calibrated probabilities, merges and splits, groups (§4, §4b).' },
  { name: 'Sharing', description: 'Agreements between retailers, and messages with the police (§5).' },
  { name: 'Police accountability', description: 'Agency approval, stated purposes, transparency reports and access review (§5b).' },
  { name: 'Alerts', description: 'Subscriptions and signed webhooks, instant or as a daily digest (§6b).' },
  { name: 'LPR', description: 'Licence-plate reads, alerts and vehicle enquiries (§6).' },
  { name: 'Case files', description: 'Signed briefs of evidence for prosecution, and the keys that verify them (§4c).' },
  { name: 'Privacy', description: 'Subject access and erasure (§7).' },
  { name: 'Retention', description: "Deletion on each retailer's schedule (§7)." },
  { name: 'Audit', description: 'The tamper-evident chain: verification and export (§8).' },
  { name: 'Analytics', description: 'Counts and loss, never people (§9).' },
  { name: 'Settings', description: "A retailer's settings (§5)." },
  { name: 'Organisations', description: 'Retailers, agencies and stores (§1, §5).' },
  { name: 'Operations', description: 'Health, this document and its reference page (§10).' },
];

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
    tags: TAGS,
  });
}
