import { createHmac } from 'node:crypto';
import { alertDelivery, WEBHOOK_QUEUE, type AlertDeliveryStore } from '../../../shared/alerts/alert-delivery';
import { deliveryDocId, type DeliveryDoc, type SubscriptionDoc } from '../../../shared/alerts/subscription-repository';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import { eventAccess } from '../../../shared/sharing/event-access';
import type { WebhookOutcome } from '../../../shared/adapters/webhook-sender';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import { buildEvent } from '../../../shared/domain/events/event-rules';
import { EventInputSchema, type RetailEvent } from '../../../shared/domain/events/event-schema';
import type { Org } from '../../../shared/domain/organisation';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import type { Agreement, Viewer } from '../../../shared/domain/sharing';
import { webhookIdFor, type SubscriptionFilter } from '../../../shared/domain/subscriptions';

/**
 * Alerts over subscriptions, deliveries, events and profiles in memory: who hears of an event,
 * that a second run sends nothing twice, and what one attempt at a delivery does (sign, post,
 * audit, retry, give up). The sharing rule, filters, payloads and backoff are the domain's own
 * (sharingFacts too, over these records); only storage, the queue and the POST are faked. The
 * repositories, the queue trigger and the SSRF-checked sender run against the emulator in
 * test/integration/app/alerts.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
/** Alerts are worked out a minute after the event is stored. */
const SOON = new Date(NOW.getTime() + 60_000);
const SECRET = `whsec_${Buffer.from('a'.repeat(32)).toString('base64')}`;

const org = (id: string, type: Org['type'], status: Org['status'] = 'active'): Org => ({ id, type, name: id, jurisdictions: type === 'agency' ? ['NZ-AUK'] : [], createdAt: '2026-01-01T00:00:00Z', createdBy: 'admin', status });

class Records implements AlertDeliveryStore {
  orgs = new Map<string, Org>([
    ['shop', org('shop', 'retailer')],
    ['partner', org('partner', 'retailer')],
    ['stranger', org('stranger', 'retailer')],
    ['police', org('police', 'agency')],
  ]);
  settings = new Map<string, RetailerSettings>([['shop', structuredClone(DEFAULT_SETTINGS)]]);
  agreements: Agreement[] = [
    { id: 'a1', parties: ['shop', 'partner'], proposedBy: 'shop', partnerRetailerId: 'partner', status: 'active', createdAt: '2026-01-01T00:00:00Z', acceptedAt: '2026-01-02T00:00:00Z', revokedAt: null, revokedBy: null },
  ];
  subs: SubscriptionDoc[] = [];
  /** "retailer|id" → the event. */
  events = new Map<string, VersionedEvent>();
  /** "retailer|id" → the profile. */
  profiles = new Map<string, ProfileDoc>();
  /** Digest lines under the repository's own ids. */
  digest = new Map<string, { orgId: string; subscriptionId: string; day: string; retailerId: string; eventId: string }>();
  /** "org|doc id" → the delivery, with its version. */
  deliveries = new Map<string, DeliveryDoc>();
  queue: { queueName: string; message: unknown; options?: { visibleInSeconds?: number } }[] = [];
  posts: { url: string; headers: Record<string, string>; body: string }[] = [];
  /** What the receiver answers, in turn (then 204). */
  answers: WebhookOutcome[] = [];
  /** Runs while a POST is in flight (another message for the same delivery, say). */
  duringPost?: () => Promise<void>;
  audit: { orgId: string; draft: AuditDraft }[] = [];
  keyUnavailable = false;
  private version = 0;

  private access = eventAccess({
    getOrg: async (id) => this.orgs.get(id),
    getSettings: async (retailerId) => ({ settings: structuredClone(this.settings.get(retailerId) ?? DEFAULT_SETTINGS) }),
    agreementIsActive: async (a, b) => this.agreements.some((x) => x.status === 'active' && x.parties.includes(a) && x.parties.includes(b)),
    readEvent: async (retailerId, id) => this.readEvent(retailerId, id),
    findEventAnywhere: async () => undefined,
    auditFor: async () => undefined,
  });

