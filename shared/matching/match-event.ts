import { consistentCandidates, keyFrequency, pairProbability, peopleFrequency, rankCandidates, scorePair, SUGGEST_PROBABILITY } from '../domain/matching/score';
import { compareFacts } from '../domain/matching/compare';
import { signalWeights, type MatchModel } from '../domain/matching/model';
import { blockingKeys } from '../domain/matching/keys';
import { factsOfPerson, type PersonFacts } from '../domain/matching/facts';
import type { Person, RetailEvent } from '../domain/events/event-schema';
import type { RetailerSettings } from '../domain/retailer-settings';
import type { Agreement } from '../domain/sharing';
import { readEvents, type VersionedEvent } from '../events/event-repository';
import { ensurePlateIndex } from '../lpr/plate-index-repository';
import { readProfilesTogether, type ProfileDoc } from '../events/profile-repository';
import { getSettings } from '../orgs/org-repository';
import { listAgreementsOf } from '../sharing/agreement-repository';
import { claimCrossRetailerPair, createLinkOnce, deleteLink, deleteLinks, linkId, type Link } from './link-repository';
import { reviewNeighbours } from './review-neighbours';
import { matchKeyDocId, POPULATION_ID, readKeysWithPopulation, type MatchKeyDoc } from './matchkey-repository';
import { profileIndexing, reindexRecords, type KeysLeft } from './reindex-profile';
import { followMerge, followMergeRecords } from './move-people';
import { readModel } from './model-repository';
import { requestEstimateIfStale } from './model-estimation';
import { alertSubscribers } from '../alerts/alert-delivery';
import { imageHashesOf } from '../evidence/evidence-repository';
import { allSettledLimited } from '../batching/settle-limited';

/** A candidate profile and the retailer that holds it. */
type Candidate = { retailerId: string; profile: ProfileDoc };

