import type { Role } from '../domain/principal';
import type { Purpose } from '../domain/police-purpose';
import type { OrgType } from '../domain/organisation';
import type { DeliveryRecord, Subscription } from '../domain/subscriptions';
import { deleteOperation } from '../adapters/cosmos-batch';
import { container, readIfExists, withoutSystemProperties, queryAll } from '../adapters/cosmos-containers';
import { isConflict, isPreconditionFailed } from '../adapters/cosmos-errors';
import { createAudited, writeAudited, type OutboxEntry } from '../audit/audit-outbox-repository';

/*
 * One container, partitioned by the subscriber's organisation: its subscriptions, their
 * deliveries ("delivery:<webhook id>") and the events waiting for tomorrow's digest
 * ("digest:<subscription>:<day>:<event>", one document each, so no two alerts contend).
 */

export interface SubscriptionDoc extends Subscription {
  docType: 'subscription';
  /** The signing secret, sealed (secret-box.ts): never read back through the API. */
  sealedSecret: string;
  /** Who subscribed, as visibility is decided for them at delivery time. */
  orgType: OrgType;
  creatorRoles: Role[];
  /** A police subscriber's stated legal basis and case reference, when given: on every delivery's audit entry. */
  purpose?: Purpose;
}

export interface DeliveryDoc extends DeliveryRecord {
  id: string;
  orgId: string;
  docType: 'delivery';
  subscriptionId: string;
  /** The event (instant) or the day (digest) the payload is built from, at delivery time. */
  source: { kind: 'event'; retailerId: string; eventId: string; version: string } | { kind: 'digest'; day: string };
  firstAttemptAt: string | null;
  /** An attempt holds the delivery until then (a second message for it waits its turn). */
  inFlightUntil?: string;
  _etag?: string;
}

const inOutbox = (entry: Omit<OutboxEntry, 'where'>) => ({ ...entry, where: 'subscriptions-audit-outbox' as const });
const view = (doc: SubscriptionDoc): SubscriptionDoc => withoutSystemProperties(doc);

/** False when a subscription of its id was there already (an attempt of the same Idempotency-Key). */
export async function insertSubscription(doc: SubscriptionDoc, audit: Omit<OutboxEntry, 'where'>): Promise<boolean> {
  const created = await createAudited(doc.orgId, doc, inOutbox(audit));
  agencyCache = undefined;
  return created;
}

export async function readSubscription(orgId: string, id: string): Promise<SubscriptionDoc | undefined> {
  const doc = await readIfExists<SubscriptionDoc>('subscriptions', orgId, id);
  return doc?.docType === 'subscription' ? view(doc) : undefined;
}

/** Deletes it with its audit entry; false when it was already gone. */
export async function removeSubscription(orgId: string, id: string, audit: Omit<OutboxEntry, 'where'>): Promise<boolean> {
  agencyCache = undefined;
  return Boolean(await writeAudited(orgId, [deleteOperation(id)], inOutbox(audit)));
}

