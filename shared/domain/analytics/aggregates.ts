import { z } from 'zod';

/*
 * Anonymous aggregates: what an event contributes to analytics, with no person, vehicle,
 * free text or evidence. Live events and the aggregates retention leaves behind go through
 * the same `contributionOf`, so a figure computed before an event is purged and after it is
 * folded is the same figure. Money is kept in integer ten-thousandths (unitValue has at most
 * four decimals), so sums are exact whatever order they are added in.
 */

/** The facts of an event analytics reads (a subset of the stored event). */
export interface EventFacts {
  storeId: string;
  /** As given, with its offset: the store's local clock gives hour of day and weekday. */
  occurredAt: string;
  type: string;
  prevented: boolean;
  currency?: string | undefined;
  products?: readonly { sku?: string | undefined; quantity: number; unitValue: number }[] | undefined;
  violence?: { threatened: boolean; used: boolean } | undefined;
}

export interface ProductFigures {
  /** '' when the product had no SKU. */
  sku: string;
  events: number;
  quantity: number;
  /** quantity × unitValue, in ten-thousandths. */
  value: number;
}

/** One cell of the aggregate: every event with these dimensions, summed. */
export interface AggregateRow {
  storeId: string;
  /** UTC hour (0–23) within the aggregate document's UTC day: what date ranges filter on. */
  hourUtc: number;
  /** Hour (0–23) and ISO weekday (1 = Monday … 7 = Sunday) on the store's local clock as recorded. */
  localHour: number;
  localWeekday: number;
  type: string;
  prevented: boolean;
  violent: boolean;
  /** A person in the event had a profile with more than one event. */
  repeat: boolean;
  currency: string | null;
  events: number;
  /** Value of products of events not prevented, in ten-thousandths. */
  loss: number;
  products: ProductFigures[];
}

export const toUnits = (value: number): number => Math.round(value * 10_000);
export const fromUnits = (units: number): number => units / 10_000;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):/;

/** The UTC day (YYYY-MM-DD) an event falls in: which aggregate document holds it. */
export const utcDayOf = (occurredAt: string): string => new Date(occurredAt).toISOString().slice(0, 10);

/** An event's contribution: one row with `events: 1`. */
export function contributionOf(event: EventFacts, repeat: boolean): AggregateRow {
  const utc = new Date(event.occurredAt);
  const local = LOCAL.exec(event.occurredAt);
  const localDate = local ? new Date(Date.UTC(Number(local[1]), Number(local[2]) - 1, Number(local[3]))) : utc;
  const localHour = local ? Number(local[4]) : utc.getUTCHours();
  const bySku = new Map<string, ProductFigures>();
  let value = 0;
  for (const p of event.products ?? []) {
    const sku = p.sku ?? '';
    const units = toUnits(p.quantity * p.unitValue);
    value += units;
    const f = bySku.get(sku) ?? { sku, events: 1, quantity: 0, value: 0 };
    f.quantity += p.quantity;
    f.value += units;
    bySku.set(sku, f);
  }
  return {
    storeId: event.storeId,
    hourUtc: utc.getUTCHours(),
    localHour,
    localWeekday: ((localDate.getUTCDay() + 6) % 7) + 1,
    type: event.type,
    prevented: event.prevented,
    violent: Boolean(event.violence && (event.violence.threatened || event.violence.used)),
    repeat,
    currency: event.currency ?? null,
    events: 1,
    loss: event.prevented ? 0 : value,
    products: [...bySku.values()].sort((a, b) => a.sku.localeCompare(b.sku)),
  };
}

const rowKey = (r: AggregateRow): string =>
  JSON.stringify([r.storeId, r.hourUtc, r.localHour, r.localWeekday, r.type, r.prevented, r.violent, r.repeat, r.currency]);

/** Adds `add` into `rows` (a new array; rows with the same dimensions are summed). */
export function addRows(rows: readonly AggregateRow[], add: readonly AggregateRow[]): AggregateRow[] {
  const byKey = new Map(rows.map((r) => [rowKey(r), { ...r, products: r.products.map((p) => ({ ...p })) }]));
  for (const a of add) {
    const key = rowKey(a);
    const into = byKey.get(key);
    if (!into) {
      byKey.set(key, { ...a, products: a.products.map((p) => ({ ...p })) });
      continue;
    }
    into.events += a.events;
    into.loss += a.loss;
    for (const p of a.products) {
      const q = into.products.find((x) => x.sku === p.sku);
      if (q) {
        q.events += p.events;
        q.quantity += p.quantity;
        q.value += p.value;
      } else into.products.push({ ...p });
    }
    into.products.sort((x, y) => x.sku.localeCompare(y.sku));
  }
  return [...byKey.values()];
}

