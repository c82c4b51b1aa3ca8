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

/** The tiers a profile reaches from a moment on: time alone changes them (riskTierChanges). */
export interface TierChange {
  at: string;
  riskTiers: TierReached[];
}

/** Most changes kept ahead: a profile with more events leaving windows shows the last one's tiers after. */
const MAX_CHANGES = 100;

/**
 * How the tiers reached now change as time passes, without a new event: each moment an event
 * counted by a reached tier with `days` leaves its window, the tiers (and their reasons' counts)
 * from then on, where they differ from before. Time only takes events out of windows (they are in
 * the past), so a tier not reached cannot be reached by waiting; one reached may lapse. Computed at
 * each re-index, so a read needs neither the settings nor a write (riskTiersAt).
 */
export function riskTierChanges(events: readonly TierFacts[], tiers: readonly RiskTier[], reached: readonly TierReached[], now: Date): TierChange[] {
  const changes: TierChange[] = [];
  let current = reached;
  const windowed = tiers.filter((t) => t.when.days);
  const exits = [...new Set(windowed.flatMap((t) => events.map((e) => Date.parse(e.occurredAt) + t.when.days! * 86_400_000)))]
    .filter((t) => t >= now.getTime())
    .sort((a, b) => a - b);
  for (const exit of exits) {
    if (changes.length >= MAX_CHANGES || !windowed.some((t) => current.some((r) => r.name === t.name))) break;
    // An event counts while occurredAt >= now - days: it has left once the clock is past its exit.
    const at = new Date(exit + 1);
    const next = riskTiersOf([...events], [...tiers], at);
    if (JSON.stringify(next) === JSON.stringify(current)) continue;
    changes.push({ at: at.toISOString(), riskTiers: next });
    current = next;
  }
  return changes;
}

/** The tiers in force at `now`: the last change already reached, else those stored at the re-index. */
export function riskTiersAt(stored: TierReached[], changes: readonly TierChange[] | undefined, now: Date): TierReached[] {
  let tiers = stored;
  for (const c of changes ?? []) if (Date.parse(c.at) <= now.getTime()) tiers = c.riskTiers;
  return tiers;
}