export async function subscriptionsOf(orgId: string): Promise<SubscriptionDoc[]> {
  const resources = await queryAll<SubscriptionDoc>('subscriptions', orgId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'subscription'", { orgId });
  return resources.map(view).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Agencies' subscriptions are few and any event may concern them: one query across partitions, kept 10 s per process. */
let agencyCache: { at: number; subs: SubscriptionDoc[] } | undefined;
export async function agencySubscriptions(): Promise<SubscriptionDoc[]> {
  if (agencyCache && Date.now() - agencyCache.at < 10_000) return agencyCache.subs;
  const { resources } = await container('subscriptions')
    .items.query<SubscriptionDoc>({ query: "SELECT * FROM c WHERE c.docType = 'subscription' AND c.orgType = 'agency'" })
    .fetchAll();
  agencyCache = { at: Date.now(), subs: resources.map(view) };
  return agencyCache.subs;
}

/** Digest subscriptions of every organisation, a page at a time (the daily timer). */
export async function* digestSubscriptions(pageSize = 200): AsyncGenerator<SubscriptionDoc> {
  const iterator = container('subscriptions').items.query<SubscriptionDoc>(
    { query: "SELECT * FROM c WHERE c.docType = 'subscription' AND c.delivery.mode = 'digest'" },
    { maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) for (const doc of (await iterator.fetchNext()).resources ?? []) yield view(doc);
}

export const deliveryDocId = (webhookId: string) => `delivery:${webhookId}`;

/** Creates the delivery unless it exists: the existing one when it does (an alert worked out twice). */
export async function createDeliveryOnce(doc: DeliveryDoc): Promise<{ created: boolean; doc: DeliveryDoc }> {
  try {
    await container('subscriptions').items.create(doc);
    return { created: true, doc };
  } catch (error) {
    if (!isConflict(error)) throw error;
    return { created: false, doc: (await readDelivery(doc.orgId, doc.webhookId))! };
  }
}

export async function readDelivery(orgId: string, webhookId: string): Promise<DeliveryDoc | undefined> {
  return readIfExists<DeliveryDoc>('subscriptions', orgId, deliveryDocId(webhookId));
}

/** Replaces the delivery if it is still the version read: the new version, or undefined when another attempt changed it. */
export async function saveDelivery(doc: DeliveryDoc): Promise<DeliveryDoc | undefined> {
  const { _etag, ...body } = doc;
  try {
    const { resource } = await container('subscriptions')
      .item(doc.id, doc.orgId)
      .replace(withoutSystemProperties(body), _etag ? { accessCondition: { type: 'IfMatch', condition: _etag } } : {});
    return { ...(body as DeliveryDoc), _etag: resource?._etag };
  } catch (error) {
    if (isPreconditionFailed(error)) return undefined;
    throw error;
  }
}

/**
 * Deliveries that should have been attempted by now and were not (a retry message lost, an
 * attempt that crashed in flight): across partitions, for the sweep. At most `max`.
 */
export async function overdueDeliveries(cutoff: Date, max = 200): Promise<{ orgId: string; webhookId: string }[]> {
  const at = cutoff.toISOString();
  const { resources } = await container('subscriptions')
    .items.query<{ orgId: string; webhookId: string }>({
      query:
        `SELECT TOP ${max} c.orgId, c.webhookId FROM c WHERE c.docType = 'delivery' AND c.status = 'pending' AND ` +
        '((IS_DEFINED(c.inFlightUntil) AND c.inFlightUntil < @at) OR (c.nextAttemptAt != null AND c.nextAttemptAt < @at) OR (c.attempts = 0 AND c.createdAt < @at))',
      parameters: [{ name: '@at', value: at }],
    })
    .fetchAll();
  return resources;
}

export async function recentDeliveries(orgId: string, subscriptionId: string, max = 50): Promise<DeliveryDoc[]> {
  return queryAll<DeliveryDoc>('subscriptions', orgId, `SELECT TOP ${max} * FROM c WHERE c.orgId = @orgId AND c.docType = 'delivery' AND c.subscriptionId = @sub ORDER BY c.createdAt DESC`, { orgId, sub: subscriptionId });
}

/** Notes an event for a digest subscription's day (one blind write; written again, nothing changes). */
export async function addToDigest(orgId: string, subscriptionId: string, day: string, event: { retailerId: string; eventId: string }): Promise<void> {
  await container('subscriptions').items.upsert({ id: `digest:${subscriptionId}:${day}:${event.retailerId}:${event.eventId}`, orgId, docType: 'digest-item', subscriptionId, day, ...event });
}

export async function digestItems(orgId: string, subscriptionId: string, day: string): Promise<{ retailerId: string; eventId: string }[]> {
  return queryAll<{ retailerId: string; eventId: string }>('subscriptions', orgId, "SELECT c.retailerId, c.eventId FROM c WHERE c.orgId = @orgId AND c.docType = 'digest-item' AND c.subscriptionId = @sub AND c.day = @day", { orgId, sub: subscriptionId, day });
}
