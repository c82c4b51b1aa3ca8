import { subscriptionUseCases, type SubscriptionStore } from '../../../shared/alerts/subscription-use-cases';
import type { DeliveryRecord } from '../../../shared/domain/subscriptions';
import type { DeliveryDoc, SubscriptionDoc } from '../../../shared/alerts/subscription-repository';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { webhookUrlProblem } from '../../../shared/adapters/webhook-sender';
import { TableAuthorizer } from '../support/table-authorize';
import type { OrgType } from '../../../shared/domain/organisation';
import type { Role } from '../../../shared/domain/principal';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors';
import { callerAs } from '../support/caller';
import { offeredPurpose } from '../../../shared/http/purpose-headers';

/**
 * Alert subscriptions on their own, over subscriptions in memory: what is kept (never the
 * secret itself), what the audit entry says of the URL, a police officer's stated purpose, and
 * that one organisation never reaches another's. Delivery and signing run against the emulator in
 * test/integration/app/alerts.test.ts.
 */
class Records implements SubscriptionStore {
  orgs = new Map<string, OrgType>([
    ['shop', 'retailer'],
    ['other', 'retailer'],
    ['police', 'agency'],
  ]);
  docs = new Map<string, SubscriptionDoc>();
  deliveries: DeliveryDoc[] = [];
  outbox = new Map<string, Omit<OutboxEntry, 'where'>>();
  appended: { orgId: string; action: string; details?: unknown }[] = [];
  /** The next removal finds the subscription already gone (another admin deleted it between read and write). */
  goneBeforeRemove = false;

  table = new TableAuthorizer((org) => this.orgs.get(org));
  authorize = async (caller: Caller, id: string) => {
    await this.table.check(caller, 'subscription.manage', id);
    return { orgId: caller.principal.orgId!, orgType: this.orgs.get(caller.principal.orgId!)! };
  };
  insertSubscription = (doc: SubscriptionDoc, audit: Omit<OutboxEntry, 'where'>) => {
    if (this.docs.has(`${doc.orgId}/${doc.id}`)) return Promise.resolve(false);
    this.docs.set(`${doc.orgId}/${doc.id}`, structuredClone(doc));
    this.outbox.set(audit.key, audit);
    return Promise.resolve(true);
  };
  readSubscription = (orgId: string, id: string) => Promise.resolve(this.docs.get(`${orgId}/${id}`));
  removeSubscription = (orgId: string, id: string, audit: Omit<OutboxEntry, 'where'>) => {
    if (this.goneBeforeRemove || !this.docs.delete(`${orgId}/${id}`)) return Promise.resolve(false);
    this.outbox.set(audit.key, audit);
    return Promise.resolve(true);
  };
  subscriptionsOf = (orgId: string) => Promise.resolve([...this.docs.values()].filter((d) => d.orgId === orgId));
  recentDeliveries = (orgId: string, id: string) => Promise.resolve(this.deliveries.filter((d) => d.orgId === orgId && d.subscriptionId === id));
  settleFreshAudit = (orgId: string, entry: Omit<OutboxEntry, 'where'>) => {
    this.appended.push({ orgId, action: entry.draft.action, details: entry.draft.details });
    this.outbox.delete(entry.key);
    return Promise.resolve();
  };
  /** As settleOverdueAudit for an overdue document: the entry an earlier attempt left, appended once. */
  settleOverdueAudit = (orgId: string, key: string) => {
    const entry = this.outbox.get(key);
    if (entry) this.appended.push({ orgId, action: entry.draft.action, details: entry.draft.details });
    this.outbox.delete(key);
    return Promise.resolve(entry !== undefined);
  };
  urlProblem = (url: string) => webhookUrlProblem(url, false);
  /** Reversible, as the real box is (with a key the database does not hold). */
  sealSecret = (plain: string) => `sealed:${Buffer.from(plain).toString('base64')}`;
  openSecret = (sealed: string) => Buffer.from(sealed.slice('sealed:'.length), 'base64').toString();
}

