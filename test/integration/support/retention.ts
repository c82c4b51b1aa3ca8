import { container, readIfExists, scopeOf, type ContainerName } from '../../../shared/adapters/cosmos-containers';
import { matchPendingId } from '../../../shared/matching/match-pending-repository';
import { storage } from './evidence';
import { call } from './api';
import { eventBody, retailerWorld } from './world';

export type World = Awaited<ReturnType<typeof retailerWorld>>;

/** A retailer that keeps events 30 days (the shortest retention it may choose). */
export async function shortRetentionWorld(): Promise<World> {
  const w = await retailerWorld();
  const res = await call('PUT', '/api/v1/settings', { token: w.admin, body: { retentionDays: 30 } });
  if (res.status !== 200) throw new Error(`settings: ${res.status} ${res.text}`);
  return w;
}

/** An instant `days` ago at `hour`:05 UTC. */
export function daysAgo(days: number, hour = 14): string {
  const d = new Date(Date.now() - days * 86_400_000);
  d.setUTCHours(hour, 5, 0, 0);
  return d.toISOString().replace('.000Z', 'Z');
}

export async function report(token: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; people: { profileId: string }[] }> {
  const res = await call('POST', '/api/v1/events', { token, body: eventBody(overrides) });
  if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
  return res.body;
}

/** The record kinds that share a container with others, by their docType. */
const sharedKinds: Partial<Record<ContainerName, string>> = { events: 'event', profiles: 'profile', 'plate-index': 'plate-index', 'lpr-alerts': 'lpr-alert' };

/** Every record of one kind in one organisation's partition, straight from the store. */
export async function docsOf<T = Record<string, any>>(name: ContainerName, orgId: string): Promise<T[]> {
  const kind = sharedKinds[name];
  const { resources } = await container(name)
    .items.query<T>(
      {
        query: `SELECT * FROM c WHERE c.orgId = @o${kind ? ' AND c.docType = @kind' : ''}`,
        parameters: [
          { name: '@o', value: orgId },
          { name: '@kind', value: kind ?? '' },
        ],
      },
      { partitionKey: scopeOf(name, orgId) },
    )
    .fetchAll();
  return resources;
}

export async function blobsUnder(containerName: string, orgId: string): Promise<string[]> {
  const names: string[] = [];
  for await (const b of storage().getContainerClient(containerName).listBlobsFlat({ prefix: `${orgId}/` })) names.push(b.name);
  return names;
}

export const EVIDENCE_CONTAINERS = ['evidence-uploads', 'evidence', 'evidence-quarantine'];

/** Waits until matching has indexed each profile with all its events, so a sweep does not race the match queue. */
/** Waits for Connect the Dots to have indexed each profile's events; generous, as the whole suite shares two cores with it. */
export async function matched(orgId: string, profileIds: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const profiles = await docsOf<{ id: string; eventIds: string[]; match?: { indexedEvents: string[] } }>('profiles', orgId);
    const indexed = (p: (typeof profiles)[number]) => p.eventIds.every((e) => p.match?.indexedEvents.includes(e));
    if (profileIds.every((id) => profiles.some((p) => p.id === id && indexed(p)))) {
      await new Promise((r) => setTimeout(r, 500)); // the last message's suggestions are written after its profile
      return;
    }
    if (Date.now() > deadline) throw new Error('matching did not finish in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Nothing of the retailer's purged events is left anywhere: the orphan check after a sweep. */
export async function leftovers(orgId: string, purgedProfileIds: string[], purgedEventIds: string[]) {
  const events = (await docsOf('events', orgId)).filter((d) => purgedEventIds.includes(d.id));
  const profiles = (await docsOf('profiles', orgId)).filter((d) => purgedProfileIds.includes(d.id));
  const keys = (await docsOf<{ members?: string[] }>('matchkeys', orgId)).filter((k) => (k.members ?? []).some((m) => purgedProfileIds.includes(m)));
  const links = (await docsOf('links', orgId)).filter(
    (l) => purgedEventIds.includes(l.subject?.eventId) || purgedProfileIds.includes(l.subject?.profileId) || purgedProfileIds.includes(l.candidate?.profileId),
  );
  const evidence = (await docsOf('evidence', orgId)).filter((e) => purgedEventIds.includes(e.eventId));
  const messages = (await docsOf('messages', orgId)).filter((m) => purgedEventIds.includes(m.eventId));
  const folded = (await docsOf<{ folded?: string[] }>('aggregates', orgId)).flatMap((a) => a.folded ?? []);
  const blobs: string[] = [];
  for (const c of EVIDENCE_CONTAINERS) blobs.push(...(await blobsUnder(c, orgId)));
  return { events: events.length, profiles: profiles.length, keys: keys.length, links: links.length, evidence: evidence.length, messages: messages.length, folded, blobs };
}

/** Events counted in the retailer's aggregates, over every day. */
export async function aggregatedEvents(orgId: string): Promise<number> {
  const docs = await docsOf<{ docType: string; rows: { events: number }[] }>('aggregates', orgId);
  return docs.filter((d) => d.docType === 'aggregate').reduce((s, d) => s + d.rows.reduce((t, r) => t + r.events, 0), 0);
}

/**
 * Waits until the matcher has finished with each event: its pending matching request is gone (the
 * matcher removes it once it has matched the event, skipped it as sensitive, or found it gone).
 * The positive signal a "never suggested" test needs before it asserts that nothing was.
 */
export async function matchingDone(orgId: string, eventIds: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await Promise.all(eventIds.map((id) => readIfExists('match-pending', orgId, matchPendingId(id))));
    if (left.every((d) => d === undefined)) return;
    if (Date.now() > deadline) throw new Error(`matching did not finish in time for ${eventIds.filter((_, i) => left[i]).join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
