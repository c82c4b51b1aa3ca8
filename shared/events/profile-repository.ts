import { writeAudited, type OutboxEntry } from '../audit/audit-outbox-repository';
import type { PersonFacts } from '../domain/matching/facts';
import type { HarmStats } from '../domain/matching/harm';
import type { TierWindow } from '../domain/risk-tiers';
import { MAX_BATCH_OPERATIONS, batchOutcome, createOperation, readBatch, readTogether, replaceOperation, type OperationInput } from '../adapters/cosmos-batch';
import { ConflictError } from '../domain/errors';
import { container, readIfExists, deleteIfExists, queryAll, replaceIfUnchanged, placed, itemOf, inOrganisation } from '../adapters/cosmos-containers';
import { optimistically, RETRY } from '../adapters/optimistic';
import { isConflict } from '../adapters/cosmos-errors';

/**
 * A profile is one person as the retailer knows them: the events they appear in. Matching
 * (Connect the Dots) adds its own fields later; membership is kept here, updated with
 * optimistic concurrency so concurrent events for one person never lose each other.
 */
export interface ProfileDoc {
  id: string;
  orgId: string;
  docType: 'profile';
  eventIds: string[];
  createdAt: string;
  updatedAt: string;
  /** Connect the Dots: what is known about the person across their events, and derived figures. */
  match?: ProfileMatchData;
  harm?: number;
  /** Risk tiers the profile's events reach (PRODUCT §6b), as of its last re-index, with why. */
  riskTiers?: { name: string; reason: string }[];
  /** Their names, for filtering in a query. */
  riskTierNames?: string[];
  /** While a tier within days is reached: what its lapse is read from (reads show the tiers in force, riskTiersAt). */
  riskTierWindow?: TierWindow;
  /** Merges into this profile and splits out of it, oldest first (ids only). */
  history?: ProfileHistoryEntry[];
  /** Set when an erasure (DELETE /profiles/{id}) began: every read but the erasure's own treats the profile as gone. */
  erasing?: { at: string; by: string };
  _etag?: string;
}

export interface ProfileHistoryEntry {
  action: 'merge' | 'split';
  linkId: string;
  /** The profile merged in, or split out (the other side for the one split out). */
  profileId: string;
  at: string;
  by: string;
}

export interface ProfileMatchData {
  facts: PersonFacts;
  keys: string[];
  stats: HarmStats;
  /** Event ids whose people were folded into facts and stats (so a re-run does not count twice). */
  indexedEvents: string[];
}

/** The profile, or undefined when absent or being erased (unless `includeErasing`, for the erasure itself). */
export async function readProfile(retailerId: string, id: string, includeErasing = false): Promise<ProfileDoc | undefined> {
  const resource = await readIfExists<ProfileDoc>('profiles', retailerId, id);
  return resource?.docType === 'profile' && (includeErasing || !resource.erasing) ? resource : undefined;
}

/** Several profiles of one retailer in one round trip (a batch of reads); absent ones and those being erased are left out. */
export async function readProfiles(retailerId: string, ids: readonly string[]): Promise<ProfileDoc[]> {
  const found: ProfileDoc[] = [];
  for (let i = 0; i < ids.length; i += MAX_BATCH_OPERATIONS) {
    const docs = await readBatch<ProfileDoc>('profiles', retailerId, ids.slice(i, i + MAX_BATCH_OPERATIONS));
    for (const d of docs) if (d?.docType === 'profile' && !d.erasing) found.push(d);
  }
  return found;
}

/**
 * The same (profiles of `ids`, absent and erasing ones left out), read together with the other
 * reads of the retailer's profiles that arrive meanwhile (readTogether): the matcher's reads, one
 * round trip for the events it matches side by side.
 */
export async function readProfilesTogether(retailerId: string, ids: readonly string[]): Promise<ProfileDoc[]> {
  const docs = await readTogether<ProfileDoc>('profiles', retailerId, ids);
  return docs.filter((d): d is ProfileDoc => d?.docType === 'profile' && !d.erasing);
}

/**
 * Which of these profiles have more than one event: a person whose profile holds several
 * events makes each of those a repeat-offender event. Read in batches of 100 (one round trip
 * each), so analytics and the retention sweep pay per page of events, not per person.
 */
