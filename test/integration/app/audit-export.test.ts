import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAudit } from '../../../shared/audit/audit-log';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { readDigests } from '../../../shared/audit/audit-digests';
import { AuditEntrySchema, hashEntry, type AuditEntry } from '../../../shared/domain/audit-chain';
import { CSV_COLUMNS } from '../../../shared/domain/audit-export-format';
import { call, createOrg, tokenFor, uniqueId } from '../support/api';
import { auditVerifyCli, entryItem, seedChain, setHeadHint } from '../support/audit';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'daybreak-audit-export-'));
const parseJsonl = (text: string): AuditEntry[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => AuditEntrySchema.parse(JSON.parse(l)));
const writeFile = (name: string, text: string): string => {
  const file = path.join(tmp, `${uniqueId(name)}.jsonl`);
  writeFileSync(file, text);
  return file;
};
const jsonl = (entries: AuditEntry[]): string => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

/** A retailer whose chain has a few real entries (org.create and three stores) and its tokens. */
async function retailer() {
  const org = await createOrg('retailer');
  const admin = await tokenFor({ org, roles: ['RetailerAdmin'], sub: 'admin-1', mfa: true });
  for (const s of ['s1', 's2', 's3']) {
    const res = await call('PUT', `/api/v1/stores/${s}`, { token: admin, body: { name: `Store ${s}`, jurisdiction: 'NZ-AKL' } });
    expect(res.status).toBe(201);
  }
  return { org, admin, compliance: await tokenFor({ org, roles: ['Compliance'], sub: 'comp-1', mfa: true }) };
}