export const GROUP_BY = ['product', 'store', 'hour', 'weekday', 'type'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** The longest range one request may cover: ten years, the longest retention a retailer may set. */
export const MAX_RANGE_DAYS = 3660;
const DateOrDateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const AnalyticsQuerySchema = z
  .object({
    /** Default: ten years before `to`. */
    from: DateOrDateTime.optional(),
    /** Default: now. */
    to: DateOrDateTime.optional(),
    groupBy: z.enum(GROUP_BY).default('type'),
  })
  .strict();
export type AnalyticsQuery = z.infer<typeof AnalyticsQuerySchema>;

/** A date alone means the whole day (UTC): `from` its first instant, `to` its last. */
export function rangeOf(query: { from?: string | undefined; to?: string | undefined }, now: Date): { from: string; to: string } | { error: string } {
  const to = query.to === undefined ? now.toISOString() : query.to.length === 10 ? `${query.to}T23:59:59.999Z` : new Date(query.to).toISOString();
  const from =
    query.from === undefined
      ? new Date(Date.parse(to) - (MAX_RANGE_DAYS - 10) * 86_400_000).toISOString()
      : query.from.length === 10
        ? `${query.from}T00:00:00.000Z`
        : new Date(query.from).toISOString();
  if (from > to) return { error: 'from must not be after to.' };
  if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86_400_000) return { error: `The range may cover at most ${MAX_RANGE_DAYS} days.` };
  return { from, to };
}

/** Whether an aggregate row (its UTC day and hour) falls in the range, to the hour. */
export function rowInRange(day: string, row: AggregateRow, range: { from: string; to: string }): boolean {
  const start = `${day}T${String(row.hourUtc).padStart(2, '0')}:00:00.000Z`;
  return start >= range.from.slice(0, 13) + ':00:00.000Z' && start <= range.to;
}

export interface GroupFigures {
  key: string;
  events: number;
  /** The same as `events`: PRODUCT §9 speaks of counts. */
  count: number;
  prevented: number;
  preventedShare: number;
  repeatOffenderEvents: number;
  repeatOffenderShare: number;
  violentEvents: number;
  /** Value of what was taken (products of events not prevented), all currencies added. */
  lossValue: number;
  lossValueByCurrency: Record<string, number>;
  /** groupBy=product only: units and value of that product in the events. */
  quantity?: number;
  value?: number;
}

interface Acc {
  events: number;
  prevented: number;
  repeat: number;
  violent: number;
  loss: Map<string, number>;
  quantity: number;
  value: number;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Folds rows into groups for `groupBy`; memory grows with the number of groups, not rows. */
export class Grouper {
  private readonly groups = new Map<string, Acc>();

  /** 'all' folds everything into one group: the totals. */
  constructor(private readonly groupBy: GroupBy | 'all') {}

  add(row: AggregateRow): void {
    if (this.groupBy === 'product') {
      for (const p of row.products) {
        // A product's loss is its value in events that were not prevented.
        this.bump(p.sku || 'unknown', row, p.events, row.prevented ? 0 : p.value, p.quantity, p.value);
      }
      return;
    }
    const key =
      this.groupBy === 'all'
        ? 'all'
        : this.groupBy === 'store'
        ? row.storeId
        : this.groupBy === 'type'
          ? row.type
          : this.groupBy === 'hour'
            ? String(row.localHour).padStart(2, '0')
            : WEEKDAYS[row.localWeekday - 1]!;
    this.bump(key, row, row.events, row.loss, 0, 0);
  }

  private bump(key: string, row: AggregateRow, events: number, loss: number, quantity: number, value: number): void {
    const acc = this.groups.get(key) ?? { events: 0, prevented: 0, repeat: 0, violent: 0, loss: new Map(), quantity: 0, value: 0 };
    acc.events += events;
    if (row.prevented) acc.prevented += events;
    if (row.repeat) acc.repeat += events;
    if (row.violent) acc.violent += events;
    const currency = row.currency ?? 'none';
    if (loss) acc.loss.set(currency, (acc.loss.get(currency) ?? 0) + loss);
    acc.quantity += quantity;
    acc.value += value;
    this.groups.set(key, acc);
  }

  /** The figures of a group with nothing in it. */
  empty(): GroupFigures {
    return {
      key: 'all',
      events: 0,
      count: 0,
      prevented: 0,
      preventedShare: 0,
      repeatOffenderEvents: 0,
      repeatOffenderShare: 0,
      violentEvents: 0,
      lossValue: 0,
      lossValueByCurrency: {},
    };
  }

  result(): GroupFigures[] {
    const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 10_000);
    return [...this.groups.entries()]
      .map(([key, a]) => ({
        key,
        events: a.events,
        count: a.events,
        prevented: a.prevented,
        preventedShare: share(a.prevented, a.events),
        repeatOffenderEvents: a.repeat,
        repeatOffenderShare: share(a.repeat, a.events),
        violentEvents: a.violent,
        lossValue: fromUnits([...a.loss.values()].reduce((s, v) => s + v, 0)),
        lossValueByCurrency: Object.fromEntries([...a.loss.entries()].sort().map(([c, v]) => [c, fromUnits(v)])),
        ...(this.groupBy === 'product' ? { quantity: a.quantity, value: fromUnits(a.value) } : {}),
      }))
      .sort((x, y) => y.events - x.events || x.key.localeCompare(y.key));
  }
}
