import {
  addRows,
  AnalyticsQuerySchema,
  contributionOf,
  Grouper,
  rangeOf,
  rowInRange,
  utcDayOf,
  type EventFacts,
} from '../../../shared/domain/analytics/aggregates';

const event = (over: Partial<EventFacts> = {}): EventFacts => ({
  storeId: 'akl-042',
  occurredAt: '2026-03-02T23:30:00+13:00', // Monday evening in Auckland, Monday 10:30 UTC
  type: 'shoplifting',
  prevented: false,
  currency: 'NZD',
  products: [
    { sku: '123', quantity: 3, unitValue: 24.99 },
    { sku: '123', quantity: 1, unitValue: 24.99 },
    { quantity: 2, unitValue: 0.1 },
  ],
  violence: { threatened: true, used: false },
  ...over,
});

describe('contributionOf', () => {
  it('keeps dimensions and sums, nothing about people, on the store’s local clock', () => {
    const row = contributionOf(event(), true);
    expect(row).toEqual({
      storeId: 'akl-042',
      hourUtc: 10,
      localHour: 23,
      localWeekday: 1,
      type: 'shoplifting',
      prevented: false,
      violent: true,
      repeat: true,
      currency: 'NZD',
      events: 1,
      loss: 999_600 + 2_000,
      products: [
        { sku: '', events: 1, quantity: 2, value: 2_000 },
        { sku: '123', events: 1, quantity: 4, value: 999_600 },
      ],
    });
    expect(utcDayOf(event().occurredAt)).toBe('2026-03-02');
  });

  it('a prevented event loses nothing but still records its products', () => {
    const row = contributionOf(event({ prevented: true, violence: undefined }), false);
    expect(row.loss).toBe(0);
    expect(row.violent).toBe(false);
    expect(row.products.find((p) => p.sku === '123')?.value).toBe(999_600);
  });

  it('Z times are their own local clock; Sunday is weekday 7', () => {
    const row = contributionOf(event({ occurredAt: '2026-03-01T05:00:00Z' }), false);
    expect([row.localHour, row.localWeekday, row.hourUtc]).toEqual([5, 7, 5]);
  });
});

describe('addRows', () => {
  it('sums rows with the same dimensions exactly and keeps others apart', () => {
    const a = contributionOf(event(), false);
    const b = contributionOf(event({ storeId: 'wgn-007' }), false);
    const rows = addRows(addRows([], [a, a]), [b, a]);
    expect(rows).toHaveLength(2);
    const akl = rows.find((r) => r.storeId === 'akl-042')!;
    expect(akl.events).toBe(3);
    expect(akl.loss).toBe(3 * a.loss);
    expect(akl.products.find((p) => p.sku === '123')).toEqual({ sku: '123', events: 3, quantity: 12, value: 3 * 999_600 });
    expect(a.events).toBe(1); // inputs untouched
  });
});

describe('Grouper', () => {
  const rows = [
    contributionOf(event(), true),
    contributionOf(event({ prevented: true }), false),
    contributionOf(event({ type: 'robbery', storeId: 'wgn-007', products: [], violence: { threatened: false, used: true } }), true),
  ];

  it('by type: counts, shares and loss', () => {
    const g = new Grouper('type');
    rows.forEach((r) => g.add(r));
    expect(g.result()).toEqual([
      {
        key: 'shoplifting',
        events: 2,
        count: 2,
        prevented: 1,
        preventedShare: 0.5,
        repeatOffenderEvents: 1,
        repeatOffenderShare: 0.5,
        violentEvents: 2,
        lossValue: 100.16,
        lossValueByCurrency: { NZD: 100.16 },
      },
      {
        key: 'robbery',
        events: 1,
        count: 1,
        prevented: 0,
        preventedShare: 0,
        repeatOffenderEvents: 1,
        repeatOffenderShare: 1,
        violentEvents: 1,
        lossValue: 0,
        lossValueByCurrency: {},
      },
    ]);
  });

  it('by product: events that had it, units, value, and loss only where not prevented', () => {
    const g = new Grouper('product');
    rows.forEach((r) => g.add(r));
    const sku = g.result().find((x) => x.key === '123')!;
    expect(sku).toMatchObject({ events: 2, prevented: 1, quantity: 8, value: 199.92, lossValue: 99.96 });
    expect(g.result().find((x) => x.key === 'unknown')).toMatchObject({ events: 2, quantity: 4 });
  });

  it('by hour and weekday use the local clock; by store the store id', () => {
    const hours = new Grouper('hour');
    const days = new Grouper('weekday');
    const stores = new Grouper('store');
    rows.forEach((r) => [hours, days, stores].forEach((g) => g.add(r)));
    expect(hours.result().map((x) => x.key)).toEqual(['23']);
    expect(days.result().map((x) => x.key)).toEqual(['monday']);
    expect(stores.result().map((x) => [x.key, x.events])).toEqual([
      ['akl-042', 2],
      ['wgn-007', 1],
    ]);
  });

  it('adding the aggregate of rows gives the same figures as adding them one by one', () => {
    const one = new Grouper('product');
    rows.forEach((r) => one.add(r));
    const folded = new Grouper('product');
    addRows([], rows).forEach((r) => folded.add(r));
    expect(folded.result()).toEqual(one.result());
  });
});

describe('query and range', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('a date covers its whole day; from after to, or a range over ten years, is refused', () => {
    expect(rangeOf({ from: '2026-01-01', to: '2026-01-31' }, now)).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-31T23:59:59.999Z' });
    expect(rangeOf({ from: '2026-02-01', to: '2026-01-31' }, now)).toHaveProperty('error');
    expect(rangeOf({ from: '2000-01-01', to: '2026-01-31' }, now)).toHaveProperty('error');
    expect(rangeOf({}, now)).toMatchObject({ to: now.toISOString() });
  });

  it('unknown groupBy, bad dates and unknown parameters fail the schema', () => {
    expect(AnalyticsQuerySchema.safeParse({ groupBy: 'person' }).success).toBe(false);
    expect(AnalyticsQuerySchema.safeParse({ from: '2026-13-01' }).success).toBe(false);
    expect(AnalyticsQuerySchema.safeParse({ from: 'yesterday' }).success).toBe(false);
    expect(AnalyticsQuerySchema.safeParse({ name: 'Jon' }).success).toBe(false);
    expect(AnalyticsQuerySchema.parse({}).groupBy).toBe('type');
  });

  it('aggregate rows are in range to the hour', () => {
    const row = contributionOf(event(), false); // 10:30 UTC on 2026-03-02 → hour 10
    const range = (from: string, to: string) => ({ from, to });
    expect(rowInRange('2026-03-02', row, range('2026-03-02T10:45:00.000Z', '2026-03-02T11:00:00.000Z'))).toBe(true);
    expect(rowInRange('2026-03-02', row, range('2026-03-02T11:00:00.000Z', '2026-03-03T00:00:00.000Z'))).toBe(false);
    expect(rowInRange('2026-03-02', row, range('2026-03-01T00:00:00.000Z', '2026-03-02T09:59:59.999Z'))).toBe(false);
  });
});
