import { randomUUID } from 'node:crypto';
import { ValidationError, NotFoundError } from '../domain/errors';
import { mustStatePurpose } from '../domain/authorization';
import { PURPOSE_HEADERS, purposeFrom } from '../domain/police-purpose';
import type { DeliveryRecord, Subscription, SubscriptionInput } from '../domain/subscriptions';
import { newWebhookSecret, sealSecret } from '../adapters/secret-box';
import { webhookUrlProblem } from '../adapters/webhook-sender';
import { settings } from '../config/settings';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { callerOrgType } from '../orgs/org-use-cases';
import { insertSubscription, readSubscription, recentDeliveries, removeSubscription, subscriptionsOf, type SubscriptionDoc } from './subscription-repository';

const toView = ({ id, orgId, name, filter, delivery, createdAt, createdBy }: SubscriptionDoc): Subscription => ({ id, orgId, name, filter, delivery, createdAt, createdBy });

async function authorizeFor(caller: Caller, id: string) {
  const orgType = await callerOrgType(caller);
  await authorizeAudited(caller, 'subscription.manage', orgType, { type: 'subscription', id });
  return { orgId: caller.principal.orgId!, orgType: orgType! };
}

/** A new subscription of the caller's organisation; its signing secret is in this answer only. */
export async function createSubscription(
  caller: Caller,
  input: SubscriptionInput,
  header: (name: string) => string | null = () => null,
  now = new Date(),
): Promise<Subscription & { secret: string }> {
  const id = randomUUID();
  const { orgId, orgType } = await authorizeFor(caller, id);
  const problem = webhookUrlProblem(input.delivery.url, settings().WEBHOOK_ALLOW_LOOPBACK_HTTP);
  if (problem) throw new ValidationError([{ path: 'delivery.url', message: problem }]);
  // A police officer may state why (§5b headers): then each delivery's entry in the owners' chains carries it, and transparency counts it.
  const stated = mustStatePurpose(caller.principal) && (header(PURPOSE_HEADERS.legalBasis) || header(PURPOSE_HEADERS.caseReference));
  const purpose = stated ? purposeFrom(header) : undefined;
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
    sealedSecret: sealSecret(secret),
    orgType,
    creatorRoles: caller.principal.roles,
    ...(purpose ? { purpose } : {}),
  };
  // The URL's host is not personal data, but it says where alerts go: in the entry, without path or query.
  const entry = {
    key: `subscription.create:${id}`,
    draft: auditDraftFor(caller, { action: 'subscription.create', target: { type: 'subscription', id }, details: { mode: input.delivery.mode, host: new URL(input.delivery.url).host } }),
  };
  await insertSubscription(doc, entry);
  await settleFreshAudit(orgId, { ...entry, where: 'subscriptions-audit-outbox' });
  return { ...toView(doc), secret };
}

export async function listSubscriptions(caller: Caller): Promise<Subscription[]> {
  const { orgId } = await authorizeFor(caller, '*');
  return (await subscriptionsOf(orgId)).map(toView);
}

export async function getSubscription(caller: Caller, id: string): Promise<Subscription> {
  const { orgId } = await authorizeFor(caller, id);
  const doc = await readSubscription(orgId, id);
  if (!doc) throw new NotFoundError();
  return toView(doc);
}

export async function deleteSubscription(caller: Caller, id: string): Promise<void> {
  const { orgId } = await authorizeFor(caller, id);
  if (!(await readSubscription(orgId, id))) throw new NotFoundError();
  const entry = { key: `subscription.delete:${id}`, draft: auditDraftFor(caller, { action: 'subscription.delete', target: { type: 'subscription', id } }) };
  if (!(await removeSubscription(orgId, id, entry))) throw new NotFoundError();
  await settleFreshAudit(orgId, { ...entry, where: 'subscriptions-audit-outbox' });
}

/** The subscription's recent delivery attempts, newest first, with their status and the next retry. */
export async function listDeliveries(caller: Caller, id: string): Promise<DeliveryRecord[]> {
  const { orgId } = await authorizeFor(caller, id);
  if (!(await readSubscription(orgId, id))) throw new NotFoundError();
  return (await recentDeliveries(orgId, id)).map(({ webhookId, type, eventIds, status, attempts, lastAttemptAt, lastResult, nextAttemptAt, createdAt }) => ({
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
