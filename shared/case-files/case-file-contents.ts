import type { AuditEntry } from '../domain/audit-chain';
import { NotFoundError } from '../domain/errors';
import { mayPerform } from '../domain/authorization';
import type { OrgType } from '../domain/organisation';
import type { RetailEvent } from '../domain/events/event-schema';
import type { Caller } from '../audit/audited-authorize';
import { readEntriesAbout } from '../audit/audit-entry-repository';
import { loadVisibleEvent, type VisibleEvent } from '../sharing/event-access';
import { evidenceOfEvent, toSummary, type EvidenceDoc } from '../evidence/evidence-repository';
import { readProfile } from '../events/profile-repository';
import { profileView, type ProfileView } from '../matching/profile-use-cases';
import { getOrg, knownStore } from '../orgs/org-repository';
import { custodyFor } from '../domain/case-files/custody';

/** How many events are looked at side by side (each is one or two point reads). */
const PARALLEL = 8;

async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return results;
}

/**
 * The events of `ids` the caller may see now, by the one visibility rule (an attempt on one they
 * may not see lands in its owner's chain as denied); the rest are only counted: an id that does
 * not exist and one of another tenant are left out alike, so nothing says which is which.
 */
export async function visibleEvents(caller: Caller, ids: readonly string[], action: string): Promise<{ events: VisibleEvent[]; omitted: number }> {
  const found = await inParallel(ids, async (id) => {
    try {
      return await loadVisibleEvent(caller, id, action);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  });
  const events = found.filter((e): e is VisibleEvent => e !== undefined);
  return { events, omitted: ids.length - events.length };
}

/** The caller's own retailer's profiles of `ids` (investigators only: police read events, not profiles). */
export async function visibleProfiles(caller: Caller, orgType: OrgType, ids: readonly string[], now: Date): Promise<{ profiles: ProfileView[]; omitted: number }> {
  const orgId = caller.principal.orgId;
  if (!orgId || !ids.length || !mayPerform(caller.principal, 'profile.read', orgType) || orgType !== 'retailer') return { profiles: [], omitted: ids.length };
  const docs = await inParallel(ids, (id) => readProfile(orgId, id));
  const profiles = docs.filter((d) => d !== undefined).map((d) => profileView(d!, now));
  return { profiles, omitted: ids.length - profiles.length };
}

export interface EvidenceItem {
  doc: EvidenceDoc;
  /** The original bytes go in: processed, accepted, and the requester may download them (owner, police). */
  withBytes: boolean;
  /** Its custody as the requester may see it (custody.ts); null for a partner, who sees records only. */
  custody: AuditEntry[] | null;
}

export interface EventContents {
  event: RetailEvent;
  retailerName: string;
  storeName: string | null;
  evidence: EvidenceItem[];
}

/** Everything the file holds about one visible event: the event as the requester sees it, its evidence and each item's custody. */
export async function eventContents(visible: VisibleEvent, requesterOrg: string): Promise<EventContents> {
  const { event, access } = visible;
  const [docs, store, org] = await Promise.all([evidenceOfEvent(event.retailerId, event.id), knownStore(event.retailerId, event.storeId), getOrg(event.retailerId)]);
  const evidence: EvidenceItem[] = [];
  for (const doc of docs) {
    let custody: AuditEntry[] | null = null;
    if (access.relation !== 'partner') {
      const entries: AuditEntry[] = [];
      for await (const entry of readEntriesAbout(event.retailerId, { type: 'evidence', id: doc.id })) entries.push(entry);
      custody = custodyFor(entries, event.retailerId, requesterOrg);
    }
    evidence.push({ doc, withBytes: access.download && doc.status === 'ready' && !!doc.sha256, custody });
  }
  return {
    event: { ...event, evidence: docs.map(toSummary) },
    retailerName: org?.name ?? event.retailerId,
    storeName: store?.name ?? null,
    evidence,
  };
}

export { inParallel };