  listAgreementsOf = async (retailerId: string) => structuredClone(this.agreements.filter((a) => a.parties.includes(retailerId)));
  subscriptionsOf = async (orgId: string) => structuredClone(this.subs.filter((s) => s.orgId === orgId));
  agencySubscriptions = async () => structuredClone(this.subs.filter((s) => s.orgType === 'agency'));
  digestSubscriptions = async function* (this: Records) {
    for (const s of this.subs.filter((x) => x.delivery.mode === 'digest')) yield structuredClone(s);
  };
  readSubscription = async (orgId: string, id: string) => structuredClone(this.subs.find((s) => s.orgId === orgId && s.id === id));
  /** As the repository: cached in the process, so a change made since may not be seen (readOrgNow sees it). */
  private orgCache = new Map<string, Org | undefined>();
  getOrg = async (orgId: string) => {
    if (!this.orgCache.has(orgId)) this.orgCache.set(orgId, structuredClone(this.orgs.get(orgId)));
    return structuredClone(this.orgCache.get(orgId));
  };
  readOrgNow = async (orgId: string) => (this.orgs.has(orgId) ? { org: structuredClone(this.orgs.get(orgId)!), etag: '"o"' } : undefined);
  sharingFacts = (viewer: Viewer, event: RetailEvent, storeJurisdiction: string) => this.access.sharingFacts(viewer, event, storeJurisdiction);
  readEvent = async (retailerId: string, id: string) => structuredClone(this.events.get(`${retailerId}|${id}`));
  /** As the repository: absent profiles and those being erased are left out. */
  readProfiles = async (retailerId: string, ids: readonly string[]) =>
    ids.flatMap((id) => {
      const p = this.profiles.get(`${retailerId}|${id}`);
      return p && !p.erasing ? [structuredClone(p)] : [];
    });
  /** As the repository: one document per subscription, day and event, so writing it again changes nothing. */
  addToDigest = async (orgId: string, subscriptionId: string, day: string, event: { retailerId: string; eventId: string }) => {
    this.digest.set(`${orgId}|digest:${subscriptionId}:${day}:${event.retailerId}:${event.eventId}`, { orgId, subscriptionId, day, ...event });
  };
  digestItems = async (orgId: string, subscriptionId: string, day: string) =>
    [...this.digest.values()].filter((d) => d.orgId === orgId && d.subscriptionId === subscriptionId && d.day === day).map(({ retailerId, eventId }) => ({ retailerId, eventId }));
  /** As the repository: a taken id is refused, and the stored delivery answered instead. */
  createDeliveryOnce = async (doc: DeliveryDoc) => {
    const key = `${doc.orgId}|${doc.id}`;
    const stored = this.deliveries.get(key);
    if (stored) return { created: false, doc: structuredClone(stored) };
    this.deliveries.set(key, { ...structuredClone(doc), _etag: this.nextEtag() });
    return { created: true, doc };
  };
  readDelivery = async (orgId: string, webhookId: string) => structuredClone(this.deliveries.get(`${orgId}|${deliveryDocId(webhookId)}`));
  /** As the repository: replaced only over the version read (when one is given), else undefined. */
  saveDelivery = async (doc: DeliveryDoc) => {
    const key = `${doc.orgId}|${doc.id}`;
    const stored = this.deliveries.get(key);
    if (!stored) throw new Error('404: no such delivery');
    if (doc._etag && doc._etag !== stored._etag) return undefined;
    const next = { ...structuredClone(doc), _etag: this.nextEtag() };
    if (next.inFlightUntil === undefined) delete next.inFlightUntil;
    this.deliveries.set(key, next);
    return structuredClone(next);
  };
  /** As the repository's query: pending, and in flight, due for retry or never attempted before the cutoff. */
  overdueDeliveries = async (cutoff: Date) => {
    const at = cutoff.toISOString();
    return [...this.deliveries.values()]
      .filter((d) => d.status === 'pending' && ((d.inFlightUntil !== undefined && d.inFlightUntil < at) || (d.nextAttemptAt !== null && d.nextAttemptAt < at) || (d.attempts === 0 && d.createdAt < at)))
      .map(({ orgId, webhookId }) => ({ orgId, webhookId }));
  };
  enqueue = async (queueName: string, message: unknown, options?: { visibleInSeconds?: number }) => void this.queue.push({ queueName, message: structuredClone(message), ...(options ? { options } : {}) });
  openSecret = (sealed: string) => {
    if (this.keyUnavailable) throw new Error('The key that protects webhook secrets is not available yet');
    return sealed.replace(/^sealed:/, '');
  };
  postWebhook = async (url: string, headers: Record<string, string>, body: string) => {
    this.posts.push({ url, headers, body });
    await this.duringPost?.();
    return this.answers.shift() ?? { kind: 'answered' as const, status: 204 };
  };
  appendAudit = async (orgId: string, draft: AuditDraft) => void this.audit.push({ orgId, draft: structuredClone(draft) });