export async function repeatProfiles(retailerId: string, profileIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(profileIds)];
  const repeat = new Set<string>();
  for (let i = 0; i < ids.length; i += MAX_BATCH_OPERATIONS) {
    const chunk = ids.slice(i, i + MAX_BATCH_OPERATIONS);
    const docs = await readBatch<ProfileDoc>('profiles', retailerId, chunk);
    docs.forEach((doc, j) => {
      if (doc && doc.docType === 'profile' && doc.eventIds.length > 1) repeat.add(chunk[j]!);
    });
  }
  return repeat;
}

function newProfileDoc(retailerId: string, id: string, eventIds: string[], now: Date): ProfileDoc {
  const at = now.toISOString();
  return { id, orgId: retailerId, docType: 'profile', eventIds, createdAt: at, updatedAt: at };
}

/**
 * The write that adds an event to a profile, for a transactional batch: a create for a profile
 * minted for it, otherwise a replace of the version `current` (as read), which fails when the
 * profile changed since. `updateMembership` is the one-by-one equivalent.
 */
export function joinProfileOperation(retailerId: string, profileId: string, eventId: string, now: Date, current?: ProfileDoc): OperationInput {
  if (!current) return createOperation(newProfileDoc(retailerId, profileId, [eventId], now));
  return replaceOperation({ ...current, eventIds: addEvent(eventId)(current.eventIds), updatedAt: now.toISOString() }, current._etag ?? '');
}

/**
 * Adds an event to an existing profile as `current` was read (one conditional replace), or, when it
 * changed since, as it is now (updateMembership); false when it is gone (never made again here).
 */
export async function joinProfile(retailerId: string, profileId: string, eventId: string, now: Date, current: ProfileDoc | undefined): Promise<boolean> {
  if (current && (await replaceIfUnchanged('profiles', current, { ...current, eventIds: addEvent(eventId)(current.eventIds), updatedAt: now.toISOString() }))) return true;
  return (await updateMembership(retailerId, profileId, addEvent(eventId), now, false)) !== 'missing';
}

/** What a change of a profile's event list did. */
export type MembershipOutcome = 'created' | 'updated' | 'deleted' | 'unchanged' | 'missing' | 'indexed';

/**
 * Applies `change` to the profile's event list and writes it back only if nobody wrote in
 * between; creates the profile when absent (if `createIfMissing`); deletes it when the list
 * ends up empty, unless it still lists match keys: then it is left as it is ('indexed'), to be
 * taken out of the index first (a profile deleted with its keys would leave them naming it).
 * Returns what happened.
 */
export async function updateMembership(
  retailerId: string,
  profileId: string,
  change: (eventIds: string[]) => string[],
  now: Date,
  createIfMissing: boolean,
  /** A profile minted for this event is almost always absent: skip the read and create straight away. */
  probablyNew = false,
): Promise<MembershipOutcome> {
  const profiles = container('profiles');
  return optimistically(`Profile ${profileId}`, async (attempt) => {
    const current = probablyNew && attempt === 0 ? undefined : await readProfile(retailerId, profileId);
    if (!current) {
      if (!createIfMissing) return 'missing';
      const eventIds = change([]);
      if (eventIds.length === 0) return 'unchanged';
      try {
        await profiles.items.create(placed('profiles', newProfileDoc(retailerId, profileId, eventIds, now)));
        return 'created';
      } catch (error) {
        if (!isConflict(error)) throw error;
        // The id is taken by a profile being erased: a person cannot join it any more.
        if ((await readProfile(retailerId, profileId, true))?.erasing) throw new ConflictError('PROFILE_ERASED', 'This profile is being erased.');
        return RETRY;
      }
    }
    const eventIds = change(current.eventIds);
    if (sameSet(eventIds, current.eventIds)) return 'unchanged';
    const condition = { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } };
    if (eventIds.length === 0) {
      if (current.match?.keys.length) return 'indexed';
      await itemOf('profiles', retailerId, profileId).delete(condition);
      return 'deleted';
    }
    const { _etag: _, ...rest } = current;
    await itemOf('profiles', retailerId, profileId).replace(placed('profiles', { ...rest, eventIds, updatedAt: now.toISOString() }), condition);
    return 'updated';
  });
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export const addEvent = (eventId: string) => (ids: string[]) => (ids.includes(eventId) ? ids : [...ids, eventId]);
export const removeEvent = (eventId: string) => (ids: string[]) => ids.filter((id) => id !== eventId);

