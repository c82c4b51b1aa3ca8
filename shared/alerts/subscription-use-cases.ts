import { randomUUID } from 'node:crypto';
import { ValidationError, NotFoundError } from '../domain/errors';
import { mustStatePurpose } from '../domain/authorization';
import type { Purpose } from '../domain/police-purpose';
import type { DeliveryRecord, Subscription, SubscriptionInput } from '../domain/subscriptions';
import { newWebhookSecret, openSecret, sealSecret } from '../adapters/secret-box';
import { webhookUrlProblem } from '../adapters/webhook-sender';
import { settings } from '../config/settings';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit, settleOverdueAudit } from '../audit/audit-outbox';
import { callerOrgType } from '../orgs/org-use-cases';
import type { OutboxDraft } from '../audit/audit-outbox-repository';
import { insertSubscription, readSubscription, recentDeliveries, removeSubscription, subscriptionsOf, type DeliveryDoc, type SubscriptionDoc } from './subscription-repository';

/** What the subscription use cases read and write: the repositories in the app, in-memory records in unit tests of this logic. */
export interface SubscriptionStore {
  /** Refuses (audited) a caller who may not manage subscriptions; else the caller's organisation and its type. */
  authorize(caller: Caller, id: string): Promise<{ orgId: string; orgType: SubscriptionDoc['orgType'] }>;
  /** The subscription with its audit entry's outbox document, in one batch; false when one of its id was there (an attempt this one took over from). */
  insertSubscription(doc: SubscriptionDoc, audit: OutboxDraft): Promise<boolean>;
  readSubscription(orgId: string, id: string): Promise<SubscriptionDoc | undefined>;
  /** Removes it with its audit entry's outbox document; false when it was already gone. */
  removeSubscription(orgId: string, id: string, audit: OutboxDraft): Promise<boolean>;
  subscriptionsOf(orgId: string): Promise<SubscriptionDoc[]>;
  recentDeliveries(orgId: string, subscriptionId: string): Promise<DeliveryDoc[]>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(orgId: string, entry: OutboxDraft): Promise<void>;
  /** Appends the entry an earlier attempt left in the outbox once overdue (that attempt may still be running and append it itself), unless the chain holds it. */
  settleOverdueAudit(orgId: string, key: string): Promise<unknown>;
  /** Why a webhook URL is refused at creation (not https, credentials, a private address), or null. */
  urlProblem(url: string): string | null;
  /** The signing secret as kept at rest (encrypted under a key that is not in the database). */
  sealSecret(plain: string): string;
  openSecret(sealed: string): string;
}

const cosmosRecords: SubscriptionStore = {
  authorize: async (caller, id) => {
    const orgType = await callerOrgType(caller);
    await authorizeAudited(caller, 'subscription.manage', orgType, { type: 'subscription', id });
    // The table admits only callers of an existing organisation of a type it names.
    if (!orgType) throw new Error('An authorized caller without an organisation type.');
    return { orgId: caller.principal.orgId!, orgType };
  },
  insertSubscription,
  readSubscription,
  removeSubscription,
  subscriptionsOf,
  recentDeliveries,
  settleFreshAudit: (orgId, entry) => settleFreshAudit(orgId, { ...entry, where: 'subscriptions-audit-outbox' }),
  settleOverdueAudit: (orgId, key) => settleOverdueAudit(orgId, key, 'subscriptions-audit-outbox'),
  urlProblem: (url) => webhookUrlProblem(url, settings().WEBHOOK_ALLOW_LOOPBACK_HTTP),
  sealSecret,
  openSecret,
};

const toView = ({ id, orgId, name, filter, delivery, createdAt, createdBy }: SubscriptionDoc): Subscription => ({ id, orgId, name, filter, delivery, createdAt, createdBy });

