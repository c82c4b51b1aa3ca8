import { z } from 'zod';

/**
 * Risk tiers (PRODUCT §6b): named criteria over a profile's events, set by each retailer. Every
 * condition given must hold; `days` limits the counted events to the last so many days.
 */
export const RiskTierSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Use 1–40 lower-case letters, digits or dashes.'),
    when: z
      .object({
        weaponUsed: z.literal(true).optional(),
        violentEvents: z.number().int().min(1).max(1000).optional(),
        lossValue: z.number().min(0).max(1_000_000_000).optional(),
        events: z.number().int().min(1).max(10_000).optional(),
        days: z.number().int().min(1).max(3650).optional(),
      })
      .strict()
      .refine((w) => w.weaponUsed || w.violentEvents || w.lossValue !== undefined || w.events, { message: 'Give at least one condition besides days.' }),
  })
  .strict();
export type RiskTier = z.infer<typeof RiskTierSchema>;

export const RiskTiersSchema = z
  .array(RiskTierSchema)
  .max(20)
  .refine((tiers) => new Set(tiers.map((t) => t.name)).size === tiers.length, { message: 'Tier names must differ.' });

export const DEFAULT_RISK_TIERS: RiskTier[] = [
  { name: 'extreme-threat', when: { weaponUsed: true } },
  { name: 'serious-threat', when: { violentEvents: 2 } },
  { name: 'high-loss', when: { lossValue: 1000, days: 90 } },
];

/** What a tier needs to know of one of the profile's events. */
export interface TierFacts {
  occurredAt: string;
  violent: boolean;
  weapon: boolean;
  /** Loss of a completed (not prevented) event. */
  loss: number;
}

export interface TierReached {
  name: string;
  reason: string;
}

/** The tiers a profile's events reach now, each with why. */
export function riskTiersOf(events: TierFacts[], tiers: RiskTier[], now: Date): TierReached[] {
  const reached: TierReached[] = [];
  for (const tier of tiers) {
    const { weaponUsed, violentEvents, lossValue, events: minEvents, days } = tier.when;
    const since = days ? now.getTime() - days * 86_400_000 : -Infinity;
    const counted = events.filter((e) => Date.parse(e.occurredAt) >= since);
    const within = days ? ` in the last ${days} days` : '';
    const parts: string[] = [];
    const weapons = counted.filter((e) => e.weapon).length;
    if (weaponUsed && !weapons) continue;
    if (weaponUsed) parts.push(`${weapons} event(s) with a weapon`);
    const violent = counted.filter((e) => e.violent).length;
    if (violentEvents && violent < violentEvents) continue;
    if (violentEvents) parts.push(`${violent} violent event(s)`);
    const loss = Math.round(counted.reduce((s, e) => s + e.loss, 0) * 100) / 100;
    if (lossValue !== undefined && loss < lossValue) continue;
    if (lossValue !== undefined) parts.push(`loss value ${loss.toFixed(2)}`);
    if (minEvents && counted.length < minEvents) continue;
    if (minEvents) parts.push(`${counted.length} event(s)`);
    reached.push({ name: tier.name, reason: parts.join(', ') + within });
  }
  return reached;
}

/**
 * What a profile keeps so that its tiers within `days` lapse as time passes, without a new event
 * (only while such a tier is reached: otherwise waiting changes nothing). `tiers`: the retailer's
 * tiers as of the re-index, in order (a change of them re-indexes every profile); `events`: the
 * facts of the events inside the widest of their windows then (they can only leave it). Tiers
 * without `days` do not change by waiting: they are read from those stored.
 */
export interface TierWindow {
  tiers: RiskTier[];
  events: TierFacts[];
}

/** The window to keep beside the tiers reached at `now` (undefined: time alone changes nothing). */
export function tierWindowOf(events: readonly TierFacts[], tiers: readonly RiskTier[], reached: readonly TierReached[], now: Date): TierWindow | undefined {
  const names = new Set(reached.map((t) => t.name));
  const widest = Math.max(0, ...tiers.filter((t) => t.when.days && names.has(t.name)).map((t) => t.when.days!));
  if (!widest) return undefined;
  const since = now.getTime() - widest * 86_400_000;
  return { tiers: [...tiers], events: events.filter((e) => Date.parse(e.occurredAt) >= since) };
}

/**
 * The tiers in force at `now`: those within `days` computed again over the window kept (linear in
 * its events, no settings read, no write), the others as stored at the re-index, in the tiers' order.
 */
export function riskTiersAt(stored: TierReached[], window: TierWindow | undefined, now: Date): TierReached[] {
  if (!window) return stored;
  const out: TierReached[] = [];
  for (const tier of window.tiers) {
    const reached = tier.when.days ? riskTiersOf(window.events, [tier], now)[0] : stored.find((t) => t.name === tier.name);
    if (reached) out.push(reached);
  }
  return out;
}
