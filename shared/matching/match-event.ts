import { consistentCandidates, keyFrequency, pairProbability, peopleFrequency, rankCandidates, scorePair, SUGGEST_PROBABILITY } from '../domain/matching/score';
import { compareFacts } from '../domain/matching/compare';
import { signalWeights, type MatchModel } from '../domain/matching/model';
import { blockingKeys } from '../domain/matching/keys';
import { factsOfPerson } from '../domain/matching/facts';
import type { Person, RetailEvent } from '../domain/events/event-schema';
import type { RetailerSettings } from '../domain/retailer-settings';
import { readEvents, type VersionedEvent } from '../events/event-repository';
import { ensurePlateIndex } from '../lpr/plate-index-repository';
import { readProfile, readProfiles, type ProfileDoc } from '../events/profile-repository';
import { getSettings } from '../orgs/org-repository';
import { listAgreementsOf } from '../sharing/agreement-repository';
import { createLinkOnce, deleteLink, linkId, type Link } from './link-repository';
import { reviewNeighbours } from './review-neighbours';
import { readKeysWithPopulation, type MatchKeyDoc } from './matchkey-repository';
import { reindexProfile } from './reindex-profile';
import { readModel } from './model-repository';
import { requestEstimateIfStale } from './model-estimation';
import { alertSubscribers } from '../alerts/alert-delivery';

export interface MatchResult {
  eventId: string;
  people: number;
  candidates: number;
  suggestions: number;
}

/** Retailers this one may match across: both opted in, with an active agreement. */
async function crossRetailerPartners(retailerId: string): Promise<string[]> {
  const partners: string[] = [];
  for (const a of await listAgreementsOf(retailerId)) {
    if (a.status !== 'active') continue;
    const other = a.parties[0] === retailerId ? a.parties[1] : a.parties[0];
    if ((await getSettings(other)).settings.connectTheDots.crossRetailer) partners.push(other);
  }
  return partners;
}

/**
 * Connect the Dots for one stored event: brings each person's profile index up to date, then
 * looks up candidates by point reads of the person's blocking keys (in the retailer's own
 * partition and, where allowed, its partners'), scores each against the candidate profile's
 * facts and records a suggestion for every pair at or above the threshold. Never merges.
 * Safe to run again: suggestions are keyed by the pair, so nothing is duplicated, and a
 * rejected pair is never suggested again.
 */
export async function matchEvent(retailerId: string, eventId: string, now = new Date()): Promise<MatchResult> {
  const [outcome] = await matchEventsOf(retailerId, [eventId], now);
  if (outcome!.status === 'rejected') throw outcome!.reason;
  return outcome!.value;
}

/**
 * Several events of one retailer (one queue message's worth): the events, the retailer's
 * settings and its partners are read once for all of them, as they are at that moment; each
 * event is then matched on its own, side by side, and its outcome reported on its own.
 */
export async function matchEventsOf(retailerId: string, eventIds: string[], now = new Date(), options: { alert?: boolean } = {}): Promise<PromiseSettledResult<MatchResult>[]> {
  // A re-match (no alerts) follows a new estimate: the model is read afresh, not from another process's cache of the old one.
  const [found, { settings }, model] = await Promise.all([readEvents(retailerId, eventIds), getSettings(retailerId), readModel(retailerId, options.alert === false)]);
  const crossRetailer = settings.connectTheDots.crossRetailer && found.some((f) => f && !f.purging && !f.event.sensitive);
  const partners = crossRetailer ? await crossRetailerPartners(retailerId) : [];
  const scope = { imageMatching: settings.connectTheDots.imageMatching, model, settings };
  const outcomes = await Promise.allSettled(eventIds.map((eventId, i) => matchOne(retailerId, eventId, found[i], scope, partners, now)));
  // Alerts go out once the events' profiles (and so their risk tiers) are up to date. A failure
  // sends the events round again: matching them again changes nothing, and alerts are keyed.
  const matched = options.alert === false ? [] : found.filter((f, i): f is VersionedEvent => f !== undefined && outcomes[i]!.status === 'fulfilled');
  try {
    await alertSubscribers(retailerId, matched, now);
  } catch (reason) {
    return outcomes.map((o): PromiseSettledResult<MatchResult> => (o.status === 'fulfilled' ? { status: 'rejected', reason } : o));
  }
  return outcomes;
}