/**
 * Read-modify-write of one profile with optimistic concurrency. `mutate` returns the new
 * document, or undefined to leave it as it is.
 */
export async function updateProfile(
  retailerId: string,
  profileId: string,
  mutate: (current: ProfileDoc) => ProfileDoc | undefined,
  /** The profile as the caller just read it: the first attempt starts from it instead of a read. */
  seen?: ProfileDoc,
  /** Written with the profile in one transactional batch (documents of its shard: a note of what the write changes elsewhere). */
  alongside?: readonly OperationInput[],
): Promise<ProfileDoc | undefined> {
  return optimistically(`Profile ${profileId}`, async (attempt) => {
    const current = attempt === 0 && seen ? seen : await readProfile(retailerId, profileId);
    if (!current) return undefined;
    const next = mutate(current);
    if (!next) return current;
    const { _etag: _, ...doc } = next;
    if (alongside?.length) {
      const results = await batchOutcome('profiles', retailerId, [replaceOperation(doc, current._etag ?? ''), ...alongside]);
      const refused = results?.find((r) => r.statusCode >= 300);
      if (results && !refused) return { ...doc, _etag: results[0]!.eTag };
      // Someone wrote first (412) or it went (404): read again and decide again. Anything else is not a race.
      if (refused && [412, 404].includes(results![0]!.statusCode)) return RETRY;
      throw Object.assign(new Error(`Profile ${profileId} could not be written (${refused?.statusCode ?? 'batch refused'}).`), { code: refused?.statusCode });
    }
    const { etag } = await itemOf('profiles', retailerId, profileId).replace(placed('profiles', doc), { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } });
    return { ...doc, _etag: etag };
  });
}

/**
 * Replaces a profile (erasing ones included) only if unchanged since `current` was read; false
 * when someone wrote in between or it is gone (re-read and decide again). With `audit`, its
 * entry's outbox document goes in the same batch (audit-outbox.ts).
 */
export async function replaceProfileIfUnchanged(current: ProfileDoc, next: ProfileDoc, audit?: Omit<OutboxEntry, 'where'>): Promise<boolean> {
  const { _etag: _, ...doc } = next;
  if (audit) return (await writeAudited(current.orgId, [replaceOperation(doc, current._etag ?? '')], { ...audit, where: 'audit-outbox' })) !== undefined;
  return replaceIfUnchanged('profiles', current, next);
}

export async function deleteProfileDoc(retailerId: string, id: string): Promise<void> {
  await deleteIfExists('profiles', retailerId, id);
}

/**
 * Deletes the profile unless it lists match keys ('indexed': a re-index put them back since it was
 * taken out of the index, which must be done again first; a profile deleted with its keys would
 * leave them naming it) or an event the caller does not know of ('changed': a report joined it).
 * One gone already is 'deleted'.
 */
export async function deleteUnindexedProfile(retailerId: string, id: string, known: readonly string[]): Promise<'deleted' | 'indexed' | 'changed'> {
  return optimistically(`Profile ${id}`, async () => {
    const current = await readProfile(retailerId, id, true);
    if (!current) return 'deleted';
    if (current.eventIds.some((e) => !known.includes(e))) return 'changed';
    if (current.match?.keys.length) return 'indexed';
    await itemOf('profiles', retailerId, id).delete({ accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } });
    return 'deleted';
  });
}

/**
 * Every profile of a retailer, a page at a time: the match facts of those the matcher has indexed
 * (what the matching model is estimated from) and the newest event of each (what a re-match sends
 * to the matcher, which indexes any it has not). A job, never a hot path; over the retailer's
 * shards. Pages as large as the store allows (Azure stops a page at 4 MB): the local server scans
 * the whole container for every page, so small pages stalled it for minutes at 20,000 profiles.
 */