describe('GET /api/v1/audit/export', () => {
  it('streams the whole chain as JSONL in seq order; the export itself is audited; the file verifies offline', async () => {
    const { org, compliance } = await retailer();
    const res = await call('GET', '/api/v1/audit/export', { token: compliance });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="audit-${org}-.*\\.jsonl"$`));
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect([res.headers.get('x-audit-first-seq'), res.headers.get('x-audit-last-seq')]).toEqual(['1', '4']);
    const entries = parseJsonl(res.text);
    expect(entries.map((e) => [e.seq, e.action])).toEqual([
      [1, 'org.create'],
      [2, 'store.create'],
      [3, 'store.create'],
      [4, 'store.create'],
    ]);
    // Entries hold ids, never personal values: the store names are not in the chain.
    expect(res.text).not.toContain('Store s1');

    const next = await call('GET', '/api/v1/audit/export?from=2000-01-01T00:00:00Z', { token: compliance });
    const recorded = parseJsonl(next.text).at(-1)!;
    expect(recorded).toMatchObject({
      seq: 5,
      action: 'audit.export',
      outcome: 'success',
      actor: { sub: 'comp-1', org, roles: ['Compliance'] },
      target: { type: 'audit-chain', id: org },
      requestId: res.headers.get('x-request-id'),
      details: { format: 'jsonl', from: null, to: null, firstSeq: 1, lastSeq: 4, entries: 4 },
    });

    const file = writeFile('export', res.text);
    const cli = await auditVerifyCli([file, '--first', '1', '--last', '4'], true);
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect(cli.stdout).toBe(`ok: 4 entries, seq 1–4, last hash ${entries[3]!.hash}\n`);
  });

  it('writes CSV with a header row and RFC 4180 quoting', async () => {
    const { compliance } = await retailer();
    const res = await call('GET', '/api/v1/audit/export?format=csv', { token: compliance });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(lines[2]).toMatch(/^2,[^,]+,admin-1,ret-[^,]+,RetailerAdmin,store\.create,store,s1,success,[^,]+,"\{""jurisdiction"":""NZ-AKL""\}",[0-9a-f]{64},[0-9a-f]{64}$/);
  });

  it('exports the contiguous run a time range selects, which verifies offline as a range', async () => {
    const { org, compliance } = await retailer();
    const seeded = await seedChain(org, 250);
    const from = seeded[100]!.at;
    const to = seeded[199]!.at;
    const res = await call('GET', `/api/v1/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
      token: compliance,
    });
    expect(res.status).toBe(200);
    const entries = parseJsonl(res.text);
    expect(entries.map((e) => e.seq)).toEqual(seeded.slice(100, 200).map((e) => e.seq));
    expect([res.headers.get('x-audit-first-seq'), res.headers.get('x-audit-last-seq')]).toEqual([
      String(seeded[100]!.seq),
      String(seeded[199]!.seq),
    ]);
    const cli = await auditVerifyCli([writeFile('range', res.text)]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`^ok: 100 entries, seq ${seeded[100]!.seq}–${seeded[199]!.seq}`));

    // A range with an offset means the same instant; a range with nothing in it is an empty file.
    const shifted = new Date(Date.parse(from)).toISOString().replace('Z', '+00:00');
    const same = await call('GET', `/api/v1/audit/export?from=${encodeURIComponent(shifted)}&to=${encodeURIComponent(to)}`, {
      token: compliance,
    });
    expect(parseJsonl(same.text)).toHaveLength(100);
    const empty = await call('GET', '/api/v1/audit/export?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z&format=csv', {
      token: compliance,
    });
    expect(empty.status).toBe(200);
    expect(empty.text).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('streams a long chain in many chunks, and appends after another writer moved far ahead', async () => {
    const { org, admin, compliance } = await retailer();
    await seedChain(org, 3000);
    // The host last appended at seq 4; the chain is now at 3004. Its next append lands at 3005.
    expect((await call('PUT', '/api/v1/stores/s9', { token: admin, body: { name: 'S9', jurisdiction: 'NZ-AKL' } })).status).toBe(201);
    // …without walking the 3000 seqs: counted in round trips (this process appends as the host does), not in time.
    await appendAudit(org, { actor: { sub: 't', org, roles: [] }, action: 'test.mark', target: { type: 'test', id: 'a' }, outcome: 'success', requestId: 'ra' });
    await seedChain(org, 1000);
    const before = cosmosRoundTrips.total;
    await appendAudit(org, { actor: { sub: 't', org, roles: [] }, action: 'test.mark', target: { type: 'test', id: 'b' }, outcome: 'success', requestId: 'rb' });
    // A create that meets a taken seq, the holder, the head hint (the segment pointer, the next
    // segment's first entry and head hint: not begun), then the create past the hint.
    expect(cosmosRoundTrips.total - before).toBeLessThanOrEqual(7);

    const res = await fetch(`${process.env.DAYBREAK_BASE_URL}/api/v1/audit/export`, { headers: { authorization: `Bearer ${compliance}` } });
    expect(res.status).toBe(200);
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      chunks += 1;
      text += decoder.decode(chunk, { stream: true });
    }
    const entries = parseJsonl(text);
    expect(entries).toHaveLength(4007);
    expect(entries.every((e, i) => e.seq === i + 1)).toBe(true);
    expect(chunks).toBeGreaterThan(5);
  });

  describe('refusals', () => {
    it('without MFA: 403 MFA_REQUIRED as problem+json, and the attempt is recorded as denied', async () => {
      const { org, compliance } = await retailer();
      const noMfa = await tokenFor({ org, roles: ['Compliance'], sub: 'comp-2' });
      const res = await call('GET', '/api/v1/audit/export', { token: noMfa });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 403, code: 'MFA_REQUIRED' });
      const entries = parseJsonl((await call('GET', '/api/v1/audit/export', { token: compliance })).text);
      expect(entries.at(-1)).toMatchObject({
        action: 'audit.export',
        outcome: 'denied',
        actor: { sub: 'comp-2' },
        details: { code: 'MFA_REQUIRED' },
      });
    });

    it('every other role is 403 FORBIDDEN, MFA or not', async () => {
      const { org } = await retailer();
      const agency = await createOrg('agency');
      const tokens = [
        await tokenFor({ org, roles: ['RetailerAdmin'], mfa: true }),
        await tokenFor({ org, roles: ['Investigator'], mfa: true }),
        await tokenFor({ org, roles: ['Reporter'], mfa: true }),
        await tokenFor({ org, roles: ['Integration'], mfa: true }),
        await tokenFor({ org: agency, roles: ['PoliceOfficer'], mfa: true }),
        await tokenFor({ org: agency, roles: ['Compliance'], mfa: true }),
        await tokenFor({ roles: ['PlatformAdmin'], mfa: true }),
      ];
      for (const token of tokens) {
        const res = await call('GET', '/api/v1/audit/export', { token });
        expect([res.status, res.body?.code]).toEqual([403, 'FORBIDDEN']);
      }
      expect((await call('GET', '/api/v1/audit/export')).status).toBe(401);
    });

    it("another organisation's chain is never reachable", async () => {
      const a = await retailer();
      const b = await retailer();
      const res = await call('GET', '/api/v1/audit/export', { token: b.compliance });
      const entries = parseJsonl(res.text);
      expect(entries.length).toBeGreaterThan(0);
      expect(res.text).not.toContain(a.org);
      // There is no parameter that names a chain.
      for (const q of [`org=${a.org}`, `orgId=${a.org}`]) {
        expect((await call('GET', `/api/v1/audit/export?${q}`, { token: b.compliance })).status).toBe(400);
      }
    });

    it.each([
      ['format=xml', 'format'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45T00:00:00Z', 'to'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['limit=5', '(root)'],
    ])('a bad query (%s) is a 400 naming %s', async (q, pathName) => {
      const { compliance } = await retailer();
      const res = await call('GET', `/api/v1/audit/export?${q}`, { token: compliance });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(pathName);
    });
  });

  describe('offline tamper detection (npm run -s audit:verify)', () => {
    let entries: AuditEntry[];
    beforeAll(async () => {
      const { org, compliance } = await retailer();
      await seedChain(org, 20);
      entries = parseJsonl((await call('GET', '/api/v1/audit/export', { token: compliance })).text);
      expect(entries).toHaveLength(24);
    });

    const rehash = (e: AuditEntry): AuditEntry => {
      const { hash: _h, ...rest } = e;
      return { ...rest, hash: hashEntry(rest) };
    };

    it.each<[string, () => AuditEntry[], number, RegExp]>([
      ['a changed entry', () => entries.map((e) => (e.seq === 9 ? { ...e, outcome: 'denied' } : e)), 9, /changed/],
      ['a changed and re-hashed entry', () => entries.map((e) => (e.seq === 9 ? rehash({ ...e, action: 'x' }) : e)), 10, /prevHash/],
      ['a removed entry', () => entries.filter((e) => e.seq !== 12), 12, /removed/],
      ['reordered entries', () => [...entries.slice(0, 14), entries[15]!, entries[14]!, ...entries.slice(16)], 15, /reordered/],
      ['an inserted entry', () => [...entries.slice(0, 6), rehash({ ...entries[6]!, requestId: 'forged' }), ...entries.slice(6)], 7, /inserted/],
    ])('finds %s: exit 1 and the first bad seq', async (_what, tamper, seq, why) => {
      const cli = await auditVerifyCli([writeFile('tampered', jsonl(tamper()))]);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(new RegExp(`^broken: first bad seq ${seq}: `));
      expect(cli.stdout).toMatch(why);
    });

    it('bad usage exits 2', async () => {
      expect((await auditVerifyCli([])).code).toBe(2);
      expect((await auditVerifyCli([path.join(tmp, 'nope.jsonl')])).code).toBe(2);
    });
  });
});

