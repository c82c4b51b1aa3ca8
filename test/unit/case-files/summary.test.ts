import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import { lossOf, summaryOutline, when, type Block, type SummaryInput } from '../../../shared/domain/case-files/summary';
import { contentVersion, evidencePath, firstMismatch, safeFileName, type Manifest } from '../../../shared/domain/case-files/manifest';
import { ANOTHER_ORGANISATION, custodyFor } from '../../../shared/domain/case-files/custody';

const event = (id: string, occurredAt: string, extra: Partial<RetailEvent> = {}): RetailEvent => ({
  id,
  retailerId: 'ret-1',
  storeId: 'akl-042',
  occurredAt,
  type: 'shoplifting',
  prevented: false,
  products: [{ name: 'Razor blades', quantity: 2, unitValue: 10.5 }],
  currency: 'NZD',
  people: [{ ref: 'p1', role: 'offender', profileId: 'prof-0001', name: { given: 'Hēmi', family: 'Walker' }, dateOfBirth: '1990-01-02' }],
  vehicles: [{ plate: 'ABC123', normalisedPlate: 'ABC123', make: 'Toyota' }],
  sensitive: false,
  policeSharing: { mode: 'default', excludeAgencies: [] },
  legalHold: null,
  createdAt: occurredAt,
  createdBy: 'rep-1',
  updatedAt: occurredAt,
  updatedBy: 'rep-1',
  ...extra,
});

const manifest: Omit<Manifest, 'files'> = {
  format: 'daybreak-case-file/1',
  caseFileId: 'cf-1',
  title: 'R v Walker',
  builtAt: '2026-12-03T00:00:00.000Z',
  builtBy: { sub: 'officer-7', orgId: 'agy-1', orgType: 'agency', roles: ['PoliceOfficer'], purpose: { legalBasis: 'prosecution', caseReference: 'CASE-9' } },
  auditHeads: [{ orgId: 'ret-1', seq: 12, hash: 'b'.repeat(64) }],
};

const input = (over: Partial<SummaryInput> = {}): SummaryInput => ({
  manifest,
  kid: 'dev-key',
  events: [
    { event: event('ev-later', '2026-11-21T10:00:00+13:00', { prevented: true }), retailerName: 'Retailer One', storeName: 'Queen St' },
    { event: event('ev-first', '2026-11-20T14:05:00Z'), retailerName: 'Retailer One', storeName: 'Queen St' },
  ],
  evidence: [
    {
      id: 'evid-0001',
      eventId: 'ev-first',
      fileName: 'cam 1.jpg',
      kind: 'image',
      mediaType: 'image/jpeg',
      size: 2048,
      sha256: 'c'.repeat(64),
      status: 'ready',
      path: 'evidence/evid-0001/cam 1.jpg',
      custody: [{ seq: 3, at: '2026-11-20T15:00:00.000Z', actor: { sub: 'rep-1', org: 'ret-1', roles: ['Reporter'] }, action: 'evidence.create', target: { type: 'evidence', id: 'evid-0001' }, outcome: 'success', requestId: 'r', details: {}, prevHash: 'a'.repeat(64), hash: 'd'.repeat(64) }],
    },
  ],
  profiles: [],
  omitted: { events: 1, profiles: 0 },
  ...over,
});

const text = (blocks: Block[]): string =>
  blocks
    .map((b) => (b.kind === 'fields' ? b.rows.map((r) => r.join(': ')).join('\n') : b.kind === 'table' ? b.rows.map((r) => r.join(' | ')).join('\n') : b.text))
    .join('\n');

describe('the summary a prosecutor reads', () => {
  it('opens with who built it, why, the events at a glance and the integrity facts', () => {
    const blocks = summaryOutline(input());
    expect(blocks[0]).toEqual({ kind: 'title', text: 'R v Walker' });
    const all = text(blocks);
    for (const expected of ['Legal basis: prosecution', 'Case reference: CASE-9', 'Recorded loss: 21.00 NZD', 'Left out: 1 event(s)', 'by key dev-key', `ret-1 | 12 | ${'b'.repeat(64)}`]) {
      expect(all).toContain(expected);
    }
  });

  it('lists the events in time order with loss, people and vehicles as recorded, and the custody of each item', () => {
    const all = text(summaryOutline(input()));
    expect(all.indexOf('Event: ev-first')).toBeLessThan(all.indexOf('Event: ev-later'));
    expect(all).toContain('Offender: Hēmi Walker — born 1990-01-02');
    expect(all).toContain('Vehicle: ABC123 — Toyota');
    expect(all).toContain('Loss: none (prevented)');
    expect(all).toContain(`SHA-256: ${'c'.repeat(64)}`);
    expect(all).toContain('3 | 2026-11-20 15:00:00 | evidence.create | rep-1 (ret-1) | success');
  });

  it('says so when an item is listed without its bytes, and when there is no evidence', () => {
    const withoutBytes = input();
    withoutBytes.evidence[0]!.path = null;
    expect(text(summaryOutline(withoutBytes))).toContain('In this file: no: the bytes stay with the owning retailer');
    expect(text(summaryOutline(input({ evidence: [] })))).toContain('No evidence is attached to these events.');
  });

  it('counts loss only on events that were not prevented; shows times as recorded and in UTC', () => {
    expect(lossOf(event('e', '2026-11-20T14:05:00Z'))).toBe(21);
    expect(lossOf(event('e', '2026-11-20T14:05:00Z', { prevented: true }))).toBe(0);
    expect(when('2026-11-21T10:00:00+13:00')).toBe('2026-11-21 10:00 (+13:00), 21:00 UTC on 2026-11-20');
  });
});

