import { z } from 'zod';

const bytes = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const MiB = 1024 * 1024;

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/**
 * Every setting the functions read, validated once. Locally the values come from
 * local.settings.json (Core Tools or our local host); in Azure from app settings, where
 * storage and Cosmos DB are reached with managed identity and no keys.
 */
const SettingsSchema = z
  .object({
    COSMOS_ENDPOINT: z.url(),
    /** Emulator key locally. Absent in Azure: the managed identity is used instead. */
    COSMOS_KEY: z.string().min(1).optional(),
    COSMOS_DATABASE: z.string().min(1).default('daybreak'),
    /** Accept the local Cosmos-protocol server's self-signed certificate. Loopback endpoints only. */
    COSMOS_LOCAL_SELF_SIGNED_TLS: flag,
    /** A connection string locally (Azurite); in Azure the identity-based settings below. */
    AzureWebJobsStorage: z.string().min(1).optional(),
    AzureWebJobsStorage__blobServiceUri: z.url().optional(),
    AzureWebJobsStorage__queueServiceUri: z.url().optional(),
    /** Client id of the user-assigned managed identity (Azure only). */
    AZURE_CLIENT_ID: z.string().min(1).optional(),
    AUTH_ISSUER: z.string().min(1),
    AUTH_AUDIENCE: z.string().min(1),
    AUTH_JWKS_URI: z.url(),
    AUTH_ORG_CLAIM: z.string().min(1).default('org'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Evidence size limits per media class, in bytes (PRODUCT §3). */
    EVIDENCE_MAX_IMAGE_BYTES: bytes(25 * MiB),
    EVIDENCE_MAX_VIDEO_BYTES: bytes(4096 * MiB),
    EVIDENCE_MAX_DOCUMENT_BYTES: bytes(50 * MiB),
    /** Encrypts webhook signing secrets at rest: from Key Vault (a Key Vault reference) in Azure, a development value locally. */
    WEBHOOK_SECRET_KEY: z.string().min(16).optional(),
    /** The Key Vault key that signs case files, versionless (https://<vault>.vault.azure.net/keys/<name>): Azure. */
    CASEFILE_SIGNING_KEY_URI: z.url().optional(),
    /** Local development only: a file holding the development signing key (created on first use). Never in Azure. */
    CASEFILE_DEV_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /**
     * Entries per audit-chain segment (one logical partition each; docs/decisions/0004). Fixed for
     * a deployment's life. 2,000,000 entries stay under 8 GB even at 4 KB each; the local stack
     * uses 1,000, the 1/1000 scale its partition-limit tests run at.
     */
    AUDIT_SEGMENT_ENTRIES: z.coerce.number().int().min(2).default(2_000_000),
    /** Local development only: webhooks may go to http://127.0.0.1 (PRODUCT §6b). Never in Azure. */
    WEBHOOK_ALLOW_LOOPBACK_HTTP: flag,
  })
  .superRefine((s, ctx) => {
    if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__blobServiceUri) {
      ctx.addIssue({
        code: 'custom',
        path: ['AzureWebJobsStorage'],
        message: 'Set AzureWebJobsStorage (connection string) or AzureWebJobsStorage__blobServiceUri.',
      });
    }
    if (s.CASEFILE_SIGNING_KEY_URI && s.CASEFILE_DEV_SIGNING_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['CASEFILE_DEV_SIGNING_KEY_FILE'],
        message: 'Set CASEFILE_SIGNING_KEY_URI (Key Vault) or CASEFILE_DEV_SIGNING_KEY_FILE (development), not both.',
      });
    }
    if (s.COSMOS_LOCAL_SELF_SIGNED_TLS && !isLoopback(s.COSMOS_ENDPOINT)) {
      ctx.addIssue({
        code: 'custom',
        path: ['COSMOS_LOCAL_SELF_SIGNED_TLS'],
        message: 'Self-signed TLS is allowed only for a loopback Cosmos endpoint.',
      });
    }
  });

export type Settings = z.infer<typeof SettingsSchema>;

/** The name of every setting the schema reads (infra tests check Bicep sets each one). */
export const settingNames = Object.keys(SettingsSchema.shape) as readonly (keyof Settings)[];

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

let cached: Settings | undefined;

/** Read and validate once per process; a bad configuration fails loudly at first use. */
export function settings(): Settings {
  if (!cached) {
    const parsed = SettingsSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid configuration: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}
