import { Webhook } from 'standardwebhooks';
import { accessTo, type Access, type Agreement, type SharingFacts, type Viewer } from '../domain/sharing';
import type { RetailEvent } from '../domain/events/event-schema';
import type { Org } from '../domain/organisation';
import type { AuditDraft } from '../domain/audit-chain';
import { alertFactsOf, dailyDigest, eventReported, matchesFilter, nextAttemptAt, webhookIdFor, type AlertFacts } from '../domain/subscriptions';
import { openSecret } from '../adapters/secret-box';
import { postWebhook, type WebhookOutcome, type WebhookSendOptions } from '../adapters/webhook-sender';
import { enqueue } from '../adapters/queues';
import { settings } from '../config/settings';
import { appendAudit } from '../audit/audit-log';
import { readEvent, type VersionedEvent } from '../events/event-repository';
import { readProfiles, type ProfileDoc } from '../events/profile-repository';
import { getOrg, readOrgNow } from '../orgs/org-repository';
import { listAgreementsOf } from '../sharing/agreement-repository';
import { sharingFacts } from '../sharing/event-access';
import {
  addToDigest,
  agencySubscriptions,
  createDeliveryOnce,
  deliveryDocId,
  digestItems,
  digestSubscriptions,
  overdueDeliveries,
  readDelivery,
  readSubscription,
  saveDelivery,
  subscriptionsOf,
  type DeliveryDoc,
  type SubscriptionDoc,
} from './subscription-repository';
import { may } from '../domain/authorization';
import { riskTiersAt } from '../domain/risk-tiers';

/** What alerting reads, writes and sends: the repositories, the queue and the sender in the app, in-memory records in unit tests of this logic. */
export interface AlertDeliveryStore {
  /** Every sharing agreement the retailer is a party to, whatever its status. */
  listAgreementsOf(retailerId: string): Promise<Agreement[]>;
  /** An organisation's subscriptions, oldest first. */
  subscriptionsOf(orgId: string): Promise<SubscriptionDoc[]>;
  /** Every agency's subscriptions (any event may concern an agency), possibly a few seconds old. */
  agencySubscriptions(): Promise<SubscriptionDoc[]>;
  /** Digest subscriptions of every organisation, a page at a time. */
  digestSubscriptions(): AsyncIterable<SubscriptionDoc>;
  readSubscription(orgId: string, id: string): Promise<SubscriptionDoc | undefined>;
  /** A retailer subscriber's organisation (cached: its status may be a minute old). */
  getOrg(orgId: string): Promise<Org | undefined>;
  /** An agency subscriber's organisation as stored this moment, so a suspension applies at once. */
  readOrgNow(orgId: string): Promise<{ org: Org } | undefined>;
  /** What the sharing rule needs about the event for this viewer, read fresh (the owner's police default, an active agreement). */
  sharingFacts(viewer: Viewer, event: RetailEvent, storeJurisdiction: string): Promise<SharingFacts>;
  /** The event as stored now, or undefined when gone. */
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  /** Several profiles of one retailer (their risk tiers); absent ones and those being erased are left out. */
  readProfiles(retailerId: string, ids: readonly string[]): Promise<ProfileDoc[]>;
  /** Notes an event for a digest subscription's day; written again, nothing changes. */
  addToDigest(orgId: string, subscriptionId: string, day: string, event: { retailerId: string; eventId: string }): Promise<void>;
  /** The events noted for a digest subscription's day. */
  digestItems(orgId: string, subscriptionId: string, day: string): Promise<{ retailerId: string; eventId: string }[]>;
  /** Creates the delivery unless its id is taken: then the one stored (an alert worked out twice). */
  createDeliveryOnce(doc: DeliveryDoc): Promise<{ created: boolean; doc: DeliveryDoc }>;
  readDelivery(orgId: string, webhookId: string): Promise<DeliveryDoc | undefined>;
  /** Replaces the delivery if still at the version read (`_etag`): the new version, or undefined when another attempt moved it. */
  saveDelivery(doc: DeliveryDoc): Promise<DeliveryDoc | undefined>;
  /** Pending deliveries whose attempt is due before `cutoff` and did not happen (across organisations, a bounded page). */
  overdueDeliveries(cutoff: Date): Promise<{ orgId: string; webhookId: string }[]>;
  /** Puts a message on a queue, invisible for `visibleInSeconds` when given. */
  enqueue(queueName: string, message: unknown, options?: { visibleInSeconds?: number }): Promise<void>;
  /** The subscription's signing secret from its sealed form; throws while the key is unavailable. */
  openSecret(sealed: string): string;
  /** POSTs to the subscriber's URL, refusing addresses inside the network (the seams replace DNS and the connection in tests). */
  postWebhook(url: string, headers: Record<string, string>, body: string, seams: SendSeams): Promise<WebhookOutcome>;
  /** Appends an entry to an organisation's audit chain. */
  appendAudit(orgId: string, draft: AuditDraft): Promise<unknown>;
}

