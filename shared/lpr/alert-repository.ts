import type { LprAlert } from '../domain/lpr/lpr-schema';
import type { Cursor } from '../domain/events/event-list';
import { container, deleteIfExists, holderOf, inOrganisation, keyOf, queryAll, readIfExists } from '../adapters/cosmos-containers';
import { auditOutboxId } from '../audit/audit-outbox-repository';
import { createManyOnce, readMany } from '../adapters/cosmos-batch';

type AlertDoc = LprAlert & { orgId: string; docType: 'lpr-alert'; _etag?: string };

const STORED_ONLY = ['orgId', 'docType', 'shard'];
const strip = (doc: AlertDoc): LprAlert => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_') && !STORED_ONLY.includes(k)) out[k] = v;
  return out as LprAlert;
};

/** Alert ids derive from the read, so a retried batch stores each alert once. When each of those stored before (a batch sent again) was created, by id. */
export async function saveAlerts(retailerId: string, alerts: readonly LprAlert[]): Promise<Map<string, string>> {
  const existing = await createManyOnce('lpr-alerts', retailerId, alerts.map((a) => ({ ...a, orgId: retailerId, docType: 'lpr-alert' })));
  const stored = await readMany<AlertDoc>('lpr-alerts', retailerId, existing);
  return new Map(stored.flatMap((doc) => (doc?.docType === 'lpr-alert' ? [[doc.id, doc.createdAt] as const] : [])));
}

/** The retailer holding an alert of this id, whoever it is (asked on the path of a 404 only). */
export const alertHolder = (id: string): Promise<string | undefined> => holderOf('lpr-alerts', 'lpr-alert', id);

export async function readAlert(retailerId: string, id: string): Promise<LprAlert | undefined> {
  const resource = await readIfExists<AlertDoc>('lpr-alerts', retailerId, id);
  return resource?.docType === 'lpr-alert' ? strip(resource) : undefined;
}

export async function listAlerts(retailerId: string, pageSize: number, after?: Cursor): Promise<{ items: LprAlert[]; next: Cursor | null }> {
  const parameters = [
    { name: '@orgId', value: retailerId },
    ...(after ? [{ name: '@t', value: after.t }, { name: '@id', value: after.id }] : []),
  ];
  const query =
    `SELECT TOP ${pageSize + 1} * FROM c WHERE c.orgId = @orgId AND c.docType = 'lpr-alert'` +
    (after ? ' AND (c.createdAt < @t OR (c.createdAt = @t AND c.id < @id))' : '') +
    ' ORDER BY c.createdAt DESC, c.id DESC';
  const { resources } = await container('lpr-alerts').items.query<AlertDoc>({ query, parameters }, inOrganisation('lpr-alerts', retailerId)).fetchAll();
  const docs = resources ?? [];
  const page = docs.slice(0, pageSize);
  const last = page.at(-1);
  return { items: page.map(strip), next: docs.length > pageSize && last ? { t: last.createdAt, id: last.id } : null };
}

/** Where an alert is: its reader's partition, and its id. */
export interface AlertRef {
  id: string;
  orgId: string;
}

/** Retention (PRODUCT §7): at most `max` of the retailer's alerts stored before `cutoff`. */
export async function alertsStoredBefore(retailerId: string, cutoff: string, max: number): Promise<AlertRef[]> {
  return queryAll<AlertRef>(
    'lpr-alerts',
    retailerId,
    `SELECT TOP ${max} c.id, c.orgId FROM c WHERE c.orgId = @orgId AND c.docType = 'lpr-alert' AND c.createdAt < @cutoff`,
    { orgId: retailerId, cutoff },
  );
}

/**
 * Alerts of these readers (the retailer, and partners its events may have alerted) that name one
 * of the retailer's events, or one of its people: one query in each reader's partition.
 */
export async function alertsNaming(retailerId: string, readers: readonly string[], of: { eventIds: readonly string[] } | { profileId: string }): Promise<AlertRef[]> {
  const [naming, value] =
    'eventIds' in of
      ? ['EXISTS(SELECT VALUE e FROM e IN c.eventIds WHERE ARRAY_CONTAINS(@value, e))', [...of.eventIds]]
      : ['ARRAY_CONTAINS(c.profileIds, @value)', of.profileId];
  const found = await Promise.all(
    readers.map((reader) =>
      queryAll<AlertRef>(
        'lpr-alerts',
        reader,
        `SELECT c.id, c.orgId FROM c WHERE c.orgId = @reader AND c.docType = 'lpr-alert' AND ARRAY_CONTAINS(c.retailerIds, @retailerId) AND ${naming}`,
        { reader, retailerId, value },
      ),
    ),
  );
  return found.flat();
}

/** Keys of the outbox documents whose proof is this alert (an LPR batch's entries waiting for their chains), in its shard. */
export async function outboxKeysProvenBy(alert: AlertRef): Promise<string[]> {
  const { resources } = await container('lpr-alerts-audit-outbox')
    .items.query<{ id: string }>(
      { query: "SELECT c.id FROM c WHERE c.docType = 'audit-outbox' AND c.proofId = @id", parameters: [{ name: '@id', value: alert.id }] },
      { partitionKey: keyOf('lpr-alerts-audit-outbox', alert.orgId, alert.id) },
    )
    .fetchAll();
  return resources.map((r) => r.id.slice(auditOutboxId('').length));
}

export const deleteAlert = (alert: AlertRef): Promise<void> => deleteIfExists('lpr-alerts', alert.orgId, alert.id);
