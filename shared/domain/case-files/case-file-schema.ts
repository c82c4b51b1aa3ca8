import { z } from 'zod';
import { ResourceIdSchema } from '../events/event-schema';

/** Case files for prosecution (PRODUCT §4c): what a client sends and reads back. */

/** A brief stays a size a prosecutor reads and one build finishes (and its ids fit one audit entry): at most this many events and people. */
export const MAX_CASE_FILE_EVENTS = 100;
export const MAX_CASE_FILE_PROFILES = 50;

const uniqueIds = (max: number) =>
  z
    .array(ResourceIdSchema)
    .max(max)
    .refine((ids) => new Set(ids).size === ids.length, 'List each id once.');

export const CaseFileInputSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    eventIds: uniqueIds(MAX_CASE_FILE_EVENTS).min(1),
    profileIds: uniqueIds(MAX_CASE_FILE_PROFILES).optional(),
  })
  .strict()
  .meta({ id: 'CaseFileInput' });
export type CaseFileInput = z.infer<typeof CaseFileInputSchema>;

/** How long a built case file can be downloaded; its blob is deleted after (Bicep lifecycle rule). */
export const CASE_FILE_LIFETIME_DAYS = 30;

export const CaseFileStatusSchema = z.enum(['building', 'ready', 'failed']);

export const CaseFileSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: CaseFileStatusSchema,
    /** The events and people asked for that the requester may see: the only ones the file holds. */
    eventIds: z.array(z.string()),
    profileIds: z.array(z.string()),
    /** How many ids asked for were left out because the requester may not see them (or they do not exist). */
    omitted: z.object({ events: z.number().int(), profiles: z.number().int() }),
    createdAt: z.string(),
    createdBy: z.string(),
    /** Once ready: when it was built, its size and the SHA-256 of the ZIP. */
    readyAt: z.string().nullable(),
    size: z.number().int().nullable(),
    sha256: z.string().nullable(),
    /** Once ready: until when it can be downloaded (it copies personal data, so it does not outlive this). */
    expiresAt: z.string().nullable(),
    /** Once failed: why, in words a user can act on. */
    failure: z.string().nullable(),
  })
  .meta({ id: 'CaseFile' });
export type CaseFile = z.infer<typeof CaseFileSchema>;

/** The 202 of a new case file. */
export const CaseFileAcceptedSchema = CaseFileSchema.pick({ id: true, status: true, eventIds: true, profileIds: true, omitted: true }).meta({
  id: 'CaseFileAccepted',
});

/** A public key as JWKS publishes it (RFC 7517): only the public members. */
export const PublicJwkSchema = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string(),
    y: z.string(),
    kid: z.string(),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
  })
  .meta({ id: 'PublicJwk' });
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

export const JwksSchema = z.object({ keys: z.array(PublicJwkSchema) }).meta({ id: 'Jwks' });
export type Jwks = z.infer<typeof JwksSchema>;
