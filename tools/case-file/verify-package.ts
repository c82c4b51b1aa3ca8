import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
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

/** Info-ZIP Unicode Path and Comment extra fields: a second name that some tools show and others ignore. */
const UNICODE_EXTRAS = new Set([0x7075, 0x6375]);

/**
 * What is wrong with an entry's name, whatever the files' hashes say: an archive must name each file
 * one way only, for every unzip tool alike (the builder writes plain UTF-8 names and nothing else).
 */
function nameProblem(entry: yauzl.Entry, local: yauzl.LocalFileHeader): string | undefined {
  const path = entry.fileName;
  // Repacking tools add empty folder entries; one that carries data hides bytes from the check.
  if (path.endsWith('/') && (entry.uncompressedSize > 0 || entry.compressedSize > 2)) return `${path}: a directory entry with data`;
  if (entry.extraFields.some((f) => UNICODE_EXTRAS.has(f.id)) || yauzl.parseExtraFields(local.extraField).some((f) => UNICODE_EXTRAS.has(f.id))) {
    return `${path}: carries a second (Unicode extra field) name`;
  }
  if (!Buffer.from(path, 'utf8').equals(entry.fileNameRaw)) return `${path}: its stored name is not that name in UTF-8`;
  if (!local.fileName.equals(entry.fileNameRaw)) return `${path}: the local header names another file`;
  return undefined;
}

function scan(zipPath: string): Promise<Scanned> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, autoClose: true }, (error, zip) => {
      if (error || !zip) return reject(new Error(`not a readable ZIP archive (${error?.message ?? 'no archive'})`));
      const seen: SeenFile[] = [];
      const small = new Map<string, Buffer>();
      zip.on('error', (e: Error) => reject(new Error(`not a readable ZIP archive (${e.message})`)));
      zip.on('end', () => resolve({ seen, small }));
      zip.on('entry', (entry: yauzl.Entry) => {
        const path = entry.fileName;
        zip.readLocalFileHeader(entry, (headerError, local) => {
          if (headerError || !local) return reject(new Error(`${path}: its local header cannot be read (${headerError?.message ?? 'missing'})`));
          let problem: string | undefined;
          try {
            problem = nameProblem(entry, local);
          } catch (parseError) {
            // A damaged extra field throws inside yauzl's callback: named as the file's problem, never an uncaught crash.
            return reject(new Error(`${path}: its local header is damaged (${(parseError as Error).message})`));
          }
          if (problem) return reject(new Error(problem));
          if (path.endsWith('/')) return zip.readEntry();
          zip.openReadStream(entry, (openError, stream) => {
            if (openError || !stream) return reject(new Error(`${path}: cannot be read (${openError?.message ?? 'no data'})`));
            const hash = createHash('sha256');
            const chunks: Buffer[] = [];
            let size = 0;
            let crc = 0;
            stream.on('data', (chunk: Buffer) => {
              hash.update(chunk);
              crc = crc32(chunk, crc);
              size += chunk.length;
              if (SMALL.has(path) && size <= MAX_SMALL) chunks.push(chunk);
            });
            stream.on('error', (e: Error) => reject(new Error(`${path}: cannot be read (${e.message})`)));
            stream.on('end', () => {
              // yauzl does not check CRC-32; unzip tools do, so a mismatch would refuse to extract.
              if (crc >>> 0 !== entry.crc32 >>> 0) return reject(new Error(`${path}: its CRC-32 does not match its bytes`));
              seen.push({ path, sha256: hash.digest('hex'), size });
              if (SMALL.has(path)) {
                if (size > MAX_SMALL) return reject(new Error(`${path}: larger than ${MAX_SMALL} bytes`));
                small.set(path, Buffer.concat(chunks));
              }
              zip.readEntry();
            });
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