const as = (orgId: string, role: Role = 'RetailerAdmin'): Caller => callerAs(orgId, role, false);
const input = { name: 'Night alerts', filter: { types: ['robbery' as const] }, delivery: { mode: 'instant' as const, url: 'https://hooks.shop.example/daybreak?token=abc' } };
const noHeaders = offeredPurpose(() => null);

function world() {
  const records = new Records();
  return { records, ...subscriptionUseCases(records) };
}

describe('alert subscriptions, over in-memory records', () => {
  it('a retry that took over from an attempt which made the subscription answers it, with its secret, and its one entry', async () => {
    const { records, createSubscription, sealedAnswer, openedAnswer } = world();
    const id = '0b9e4a52-7f61-4c1d-9a3e-5d2f8c6b1e07';
    // The first attempt made it and died before its entry or its answer.
    const first = await createSubscription(as('shop'), input, noHeaders, new Date(), id);
    records.appended = [];
    records.outbox.set(`subscription.create:${id}`, { key: `subscription.create:${id}`, draft: { action: 'subscription.create' } as never });
    const again = await createSubscription(as('shop'), input, noHeaders, new Date(), id);
    expect(again).toEqual(first);
    expect(records.docs.size).toBe(1);
    expect(records.appended.map((a) => a.action)).toEqual(['subscription.create']);
    // The answer kept for a retry holds the secret sealed only; each answer opens it.
    const kept = sealedAnswer(first);
    expect(JSON.stringify(kept)).not.toContain(first.secret);
    expect(openedAnswer(kept)).toEqual(first);
  });

  it('creating answers the secret once and keeps only its sealed form; the entry names the host, not the path or query', async () => {
    const { records, createSubscription, getSubscription } = world();
    const created = await createSubscription(as('shop'), input, noHeaders, new Date('2026-12-04T10:00:00Z'));
    expect(created).toMatchObject({ orgId: 'shop', name: 'Night alerts', createdAt: '2026-12-04T10:00:00.000Z', createdBy: 'RetailerAdmin@shop' });
    expect(created.secret).toMatch(/^whsec_/);
    const kept = records.docs.get(`shop/${created.id}`)!;
    expect(JSON.stringify(kept)).not.toContain(created.secret.slice(6));
    expect(kept).toMatchObject({ orgType: 'retailer', creatorRoles: ['RetailerAdmin'] });
    expect(kept).not.toHaveProperty('purpose');
    expect(records.appended).toEqual([{ orgId: 'shop', action: 'subscription.create', details: { mode: 'instant', host: 'hooks.shop.example' } }]);
    expect(records.outbox.size).toBe(0);
    // Read back, the view has neither the secret nor its sealed form.
    const view = await getSubscription(as('shop'), created.id);
    expect(view).not.toHaveProperty('secret');
    expect(view).not.toHaveProperty('sealedSecret');
  });

  it('refuses a URL that is not https, carries credentials or is a private address (400), and keeps nothing', async () => {
    const { records, createSubscription } = world();
    for (const url of ['http://hooks.shop.example/x', 'https://user:pw@hooks.shop.example/x', 'https://10.0.0.5/x', 'https://127.0.0.1/x', 'not a url']) {
      await expect(createSubscription(as('shop'), { ...input, delivery: { mode: 'instant', url } }, noHeaders)).rejects.toBeInstanceOf(ValidationError);
    }
    expect(records.docs.size).toBe(0);
    expect(records.appended).toEqual([]);
  });

  it("a police officer's stated legal basis and case reference are kept with the subscription; a retailer's headers are not", async () => {
    const { records, createSubscription } = world();
    const headers = offeredPurpose((name) => ({ 'x-legal-basis': 'investigation', 'x-case-reference': 'CASE-42' })[name] ?? null);
    const police = await createSubscription(as('police', 'PoliceOfficer'), input, headers);
    expect(records.docs.get(`police/${police.id}`)).toMatchObject({ orgType: 'agency', purpose: { legalBasis: 'investigation', caseReference: 'CASE-42' } });
    const shop = await createSubscription(as('shop'), input, headers);
    expect(records.docs.get(`shop/${shop.id}`)).not.toHaveProperty('purpose');
    // One of the two stated is no statement: 400, nothing kept.
    const half = offeredPurpose((name) => (name === 'x-legal-basis' ? 'investigation' : null));
    await expect(createSubscription(as('police', 'PoliceOfficer'), input, half)).rejects.toMatchObject({ code: 'PURPOSE_REQUIRED' });
    expect(records.docs.size).toBe(2);
  });

  it('asks the table about each subscription by its id, and of all of them to list', async () => {
    const { records, createSubscription, getSubscription, listSubscriptions, deleteSubscription } = world();
    const { id } = await createSubscription(as('shop'), input, noHeaders);
    records.table.asked = [];
    await getSubscription(as('shop'), id);
    await listSubscriptions(as('shop'));
    await deleteSubscription(as('shop'), id);
    expect(records.table.asked).toEqual([`subscription.manage ${id}`, 'subscription.manage *', `subscription.manage ${id}`]);
  });

  it('another organisation meets 404 on every id and lists none of them; a role the table refuses meets 403', async () => {
    const { createSubscription, getSubscription, deleteSubscription, listDeliveries, listSubscriptions } = world();
    const { id } = await createSubscription(as('shop'), input, noHeaders);
    for (const act of [getSubscription, deleteSubscription, listDeliveries]) await expect(act(as('other'), id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listSubscriptions(as('other'))).toEqual([]);
    expect(await listSubscriptions(as('shop'))).toHaveLength(1);
    await expect(getSubscription(as('shop', 'Reporter'), id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('deleting records its entry; deleting again, or one removed meanwhile by someone else, answers 404 and records nothing more', async () => {
    const { records, createSubscription, deleteSubscription } = world();
    const a = await createSubscription(as('shop'), input, noHeaders);
    await deleteSubscription(as('shop'), a.id);
    expect(records.appended.map((e) => e.action)).toEqual(['subscription.create', 'subscription.delete']);
    await expect(deleteSubscription(as('shop'), a.id)).rejects.toBeInstanceOf(NotFoundError);
    const b = await createSubscription(as('shop'), input, noHeaders);
    records.goneBeforeRemove = true;
    await expect(deleteSubscription(as('shop'), b.id)).rejects.toBeInstanceOf(NotFoundError);
    records.goneBeforeRemove = false;
    expect(records.appended.map((e) => e.action)).toEqual(['subscription.create', 'subscription.delete', 'subscription.create']);
  });

  it("delivery attempts are answered without the stored document's internals", async () => {
    const { records, createSubscription, listDeliveries } = world();
    const { id } = await createSubscription(as('shop'), input, noHeaders);
    const attempt: DeliveryRecord = {
      webhookId: 'wh-1',
      type: 'event.alert',
      eventIds: ['e1'],
      status: 'failed',
      attempts: 2,
      lastAttemptAt: '2026-12-04T10:01:00.000Z',
      lastResult: 'HTTP 503',
      nextAttemptAt: '2026-12-04T10:05:00.000Z',
      createdAt: '2026-12-04T10:00:00.000Z',
    };
    records.deliveries.push({
      ...attempt,
      id: 'delivery:wh-1',
      orgId: 'shop',
      subscriptionId: id,
      docType: 'delivery',
      source: { kind: 'event', retailerId: 'shop', eventId: 'e1', version: '"7"' },
      firstAttemptAt: '2026-12-04T10:00:30.000Z',
      inFlightUntil: '2026-12-04T10:02:00.000Z',
    });
    expect(await listDeliveries(as('shop'), id)).toEqual([attempt]);
  });
});