export async function* retailerProfiles(retailerId: string, pageSize = 10_000): AsyncGenerator<{ id: string; facts?: PersonFacts; lastEventId?: string; unindexed: string[] }> {
  const iterator = container('profiles').items.query<{ id: string; match?: { facts?: PersonFacts; keys?: string[]; indexedEvents?: string[] }; eventIds?: string[] }>(
    {
      query: "SELECT c.id, c.match, c.eventIds FROM c WHERE c.orgId = @orgId AND c.docType = 'profile' AND NOT IS_DEFINED(c.erasing)",
      parameters: [{ name: '@orgId', value: retailerId }],
    },
    inOrganisation('profiles', retailerId, { maxItemCount: pageSize }),
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    // Facts only for a matchable profile (indexed, with keys); the newest event of every profile;
    // the events it holds and was never indexed with (its matching request lost, say; or listed and never written).
    for (const r of resources ?? []) {
      const indexed = new Set(r.match?.indexedEvents ?? []);
      yield { id: r.id, facts: r.match?.keys?.length ? r.match.facts : undefined, lastEventId: r.eventIds?.at(-1), unindexed: (r.eventIds ?? []).filter((e) => !indexed.has(e)) };
    }
  }
}

/** Puts back a profile a merge took away, unless it exists (a retried split). */
export async function restoreProfile(doc: ProfileDoc): Promise<void> {
  try {
    await container('profiles').items.create(placed('profiles', doc));
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/** A profile found by id alone, whichever retailer holds it (a partner's, under an agreement the caller checks): one query across partitions. */
export async function findProfileAnywhere(id: string): Promise<ProfileDoc | undefined> {
  const { resources } = await container('profiles')
    .items.query<ProfileDoc>({ query: "SELECT * FROM c WHERE c.id = @id AND c.docType = 'profile' AND NOT IS_DEFINED(c.erasing)", parameters: [{ name: '@id', value: id }] })
    .fetchAll();
  return resources[0];
}

/** Up to `limit` of the retailer's profiles by harm, then id, both descending, after a page's last (keyset paging). */
export async function profilesByHarm(retailerId: string, limit: number, riskTier?: string, after?: { h: number; id: string }): Promise<ProfileDoc[]> {
  const { resources } = await container('profiles')
    .items.query<ProfileDoc>(
      {
        query:
          `SELECT TOP ${limit} * FROM c WHERE c.orgId = @orgId AND c.docType = 'profile' AND IS_DEFINED(c.harm) AND NOT IS_DEFINED(c.erasing)` +
          (riskTier ? ' AND ARRAY_CONTAINS(c.riskTierNames, @tier)' : '') +
          (after ? ' AND (c.harm < @h OR (c.harm = @h AND c.id < @after))' : '') +
          ' ORDER BY c.harm DESC, c.id DESC',
        parameters: [
          { name: '@orgId', value: retailerId },
          ...(riskTier ? [{ name: '@tier', value: riskTier }] : []),
          ...(after ? [{ name: '@h', value: after.h }, { name: '@after', value: after.id }] : []),
        ],
      },
      inOrganisation('profiles', retailerId),
    )
    .fetchAll();
  return resources ?? [];
}

/** Ids of up to `limit` of the retailer's profiles after `after`, in id order (a page of a walk over them all). */
export async function profileIdsAfter(retailerId: string, after: string | undefined, limit: number): Promise<string[]> {
  const resources = await queryAll<{ id: string }>(
    'profiles',
    retailerId,
    `SELECT TOP ${limit} c.id FROM c WHERE c.orgId = @orgId AND c.docType = 'profile' AND NOT IS_DEFINED(c.erasing)${after ? ' AND c.id > @after' : ''} ORDER BY c.id`,
    { orgId: retailerId, ...(after ? { after } : {}) },
  );
  return resources.map((r) => r.id);
}

/** Ids of up to `limit` profiles listing a key among their own (`match.keys`): a query in the retailer's partition. */
export async function profileIdsHoldingKey(retailerId: string, key: string, limit: number): Promise<string[]> {
  const resources = await queryAll<{ id: string }>('profiles', retailerId, `SELECT TOP ${limit} c.id FROM c WHERE c.orgId = @orgId AND c.docType = 'profile' AND ARRAY_CONTAINS(c.match.keys, @key)`, { orgId: retailerId, key });
  return resources.map((r) => r.id);
}
