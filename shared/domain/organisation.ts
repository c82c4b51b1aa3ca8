import { ValidationError } from './errors';
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

/** The organisation the platform operators' tokens name (`npm run -s token -- --org platform`): no organisation of either type (PRODUCT §1), so never created as one. */
export const PLATFORM_ORG_ID = 'platform';

export const CreateOrgSchema = z
  .object({
    id: OrgIdSchema,
    type: OrgTypeSchema,
    name: NameSchema,
    jurisdictions: z.array(JurisdictionSchema).max(100).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.id === PLATFORM_ORG_ID) ctx.addIssue({ code: 'custom', path: ['id'], message: `"${PLATFORM_ORG_ID}" is reserved for the platform's operators.` });
    if (o.type === 'agency' && !o.jurisdictions?.length) {
      ctx.addIssue({ code: 'custom', path: ['jurisdictions'], message: 'An agency covers at least one jurisdiction.' });
    }
  }).meta({ id: 'OrganisationInput' });
export type CreateOrg = z.infer<typeof CreateOrgSchema>;

/** A reference to a document held elsewhere (a data-sharing agreement, a privacy impact assessment). */
const DocumentReferenceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 /_.:#-]{0,127}$/, 'Use 1–128 letters, digits, spaces and / _ . : # -, starting with a letter or digit.');

/** Longest an approval lasts before the agency must be approved again (PRODUCT §5b). */
export const MAX_ACTIVATION_DAYS = 3 * 365 + 1;

export const ActivationInputSchema = z
  .object({
    agreementReference: DocumentReferenceSchema,
    privacyAssessmentReference: DocumentReferenceSchema,
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .strict().meta({ id: 'AgencyActivation' });
export type ActivationInput = z.infer<typeof ActivationInputSchema>;

/**
 * An agency is `pending` until a platform admin approves it, `active` until its approval
 * expires (`expired`) or is withdrawn (`suspended`). A retailer is always `active`.
 */
export const OrgStatusSchema = z.enum(['pending', 'active', 'expired', 'suspended']);
export type OrgStatus = z.infer<typeof OrgStatusSchema>;

export const ActivationSchema = ActivationInputSchema.extend({ activatedAt: z.string(), activatedBy: z.string() });
export type Activation = z.infer<typeof ActivationSchema>;
export const SuspensionSchema = z.object({ suspendedAt: z.string(), suspendedBy: z.string() });

export const OrgSchema = z.object({
  id: OrgIdSchema,
  type: OrgTypeSchema,
  name: z.string(),
  jurisdictions: z.array(JurisdictionSchema),
  createdAt: z.string(),
  createdBy: z.string(),
  status: OrgStatusSchema,
  /** The approval in force or last given (agencies). */
  activation: ActivationSchema.optional(),
  /** When and by whom the approval was withdrawn, while suspended. */
  suspension: SuspensionSchema.optional(),
}).meta({ id: 'Organisation' });
export type Org = z.infer<typeof OrgSchema>;

/**
 * What an organisation is now. An agency stored before approvals existed (no status) counts as
 * pending: it is approved like a new one (docs/guide/police.md).
 */
export function orgStatusAt(org: Pick<Org, 'type' | 'activation' | 'suspension'> & { status?: OrgStatus }, now: Date): OrgStatus {
  if (org.type === 'retailer') return 'active';
  if (org.suspension || org.status === 'suspended') return 'suspended';
  if (!org.activation || org.status !== 'active') return 'pending';
  return Date.parse(org.activation.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

/** The approval, checked against its bounds: in the future, and at most three years ahead. */
export function activationOf(input: ActivationInput, by: string, now: Date): Activation {
  const expires = Date.parse(input.expiresAt);
  const path = 'expiresAt';
  if (expires <= now.getTime()) throw new ValidationError([{ path, message: 'Give a time in the future.' }]);
  if (expires > now.getTime() + MAX_ACTIVATION_DAYS * 86_400_000) throw new ValidationError([{ path, message: 'An approval lasts at most three years.' }]);
  return { ...input, expiresAt: new Date(expires).toISOString(), activatedAt: now.toISOString(), activatedBy: by };
}

export const PutStoreSchema = z.object({ name: NameSchema, jurisdiction: JurisdictionSchema }).strict().meta({ id: 'StoreInput' });
export type PutStore = z.infer<typeof PutStoreSchema>;

export const StoreSchema = z.object({
  id: StoreIdSchema,
  retailerId: OrgIdSchema,
  name: z.string(),
  jurisdiction: JurisdictionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Store' });
export type Store = z.infer<typeof StoreSchema>;

export function newOrg(input: CreateOrg, createdBy: string, now: Date): Org {
  return {
    id: input.id,
    type: input.type,
    name: input.name,
    jurisdictions: [...new Set(input.jurisdictions ?? [])],
    createdAt: now.toISOString(),
    createdBy,
    status: input.type === 'agency' ? 'pending' : 'active',
  };
}
