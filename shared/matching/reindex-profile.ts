import { EMPTY_FACTS, factsOfPerson, mergeFacts, type PersonFacts } from '../domain/matching/facts';
import type { HarmStats } from '../domain/matching/harm';
import { harmOf } from '../domain/matching/harm';
import { blockingKeys } from '../domain/matching/keys';
import type { RetailEvent } from '../domain/events/event-schema';
import type { RetailerSettings } from '../domain/retailer-settings';
import { riskTiersOf, tierWindowOf, type TierFacts } from '../domain/risk-tiers';
import { readEvents, type VersionedEvent } from '../events/event-repository';
import { readProfile, updateProfile, type ProfileDoc } from '../events/profile-repository';
import { changeKey, changeKeyDoc, changePopulation, matchKeyDocId, POPULATION_ID, type MatchKeyDoc } from './matchkey-repository';
import { clearKeyNote, keyNoteId, keyNoteOperation, type KeyNoteDoc } from './key-note-repository';
import { imageHashesOf } from '../evidence/evidence-repository';
import { canonicalJson } from '../domain/canonical-json';
import { randomUUID } from 'node:crypto';

export const EMPTY_STATS: HarmStats = {
  events: 0,
  violentEvents: 0,
  violenceUsed: 0,
  weapons: 0,
  lossValue: 0,
  lastOccurredAt: null,
  firstOccurredAt: null,
};

/** A profile's harm figures with one more of its events counted. */
export function addToStats(stats: HarmStats, event: RetailEvent): HarmStats {
  const loss = (event.products ?? []).reduce((sum, p) => sum + p.quantity * p.unitValue, 0);
  const t = event.occurredAt;
  return {
    events: stats.events + 1,
    violentEvents: stats.violentEvents + (event.violence && (event.violence.threatened || event.violence.used) ? 1 : 0),
    violenceUsed: stats.violenceUsed + (event.violence?.used ? 1 : 0),
    weapons: stats.weapons + (event.violence && event.violence.weapon !== 'none' ? 1 : 0),
    lossValue: Math.round((stats.lossValue + (event.prevented ? 0 : loss)) * 100) / 100,
    lastOccurredAt: !stats.lastOccurredAt || t > stats.lastOccurredAt ? t : stats.lastOccurredAt,
    firstOccurredAt: !stats.firstOccurredAt || t < stats.firstOccurredAt ? t : stats.firstOccurredAt,
  };
}

function tierFactsOf(event: RetailEvent): TierFacts {
  const loss = event.prevented ? 0 : (event.products ?? []).reduce((sum, p) => sum + p.quantity * p.unitValue, 0);
  const v = event.violence;
  return { occurredAt: event.occurredAt, violent: Boolean(v && (v.threatened || v.used)), weapon: Boolean(v && v.weapon !== 'none'), loss };
}

/** What re-indexing a profile reads and writes: the repositories in the app, records in memory in unit tests of this logic. */
export interface ReindexStore {
  /** The profile, unless it is gone or being erased. */
  readProfile(retailerId: string, profileId: string): Promise<ProfileDoc | undefined>;
  /** Several events of the retailer, in the order of `ids` (undefined: none). */
  readEvents(retailerId: string, ids: readonly string[]): Promise<(VersionedEvent | undefined)[]>;
  /** Read-modify-write of the profile with optimistic concurrency, starting from `seen`, with the note of its key changes in the same batch; undefined when it is gone. */
  updateProfile(retailerId: string, profileId: string, mutate: (current: ProfileDoc) => ProfileDoc | undefined, seen?: ProfileDoc, note?: KeyNoteDoc): Promise<ProfileDoc | undefined>;
  /** Adds the profile to (or removes it from) the holders of a blocking key: the key's document as the change left it (undefined: no holder). */
  changeKey(retailerId: string, key: string, profileId: string, add: boolean): Promise<MatchKeyDoc | undefined>;
  /** The same by the key document's id. */
  changeKeyDoc(retailerId: string, docId: string, profileId: string, add: boolean): Promise<MatchKeyDoc | undefined>;
  /** Removes a key note (one already gone is fine). */
  clearKeyNote(retailerId: string, id: string): Promise<void>;
  /** The retailer's indexed population, one up or down: its document as the change left it. */
  changePopulation(retailerId: string, delta: 1 | -1): Promise<MatchKeyDoc | undefined>;
  /** Perceptual hashes of the events' ready images, by event (asked only where the retailer matches on images). */
  imageHashesOf(retailerId: string, eventIds: readonly string[]): Promise<Map<string, string[]>>;
}