describe('GET /api/v1/audit/verify and the daily digests', () => {
  const platform = () => tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin' });

  it('finds an entry removed from the database, naming the missing seq', async () => {
    const { org, compliance } = await retailer();
    await seedChain(org, 10);
    await entryItem(org, 7).delete();
    const res = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(res.body).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('POST /admin/jobs/audit-digest appends each chain head to its append blob and answers with what it wrote', async () => {
    const { org, compliance } = await retailer();
    const refused = await call('POST', '/api/v1/admin/jobs/audit-digest', { token: compliance });
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    const res = await call('POST', '/api/v1/admin/jobs/audit-digest', { token: await platform() });
    expect(res.status).toBe(200);
    const mine = res.body.written.filter((r: { orgId: string }) => r.orgId === org);
    // org.create, three stores and the denied attempt just now.
    expect(mine).toEqual([
      expect.objectContaining({ v: 1, orgId: org, seq: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/), blob: `${org}/${new Date().getUTCFullYear()}.jsonl` }),
    ]);
    expect(res.body.failed).toEqual([]);
    const { records } = await readDigests(org);
    expect(records).toEqual([expect.objectContaining({ seq: 5, hash: mine[0].hash, digestedAt: res.body.digestedAt })]);
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toEqual({ ok: true, entries: 5, firstBadSeq: null, digestsChecked: 1 });
  });

  it('detects a database rewrite that re-hashed the whole chain after a digest', async () => {
    const { org, compliance } = await retailer();
    await seedChain(org, 30);
    expect((await call('POST', '/api/v1/admin/jobs/audit-digest', { token: await platform() })).status).toBe(200);
    const head = (await readDigests(org)).records.at(-1)!;
    expect(head.seq).toBe(34);
    // Rewrite entry 10 and re-hash every entry after it: the chain verifies on its own.
    let prevHash: string | undefined;
    for (let seq = 10; seq <= 34; seq += 1) {
      const item = entryItem(org, seq);
      const { resource } = await item.read<AuditEntry & { id: string; orgId: string; docType: string; partition: string; segment: number }>();
      const { hash: _h, id, orgId, docType, partition, segment, ...rest } = resource!;
      const entry = { ...AuditEntrySchema.parse({ ...rest, hash: _h }), ...(seq === 10 ? { outcome: 'denied' as const } : {}) };
      const { hash: _old, ...unsealed } = { ...entry, prevHash: prevHash ?? entry.prevHash };
      const sealed = { ...unsealed, hash: hashEntry(unsealed) };
      await item.replace({ ...sealed, id, orgId, docType, partition, segment });
      prevHash = sealed.hash;
    }
    await setHeadHint(org, 34, prevHash!);
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toMatchObject({ ok: false, firstBadSeq: 34, digestsChecked: 1 });
    // The export of the rewritten chain passes on its own but not against the digest blob.
    const exported = (await call('GET', `/api/v1/audit/export?to=${encodeURIComponent(new Date().toISOString())}`, { token: compliance })).text;
    const file = writeFile('rewritten', exported);
    expect((await auditVerifyCli([file])).code).toBe(0);
    const digests = writeFile('digests', (await readDigests(org)).records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const cli = await auditVerifyCli([file, '--digests', digests]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^broken: first bad seq 34: .*digest/);
  });

  it('detects a tail cut off after a digest', async () => {
    const { org, compliance } = await retailer();
    await seedChain(org, 20);
    expect((await call('POST', '/api/v1/admin/jobs/audit-digest', { token: await platform() })).status).toBe(200);
    for (let seq = 18; seq <= 24; seq += 1) await entryItem(org, seq).delete();
    await setHeadHint(org, 16, (await entryItem(org, 16).read()).resource.hash);
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toMatchObject({ ok: false, firstBadSeq: 18 });
  });
});
