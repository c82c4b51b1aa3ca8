import { replaceOperation } from '../adapters/cosmos-batch';
import { writeAudited, type OutboxEntry } from '../audit/audit-outbox-repository';
import { container, itemOf, placed, queryAll, readIfExists, withoutSystemProperties } from '../adapters/cosmos-containers';
import { isConflict, isPreconditionFailed } from '../adapters/cosmos-errors';
import { PreconditionFailedError } from '../domain/errors';
import type { SplitUnderWay } from '../domain/matching/split-unfinished';
import type { ProfileHistoryEntry } from '../events/profile-repository';

/**
 * What a merge took from the profile it folded away, written before anything moves, so that a
 * split can restore it exactly: the profile's id and creation time, its events, and which person
 * of each event was theirs. One document per accepted suggestion ("merge:<link id>") in the
 * retailer's partition, beside the profiles; ids only, no personal values.
 */
export interface MergeRecord {
  linkId: string;
  fromId: string;
  intoId: string;
  at: string;
  by: string;
  /** `history`: the folded profile's own merges and splits, restored with it (absent on records written before it was kept). */
  from: { createdAt: string; eventIds: string[]; people: { eventId: string; refs: string[] }[]; history?: ProfileHistoryEntry[] };
  status: 'merged' | 'splitting' | 'split';
  split?: { at: string; by: string };
}

type MergeRecordDoc = MergeRecord & { id: string; orgId: string; docType: 'profile-merge'; _etag?: string };

/** The id of a merge's record (beside the profiles, in its own shard). */
export const mergeRecordId = (linkId: string) => `merge:${linkId}`;

export async function readMergeRecord(retailerId: string, linkId: string): Promise<{ record: MergeRecord; etag: string } | undefined> {
  const doc = await readIfExists<MergeRecordDoc>('profiles', retailerId, mergeRecordId(linkId));
  if (doc?.docType !== 'profile-merge') return undefined;
  const { id: _i, orgId: _o, docType: _d, ...record } = withoutSystemProperties(doc);
  return { record, etag: doc._etag ?? '' };
}

/** The accepted merge, not undone, that folded this profile into another (the one to split first to reach merges into it): a query, on a refusal path only. */
export async function mergeFolding(retailerId: string, profileId: string): Promise<MergeRecord | undefined> {
  const docs = await queryAll<MergeRecordDoc>('profiles', retailerId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'profile-merge' AND c.fromId = @p AND c.status != 'split'", { orgId: retailerId, p: profileId });
  if (!docs[0]) return undefined;
  const { id: _i, orgId: _o, docType: _d, ...record } = withoutSystemProperties(docs[0]);
  return record;
}

/** The splits started and not finished of merges of one of these profiles: a query, asked only before an erasure or a merge starts. */
export async function splitsUnderWay(retailerId: string, profileIds: readonly string[]): Promise<SplitUnderWay[]> {
  return queryAll<SplitUnderWay>(
    'profiles',
    retailerId,
    "SELECT c.linkId, c.intoId FROM c WHERE c.orgId = @orgId AND c.docType = 'profile-merge' AND c.status = 'splitting' AND (ARRAY_CONTAINS(@ids, c.fromId) OR ARRAY_CONTAINS(@ids, c.intoId))",
    { orgId: retailerId, ids: [...profileIds] },
  );
}

/** Writes the record unless one exists for the link (a retried merge keeps the first snapshot). */
export async function createMergeRecord(retailerId: string, record: MergeRecord): Promise<void> {
  try {
    await container('profiles').items.create(placed('profiles', { ...record, id: mergeRecordId(record.linkId), orgId: retailerId, docType: 'profile-merge' }));
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/** Replaces the version read; with `audit`, its entry's outbox document goes in the same batch (audit-outbox.ts). */
export async function replaceMergeRecord(retailerId: string, record: MergeRecord, etag: string, audit?: Omit<OutboxEntry, 'where'>): Promise<void> {
  if (audit) {
    const doc = { ...record, id: mergeRecordId(record.linkId), orgId: retailerId, docType: 'profile-merge' };
    if (!(await writeAudited(retailerId, [replaceOperation(doc, etag)], { ...audit, where: 'audit-outbox' }))) throw new PreconditionFailedError('The merge was changed meanwhile.');
    return;
  }
  try {
    await itemOf('profiles', retailerId, mergeRecordId(record.linkId)).replace(placed('profiles', { ...record, id: mergeRecordId(record.linkId), orgId: retailerId, docType: 'profile-merge' }), { accessCondition: { type: 'IfMatch', condition: etag } });
  } catch (error) {
    if (isPreconditionFailed(error)) throw new PreconditionFailedError('The merge was changed meanwhile.');
    throw error;
  }
}
