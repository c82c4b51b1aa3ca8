import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EventTypeSchema, type RetailEvent } from './events/event-schema';
import { JurisdictionSchema, StoreIdSchema } from './organisation';
import { RiskTierSchema } from './risk-tiers';

/** Alert subscriptions and what their webhooks carry (PRODUCT §6b). */

export const SubscriptionFilterSchema = z
  .object({
    jurisdictions: z.array(JurisdictionSchema).min(1).max(50).optional(),
    storeIds: z.array(StoreIdSchema).min(1).max(200).optional(),
    types: z.array(EventTypeSchema).min(1).max(50).optional(),
    riskTiers: z.array(RiskTierSchema.shape.name).min(1).max(20).optional(),
    /** At least this much violence: threatened (or used), used, or a weapon. */
    violence: z.enum(['threatened', 'used', 'weapon']).optional(),
    minLossValue: z.number().min(0).max(1_000_000_000).optional(),
  })
  .strict();
export type SubscriptionFilter = z.infer<typeof SubscriptionFilterSchema>;

export const DeliverySchema = z.object({ mode: z.enum(['instant', 'digest']), url: z.string().min(1).max(2048) }).strict();

export const SubscriptionInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    filter: SubscriptionFilterSchema.default({}),
    delivery: DeliverySchema,
  })
  .strict().meta({ id: 'SubscriptionInput' });
export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;

export const SubscriptionSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  filter: SubscriptionFilterSchema,
  delivery: DeliverySchema,
  createdAt: z.string(),
  createdBy: z.string(),
}).meta({ id: 'Subscription' });
export type Subscription = z.infer<typeof SubscriptionSchema>;

/** What a new subscription answers, once: the signing secret (Standard Webhooks `whsec_…`). */
export const SubscriptionCreatedSchema = SubscriptionSchema.extend({ secret: z.string() }).meta({ id: 'SubscriptionCreated' });

export const DeliveryRecordSchema = z.object({
  webhookId: z.string(),
  type: z.string(),
  eventIds: z.array(z.string()),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  /** The receiver's HTTP status, or why no answer came (refused address, timeout). */
  lastResult: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
}).meta({ id: 'Delivery' });
export type DeliveryRecord = z.infer<typeof DeliveryRecordSchema>;

/** What the filter and the payload need to know of an event: no names, descriptions or free text. */
export interface AlertFacts {
  eventId: string;
  retailerId: string;
  storeId: string;
  jurisdiction: string;
  type: string;
  occurredAt: string;
  lossValue: number;
  violence: { threatened: boolean; used: boolean; weapon: string } | null;
  riskTiers: string[];
  profileIds: string[];
  version: string;
}

export function alertFactsOf(event: RetailEvent, jurisdiction: string, riskTiers: string[]): AlertFacts {
  const loss = event.prevented ? 0 : (event.products ?? []).reduce((sum, p) => sum + p.quantity * p.unitValue, 0);
  return {
    eventId: event.id,
    retailerId: event.retailerId,
    storeId: event.storeId,
    jurisdiction,
    type: event.type,
    occurredAt: event.occurredAt,
    lossValue: Math.round(loss * 100) / 100,
    violence: event.violence ?? null,
    riskTiers,
    profileIds: [...new Set(event.people.map((p) => p.profileId).filter((id): id is string => Boolean(id)))],
    version: event.updatedAt,
  };
}

export function matchesFilter(filter: SubscriptionFilter, facts: AlertFacts): boolean {
  if (filter.jurisdictions && !filter.jurisdictions.includes(facts.jurisdiction)) return false;
  if (filter.storeIds && !filter.storeIds.includes(facts.storeId)) return false;
  if (filter.types && !filter.types.includes(facts.type as never)) return false;
  if (filter.riskTiers && !filter.riskTiers.some((t) => facts.riskTiers.includes(t))) return false;
  if (filter.minLossValue !== undefined && facts.lossValue < filter.minLossValue) return false;
  const v = facts.violence;
  if (filter.violence === 'threatened' && !(v && (v.threatened || v.used))) return false;
  if (filter.violence === 'used' && !v?.used) return false;
  if (filter.violence === 'weapon' && !(v && v.weapon !== 'none')) return false;
  return true;
}

/** One id per subscription and version of an event: the same on every retry (Standard Webhooks `webhook-id`). */
export const webhookIdFor = (subscriptionId: string, key: string): string =>
  `msg_${createHash('sha256').update(`${subscriptionId}\n${key}`).digest('base64url').slice(0, 27)}`;

export interface CloudEvent<T> {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** The alert's payload: ids, places, figures and flags only. */
export function eventReported(id: string, facts: AlertFacts, at: Date): CloudEvent<Omit<AlertFacts, 'version'> & { version: string }> {
  return {
    specversion: '1.0',
    id,
    type: 'daybreak.event.reported',
    source: `/daybreak/retailers/${facts.retailerId}`,
    subject: facts.eventId,
    time: at.toISOString(),
    datacontenttype: 'application/json',
    data: facts,
  };
}

export function dailyDigest(id: string, subscriptionId: string, day: string, events: AlertFacts[], at: Date): CloudEvent<{ subscriptionId: string; day: string; events: AlertFacts[] }> {
  return {
    specversion: '1.0',
    id,
    type: 'daybreak.digest.daily',
    source: `/daybreak/subscriptions/${subscriptionId}`,
    time: at.toISOString(),
    datacontenttype: 'application/json',
    data: { subscriptionId, day, events },
  };
}

/** Retries for 24 hours: about 5 s, 30 s, 2 min, 10 min, 30 min, then hourly, each ±20 %. */
const RETRY_DELAYS_S = [5, 30, 120, 600, 1800, 3600];
export const RETRY_FOR_MS = 24 * 3600 * 1000;

/** When to try again after `attempts` failed attempts, or null when the 24 hours since `firstAt` are spent. */
export function nextAttemptAt(attempts: number, firstAt: Date, now: Date, random: () => number = Math.random): Date | null {
  const base = RETRY_DELAYS_S[Math.min(attempts - 1, RETRY_DELAYS_S.length - 1)]! * 1000;
  const next = new Date(now.getTime() + base * (0.8 + 0.4 * random()));
  return next.getTime() - firstAt.getTime() > RETRY_FOR_MS ? null : next;
}