const cosmosRecords: AlertDeliveryStore = {
  listAgreementsOf,
  subscriptionsOf,
  agencySubscriptions,
  digestSubscriptions: () => digestSubscriptions(),
  readSubscription,
  getOrg,
  readOrgNow,
  sharingFacts,
  readEvent,
  readProfiles,
  addToDigest,
  digestItems,
  createDeliveryOnce,
  readDelivery,
  saveDelivery,
  overdueDeliveries: (cutoff) => overdueDeliveries(cutoff),
  enqueue,
  openSecret,
  // Read at each send, as before: a bad setting is a failed attempt, retried.
  postWebhook: (url, headers, body, seams) => postWebhook(url, headers, body, { allowLoopbackHttp: settings().WEBHOOK_ALLOW_LOOPBACK_HTTP, ...seams }),
  appendAudit: (orgId, draft) => appendAudit(orgId, draft),
};

/** Webhook deliveries wait here, one message per delivery; a retry goes back with its backoff as the message's delay. */
export const WEBHOOK_QUEUE = 'webhook-deliveries';

/** Events stored or corrected longer ago than this alert no one (a re-match of old events is not news). */
const NEWS_MS = 24 * 3600 * 1000;

/**
 * What the subscriber may see of the event, decided by the one sharing rule for the person who
 * subscribed, as things are now (an agency must be active); sensitive events reach only their own
 * retailer's Investigators (PRODUCT §6b).
 */
async function visibleTo(store: AlertDeliveryStore, sub: SubscriptionDoc, event: RetailEvent, storeJurisdiction: string): Promise<Access | null> {
  const org = sub.orgType === 'agency' ? (await store.readOrgNow(sub.orgId))?.org : await store.getOrg(sub.orgId);
  if (!org || org.status !== 'active') return null;
  const viewer: Viewer = { principal: { sub: sub.createdBy, orgId: sub.orgId, roles: sub.creatorRoles, stores: null, mfa: false }, org };
  const access = accessTo(viewer, await store.sharingFacts(viewer, event, storeJurisdiction));
  if (access && event.sensitive && !(access.relation === 'owner' && may({ roles: sub.creatorRoles }, 'alert.sensitive'))) return null;
  return access;
}

/** The event's facts for filters and payloads, its people's tiers as in force now (riskTiersAt). */
async function factsOf(store: AlertDeliveryStore, found: VersionedEvent, now = new Date()): Promise<AlertFacts> {
  const ids = [...new Set(found.event.people.map((p) => p.profileId).filter((id): id is string => Boolean(id)))];
  const profiles = ids.length ? await store.readProfiles(found.event.retailerId, ids) : [];
  const tiers = profiles.flatMap((p) => riskTiersAt(p.riskTiers ?? [], p.riskTierWindow, now).map((t) => t.name));
  return alertFactsOf(found.event, found.storeJurisdiction, [...new Set(tiers)].sort());
}

/** Test seams: the resolver and connector of the SSRF-checked sender. */
export type SendSeams = Pick<WebhookSendOptions, 'resolve' | 'connect'>;

/** How long an attempt holds a delivery: the POST's 10 s time-out with room to spare. */
const IN_FLIGHT_MS = 60_000;