export const reindexRecords: ReindexStore = {
  readProfile: (r, id) => readProfile(r, id),
  readEvents,
  updateProfile: (r, id, mutate, seen, note) => updateProfile(r, id, mutate, seen, note && [keyNoteOperation(note)]),
  changeKey,
  changeKeyDoc,
  clearKeyNote,
  changePopulation,
  imageHashesOf,
};

/** Re-indexing profiles, over a store. */
export function profileIndexing(store: ReindexStore) {
  return {
    reindexProfile: (...args: ReindexArgs) => reindex(store, ...args),
    unindexProfile: (retailerId: string, profile: ProfileDoc) => unindex(store, retailerId, profile),
    settleKeyNote: async (note: KeyNoteDoc) => (await settleNote(store, note)).settled,
  };
}

type ReindexArgs = [
  retailerId: string,
  profileId: string,
  /** The retailer's settings: whether images are matched, and its risk tiers. */
  settings: Pick<RetailerSettings, 'connectTheDots' | 'riskTiers'>,
  now?: Date,
  /** An event the caller has just read (the one being matched): not read again on the first attempt, unless the profile was taken out of the index since. */
  known?: VersionedEvent,
  /**
   * Filled in with the key documents (and the population) this re-index changed, by document id, as
   * its changes left them: they hold every change that landed before, so the matcher looks the
   * profile's keys up there instead of reading them again.
   */
  keysLeft?: KeysLeft,
];

/** Key documents by id as a re-index's own changes left them (undefined: no holder). */
export type KeysLeft = Map<string, MatchKeyDoc | undefined>;

/** Notes a key document as a change left it, where the caller asked for them. */
const left = (keysLeft: KeysLeft | undefined, id: string) => (doc: MatchKeyDoc | undefined) => void keysLeft?.set(id, doc);

/**
 * Recomputes a profile's facts, harm figures and blocking keys from the events it holds now,
 * and brings the key index in line (adds new keys, removes keys no event supports any more).
 * Idempotent, so a retried or repeated match message changes nothing more; and a purged or
 * corrected event's details leave the profile's facts and keys with it. People of sensitive
 * events count towards harm but never become matchable.
 */
export const { reindexProfile, unindexProfile, settleKeyNote } = profileIndexing(reindexRecords);

async function reindex(store: ReindexStore, ...args: ReindexArgs): Promise<ProfileDoc | undefined> {
  // Its events changed between the read and the write: indexed again from the new set, a few times
  // (a join whose report is never written, as a correction refused with 412, re-indexes nothing after).
  let outcome: ProfileDoc | undefined | { moved: ProfileDoc } = undefined;
  const [retailerId, profileId, settings, now, , keysLeft] = args;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    // The caller's copy of its event on the first attempt only: what moved the profile may be a
    // correction of that very event (its re-index already wrote the newer facts).
    outcome = await reindexOnce(store, ...(attempt === 0 ? args : ([retailerId, profileId, settings, now, undefined, keysLeft] as ReindexArgs)));
    if (!(outcome && 'moved' in outcome)) return outcome;
  }
  // Still changing: left as it stands to what keeps changing it, which re-indexes it after.
  return (outcome as { moved: ProfileDoc }).moved;
}

/**
 * One attempt. The profile is written with a note of the key changes it makes, in one batch; then
 * the keys; then the note is removed. A crash or a fault between the profile's write and its keys'
 * leaves the note, and the matching sweep brings those keys in line later (settleKeyNote): a retry
 * in the meantime finds nothing to change. (Adding the keys before the write instead leaves keys
 * that a purge or an erasure, which go by the profile's list, never see.)
 */