  private nextEtag = () => `"${++this.version}"`;

  /** A subscription of an organisation (a police officer's for the agency, else an Investigator's), made before the events. */
  subscribe(orgId: string, id: string, more: Partial<SubscriptionDoc> & { filter?: SubscriptionFilter } = {}): SubscriptionDoc {
    const agency = this.orgs.get(orgId)?.type === 'agency';
    const role = agency ? 'PoliceOfficer' : 'Investigator';
    const sub: SubscriptionDoc = {
      id,
      orgId,
      docType: 'subscription',
      name: id,
      filter: {},
      delivery: { mode: 'instant', url: `https://hooks.${orgId}.example/daybreak` },
      createdAt: '2026-10-01T00:00:00.000Z',
      createdBy: `${role}@${orgId}`,
      sealedSecret: `sealed:${SECRET}`,
      orgType: agency ? 'agency' : 'retailer',
      creatorRoles: [role],
      ...more,
    };
    this.subs.push(sub);
    return sub;
  }

  /** A shop event stored at NOW in an Auckland store, one offender (Tamati, whose profile has `tiers`). */
  report(id: string, more: Record<string, unknown> = {}, tiers: string[] = []): VersionedEvent {
    const input = EventInputSchema.parse({
      storeId: 's1',
      occurredAt: '2026-11-01T10:00:00Z',
      type: 'shoplifting',
      prevented: false,
      people: [{ ref: 'p0', role: 'offender', name: { given: 'Tamati', family: 'Ngatai' } }],
      ...more,
    });
    const event = buildEvent(id, 'shop', input, 'reporter', NOW);
    const found: VersionedEvent = { event, etag: '"e"', purging: false, storeJurisdiction: 'NZ-AUK' };
    this.events.set(`shop|${id}`, found);
    const profileId = event.people[0]!.profileId;
    this.profiles.set(`shop|${profileId}`, { id: profileId, orgId: 'shop', docType: 'profile', eventIds: [id], createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), riskTiers: tiers.map((name) => ({ name, reason: 'test' })), riskTierNames: tiers } as ProfileDoc);
    return structuredClone(found);
  }

  /** The delivery of a subscription for an event (as alerted). */
  deliveryOf(sub: SubscriptionDoc, event: VersionedEvent): DeliveryDoc | undefined {
    return this.deliveries.get(`${sub.orgId}|${deliveryDocId(webhookIdFor(sub.id, `event:${event.event.id}@${event.event.updatedAt}`))}`);
  }

  /** Attempts every queued message once, in order, emptying the queue first. */
  async drain(attempt: ReturnType<typeof alertDelivery>['attemptDelivery'], at: Date): Promise<string[]> {
    const messages = this.queue.splice(0).map((q) => q.message as { orgId: string; webhookId: string });
    const outcomes: string[] = [];
    for (const m of messages) outcomes.push(await attempt(m, at));
    return outcomes;
  }
}

function world() {
  const records = new Records();
  return { records, ...alertDelivery(records) };
}

/** Standard Webhooks v1 by hand: base64 HMAC-SHA256 of "id.timestamp.body" under the secret's bytes. */
const expectedSignature = (id: string, timestamp: string, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(SECRET.slice('whsec_'.length), 'base64')).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