/** What matching events reads and writes: the repositories in the app, in-memory records in unit tests of this logic. */
export interface MatchEventStore {
  /** Several events of one retailer, in the order of `ids` (undefined: none). */
  readEvents(retailerId: string, ids: readonly string[]): Promise<(VersionedEvent | undefined)[]>;
  /** The retailer's settings: whether it matches across retailers and on images, its risk tiers. */
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  /** The retailer's matching model (the prior until one is estimated); `fresh` skips this process's cached copy. */
  readModel(retailerId: string, fresh: boolean): Promise<MatchModel>;
  /** Every sharing agreement the retailer is a party to, whatever its status. */
  listAgreementsOf(retailerId: string): Promise<Agreement[]>;
  /** Brings the event's plates into the plate index where a crash after its batch left them out. */
  ensurePlateIndex(retailerId: string, event: RetailEvent): Promise<void>;
  /**
   * The profile's facts, keys, harm and tiers again from the events it holds (`known`: the event
   * just read); undefined when it is gone. `keysLeft` is filled in with the key documents it
   * changed, as its changes left them.
   */
  reindexProfile(retailerId: string, profileId: string, settings: RetailerSettings, now: Date, known?: VersionedEvent, keysLeft?: KeysLeft): Promise<ProfileDoc | undefined>;
  /** A person of the event whose profile was merged away before the event was written moved to the profile the merge kept: its id; undefined when no merge folded it. */
  followMerge(retailerId: string, eventId: string, person: Person, now: Date): Promise<string | undefined>;
  /** The documents of `keys` in one retailer's key index (undefined: no holder) and its count of indexed profiles, read with the other look-ups in flight. */
  readKeysWithPopulation(retailerId: string, keys: readonly string[]): Promise<{ docs: (MatchKeyDoc | undefined)[]; population: number }>;
  /** Queues a new estimate when the model no longer fits the population (the estimation job does it). */
  requestEstimateIfStale(retailerId: string, model: MatchModel, people: number): Promise<void>;
  /** Several profiles of one retailer in one round trip; absent ones and those being erased are left out. */
  readProfiles(retailerId: string, ids: readonly string[]): Promise<ProfileDoc[]>;
  /** The profile, or undefined when absent or being erased. */
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** Stores a suggestion in the retailer's partition unless the pair was ever suggested (pending or decided): false then. */
  createLinkOnce(retailerId: string, link: Link): Promise<boolean>;
  /** Whether this retailer suggests the pair across retailers (the partner holds no suggestion of it, and this side claimed it first). */
  claimCrossRetailerPair(retailerId: string, partnerId: string, id: string): Promise<boolean>;
  /** Deletes a suggestion (across retailers, `partnerId` the candidate's, with its pair's claim). */
  deleteLink(retailerId: string, id: string, partnerId: string): Promise<void>;
  /** The review graph around one subject while its suggestions are made: whether a suggestion agrees with the pending ones, and each one made. */
  reviewNeighbours(retailerId: string, subject: ProfileDoc, candidates: readonly Candidate[]): ReturnType<typeof reviewNeighbours>;
  /**
   * Deletes the retailer's pending suggestions made from this event, or naming this profile
   * (decided ones stay): an event made sensitive since must not leave its people suggested.
   */
  deletePendingLinks(retailerId: string, of: { eventId: string } | { profileId: string }): Promise<unknown>;
  /** Perceptual hashes of the events' ready images, by event (asked only where the retailer matches on images). */
  imageHashesOf(retailerId: string, eventIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Deliveries and digest lines for every subscription that may hear of these events (ones being purged, or old, are skipped). */
  alertSubscribers(retailerId: string, found: VersionedEvent[], now: Date): Promise<unknown>;
}

/**
 * Events of one message matched side by side. Each makes several store requests; a re-match's
 * messages of a hundred events, sixteen messages at once, opened thousands of connections at a time.
 */
const EVENTS_IN_FLIGHT = 8;

/** Re-indexing as the matcher does it: the profile read with the other reads of its events in flight (readTogether). */
const { reindexProfile } = profileIndexing({ ...reindexRecords, readProfile: async (retailerId, id) => (await readProfilesTogether(retailerId, [id]))[0] });

/** The repositories the matcher works with (exported for the test that measures its round trips against other readers). */
export const matchEventRecords: MatchEventStore = {
  readEvents,
  getSettings,
  readModel,
  listAgreementsOf,
  ensurePlateIndex,
  reindexProfile,
  followMerge: (retailerId, eventId, person, now) => followMerge(followMergeRecords, retailerId, eventId, person, now),
  readKeysWithPopulation,
  requestEstimateIfStale,
  readProfiles: readProfilesTogether,
  readProfile: async (retailerId, id) => (await readProfilesTogether(retailerId, [id]))[0],
  createLinkOnce,
  claimCrossRetailerPair,
  deleteLink,
  reviewNeighbours,
  deletePendingLinks: (retailerId, of) => deleteLinks(retailerId, of, true),
  imageHashesOf,
  alertSubscribers,
};

export interface MatchResult {
  eventId: string;
  people: number;
  candidates: number;
  suggestions: number;
}

/** Retailers this one may match across: both opted in, with an active agreement. */
async function crossRetailerPartners(store: MatchEventStore, retailerId: string): Promise<string[]> {
  const partners: string[] = [];
  for (const a of await store.listAgreementsOf(retailerId)) {
    if (a.status !== 'active') continue;
    const other = a.parties[0] === retailerId ? a.parties[1] : a.parties[0];
    if ((await store.getSettings(other)).settings.connectTheDots.crossRetailer) partners.push(other);
  }
  return partners;
}

/** Connect the Dots (PRODUCT §4, §4b), over a store. */
export function eventMatching(store: MatchEventStore) {
  /**
   * Connect the Dots for one stored event: brings each person's profile index up to date, then
   * looks up candidates by point reads of the person's blocking keys (in the retailer's own
   * partition and, where allowed, its partners'), scores each against the candidate profile's
   * facts and records a suggestion for every pair at or above the threshold. Never merges.
   * Safe to run again: suggestions are keyed by the pair, so nothing is duplicated, and a
   * rejected pair is never suggested again.
   */
  async function matchEvent(retailerId: string, eventId: string, now = new Date()): Promise<MatchResult> {
    const [outcome] = await matchEventsOf(retailerId, [eventId], now);
    if (outcome!.status === 'rejected') throw outcome!.reason;
    return outcome!.value;
  }

  /**
   * Several events of one retailer (one queue message's worth): the events, the retailer's
   * settings and its partners are read once for all of them, as they are at that moment; each
   * event is then matched on its own, EVENTS_IN_FLIGHT side by side, and its outcome reported on its own.
   */
  async function matchEventsOf(retailerId: string, eventIds: string[], now = new Date(), options: { alert?: boolean } = {}): Promise<PromiseSettledResult<MatchResult>[]> {
    // A re-match (no alerts) follows a new estimate: the model is read afresh, not from another process's cache of the old one.
    const [found, { settings }, model] = await Promise.all([store.readEvents(retailerId, eventIds), store.getSettings(retailerId), store.readModel(retailerId, options.alert === false)]);
    const crossRetailer = settings.connectTheDots.crossRetailer && found.some((f) => f && !f.purging && !f.event.sensitive);
    const partners = crossRetailer ? await crossRetailerPartners(store, retailerId) : [];
    const scope = { imageMatching: settings.connectTheDots.imageMatching, model, settings };
    const outcomes = await allSettledLimited(eventIds, EVENTS_IN_FLIGHT, (eventId, i) => matchOne(store, retailerId, eventId, found[i], scope, partners, now));
    // Alerts go out once the events' profiles (and so their risk tiers) are up to date. A failure
    // sends the events round again: matching them again changes nothing, and alerts are keyed.
    const matched = options.alert === false ? [] : found.filter((f, i): f is VersionedEvent => f !== undefined && outcomes[i]!.status === 'fulfilled');
    try {
      await store.alertSubscribers(retailerId, matched, now);
    } catch (reason) {
      return outcomes.map((o): PromiseSettledResult<MatchResult> => (o.status === 'fulfilled' ? { status: 'rejected', reason } : o));
    }
    return outcomes;
  }

  return { matchEvent, matchEventsOf };
}

export const { matchEvent, matchEventsOf } = eventMatching(matchEventRecords);

async function matchOne(
  store: MatchEventStore,
  retailerId: string,
  eventId: string,
  found: VersionedEvent | undefined,
  scope: Scope,
  allPartners: string[],
  now: Date,
): Promise<MatchResult> {
  const result: MatchResult = { eventId, people: 0, candidates: 0, suggestions: 0 };
  if (!found || found.purging) return result;
  const { event } = found;
  await store.ensurePlateIndex(retailerId, event);
  const partners = event.sensitive ? [] : allPartners;
  // Never matched (PRODUCT §4): a report made sensitive since takes back the suggestions made from it.
  if (event.sensitive) await store.deletePendingLinks(retailerId, { eventId });
  // The event's images (an image belongs to its event, so to each person in it), where the retailer opted in.
  const images = scope.imageMatching && !event.sensitive ? (await store.imageHashesOf(retailerId, [eventId])).get(eventId) ?? [] : [];
  for (const named of event.people) {
    let person = named;
    const keysLeft: KeysLeft = new Map();
    let profile = await store.reindexProfile(retailerId, person.profileId, scope.settings, now, found, keysLeft);
    if (!profile) {
      // Its profile was merged away before the event was written: the person follows the merge, and
      // is indexed and matched there (the event as read names the profile that went: read afresh).
      const into = await store.followMerge(retailerId, event.id, person, now);
      if (into) {
        person = { ...person, profileId: into };
        // The alerts after matching read the event's people: as they are now.
        found.event.people = found.event.people.map((p) => (p === named ? person : p));
        // Only the survivor's own changes stand for its keys (the gone profile's, taken out meanwhile, do not).
        keysLeft.clear();
        profile = await store.reindexProfile(retailerId, into, scope.settings, now, undefined, keysLeft);
      }
    }
    // A person known only from sensitive reports is not matchable: nor are they anyone's candidate.
    if (event.sensitive && profile && !profile.match?.keys.length) await store.deletePendingLinks(retailerId, { profileId: profile.id });
    if (!profile?.match || event.sensitive) continue;
    result.people += 1;
    const outcome = await suggestFor(store, retailerId, event, person, images, profile, keysLeft, scope, partners, now);
    result.candidates += outcome.candidates;
    result.suggestions += outcome.suggestions;
  }
  return result;
}

interface Scope {
  imageMatching: boolean;
  model: MatchModel;
  settings: RetailerSettings;
}

async function suggestFor(
  store: MatchEventStore,
  retailerId: string,
  event: RetailEvent,
  person: Person,
  images: string[],
  profile: ProfileDoc,
  keysLeft: KeysLeft,
  { imageMatching, model }: Scope,
  partners: string[],
  now: Date,
): Promise<{ candidates: number; suggestions: number }> {
  const keys = blockingKeys(factsOfPerson(event, person, images), { imageMatching });
  const scope = [retailerId, ...partners];
  const keyDocs = new Map<string, MatchKeyDoc | undefined>();
  let people = 0;
  /** Candidate ("retailer/profile") → the keys it shares with this person. */
  const shared = new Map<string, string[]>();
  for (const owner of scope) {
    const own = owner === retailerId;
    // Every key of this person exists in the own partition (re-indexing just wrote them). Those its
    // re-index changed are as its changes left them, every change that landed before included: of
    // two people indexed at once who share a key, the later writer of it sees the other there
    // while the key lists them (a read after both writes would show one of them every shared key;
    // this, each shared key to one of them, which can rank the pair lower in a crowd). The others,
    // and the partners', are read (the population with them), with the other look-ups in flight.
    const left = (key: string) => (own ? keysLeft.get(matchKeyDocId(key)) : undefined);
    const unread = own ? keys.filter((k) => !keysLeft.has(matchKeyDocId(k))) : keys;
    const found = unread.length || (own && !keysLeft.has(POPULATION_ID)) ? await store.readKeysWithPopulation(owner, unread) : undefined;
    const read = new Map(unread.map((k, i) => [k, found!.docs[i]]));
    if (own) people = found?.population ?? keysLeft.get(POPULATION_ID)?.count ?? 0;
    keys.forEach((key) => {
      const doc = read.has(key) ? read.get(key) : left(key);
      if (own) keyDocs.set(key, doc);
      // A saturated key lists its newest holders, or none (keys.ts).
      if (!doc) return;
      for (const member of doc.members) {
        if (owner === retailerId && member === profile.id) continue;
        const id = `${owner}/${member}`;
        shared.set(id, [...(shared.get(id) ?? []), key]);
      }
    });
  }
  const frequency = (key: string) => keyFrequency(keyDocs.get(key)?.count ?? 0, people);
  // A model estimated for a population that has since moved by a quarter asks for a new one (off this path).
  await store.requestEstimateIfStale(retailerId, model, people).catch(() => undefined);
  const candidates = (await readCandidates(store, rankCandidates(shared, frequency))).filter((c) => c.profile.match);
  // Key shares in people rather than profiles: one person reported often does not make their own name common.
  const byPeople = peopleFrequency(
    profile.match!,
    candidates.map((c) => c.profile.match!),
    (k) => keyDocs.get(k)?.count ?? 0,
    people,
    (a, b, f) => signalWeights(compareFacts(a, b, { frequency: f, imageMatching, people, givenNames: model.givenNames }), model, people),
  );
  const context = { frequency: byPeople, imageMatching, model, people };
  const above = candidates
    .map((c) => ({ c, facts: c.profile.match!.facts, ...scorePair(profile.match!.facts, c.profile.match!.facts, c.retailerId === retailerId ? context : { ...context, otherRetailer: true }) }))
    .filter((s) => s.probability >= SUGGEST_PROBABILITY);
  // One report is one person: candidates that are someone else than the likelier ones are left out.
  // Candidates of two retailers are compared as such: one store id is not one store across them.
  // Facts not among the candidates are the subject's pending neighbours, read from its own retailer.
  const retailerOf = new Map<PersonFacts, string>(candidates.map((c): [PersonFacts, string] => [c.profile.match!.facts, c.retailerId]));
  const probability = pairProbability(context, (facts) => retailerOf.get(facts) ?? retailerId);
  const kept = consistentCandidates(above, probability, SUGGEST_PROBABILITY);
  const review = store.reviewNeighbours(retailerId, profile, kept.map((k) => k.c));
  let suggestions = 0;
  for (const { c, score, probability: p, reasons, comparison } of kept) {
    const other = c.profile;
    // Not a suggestion that would join, in the review graph, people the matcher says are apart.
    if (!(await review.agrees(c, probability))) continue;
    const link: Link = {
      id: linkId({ retailerId, profileId: profile.id }, { retailerId: c.retailerId, profileId: other.id }),
      status: 'pending',
      score,
      probability: p,
      comparison,
      subject: { eventId: event.id, personRef: person.ref, profileId: profile.id },
      candidate: { profileId: other.id, retailerId: c.retailerId, eventIds: other.eventIds },
      reasons,
      createdAt: now.toISOString(),
    };
    // A pair across retailers is one suggestion: the partner's matcher may have found it first, and its investigators decide it.
    if (c.retailerId !== retailerId && !(await store.claimCrossRetailerPair(retailerId, c.retailerId, link.id))) continue;
    if (!(await store.createLinkOnce(retailerId, link))) continue;
    // Either profile erased (or merged away) while this ran: the suggestion must not outlive it.
    if (!(await bothStill(store, retailerId, profile.id, c.retailerId, other.id))) {
      await store.deleteLink(retailerId, link.id, c.retailerId);
      continue;
    }
    await review.suggested(c);
    suggestions += 1;
  }
  return { candidates: candidates.length, suggestions };
}

/** Whether both profiles still exist (and are not being erased): one batch when both are the retailer's. */
async function bothStill(store: MatchEventStore, retailerId: string, profileId: string, otherRetailerId: string, otherId: string): Promise<boolean> {
  if (otherRetailerId === retailerId) return (await store.readProfiles(retailerId, [profileId, otherId])).length === 2;
  return Boolean((await store.readProfile(retailerId, profileId)) && (await store.readProfile(otherRetailerId, otherId)));
}

/** The ranked candidates' profiles ("retailer/profile" ids), one batch of reads per retailer, in rank order. */
async function readCandidates(store: MatchEventStore, ranked: string[]): Promise<Candidate[]> {
  const byOwner = new Map<string, string[]>();
  for (const id of ranked) {
    const [owner, member] = id.split('/') as [string, string];
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), member]);
  }
  const found = new Map<string, ProfileDoc>();
  for (const [owner, ids] of byOwner) for (const p of await store.readProfiles(owner, ids)) found.set(`${owner}/${p.id}`, p);
  return ranked.flatMap((id) => {
    const profile = found.get(id);
    return profile ? [{ retailerId: id.split('/')[0]!, profile }] : [];
  });
}
