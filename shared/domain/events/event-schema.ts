import { z } from 'zod';
import { OrgIdSchema, StoreIdSchema } from '../organisation';
import { EvidenceSummarySchema } from '../evidence/evidence-schema';
import eventTypes from './event-types.json';
import { NORMALISED_PLATE_PATTERN, PLATE_MESSAGE, PLATE_PATTERN, normalisePlate } from './plates';

export const EVENT_TYPES = eventTypes.types as [string, ...string[]];
export const EventTypeSchema = z.enum(EVENT_TYPES);

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const text = (max: number) => z.string().trim().min(1).max(max);
/** Opaque ids the server mints (UUIDs, or hashes for derived ids). */
export const ResourceIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'Not a valid id.');
const IsoDateTime = z.iso.datetime({ offset: true });

export const ProductSchema = z
  .object({
    sku: text(64).optional(),
    name: text(200),
    quantity: z.number().int().min(1).max(10_000),
    unitValue: z.number().min(0).max(1_000_000).multipleOf(0.0001),
  })
  .strict();

export const PersonInputSchema = z
  .object({
    ref: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'Use 1–32 letters, digits, dashes or underscores.'),
    role: z.enum(['offender', 'accomplice']),
    profileId: ResourceIdSchema.optional(),
    name: z
      .object({ given: text(100).optional(), family: text(100).optional(), aliases: z.array(text(100)).max(10).optional() })
      .strict()
      .optional(),
    dateOfBirth: z.iso.date().optional(),
    ageRange: z
      .object({ min: z.number().int().min(0).max(120), max: z.number().int().min(0).max(120) })
      .strict()
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
      .optional(),
    heightCm: z.number().int().min(50).max(250).optional(),
    build: z.enum(['slim', 'medium', 'heavy']).optional(),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use E.164, e.g. +64211234567.').optional(),
    distinguishingFeatures: z.array(text(200)).max(20).optional(),
    clothing: text(500).optional(),
  })
  .strict();

export const VehicleInputSchema = z
  .object({
    plate: z.string().regex(PLATE_PATTERN, PLATE_MESSAGE),
    make: text(50).optional(),
    model: text(50).optional(),
    colour: text(50).optional(),
  })
  .strict()
  .refine((v) => NORMALISED_PLATE_PATTERN.test(normalisePlate(v.plate)), {
    message: 'A plate has 1–12 letters or digits.',
    path: ['plate'],
  });

export const ViolenceSchema = z
  .object({
    threatened: z.boolean(),
    used: z.boolean(),
    weapon: z.enum(['none', 'knife', 'firearm', 'syringe', 'blunt', 'other']),
  })
  .strict();

export const PoliceSharingSchema = z
  .object({
    mode: z.enum(['default', 'internal', 'jurisdiction', 'all']),
    excludeAgencies: z.array(OrgIdSchema).max(100).default([]),
  })
  .strict();

/** What a client sends to create an event (and what a PATCH must still be after merging). */
export const EventInputSchema = z
  .object({
    storeId: StoreIdSchema,
    occurredAt: IsoDateTime,
    type: EventTypeSchema,
    prevented: z.boolean(),
    description: text(2000).optional(),
    products: z.array(ProductSchema).max(100).optional(),
    currency: z
      .string()
      .refine((c) => CURRENCIES.has(c), 'Use an ISO 4217 currency code such as NZD.')
      .optional(),
    people: z.array(PersonInputSchema).max(20).optional(),
    vehicles: z.array(VehicleInputSchema).max(10).optional(),
    violence: ViolenceSchema.optional(),
    sensitive: z.boolean().default(false),
    policeSharing: PoliceSharingSchema.default({ mode: 'default', excludeAgencies: [] }),
    policeReference: z
      .string()
      .regex(/^[A-Za-z0-9/_-]{1,64}$/, 'Use up to 64 letters, digits, slashes, dashes or underscores.')
      .optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.products?.length && !e.currency) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'currency is required when products are given.' });
    }
    const seen = new Set<string>();
    e.people?.forEach((p, i) => {
      if (seen.has(p.ref)) ctx.addIssue({ code: 'custom', path: ['people', i, 'ref'], message: `ref ${p.ref} is used twice.` });
      seen.add(p.ref);
    });
  }).meta({ id: 'EventInput' });
export type EventInput = z.infer<typeof EventInputSchema>;

export const PersonSchema = PersonInputSchema.extend({ profileId: ResourceIdSchema });
export const VehicleSchema = z.object({
  plate: z.string(),
  normalisedPlate: z.string(),
  make: z.string().optional(),
  model: z.string().optional(),
  colour: z.string().optional(),
});

export const LegalHoldSchema = z.object({ reason: z.string(), by: z.string(), at: z.string() });

/** The stored event as the API returns it. */
export const EventSchema = z.object({
  id: ResourceIdSchema,
  retailerId: OrgIdSchema,
  storeId: StoreIdSchema,
  occurredAt: z.string(),
  type: EventTypeSchema,
  prevented: z.boolean(),
  description: z.string().optional(),
  products: z.array(ProductSchema).optional(),
  currency: z.string().optional(),
  people: z.array(PersonSchema),
  vehicles: z.array(VehicleSchema),
  violence: ViolenceSchema.optional(),
  sensitive: z.boolean(),
  policeSharing: PoliceSharingSchema,
  policeReference: z.string().optional(),
  legalHold: LegalHoldSchema.nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** On GET /events/{id} only: the event's evidence items (evidence locker). */
  evidence: z.array(EvidenceSummarySchema).optional(),
}).meta({ id: 'Event' });
export type RetailEvent = z.infer<typeof EventSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type LegalHold = z.infer<typeof LegalHoldSchema>;

export const LegalHoldInputSchema = z.object({ reason: text(500) }).strict();
