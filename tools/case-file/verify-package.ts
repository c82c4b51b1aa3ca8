import { createHash } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import yauzl from 'yauzl';
import { attachPayload, firstMismatch, ManifestSchema, MANIFEST_PATH, SIGNATURE_PATH, type Manifest, type SeenFile } from '../../shared/domain/case-files/manifest';

/*
 * Offline verification of a case file (PRODUCT §4c): the archive is read entry by entry and every
 * file hashed as it streams (constant memory whatever the evidence weighs); the manifest's
 * detached JWS is checked against the given public keys, then every file against the manifest.
 */

export type Verdict = { ok: true; manifest: Manifest; kid: string; files: number } | { ok: false; problem: string };

/** Small files read whole: the manifest and its signature. */
const SMALL = new Set([MANIFEST_PATH, SIGNATURE_PATH]);
const MAX_SMALL = 16 * 1024 * 1024;

interface Scanned {
  seen: SeenFile[];
  small: Map<string, Buffer>;
}

function scan(zipPath: string): Promise<Scanned> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, validateEntrySizes: true, autoClose: true }, (error, zip) => {
      if (error || !zip) return reject(new Error(`not a readable ZIP archive (${error?.message ?? 'no archive'})`));
      const seen: SeenFile[] = [];
      const small = new Map<string, Buffer>();
      zip.on('error', (e: Error) => reject(new Error(`not a readable ZIP archive (${e.message})`)));
      zip.on('end', () => resolve({ seen, small }));
      zip.on('entry', (entry: yauzl.Entry) => {
        const path = entry.fileName;
        if (path.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (openError, stream) => {
          if (openError || !stream) return reject(new Error(`${path}: cannot be read (${openError?.message ?? 'no data'})`));
          const hash = createHash('sha256');
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            size += chunk.length;
            if (SMALL.has(path) && size <= MAX_SMALL) chunks.push(chunk);
          });
          stream.on('error', (e: Error) => reject(new Error(`${path}: cannot be read (${e.message})`)));
          stream.on('end', () => {
            seen.push({ path, sha256: hash.digest('hex'), size });
            if (SMALL.has(path)) {
              if (size > MAX_SMALL) return reject(new Error(`${path}: larger than ${MAX_SMALL} bytes`));
              small.set(path, Buffer.concat(chunks));
            }
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** The verdict on one archive, naming the first thing wrong. */
export async function verifyCaseFile(zipPath: string, jwks: JSONWebKeySet): Promise<Verdict> {
  let scanned: Scanned;
  try {
    scanned = await scan(zipPath);
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  const manifestBytes = scanned.small.get(MANIFEST_PATH);
  if (!manifestBytes) return { ok: false, problem: `${MANIFEST_PATH}: missing from the archive` };
  const jws = scanned.small.get(SIGNATURE_PATH);
  if (!jws) return { ok: false, problem: `${SIGNATURE_PATH}: missing from the archive` };
  const compact = attachPayload(jws.toString('ascii'), manifestBytes);
  if (!compact) return { ok: false, problem: `${SIGNATURE_PATH}: not a detached JWS (header..signature)` };
  let kid = '';
  try {
    const header = decodeProtectedHeader(compact);
    kid = String(header.kid ?? '');
    await compactVerify(compact, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY' ? `no key ${kid || '(no kid)'} in the JWKS given` : 'the signature does not match manifest.json';
    return { ok: false, problem: `${SIGNATURE_PATH}: ${reason}` };
  }
  let manifest: Manifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(manifestBytes.toString('utf8')));
  } catch {
    return { ok: false, problem: `${MANIFEST_PATH}: not a case-file manifest` };
  }
  const mismatch = firstMismatch(manifest, scanned.seen);
  if (mismatch) return { ok: false, problem: mismatch };
  return { ok: true, manifest, kid, files: manifest.files.length };
}
