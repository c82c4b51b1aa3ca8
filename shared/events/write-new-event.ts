import type { RetailEvent } from '../domain/events/event-schema';
import { profileIdsOf } from '../domain/events/event-rules';
import { tryBatch } from '../adapters/cosmos-batch';
import { newEventPlateWrites } from '../lpr/plate-index-repository';
import { newEventOperation } from './event-repository';
import { joinProfileOperation, type ProfileDoc } from './profile-repository';

/**
 * Writes a new event, the profiles its people join and its plate-index entries in one
 * transactional batch in the retailer's partition: one round trip, and all or nothing in Azure
 * (events, profiles and the plate index share a container for this). `given` holds the existing
 * profiles named in the event, as read while checking them; every other profile is minted for
 * this event and created.
 *
 * Undefined when the batch failed: a profile or plate document changed since it was read, or a
 * retried request finds its records written. The caller then writes them one by one, reading
 * afresh, which also finishes whatever a failed batch applied on the local server (it applies
 * operations up to the failing one). The event goes last, so it is never stored without them.
 */
export async function writeNewEventAtOnce(event: RetailEvent, storeJurisdiction: string, given: ReadonlyMap<string, ProfileDoc>, now: Date): Promise<string | undefined> {
  const profiles = profileIdsOf(event).map((id) => joinProfileOperation(event.retailerId, id, event.id, now, given.get(id)));
  const plates = newEventPlateWrites(event.retailerId, event);
  const results = await tryBatch('events', event.retailerId, [...profiles, ...plates.operations, newEventOperation(event, storeJurisdiction)]);
  plates.settled(results?.slice(profiles.length, profiles.length + plates.operations.length));
  return results ? (results.at(-1)?.eTag ?? '') : undefined;
}
