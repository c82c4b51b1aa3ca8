import type { AuditEntry } from '../../../shared/domain/audit-chain';
import { countRequest, policeRequestOf, publicItem, reportItem, sumRows, type TransparencyRow } from '../../../shared/domain/transparency';

const entry = (over: Partial<AuditEntry> & { details?: AuditEntry['details'] }): AuditEntry => ({
  seq: 1,
  at: '2026-12-03T10:00:00.000Z',
  actor: { sub: 'o-1', org: 'akl-police', roles: ['PoliceOfficer'] },
  action: 'event.read',
  target: { type: 'event', id: 'e-1' },
  outcome: 'success',
  requestId: 'r',
  prevHash: '0'.repeat(64),
  hash: '0'.repeat(64),
  ...over,
  details: { legalBasis: 'warrant', caseReference: 'C-1', ...over.details },
});

describe('transparency tallies', () => {
  it('count successful police reads by what they were; refusals, retailer staff and other actions are not requests', () => {
    expect(policeRequestOf(entry({}), 'ret-a')).toEqual({ month: '2026-12', agencyId: 'akl-police', legalBasis: 'warrant', kind: 'reads', caseReference: 'C-1' });
    expect(policeRequestOf(entry({ action: 'evidence.download' }), 'ret-a')?.kind).toBe('downloads');
    expect(policeRequestOf(entry({ action: 'event.list' }), 'ret-a')?.kind).toBe('lists');
    expect(policeRequestOf(entry({ action: 'vehicle.events' }), 'ret-a')?.kind).toBe('vehicleEnquiries');
    expect(policeRequestOf(entry({ action: 'casefile.build' }), 'ret-a')?.kind).toBe('reads');
    expect(policeRequestOf(entry({ action: 'casefile.download' }), 'ret-a')?.kind).toBe('downloads');
    expect(policeRequestOf(entry({ outcome: 'denied' }), 'ret-a')).toBeUndefined();
    expect(policeRequestOf(entry({ action: 'event.create' }), 'ret-a')).toBeUndefined();
    // A webhook delivery to a police subscription is in the chain, and not a request.
    expect(policeRequestOf(entry({ action: 'alert.delivered' }), 'ret-a')).toBeUndefined();
    expect(policeRequestOf({ ...entry({}), details: {} }, 'ret-a')).toBeUndefined();
  });

  it("in an agency's own chain, only its record of each request counts, by the route it names", () => {
    const own = (action: string, route: string) => policeRequestOf(entry({ action, target: { type: 'route', id: route } }), 'akl-police');
    expect(own('police.request', 'events-list')?.kind).toBe('lists');
    expect(own('police.request', 'evidence-download')?.kind).toBe('downloads');
    expect(own('police.request', 'vehicles-enquiries')?.kind).toBe('vehicleEnquiries');
    expect(own('police.request', 'case-files-create')?.kind).toBe('reads');
    expect(own('police.request', 'case-files-content')?.kind).toBe('downloads');
    expect(own('police.request', 'case-files-get')).toBeUndefined();
    expect(own('police.request', 'messages-post')).toBeUndefined();
    // The enquiry's own-chain copy repeats what the owners' chains hold.
    expect(policeRequestOf(entry({ action: 'vehicle.events' }), 'akl-police')).toBeUndefined();
  });

  it('distinct case references are counted once per row, and once across retailers when summed', () => {
    const a: TransparencyRow[] = [];
    for (const ref of ['C-1', 'C-1', 'C-2']) countRequest(a, policeRequestOf(entry({ details: { caseReference: ref } }), 'ret-a')!);
    const b: TransparencyRow[] = [];
    for (const ref of ['C-2', 'C-3']) countRequest(b, policeRequestOf(entry({ details: { caseReference: ref } }), 'ret-a')!);
    countRequest(b, policeRequestOf(entry({ details: { legalBasis: 'emergency' } }), 'ret-a')!);
    expect(reportItem('2026-12', a[0]!, null)).toMatchObject({ reads: 3, caseReferences: 2 });
    const sum = sumRows([a, b]);
    expect(sum.map((r) => reportItem('2026-12', r, null))).toMatchObject([
      { legalBasis: 'warrant', reads: 5, caseReferences: 3 },
      { legalBasis: 'emergency', reads: 1, caseReferences: 1 },
    ]);
    expect(a[0]!.reads).toBe(3); // summing leaves the retailers' rows as they were
  });

  it('publishes any count below 5 as "<5", and 5 or more as the number', () => {
    const item = { month: '2026-12', agencyId: 'a', agencyName: null, legalBasis: 'warrant' as const, lists: 0, reads: 4, downloads: 5, vehicleEnquiries: 6, caseReferences: 1 };
    expect(publicItem(item)).toEqual({ ...item, lists: '<5', reads: '<5', downloads: 5, vehicleEnquiries: 6, caseReferences: '<5' });
  });
});
