import { z } from 'zod';
import { ResourceIdSchema } from '../domain/events/event-schema';
import { ConflictError, NotFoundError, PreconditionFailedError, ServiceUnavailableError } from '../domain/errors';
import { assertNoSensitiveText } from '../domain/screening';
import type { RetailerSettings } from '../domain/retailer-settings';
import { auditDraftFor, auditFor, authorizeAudited, outsiderAttempt, sweepCaller, type AuditOf, type Caller } from '../audit/audited-authorize';
import { settleAudit } from '../audit/audit-outbox';
import type { OutboxDraft } from '../audit/audit-outbox-repository';
import { findProfileAnywhere, readProfile, restoreProfile, type ProfileDoc } from '../events/profile-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getSettings } from '../orgs/org-repository';
import { deleteForeignLinksTo, deleteLinks, readLink, replaceLink, type Link } from './link-repository';
import { mergeFolding, mergeRecordId, readMergeRecord, replaceMergeRecord, type MergeRecord } from './merge-record-repository';
import { mergeRecords, type MergeStore } from './merge-profiles';
import { movePeople, noteHistory, profileMoveRecords, type ProfileMoveStore } from './move-people';
import { profileView, ProfileViewSchema } from './profile-use-cases';
import { exclusively } from './profile-leases';

export const SplitSchema = z.object({ linkId: ResourceIdSchema, reason: z.string().trim().min(1).max(1000) }).strict();

// A union rather than .nullable(): the document then says "the profile, or null" (anyOf), not an allOf no null satisfies.
const ProfileOrNone = z.union([ProfileViewSchema, z.null()]);
/** Both profiles after a split; null for one with no report left (retention, deletions or corrections took them all since the merge). */
export const SplitResultSchema = z.object({ survivor: ProfileOrNone, restored: ProfileOrNone });
export type SplitResult = z.infer<typeof SplitResultSchema>;

/** The steps of a split, each idempotent; a crash after any of them is finished by asking again. */
export type SplitStep = 'marked' | 'restored' | 'moved' | 'released' | 'reindexed' | 'rejected' | 'done';

export interface SplitOptions {
  /** Fault injection for tests: called after each step; throwing there is a crash at that point. */
  afterStep?: (step: SplitStep) => void | Promise<void>;
  /** A retry under an Idempotency-Key that took over from an attempt which failed or died: a split that attempt finished is answered, not refused. */
  retried?: boolean;
}

