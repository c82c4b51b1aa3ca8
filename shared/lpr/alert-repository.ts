import type { LprAlert } from '../domain/lpr/lpr-schema';
import type { Cursor } from '../domain/events/event-list';
import { container, deleteIfExists, inOrganisation, queryAll, readIfExists } from '../adapters/cosmos-containers';
import { createManyOnce } from '../adapters/cosmos-batch';

type AlertDoc = LprAlert & { orgId: string; docType: 'lpr-alert'; _etag?: string };

const STORED_ONLY = ['orgId', 'docType', 'shard'];
const strip = (doc: AlertDoc): LprAlert => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_') && !STORED_ONLY.includes(k)) out[k] = v;
  return out as LprAlert;
};

/** Alert ids derive from the read, so a retried batch stores each alert once. */
export async function saveAlerts(retailerId: string, alerts: readonly LprAlert[]): Promise<void> {
  await createManyOnce('lpr-alerts', retailerId, alerts.map((a) => ({ ...a, orgId: retailerId, docType: 'lpr-alert' })));
}

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

/**
 * Retention (PRODUCT §7): alerts stored before `cutoff` (each holds a plate and the people it
 * pointed at) are deleted on the retailer's schedule, at most `max` a run; how many.
 */
export async function deleteAlertsBefore(retailerId: string, cutoff: string, max: number): Promise<number> {
  const expired = await queryAll<{ id: string }>(
    'lpr-alerts',
    retailerId,
    `SELECT TOP ${max} c.id FROM c WHERE c.orgId = @orgId AND c.docType = 'lpr-alert' AND c.createdAt < @cutoff`,
    { orgId: retailerId, cutoff },
  );
  for (const { id } of expired) await deleteIfExists('lpr-alerts', retailerId, id);
  return expired.length;
}

/**
 * Alerts, the retailer's own and its partners', that name one of its events or people: they go
 * with it (a purge, an erasure), as each holds a plate and points at the person. One query across
 * partitions (a partner's alert may name the retailer's event); how many.
 */
export async function deleteAlertsNaming(retailerId: string, of: { eventId: string } | { profileId: string }): Promise<number> {
  const [field, value] = 'eventId' in of ? ['eventIds', of.eventId] : ['profileIds', of.profileId];
  const named = await queryAll<{ id: string; orgId: string }>(
    'lpr-alerts',
    undefined,
    `SELECT c.id, c.orgId FROM c WHERE c.docType = 'lpr-alert' AND ARRAY_CONTAINS(c.retailerIds, @retailerId) AND ARRAY_CONTAINS(c.${field}, @value)`,
    { retailerId, value },
  );
  for (const { id, orgId } of named) await deleteIfExists('lpr-alerts', orgId, id);
  return named.length;
}