async function reindexOnce(store: ReindexStore, ...[retailerId, profileId, settings, now = new Date(), given, keysLeft]: ReindexArgs): Promise<ProfileDoc | undefined | { moved: ProfileDoc }> {
  const profile = await store.readProfile(retailerId, profileId);
  if (!profile) return undefined;
  // Taken out of the index while it still holds the caller's event (a purge, a correction or a
  // merge taking the person out): the caller's copy may predate the purge's mark, so it is read
  // again, or its keys would go back on a profile about to be deleted. (By its event list, not the
  // events it was indexed from: the first re-index after the mark empties those.)
  const known = given && profile.match && !profile.match.keys.length && profile.eventIds.includes(given.event.id) ? undefined : given;
  let facts: PersonFacts = EMPTY_FACTS;
  let stats = EMPTY_STATS;
  const tierFacts: TierFacts[] = [];
  const indexedEvents: string[] = [];
  // The profile's other events in one batch of reads per 100, not one round trip each.
  const others = profile.eventIds.filter((id) => id !== known?.event.id);
  const read = new Map<string, VersionedEvent | undefined>();
  (await store.readEvents(retailerId, others)).forEach((found, i) => read.set(others[i]!, found));
  const live = profile.eventIds.map((id) => (known?.event.id === id ? known : read.get(id))).filter((f): f is VersionedEvent => Boolean(f && !f.purging));
  // Images of the person's events, where the retailer opted in (an image belongs to its event, so to each person in it).
  const images = settings.connectTheDots.imageMatching
    ? await store.imageHashesOf(retailerId, live.filter((f) => !f.event.sensitive).map((f) => f.event.id))
    : new Map<string, string[]>();
  for (const found of live) {
    indexedEvents.push(found.event.id);
    stats = addToStats(stats, found.event);
    // Tiers travel further than harm (alert payloads, filters that police and partners see): never from a sensitive event.
    if (!found.event.sensitive) tierFacts.push(tierFactsOf(found.event));
    if (found.event.sensitive) continue;
    for (const person of found.event.people.filter((p) => p.profileId === profileId)) {
      facts = mergeFacts(facts, factsOfPerson(found.event, person, images.get(found.event.id)));
    }
  }
  const keys = indexedEvents.length ? blockingKeys(facts, { imageMatching: settings.connectTheDots.imageMatching }) : [];
  const { harm } = harmOf(stats, now);
  const riskTiers = riskTiersOf(tierFacts, settings.riskTiers, now);
  const tierWindow = tierWindowOf(tierFacts, settings.riskTiers, riskTiers, now);
  const derived = {
    match: { facts, keys, stats, indexedEvents },
    harm,
    riskTiers,
    riskTierNames: riskTiers.map((t) => t.name),
    ...(tierWindow ? { riskTierWindow: tierWindow } : {}),
  };
  // Nothing moved (a re-match, a message delivered again): no write.
  if (profile.match && sameDerived(profile, derived)) return profile;
  const before = new Set(profile.match?.keys ?? []);
  const after = new Set(keys);
  const added = keys.filter((k) => !before.has(k));
  const removed = [...before].filter((k) => !after.has(k));
  const note = added.length || removed.length ? keyNoteOf(retailerId, profileId, added, removed) : undefined;
  let moved = false;
  const updated = await store.updateProfile(retailerId, profileId, (current) => {
    // Facts of another set of events than it holds now are not written over the newer membership,
    // nor over facts another run wrote since this one read (an event corrected in place, indexed
    // again meanwhile): whatever changed it re-indexes it after, or this attempt runs again.
    if (current.eventIds.join() !== profile.eventIds.join() || canonicalJson(current.match) !== canonicalJson(profile.match)) return void (moved = true);
    const { riskTierWindow: _was, ...rest } = current;
    return { ...rest, ...derived, updatedAt: now.toISOString() };
  }, profile, note);
  if (moved && updated) return { moved: updated };
  if (!updated) return undefined;
  // Whether the profile joins (+1) or leaves (-1) the indexed population: written with its keys, in one
  // group. It is counted while its match lists keys (as unindex takes it out), so a person known first
  // from a sensitive report joins once a report makes them matchable.
  const joins = !profile.match?.keys.length && keys.length > 0;
  const leaves = Boolean(profile.match?.keys.length) && keys.length === 0;
  await Promise.all([
    ...added.map((k) => store.changeKey(retailerId, k, profileId, true).then(left(keysLeft, matchKeyDocId(k)))),
    ...removed.map((k) => store.changeKey(retailerId, k, profileId, false).then(left(keysLeft, matchKeyDocId(k)))),
    ...(joins ? [store.changePopulation(retailerId, 1)] : leaves ? [store.changePopulation(retailerId, -1)] : []).map((p) => p.then(left(keysLeft, POPULATION_ID))),
  ]);
  // The keys this write changed are brought in line with the profile as it is once they have landed
  // (its note settled, from the version this wrote: one read when nothing moved): a purge, an erasure
  // or a merge that took it out of the index (or away) meanwhile had its removals land before these
  // adds, and a later re-index its changes before these. Whatever took it out counted it down, from
  // the keys it saw: not counted again here.
  if (note) return (await settleNote(store, note, new Set(added.map(matchKeyDocId)), updated, keysLeft)).profile && updated;
  return updated;
}

/**
 * A key note left behind (its writer stopped between the profile and its keys, longer ago than
 * any writer runs): each key it names is brought in line with the profile as it is now (held if
 * the profile lists it, else not; none once the profile is gone or being erased), then the note
 * goes. The profile is read again after the keys are written: a writer (a correction, an erasure)
 * that changed it meanwhile may have had its key writes land before these, so the keys are brought
 * in line once more with what it holds then; a writer after that second read writes its keys after
 * these. One that keeps changing leaves the note for the next run. Adding a holder twice is one
 * change, except on a saturated key, whose count can be one off after a crash. The population is
 * not replayed: one off weighs nothing in the frequencies it divides.
 */
