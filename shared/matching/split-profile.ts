import { z } from 'zod';
import { ResourceIdSchema } from '../domain/events/event-schema';
import { ConflictError, NotFoundError } from '../domain/errors';
import { assertNoSensitiveText } from '../domain/screening';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleAudit } from '../audit/audit-outbox';
import { readEvents } from '../events/event-repository';
import { readProfile, restoreProfile, updateMembership } from '../events/profile-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getSettings } from '../orgs/org-repository';
import { readLink, replaceLink } from './link-repository';
import { mergeRecordId, readMergeRecord, replaceMergeRecord } from './merge-record-repository';
import { movePeople, noteHistory } from './merge-profiles';
import { profileView, type ProfileView } from './profile-use-cases';
import { reindexProfile } from './reindex-profile';

export const SplitSchema = z.object({ linkId: ResourceIdSchema, reason: z.string().trim().min(1).max(1000) }).strict();

/** The steps of a split, each idempotent; a crash after any of them is finished by asking again. */
export type SplitStep = 'marked' | 'restored' | 'moved' | 'released' | 'reindexed' | 'rejected' | 'done';

export interface SplitOptions {
  /** Fault injection for tests: called after each step; throwing there is a crash at that point. */
  afterStep?: (step: SplitStep) => void | Promise<void>;
}

/**
 * Undoes an accepted merge (PRODUCT §4b): the profile the merge folded away comes back with its id,
 * its creation time, its events and, in each, the person that was theirs; the survivor keeps every
 * other event, those added after the merge included. The suggestion becomes rejected, so the pair
 * is not suggested again; both profiles' histories and the audit chain record the split. `id` is
 * the surviving profile; `linkId` the accepted suggestion that merged them.
 */
export async function splitProfile(
  caller: Caller,
  id: string,
  body: z.infer<typeof SplitSchema>,
  now = new Date(),
  options: SplitOptions = {},
): Promise<{ survivor: ProfileView; restored: ProfileView }> {
  await authorizeAudited(caller, 'profile.split', await callerOrgType(caller), { type: 'profile', id });
  assertNoSensitiveText([{ path: 'reason', text: body.reason }]);
  const retailerId = caller.principal.orgId!;
  const step = async (s: SplitStep) => options.afterStep?.(s);
  const found = await readMergeRecord(retailerId, body.linkId);
  if (!found || found.record.intoId !== id || !(await readProfile(retailerId, id))) throw new NotFoundError();
  let { record } = found;
  if (record.status === 'split') throw new ConflictError('ALREADY_SPLIT', 'This merge was already undone.');
  // One split per merge: its entry rides with the mark that starts it, and is appended when it is done (audit-outbox.ts).
  const entry = {
    // Its key names the merge record it rides with (its shard).
    key: `profile.split@${mergeRecordId(body.linkId)}`,
    draft: auditDraftFor(caller, { action: 'profile.split', target: { type: 'profile', id }, details: { linkId: record.linkId, restoredProfileId: record.fromId } }),
  };
  if (record.status === 'merged') {
    record = { ...record, status: 'splitting', split: { at: now.toISOString(), by: caller.principal.sub } };
    await replaceMergeRecord(retailerId, record, found.etag, entry);
  }
  await step('marked');

  const at = record.split!.at;
  const by = record.split!.by;
  const { fromId } = record;
  // Events the merged profile held that still exist (retention or a deletion may have taken some since).
  const events = await readEvents(retailerId, record.from.eventIds);
  const kept = record.from.eventIds.filter((_, i) => events[i] && !events[i]!.purging);
  await restoreProfile({
    id: fromId,
    orgId: retailerId,
    docType: 'profile',
    eventIds: kept,
    createdAt: record.from.createdAt,
    updatedAt: at,
    history: [{ action: 'split', linkId: record.linkId, profileId: id, at, by }],
  });
  await step('restored');
  for (const { eventId, refs } of record.from.people) {
    if (kept.includes(eventId)) await movePeople(retailerId, eventId, (p) => refs.includes(p.ref) && p.profileId === id, fromId);
  }
  await step('moved');
  const moved = new Set(kept);
  await updateMembership(retailerId, id, (ids) => ids.filter((e) => !moved.has(e)), now, false);
  await step('released');
  const { settings } = await getSettings(retailerId);
  await reindexProfile(retailerId, fromId, settings, now);
  await reindexProfile(retailerId, id, settings, now);
  await step('reindexed');
  const link = await readLink(retailerId, record.linkId);
  if (link && link.link.status !== 'rejected') {
    await replaceLink(retailerId, { ...link.link, status: 'rejected', decision: { by, at, note: body.reason } }, link.etag);
  }
  await step('rejected');
  await noteHistory(retailerId, id, { action: 'split', linkId: record.linkId, profileId: fromId, at, by });
  const latest = await readMergeRecord(retailerId, record.linkId);
  if (latest && latest.record.status !== 'split') await replaceMergeRecord(retailerId, { ...latest.record, status: 'split' }, latest.etag);
  // The entry of the attempt that started the split (a resumed split finishes it, once).
  await settleAudit(retailerId, entry.key);
  await step('done');
  const [survivor, restored] = await Promise.all([readProfile(retailerId, id), readProfile(retailerId, fromId)]);
  return { survivor: profileView(survivor!, now), restored: profileView(restored!, now) };
}