describe('the manifest rules', () => {
  it('keeps original file names as one safe segment', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('cam 1.jpg')).toBe('cam 1.jpg');
    // A name stored before direction marks were refused: the override cannot make an .exe read as a .jpg.
    expect(safeFileName('photo\u202egpj.exe')).toBe('photo_gpj.exe');
    expect(safeFileName('سند\u200cها.jpg')).toBe('سند\u200cها.jpg');
    expect(safeFileName('a\u0000b\\c:d.mp4')).toBe('a_b_c_d.mp4');
    expect(safeFileName('...')).toBe('file');
    expect(safeFileName(`${'x'.repeat(300)}.jpeg`)).toMatch(/^x{145}\.jpeg$/);
    expect(evidencePath('ev1', 'dir/name.png')).toBe('evidence/ev1/dir_name.png');
    // Cut by code points: an emoji at the limit stays whole; a lone surrogate becomes U+FFFD.
    expect(safeFileName(`${'x'.repeat(149)}😀😀.mp4`)).toBe(`${'x'.repeat(146)}.mp4`);
    expect(safeFileName(`${'x'.repeat(145)}😀😀😀😀😀😀.mp4`)).toBe(`${'x'.repeat(145)}😀.mp4`);
    expect(Array.from(safeFileName(`${'x'.repeat(140)}${'😀'.repeat(20)}`))).toHaveLength(150);
    expect(safeFileName('a\ud800b.jpg')).toBe('a\ufffdb.jpg');
  });

  it('names the first difference between a package and its manifest', () => {
    const m = { ...manifest, files: [{ path: 'a.json', sha256: 'a'.repeat(64), size: 1 }] } as Manifest;
    const sig = { path: 'manifest.jws', sha256: 'f'.repeat(64), size: 9 };
    expect(firstMismatch(m, [{ path: 'a.json', sha256: 'a'.repeat(64), size: 1 }, sig])).toBeUndefined();
    expect(firstMismatch(m, [{ path: 'a.json', sha256: 'a'.repeat(64), size: 2 }, sig])).toBe('a.json: size 2 bytes, the manifest says 1');
    expect(firstMismatch(m, [sig, { path: 'a.json', sha256: 'a'.repeat(64), size: 1 }, { path: 'a.json', sha256: 'a'.repeat(64), size: 1 }])).toBe('a.json: appears twice in the archive');
    expect(firstMismatch({ ...m, files: [...m.files, ...m.files] }, [{ path: 'a.json', sha256: 'a'.repeat(64), size: 1 }, sig])).toBe('a.json: listed twice in the manifest');
  });
});

describe('what a case file shows of custody, and when it is out of date', () => {
  const at = (seq: number, org: string | null, details: Record<string, string> = {}) => ({
    seq,
    at: '2026-11-20T15:00:00.000Z',
    actor: { sub: `user-${seq}`, org, roles: [] },
    action: 'evidence.read',
    target: { type: 'evidence', id: 'ev1' },
    outcome: 'success' as const,
    requestId: `req-${seq}`,
    details,
    prevHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
  });

  it('shows the owner its chain as it is, and anyone else every entry with third organisations’ actors and details withheld', () => {
    const entries = [at(1, 'ret-1'), at(2, null), at(3, 'agy-other', { legalBasis: 'warrant', caseReference: 'SECRET-9' }), at(4, 'agy-me', { caseReference: 'MINE-1' })];
    expect(custodyFor(entries, 'ret-1', 'ret-1')).toEqual(entries);
    const shown = custodyFor(entries, 'ret-1', 'agy-me');
    expect(shown.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(shown[0]).toEqual(entries[0]);
    expect(shown[1]).toEqual(entries[1]);
    expect(shown[3]).toEqual(entries[3]);
    expect(shown[2]).toEqual({ ...entries[2], actor: { sub: ANOTHER_ORGANISATION, org: ANOTHER_ORGANISATION, roles: [] }, requestId: '', details: {} });
    expect(JSON.stringify(shown)).not.toContain('SECRET-9');
  });

  it('changes its content version on a correction or an erasure, not on a merge, a hold or new evidence', () => {
    const base = event('e1', '2026-11-20T14:05:00Z');
    const v = contentVersion(base);
    expect(contentVersion({ ...base, people: [{ ...base.people[0]!, profileId: 'prof-merged' }] })).toBe(v);
    expect(contentVersion({ ...base, legalHold: { reason: 'court', by: 'x', at: 'y' }, updatedAt: 'later', evidence: [] })).toBe(v);
    expect(contentVersion({ ...base, description: 'corrected' })).not.toBe(v);
    expect(contentVersion({ ...base, people: [] })).not.toBe(v);
  });
});