/** Alerts to subscribers (PRODUCT §6b), over a store. */
export function alertDelivery(store: AlertDeliveryStore) {
  /**
   * After Connect the Dots has brought the event's profiles up to date (so their risk tiers are
   * current): every subscription that may hear of it — the retailer's own, every agency's, its
   * active partners' — and whose filter it passes gets a delivery (instant) or a line in
   * tomorrow's digest. Idempotent: a delivery is keyed by subscription and event version.
   */
  async function alertSubscribers(retailerId: string, found: VersionedEvent[], now = new Date()): Promise<number> {
    const news = found.filter((f) => !f.purging && now.getTime() - Date.parse(f.event.updatedAt) < NEWS_MS);
    if (!news.length) return 0;
    const partners = (await store.listAgreementsOf(retailerId)).filter((a) => a.status === 'active').flatMap((a) => a.parties.filter((p) => p !== retailerId));
    const subs = [...(await store.subscriptionsOf(retailerId)), ...(await store.agencySubscriptions()), ...(await Promise.all(partners.map((p) => store.subscriptionsOf(p)))).flat()];
    if (!subs.length) return 0;
    let alerted = 0;
    for (const f of news) {
      const facts = await factsOf(store, f, now);
      for (const sub of subs) {
        if (Date.parse(f.event.updatedAt) < Date.parse(sub.createdAt) || !matchesFilter(sub.filter, facts)) continue;
        if (!(await visibleTo(store, sub, f.event, f.storeJurisdiction))) continue;
        alerted += 1;
        if (sub.delivery.mode === 'digest') {
          await store.addToDigest(sub.orgId, sub.id, now.toISOString().slice(0, 10), { retailerId, eventId: f.event.id });
          continue;
        }
        await queueDelivery(store, sub, eventWebhookId(sub.id, f.event.id, facts.version), 'daybreak.event.reported', [f.event.id], {
          kind: 'event',
          retailerId,
          eventId: f.event.id,
          version: facts.version,
        }, now);
      }
    }
    return alerted;
  }

  /** The daily digest: one delivery per digest subscription with events on `day` (UTC, YYYY-MM-DD). */
  async function queueDigests(day: string, now = new Date()): Promise<{ digests: number }> {
    let digests = 0;
    for await (const sub of store.digestSubscriptions()) {
      const items = await store.digestItems(sub.orgId, sub.id, day);
      if (!items.length) continue;
      digests += 1;
      await queueDelivery(store, sub, webhookIdFor(sub.id, `digest:${day}`), 'daybreak.digest.daily', items.map((i) => i.eventId), { kind: 'digest', day }, now);
    }
    return { digests };
  }

  /**
   * One attempt at a delivery (the queue trigger): the payload is built now, from what the
   * subscriber may see now; signed per Standard Webhooks with the same webhook-id on every
   * attempt; on failure tried again with backoff for 24 hours, then `failed`. The attempt first
   * claims the delivery (a guarded write), so two messages for it never post at once; anything
   * that goes wrong after the claim (a store fault, the key unavailable) is a failed attempt with
   * its retry scheduled, not a message lost to the poison queue. Each delivered event is recorded
   * in its owner's chain.
   */
  async function attemptDelivery(message: { orgId: string; webhookId: string }, now = new Date(), seams: SendSeams = {}): Promise<DeliveryDoc['status'] | 'skipped'> {
    const found = await store.readDelivery(message.orgId, message.webhookId);
    if (!found || found.status !== 'pending') return 'skipped';
    // A copy ahead of its retry, or one meeting an attempt in flight: dropped (the sweep finds a delivery whose message was lost).
    if (found.nextAttemptAt && Date.parse(found.nextAttemptAt) - now.getTime() > 1_000) return 'skipped';
    if (found.inFlightUntil && Date.parse(found.inFlightUntil) > now.getTime()) return 'skipped';
    const doc = await store.saveDelivery({ ...found, inFlightUntil: new Date(now.getTime() + IN_FLIGHT_MS).toISOString() });
    if (!doc) return 'skipped';
    // An attempt is a try at sending: a delivery finished without one (its subscription, its visibility or its version gone) counts none.
    const attempt = { ...doc, attempts: doc.attempts + 1, firstAttemptAt: doc.firstAttemptAt ?? now.toISOString(), lastAttemptAt: now.toISOString() };
    let result: string;
    try {
      const sub = await store.readSubscription(doc.orgId, doc.subscriptionId);
      if (!sub) return await finish(store, doc, 'failed', 'subscription deleted');
      const shown = await payloadEvents(store, sub, doc);
      if (!shown.length) return await finish(store, doc, 'failed', 'no longer visible to the subscriber');
      // One webhook-id is one message: a version corrected since, which has a delivery of its own to
      // this subscriber, is not sent under this id too. Without one (an erasure changes the version
      // and alerts no one; a correction's matching may not have run yet), it is sent as it is now.
      if (doc.source.kind === 'event' && shown[0]!.facts.version !== doc.source.version) {
        const newer = eventWebhookId(sub.id, doc.source.eventId, shown[0]!.facts.version);
        if (await store.readDelivery(sub.orgId, newer)) return await finish(store, doc, 'failed', 'superseded by the delivery of a correction of the event');
      }
      const outcome = await send(store, sub, doc, shown, now, seams);
      result = outcome.kind === 'answered' ? `HTTP ${outcome.status}` : `${outcome.kind}: ${outcome.reason}`;
      if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
        for (const s of shown) {
          await store.appendAudit(s.retailerId, {
            actor: { sub: sub.createdBy, org: sub.orgId, roles: sub.creatorRoles },
            action: 'alert.delivered',
            target: { type: 'event', id: s.facts.eventId },
            outcome: 'success',
            requestId: doc.webhookId,
            details: {
              subscriptionId: sub.id,
              webhookId: doc.webhookId,
              relation: s.relation,
              ...(sub.purpose ? { legalBasis: sub.purpose.legalBasis, caseReference: sub.purpose.caseReference } : {}),
            },
          });
        }
        return await finish(store, attempt, 'delivered', result);
      }
    } catch (error) {
      result = `error: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
    }
    const next = nextAttemptAt(attempt.attempts, new Date(attempt.firstAttemptAt), now);
    if (!next) return finish(store, attempt, 'failed', result);
    if (!(await store.saveDelivery({ ...attempt, inFlightUntil: undefined, lastResult: result, nextAttemptAt: next.toISOString() }))) return 'skipped';
    await store.enqueue(WEBHOOK_QUEUE, message, { visibleInSeconds: (next.getTime() - now.getTime()) / 1000 });
    return 'pending';
  }

  /** Every few minutes: deliveries whose attempt is overdue by a minute (their message lost, an attempt crashed) go back on the queue. */
  async function sweepDeliveries(now = new Date()): Promise<{ requeued: number }> {
    const overdue = await store.overdueDeliveries(new Date(now.getTime() - 60_000));
    for (const d of overdue) await store.enqueue(WEBHOOK_QUEUE, { orgId: d.orgId, webhookId: d.webhookId });
    return { requeued: overdue.length };
  }

  return { alertSubscribers, queueDigests, attemptDelivery, sweepDeliveries };
}

export const { alertSubscribers, queueDigests, attemptDelivery, sweepDeliveries } = alertDelivery(cosmosRecords);

/** A subscriber's delivery of one version of an event. */
const eventWebhookId = (subscriptionId: string, eventId: string, version: string): string => webhookIdFor(subscriptionId, `event:${eventId}@${version}`);

async function queueDelivery(store: AlertDeliveryStore, sub: SubscriptionDoc, webhookId: string, type: string, eventIds: string[], source: DeliveryDoc['source'], now: Date): Promise<void> {
  const { created, doc } = await store.createDeliveryOnce({
    id: deliveryDocId(webhookId),
    orgId: sub.orgId,
    docType: 'delivery',
    subscriptionId: sub.id,
    webhookId,
    type,
    eventIds,
    source,
    status: 'pending',
    attempts: 0,
    firstAttemptAt: null,
    lastAttemptAt: null,
    lastResult: null,
    nextAttemptAt: null,
    createdAt: now.toISOString(),
  });
  // Worked out again before its first attempt (a crash after the record, before the message): send the message again.
  if (created || (doc.status === 'pending' && doc.attempts === 0)) await store.enqueue(WEBHOOK_QUEUE, { orgId: sub.orgId, webhookId });
}

async function send(store: AlertDeliveryStore, sub: SubscriptionDoc, doc: DeliveryDoc, shown: { facts: AlertFacts }[], now: Date, seams: SendSeams) {
  // The CloudEvent's time is when the delivery arose, the same on every retry; the attempt's own time is webhook-timestamp.
  const arose = new Date(doc.createdAt);
  const body = JSON.stringify(
    doc.source.kind === 'event'
      ? eventReported(doc.webhookId, shown[0]!.facts, arose)
      : dailyDigest(doc.webhookId, sub.id, doc.source.day, shown.map((s) => s.facts), arose),
  );
  const signature = new Webhook(store.openSecret(sub.sealedSecret)).sign(doc.webhookId, now, body);
  const headers = {
    'content-type': 'application/cloudevents+json; charset=utf-8',
    'webhook-id': doc.webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  };
  return store.postWebhook(sub.delivery.url, headers, body, seams);
}

async function finish(store: AlertDeliveryStore, doc: DeliveryDoc, status: 'delivered' | 'failed', result: string): Promise<DeliveryDoc['status'] | 'skipped'> {
  return (await store.saveDelivery({ ...doc, inFlightUntil: undefined, status, lastResult: result, nextAttemptAt: null })) ? status : 'skipped';
}

async function payloadEvents(store: AlertDeliveryStore, sub: SubscriptionDoc, doc: DeliveryDoc): Promise<{ retailerId: string; relation: string; facts: AlertFacts }[]> {
  const refs = doc.source.kind === 'event' ? [{ retailerId: doc.source.retailerId, eventId: doc.source.eventId }] : await store.digestItems(sub.orgId, sub.id, doc.source.day);
  const shown: { retailerId: string; relation: string; facts: AlertFacts }[] = [];
  for (const ref of refs) {
    const found = await store.readEvent(ref.retailerId, ref.eventId);
    if (!found || found.purging) continue;
    const access = await visibleTo(store, sub, found.event, found.storeJurisdiction);
    if (access) shown.push({ retailerId: ref.retailerId, relation: access.relation, facts: await factsOf(store, found) });
  }
  return shown;
}