/** Alert subscriptions of an organisation (PRODUCT §6), over a store. */
export function subscriptionUseCases(store: SubscriptionStore) {
  /** A new subscription of the caller's organisation; its signing secret is in this answer only. */
  async function createSubscription(
    caller: Caller,
    input: SubscriptionInput,
    /** The purpose a police officer stated with it (its reader throws 400 when half stated), if any. */
    offeredPurpose?: () => Purpose,
    now = new Date(),
    /** The id an Idempotency-Key fixed (a retry that took over finds the subscription its first attempt made). */
    claimedId?: string,
  ): Promise<Subscription & { secret: string }> {
    const id = claimedId ?? randomUUID();
    const { orgId, orgType } = await store.authorize(caller, id);
    const problem = store.urlProblem(input.delivery.url);
    if (problem) throw new ValidationError([{ path: 'delivery.url', message: problem }]);
    // A police officer may state why (§5b headers): then each delivery's entry in the owners' chains carries it, and transparency counts it.
    const purpose = mustStatePurpose(caller.principal) && offeredPurpose ? offeredPurpose() : undefined;
    const secret = newWebhookSecret();
    const doc: SubscriptionDoc = {
      id,
      orgId,
      docType: 'subscription',
      name: input.name,
      filter: input.filter,
      delivery: input.delivery,
      createdAt: now.toISOString(),
      createdBy: caller.principal.sub,
      sealedSecret: store.sealSecret(secret),
      orgType,
      creatorRoles: caller.principal.roles,
      ...(purpose ? { purpose } : {}),
    };
    // The URL's host is not personal data, but it says where alerts go: in the entry, without path or query.
    const entry = {
      key: `subscription.create:${id}`,
      draft: auditDraftFor(caller, { action: 'subscription.create', target: { type: 'subscription', id }, details: { mode: input.delivery.mode, host: new URL(input.delivery.url).host } }),
    };
    if (!(await store.insertSubscription(doc, entry))) {
      // The attempt this retry took over from made it: its entry, and its answer (its secret) again.
      const made = await store.readSubscription(orgId, id);
      if (!made) throw new Error(`Subscription ${id} is neither new nor there.`);
      await store.settleOverdueAudit(orgId, entry.key);
      return { ...toView(made), secret: store.openSecret(made.sealedSecret) };
    }
    await store.settleFreshAudit(orgId, entry);
    return { ...toView(doc), secret };
  }

  /**
   * A create's answer as kept for a retry with the same Idempotency-Key (24 h in the store): its
   * secret sealed, as at rest; `opened` gives it back for each answer.
   */
  const sealedAnswer = ({ secret, ...created }: Subscription & { secret: string }) => ({ ...created, sealedSecret: store.sealSecret(secret) });
  const openedAnswer = ({ sealedSecret, ...created }: ReturnType<typeof sealedAnswer>) => ({ ...created, secret: store.openSecret(sealedSecret) });

  async function listSubscriptions(caller: Caller): Promise<Subscription[]> {
    const { orgId } = await store.authorize(caller, '*');
    return (await store.subscriptionsOf(orgId)).map(toView);
  }

  async function getSubscription(caller: Caller, id: string): Promise<Subscription> {
    const { orgId } = await store.authorize(caller, id);
    const doc = await store.readSubscription(orgId, id);
    if (!doc) throw new NotFoundError();
    return toView(doc);
  }

  async function deleteSubscription(caller: Caller, id: string): Promise<void> {
    const { orgId } = await store.authorize(caller, id);
    if (!(await store.readSubscription(orgId, id))) throw new NotFoundError();
    const entry = { key: `subscription.delete:${id}`, draft: auditDraftFor(caller, { action: 'subscription.delete', target: { type: 'subscription', id } }) };
    if (!(await store.removeSubscription(orgId, id, entry))) throw new NotFoundError();
    await store.settleFreshAudit(orgId, entry);
  }

  /** The subscription's recent delivery attempts, newest first, with their status and the next retry. */
  async function listDeliveries(caller: Caller, id: string): Promise<DeliveryRecord[]> {
    const { orgId } = await store.authorize(caller, id);
    if (!(await store.readSubscription(orgId, id))) throw new NotFoundError();
    return (await store.recentDeliveries(orgId, id)).map(({ webhookId, type, eventIds, status, attempts, lastAttemptAt, lastResult, nextAttemptAt, createdAt }) => ({
      webhookId,
      type,
      eventIds,
      status,
      attempts,
      lastAttemptAt,
      lastResult,
      nextAttemptAt,
      createdAt,
    }));
  }

  return { createSubscription, sealedAnswer, openedAnswer, listSubscriptions, getSubscription, deleteSubscription, listDeliveries };
}

export const { createSubscription, sealedAnswer, openedAnswer, listSubscriptions, getSubscription, deleteSubscription, listDeliveries } = subscriptionUseCases(cosmosRecords);
