import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import { lossOf, summaryOutline, when, type Block, type SummaryInput } from '../../../shared/domain/case-files/summary';
import { evidencePath, firstMismatch, safeFileName, type Manifest } from '../../../shared/domain/case-files/manifest';

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
    expect(safeFileName('a\u0000b\\c:d.mp4')).toBe('a_b_c_d.mp4');
    expect(safeFileName('...')).toBe('file');
    expect(safeFileName(`${'x'.repeat(300)}.jpeg`)).toMatch(/^x{145}\.jpeg$/);
    expect(evidencePath('ev1', 'dir/name.png')).toBe('evidence/ev1/dir_name.png');
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
