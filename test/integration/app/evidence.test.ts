import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { itemOf } from '../../../shared/adapters/cosmos-containers';
import { signedBlobUrl } from '../../../shared/adapters/blob-sas';
import { hammingDistance } from '../../../shared/domain/evidence/perceptual-hash';
import { PURPOSE, call, createOrg, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';
import { heifFile } from '../../fixtures/heif-file';
import {
  blobBytes,
  declare,
  files,
  putBlob,
  settled,
  sha256,
  storage,
  submit,
  uploadNameOf,
  uploadRemoved,
} from '../support/evidence';

type World = Awaited<ReturnType<typeof retailerWorld>>;

async function newEvent(w: World, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody(overrides) });
  if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
  return res.body.id;
}

async function custody(token: string, id: string, verify = false) {
  return call('GET', `/api/v1/evidence/${id}/custody${verify ? '?verify=true' : ''}`, { token });
}

const actions = (entries: { action: string; outcome: string }[]) => entries.map((e) => `${e.action}:${e.outcome}`);

describe('evidence locker', () => {
  let w: World;
  let mfaInvestigator: string;
  let eventId: string;
  beforeAll(async () => {
    w = await retailerWorld();
    mfaInvestigator = await tokenFor({ org: w.org, roles: ['Investigator'], sub: 'inv-mfa', mfa: true });
    eventId = await newEvent(w);
  });

  describe('POST /events/{id}/evidence', () => {
    it('answers 201 with a pending record and a create-only URL for one blob, valid at most 15 minutes', async () => {
      const before = Date.now();
      const res = await call('POST', `/api/v1/events/${eventId}/evidence`, {
        token: w.reporter,
        body: { fileName: 'till 3.jpg', contentType: 'image/jpeg', size: 1234, kind: 'image' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ evidenceId: expect.any(String), uploadUrl: expect.any(String), expiresAt: expect.any(String), uploadHeaders: { 'x-ms-blob-type': 'BlockBlob' } });
      expect(res.headers.get('location')).toBe(`/api/v1/evidence/${res.body.evidenceId}`);
      const expiresAt = Date.parse(res.body.expiresAt);
      expect(expiresAt - before).toBeLessThanOrEqual(15 * 60 * 1000 + 1000);
      expect(expiresAt - before).toBeGreaterThan(14 * 60 * 1000);
      const url = new URL(res.body.uploadUrl);
      expect(url.pathname).toMatch(new RegExp(`/evidence-uploads/${w.org}/${res.body.evidenceId}$`));
      expect(url.searchParams.get('sp')).toBe('c');
      expect(url.searchParams.get('sr')).toBe('b');
      expect(Date.parse(url.searchParams.get('se')!)).toBeLessThanOrEqual(expiresAt);

      const got = await call('GET', `/api/v1/evidence/${res.body.evidenceId}`, { token: w.investigator });
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({
        id: res.body.evidenceId,
        eventId,
        retailerId: w.org,
        kind: 'image',
        fileName: 'till 3.jpg',
        contentType: 'image/jpeg',
        declared: { contentType: 'image/jpeg', size: 1234, sha256: null },
        status: 'pending',
        sha256: null,
        createdBy: 'rep-1',
      });
    });

    it('a retried declaration with the same Idempotency-Key answers the first 201 and records one item; another body with it is 409', async () => {
      const key = randomUUID();
      const body = { fileName: 'till.jpg', contentType: 'image/jpeg', size: 1234, kind: 'image' };
      const headers = { 'idempotency-key': key };
      const first = await call('POST', `/api/v1/events/${eventId}/evidence`, { token: w.reporter, body, headers });
      const again = await call('POST', `/api/v1/events/${eventId}/evidence`, { token: w.reporter, body, headers });
      expect(first.status).toBe(201);
      expect({ status: again.status, body: again.body, location: again.headers.get('location') }).toEqual({ status: 201, body: first.body, location: first.headers.get('location') });
      const other = await call('POST', `/api/v1/events/${eventId}/evidence`, { token: w.reporter, body: { ...body, size: 99 }, headers });
      expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_CONFLICT' });
      const event = await call('GET', `/api/v1/events/${eventId}`, { token: w.investigator });
      expect(event.body.evidence.filter((e: { id: string }) => e.id === first.body.evidenceId)).toHaveLength(1);
    });

    it('lets Integration declare uploads but not read them back', async () => {
      const created = await declare(w.integration, eventId, { fileName: 'cam.mp4', contentType: 'video/mp4', size: 100, kind: 'cctv' });
      expect((await call('GET', `/api/v1/evidence/${created.evidenceId}`, { token: w.integration })).status).toBe(403);
    });

    it.each<[string, Record<string, unknown>, number, string]>([
      ['a declared size of zero', { size: 0 }, 400, 'VALIDATION_FAILED'],
      ['an unknown field', { colour: 'red' }, 400, 'VALIDATION_FAILED'],
      ['a bad hash', { sha256: 'xyz' }, 400, 'VALIDATION_FAILED'],
      ['an image over 25 MiB', { size: 25 * 1024 * 1024 + 1 }, 422, 'EVIDENCE_TOO_LARGE'],
      ['a video filed as an image', { contentType: 'video/mp4' }, 422, 'UNSUPPORTED_EVIDENCE_TYPE'],
    ])('refuses %s', async (_name, override, status, code) => {
      const res = await call('POST', `/api/v1/events/${eventId}/evidence`, {
        token: w.reporter,
        body: { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, kind: 'image', ...override },
      });
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
    });

    it('refuses roles that may not add evidence', async () => {
      const res = await call('POST', `/api/v1/events/${eventId}/evidence`, {
        token: w.compliance,
        body: { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, kind: 'image' },
      });
      expect(res.status).toBe(403);
    });
  });

  describe('processing real files', () => {
    it('keeps a JPEG unchanged, with its SHA-256, dimensions and perceptual hash, and removes the upload', async () => {
      const jpeg = await files.jpeg(64, 48);
      const { created, evidence } = await submit(w.reporter, eventId, jpeg, { fileName: 'cam.jpg', sha256: sha256(jpeg) });
      expect(evidence).toMatchObject({
        status: 'ready',
        reason: null,
        sha256: sha256(jpeg),
        size: jpeg.length,
        mediaType: 'image/jpeg',
        image: { width: 64, height: 48, perceptualHash: expect.stringMatching(/^[0-9a-f]{16}$/) },
        processedAt: expect.any(String),
      });
      const name = uploadNameOf(created.uploadUrl);
      expect(await blobBytes('evidence', name)).toEqual(jpeg);
      expect(await blobBytes('evidence-uploads', name)).toBeUndefined();
      expect(await blobBytes('evidence-quarantine', name)).toBeUndefined();
    });

    it('gives a PNG its dimensions, and the same picture re-encoded a nearby perceptual hash', async () => {
      const png = await files.png(40, 30);
      const { evidence } = await submit(w.reporter, eventId, png, { contentType: 'image/png' });
      expect(evidence).toMatchObject({ status: 'ready', mediaType: 'image/png', image: { width: 40, height: 30 } });
      const similar = await sharp(png).resize(80, 60).jpeg({ quality: 70 }).toBuffer();
      const other = await submit(w.reporter, eventId, similar, { contentType: 'image/jpeg' });
      expect(hammingDistance(evidence.image.perceptualHash, other.evidence.image.perceptualHash)).toBeLessThanOrEqual(10);
    });

    it("gives a HEIC (as a phone writes one) its size from its container, without a perceptual hash; one cut short is a corrupt image", async () => {
      const heic = heifFile({ width: 4032, height: 3024, quarterTurns: 3 });
      const { evidence } = await submit(w.reporter, eventId, heic, { fileName: 'IMG_0001.HEIC', contentType: 'image/heic' });
      expect(evidence).toMatchObject({ status: 'ready', mediaType: 'image/heic', image: { width: 3024, height: 4032, perceptualHash: null } });
      const cut = await submit(w.reporter, eventId, heic.subarray(0, 1000), { fileName: 'IMG_0002.HEIC', contentType: 'image/heic' });
      expect(cut.evidence).toMatchObject({ status: 'rejected', reason: 'corrupt-image', image: null });
    });

    it.each<[string, () => Buffer, Record<string, unknown>, string]>([
      ['an MP4 as CCTV', files.mp4, { contentType: 'video/mp4', kind: 'cctv' }, 'video/mp4'],
      ['a PDF witness statement', files.pdf, { contentType: 'application/pdf', kind: 'witness-statement' }, 'application/pdf'],
      ['a plain-text witness statement', files.text, { contentType: 'text/plain', kind: 'witness-statement' }, 'text/plain'],
      // Notepad's "Unicode": FF FE first, which signature libraries read as an MPEG frame (first audit of December).
      ['a UTF-16 witness statement', () => Buffer.from('\ufeffI saw him take two bottles of gin.\r\n', 'utf16le'), { contentType: 'text/plain', kind: 'witness-statement' }, 'text/plain'],
    ])('accepts %s', async (_name, make, declared, mediaType) => {
      const bytes = make();
      const { evidence } = await submit(w.reporter, eventId, bytes, declared);
      expect(evidence).toMatchObject({ status: 'ready', mediaType, sha256: sha256(bytes), size: bytes.length, image: null });
    });

    it.each<[string, () => Promise<Buffer> | Buffer, Record<string, unknown>, string]>([
      ['an ELF binary renamed .jpg', files.elf, { fileName: 'photo.jpg' }, 'executable'],
      ['a zip', files.zip, { fileName: 'statement.pdf', contentType: 'application/pdf', kind: 'other' }, 'archive'],
      // Declared as what they are (PRODUCT §3: taken, then rejected with a reason and quarantined).
      ['a zip declared as a zip', files.zip, { fileName: 'footage.zip', contentType: 'application/zip', kind: 'other' }, 'archive'],
      ['a zip behind a UTF-16 byte-order mark, declared as text', async () => Buffer.concat([Buffer.from([0xff, 0xfe]), await files.zip()]), { fileName: 'a.txt', contentType: 'text/plain', kind: 'other' }, 'archive'],
      ['a shell script declared as text', () => Buffer.from('#!/bin/sh\nrm -rf /\n'), { fileName: 'a.txt', contentType: 'text/plain', kind: 'other' }, 'executable'],
      ['an executable declared as one', files.elf, { fileName: 'setup.exe', contentType: 'application/x-msdownload', kind: 'other' }, 'executable'],
      ['bytes declared as application/octet-stream', () => Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 256)), { contentType: 'application/octet-stream', kind: 'other' }, 'unknown-type'],
      ['a PNG declared as JPEG', () => files.png(), {}, 'type-mismatch'],
      ['text declared as PDF', files.text, { contentType: 'application/pdf', kind: 'witness-statement' }, 'type-mismatch'],
      ['random bytes', () => Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 256)), {}, 'unknown-type'],
    ])('rejects %s and moves it to quarantine', async (_name, make, declared, reason) => {
      const bytes = await make();
      const { created, evidence } = await submit(w.reporter, eventId, bytes, declared);
      expect(evidence).toMatchObject({ status: 'rejected', reason, sha256: sha256(bytes), size: bytes.length });
      const name = uploadNameOf(created.uploadUrl);
      expect(await blobBytes('evidence-quarantine', name)).toEqual(bytes);
      expect(await blobBytes('evidence', name)).toBeUndefined();
      expect(await blobBytes('evidence-uploads', name)).toBeUndefined();
    });

    it('rejects a zero-byte upload', async () => {
      const created = await declare(w.reporter, eventId, { fileName: 'a.jpg', contentType: 'image/jpeg', size: 100, kind: 'image' });
      expect(await putBlob(created.uploadUrl, Buffer.alloc(0))).toBe(201);
      await uploadRemoved(uploadNameOf(created.uploadUrl));
      expect(await settled(w.investigator, created.evidenceId)).toMatchObject({ status: 'rejected', reason: 'empty', size: 0 });
    });

    it('rejects a declared hash that lies', async () => {
      const jpeg = await files.jpeg();
      const { evidence } = await submit(w.reporter, eventId, jpeg, { sha256: sha256(Buffer.from('something else')) });
      expect(evidence).toMatchObject({ status: 'rejected', reason: 'sha256-mismatch', sha256: sha256(jpeg) });
    });

    it('rejects a size that lies, either way', async () => {
      const jpeg = await files.jpeg();
      const bigger = await submit(w.reporter, eventId, jpeg, { size: jpeg.length + 1 });
      expect(bigger.evidence).toMatchObject({ status: 'rejected', reason: 'size-mismatch', size: jpeg.length, sha256: sha256(jpeg) });
      const smaller = await submit(w.reporter, eventId, jpeg, { size: jpeg.length - 1 });
      // Hashed all the same, so that custody can check what was quarantined.
      expect(smaller.evidence).toMatchObject({ status: 'rejected', reason: 'size-mismatch', size: jpeg.length, sha256: sha256(jpeg) });
      const custody = await call('GET', `/api/v1/evidence/${smaller.created.evidenceId}/custody?verify=true`, { token: w.investigator });
      expect(custody.body).toMatchObject({ sha256: sha256(jpeg), verified: true });
    });
  });

  describe('the upload URL', () => {
    it('creates once and cannot overwrite, read, list or reach another blob', async () => {
      // A name the blob trigger never delivers (no "/"), signed exactly as the API signs upload URLs.
      const name = `probe-${randomUUID()}`;
      const url = await signedBlobUrl('evidence-uploads', name, { permissions: 'c', expiresOn: new Date(Date.now() + 60_000) });
      expect(await putBlob(url, Buffer.from('first'))).toBe(201);
      expect(await putBlob(url, Buffer.from('second'))).toBe(403);
      expect((await blobBytes('evidence-uploads', name))!.toString()).toBe('first');
      expect((await fetch(url)).status).toBe(403);
      const sas = new URL(url).search;
      const containerUrl = url.split('?')[0]!.replace(`/${name}`, '');
      expect((await fetch(`${containerUrl}${sas}&restype=container&comp=list`)).status).toBe(403);
      expect(await putBlob(url.replace(`/${name}?`, `/${name}-other?`), Buffer.from('x'))).toBe(403);
      await storage().getContainerClient('evidence-uploads').deleteBlob(name);
    });

    it('is refused by storage once expired (403)', async () => {
      const [name, control] = [`probe-${randomUUID()}`, `probe-${randomUUID()}`];
      const url = await signedBlobUrl('evidence-uploads', name, { permissions: 'c', expiresOn: new Date(Date.now() + 1000) });
      const controlUrl = await signedBlobUrl('evidence-uploads', control, { permissions: 'c', expiresOn: new Date(Date.now() + 60_000) });
      await new Promise((r) => setTimeout(r, 2500));
      expect(await putBlob(url, Buffer.from('late'))).toBe(403);
      expect(await blobBytes('evidence-uploads', name)).toBeUndefined();
      // Signed the same way a moment earlier, still in date: accepted, so the 403 above is the expiry.
      expect(await putBlob(controlUrl, Buffer.from('in time'))).toBe(201);
      await storage().getContainerClient('evidence-uploads').deleteBlob(control);
    });

    it('cannot touch the processed blob, and a second upload after processing changes nothing', async () => {
      const jpeg = await files.jpeg();
      const { created, evidence } = await submit(w.reporter, eventId, jpeg);
      const name = uploadNameOf(created.uploadUrl);
      // The processed bytes live in `evidence`, which the upload URL does not name.
      const intoEvidence = created.uploadUrl.replace('/evidence-uploads/', '/evidence/');
      expect(await putBlob(intoEvidence, Buffer.from('tampered'))).toBe(403);
      expect(await putBlob(created.uploadUrl.replace(`/${created.evidenceId}?`, `/${randomUUID()}?`), Buffer.from('x'))).toBe(403);
      // The upload blob is gone, so storage lets the URL create it again: the processor discards it.
      const before = (await custody(w.investigator, created.evidenceId)).body.entries.length;
      expect(await putBlob(created.uploadUrl, Buffer.from('tampered bytes'))).toBe(201);
      await uploadRemoved(name);
      expect(await blobBytes('evidence', name)).toEqual(jpeg);
      const after = await custody(w.investigator, created.evidenceId, true);
      expect(after.body).toMatchObject({ status: 'ready', sha256: evidence.sha256, verified: true });
      const added = after.body.entries.slice(before);
      expect(actions(added)).toContain('evidence.upload.discard:denied');
      expect(await settled(w.investigator, created.evidenceId)).toEqual(evidence);
    });
  });

  describe('re-delivery and crash recovery', () => {
    it('a re-delivery of the same blob changes nothing', async () => {
      const jpeg = await files.jpeg(32, 32);
      const { created, evidence } = await submit(w.reporter, eventId, jpeg);
      const name = uploadNameOf(created.uploadUrl);
      const doc = (await itemOf('evidence', w.org, created.evidenceId).read()).resource;
      // The same bytes arrive again under the same name, as a repeated Event Grid delivery would bring them.
      await storage().getContainerClient('evidence-uploads').getBlockBlobClient(name).uploadData(jpeg);
      await uploadRemoved(name);
      const again = (await itemOf('evidence', w.org, created.evidenceId).read()).resource;
      expect(again._etag).toBe(doc._etag);
      expect(await blobBytes('evidence', name)).toEqual(jpeg);
      const report = await custody(w.investigator, created.evidenceId);
      expect(actions(report.body.entries).filter((a) => a.startsWith('evidence.process') || a.startsWith('evidence.upload'))).toEqual([
        'evidence.process:success',
      ]);
      expect(await settled(w.investigator, created.evidenceId)).toEqual(evidence);
    });

    it('finishes an item whose copy was placed before a crash', async () => {
      const jpeg = await files.jpeg(20, 20);
      const created = await declare(w.reporter, eventId, { fileName: 'a.jpg', contentType: 'image/jpeg', size: jpeg.length, kind: 'image' });
      const name = uploadNameOf(created.uploadUrl);
      // State after a crash between the copy and the record update: the copy is there, the record pending.
      await storage().getContainerClient('evidence').getBlockBlobClient(name).uploadData(jpeg, { metadata: { sha256: sha256(jpeg) } });
      expect(await putBlob(created.uploadUrl, jpeg)).toBe(201);
      await uploadRemoved(name);
      expect(await settled(w.investigator, created.evidenceId)).toMatchObject({ status: 'ready', sha256: sha256(jpeg) });
      const report = await custody(w.investigator, created.evidenceId, true);
      expect(report.body.verified).toBe(true);
      expect(actions(report.body.entries).filter((a) => a.startsWith('evidence.process'))).toEqual(['evidence.process:success']);
    });

    const processed = async (id: string) => actions((await custody(w.investigator, id)).body.entries).filter((a) => a === 'evidence.process:success').length;

    it('finishes an item whose record turned final before a crash, before its custody entry: the entry once, upload removed', async () => {
      const jpeg = await files.jpeg(26, 24);
      const created = await declare(w.reporter, eventId, { fileName: 'a.jpg', contentType: 'image/jpeg', size: jpeg.length, kind: 'image' });
      const name = uploadNameOf(created.uploadUrl);
      // State after a crash between the record update and the custody entry: copy placed, record final, no entry, upload still there.
      await storage().getContainerClient('evidence').getBlockBlobClient(name).uploadData(jpeg, { metadata: { sha256: sha256(jpeg) } });
      const item = itemOf('evidence', w.org, created.evidenceId);
      const { resource } = await item.read();
      const final = { status: 'ready', sha256: sha256(jpeg), size: jpeg.length, mediaType: 'image/jpeg', processedAt: new Date().toISOString() };
      await item.replace({ ...resource, ...final, custodyLogged: false, uploadEtag: '"0xstale"' });
      expect(await processed(created.evidenceId)).toBe(0);
      await storage().getContainerClient('evidence-uploads').getBlockBlobClient(name).uploadData(jpeg);
      await uploadRemoved(name);
      expect((await item.read()).resource.custodyLogged).toBe(true);
      expect(await processed(created.evidenceId)).toBe(1);
    });

    it('finishes an item whose custody entry was written before a crash, before the mark: no second entry, upload removed', async () => {
      const jpeg = await files.jpeg(24, 24);
      const { created } = await submit(w.reporter, eventId, jpeg);
      const name = uploadNameOf(created.uploadUrl);
      // State after a crash between the custody entry and the record's mark (and the upload still there).
      const item = itemOf('evidence', w.org, created.evidenceId);
      const { resource } = await item.read();
      await item.replace({ ...resource, custodyLogged: false, uploadEtag: '"0xstale"' });
      expect(await processed(created.evidenceId)).toBe(1);
      await storage().getContainerClient('evidence-uploads').getBlockBlobClient(name).uploadData(jpeg);
      await uploadRemoved(name);
      expect((await item.read()).resource.custodyLogged).toBe(true);
      expect(await processed(created.evidenceId)).toBe(1);
      expect(await blobBytes('evidence', name)).toEqual(jpeg);
    });

    it('removes an upload whose record no longer exists', async () => {
      const name = `${w.org}/${randomUUID()}`;
      await storage().getContainerClient('evidence-uploads').getBlockBlobClient(name).uploadData(Buffer.from('stray'));
      await uploadRemoved(name);
      expect(await blobBytes('evidence', name)).toBeUndefined();
    });
  });

  describe('reading, downloading, custody', () => {
    let id: string;
    let jpeg: Buffer;
    beforeAll(async () => {
      jpeg = await files.jpeg(30, 20);
      id = (await submit(w.reporter, eventId, jpeg, { fileName: 'Jon Smith at till 3.jpg' })).created.evidenceId;
    });

    it('lists the evidence on the event', async () => {
      const res = await call('GET', `/api/v1/events/${eventId}`, { token: w.investigator });
      expect(res.status).toBe(200);
      expect(res.body.evidence).toEqual(
        expect.arrayContaining([{ id, kind: 'image', status: 'ready', mediaType: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg), createdAt: expect.any(String) }]),
      );
    });

    it('downloads with MFA: 302 to a read-only URL valid at most 5 minutes', async () => {
      const before = Date.now();
      const res = await fetch(`${process.env.DAYBREAK_BASE_URL}/api/v1/evidence/${id}/content`, {
        headers: { authorization: `Bearer ${mfaInvestigator}` },
        redirect: 'manual',
      });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.pathname).toMatch(new RegExp(`/evidence/${w.org}/${id}$`));
      expect(location.searchParams.get('sp')).toBe('r');
      expect(Date.parse(location.searchParams.get('se')!) - before).toBeLessThanOrEqual(5 * 60 * 1000 + 1000);
      const download = await fetch(location);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer())).toEqual(jpeg);
      // Saved under the item's id: the reporter's file name ("Jon Smith at till 3.jpg") is free text, never in a URL (PRODUCT §10c).
      expect(decodeURIComponent(location.search)).not.toMatch(/jon|smith|till/i);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${id}.jpg`);
      expect(await putBlob(location.toString(), Buffer.from('x'))).toBe(403);
    });

    it('lets a browser read its URL from any origin, Origin: null included (the hop after a cross-origin redirect), and write from none but the console’s', async () => {
      const res = await fetch(`${process.env.DAYBREAK_BASE_URL}/api/v1/evidence/${id}/content`, { headers: { authorization: `Bearer ${mfaInvestigator}` }, redirect: 'manual' });
      const location = res.headers.get('location')!;
      const preflight = await fetch(location, { method: 'OPTIONS', headers: { origin: 'null', 'access-control-request-method': 'GET' } });
      // Either answer lets the browser read: '*', or the origin echoed ('null'), as the storage service may answer.
      expect(preflight.status).toBe(200);
      expect(['*', 'null']).toContain(preflight.headers.get('access-control-allow-origin'));
      const read = await fetch(location, { headers: { origin: 'null' } });
      expect(read.status).toBe(200);
      expect(['*', 'null']).toContain(read.headers.get('access-control-allow-origin'));
      const write = await fetch(location, { method: 'OPTIONS', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'PUT' } });
      expect(write.status).toBe(403);
    });

    it('refuses people without MFA (MFA_REQUIRED) and Integration, and records both', async () => {
      const noMfa = await call('GET', `/api/v1/evidence/${id}/content`, { token: w.investigator });
      expect(noMfa.status).toBe(403);
      expect(noMfa.body.code).toBe('MFA_REQUIRED');
      const machine = await call('GET', `/api/v1/evidence/${id}/content`, { token: w.integration });
      expect(machine.status).toBe(403);
      const report = await custody(w.compliance, id);
      const denied = report.body.entries.filter((e: any) => e.action === 'evidence.download' && e.outcome === 'denied');
      expect(denied.map((e: any) => e.actor.sub)).toEqual(expect.arrayContaining(['inv-1', 'pos-system']));
      expect(denied.map((e: any) => e.details.code)).toEqual(expect.arrayContaining(['MFA_REQUIRED', 'FORBIDDEN']));
    });

    it('refuses to download what is not ready (409), recorded', async () => {
      const pending = await declare(w.reporter, eventId, { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, kind: 'image' });
      const res = await call('GET', `/api/v1/evidence/${pending.evidenceId}/content`, { token: mfaInvestigator });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('EVIDENCE_NOT_READY');
      const report = await custody(w.investigator, pending.evidenceId);
      expect(actions(report.body.entries)).toEqual(['evidence.create:success', 'evidence.download:denied']);
    });

    it('reports custody in seq order with the recorded hash, verifies the stored bytes, and keeps names out of the chain', async () => {
      const res = await custody(w.compliance, id, true);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ evidenceId: id, status: 'ready', sha256: sha256(jpeg), verified: true });
      const seqs = res.body.entries.map((e: any) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
      expect(actions(res.body.entries)).toEqual(
        expect.arrayContaining(['evidence.create:success', 'evidence.process:success', 'evidence.read:success', 'evidence.download:success']),
      );
      expect(actions(res.body.entries).indexOf('evidence.create:success')).toBe(0);
      for (const entry of res.body.entries) {
        expect(entry.target).toEqual({ type: 'evidence', id });
        expect(JSON.stringify(entry)).not.toMatch(/Jon|Smith|till 3/);
      }
      expect(res.body.entries.find((e: any) => e.action === 'evidence.process').details).toMatchObject({ sha256: sha256(jpeg), status: 'ready' });
      const next = await custody(w.investigator, id);
      expect(actions(next.body.entries)).toContain('evidence.custody:success');
      expect(next.body.verified).toBeNull();
    });

    it('notices stored bytes that no longer match', async () => {
      const bytes = await files.jpeg(16, 16);
      const { created } = await submit(w.reporter, eventId, bytes);
      // Azurite has no immutability policy: simulate what it prevents in Azure.
      await storage().getContainerClient('evidence').getBlockBlobClient(uploadNameOf(created.uploadUrl)).uploadData(Buffer.from('altered'));
      expect((await custody(w.compliance, created.evidenceId, true)).body.verified).toBe(false);
    });

    it('gives custody to Compliance and Investigators only', async () => {
      expect((await custody(w.reporter, id)).status).toBe(403);
      expect((await custody(w.admin, id)).status).toBe(403);
      expect((await custody(w.investigator, id)).status).toBe(200);
    });
  });

  it("an item purged with its event is recorded under the request that deleted it (its x-request-id)", async () => {
    const doomed = await newEvent(w);
    const { created } = await submit(w.reporter, doomed, await files.jpeg());
    const deleted = await call('DELETE', `/api/v1/events/${doomed}`, { token: w.admin });
    expect(deleted.status).toBe(204);
    const { readChain } = await import('../../../shared/audit/audit-entry-repository');
    const purges: string[] = [];
    for await (const e of readChain(w.org)) if (e.action === 'evidence.purge' && e.target.id === created.evidenceId) purges.push(e.requestId);
    expect(purges).toEqual([deleted.headers.get('x-request-id')]);
  });

  describe('visibility follows the event', () => {
    it('answers 404 on every evidence route to another retailer, exactly as for a missing id', async () => {
      const jpeg = await files.jpeg();
      const { created } = await submit(w.reporter, eventId, jpeg);
      const other = await retailerWorld();
      const theirs = await tokenFor({ org: other.org, roles: ['Investigator', 'Compliance'], sub: 'x-inv', mfa: true });
      for (const id of [created.evidenceId, randomUUID()]) {
        for (const path of [`/api/v1/evidence/${id}`, `/api/v1/evidence/${id}/content`, `/api/v1/evidence/${id}/custody`, `/api/v1/evidence/${id}/custody?verify=true`]) {
          const res = await call('GET', path, { token: theirs });
          expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
        }
      }
      // Each attempt is in the item's custody, denied, with who made it (PRODUCT §3, §8).
      const theirs404 = (await custody(w.compliance, created.evidenceId)).body.entries.filter((e: any) => e.actor.org === other.org);
      expect(actions(theirs404).sort()).toEqual(['evidence.custody:denied', 'evidence.custody:denied', 'evidence.download:denied', 'evidence.read:denied']);
      // Roles that may not act at all, or not without MFA, learn nothing either.
      // An agency the event is not shared with (its store is in NZ-AKL).
      const agency = await createOrg('agency', { jurisdictions: ['US-NM'] });
      for (const token of [
        await tokenFor({ org: other.org, roles: ['Reporter'], sub: 'x-rep' }),
        await tokenFor({ org: other.org, roles: ['Investigator'], sub: 'x-inv2' }),
        await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'x-pol', mfa: true }),
      ]) {
        for (const path of [`/api/v1/evidence/${created.evidenceId}`, `/api/v1/evidence/${created.evidenceId}/content`, `/api/v1/evidence/${created.evidenceId}/custody`]) {
          expect({ path, status: (await call('GET', path, { token, headers: PURPOSE })).status }).toEqual({ path, status: 404 });
        }
      }
      const post = await call('POST', `/api/v1/events/${eventId}/evidence`, {
        token: other.reporter,
        body: { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, kind: 'image' },
      });
      expect(post.status).toBe(404);
    });

    it('hides evidence of a store outside a reporter’s scope and of sensitive events from reporters', async () => {
      const wgn = await newEvent(w, { storeId: 'wgn-007' });
      const created = await declare(w.reporter, wgn, { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, kind: 'image' });
      expect((await call('GET', `/api/v1/evidence/${created.evidenceId}`, { token: w.scopedReporter })).status).toBe(404);
      expect((await call('POST', `/api/v1/events/${wgn}/evidence`, { token: w.scopedReporter, body: { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, kind: 'image' } })).status).toBe(404);
      const sensitive = await newEvent(w, { sensitive: true });
      const hidden = await declare(w.investigator, sensitive, { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, kind: 'image' });
      expect((await call('GET', `/api/v1/evidence/${hidden.evidenceId}`, { token: w.reporter })).status).toBe(404);
      expect((await call('GET', `/api/v1/evidence/${hidden.evidenceId}`, { token: w.investigator })).status).toBe(200);
    });
  });

  describe('deleting the event', () => {
    it('removes its evidence blobs and records, and an upload that lands afterwards', async () => {
      const event = await newEvent(w);
      const jpeg = await files.jpeg();
      const kept = await submit(w.reporter, event, jpeg);
      const refused = await submit(w.reporter, event, files.elf(), { fileName: 'x.jpg' });
      const late = await declare(w.reporter, event, { fileName: 'late.jpg', contentType: 'image/jpeg', size: jpeg.length, kind: 'image' });
      const res = await call('DELETE', `/api/v1/events/${event}`, { token: w.admin });
      expect(res.status).toBe(204);
      for (const { created } of [kept, refused]) {
        const name = uploadNameOf(created.uploadUrl);
        expect((await call('GET', `/api/v1/evidence/${created.evidenceId}`, { token: w.investigator })).status).toBe(404);
        expect(await blobBytes('evidence', name)).toBeUndefined();
        expect(await blobBytes('evidence-quarantine', name)).toBeUndefined();
        expect((await itemOf('evidence', w.org, created.evidenceId).read()).resource).toBeUndefined();
      }
      expect(await putBlob(late.uploadUrl, jpeg)).toBe(201);
      await uploadRemoved(uploadNameOf(late.uploadUrl));
      expect(await blobBytes('evidence', uploadNameOf(late.uploadUrl))).toBeUndefined();
    });
  });
});
