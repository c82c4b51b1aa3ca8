import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { settings } from '../config/settings';
import { ServiceUnavailableError } from '../domain/errors';

/**
 * Webhook signing secrets at rest (PRODUCT §6b): a hash is not enough (the app signs with the
 * secret), so each is kept encrypted with AES-256-GCM under a key that lives in Key Vault in
 * Azure (WEBHOOK_SECRET_KEY, a Key Vault reference) and never in the database.
 */
const VERSION = 'v1';

function key(): Buffer {
  const configured = settings().WEBHOOK_SECRET_KEY;
  // Azure passes a Key Vault reference it could not resolve (a role not yet in effect, the key not
  // yet created) as its own text: sealing under that would use a key anyone can read in the template.
  if (!configured || configured.startsWith('@Microsoft.KeyVault(')) {
    throw new ServiceUnavailableError('The key that protects webhook secrets is not available yet; try again shortly.', 30);
  }
  // The provision hook writes 32 random bytes in base64: used as they are; a development value is hashed to length.
  const raw = Buffer.from(configured, 'base64');
  return raw.length === 32 && raw.toString('base64') === configured ? raw : createHash('sha256').update(configured).digest();
}

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

export function openSecret(sealed: string): string {
  const [version, body] = sealed.split(':');
  if (version !== VERSION || !body) throw new Error('An unreadable sealed secret.');
  const raw = Buffer.from(body, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
