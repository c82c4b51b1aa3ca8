import { Webhook } from 'standardwebhooks';
import { accessTo, type Access, type Viewer } from '../domain/sharing';
import type { RetailEvent } from '../domain/events/event-schema';
import { alertFactsOf, dailyDigest, eventReported, matchesFilter, nextAttemptAt, webhookIdFor, type AlertFacts } from '../domain/subscriptions';
import { openSecret } from '../adapters/secret-box';
import { postWebhook, type WebhookSendOptions } from '../adapters/webhook-sender';
import { enqueue } from '../adapters/queues';
import { settings } from '../config/settings';
import { appendAudit } from '../audit/audit-log';
import { readEvent, type VersionedEvent } from '../events/event-repository';
import { readProfiles } from '../events/profile-repository';
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

/** Webhook deliveries wait here, one message per delivery; a retry goes back with its backoff as the message's delay. */
export const WEBHOOK_QUEUE = 'webhook-deliveries';

/** Events stored or corrected longer ago than this alert no one (a re-match of old events is not news). */
const NEWS_MS = 24 * 3600 * 1000;

/**
 * What the subscriber may see of the event, decided by the one sharing rule for the person who
 * subscribed, as things are now (an agency must be active); sensitive events reach only their own
 * retailer's Investigators (PRODUCT §6b).
 */
async function visibleTo(sub: SubscriptionDoc, event: RetailEvent, storeJurisdiction: string): Promise<Access | null> {
  const org = sub.orgType === 'agency' ? (await readOrgNow(sub.orgId))?.org : await getOrg(sub.orgId);
  if (!org || org.status !== 'active') return null;
  const viewer: Viewer = { principal: { sub: sub.createdBy, orgId: sub.orgId, roles: sub.creatorRoles, stores: null, mfa: false }, org };
  const access = accessTo(viewer, await sharingFacts(viewer, event, storeJurisdiction));
  if (access && event.sensitive && !(access.relation === 'owner' && may({ roles: sub.creatorRoles }, 'alert.sensitive'))) return null;
  return access;
}

async function factsOf(found: VersionedEvent): Promise<AlertFacts> {
  const ids = [...new Set(found.event.people.map((p) => p.profileId).filter((id): id is string => Boolean(id)))];
  const profiles = ids.length ? await readProfiles(found.event.retailerId, ids) : [];
  return alertFactsOf(found.event, found.storeJurisdiction, [...new Set(profiles.flatMap((p) => p.riskTierNames ?? []))].sort());
}

/**
 * After Connect the Dots has brought the event's profiles up to date (so their risk tiers are
 * current): every subscription that may hear of it — the retailer's own, every agency's, its
 * active partners' — and whose filter it passes gets a delivery (instant) or a line in
 * tomorrow's digest. Idempotent: a delivery is keyed by subscription and event version.
 */
export async function alertSubscribers(retailerId: string, found: VersionedEvent[], now = new Date()): Promise<number> {
  const news = found.filter((f) => !f.purging && now.getTime() - Date.parse(f.event.updatedAt) < NEWS_MS);
  if (!news.length) return 0;
  const partners = (await listAgreementsOf(retailerId)).filter((a) => a.status === 'active').flatMap((a) => a.parties.filter((p) => p !== retailerId));
  const subs = [...(await subscriptionsOf(retailerId)), ...(await agencySubscriptions()), ...(await Promise.all(partners.map(subscriptionsOf))).flat()];
  if (!subs.length) return 0;
  let alerted = 0;
  for (const f of news) {
    const facts = await factsOf(f);
    for (const sub of subs) {
      if (Date.parse(f.event.updatedAt) < Date.parse(sub.createdAt) || !matchesFilter(sub.filter, facts)) continue;
      if (!(await visibleTo(sub, f.event, f.storeJurisdiction))) continue;
      alerted += 1;
      if (sub.delivery.mode === 'digest') {
        await addToDigest(sub.orgId, sub.id, now.toISOString().slice(0, 10), { retailerId, eventId: f.event.id });
        continue;
      }
      await queueDelivery(sub, webhookIdFor(sub.id, `event:${f.event.id}@${facts.version}`), 'daybreak.event.reported', [f.event.id], {
        kind: 'event',
        retailerId,
        eventId: f.event.id,
        version: facts.version,
      }, now);
    }
  }
  return alerted;
}

