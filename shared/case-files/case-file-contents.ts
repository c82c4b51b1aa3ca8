import type { AuditEntry } from '../domain/audit-chain';
import { NotFoundError } from '../domain/errors';
import { mayPerform } from '../domain/authorization';
import type { OrgType, Store } from '../domain/organisation';
import type { RetailEvent } from '../domain/events/event-schema';
import { auditFor, type Caller } from '../audit/audited-authorize';
import { readEntriesAbout } from '../audit/audit-entry-repository';
import { eventAccess, type EventAccessStore, type VisibleEvent } from '../sharing/event-access';
import { agreementIsActive } from '../sharing/agreement-repository';
import { evidenceOfEvent, toSummary, type EvidenceDoc } from '../evidence/evidence-repository';
import { findEventAnywhere, readEvent } from '../events/event-repository';
import { readProfile, type ProfileDoc } from '../events/profile-repository';
import { profileView, type ProfileView } from '../matching/profile-use-cases';
import { getOrg, getSettings, knownStore } from '../orgs/org-repository';
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
 * What deciding and gathering a case file's contents reads, and where a refused read is recorded
 * (the event-access reads, then these): the repositories in the app, in-memory records in unit tests.
 */
export interface CaseFileContentsStore extends EventAccessStore {
  /** The profile, or undefined when absent or being erased. */
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** An event's evidence records, oldest first. */
  evidenceOfEvent(retailerId: string, eventId: string): Promise<EvidenceDoc[]>;
  /** A retailer's store (possibly 30 s old), for its name. */
  knownStore(retailerId: string, storeId: string): Promise<Store | undefined>;
  /** The entries of an organisation's chain about one target, oldest first. */
  readEntriesAbout(orgId: string, target: { type: string; id: string }): AsyncIterable<AuditEntry>;
}

/** The repositories; the case file build's store starts from these. */
export const contentsRecords: CaseFileContentsStore = {
  getOrg,
  getSettings,
  agreementIsActive,
  readEvent,
  findEventAnywhere,
  auditFor,
  readProfile: (retailerId, id) => readProfile(retailerId, id),
  evidenceOfEvent,
  knownStore,
  readEntriesAbout: (orgId, target) => readEntriesAbout(orgId, target),
};

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

/** What of the events and profiles asked for a requester may have, over a store. */
export function caseFileContents(store: CaseFileContentsStore) {
  const { loadVisibleEvent } = eventAccess(store);

  /**
   * The events of `ids` the caller may see now, by the one visibility rule (an attempt on one they
   * may not see lands in its owner's chain as denied); the rest are only counted: an id that does
   * not exist and one of another tenant are left out alike, so nothing says which is which.
   */
  async function visibleEvents(caller: Caller, ids: readonly string[], action: string): Promise<{ events: VisibleEvent[]; omitted: number }> {
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
  async function visibleProfiles(caller: Caller, orgType: OrgType, ids: readonly string[], now: Date): Promise<{ profiles: ProfileView[]; omitted: number }> {
    const orgId = caller.principal.orgId;
    if (!orgId || !ids.length || !mayPerform(caller.principal, 'profile.read', orgType) || orgType !== 'retailer') return { profiles: [], omitted: ids.length };
    const docs = await inParallel(ids, (id) => store.readProfile(orgId, id));
    const profiles = docs.filter((d) => d !== undefined).map((d) => profileView(d!, now));
    return { profiles, omitted: ids.length - profiles.length };
  }

  /** Everything the file holds about one visible event: the event as the requester sees it, its evidence and each item's custody. */
  async function eventContents(visible: VisibleEvent, requesterOrg: string): Promise<EventContents> {
    const { event, access } = visible;
    const [docs, known, org] = await Promise.all([store.evidenceOfEvent(event.retailerId, event.id), store.knownStore(event.retailerId, event.storeId), store.getOrg(event.retailerId)]);
    const evidence: EvidenceItem[] = [];
    for (const doc of docs) {
      let custody: AuditEntry[] | null = null;
      if (access.relation !== 'partner') {
        const entries: AuditEntry[] = [];
        for await (const entry of store.readEntriesAbout(event.retailerId, { type: 'evidence', id: doc.id })) entries.push(entry);
        custody = custodyFor(entries, event.retailerId, requesterOrg);
      }
      evidence.push({ doc, withBytes: access.download && doc.status === 'ready' && !!doc.sha256, custody });
    }
    return {
      event: { ...event, evidence: docs.map(toSummary) },
      retailerName: org?.name ?? event.retailerId,
      storeName: known?.name ?? null,
      evidence,
    };
  }

  return { visibleEvents, visibleProfiles, eventContents };
}

export const { visibleEvents, visibleProfiles } = caseFileContents(contentsRecords);

export { inParallel };
