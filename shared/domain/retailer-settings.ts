import { z } from 'zod';
import { DEFAULT_RISK_TIERS, RiskTiersSchema } from './risk-tiers';

export const RetailerSettingsSchema = z
  .object({
    retentionDays: z.number().int().min(30).max(3650),
    policeSharing: z.enum(['none', 'jurisdiction', 'all']),
    connectTheDots: z.object({ crossRetailer: z.boolean(), imageMatching: z.boolean() }).strict(),
    lprAlerts: z
      .object({
        minEvents: z.number().int().min(1).max(1000),
        violentOnly: z.boolean(),
        minLossValue: z.number().min(0).max(1_000_000_000),
      })
      .strict(),
    /** Named criteria over a profile's events (PRODUCT §6b); a change applies as each profile is next re-indexed. */
    riskTiers: RiskTiersSchema,
  })
  .strict().meta({ id: 'RetailerSettings' });
export type RetailerSettings = z.infer<typeof RetailerSettingsSchema>;

/** Events that occurred before this instant are expired (PRODUCT §7): the retention sweep's cutoff. */
export function retentionCutoff(settings: Pick<RetailerSettings, 'retentionDays'>, now: Date): Date {
  return new Date(now.getTime() - settings.retentionDays * 86_400_000);
}

export const DEFAULT_SETTINGS: RetailerSettings = {
  retentionDays: 730,
  policeSharing: 'jurisdiction',
  connectTheDots: { crossRetailer: false, imageMatching: false },
  lprAlerts: { minEvents: 1, violentOnly: false, minLossValue: 0 },
  riskTiers: DEFAULT_RISK_TIERS,
};

/** Settings stored before a setting existed take its default. */
export const withDefaults = (stored: Partial<RetailerSettings>): RetailerSettings => ({ ...DEFAULT_SETTINGS, ...stored });

/**
 * PUT /settings takes any subset (nested groups too) and leaves the rest as it was, so an
 * admin changing retention cannot silently reset sharing to a default.
 */
export const SettingsUpdateSchema = z
  .object({
    retentionDays: RetailerSettingsSchema.shape.retentionDays.optional(),
    policeSharing: RetailerSettingsSchema.shape.policeSharing.optional(),
    connectTheDots: RetailerSettingsSchema.shape.connectTheDots.partial().strict().optional(),
    lprAlerts: RetailerSettingsSchema.shape.lprAlerts.partial().strict().optional(),
    /** The whole list: tiers are replaced, not merged. */
    riskTiers: RiskTiersSchema.optional(),
  })
  .strict().meta({ id: 'SettingsUpdate' });
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

export function applySettingsUpdate(current: RetailerSettings, update: SettingsUpdate): RetailerSettings {
  return {
    retentionDays: update.retentionDays ?? current.retentionDays,
    policeSharing: update.policeSharing ?? current.policeSharing,
    connectTheDots: { ...current.connectTheDots, ...update.connectTheDots },
    lprAlerts: { ...current.lprAlerts, ...update.lprAlerts },
    riskTiers: update.riskTiers ?? current.riskTiers,
  };
}

/** Names of the top-level settings whose value changed: what the audit entry records. */
export function changedSettings(before: RetailerSettings, after: RetailerSettings): string[] {
  return (Object.keys(after) as (keyof RetailerSettings)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
}
