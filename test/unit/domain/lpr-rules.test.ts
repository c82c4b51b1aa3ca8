import { evaluateRead, visibleCandidates, type Candidate } from '../../../shared/domain/lpr/alert-rules';
import { MAX_PLATE_ENTRIES, canonicalPlate, lossValueOf, plateEntriesOf, plateIndexId, withEventEntries, type PlateEntry } from '../../../shared/domain/lpr/plate-index';
import { PlateReadBatchSchema } from '../../../shared/domain/lpr/lpr-schema';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';

const entry = (over: Partial<PlateEntry> = {}): PlateEntry => ({
  eventId: 'e1',
  plate: 'ABC123',
  storeId: 's1',
  occurredAt: '2026-11-20T10:00:00.000Z',
  profileIds: ['p1'],
  violent: false,
  lossValue: 50,
  sensitive: false,
  ...over,
});
const own = (entries: PlateEntry[]): Candidate[] => visibleCandidates('ret-a', 'ret-a', entries, false);
const rules = (over: Partial<{ minEvents: number; violentOnly: boolean; minLossValue: number }> = {}) => ({ minEvents: 1, violentOnly: false, minLossValue: 0, ...over });

describe('LPR alert rules', () => {
  it('alerts on an exact plate and on an OCR-confusable one, saying which', () => {
    expect(evaluateRead('ABC123', own([entry()]), rules())).toMatchObject({ match: 'exact', eventIds: ['e1'], profileIds: ['p1'], retailerIds: ['ret-a'] });
    // 8/B, 0/O, 1/I, 5/S, 2/Z confused by the camera
    expect(evaluateRead('A8C123', own([entry()]), rules())?.match).toBe('ocr');
    expect(evaluateRead('5OB', own([entry({ plate: 'S08' })]), rules())?.match).toBe('ocr');
    expect(evaluateRead('ABC124', own([entry()]), rules())).toBeNull();
  });

  it('minEvents counts distinct events', () => {
    const two = [entry(), entry({ eventId: 'e2', profileIds: ['p2'] })];
    expect(evaluateRead('ABC123', own(two), rules({ minEvents: 2 }))?.profileIds).toEqual(['p1', 'p2']);
    expect(evaluateRead('ABC123', own([entry(), entry()]), rules({ minEvents: 2 }))).toBeNull();
    expect(evaluateRead('ABC123', own(two), rules({ minEvents: 3 }))).toBeNull();
  });

  it('violentOnly counts only violent events, for minEvents and loss alike', () => {
    const mixed = [entry({ lossValue: 500 }), entry({ eventId: 'e2', violent: true, lossValue: 10 })];
    expect(evaluateRead('ABC123', own(mixed), rules({ violentOnly: true }))?.eventIds).toEqual(['e2']);
    expect(evaluateRead('ABC123', own(mixed), rules({ violentOnly: true, minLossValue: 100 }))).toBeNull();
    expect(evaluateRead('ABC123', own([entry()]), rules({ violentOnly: true }))).toBeNull();
  });

  it('minLossValue is the qualifying events’ total loss', () => {
    const two = [entry({ lossValue: 60 }), entry({ eventId: 'e2', lossValue: 40 })];
    expect(evaluateRead('ABC123', own(two), rules({ minLossValue: 100 }))).not.toBeNull();
    expect(evaluateRead('ABC123', own(two), rules({ minLossValue: 100.01 }))).toBeNull();
  });

  it('partners’ events count only with an active agreement and never when sensitive; own sensitive ones count', () => {
    expect(visibleCandidates('ret-a', 'ret-b', [entry()], false)).toEqual([]);
    expect(visibleCandidates('ret-a', 'ret-b', [entry(), entry({ eventId: 'e2', sensitive: true })], true).map((c) => [c.eventId, c.relation])).toEqual([['e1', 'partner']]);
    expect(visibleCandidates('ret-a', 'ret-a', [entry({ sensitive: true })], false).map((c) => c.relation)).toEqual(['owner']);
    const mixed = [...own([entry()]), ...visibleCandidates('ret-a', 'ret-b', [entry({ eventId: 'e9' })], true)];
    expect(evaluateRead('ABC123', mixed, rules({ minEvents: 2 }))).toMatchObject({ eventIds: ['e1', 'e9'], retailerIds: ['ret-a', 'ret-b'] });
  });

  it('the reason explains the decision without the stored plate', () => {
    const reason = evaluateRead('A8C123', own([entry({ violent: true })]), rules())!.reason;
    expect(reason).toContain('OCR-confusable');
    expect(reason).toContain('1 with violence');
    expect(reason).not.toContain('ABC123');
  });
});

