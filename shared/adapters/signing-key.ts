import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CryptographyClient, KeyClient, type KeyVaultKey } from '@azure/keyvault-keys';
import type { PublicJwk } from '../domain/case-files/case-file-schema';
import { settings } from '../config/settings';
import { azureCredential } from './azure-clients';

/*
 * The key that signs case files (ES256). In Azure it is a Key Vault key: the app sends a digest to
 * the vault and gets the signature back; the private key never leaves the vault, and every
 * enabled version stays in the JWKS so files signed before a rotation still verify. Locally it
 * is a development key in a file, created on first use.
 */

/** One key version: its id, and signing with exactly it (raw r ‖ s, 64 bytes, as JWS ES256 wants). */
export interface SigningKey {
  kid: string;
  sign(input: Buffer): Promise<Buffer>;
}

interface Signer {
  current(): Promise<SigningKey>;
  publicKeys(): Promise<PublicJwk[]>;
}

const publicJwk = (jwk: { x?: string | Uint8Array; y?: string | Uint8Array }, kid: string): PublicJwk => {
  const b64 = (v: string | Uint8Array | undefined): string => (typeof v === 'string' ? v : Buffer.from(v ?? []).toString('base64url'));
  return { kty: 'EC', crv: 'P-256', x: b64(jwk.x), y: b64(jwk.y), kid, alg: 'ES256', use: 'sig' };
};

function keyVaultSigner(keyUri: string): Signer {
  const url = new URL(keyUri);
  const name = url.pathname.split('/').filter(Boolean)[1];
  if (!name) throw new Error('Invalid configuration: CASEFILE_SIGNING_KEY_URI names no key.');
  const keys = new KeyClient(url.origin, azureCredential());
  let current: { key: KeyVaultKey; crypto: CryptographyClient; until: number } | undefined;
  const latest = async () => {
    // The newest version, looked up again every ten minutes: a rotation takes effect without a restart.
    if (!current || current.until < Date.now()) {
      const key = await keys.getKey(name);
      current = { key, crypto: new CryptographyClient(key.id!, azureCredential()), until: Date.now() + 10 * 60_000 };
    }
    return current;
  };
  return {
    async current() {
      const { key, crypto } = await latest();
      return {
        kid: key.id!,
        sign: async (input) => Buffer.from((await crypto.sign('ES256', createHash('sha256').update(input).digest())).result),
      };
    },
    async publicKeys() {
      const found: PublicJwk[] = [];
      for await (const version of keys.listPropertiesOfKeyVersions(name)) {
        if (version.enabled === false || !version.version) continue;
        const key = await keys.getKey(name, { version: version.version });
        if (key.key?.crv === 'P-256') found.push(publicJwk(key.key, key.id!));
      }
      return found;
    },
  };
}

interface DevKey {
  kid: string;
  privateKey: KeyObject;
}

function loadOrCreateDevKey(file: string): DevKey {
  const path = resolve(file);
  let jwk: Record<string, string>;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const created = privateKey.export({ format: 'jwk' }) as Record<string, string>;
    created.kid = `dev-${createHash('sha256').update(`${created.x}.${created.y}`).digest('base64url').slice(0, 16)}`;
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, JSON.stringify(created), { flag: 'wx', mode: 0o600 });
      jwk = created;
    } catch (raced) {
      // Another process created it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      jwk = JSON.parse(readFileSync(path, 'utf8'));
    }
  }
  return { kid: jwk.kid!, privateKey: createPrivateKey({ key: jwk, format: 'jwk' }) };
}

function devSigner(file: string): Signer {
  let key: DevKey | undefined;
  const devKey = () => (key ??= loadOrCreateDevKey(file));
  return {
    async current() {
      const { kid, privateKey } = devKey();
      return { kid, sign: async (input) => sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }) };
    },
    async publicKeys() {
      const { kid, privateKey } = devKey();
      return [publicJwk(createPublicKey(privateKey).export({ format: 'jwk' }), kid)];
    },
  };
}

let signer: Signer | undefined;

/** The one signer of this process, chosen by configuration. */
export function caseFileSigner(): Signer {
  if (!signer) {
    const s = settings();
    if (s.CASEFILE_SIGNING_KEY_URI) signer = keyVaultSigner(s.CASEFILE_SIGNING_KEY_URI);
    else if (s.CASEFILE_DEV_SIGNING_KEY_FILE) {
      // In Azure (the App Service platform sets WEBSITE_INSTANCE_ID) the app never holds a private key.
      if (process.env.WEBSITE_INSTANCE_ID) throw new Error('Invalid configuration: CASEFILE_DEV_SIGNING_KEY_FILE is for development only; set CASEFILE_SIGNING_KEY_URI.');
      signer = devSigner(s.CASEFILE_DEV_SIGNING_KEY_FILE);
    }
    else throw new Error('Invalid configuration: set CASEFILE_SIGNING_KEY_URI (Azure) or CASEFILE_DEV_SIGNING_KEY_FILE (development).');
  }
  return signer;
}