async function matchOne(
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
  await ensurePlateIndex(retailerId, event);
  const partners = event.sensitive ? [] : allPartners;
  for (const person of event.people) {
    const profile = await reindexProfile(retailerId, person.profileId, scope.settings, now, found);
    if (!profile?.match || event.sensitive) continue;
    result.people += 1;
    const outcome = await suggestFor(retailerId, event, person, profile, scope, partners, now);
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
  retailerId: string,
  event: RetailEvent,
  person: Person,
  profile: ProfileDoc,
  { imageMatching, model }: Scope,
  partners: string[],
  now: Date,
): Promise<{ candidates: number; suggestions: number }> {
  const keys = blockingKeys(factsOfPerson(event, person), { imageMatching });
  const scope = [retailerId, ...partners];
  const keyDocs = new Map<string, MatchKeyDoc | undefined>();
  let people = 0;
  /** Candidate ("retailer/profile") → the keys it shares with this person. */
  const shared = new Map<string, string[]>();
  for (const owner of scope) {
    // Every key of this person exists in the own partition (re-indexing just wrote them): one round trip.
    const found = await readKeysWithPopulation(owner, keys);
    if (owner === retailerId) people = found.population;
    found.docs.forEach((doc, i) => {
      const key = keys[i]!;
      if (owner === retailerId) keyDocs.set(key, doc);
      if (!doc || doc.saturated) return;
      for (const member of doc.members) {
        if (owner === retailerId && member === profile.id) continue;
        const id = `${owner}/${member}`;
        shared.set(id, [...(shared.get(id) ?? []), key]);
      }
    });
  }
  const frequency = (key: string) => keyFrequency(keyDocs.get(key)?.count ?? 0, people);
  // A model estimated for a population that has since moved by a quarter asks for a new one (off this path).
  await requestEstimateIfStale(retailerId, model, people).catch(() => undefined);
  const candidates = (await readCandidates(rankCandidates(shared, frequency))).filter((c) => c.profile.match);
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
    .map((c) => ({ c, facts: c.profile.match!.facts, ...scorePair(profile.match!.facts, c.profile.match!.facts, context) }))
    .filter((s) => s.probability >= SUGGEST_PROBABILITY);
  // One report is one person: candidates that are someone else than the likelier ones are left out.
  const probability = pairProbability(context);
  const kept = consistentCandidates(above, probability, SUGGEST_PROBABILITY);
  const review = reviewNeighbours(retailerId, profile, kept.map((k) => k.c));
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
    if (!(await createLinkOnce(retailerId, link))) continue;
    // Either profile erased (or merged away) while this ran: the suggestion must not outlive it.
    if (!(await bothStill(retailerId, profile.id, c.retailerId, other.id))) {
      await deleteLink(retailerId, link.id);
      continue;
    }
    await review.suggested(c);
    suggestions += 1;
  }
  return { candidates: candidates.length, suggestions };
}

/** Whether both profiles still exist (and are not being erased): one batch when both are the retailer's. */
async function bothStill(retailerId: string, profileId: string, otherRetailerId: string, otherId: string): Promise<boolean> {
  if (otherRetailerId === retailerId) return (await readProfiles(retailerId, [profileId, otherId])).length === 2;
  return Boolean((await readProfile(retailerId, profileId)) && (await readProfile(otherRetailerId, otherId)));
}

/** The ranked candidates' profiles ("retailer/profile" ids), one batch of reads per retailer, in rank order. */
async function readCandidates(ranked: string[]): Promise<{ retailerId: string; profile: ProfileDoc }[]> {
  const byOwner = new Map<string, string[]>();
  for (const id of ranked) {
    const [owner, member] = id.split('/') as [string, string];
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), member]);
  }
  const found = new Map<string, ProfileDoc>();
  for (const [owner, ids] of byOwner) for (const p of await readProfiles(owner, ids)) found.set(`${owner}/${p.id}`, p);
  return ranked.flatMap((id) => {
    const profile = found.get(id);
    return profile ? [{ retailerId: id.split('/')[0]!, profile }] : [];
  });
}