describe('LPR plate index', () => {
  const event = (over: Partial<RetailEvent> = {}): RetailEvent =>
    ({
      id: 'e1',
      retailerId: 'ret-a',
      storeId: 's1',
      occurredAt: '2026-11-20T14:05:00+13:00',
      type: 'shoplifting',
      prevented: false,
      products: [{ name: 'x', quantity: 3, unitValue: 24.99 }],
      people: [{ ref: 'p1', role: 'offender', profileId: 'prof-1' }],
      vehicles: [
        { plate: 'ABC 123', normalisedPlate: 'ABC123' },
        { plate: 'A8C-123', normalisedPlate: 'A8C123' },
        { plate: 'XYZ9', normalisedPlate: 'XYZ9' },
      ],
      violence: { threatened: true, used: false, weapon: 'none' },
      sensitive: false,
      ...over,
    }) as RetailEvent;

  it('groups an event’s plates by OCR-canonical form with what the rules need', () => {
    const entries = plateEntriesOf(event());
    expect([...entries.keys()].sort()).toEqual([canonicalPlate('ABC123'), canonicalPlate('XYZ9')].sort());
    expect(entries.get(canonicalPlate('ABC123'))!.map((e) => e.plate)).toEqual(['ABC123', 'A8C123']);
    expect(entries.get(canonicalPlate('XYZ9'))![0]).toEqual({
      eventId: 'e1',
      plate: 'XYZ9',
      storeId: 's1',
      occurredAt: '2026-11-20T01:05:00.000Z',
      profileIds: ['prof-1'],
      violent: true,
      lossValue: 74.97,
      sensitive: false,
    });
    expect(plateEntriesOf(undefined).size).toBe(0);
  });

  it('a prevented attempt lost nothing', () => {
    expect(lossValueOf({ prevented: true, products: [{ name: 'x', quantity: 1, unitValue: 10 }] })).toBe(0);
  });

  it('document ids hash the canonical form: confusable plates share one, the plate is not in it', () => {
    expect(plateIndexId(canonicalPlate('ABC123'))).toBe(plateIndexId(canonicalPlate('A8C1Z3')));
    expect(plateIndexId(canonicalPlate('ABC123'))).not.toContain('ABC');
    expect(plateIndexId(canonicalPlate('ABC123'))).toMatch(/^plate-[0-9a-f]{40}$/);
  });

  it('replaces one event’s entries, newest first, bounded', () => {
    const many = Array.from({ length: MAX_PLATE_ENTRIES }, (_, i) => entry({ eventId: `e${i}`, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }));
    const added = withEventEntries(many, 'new', [entry({ eventId: 'new', occurredAt: '2026-12-01T00:00:00.000Z' })]);
    expect(added.entries).toHaveLength(MAX_PLATE_ENTRIES);
    expect(added.truncated).toBe(true);
    expect(added.entries[0]!.eventId).toBe('new');
    expect(added.entries.some((e) => e.eventId === 'e0')).toBe(false);
    const removed = withEventEntries(added.entries, 'new', []);
    expect(removed.entries.map((e) => e.eventId)).not.toContain('new');
    expect(removed.truncated).toBe(false);
  });
});

describe('LPR read batch schema', () => {
  const ok = { plate: 'ABC 123', storeId: 'akl-042', cameraId: 'cam-1', readAt: '2026-11-20T14:05:00Z', confidence: 0.5 };
  it('accepts 1–500 valid reads and refuses the rest with the read’s path', () => {
    expect(PlateReadBatchSchema.safeParse({ reads: [ok] }).success).toBe(true);
    expect(PlateReadBatchSchema.safeParse({ reads: [] }).success).toBe(false);
    expect(PlateReadBatchSchema.safeParse({ reads: Array(501).fill(ok) }).success).toBe(false);
    for (const bad of [{ plate: '' }, { plate: '!!' }, { confidence: 1.01 }, { confidence: -1 }, { readAt: 'now' }, { cameraId: '' }, { extra: 1 }]) {
      const r = PlateReadBatchSchema.safeParse({ reads: [ok, { ...ok, ...bad }] });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path.slice(0, 2)).toEqual(['reads', 1]);
    }
  });
});