describe('alerting subscribers of a matched event', () => {
  it('the retailer’s own, an agency’s for the store’s jurisdiction and an active partner’s subscriptions each get one instant delivery, queued', async () => {
    const { records, alertSubscribers } = world();
    const own = records.subscribe('shop', 'own');
    const police = records.subscribe('police', 'cops');
    const partner = records.subscribe('partner', 'theirs');
    records.subscribe('stranger', 'nosy');
    const e1 = records.report('e1');
    expect(await alertSubscribers('shop', [e1], SOON)).toBe(3);
    for (const sub of [own, police, partner]) {
      const webhookId = webhookIdFor(sub.id, `event:e1@${e1.event.updatedAt}`);
      expect(records.deliveryOf(sub, e1)).toMatchObject({ webhookId, orgId: sub.orgId, subscriptionId: sub.id, type: 'daybreak.event.reported', eventIds: ['e1'], status: 'pending', attempts: 0, source: { kind: 'event', retailerId: 'shop', eventId: 'e1', version: e1.event.updatedAt } });
      expect(records.queue).toContainEqual({ queueName: WEBHOOK_QUEUE, message: { orgId: sub.orgId, webhookId } });
    }
    expect(records.deliveries.size).toBe(3);
    expect(records.queue).toHaveLength(3);
  });

  it('only a subscription whose filter the event passes hears of it: the risk tiers of its profiles, store, violence, loss', async () => {
    const { records, alertSubscribers } = world();
    const extreme = records.subscribe('shop', 'extreme', { filter: { riskTiers: ['extreme-threat'] } });
    const highLoss = records.subscribe('shop', 'high-loss', { filter: { riskTiers: ['high-loss'] } });
    const otherStore = records.subscribe('shop', 'other-store', { filter: { storeIds: ['s2'] } });
    const violent = records.subscribe('shop', 'violent', { filter: { violence: 'used' } });
    const big = records.subscribe('shop', 'big', { filter: { minLossValue: 100 } });
    const e1 = records.report('e1', { violence: { threatened: true, used: false, weapon: 'knife' }, products: [{ name: 'Drill', quantity: 2, unitValue: 40 }], currency: 'NZD' }, ['extreme-threat']);
    expect(await alertSubscribers('shop', [e1], SOON)).toBe(1);
    expect(records.deliveryOf(extreme, e1)).toBeDefined();
    for (const sub of [highLoss, otherStore, violent, big]) expect(records.deliveryOf(sub, e1)).toBeUndefined();
  });

  it('a tier within days that has lapsed since the re-index does not pass a filter on it (fifth audit)', async () => {
    const { records, alertSubscribers } = world();
    const highLoss = records.subscribe('shop', 'high-loss', { filter: { riskTiers: ['high-loss'] } });
    const e1 = records.report('e1', {}, ['high-loss']);
    const profile = records.profiles.get(`shop|${e1.event.people[0]!.profileId}`)!;
    // Its only loss left the 90 days before SOON.
    profile.riskTierWindow = { tiers: [{ name: 'high-loss', when: { lossValue: 1000, days: 90 } }], events: [{ occurredAt: new Date(SOON.getTime() - 91 * 86_400_000).toISOString(), violent: false, weapon: false, loss: 1500 }] };
    expect(await alertSubscribers('shop', [e1], SOON)).toBe(0);
    expect(records.deliveryOf(highLoss, e1)).toBeUndefined();
  });

  it('alerted again (matching retried), nothing is created twice and each delivery is posted once', async () => {
    const { records, alertSubscribers, attemptDelivery } = world();
    const own = records.subscribe('shop', 'own');
    records.subscribe('police', 'cops');
    const e1 = records.report('e1');
    await alertSubscribers('shop', [e1], SOON);
    const first = structuredClone([...records.deliveries.values()]);
    // A crash after the records, before the messages: the second run queues them again, the same ids.
    expect(await alertSubscribers('shop', [e1], SOON)).toBe(2);
    expect([...records.deliveries.values()]).toEqual(first);
    expect(records.queue).toHaveLength(4);
    expect(await records.drain(attemptDelivery, SOON)).toEqual(['delivered', 'delivered', 'skipped', 'skipped']);
    expect(records.posts).toHaveLength(2);
    // Once attempted, a third run queues nothing.
    await alertSubscribers('shop', [e1], SOON);
    expect(records.queue).toEqual([]);
    expect(records.deliveryOf(own, e1)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('a corrected event is a new version: a delivery of its own, under another webhook-id', async () => {
    const { records, alertSubscribers } = world();
    const own = records.subscribe('shop', 'own');
    const e1 = records.report('e1');
    await alertSubscribers('shop', [e1], SOON);
    const corrected = structuredClone(e1);
    corrected.event.updatedAt = SOON.toISOString();
    await alertSubscribers('shop', [corrected], SOON);
    expect(records.deliveries.size).toBe(2);
    expect(records.deliveryOf(own, corrected)!.webhookId).not.toBe(records.deliveryOf(own, e1)!.webhookId);
  });

  it('an event being purged, stored over a day ago, or older than the subscription alerts no one', async () => {
    const { records, alertSubscribers } = world();
    records.subscribe('shop', 'own');
    records.subscribe('police', 'cops');
    const purging = { ...records.report('e1'), purging: true };
    expect(await alertSubscribers('shop', [purging], SOON)).toBe(0);
    expect(await alertSubscribers('shop', [records.report('e2')], new Date(NOW.getTime() + 24 * 3600_000))).toBe(0);
    records.subs.forEach((s) => (s.createdAt = SOON.toISOString()));
    expect(await alertSubscribers('shop', [records.report('e3')], SOON)).toBe(0);
    expect(records.deliveries.size + records.queue.length).toBe(0);
  });

  it('a sensitive event reaches only its own retailer’s Investigators: not a RetailerAdmin’s subscription, a partner’s, nor the police even when shared with them', async () => {
    const { records, alertSubscribers } = world();
    const investigator = records.subscribe('shop', 'investigator');
    records.subscribe('shop', 'admin', { createdBy: 'RetailerAdmin@shop', creatorRoles: ['RetailerAdmin'] });
    records.subscribe('partner', 'theirs');
    records.subscribe('police', 'cops');
    const e1 = records.report('e1', { sensitive: true, policeSharing: { mode: 'all', excludeAgencies: [] } });
    expect(await alertSubscribers('shop', [e1], SOON)).toBe(1);
    expect([...records.deliveries.values()].map((d) => d.subscriptionId)).toEqual([investigator.id]);
  });

  it('a suspended agency, a revoked agreement or an organisation that is gone gets nothing', async () => {
    const { records, alertSubscribers } = world();
    records.subscribe('police', 'cops');
    records.subscribe('partner', 'theirs');
    // An agency's subscription outlives the agency's record: every agency's subscriptions are read.
    records.subscribe('gone', 'orphan', { orgType: 'agency', createdBy: 'PoliceOfficer@gone', creatorRoles: ['PoliceOfficer'] });
    records.orgs.get('police')!.status = 'suspended';
    records.agreements[0]!.status = 'revoked';
    expect(await alertSubscribers('shop', [records.report('e1')], SOON)).toBe(0);
    expect(records.deliveries.size).toBe(0);
  });

  it('an agency suspended after an alert gets no more: its status is read afresh, not from the cache', async () => {
    const { records, alertSubscribers } = world();
    const police = records.subscribe('police', 'cops');
    expect(await alertSubscribers('shop', [records.report('e1')], SOON)).toBe(1);
    records.orgs.get('police')!.status = 'suspended';
    expect(await alertSubscribers('shop', [records.report('e2')], SOON)).toBe(0);
    expect([...records.deliveries.values()].filter((d) => d.subscriptionId === police.id)).toHaveLength(1);
  });

  it('a digest subscription gets a line for the day; the day’s digest is one delivery listing its events, queued once', async () => {
    const { records, alertSubscribers, queueDigests, attemptDelivery } = world();
    const daily = records.subscribe('police', 'daily', { delivery: { mode: 'digest', url: 'https://hooks.police.example/daily' } });
    expect(await alertSubscribers('shop', [records.report('e1'), records.report('e2')], SOON)).toBe(2);
    await alertSubscribers('shop', [records.report('e1')], SOON);
    expect(records.deliveries.size + records.queue.length).toBe(0);
    expect(await records.digestItems('police', daily.id, '2026-11-02')).toEqual([
      { retailerId: 'shop', eventId: 'e1' },
      { retailerId: 'shop', eventId: 'e2' },
    ]);
    expect(await queueDigests('2026-11-01', SOON)).toEqual({ digests: 0 });
    expect(await queueDigests('2026-11-02', SOON)).toEqual({ digests: 1 });
    const webhookId = webhookIdFor(daily.id, 'digest:2026-11-02');
    expect(records.deliveries.get(`police|${deliveryDocId(webhookId)}`)).toMatchObject({ type: 'daybreak.digest.daily', eventIds: ['e1', 'e2'], source: { kind: 'digest', day: '2026-11-02' } });
    expect(await records.drain(attemptDelivery, SOON)).toEqual(['delivered']);
    const body = JSON.parse(records.posts[0]!.body);
    expect(body).toMatchObject({ id: webhookId, type: 'daybreak.digest.daily', data: { subscriptionId: daily.id, day: '2026-11-02' } });
    expect(body.data.events.map((e: { eventId: string }) => e.eventId)).toEqual(['e1', 'e2']);
    expect(records.audit.map((a) => [a.orgId, a.draft.target.id])).toEqual([
      ['shop', 'e1'],
      ['shop', 'e2'],
    ]);
    // The timer run again: the same delivery, already delivered, so nothing is queued.
    expect(await queueDigests('2026-11-02', SOON)).toEqual({ digests: 1 });
    expect(records.queue).toEqual([]);
  });
});

describe('one attempt at a delivery', () => {
  it('POSTs the event’s facts signed per Standard Webhooks, marks it delivered and records it in the owner’s chain with the stated purpose', async () => {
    const { records, alertSubscribers, attemptDelivery } = world();
    const cops = records.subscribe('police', 'cops', { purpose: { legalBasis: 'investigation', caseReference: 'OP-7' } });
    const e1 = records.report('e1', {}, ['high-loss']);
    await alertSubscribers('shop', [e1], SOON);
    expect(await records.drain(attemptDelivery, SOON)).toEqual(['delivered']);
    const [post, ...more] = records.posts;
    expect(more).toEqual([]);
    const webhookId = webhookIdFor(cops.id, `event:e1@${e1.event.updatedAt}`);
    const timestamp = String(Math.floor(SOON.getTime() / 1000));
    expect(post!.url).toBe('https://hooks.police.example/daybreak');
    expect(post!.headers).toEqual({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'webhook-id': webhookId,
      'webhook-timestamp': timestamp,
      'webhook-signature': expectedSignature(webhookId, timestamp, post!.body),
    });
    const body = JSON.parse(post!.body);
    expect(body).toMatchObject({ specversion: '1.0', id: webhookId, type: 'daybreak.event.reported', subject: 'e1', data: { eventId: 'e1', storeId: 's1', jurisdiction: 'NZ-AUK', riskTiers: ['high-loss'] } });
    // Ids and figures only: no name reaches the subscriber.
    expect(post!.body).not.toContain('Tamati');
    expect(records.deliveryOf(cops, e1)).toMatchObject({ status: 'delivered', attempts: 1, firstAttemptAt: SOON.toISOString(), lastResult: 'HTTP 204', nextAttemptAt: null });
    expect(records.deliveryOf(cops, e1)).not.toHaveProperty('inFlightUntil');
    expect(records.audit).toEqual([
      {
        orgId: 'shop',
        draft: {
          actor: { sub: 'PoliceOfficer@police', org: 'police', roles: ['PoliceOfficer'] },
          action: 'alert.delivered',
          target: { type: 'event', id: 'e1' },
          outcome: 'success',
          requestId: webhookId,
          details: { subscriptionId: cops.id, webhookId, relation: 'police', legalBasis: 'investigation', caseReference: 'OP-7' },
        },
      },
    ]);
  });

  it('a failed POST is retried with backoff under the same webhook-id, and kept as failed once 24 hours are spent', async () => {
    const { records, alertSubscribers, attemptDelivery } = world();
    const own = records.subscribe('shop', 'own');
    const e1 = records.report('e1');
    await alertSubscribers('shop', [e1], SOON);
    const message = records.queue.shift()!.message as { orgId: string; webhookId: string };
    records.answers.push({ kind: 'answered', status: 500 }, { kind: 'failed', reason: 'timeout' }, { kind: 'answered', status: 503 });
    expect(await attemptDelivery(message, SOON)).toBe('pending');
    const retry = records.deliveryOf(own, e1)!;
    expect(retry).toMatchObject({ status: 'pending', attempts: 1, lastResult: 'HTTP 500' });
    // About 5 s (±20 %), and the message comes back no sooner.
    const wait = Date.parse(retry.nextAttemptAt!) - SOON.getTime();
    expect(wait).toBeGreaterThanOrEqual(4000);
    expect(wait).toBeLessThanOrEqual(6000);
    expect(records.queue).toEqual([{ queueName: WEBHOOK_QUEUE, message, options: { visibleInSeconds: wait / 1000 } }]);
    // A copy ahead of its retry is dropped.
    expect(await attemptDelivery(message, SOON)).toBe('skipped');
    expect(await attemptDelivery(message, new Date(retry.nextAttemptAt!))).toBe('pending');
    expect(records.deliveryOf(own, e1)).toMatchObject({ attempts: 2, lastResult: 'failed: timeout' });
    const late = new Date(SOON.getTime() + 24 * 3600_000);
    expect(await attemptDelivery(message, late)).toBe('failed');
    expect(records.deliveryOf(own, e1)).toMatchObject({ status: 'failed', attempts: 3, lastResult: 'HTTP 503', nextAttemptAt: null, firstAttemptAt: SOON.toISOString() });
    expect(new Set(records.posts.map((p) => p.headers['webhook-id']))).toEqual(new Set([message.webhookId]));
    // One id, one message: the same document on every attempt (its time is when the delivery arose), a timestamp of each attempt's own.
    expect(new Set(records.posts.map((p) => p.body)).size).toBe(1);
    expect(JSON.parse(records.posts[0]!.body).time).toBe(SOON.toISOString());
    expect(new Set(records.posts.map((p) => p.headers['webhook-timestamp'])).size).toBe(3);
    expect(records.audit).toEqual([]);
    expect(await attemptDelivery(message, late)).toBe('skipped');
  });

  it('a delivery whose event was corrected before its retry is not sent under its id where the correction has a delivery of its own; where none has (an erasure), it is', async () => {
    const { records, alertSubscribers, attemptDelivery } = world();
    const own = records.subscribe('shop', 'own');
    const e1 = records.report('e1');
    const e2 = records.report('e2');
    await alertSubscribers('shop', [e1, e2], SOON);
    const [first, second] = records.queue.splice(0).map((q) => q.message as { orgId: string; webhookId: string });
    records.answers.push({ kind: 'answered', status: 500 }, { kind: 'answered', status: 500 });
    expect(await attemptDelivery(first!, SOON)).toBe('pending');
    expect(await attemptDelivery(second!, SOON)).toBe('pending');
    const later = new Date(SOON.getTime() + 2_000);
    // e1 corrected, and the correction alerted; e2 changed by an erasure, which alerts no one.
    records.events.get('shop|e1')!.event.updatedAt = later.toISOString();
    records.events.get('shop|e2')!.event.updatedAt = later.toISOString();
    await alertSubscribers('shop', [records.events.get('shop|e1')!], later);
    const corrected = records.queue.pop()!.message as { orgId: string; webhookId: string };
    expect(corrected.webhookId).not.toBe(first!.webhookId);
    const retryAt = new Date(records.deliveryOf(own, e1)!.nextAttemptAt!);
    expect(await attemptDelivery(first!, retryAt)).toBe('failed');
    // One attempt, the POST before the correction: finishing it as superseded posts nothing and counts no attempt.
    expect(records.deliveryOf(own, e1)).toMatchObject({ status: 'failed', lastResult: 'superseded by the delivery of a correction of the event', attempts: 1 });
    expect(await attemptDelivery(second!, new Date(records.deliveryOf(own, e2)!.nextAttemptAt!))).toBe('delivered');
    expect(await attemptDelivery(corrected, later)).toBe('delivered');
    // Posted: the two first attempts, e2 as it is now under its first id, e1's correction under its own.
    const posted = records.posts.map((p) => ({ id: p.headers['webhook-id'], subject: JSON.parse(p.body).subject, version: JSON.parse(p.body).data.version }));
    expect(posted.slice(2)).toEqual([
      { id: second!.webhookId, subject: 'e2', version: later.toISOString() },
      { id: corrected.webhookId, subject: 'e1', version: later.toISOString() },
    ]);
  });

  it('the signing key unavailable after the claim is a failed attempt with its retry, not a lost message', async () => {
    const { records, alertSubscribers, attemptDelivery } = world();
    const own = records.subscribe('shop', 'own');
    const e1 = records.report('e1');
    await alertSubscribers('shop', [e1], SOON);
    records.keyUnavailable = true;
    expect(await records.drain(attemptDelivery, SOON)).toEqual(['pending']);
    expect(records.posts).toEqual([]);
    expect(records.deliveryOf(own, e1)).toMatchObject({ status: 'pending', attempts: 1, lastResult: expect.stringMatching(/^error: The key that protects/) });
    expect(records.queue).toHaveLength(1);
  });

  it('is built from what the subscriber may see now: a deleted subscription, a purged event or a revoked agreement fails it without a POST', async () => {
    const { records, alertSubscribers, attemptDelivery } = world();
    records.subscribe('shop', 'own');
    records.subscribe('police', 'cops');
    records.subscribe('partner', 'theirs');
    await alertSubscribers('shop', [records.report('e1'), records.report('e2')], SOON);
    // Each after the alert: the subscription deleted (own), e2 being purged (cops), the agreement revoked (theirs).
    records.subs = records.subs.filter((s) => s.id !== 'own');
    records.events.get('shop|e2')!.purging = true;
    records.agreements[0]!.status = 'revoked';
    await records.drain(attemptDelivery, SOON);
    // Those finished without a POST count no attempt.
    expect([...records.deliveries.values()].map((d) => `${d.subscriptionId} ${d.eventIds[0]}: ${d.status}, ${d.lastResult}, ${d.attempts}`).sort()).toEqual([
      'cops e1: delivered, HTTP 204, 1',
      'cops e2: failed, no longer visible to the subscriber, 0',
      'own e1: failed, subscription deleted, 0',
      'own e2: failed, subscription deleted, 0',
      'theirs e1: failed, no longer visible to the subscriber, 0',
      'theirs e2: failed, no longer visible to the subscriber, 0',
    ]);
    expect(records.posts.map((p) => JSON.parse(p.body).subject)).toEqual(['e1']);
    expect(records.audit.map((a) => a.draft.target.id)).toEqual(['e1']);
  });

  it('a second message meeting an attempt in flight is dropped, and an attempt that loses the claim posts nothing', async () => {
    const { records, alertSubscribers, attemptDelivery } = world();
    records.subscribe('shop', 'own');
    await alertSubscribers('shop', [records.report('e1')], SOON);
    const message = records.queue[0]!.message as { orgId: string; webhookId: string };
    const during: string[] = [];
    // Once: without the guard, the second attempt would post and meet itself again.
    records.duringPost = async () => {
      records.duringPost = undefined;
      during.push(await attemptDelivery(message, new Date(SOON.getTime() + 5_000)));
    };
    expect(await attemptDelivery(message, SOON)).toBe('delivered');
    expect(during).toEqual(['skipped']);
    expect(records.posts).toHaveLength(1);

    // Another attempt claims it between this one's read and its claim.
    const { records: raced, alertSubscribers: alertRaced, attemptDelivery: attemptRaced } = world();
    raced.subscribe('shop', 'own');
    await alertRaced('shop', [raced.report('e1')], SOON);
    const read = raced.readDelivery;
    raced.readDelivery = async (orgId, webhookId) => {
      const found = await read(orgId, webhookId);
      await raced.saveDelivery({ ...found!, inFlightUntil: SOON.toISOString() });
      return found;
    };
    expect(await raced.drain(attemptRaced, SOON)).toEqual(['skipped']);
    expect(raced.posts).toEqual([]);
  });

  it('the sweep puts deliveries overdue by a minute back on the queue', async () => {
    const { records, alertSubscribers, sweepDeliveries } = world();
    records.subscribe('shop', 'own');
    records.subscribe('police', 'cops');
    await alertSubscribers('shop', [records.report('e1')], SOON);
    records.queue = [];
    // Made at SOON, never attempted: not overdue until a minute has passed.
    expect(await sweepDeliveries(new Date(SOON.getTime() + 60_000))).toEqual({ requeued: 0 });
    expect(await sweepDeliveries(new Date(SOON.getTime() + 61_000))).toEqual({ requeued: 2 });
    expect(records.queue.map((q) => q.queueName)).toEqual([WEBHOOK_QUEUE, WEBHOOK_QUEUE]);
    expect(records.queue.map((q) => (q.message as { orgId: string }).orgId).sort()).toEqual(['police', 'shop']);
  });
});
