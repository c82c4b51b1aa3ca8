import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { z } from 'zod';

/**
 * The local development issuer: one ES256 key kept in a file (git-ignored), whose public
 * half the local host serves as JWKS, and which `npm run token` signs with.
 */
export const DevIssuerKeySchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});
export type DevIssuerKey = z.infer<typeof DevIssuerKeySchema>;

export type PublicJwk = Omit<DevIssuerKey, 'd'>;

export interface DevTokenOptions {
  issuer: string;
  audience: string;
  orgClaim: string;
  org?: string;
  /** Not checked here, so tests can mint tokens with roles the API does not know. */
  roles: readonly string[];
  sub?: string;
  stores?: readonly string[];
  mfa?: boolean;
  ttlSeconds?: number;
}

/** Reads the key, or creates it so that concurrent first starts all end up with the same one. */
export async function loadOrCreateDevIssuerKey(file: string): Promise<DevIssuerKey> {
  const existing = await readKey(file);
  if (existing) return existing;

  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(await generateKey(), null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  try {
    // link() never overwrites, and the file appears complete or not at all: the first writer wins.
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const key = await readKey(file);
  if (!key) throw new Error(`Could not create the dev issuer key at ${file}.`);
  return key;
}

/** The public JWKS: fields picked explicitly so the private `d` can never leak. */
export function devIssuerJwks(key: DevIssuerKey): { keys: PublicJwk[] } {
  const { kty, crv, x, y, kid, alg, use } = key;
  return { keys: [{ kty, crv, x, y, kid, alg, use }] };
}

export async function signDevToken(key: DevIssuerKey, options: DevTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    roles: [...options.roles],
    amr: options.mfa ? ['pwd', 'mfa'] : ['pwd'],
  };
  if (options.org !== undefined) claims[options.orgClaim] = options.org;
  // An empty list is signed as given: a claim present and empty is a scope of no stores.
  if (options.stores !== undefined) claims.stores = [...options.stores];

  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(options.sub ?? 'dev-user')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .setJti(randomUUID())
    .sign(await importJWK(key, 'ES256'));
}

async function readKey(file: string): Promise<DevIssuerKey | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = DevIssuerKeySchema.safeParse(safeJson(text));
  if (!parsed.success) throw new Error(`${file} is not a valid dev issuer key; delete it to create a new one.`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function generateKey(): Promise<DevIssuerKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return DevIssuerKeySchema.parse({ ...jwk, kid, alg: 'ES256', use: 'sig' });
}

/**
 * A token for a running local stack whose settings are in process.env (tests, benchmarks,
 * scripts that started it with startStackProcess): the issuer, audience and org claim it checks.
 */
export async function localStackToken(options: Omit<DevTokenOptions, 'issuer' | 'audience' | 'orgClaim'>): Promise<string> {
  const key = await loadOrCreateDevIssuerKey(process.env.DEV_ISSUER_KEY_FILE!);
  return signDevToken(key, { ...localIssuerSettings(), ...options });
}

/** The issuer, audience and org claim the local stack checks (its settings in process.env, else the defaults). */
export function localIssuerSettings(): Pick<DevTokenOptions, 'issuer' | 'audience' | 'orgClaim'> {
  return {
    issuer: process.env.AUTH_ISSUER ?? 'https://daybreak.local/dev-issuer',
    audience: process.env.AUTH_AUDIENCE ?? 'api://daybreak',
    orgClaim: process.env.AUTH_ORG_CLAIM ?? 'org',
  };
}
