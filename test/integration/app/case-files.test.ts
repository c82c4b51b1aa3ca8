import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import type { AuditEntry } from '../../../shared/domain/audit-chain';
import { PURPOSE, call, createOrg, tokenFor } from '../support/api';
import { files, sha256, submit } from '../support/evidence';
import { eventBody, retailerWorld } from '../support/world';
import { verifyCaseFile } from '../../../tools/case-file/verify-package';
import { flipped, readZip, writeZip } from '../../unit/case-files/zip-entries';

/*
 * Case files for prosecution (PRODUCT §4c), end to end on the local stack: asked for by a police
 * officer with a stated purpose, built through the queue, downloaded through a short-lived URL,
 * verified offline, and recorded in the owning retailer's chain.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'casefile-it-'));
const run = promisify(execFile);

async function chainOf(orgId: string): Promise<AuditEntry[]> {
  const { readChain } = await import('../../../shared/audit/audit-entry-repository');
  const entries: AuditEntry[] = [];
  for await (const entry of readChain(orgId)) entries.push(entry);
  return entries;
}

async function ready(token: string, id: string, headers: Record<string, string> = {}, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/api/v1/case-files/${id}`, { token, headers });
    if (res.status !== 200) throw new Error(`case file: ${res.status} ${res.text}`);
    if (res.body.status !== 'building') return res.body;
    if (Date.now() > deadline) throw new Error(`case file ${id} still building after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function download(token: string, id: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${process.env.DAYBREAK_BASE_URL}/api/v1/case-files/${id}/content`, { headers: { authorization: `Bearer ${token}`, ...headers }, redirect: 'manual' });
  expect(res.status).toBe(302);
  const url = new URL(res.headers.get('location')!);
  expect(['127.0.0.1', 'localhost']).toContain(url.hostname);
  expect(url.searchParams.get('sp')).toBe('r');
  const zip = await fetch(url);
  expect(zip.status).toBe(200);
  const file = path.join(dir, `${id}.zip`);
  writeFileSync(file, Buffer.from(await zip.arrayBuffer()));
  return file;
}

async function jwks(): Promise<JSONWebKeySet> {
  const res = await call('GET', '/api/v1/.well-known/signing-keys');
  expect(res.status).toBe(200);
  return res.body;
}

describe('case files for prosecution (PRODUCT §4c)', () => {
  let w: Awaited<ReturnType<typeof retailerWorld>>;
  let agency: string;
  let officer: string;
  let officerMfa: string;
  let shared: string;
  let internal: string;
  let jpeg: Buffer;
  let evidenceId: string;

  beforeAll(async () => {
    w = await retailerWorld();
    agency = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-7' });
    officerMfa = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-7', mfa: true });
    const post = async (overrides: Record<string, unknown>) => {
      const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody(overrides) });
      if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
      return res.body.id as string;
    };
    shared = await post({ policeSharing: { mode: 'jurisdiction', excludeAgencies: [] }, description: 'Took razor blades; Ngāti Whātua rohe store.' });
    internal = await post({ policeSharing: { mode: 'internal', excludeAgencies: [] }, occurredAt: '2026-11-21T10:00:00Z' });
    jpeg = await files.jpeg();
    ({
      created: { evidenceId },
    } = await submit(w.investigator, shared, jpeg, { fileName: 'cam 1.jpg', sha256: sha256(jpeg) }));
  });

  it('a police officer with a stated purpose gets a signed file of only what is shared with them; the download is in the retailer’s chain', async () => {
    // Another agency's officer read the same evidence first: the case file shows that someone did, not who or why.
    const other = await tokenFor({ org: await createOrg('agency', { jurisdictions: ['NZ-AKL'] }), roles: ['PoliceOfficer'], sub: 'officer-elsewhere' });
    expect((await call('GET', `/api/v1/evidence/${evidenceId}`, { token: other, headers: { 'x-legal-basis': 'warrant', 'x-case-reference': 'OTHER-SECRET-42' } })).status).toBe(200);
    const body = { title: 'R v Smith — razor blades', eventIds: [shared, internal] };
    expect((await call('POST', '/api/v1/case-files', { token: officer, body })).body.code).toBe('PURPOSE_REQUIRED');
    const accepted = await call('POST', '/api/v1/case-files', { token: officer, body, headers: PURPOSE });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ id: expect.any(String), status: 'building', eventIds: [shared], profileIds: [], omitted: { events: 1, profiles: 0 } });
    expect(accepted.headers.get('location')).toBe(`/api/v1/case-files/${accepted.body.id}`);
    const id = accepted.body.id as string;

    const done = await ready(officer, id, PURPOSE);
    expect(done).toMatchObject({ status: 'ready', eventIds: [shared], failure: null, size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Date.parse(done.expiresAt) - Date.parse(done.readyAt)).toBe(30 * 86_400_000);

    // MFA to download, and the purpose again.
    expect((await call('GET', `/api/v1/case-files/${id}/content`, { token: officer, headers: PURPOSE })).body.code).toBe('MFA_REQUIRED');
    expect((await call('GET', `/api/v1/case-files/${id}/content`, { token: officerMfa })).body.code).toBe('PURPOSE_REQUIRED');
    const file = await download(officerMfa, id, PURPOSE);

    const entries = await readZip(file);
    const names = [...entries.keys()];
    expect(names).toEqual(
      expect.arrayContaining(['summary.pdf', `events/${shared}.json`, `custody/${evidenceId}.json`, `evidence/${evidenceId}/cam 1.jpg`, 'manifest.json', 'manifest.jws']),
    );
    expect(names.some((n) => n.includes(internal))).toBe(false);
    expect(entries.get(`evidence/${evidenceId}/cam 1.jpg`)).toEqual(jpeg);
    expect(entries.get('summary.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(JSON.parse(entries.get(`events/${shared}.json`)!.toString())).toMatchObject({ id: shared, retailerId: w.org, description: 'Took razor blades; Ngāti Whātua rohe store.' });
    const custody = JSON.parse(entries.get(`custody/${evidenceId}.json`)!.toString());
    expect(custody).toMatchObject({ evidenceId, sha256: sha256(jpeg), entries: expect.arrayContaining([expect.objectContaining({ action: 'evidence.create' })]) });
    expect(custody.entries.find((e: AuditEntry) => e.action === 'evidence.read' && e.actor.sub === '(another organisation)')).toMatchObject({ details: {}, requestId: '' });
    expect(JSON.stringify(custody)).not.toMatch(/OTHER-SECRET-42|officer-elsewhere/);
    expect(entries.get('summary.pdf')!.includes('OTHER-SECRET-42')).toBe(false);

    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest).toMatchObject({
      caseFileId: id,
      builtBy: { sub: 'officer-7', orgId: agency, purpose: { legalBasis: 'investigation', caseReference: 'CASE-2026/0001' } },
    });
    expect(manifest.files.find((f: { path: string }) => f.path === `evidence/${evidenceId}/cam 1.jpg`)).toEqual({ path: `evidence/${evidenceId}/cam 1.jpg`, sha256: sha256(jpeg), size: jpeg.length });

    // The signature verifies against the published keys; the ZIP is the one the status names.
    const keys = await jwks();
    expect(await verifyCaseFile(file, keys)).toMatchObject({ ok: true });
    expect(sha256(readFileSync(file))).toBe(done.sha256);

    // The retailer's chain: the build and the download, by the officer, with the stated purpose, and the head the manifest names.
    const chain = await chainOf(w.org);
    const build = chain.find((e) => e.action === 'casefile.build' && e.target.id === id)!;
    expect(build).toMatchObject({ actor: { sub: 'officer-7', org: agency }, details: { eventIds: [shared], evidenceWithBytes: 1, legalBasis: 'investigation', caseReference: 'CASE-2026/0001' } });
    // The evidence's own custody shows its bytes went into the case file.
    expect(chain.find((e) => e.action === 'evidence.casefile' && e.target.id === evidenceId)).toMatchObject({ actor: { sub: 'officer-7' }, details: { caseFileId: id, sha256: sha256(jpeg) } });
    expect(manifest.auditHeads).toEqual([{ orgId: w.org, seq: build.seq, hash: build.hash }]);
    expect(chain.filter((e) => e.action === 'casefile.download' && e.target.id === id && e.outcome === 'success')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ sub: 'officer-7' }), details: expect.objectContaining({ eventIds: [shared], legalBasis: 'investigation', caseReference: 'CASE-2026/0001', sha256: done.sha256 }) }),
    ]);
    // The agency's own chain has the request too.
    expect((await chainOf(agency)).some((e) => e.action === 'casefile.create' && e.target.id === id)).toBe(true);

    // The command line: ok on the file, and a non-zero exit naming the first mismatch on a tampered copy.
    const keysFile = path.join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify(keys));
    const cli = (zip: string) =>
      run(process.execPath, [require.resolve('tsx/cli'), 'tools/casefile-verify.ts', zip, '--jwks', keysFile], { cwd: path.resolve(__dirname, '../../..') }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    expect(await cli(file)).toEqual({ code: 0, out: expect.stringMatching(/^ok: \d+ files match manifest.json/) });
    const tampered = path.join(dir, 'tampered.zip');
    const copy = new Map(entries);
    copy.set(`events/${shared}.json`, flipped(copy.get(`events/${shared}.json`)!));
    await writeZip(tampered, copy);
    expect(await cli(tampered)).toEqual({ code: 1, out: expect.stringContaining(`broken: events/${shared}.json: SHA-256`) });
  });

  it('refuses what the requester may not see: 404 when no event is visible, 404 across organisations, 403 for other roles', async () => {
    expect((await call('POST', '/api/v1/case-files', { token: officer, body: { title: 'x', eventIds: [internal] }, headers: PURPOSE })).status).toBe(404);
    const other = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const otherOfficer = await tokenFor({ org: other, roles: ['PoliceOfficer'], mfa: true });
    const accepted = await call('POST', '/api/v1/case-files', { token: officer, body: { title: 'R v Smith', eventIds: [shared] }, headers: PURPOSE });
    expect(accepted.status).toBe(202);
    expect((await call('GET', `/api/v1/case-files/${accepted.body.id}`, { token: otherOfficer, headers: PURPOSE })).status).toBe(404);
    expect((await call('GET', `/api/v1/case-files/${accepted.body.id}/content`, { token: otherOfficer, headers: PURPOSE })).status).toBe(404);
    expect((await call('POST', '/api/v1/case-files', { token: w.reporter, body: { title: 'x', eventIds: [shared] } })).status).toBe(403);
    expect((await call('POST', '/api/v1/case-files', { token: w.compliance, body: { title: 'x', eventIds: [shared] } })).status).toBe(403);
    // Bad input: a clear 400 naming the field.
    for (const body of [{ title: '', eventIds: [shared] }, { title: 'x', eventIds: [] }, { title: 'x', eventIds: [shared, shared] }, { title: 'x', eventIds: [shared], extra: 1 }]) {
      const res = await call('POST', '/api/v1/case-files', { token: w.investigator, body });
      expect(res.status).toBe(400);
    }
    // A title describing a person by a sensitive characteristic: 422 naming the field, as problem+json.
    const sensitive = await call('POST', '/api/v1/case-files', { token: w.investigator, body: { title: 'The Muslim man, three thefts', eventIds: [shared] } });
    expect({ status: sensitive.status, type: sensitive.headers.get('content-type'), code: sensitive.body.code, path: sensitive.body.errors?.[0]?.path }).toEqual({
      status: 422,
      type: expect.stringContaining('application/problem+json'),
      code: 'SENSITIVE_TEXT',
      path: 'title',
    });
    await ready(officer, accepted.body.id, PURPOSE);
  });

  it('a retried POST with the same Idempotency-Key answers the first 202 and builds one case file; another body with it is 409', async () => {
    const key = randomUUID();
    const body = { title: 'R v Smith (retried)', eventIds: [shared] };
    const headers = { ...PURPOSE, 'idempotency-key': key };
    const first = await call('POST', '/api/v1/case-files', { token: officer, body, headers });
    const again = await call('POST', '/api/v1/case-files', { token: officer, body, headers });
    expect(first.status).toBe(202);
    expect({ status: again.status, body: again.body, location: again.headers.get('location') }).toEqual({ status: 202, body: first.body, location: first.headers.get('location') });
    const other = await call('POST', '/api/v1/case-files', { token: officer, body: { ...body, title: 'Another' }, headers });
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_CONFLICT' });
    await ready(officer, first.body.id, PURPOSE);
  });

  it('an investigator builds over the retailer’s own events and people; withdrawing police sharing makes an officer’s file out of date', async () => {
    const profileId = (await call('GET', `/api/v1/events/${shared}`, { token: w.investigator })).body.people[0].profileId as string;
    const accepted = await call('POST', '/api/v1/case-files', { token: w.investigator, body: { title: 'Internal review', eventIds: [shared, internal], profileIds: [profileId] } });
    expect(accepted.body).toMatchObject({ eventIds: [shared, internal], omitted: { events: 0 } });
    const done = await ready(w.investigator, accepted.body.id);
    expect(done).toMatchObject({ status: 'ready', eventIds: [shared, internal], profileIds: [profileId] });
    const investigatorMfa = await tokenFor({ org: w.org, roles: ['Investigator'], sub: 'inv-1', mfa: true });
    const entries = await readZip(await download(investigatorMfa, accepted.body.id));
    expect([...entries.keys()]).toEqual(expect.arrayContaining([`events/${shared}.json`, `events/${internal}.json`, `profiles/${profileId}.json`]));

    const police = await call('POST', '/api/v1/case-files', { token: officer, body: { title: 'R v Smith', eventIds: [shared] }, headers: PURPOSE });
    await ready(officer, police.body.id, PURPOSE);
    const patched = await call('GET', `/api/v1/events/${shared}`, { token: w.investigator });
    const change = await call('PATCH', `/api/v1/events/${shared}`, {
      token: w.investigator,
      body: { policeSharing: { mode: 'internal', excludeAgencies: [] } },
      headers: { 'if-match': patched.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
    });
    expect(change.status).toBe(200);
    const res = await call('GET', `/api/v1/case-files/${police.body.id}/content`, { token: officerMfa, headers: PURPOSE });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'CASE_FILE_OUT_OF_DATE' });
  });
});
