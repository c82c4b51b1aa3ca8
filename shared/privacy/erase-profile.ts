import { ConflictError, NotFoundError } from '../domain/errors';
import { responseWithoutPerson, withoutPerson, type ErasureStep } from '../domain/privacy/erasure';
import type { RetailEvent } from '../domain/events/event-schema';
import { readEvent, replaceEvent, type VersionedEvent } from '../events/event-repository';
import { syncPlateIndex } from '../lpr/plate-index-repository';
import { deleteAlertsNaming } from '../lpr/alert-removal';
import { rewriteStoredResponses } from '../events/idempotency';
import { deleteProfileDoc, readProfile, replaceProfileIfUnchanged, type ProfileDoc } from '../events/profile-repository';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { deleteForeignLinksTo, deleteLinks } from '../matching/link-repository';
import { unindexProfile } from '../matching/reindex-profile';
import { optimistically, RETRY } from '../adapters/optimistic';

/*
 * The steps of erasing one person, in the order that makes the erasure crash-safe (see
 * erasure-use-cases.ts). Each step is idempotent: running it again after it completed changes
 * nothing, so a re-run of the whole erasure finishes whatever a crash left.
 */

/** What the erasure's steps read and write: the repositories in the app, in-memory records in unit tests of the steps. */
export interface EraseProfileStore {
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  /** Replaces the version read (a 412 if it moved since). */
  replaceEvent(event: RetailEvent, etag: string, storeJurisdiction: string): Promise<unknown>;
  /** Brings the plate index from what `before` named to what `after` names. */
  syncPlateIndex(retailerId: string, eventId: string, before: RetailEvent | undefined, after: RetailEvent | undefined): Promise<void>;
  /** Rewrites the stored idempotent responses of these events. */
  rewriteStoredResponses(retailerId: string, eventIds: string[], rewrite: (body: unknown) => unknown): Promise<unknown>;
  /** The profile, even while it is being erased. */
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** Replaces the version read (with an audit entry in the outbox, in one batch); false when it moved or went first. */
  replaceProfileIfUnchanged(current: ProfileDoc, next: ProfileDoc, audit?: Omit<OutboxEntry, 'where'>): Promise<boolean>;
  /** Takes the profile out of its keys and the retailer's population. */
  unindexProfile(retailerId: string, profile: ProfileDoc): Promise<void>;
  /** Deletes the retailer's suggestions and decisions naming the profile; answers how many. */
  deleteLinks(retailerId: string, of: { profileId: string }): Promise<number>;
  /** Deletes partners' suggestions and decisions naming the retailer's profile; answers how many. */
  deleteForeignLinksTo(retailerId: string, profileId: string): Promise<number>;
  /** Deletes the LPR alerts (the retailer's and partners') naming the profile; answers how many. */
  deleteAlertsNaming(retailerId: string, of: { profileId: string }): Promise<number>;
  deleteProfileDoc(retailerId: string, id: string): Promise<void>;
}

const cosmosRecords: EraseProfileStore = {
  readEvent: (retailerId, id) => readEvent(retailerId, id),
  replaceEvent: (event, etag, storeJurisdiction) => replaceEvent(event, etag, storeJurisdiction),
  syncPlateIndex: (retailerId, eventId, before, after) => syncPlateIndex(retailerId, eventId, before, after),
  rewriteStoredResponses: (retailerId, eventIds, rewrite) => rewriteStoredResponses(retailerId, eventIds, rewrite),
  readProfile: (retailerId, id) => readProfile(retailerId, id, true),
  replaceProfileIfUnchanged: (current, next, audit) => replaceProfileIfUnchanged(current, next, audit),
  unindexProfile: (retailerId, profile) => unindexProfile(retailerId, profile),
  deleteLinks: (retailerId, of) => deleteLinks(retailerId, of),
  deleteForeignLinksTo: (retailerId, profileId) => deleteForeignLinksTo(retailerId, profileId),
  deleteAlertsNaming: (retailerId, of) => deleteAlertsNaming(retailerId, of),
  deleteProfileDoc: (retailerId, id) => deleteProfileDoc(retailerId, id),
};

export const legalHoldError = (ids: string[]) =>
  new ConflictError('LEGAL_HOLD', `The person appears in ${ids.length} event(s) under legal hold (${ids.join(', ')}); lift the hold before erasing.`);

