import { analyticsUseCases, type AnalyticsStore } from '../../../shared/analytics/analytics-use-cases';
import type { LiveFacts } from '../../../shared/analytics/live-event-repository';
import { addRows, contributionOf, GROUP_BY, utcDayOf, type AggregateRow } from '../../../shared/domain/analytics/aggregates';
import { ForbiddenError, ValidationError } from '../../../shared/domain/errors';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Analytics on its own, over events and aggregates in memory: the live events read a page at a
 * time, the anonymous aggregates retention left, one answer whatever the page size, and the same
 * figures after an event is purged and folded. The same against the emulator in the
 * integration tests of analytics.
 */
class Records implements AnalyticsStore {
  events: (LiveFacts & { purged?: boolean })[] = [];
  /** UTC day → rows retention folded into it. */
  days = new Map<string, AggregateRow[]>();
  /** Profile → its events. */
  profiles = new Map<string, number>();
  pagesRead = 0;
  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : org === 'police' ? 'agency' : undefined));
  constructor(public pageSize = 200) {}

  authorize = (caller: Caller, orgId: string) => this.table.check(caller, 'analytics.read', orgId);
  liveEvents = (orgId: string, range: { from: string; to: string }, after?: { t: string; id: string }) => {
    this.pagesRead++;
    const page = this.events
      .filter((e) => orgId === 'shop' && e.occurredAtUtc >= range.from && e.occurredAtUtc <= range.to)
      .filter((e) => !after || e.occurredAtUtc < after.t || (e.occurredAtUtc === after.t && e.id < after.id))
      .sort((a, b) => (a.occurredAtUtc === b.occurredAtUtc ? (a.id < b.id ? 1 : -1) : a.occurredAtUtc < b.occurredAtUtc ? 1 : -1))
      .slice(0, this.pageSize);
    return Promise.resolve(structuredClone(page));
  };
  repeatProfiles = (_orgId: string, ids: Iterable<string>) => Promise.resolve(new Set([...ids].filter((id) => (this.profiles.get(id) ?? 0) > 1)));
  aggregatesBetween = async function* (this: Records, _orgId: string, fromDay: string, toDay: string) {
    for (const [day, rows] of [...this.days].sort()) if (day >= fromDay && day <= toDay) yield await Promise.resolve({ day, rows: structuredClone(rows) });
  };

  add(id: string, occurredAt: string, over: Partial<LiveFacts> = {}): LiveFacts {
    const e: LiveFacts = { id, storeId: 's1', occurredAt, occurredAtUtc: new Date(occurredAt).toISOString(), type: 'theft', prevented: false, currency: 'NZD', products: [], profileIds: [], ...over };
    for (const p of e.profileIds) this.profiles.set(p, (this.profiles.get(p) ?? 0) + 1);
    this.events.push(e);
    return e;
  }

  /** What the retention sweep does to an event: its contribution folded into its UTC day, the event gone (its profile keeps the count). */
  purge(id: string): void {
    const e = this.events.find((x) => x.id === id)!;
    const repeat = e.profileIds.some((p) => (this.profiles.get(p) ?? 0) > 1);
    const day = utcDayOf(e.occurredAt);
    this.days.set(day, addRows(this.days.get(day) ?? [], [contributionOf(e, repeat)]));
    this.events = this.events.filter((x) => x !== e);
  }
}

const investigator = callerAs('shop', 'Investigator');
const now = new Date('2026-06-30T12:00:00Z');

function world(pageSize?: number) {
  const records = new Records(pageSize);
  records.add('e1', '2026-06-01T09:15:00+12:00', { products: [{ sku: 'RUM', quantity: 2, unitValue: 39.99 }], profileIds: ['p1'] });
  records.add('e2', '2026-06-02T21:40:00+12:00', { storeId: 's2', type: 'robbery', violence: { threatened: true, used: false }, products: [{ sku: 'CIG', quantity: 1, unitValue: 120.5 }], profileIds: ['p1'] });
  records.add('e3', '2026-06-03T10:05:00+12:00', { prevented: true, products: [{ sku: 'RUM', quantity: 1, unitValue: 39.99 }], profileIds: ['p2'] });
  records.add('e4', '2026-06-03T10:05:00+12:00', { storeId: 's2', products: [{ quantity: 3, unitValue: 2.5 }] });
  records.add('e5', '2026-06-20T23:59:00Z', { type: 'fraud', currency: 'AUD', products: [{ sku: 'GIFT', quantity: 1, unitValue: 100 }] });
  return { records, analytics: analyticsUseCases(records) };
}

