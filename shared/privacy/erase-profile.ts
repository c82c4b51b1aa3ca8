import { ConflictError } from '../domain/errors';
import { responseWithoutPerson, withoutPerson, type ErasureStep } from '../domain/privacy/erasure';
import { readEvent, replaceEvent } from '../events/event-repository';
import { syncPlateIndex } from '../lpr/plate-index-repository';
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

/** Events of the profile under legal hold that still hold the person. */
export async function heldEvents(retailerId: string, profile: ProfileDoc): Promise<string[]> {
  const held: string[] = [];
  for (const id of profile.eventIds) {
    const found = await readEvent(retailerId, id);
    if (found && !found.purging && found.event.legalHold && found.event.people.some((p) => p.profileId === profile.id)) held.push(id);
  }
  return held;
}

export const legalHoldError = (ids: string[]) =>
  new ConflictError('LEGAL_HOLD', `The person appears in ${ids.length} event(s) under legal hold (${ids.join(', ')}); lift the hold before erasing.`);

/** Step 1: from now on every read but the erasure's treats the profile as gone. */
export async function markErasing(profile: ProfileDoc, by: string, now: Date, audit?: Omit<OutboxEntry, 'where'>): Promise<ProfileDoc> {
  return optimistically(`Profile ${profile.id}`, async (attempt) => {
    const current = attempt === 0 ? profile : await readProfile(profile.orgId, profile.id, true);
    if (!current) throw new ConflictError('PROFILE_GONE', 'The profile went while it was being erased.');
    if (current.erasing) return current;
    const next: ProfileDoc = { ...current, erasing: { at: now.toISOString(), by } };
    if (!(await replaceProfileIfUnchanged(current, next, audit))) return RETRY;
    return (await readProfile(profile.orgId, profile.id, true)) ?? next;
  });
}

/**
 * Step 2: the person leaves every event of the retailer (the events stay), each event replaced
 * only over the version read (re-read and retried when another write came first). A hold placed
 * since the check stops the erasure with 409; the profile stays marked (invisible) until a re-run
 * after the hold is lifted. Stored idempotent responses lose the person too.
 */
export async function removeFromEvents(profile: ProfileDoc, by: string, now: Date): Promise<number> {
  let updated = 0;
  for (const eventId of profile.eventIds) {
    await optimistically(`Event ${eventId}`, async () => {
      const found = await readEvent(profile.orgId, eventId);
      // A purge in progress takes the whole event, the person with it.
      if (!found || found.purging) return undefined;
      const next = withoutPerson(found.event, profile.id, by, now);
      // Already without the person (a re-run after a crash): the plate index may still name them.
      if (!next) return syncPlateIndex(profile.orgId, eventId, found.event, found.event);
      if (found.event.legalHold) throw legalHoldError([eventId]);
      await replaceEvent(next, found.etag, found.storeJurisdiction);
      await syncPlateIndex(profile.orgId, eventId, found.event, next);
      updated += 1;
      return undefined;
    });
  }
  await rewriteStoredResponses(profile.orgId, profile.eventIds, (body) => responseWithoutPerson(body, profile.id));
  return updated;
}

/** Step 3: out of Connect the Dots, then the profile's facts (personal data) dropped with its keys. */
export async function removeKeys(profile: ProfileDoc): Promise<number> {
  return optimistically(`Profile ${profile.id}`, async (attempt) => {
    const current = attempt === 0 ? profile : await readProfile(profile.orgId, profile.id, true);
    if (!current?.match) return 0;
    await unindexProfile(current.orgId, current);
    const { match: _m, harm: _h, ...rest } = current;
    return (await replaceProfileIfUnchanged(current, rest)) ? current.match.keys.length : RETRY;
  });
}

/** Step 4: suggestions and decisions about the person, in this retailer's partition and in partners'. */
export async function removeLinks(profile: ProfileDoc): Promise<number> {
  return (await deleteLinks(profile.orgId, { profileId: profile.id })) + (await deleteForeignLinksTo(profile.orgId, profile.id));
}

/** Step 5: the profile document, last. */
export async function deleteProfile(profile: ProfileDoc): Promise<void> {
  await deleteProfileDoc(profile.orgId, profile.id);
}

/** Test hook: behaves as a crash right after `step`. */
export function crashAfter(step: ErasureStep, failAfter: ErasureStep | undefined): void {
  if (failAfter === step) throw new Error(`Erasure stopped after step "${step}" (fault injected).`);
}
