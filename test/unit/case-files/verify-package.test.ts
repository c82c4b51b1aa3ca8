import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { JSONWebKeySet } from 'jose';
import {
  detachedJws,
  jwsHeader,
  manifestBytes,
  MANIFEST_FORMAT,
  signingInput,
  type Manifest,
  type ManifestFile,
} from '../../../shared/domain/case-files/manifest';
import { ZipStreamWriter } from '../../../shared/adapters/zip-writer';
import { verifyCaseFile } from '../../../tools/case-file/verify-package';
import { flipped, readZip, writeZip } from './zip-entries';

/*
 * The offline verifier against a package written by the same streaming writer and manifest rules
 * the build uses, signed with a throwaway P-256 key: it accepts the package as written and names
 * the first thing wrong in each tampered copy.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'casefile-verify-'));
const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as object), kid: 'test-key', alg: 'ES256', use: 'sig' } };
};
const key = keyPair();
const jwks = { keys: [key.jwk] } as JSONWebKeySet;

const signDetached = (bytes: Buffer, privateKey = key.privateKey): string => {
  const { protectedHeader, input } = signingInput(jwsHeader('test-key'), bytes);
  return detachedJws(protectedHeader, sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
};

const evidence = Buffer.alloc(300_000, 0x5a);
evidence.write('binary evidence bytes', 1000);

async function writePackage(file: string): Promise<void> {
  const zip = new ZipStreamWriter(async (archive) => {
    const out = createWriteStream(file);
    archive.pipe(out);
    await finished(out);
  });
  const files: ManifestFile[] = [];
  const add = (p: string, bytes: Buffer) => files.push({ path: p, ...zip.addBuffer(p, bytes) });
  add('summary.pdf', Buffer.from('%PDF-1.7 a summary'));
  add('events/e1.json', Buffer.from('{"id":"e1"}\n'));
  add('custody/v1.json', Buffer.from('{"evidenceId":"v1"}\n'));
  async function* chunks() {
    for (let at = 0; at < evidence.length; at += 65_536) yield evidence.subarray(at, at + 65_536);
  }
  files.push({ path: 'evidence/v1/cam 1.jpg', ...(await zip.whileHealthy(zip.addStream('evidence/v1/cam 1.jpg', chunks, evidence.length))) });
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    caseFileId: 'cf-1',
    title: 'R v Smith',
    builtAt: '2026-12-03T00:00:00.000Z',
    builtBy: { sub: 'officer-1', orgId: 'agy-1', orgType: 'agency', roles: ['PoliceOfficer'], purpose: { legalBasis: 'prosecution', caseReference: 'CASE-1' } },
    auditHeads: [{ orgId: 'ret-1', seq: 42, hash: 'a'.repeat(64) }],
    files,
  };
  const bytes = manifestBytes(manifest);
  zip.addBuffer('manifest.json', bytes);
  zip.addBuffer('manifest.jws', Buffer.from(signDetached(bytes)));
  await zip.finish();
}

let original: string;
let entries: Map<string, Buffer>;

beforeAll(async () => {
  original = path.join(dir, 'case-file.zip');
  await writePackage(original);
  entries = await readZip(original);
});

async function variant(name: string, change: (e: Map<string, Buffer>) => void): Promise<string> {
  const copy = new Map(entries);
  change(copy);
  const file = path.join(dir, `${name}.zip`);
  await writeZip(file, copy);
  return file;
}

describe('casefile:verify', () => {
  it('accepts the package as written: every file listed, hashed and signed', async () => {
    expect([...entries.keys()]).toEqual(['summary.pdf', 'events/e1.json', 'custody/v1.json', 'evidence/v1/cam 1.jpg', 'manifest.json', 'manifest.jws']);
    expect(entries.get('evidence/v1/cam 1.jpg')).toEqual(evidence);
    const verdict = await verifyCaseFile(original, jwks);
    expect(verdict).toMatchObject({ ok: true, kid: 'test-key', files: 4 });
  });

  it('accepts a faithful repack (the check is on the files, not on how the ZIP was written)', async () => {
    expect(await verifyCaseFile(await variant('repacked', () => undefined), jwks)).toMatchObject({ ok: true });
  });

  it.each([
    ['summary.pdf', 'summary.pdf: SHA-256'],
    ['events/e1.json', 'events/e1.json: SHA-256'],
    ['custody/v1.json', 'custody/v1.json: SHA-256'],
    ['evidence/v1/cam 1.jpg', 'evidence/v1/cam 1.jpg: SHA-256'],
    ['manifest.json', 'manifest.jws: the signature does not match manifest.json'],
    ['manifest.jws', 'manifest.jws: '],
  ])('rejects one flipped byte in %s, naming it', async (file, problem) => {
    const tampered = await variant(`flip-${file.replace(/\W/g, '_')}`, (e) => e.set(file, flipped(e.get(file)!)));
    const verdict = await verifyCaseFile(tampered, jwks);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.problem).toContain(problem);
  });

  it("never throws on a damaged local header: each of a file's header bytes changed in turn gets a verdict, and a broken extra-field length is named", async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const raw = readFileSync(original);
    const header = raw.indexOf(Buffer.from('custody/v1.json')) - 30;
    expect(raw.readUInt32LE(header)).toBe(0x04034b50);
    for (let offset = 0; offset < 30; offset += 1) {
      const file = path.join(dir, `header-${offset}.zip`);
      const damaged = Buffer.from(raw);
      damaged[header + offset]! ^= 0x40;
      writeFileSync(file, damaged);
      const verdict = await verifyCaseFile(file, jwks);
      // The extra-field length (offsets 28–29) then runs past the header: yauzl threw inside its callback, uncaught.
      if (offset === 29) expect(!verdict.ok && verdict.problem).toMatch(/^custody\/v1\.json: /);
    }
  });

  it('rejects a flipped byte in the stored evidence of the original archive itself (its CRC-32 no longer matches)', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const raw = readFileSync(original);
    const at = raw.indexOf(Buffer.from('binary evidence bytes'));
    expect(at).toBeGreaterThan(0);
    const file = path.join(dir, 'raw-flip.zip');
    writeFileSync(file, flipped(raw, at));
    const verdict = await verifyCaseFile(file, jwks);
    expect(!verdict.ok && verdict.problem).toBe('evidence/v1/cam 1.jpg: its CRC-32 does not match its bytes');
  });

  it('accepts the empty folder entries a repacking tool adds, and still names a changed file in such a repack', async () => {
    const { ZipFile } = await import('yazl');
    const { createWriteStream } = await import('node:fs');
    const repack = async (name: string, change: (e: Map<string, Buffer>) => void) => {
      const copy = new Map(entries);
      change(copy);
      const zip = new ZipFile();
      for (const folder of ['events/', 'custody/', 'evidence/', 'evidence/v1/']) zip.addEmptyDirectory(folder);
      for (const [entryName, bytes] of copy) zip.addBuffer(bytes, entryName);
      zip.end();
      const file = path.join(dir, `${name}.zip`);
      await finished(zip.outputStream.pipe(createWriteStream(file)));
      return file;
    };
    expect(await verifyCaseFile(await repack('with-folders', () => undefined), jwks)).toMatchObject({ ok: true });
    const changed = await repack('with-folders-changed', (e) => e.set('events/e1.json', flipped(e.get('events/e1.json')!)));
    expect(await verifyCaseFile(changed, jwks)).toEqual({ ok: false, problem: expect.stringMatching(/^events\/e1\.json: SHA-256/) });
  });

  it('rejects a dropped file, an added file, a missing signature and a missing manifest', async () => {
    const cases: [string, (e: Map<string, Buffer>) => void, string][] = [
      ['drop', (e) => e.delete('events/e1.json'), 'events/e1.json: listed in the manifest but missing from the archive'],
      ['add', (e) => e.set('events/e2.json', Buffer.from('{}')), 'events/e2.json: in the archive but not in the manifest'],
      ['no-jws', (e) => e.delete('manifest.jws'), 'manifest.jws: missing from the archive'],
      ['no-manifest', (e) => e.delete('manifest.json'), 'manifest.json: missing from the archive'],
    ];
    for (const [name, change, problem] of cases) {
      const verdict = await verifyCaseFile(await variant(name, change), jwks);
      expect({ name, problem: !verdict.ok && verdict.problem }).toEqual({ name, problem });
    }
  });

  it('rejects a swapped signature: one by another key under the same kid, and one over another manifest', async () => {
    const other = keyPair();
    const byOtherKey = await variant('other-key', (e) => e.set('manifest.jws', Buffer.from(signDetached(e.get('manifest.json')!, other.privateKey))));
    expect(await verifyCaseFile(byOtherKey, jwks)).toEqual({ ok: false, problem: 'manifest.jws: the signature does not match manifest.json' });
    const overOther = await variant('other-manifest', (e) => e.set('manifest.jws', Buffer.from(signDetached(Buffer.from('{"another":"manifest"}')))));
    expect(await verifyCaseFile(overOther, jwks)).toEqual({ ok: false, problem: 'manifest.jws: the signature does not match manifest.json' });
    // A correct signature by a key the verifier was not given.
    expect(await verifyCaseFile(original, { keys: [{ ...other.jwk, kid: 'someone-else' }] } as JSONWebKeySet)).toEqual({
      ok: false,
      problem: 'manifest.jws: no key test-key in the JWKS given',
    });
  });

  it('rejects a changed file whose manifest was rewritten to match and signed with another key', async () => {
    // A tamperer who changes a file and rewrites the manifest cannot sign it with the vault's key.
    const forged = await variant('forged', (e) => {
      const manifest = JSON.parse(e.get('manifest.json')!.toString()) as Manifest;
      const changed = Buffer.from('{"id":"e1","forged":true}\n');
      e.set('events/e1.json', changed);
      manifest.files = manifest.files.map((f) => (f.path === 'events/e1.json' ? { ...f, sha256: createHash('sha256').update(changed).digest('hex'), size: changed.length } : f));
      const bytes = manifestBytes(manifest);
      e.set('manifest.json', bytes);
      e.set('manifest.jws', Buffer.from(signDetached(bytes, keyPair().privateKey)));
    });
    expect(await verifyCaseFile(forged, jwks)).toEqual({ ok: false, problem: 'manifest.jws: the signature does not match manifest.json' });
  });

  it('rejects what is not a ZIP at all', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = path.join(dir, 'not-a-zip.zip');
    writeFileSync(file, 'hello');
    const verdict = await verifyCaseFile(file, jwks);
    expect(!verdict.ok && verdict.problem).toMatch(/^not a readable ZIP archive/);
  });
});
