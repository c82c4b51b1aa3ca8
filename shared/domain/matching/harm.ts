/**
 * How much harm a profile's offending does, for ranking profiles (GET /profiles?sort=harm).
 * 0..100, the sum of explainable parts: violence (up to 45), loss value (up to 25) and frequency
 * (up to 30), then reduced by recency: harm from long ago matters less, but never vanishes.
 * Each part grows with its input and flattens out, so one extreme value cannot swamp the rest.
 */

export interface HarmStats {
  events: number;
  /** events with violence threatened or used */
  violentEvents: number;
  /** events with violence used */
  violenceUsed: number;
  /** events with a weapon other than none */
  weapons: number;
  /** loss value of completed (not prevented) events, in the retailer's currency */
  lossValue: number;
  lastOccurredAt: string | null;
  firstOccurredAt: string | null;
}

export interface HarmReason {
  factor: 'violence' | 'loss' | 'frequency' | 'recency';
  detail: string;
  weight: number;
}

const VIOLENCE_MAX = 45;
/** Points per event: threatened 1, used +2, with a weapon +3; half the maximum at 4 points. */
const VIOLENCE_SCALE = 4 / Math.LN2;
const LOSS_MAX = 25;
/** Half the maximum at this loss value. */
const LOSS_HALF = 1000;
const FREQUENCY_MAX = 30;
/** A single event adds nothing for frequency; half the maximum at 5 events. */
const FREQUENCY_SCALE = 4 / Math.LN2;
/** Harm halves (towards a floor of a quarter) every 180 days since the last event. */
const RECENCY_HALF_LIFE_DAYS = 180;
const RECENCY_FLOOR = 0.25;

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function harmOf(stats: HarmStats, now: Date): { harm: number; reasons: HarmReason[] } {
  const reasons: HarmReason[] = [];
  const points = Math.max(0, stats.violentEvents) + 2 * Math.max(0, stats.violenceUsed) + 3 * Math.max(0, stats.weapons);
  if (points > 0) {
    const parts = [`${stats.violentEvents} event(s) with violence threatened or used`];
    if (stats.violenceUsed) parts.push(`${stats.violenceUsed} with violence used`);
    if (stats.weapons) parts.push(`${stats.weapons} with a weapon`);
    reasons.push({ factor: 'violence', detail: parts.join(', '), weight: VIOLENCE_MAX * (1 - Math.exp(-points / VIOLENCE_SCALE)) });
  }
  const loss = Math.max(0, stats.lossValue);
  if (loss > 0) {
    reasons.push({ factor: 'loss', detail: `loss value ${loss.toFixed(2)}`, weight: (LOSS_MAX * loss) / (loss + LOSS_HALF) });
  }
  if (stats.events > 1) {
    const span =
      stats.firstOccurredAt && stats.lastOccurredAt
        ? ` between ${stats.firstOccurredAt.slice(0, 10)} and ${stats.lastOccurredAt.slice(0, 10)}`
        : '';
    reasons.push({
      factor: 'frequency',
      detail: `${stats.events} events${span}`,
      weight: FREQUENCY_MAX * (1 - Math.exp(-(stats.events - 1) / FREQUENCY_SCALE)),
    });
  }
  const base = reasons.reduce((s, r) => s + r.weight, 0);
  const last = stats.lastOccurredAt ? Date.parse(stats.lastOccurredAt) : NaN;
  if (base > 0 && !Number.isNaN(last)) {
    const days = Math.max(0, (now.getTime() - last) / 86_400_000);
    const factor = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 2 ** (-days / RECENCY_HALF_LIFE_DAYS);
    if (factor < 1) {
      reasons.push({
        factor: 'recency',
        detail: `last event ${Math.floor(days)} day(s) ago (harm halves every ${RECENCY_HALF_LIFE_DAYS} days, to no less than a quarter)`,
        weight: -base * (1 - factor),
      });
    }
  }
  const rounded = reasons.map((r) => ({ ...r, weight: round1(r.weight) }));
  return { harm: Math.max(0, round1(rounded.reduce((s, r) => s + r.weight, 0))), reasons: rounded };
}
