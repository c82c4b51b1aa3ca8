import { harmOf, type HarmStats } from '../../../shared/domain/matching/harm';

const now = new Date('2026-06-01T00:00:00Z');
const stats = (over: Partial<HarmStats> = {}): HarmStats => ({
  events: 3,
  violentEvents: 0,
  violenceUsed: 0,
  weapons: 0,
  lossValue: 300,
  firstOccurredAt: '2026-04-01T00:00:00Z',
  lastOccurredAt: '2026-05-31T00:00:00Z',
  ...over,
});
const harm = (over: Partial<HarmStats> = {}, at = now) => harmOf(stats(over), at).harm;

describe('harm', () => {
  it('nothing on record is no harm', () => {
    expect(harmOf({ events: 0, violentEvents: 0, violenceUsed: 0, weapons: 0, lossValue: 0, lastOccurredAt: null, firstOccurredAt: null }, now)).toEqual({
      harm: 0,
      reasons: [],
    });
  });

  it('grows with violence: threatened, used, with a weapon', () => {
    const seq = [
      harm(),
      harm({ violentEvents: 1 }),
      harm({ violentEvents: 1, violenceUsed: 1 }),
      harm({ violentEvents: 1, violenceUsed: 1, weapons: 1 }),
      harm({ violentEvents: 2, violenceUsed: 2, weapons: 2 }),
    ];
    for (let i = 1; i < seq.length; i++) expect(seq[i]!).toBeGreaterThan(seq[i - 1]!);
  });

  it('grows with loss value', () => {
    const seq = [0, 10, 100, 1000, 10000].map((lossValue) => harm({ lossValue }));
    for (let i = 1; i < seq.length; i++) expect(seq[i]!).toBeGreaterThan(seq[i - 1]!);
  });

  it('grows with frequency', () => {
    const seq = [1, 2, 4, 8, 16].map((events) => harm({ events }));
    for (let i = 1; i < seq.length; i++) expect(seq[i]!).toBeGreaterThan(seq[i - 1]!);
  });

  it('decays with time since the last event, but never to nothing', () => {
    const seq = ['2026-05-31', '2026-03-01', '2025-06-01', '2023-01-01'].map((d) => harm({ lastOccurredAt: `${d}T00:00:00Z` }));
    for (let i = 1; i < seq.length; i++) expect(seq[i]!).toBeLessThan(seq[i - 1]!);
    expect(seq.at(-1)!).toBeGreaterThan(0);
    expect(seq.at(-1)!).toBeGreaterThanOrEqual(seq[0]! * 0.24);
  });

  it('stays within 0..100 and explains itself: reasons add up to the harm', () => {
    const extreme = harmOf(stats({ events: 500, violentEvents: 400, violenceUsed: 300, weapons: 200, lossValue: 1e7, lastOccurredAt: now.toISOString() }), now);
    expect(extreme.harm).toBeLessThanOrEqual(100);
    expect(extreme.harm).toBeGreaterThan(95);
    const h = harmOf(stats({ violentEvents: 1, violenceUsed: 1, lastOccurredAt: '2025-12-01T00:00:00Z' }), now);
    expect(h.reasons.map((r) => r.factor)).toEqual(['violence', 'loss', 'frequency', 'recency']);
    expect(h.reasons.find((r) => r.factor === 'recency')!.weight).toBeLessThan(0);
    expect(h.harm).toBeCloseTo(h.reasons.reduce((s, r) => s + r.weight, 0), 6);
    for (const r of h.reasons) expect(r.detail.length).toBeGreaterThan(5);
  });
});