async function settleNote(store: ReindexStore, note: KeyNoteDoc, held?: Set<string>, written?: ProfileDoc, keysLeft?: KeysLeft): Promise<{ settled: boolean; profile: ProfileDoc | undefined }> {
  const ids = [...new Set([...note.add, ...note.remove])];
  const wantedBy = (p: ProfileDoc | undefined) => new Set((p?.match?.keys ?? []).map(matchKeyDocId));
  // From the version the caller wrote with the note (with the keys it sent: `held`), or as it is now.
  // (Only a version with its ETag: without one, a profile gone meanwhile would compare equal to it.)
  let profile = written?._etag ? written : await store.readProfile(note.orgId, note.profileId);
  // First every key the note names (unless the caller knows which it holds: `held`); after that only
  // those whose wanted state changed (a saturated key counts every add and remove, so a key sent
  // again needlessly would move its count).
  let sent: Set<string> | undefined = held;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const wanted = wantedBy(profile);
    const changed = sent ? ids.filter((id) => wanted.has(id) !== sent!.has(id)) : ids;
    await Promise.all(changed.map((id) => store.changeKeyDoc(note.orgId, id, note.profileId, wanted.has(id)).then(left(keysLeft, id))));
    sent = wanted;
    const after = await store.readProfile(note.orgId, note.profileId);
    if ((after?._etag ?? 'gone') === (profile?._etag ?? 'gone')) {
      await store.clearKeyNote(note.orgId, note.id);
      return { settled: true, profile: after };
    }
    profile = after;
  }
  return { settled: false, profile };
}

/** A note of the keys one write of a profile adds and removes, stamped with the moment of the write (not a caller's `now`): its age says how long its writer has had. */
function keyNoteOf(retailerId: string, profileId: string, added: readonly string[], removed: readonly string[]): KeyNoteDoc {
  return { id: keyNoteId(randomUUID(), profileId), orgId: retailerId, docType: 'key-note', profileId, at: new Date().toISOString(), add: added.map(matchKeyDocId), remove: removed.map(matchKeyDocId) };
}

/** Whether what re-indexing derives from a profile's events is what it holds already (canonical JSON: key order aside). */
function sameDerived(profile: ProfileDoc, derived: { match: unknown; harm: number; riskTiers: unknown; riskTierNames: string[]; riskTierWindow?: unknown }): boolean {
  const held = { match: profile.match, harm: profile.harm, riskTiers: profile.riskTiers, riskTierNames: profile.riskTierNames, riskTierWindow: profile.riskTierWindow };
  return canonicalJson(held) === canonicalJson(derived);
}

/**
 * A profile that goes takes its keys with it. It is first written without keys, in one batch with
 * a note of those it gives up, then they leave the index: a report joining it meanwhile (a purge
 * keeps a profile that holds another event) has its re-index add every key back, and a purge run
 * again finds nothing to take out and does not count it down twice. The note is settled rather
 * than dropped: a re-index in another process may have added keys back before these removals
 * landed. A stop between the profile and the population leaves it counted (not replayed).
 * A profile being erased (its erasure drops its facts and keys in a write of its own) and one that
 * keeps moving under this have the keys they were last read with taken out; one gone meanwhile
 * too, without counting it down (whatever deleted it did).
 */
async function unindex(store: ReindexStore, retailerId: string, profile: ProfileDoc): Promise<void> {
  let seen: ProfileDoc | undefined = profile;
  for (let attempt = 0; attempt < 3 && seen && !profile.erasing; attempt += 1) {
    const keys = seen.match?.keys ?? [];
    if (!keys.length) return;
    const note = keyNoteOf(retailerId, profile.id, [], keys);
    let moved = false;
    const written = await store.updateProfile(retailerId, profile.id, (current) => {
      // Re-indexed meanwhile with other keys: the note would not name them; decide again from what it holds.
      if ((current.match?.keys ?? []).join() !== keys.join()) return void (moved = true);
      return { ...current, match: { ...current.match!, keys: [] } };
    }, seen, note);
    if (moved) {
      seen = written;
      continue;
    }
    if (!written) {
      await Promise.all(keys.map((k) => store.changeKey(retailerId, k, profile.id, false)));
      return;
    }
    await Promise.all([...keys.map((k) => store.changeKey(retailerId, k, profile.id, false)), store.changePopulation(retailerId, -1)]);
    await settleNote(store, note, new Set(), written);
    return;
  }
  const last = seen ?? profile;
  await Promise.all((last.match?.keys ?? []).map((k) => store.changeKey(retailerId, k, profile.id, false)));
  if (last.match?.keys.length) await store.changePopulation(retailerId, -1);
}