/** What a split reads and writes: the repositories in the app, in-memory records in unit tests of this logic. */
export interface SplitStore extends ProfileMoveStore, Pick<MergeStore, 'unindexProfile' | 'requestRematch'> {
  /** Deletes the retailer's pending suggestions naming a side the split releases for good, and the rejections kept of its pairs (decided suggestions stay with their reports). */
  deletePendingLinksOf(retailerId: string, profileId: string): Promise<number>;
  /** Other retailers' suggestions about one of this retailer's profiles (with `pendingOnly`, those undecided; with `profileGoes` too, and the rejections kept of its pairs); how many. */
  deleteForeignLinksTo(retailerId: string, profileId: string, pendingOnly?: boolean, profileGoes?: boolean): Promise<number>;
  /** Refuses (audited) a caller who may not split this retailer's profiles. */
  authorize(caller: Caller, profileId: string): Promise<void>;
  readMergeRecord(retailerId: string, linkId: string): Promise<{ record: MergeRecord; etag: string } | undefined>;
  /** The merge, not undone, that folded this profile into another. */
  mergeFolding(retailerId: string, profileId: string): Promise<MergeRecord | undefined>;
  /** Replaces the record over the version read (412 if it moved), with `audit`'s outbox document in the same batch when given. */
  replaceMergeRecord(retailerId: string, record: MergeRecord, etag: string, audit?: OutboxDraft): Promise<void>;
  /** Creates the profile as it was; one already there is left as it is. */
  restoreProfile(doc: ProfileDoc): Promise<void>;
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  readLink(retailerId: string, id: string): Promise<{ link: Link; etag: string } | undefined>;
  replaceLink(retailerId: string, link: Link, etag: string): Promise<void>;
  /** Whether the profile is marked for erasure (readProfile answers such a profile as gone). */
  beingErased(retailerId: string, id: string): Promise<boolean>;
  /** Appends the entry of this key from the outbox, once, and clears it (false: nothing was there). */
  settleAudit(retailerId: string, key: string): Promise<boolean>;
  /** Runs `work` while no other merge, split or erasure changes these profiles (409 PROFILE_BUSY otherwise). */
  exclusively<T>(retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>): Promise<T>;
  /** The retailer holding a profile of this id, if another holds one (a query, on the path of a 404 only). */
  ownerElsewhere(id: string): Promise<string | undefined>;
  audit(caller: Caller, orgId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: SplitStore = {
  ...profileMoveRecords,
  unindexProfile: mergeRecords.unindexProfile,
  // A side left with nothing goes for good: the rejections kept of its pairs go with it.
  deletePendingLinksOf: (retailerId, profileId) => deleteLinks(retailerId, { profileId }, true, true),
  requestRematch: mergeRecords.requestRematch,
  deleteForeignLinksTo,
  beingErased: async (retailerId, id) => Boolean((await readProfile(retailerId, id, true))?.erasing),
  authorize: async (caller, profileId) => authorizeAudited(caller, 'profile.split', await callerOrgType(caller), { type: 'profile', id: profileId }),
  readMergeRecord,
  mergeFolding,
  replaceMergeRecord,
  restoreProfile,
  getSettings,
  readLink,
  replaceLink: (retailerId, link, etag) => replaceLink(retailerId, link, etag),
  settleAudit: (retailerId, key) => settleAudit(retailerId, key),
  exclusively,
  ownerElsewhere: async (id) => (await findProfileAnywhere(id))?.orgId,
  audit: auditFor,
};

/**
 * Undoes an accepted merge (PRODUCT §4b): the profile the merge folded away comes back with its id,
 * its creation time, its events and, in each, the person that was theirs; the survivor keeps every
 * other event, those added after the merge included. The suggestion becomes rejected, so the pair
 * is not suggested again; both profiles' histories and the audit chain record the split. `id` is
 * the surviving profile; `linkId` the accepted suggestion that merged them.
 */
export function profileSplits(store: SplitStore) {
  async function splitProfile(
    caller: Caller,
    id: string,
    body: z.infer<typeof SplitSchema>,
    now = new Date(),
    options: SplitOptions = {},
  ): Promise<SplitResult> {
    await store.authorize(caller, id);
    assertNoSensitiveText([{ path: 'reason', text: body.reason }]);
    const retailerId = caller.principal.orgId!;
    const first = await store.readMergeRecord(retailerId, body.linkId);
    // A split changes both profiles one document at a time: no merge, other split or erasure of either meanwhile.
    const both = first ? [id, first.record.fromId] : [id];
    return store.exclusively(retailerId, both, `split:${body.linkId}`, () => splitHeld(caller, retailerId, id, body, now, options));
  }

  /**
   * A split its request left part-way (the audit outbox sweep, once the split's entry is overdue, so
   * no request is still at it), finished as asking again would, under the same leases: otherwise it
   * waits for someone to ask again, and meanwhile both profiles refuse erasure and merges
   * (SPLIT_UNFINISHED). The reason given is not kept anywhere until the suggestion's rejection, the
   * split's last change, so the rejection it writes has no note. Its entry is left to the sweep,
   * which says who finished it. False when there was nothing to finish.
   */
  async function finishStoppedSplit(retailerId: string, linkId: string, now: Date): Promise<boolean> {
    const found = await store.readMergeRecord(retailerId, linkId);
    if (found?.record.status !== 'splitting') return false;
    const { intoId, fromId, split } = found.record;
    // Who asked for it (the record says); the caller is needed only for what a split just started writes.
    const caller = sweepCaller(split?.by ?? 'system', retailerId, mergeRecordId(linkId));
    await store.exclusively(retailerId, [intoId, fromId], `split:${linkId}`, () => splitHeld(caller, retailerId, intoId, { linkId }, now, {}, false));
    return true;
  }

  /** 404; a profile of that id another retailer holds has the attempt in its chain. */
  async function notFound(caller: Caller, retailerId: string, id: string): Promise<NotFoundError> {
    const owner = (await store.readProfile(retailerId, id)) ? undefined : await store.ownerElsewhere(id);
    if (owner && owner !== retailerId) await store.audit(caller, owner, outsiderAttempt('profile.split', { type: 'profile', id }));
    return new NotFoundError();
  }

  /** `reason`: the note of the suggestion's rejection (none when the sweep finishes a split); `settle`: append the split's entry at the end (the sweep appends it itself). */
  async function splitHeld(caller: Caller, retailerId: string, id: string, body: { linkId: string; reason?: string }, now: Date, options: SplitOptions, settle = true): Promise<SplitResult> {
    const step = async (s: SplitStep) => options.afterStep?.(s);
    const found = await store.readMergeRecord(retailerId, body.linkId);
    if (!found || (found.record.status !== 'split' && !(await store.readProfile(retailerId, found.record.intoId)))) {
      // The profile this merge went into was merged into another since: that merge is undone first (last in, first out).
      const since = found ? await store.mergeFolding(retailerId, found.record.intoId) : undefined;
      if (since && (id === found!.record.intoId || id === since.intoId)) {
        throw new ConflictError('MERGED_SINCE', `Profile ${found!.record.intoId} was merged into ${since.intoId} since (suggestion ${since.linkId}): split that merge first.`);
      }
      // A split under way whose survivor went is one that deleted it (none of its own reports was left): it carries on.
      if (found?.record.status !== 'splitting') throw await notFound(caller, retailerId, id);
    }
    if (found.record.intoId !== id) throw await notFound(caller, retailerId, id);
    // Its survivor merged into another since, that merge stopped before the survivor went: still last in, first out
    // (a split started under it could be left unable to finish, once that merge's survivor is gone).
    const later = found.record.status === 'merged' ? await store.mergeFolding(retailerId, id) : undefined;
    if (later) throw new ConflictError('MERGED_SINCE', `Profile ${id} was merged into ${later.intoId} since (suggestion ${later.linkId}): split that merge first.`);
    let { record } = found;
    if (record.status === 'split') {
      // The first attempt finished and died before answering (PRODUCT §10b): its answer, as the profiles now stand.
      if (options.retried) return bothAsTheyStand(retailerId, id, record.fromId, now);
      throw new ConflictError('ALREADY_SPLIT', 'This merge was already undone.');
    }
    // Resumed while either side is being erased (its lease lapsed when the first attempt stopped): no
    // report is moved out from under the erasure; asked again once the erasure is done.
    if (record.status === 'splitting' && (await Promise.all([record.intoId, record.fromId].map((p) => store.beingErased(retailerId, p)))).some(Boolean)) {
      throw new ConflictError('PROFILE_ERASED', 'A profile of this merge is being erased.');
    }
    // One split per merge: its entry rides with the mark that starts it, and is appended when it is done (audit-outbox.ts).
    const entry = {
      // Its key names the merge record it rides with (its shard).
      key: `profile.split@${mergeRecordId(body.linkId)}`,
      draft: auditDraftFor(caller, { action: 'profile.split', target: { type: 'profile', id }, details: { linkId: record.linkId, restoredProfileId: record.fromId } }),
    };
    if (record.status === 'merged') {
      record = { ...record, status: 'splitting', split: { at: now.toISOString(), by: caller.principal.sub } };
      await store.replaceMergeRecord(retailerId, record, found.etag, entry);
    }
    await step('marked');

    const { settings } = await store.getSettings(retailerId);
    const at = record.split!.at;
    const by = record.split!.by;
    const { fromId } = record;
    // The folded profile's events that still exist with its person in them (retention, a deletion, a
    // correction or an erasure may have taken some since), whoever that person names now (a split
    // that stopped may have moved them back already).
    const events = await store.readEvents(retailerId, record.from.eventIds);
    const refsOf = new Map(record.from.people.map(({ eventId, refs }) => [eventId, refs]));
    const live = new Map(record.from.eventIds.map((eventId, i) => [eventId, events[i] && !events[i]!.purging ? events[i]!.event : undefined]));
    const kept = record.from.eventIds.filter((e) => live.get(e)?.people.some((p) => p.profileId === fromId || (refsOf.get(e)?.includes(p.ref) && p.profileId === id)));
    const moved = new Set(kept);
    // One of them leaves the survivor unless someone else in it is the survivor's person.
    const namesSurvivor = (e: string) => Boolean(live.get(e)?.people.some((p) => p.profileId === id && !refsOf.get(e)?.includes(p.ref)));
    // None of them is left: there is no one to bring back (a profile exists while it holds an event).
    if (kept.length) await store.restoreProfile({
      id: fromId,
      orgId: retailerId,
      docType: 'profile',
      eventIds: kept,
      createdAt: record.from.createdAt,
      updatedAt: at,
      // Its own history as it was, then the split that brought it back.
      history: [...(record.from.history ?? []), { action: 'split', linkId: record.linkId, profileId: id, at, by }],
    });
    // Restored by an attempt that stopped: an event its person is in now but was not then (written
    // since) joins it, and one of those events that went before this attempt leaves it.
    if (kept.length) await store.updateMembership(retailerId, fromId, (ids) => [...ids, ...kept.filter((e) => !ids.includes(e))], now, false);
    await release(retailerId, fromId, (e) => record.from.eventIds.includes(e) && !moved.has(e), now, settings);
    await step('restored');
    for (const { eventId, refs } of record.from.people) {
      if (kept.includes(eventId)) await movePeople(store, retailerId, eventId, (p) => refs.includes(p.ref) && p.profileId === id, fromId);
    }
    await step('moved');
    await release(retailerId, id, (e) => record.from.eventIds.includes(e) && !namesSurvivor(e), now, settings);
    await step('released');
    await store.reindexProfile(retailerId, fromId, settings, now);
    await store.reindexProfile(retailerId, id, settings, now);
    await step('reindexed');
    const link = await store.readLink(retailerId, record.linkId);
    if (link && link.link.status !== 'rejected') {
      const rejected = store.replaceLink(retailerId, { ...link.link, status: 'rejected', decision: { by, at, ...(body.reason ? { note: body.reason } : {}) } }, link.etag);
      await unlessDone(rejected, async () => (await store.readLink(retailerId, record.linkId))?.link.status === 'rejected');
    }
    await step('rejected');
    // The merge retired the folded profile's pending suggestions (they named a profile then gone):
    // both sides matched again, so that those that still hold are suggested again. Not this pair:
    // its rejection is what keeps it from being suggested, so only where that stands (the deletion
    // of the link's own report takes the link with it). Matching twice changes nothing, so a
    // resumed split may ask again. As after a merge, by each side's newest report.
    if (link) {
      const newest = (await Promise.all([store.readProfile(retailerId, fromId), store.readProfile(retailerId, id)])).flatMap((p) => p?.eventIds.at(-1) ?? []);
      if (newest.length) await store.requestRematch(retailerId, newest);
    }
    await noteHistory(store, retailerId, id, { action: 'split', linkId: record.linkId, profileId: fromId, at, by });
    const latest = await store.readMergeRecord(retailerId, record.linkId);
    if (latest && latest.record.status !== 'split') {
      const marked = store.replaceMergeRecord(retailerId, { ...latest.record, status: 'split' }, latest.etag);
      await unlessDone(marked, async () => (await store.readMergeRecord(retailerId, record.linkId))?.record.status === 'split');
    }
    // The entry of the attempt that started the split (a resumed split finishes it, once).
    if (settle) await store.settleAudit(retailerId, entry.key);
    await step('done');
    return bothAsTheyStand(retailerId, id, fromId, now);
  }

  /**
   * Takes the `leaving` events out of the profile's list. One left with none (its own reports went
   * since the merge) goes: out of the index first, with its pending suggestions (partners' too),
   * as after a purge; and again should a re-index put keys back before it is deleted.
   */
  async function release(retailerId: string, profileId: string, leaving: (eventId: string) => boolean, now: Date, settings: RetailerSettings): Promise<void> {
    for (let attempt = 0, outcome = 'indexed'; outcome === 'indexed'; attempt += 1) {
      if (attempt === 3) throw new ServiceUnavailableError(`Profile ${profileId} keeps being indexed while its last events leave it: try again.`);
      const left = await store.readProfile(retailerId, profileId);
      if (!left || !left.eventIds.some(leaving)) return;
      if (left.eventIds.every(leaving)) {
        await store.unindexProfile(retailerId, left);
        await store.deletePendingLinksOf(retailerId, profileId);
        if (settings.connectTheDots.crossRetailer) await store.deleteForeignLinksTo(retailerId, profileId, true, true);
      }
      outcome = await store.updateMembership(retailerId, profileId, (ids) => ids.filter((e) => !leaving(e)), now, false);
    }
  }

  async function bothAsTheyStand(retailerId: string, id: string, fromId: string, now: Date): Promise<SplitResult> {
    const [survivor, restored] = await Promise.all([store.readProfile(retailerId, id), store.readProfile(retailerId, fromId)]);
    return { survivor: survivor ? profileView(survivor, now) : null, restored: restored ? profileView(restored, now) : null };
  }

  return { splitProfile, finishStoppedSplit };
}

/**
 * A write over the version read that the store refused as stale (412) because it had already
 * applied it: its answer was lost and the request sent again met its own change. Under the
 * split's leases nothing else writes these documents, so when what it wanted is there the split
 * goes on; a client that sent no precondition must not be answered 412.
 */
async function unlessDone(write: Promise<void>, done: () => Promise<boolean>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof PreconditionFailedError) || !(await done())) throw error;
  }
}

export const { splitProfile, finishStoppedSplit } = profileSplits(cosmosRecords);
