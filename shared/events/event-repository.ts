import type { RetailEvent } from '../domain/events/event-schema';
import { ConflictError, PreconditionFailedError } from '../domain/errors';
import { container } from '../adapters/cosmos-containers';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/**
 * Stored shape: the event plus fields that exist only to be filtered and sorted on
 * (normalised time, profile ids, plates) and a purge marker.
 */
interface EventDoc extends RetailEvent {
  orgId: string;
  docType: 'event';
  occurredAtUtc: string;
  profileIds: string[];
  plates: string[];
  purging?: boolean;
  _etag?: string;
}

export interface VersionedEvent {
  event: RetailEvent;
  etag: string;
  purging: boolean;
}

const SERVER_ONLY = ['orgId', 'docType', 'occurredAtUtc', 'profileIds', 'plates', 'purging'] as const;

function toDoc(event: RetailEvent, purging?: boolean): EventDoc {
  return {
    ...event,
    orgId: event.retailerId,
    docType: 'event',
    occurredAtUtc: new Date(event.occurredAt).toISOString(),
    profileIds: [...new Set(event.people.map((p) => p.profileId))],
    plates: [...new Set(event.vehicles.map((v) => v.normalisedPlate))],
    ...(purging ? { purging } : {}),
  };
}

export function fromDoc(doc: EventDoc): RetailEvent {
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (!k.startsWith('_') && !(SERVER_ONLY as readonly string[]).includes(k)) event[k] = v;
  }
  return event as unknown as RetailEvent;
}

export async function readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined> {
  try {
    const { resource } = await container('events').item(id, retailerId).read<EventDoc>();
    if (!resource || resource.docType !== 'event') return undefined;
    return { event: fromDoc(resource), etag: resource._etag ?? '', purging: resource.purging === true };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Create only: a second create of the same id (a retried request) answers EVENT_EXISTS. */
export async function insertEvent(event: RetailEvent): Promise<string> {
  try {
    const { resource } = await container('events').items.create(toDoc(event));
    return resource?._etag ?? '';
  } catch (error) {
    if (isConflict(error)) throw new ConflictError('EVENT_EXISTS', `Event ${event.id} already exists.`);
    throw error;
  }
}

/** Replace only the version that was read: 412 when someone else changed it first. */
export async function replaceEvent(event: RetailEvent, etag: string, purging = false): Promise<string> {
  try {
    const { resource } = await container('events')
      .item(event.id, event.retailerId)
      .replace(toDoc(event, purging), { accessCondition: { type: 'IfMatch', condition: etag } });
    return resource?._etag ?? '';
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) throw new PreconditionFailedError();
    throw error;
  }
}

export async function deleteEventDoc(retailerId: string, id: string): Promise<void> {
  try {
    await container('events').item(id, retailerId).delete();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
