import { auditFor, type AuditOf, type Caller } from '../audit/audited-authorize';
import type { RetailEvent } from '../domain/events/event-schema';
import { decodeCursor, encodeCursor, type Cursor, type EventListQuery } from '../domain/events/event-list';
import { ForbiddenError } from '../domain/errors';
import { may, type Action } from '../domain/authorization';
import type { Viewer } from '../domain/sharing';
import type { EvidenceSummary } from '../domain/evidence/evidence-schema';
import { evidenceSummaries } from '../evidence/event-evidence';
import { loadVisibleEvent, viewerOf, type VisibleEvent } from '../sharing/event-access';
import { listSharedWithAgency } from '../sharing/police-listing';
import { queryEvents, type EventFilter } from './event-query-repository';
import { authorizeFor, eventAudit, type EventReply } from './event-steps';

/** Reading events: one by id, whoever may see it; a page of the caller's own (or, for police, of those shared with the agency). */

/** What reading events reads: the repositories in the app, events in memory in unit tests of this logic. */
export interface EventReadStore {
  /** Refuses (audited) a caller who may not perform `action`; another organisation's event id answers 404. */
  authorize(caller: Caller, action: Action, id: string): Promise<void>;
  viewerOf(caller: Caller): Promise<Viewer>;
  /** The event if the one visibility rule lets the caller see it, with what they may do; 404 otherwise. */
  loadVisibleEvent(caller: Caller, id: string): Promise<VisibleEvent>;
  /** A page of the events shared with the viewer's agency (recorded in each shown retailer's chain). */
  listSharedWithAgency(caller: Caller, viewer: Viewer, query: EventListQuery): Promise<{ items: RetailEvent[]; continuationToken: string | null }>;
  /** A page of the retailer's own events, newest first, after a page's last. */
  queryEvents(retailerId: string, filter: EventFilter, pageSize: number, after?: Cursor): Promise<{ items: RetailEvent[]; next: Cursor | null }>;
  /** The event's evidence, summarised. */
  evidenceSummaries(retailerId: string, eventId: string): Promise<EvidenceSummary[]>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: EventReadStore = {
  authorize: async (caller, action, id) => void (await authorizeFor(caller, action, id)),
  viewerOf,
  loadVisibleEvent: (caller, id) => loadVisibleEvent(caller, id),
  listSharedWithAgency,
  queryEvents,
  evidenceSummaries,
  audit: auditFor,
};

/** Reading events (PRODUCT §3, §5), over a store. */
export function eventReads(store: EventReadStore) {
  /** The owner, a police officer it is shared with, or a partner investigator: the one rule decides; the owner's chain records it. */
  async function getEvent(caller: Caller, id: string): Promise<EventReply> {
    await store.authorize(caller, 'event.read', id);
    const { event, etag, access } = await store.loadVisibleEvent(caller, id);
    await store.audit(caller, event.retailerId, eventAudit('event.read', event, { relation: access.relation }));
    // Evidence locker (issue 4): the event's evidence, summarised.
    const evidence = await store.evidenceSummaries(event.retailerId, id);
    return { event: { ...event, evidence }, etag };
  }

  async function listEvents(caller: Caller, query: EventListQuery): Promise<{ items: RetailEvent[]; continuationToken: string | null }> {
    await store.authorize(caller, 'event.read', '*');
    const viewer = await store.viewerOf(caller);
    if (viewer.org?.type === 'agency') return store.listSharedWithAgency(caller, viewer, query);
    if (viewer.org?.type !== 'retailer' || !may(caller.principal, 'event.read.own')) throw new ForbiddenError('Your organisation or role cannot list events.');
    const retailerId = viewer.org.id;
    const { principal } = caller;
    const privileged = may(principal, 'store.all');
    const page = await store.queryEvents(
      retailerId,
      {
        ...query,
        storeScope: privileged ? null : principal.stores,
        includeSensitive: may(principal, 'event.read.sensitive'),
      },
      query.pageSize,
      query.continuationToken ? decodeCursor(query.continuationToken) : undefined,
    );
    await store.audit(caller, retailerId, {
      action: 'event.list',
      target: { type: 'event', id: '*' },
      details: { count: page.items.length, eventIds: page.items.map((e) => e.id) },
    });
    return { items: page.items, continuationToken: page.next ? encodeCursor(page.next) : null };
  }

  return { getEvent, listEvents };
}

export const { getEvent, listEvents } = eventReads(cosmosRecords);
