import { auditFor, type Caller } from '../audit/audited-authorize';
import type { RetailEvent } from '../domain/events/event-schema';
import { decodeCursor, encodeCursor, type EventListQuery } from '../domain/events/event-list';
import { ForbiddenError } from '../domain/errors';
import { may } from '../domain/authorization';
import { evidenceSummaries } from '../evidence/event-evidence';
import { loadVisibleEvent, viewerOf } from '../sharing/event-access';
import { listSharedWithAgency } from '../sharing/police-listing';
import { queryEvents } from './event-query-repository';
import { auditEvent, authorizeFor, type EventReply } from './event-steps';

/** Reading events: one by id, whoever may see it; a page of the caller's own (or, for police, of those shared with the agency). */

/** The owner, a police officer it is shared with, or a partner investigator: the one rule decides; the owner's chain records it. */
export async function getEvent(caller: Caller, id: string): Promise<EventReply> {
  await authorizeFor(caller, 'event.read', id);
  const { event, etag, access } = await loadVisibleEvent(caller, id);
  await auditEvent(caller, event.retailerId, 'event.read', event, { relation: access.relation });
  // Evidence locker (issue 4): the event's evidence, summarised.
  const evidence = await evidenceSummaries(event.retailerId, id);
  return { event: { ...event, evidence }, etag };
}

export async function listEvents(caller: Caller, query: EventListQuery): Promise<{ items: RetailEvent[]; continuationToken: string | null }> {
  await authorizeFor(caller, 'event.read', '*');
  const viewer = await viewerOf(caller);
  if (viewer.org?.type === 'agency') return listSharedWithAgency(caller, viewer, query);
  if (viewer.org?.type !== 'retailer' || !may(caller.principal, 'event.read.own')) throw new ForbiddenError('Your organisation or role cannot list events.');
  const retailerId = viewer.org.id;
  const { principal } = caller;
  const privileged = may(principal, 'store.all');
  const page = await queryEvents(
    retailerId,
    {
      ...query,
      storeScope: privileged ? null : principal.stores,
      includeSensitive: may(principal, 'event.read.sensitive'),
    },
    query.pageSize,
    query.continuationToken ? decodeCursor(query.continuationToken) : undefined,
  );
  await auditFor(caller, retailerId, {
    action: 'event.list',
    target: { type: 'event', id: '*' },
    details: { count: page.items.length, eventIds: page.items.map((e) => e.id) },
  });
  return { items: page.items, continuationToken: page.next ? encodeCursor(page.next) : null };
}