describe('analytics over events and aggregates in memory', () => {
  it('counts events, prevented, violent and repeat-offender events, and loss by currency, per group and in total', async () => {
    const { analytics } = world();
    const reply = await analytics(investigator, { groupBy: 'type', from: '2026-05-01', to: '2026-06-30' }, now);
    const theft = reply.groups.find((g) => g.key === 'theft')!;
    expect(theft).toMatchObject({ events: 3, count: 3, prevented: 1, repeatOffenderEvents: 1, violentEvents: 0, lossValueByCurrency: { NZD: 87.48 } });
    expect(reply.groups.find((g) => g.key === 'robbery')).toMatchObject({ events: 1, violentEvents: 1, repeatOffenderEvents: 1, lossValueByCurrency: { NZD: 120.5 } });
    expect(reply.totals).toMatchObject({ events: 5, prevented: 1, repeatOffenderEvents: 2, lossValueByCurrency: { NZD: 207.98, AUD: 100 } });
  });

  it('gives one answer whatever the page size, reading a page at a time', async () => {
    const big = world(200);
    const small = world(2);
    for (const groupBy of GROUP_BY) {
      const q = { groupBy, from: '2026-05-01', to: '2026-06-30' };
      expect(await small.analytics(investigator, q, now)).toEqual(await big.analytics(investigator, q, now));
    }
    // Five events in pages of two: three pages per question (the last short).
    expect(small.records.pagesRead).toBe(3 * GROUP_BY.length);
    expect(big.records.pagesRead).toBe(GROUP_BY.length);
  });

  it('answers the same figures after events are purged into the aggregates, for every grouping', async () => {
    const { records, analytics } = world(2);
    const ask = (groupBy: (typeof GROUP_BY)[number]) => analytics(investigator, { groupBy, from: '2026-05-01', to: '2026-06-30' }, now);
    const before = await Promise.all(GROUP_BY.map(ask));
    records.purge('e1');
    records.purge('e3');
    records.purge('e5');
    expect(records.events).toHaveLength(2);
    expect(await Promise.all(GROUP_BY.map(ask))).toEqual(before);
  });

  it('leaves out what falls outside the range, live or aggregated, to the hour', async () => {
    const { records, analytics } = world();
    records.purge('e5'); // 2026-06-20 23:59 UTC, in the aggregate of that day, hour 23
    const upTo22 = await analytics(investigator, { groupBy: 'type', from: '2026-06-01', to: '2026-06-20T22:59:59Z' }, now);
    expect(upTo22.groups.find((g) => g.key === 'fraud')).toBeUndefined();
    const upTo23 = await analytics(investigator, { groupBy: 'type', from: '2026-06-01', to: '2026-06-20T23:59:59Z' }, now);
    expect(upTo23.groups.find((g) => g.key === 'fraud')).toMatchObject({ events: 1 });
    // e1 happened on 31 May in UTC (09:15 in New Zealand on 1 June).
    const june = await analytics(investigator, { groupBy: 'type', from: '2026-06-01', to: '2026-06-30' }, now);
    const fromMay31 = await analytics(investigator, { groupBy: 'type', from: '2026-05-31', to: '2026-06-30' }, now);
    expect(fromMay31.totals.events - june.totals.events).toBe(1);
  });

  it('groups hours and weekdays on the store\'s local clock', async () => {
    const { analytics } = world();
    const hours = await analytics(investigator, { groupBy: 'hour', from: '2026-05-01', to: '2026-06-30' }, now);
    expect(hours.groups.map((g) => [g.key, g.events]).sort()).toEqual([['09', 1], ['10', 2], ['21', 1], ['23', 1]]);
    const weekdays = await analytics(investigator, { groupBy: 'weekday', from: '2026-05-01', to: '2026-06-30' }, now);
    expect(weekdays.groups.find((g) => g.key === 'monday')).toMatchObject({ events: 1 }); // 1 June 2026, local
  });

  it('refuses a range backwards or longer than ten years with 400, before reading anything', async () => {
    const { records, analytics } = world();
    await expect(analytics(investigator, { groupBy: 'type', from: '2026-06-30', to: '2026-06-01' }, now)).rejects.toBeInstanceOf(ValidationError);
    await expect(analytics(investigator, { groupBy: 'type', from: '2000-01-01', to: '2026-06-01' }, now)).rejects.toBeInstanceOf(ValidationError);
    expect(records.pagesRead).toBe(0);
  });

  it('asks the one table: a retailer\'s Investigator reads, its Reporter and the police do not, and nothing is read for them', async () => {
    const { records, analytics } = world();
    await expect(analytics(callerAs('shop', 'Reporter'), { groupBy: 'type' }, now)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(analytics(callerAs('police', 'PoliceOfficer'), { groupBy: 'type' }, now)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.pagesRead).toBe(0);
    await analytics(investigator, { groupBy: 'type' }, now);
    expect(records.table.asked).toEqual(['analytics.read shop', 'analytics.read police', 'analytics.read shop']);
  });
});