async function queueDelivery(sub: SubscriptionDoc, webhookId: string, type: string, eventIds: string[], source: DeliveryDoc['source'], now: Date): Promise<void> {
  const { created, doc } = await createDeliveryOnce({
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
  if (created || (doc.status === 'pending' && doc.attempts === 0)) await enqueue(WEBHOOK_QUEUE, { orgId: sub.orgId, webhookId });
}

/** The daily digest: one delivery per digest subscription with events on `day` (UTC, YYYY-MM-DD). */
export async function queueDigests(day: string, now = new Date()): Promise<{ digests: number }> {
  let digests = 0;
  for await (const sub of digestSubscriptions()) {
    const items = await digestItems(sub.orgId, sub.id, day);
    if (!items.length) continue;
    digests += 1;
    await queueDelivery(sub, webhookIdFor(sub.id, `digest:${day}`), 'daybreak.digest.daily', items.map((i) => i.eventId), { kind: 'digest', day }, now);
  }
  return { digests };
}

/** Test seams: the resolver and connector of the SSRF-checked sender. */
export type SendSeams = Pick<WebhookSendOptions, 'resolve' | 'connect'>;

/** How long an attempt holds a delivery: the POST's 10 s time-out with room to spare. */
const IN_FLIGHT_MS = 60_000;

/**
 * One attempt at a delivery (the queue trigger): the payload is built now, from what the
 * subscriber may see now; signed per Standard Webhooks with the same webhook-id on every
 * attempt; on failure tried again with backoff for 24 hours, then `failed`. The attempt first
 * claims the delivery (a guarded write), so two messages for it never post at once; anything
 * that goes wrong after the claim (a store fault, the key unavailable) is a failed attempt with
 * its retry scheduled, not a message lost to the poison queue. Each delivered event is recorded
 * in its owner's chain.
 */
export async function attemptDelivery(message: { orgId: string; webhookId: string }, now = new Date(), seams: SendSeams = {}): Promise<DeliveryDoc['status'] | 'skipped'> {
  const found = await readDelivery(message.orgId, message.webhookId);
  if (!found || found.status !== 'pending') return 'skipped';
  // A copy ahead of its retry, or one meeting an attempt in flight: dropped (the sweep finds a delivery whose message was lost).
  if (found.nextAttemptAt && Date.parse(found.nextAttemptAt) - now.getTime() > 1_000) return 'skipped';
  if (found.inFlightUntil && Date.parse(found.inFlightUntil) > now.getTime()) return 'skipped';
  const doc = await saveDelivery({ ...found, inFlightUntil: new Date(now.getTime() + IN_FLIGHT_MS).toISOString() });
  if (!doc) return 'skipped';
  const attempt = { ...doc, attempts: doc.attempts + 1, firstAttemptAt: doc.firstAttemptAt ?? now.toISOString(), lastAttemptAt: now.toISOString() };
  let result: string;
  try {
    const sub = await readSubscription(doc.orgId, doc.subscriptionId);
    if (!sub) return await finish(attempt, 'failed', 'subscription deleted');
    const shown = await payloadEvents(sub, doc);
    if (!shown.length) return await finish(attempt, 'failed', 'no longer visible to the subscriber');
    const outcome = await send(sub, doc, shown, now, seams);
    result = outcome.kind === 'answered' ? `HTTP ${outcome.status}` : `${outcome.kind}: ${outcome.reason}`;
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
      for (const s of shown) {
        await appendAudit(s.retailerId, {
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
      return await finish(attempt, 'delivered', result);
    }
  } catch (error) {
    result = `error: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
  }
  const next = nextAttemptAt(attempt.attempts, new Date(attempt.firstAttemptAt), now);
  if (!next) return finish(attempt, 'failed', result);
  if (!(await saveDelivery({ ...attempt, inFlightUntil: undefined, lastResult: result, nextAttemptAt: next.toISOString() }))) return 'skipped';
  await enqueue(WEBHOOK_QUEUE, message, { visibleInSeconds: (next.getTime() - now.getTime()) / 1000 });
  return 'pending';
}

async function send(sub: SubscriptionDoc, doc: DeliveryDoc, shown: { facts: AlertFacts }[], now: Date, seams: SendSeams) {
  const body = JSON.stringify(
    doc.source.kind === 'event'
      ? eventReported(doc.webhookId, shown[0]!.facts, now)
      : dailyDigest(doc.webhookId, sub.id, doc.source.day, shown.map((s) => s.facts), now),
  );
  const signature = new Webhook(openSecret(sub.sealedSecret)).sign(doc.webhookId, now, body);
  const headers = {
    'content-type': 'application/cloudevents+json; charset=utf-8',
    'webhook-id': doc.webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  };
  return postWebhook(sub.delivery.url, headers, body, { allowLoopbackHttp: settings().WEBHOOK_ALLOW_LOOPBACK_HTTP, ...seams });
}

async function finish(doc: DeliveryDoc, status: 'delivered' | 'failed', result: string): Promise<DeliveryDoc['status'] | 'skipped'> {
  return (await saveDelivery({ ...doc, inFlightUntil: undefined, status, lastResult: result, nextAttemptAt: null })) ? status : 'skipped';
}

/** Every few minutes: deliveries whose attempt is overdue by a minute (their message lost, an attempt crashed) go back on the queue. */
export async function sweepDeliveries(now = new Date()): Promise<{ requeued: number }> {
  const overdue = await overdueDeliveries(new Date(now.getTime() - 60_000));
  for (const d of overdue) await enqueue(WEBHOOK_QUEUE, { orgId: d.orgId, webhookId: d.webhookId });
  return { requeued: overdue.length };
}

async function payloadEvents(sub: SubscriptionDoc, doc: DeliveryDoc): Promise<{ retailerId: string; relation: string; facts: AlertFacts }[]> {
  const refs = doc.source.kind === 'event' ? [{ retailerId: doc.source.retailerId, eventId: doc.source.eventId }] : await digestItems(sub.orgId, sub.id, doc.source.day);
  const shown: { retailerId: string; relation: string; facts: AlertFacts }[] = [];
  for (const ref of refs) {
    const found = await readEvent(ref.retailerId, ref.eventId);
    if (!found || found.purging) continue;
    const access = await visibleTo(sub, found.event, found.storeJurisdiction);
    if (access) shown.push({ retailerId: ref.retailerId, relation: access.relation, facts: await factsOf(found) });
  }
  return shown;
}
