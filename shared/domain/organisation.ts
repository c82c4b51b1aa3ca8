import { z } from 'zod';

/** Lower-case slug: stable, URL-safe, and never personal data. */
export const OrgIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Use 2–63 lower-case letters, digits or dashes, starting with a letter or digit.');

export const StoreIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'Use 1–64 letters, digits, dots, dashes or underscores.');

/** ISO 3166-1 alpha-2 country, optionally with an ISO 3166-2 subdivision: NZ, NZ-AKL, US-NM. */
export const JurisdictionSchema = z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'Use an ISO 3166 code such as NZ-AKL or US-NM.');

export const OrgTypeSchema = z.enum(['retailer', 'agency']);
export type OrgType = z.infer<typeof OrgTypeSchema>;

const NameSchema = z.string().trim().min(1).max(200);

export const CreateOrgSchema = z
  .object({
    id: OrgIdSchema,
    type: OrgTypeSchema,
    name: NameSchema,
    jurisdictions: z.array(JurisdictionSchema).max(100).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.type === 'agency' && !o.jurisdictions?.length) {
      ctx.addIssue({ code: 'custom', path: ['jurisdictions'], message: 'An agency covers at least one jurisdiction.' });
    }
  });
export type CreateOrg = z.infer<typeof CreateOrgSchema>;

export const OrgSchema = z.object({
  id: OrgIdSchema,
  type: OrgTypeSchema,
  name: z.string(),
  jurisdictions: z.array(JurisdictionSchema),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Org = z.infer<typeof OrgSchema>;

export const PutStoreSchema = z.object({ name: NameSchema, jurisdiction: JurisdictionSchema }).strict();
export type PutStore = z.infer<typeof PutStoreSchema>;

export const StoreSchema = z.object({
  id: StoreIdSchema,
  retailerId: OrgIdSchema,
  name: z.string(),
  jurisdiction: JurisdictionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Store = z.infer<typeof StoreSchema>;

export function newOrg(input: CreateOrg, createdBy: string, now: Date): Org {
  return {
    id: input.id,
    type: input.type,
    name: input.name,
    jurisdictions: [...new Set(input.jurisdictions ?? [])],
    createdAt: now.toISOString(),
    createdBy,
  };
}