/** The steps of erasing one person, over a store. */
export function profileErasureSteps(store: EraseProfileStore) {
  /** Events of the profile under legal hold that still hold the person. */
  async function heldEvents(retailerId: string, profile: ProfileDoc): Promise<string[]> {
    const held: string[] = [];
    for (const id of profile.eventIds) {
      const found = await store.readEvent(retailerId, id);
      if (found && !found.purging && found.event.legalHold && found.event.people.some((p) => p.profileId === profile.id)) held.push(id);
    }
    return held;
  }

  /** Step 1: from now on every read but the erasure's treats the profile as gone. */
  async function markErasing(profile: ProfileDoc, by: string, now: Date, audit?: Omit<OutboxEntry, 'where'>): Promise<ProfileDoc> {
    return optimistically(`Profile ${profile.id}`, async (attempt) => {
      const current = attempt === 0 ? profile : await store.readProfile(profile.orgId, profile.id);
      // Gone since it was read: erased by another run of this erasure (one holder of its lease), or
      // emptied by the deletion of its last report (which takes no lease). 404, as a DELETE asked
      // again would answer: ten at once had one answered 409.
      if (!current) throw new NotFoundError();
      if (current.erasing) return current;
      const next: ProfileDoc = { ...current, erasing: { at: now.toISOString(), by } };
      if (!(await store.replaceProfileIfUnchanged(current, next, audit))) return RETRY;
      return (await store.readProfile(profile.orgId, profile.id)) ?? next;
    });
  }

  /**
   * Step 2: the person leaves every event of the retailer (the events stay), each event replaced
   * only over the version read (re-read and retried when another write came first). A hold placed
   * since the check stops the erasure with 409; the profile stays marked (invisible) until a re-run
   * after the hold is lifted. Stored idempotent responses lose the person too.
   */
  async function removeFromEvents(profile: ProfileDoc, by: string, now: Date): Promise<number> {
    let updated = 0;
    for (const eventId of profile.eventIds) {
      await optimistically(`Event ${eventId}`, async () => {
        const found = await store.readEvent(profile.orgId, eventId);
        // A purge in progress takes the whole event, the person with it.
        if (!found || found.purging) return undefined;
        const next = withoutPerson(found.event, profile.id, by, now);
        // Already without the person (a re-run after a crash): the plate index may still name them.
        if (!next) return store.syncPlateIndex(profile.orgId, eventId, found.event, found.event);
        if (found.event.legalHold) throw legalHoldError([eventId]);
        await store.replaceEvent(next, found.etag, found.storeJurisdiction);
        await store.syncPlateIndex(profile.orgId, eventId, found.event, next);
        updated += 1;
        return undefined;
      });
    }
    await store.rewriteStoredResponses(profile.orgId, profile.eventIds, (body) => responseWithoutPerson(body, profile.id));
    return updated;
  }

  /** Step 3: out of Connect the Dots, then the profile's facts (personal data) dropped with its keys. */
  async function removeKeys(profile: ProfileDoc): Promise<number> {
    return optimistically(`Profile ${profile.id}`, async (attempt) => {
      const current = attempt === 0 ? profile : await store.readProfile(profile.orgId, profile.id);
      if (!current?.match) return 0;
      await store.unindexProfile(current.orgId, current);
      const { match: _m, harm: _h, ...rest } = current;
      return (await store.replaceProfileIfUnchanged(current, rest)) ? current.match.keys.length : RETRY;
    });
  }

  /** Step 4: suggestions and decisions about the person, in this retailer's partition and in partners' (their count), and LPR alerts naming them. */
  async function removeLinks(profile: ProfileDoc): Promise<number> {
    const links = (await store.deleteLinks(profile.orgId, { profileId: profile.id })) + (await store.deleteForeignLinksTo(profile.orgId, profile.id));
    await store.deleteAlertsNaming(profile.orgId, { profileId: profile.id });
    return links;
  }

  /** Step 5: the profile document, last. */
  async function deleteProfile(profile: ProfileDoc): Promise<void> {
    await store.deleteProfileDoc(profile.orgId, profile.id);
  }

  return { heldEvents, markErasing, removeFromEvents, removeKeys, removeLinks, deleteProfile };
}

export const { heldEvents, markErasing, removeFromEvents, removeKeys, removeLinks, deleteProfile } = profileErasureSteps(cosmosRecords);

/** Test hook: behaves as a crash right after `step`. */
export function crashAfter(step: ErasureStep, failAfter: ErasureStep | undefined): void {
  if (failAfter === step) throw new Error(`Erasure stopped after step "${step}" (fault injected).`);
}
