import { eventMatching, type MatchEventStore } from '../../../shared/matching/match-event';
import { linkId, type Link } from '../../../shared/matching/link-repository';
import { applyChange, matchKeyDocId, POPULATION_ID, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import { EMPTY_STATS, type KeysLeft } from '../../../shared/matching/reindex-profile';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import { buildEvent, newProfileId } from '../../../shared/domain/events/event-rules';
import { EventInputSchema, type RetailEvent } from '../../../shared/domain/events/event-schema';
import { EMPTY_FACTS, factsOfPerson, mergeFacts } from '../../../shared/domain/matching/facts';
import { blockingKeys, MAX_KEY_MEMBERS } from '../../../shared/domain/matching/keys';
import { PRIOR_MODEL, SUGGEST_PROBABILITY } from '../../../shared/domain/matching/model';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import type { Agreement } from '../../../shared/domain/sharing';

/**
 * Matching events over events, profiles, a key index and links in memory. Keys, facts and scores
 * are the domain's own; only storage is faked. The review graph here agrees unless told to veto
 * (its own logic runs against the emulator in test/integration/app/match-neighbours.test.ts, the
 * whole flow in connect-the-dots.test.ts).
 */
const NOW = new Date('2026-11-02T12:00:00Z');
/** The same rare full name and date of birth in two reports: one person, surely. */
const TAMATI = { name: { given: 'Tamati', family: 'Ngatai' }, dateOfBirth: '1990-04-01' };
type Review = ReturnType<MatchEventStore['reviewNeighbours']>;

class Records implements MatchEventStore {
  events = new Map<string, VersionedEvent>();
  profiles = new Map<string, ProfileDoc>();
  /** "retailer|key" → the key's document, as the index keeps it. */
  keys = new Map<string, MatchKeyDoc>();
  /** Profiles each retailer has indexed: the population document's count (most of them people this test never meets). */
  population = new Map<string, number>([
    ['shop', 1000],
    ['partner', 1000],
  ]);
  settings = new Map<string, RetailerSettings>([
    ['shop', structuredClone(DEFAULT_SETTINGS)],
    ['partner', structuredClone(DEFAULT_SETTINGS)],
  ]);
  agreements: Agreement[] = [];
  /** "retailer|link id" → the link. */
  links = new Map<string, Link>();
  /** What was done, in order, besides reads. */
  steps: string[] = [];
  /** The events handed to alertSubscribers, one list per call. */
  alerted: string[][] = [];
  /** The profiles of the people in the events handed to alertSubscribers, one list per call. */
  alertedProfiles: string[][] = [];
  modelReads: boolean[] = [];
  /** Profile ids whose suggestions the review graph refuses. */
  vetoed = new Set<string>();
  /** Profile ids whose re-index fails (a fault of the store). */
  failing = new Set<string>();
  alertFault?: Error;
  /** "retailer|event" → perceptual hashes of its ready images. */
  images = new Map<string, string[]>();

  readEvents = async (retailerId: string, ids: readonly string[]) => ids.map((id) => structuredClone(this.events.get(`${retailerId}|${id}`)));
  getSettings = async (retailerId: string) => ({ settings: structuredClone(this.settings.get(retailerId)!) });
  readModel = async (_retailerId: string, fresh: boolean) => {
    this.modelReads.push(fresh);
    return PRIOR_MODEL;
  };
  listAgreementsOf = async (retailerId: string) => {
    this.steps.push(`agreements ${retailerId}`);
    return this.agreements.filter((a) => a.parties.includes(retailerId));
  };
  ensurePlateIndex = async (_retailerId: string, event: RetailEvent) => void this.steps.push(`plates ${event.id}`);
  /** As reindexProfile: facts and keys from the events the profile holds (none from a sensitive or purging one), the index brought in line. */
  reindexProfile = async (retailerId: string, profileId: string, settings: RetailerSettings, _now: Date, known?: VersionedEvent, keysLeft?: KeysLeft) => {
    this.steps.push(`reindex ${profileId}`);
    if (this.failing.has(profileId)) throw new Error(`store fault on ${profileId}`);
    return this.index(retailerId, profileId, settings, known, keysLeft);
  };
  readKeysWithPopulation = async (retailerId: string, keys: readonly string[]) => {
    this.steps.push(`keys ${retailerId}`);
    this.keysRead.push(...keys);
    return { docs: keys.map((k) => structuredClone(this.keys.get(`${retailerId}|${k}`))), population: this.population.get(retailerId)! };
  };
  requestEstimateIfStale = async (retailerId: string) => void this.steps.push(`estimate? ${retailerId}`);
  /** As the repository: absent profiles and those being erased are left out. */
  readProfiles = async (retailerId: string, ids: readonly string[]) => {
    const found = await Promise.all(ids.map((id) => this.readProfile(retailerId, id)));
    return found.filter((p): p is ProfileDoc => p !== undefined);
  };
  readProfile = async (retailerId: string, id: string) => {
    const p = this.profiles.get(`${retailerId}|${id}`);
    return p && !p.erasing ? structuredClone(p) : undefined;
  };
  /** As the repository: a pair is stored once, whatever became of it. */
  createLinkOnce = async (retailerId: string, link: Link) => {
    if (this.links.has(`${retailerId}|${link.id}`)) return false;
    this.links.set(`${retailerId}|${link.id}`, structuredClone(link));
    return true;
  };
  claims = new Map<string, string>();
  claimCrossRetailerPair = async (retailerId: string, partnerId: string, id: string) => {
    if (this.links.has(`${partnerId}|${id}`)) return false;
    if (!this.claims.has(id)) this.claims.set(id, retailerId);
    return this.claims.get(id) === retailerId;
  };
  deleteLink = async (retailerId: string, id: string, partnerId: string) => {
    this.steps.push(`delete link ${id}`);
    this.links.delete(`${retailerId}|${id}`);
    if (partnerId !== retailerId) this.claims.delete(id);
  };
  reviewNeighbours = (): Review => ({
    agrees: async (candidate) => !this.vetoed.has(candidate.profile.id),
    suggested: async (candidate) => void this.steps.push(`suggested ${candidate.profile.id}`),
  });
  deletePendingLinks = async (retailerId: string, of: { eventId: string } | { profileId: string }) => {
    this.steps.push(`delete pending ${'eventId' in of ? of.eventId : of.profileId}`);
    for (const link of this.linksOf(retailerId)) {
      const names = 'eventId' in of ? link.subject.eventId === of.eventId : link.subject.profileId === of.profileId || link.candidate.profileId === of.profileId;
      if (link.status === 'pending' && names) this.links.delete(`${retailerId}|${link.id}`);
    }
  };
  imageHashesOf = async (retailerId: string, ids: readonly string[]) =>
    new Map(ids.filter((id) => this.images.has(`${retailerId}|${id}`)).map((id) => [id, this.images.get(`${retailerId}|${id}`)!]));
  alertSubscribers = async (_retailerId: string, found: VersionedEvent[]) => {
    this.alerted.push(found.map((f) => f.event.id));
    this.alertedProfiles.push(found.flatMap((f) => f.event.people.map((p) => p.profileId)));
    if (this.alertFault) throw this.alertFault;
    return found.length;
  };

  /** Merges that folded a profile away (folded → survivor), as their records say. */
  folded = new Map<string, string>();
  /** As followMerge (its own test: merge-split.test.ts): the person moved to the survivor, listed there. */
  followMerge = async (retailerId: string, eventId: string, person: { ref: string; profileId: string }) => {
    this.steps.push(`follow ${person.profileId}`);
    const into = this.folded.get(person.profileId);
    if (!into) return undefined;
    this.profiles.get(`${retailerId}|${into}`)!.eventIds.push(eventId);
    const found = this.events.get(`${retailerId}|${eventId}`)!;
    found.event.people = found.event.people.map((p) => (p.ref === person.ref && p.profileId === person.profileId ? { ...p, profileId: into } : p));
    return into;
  };

  /** The keys looked up, in order. */
  keysRead: string[] = [];

  /** What reindexProfile does, without the step noted: also how reports matched before a test are indexed. */
  private async index(retailerId: string, profileId: string, settings: RetailerSettings, known?: VersionedEvent, keysLeft?: KeysLeft): Promise<ProfileDoc | undefined> {
    const profile = await this.readProfile(retailerId, profileId);
    if (!profile) return undefined;
    let facts = EMPTY_FACTS;
    const indexed: string[] = [];
    for (const eventId of profile.eventIds) {
      const found = known?.event.id === eventId ? known : this.events.get(`${retailerId}|${eventId}`);
      if (!found || found.purging) continue;
      indexed.push(eventId);
      if (found.event.sensitive) continue;
      const images = settings.connectTheDots.imageMatching ? this.images.get(`${retailerId}|${eventId}`) : undefined;
      for (const person of found.event.people.filter((p) => p.profileId === profileId)) facts = mergeFacts(facts, factsOfPerson(found.event, person, images));
    }
    const keys = indexed.length ? blockingKeys(facts, { imageMatching: settings.connectTheDots.imageMatching }) : [];
    const before = profile.match?.keys ?? [];
    for (const k of keys.filter((k) => !before.includes(k))) {
      const doc = this.changeKey(retailerId, k, profileId, true);
      keysLeft?.set(matchKeyDocId(k), doc);
    }
    for (const k of before.filter((k) => !keys.includes(k))) {
      const doc = this.changeKey(retailerId, k, profileId, false);
      keysLeft?.set(matchKeyDocId(k), doc);
    }
    if (!before.length && keys.length) {
      this.population.set(retailerId, this.population.get(retailerId)! + 1);
      keysLeft?.set(POPULATION_ID, { id: POPULATION_ID, orgId: retailerId, docType: 'population', members: [], count: this.population.get(retailerId)!, saturated: false });
    }
    const updated: ProfileDoc = { ...profile, match: { facts, keys, stats: EMPTY_STATS, indexedEvents: indexed } };
    this.profiles.set(`${retailerId}|${profileId}`, updated);
    return structuredClone(updated);
  }

  /** As the index: the index writer's own change to a key document (a key past MAX_KEY_MEMBERS saturates, keeping its newest holders if identifying). */
  private changeKey(retailerId: string, key: string, profileId: string, add: boolean): MatchKeyDoc | undefined {
    const doc = applyChange(this.keys.get(`${retailerId}|${key}`), { id: key, profileId, add });
    if (doc) this.keys.set(`${retailerId}|${key}`, { ...doc, orgId: retailerId });
    return structuredClone(this.keys.get(`${retailerId}|${key}`));
  }

  /** An event of the retailer with these people (each a profile of its own unless given one), its profiles listing it. */
  report(retailerId: string, id: string, people: Record<string, unknown>[], more: Record<string, unknown> = {}): RetailEvent {
    const input = EventInputSchema.parse({ storeId: 's1', occurredAt: '2026-11-01T10:00:00Z', type: 'shoplifting', prevented: false, ...more, people: people.map((p, i) => ({ ref: `p${i}`, role: 'offender', ...p })) });
    const event = buildEvent(id, retailerId, input, 'reporter', NOW);
    this.events.set(`${retailerId}|${id}`, { event, etag: '"1"', purging: false, storeJurisdiction: 'NZ-AUK' });
    for (const { profileId } of event.people) {
      const current = this.profiles.get(`${retailerId}|${profileId}`);
      const at = NOW.toISOString();
      this.profiles.set(`${retailerId}|${profileId}`, { ...(current ?? { id: profileId, orgId: retailerId, docType: 'profile', createdAt: at }), eventIds: [...(current?.eventIds ?? []), id], updatedAt: at });
    }
    return event;
  }

  /** A report matched before this test: its profiles in the index. */
  async known(retailerId: string, id: string, people: Record<string, unknown>[]): Promise<string[]> {
    const event = this.report(retailerId, id, people);
    for (const { profileId } of event.people) await this.index(retailerId, profileId, this.settings.get(retailerId)!);
    return event.people.map((p) => p.profileId);
  }

  linksOf(retailerId: string): Link[] {
    return [...this.links].filter(([k]) => k.startsWith(`${retailerId}|`)).map(([, l]) => l);
  }
}

/** Tamati reported once before (profile `earlier`), and again now in e1 as a new profile (`subject`). */
async function world() {
  const records = new Records();
  const [earlier] = await records.known('shop', 'e0', [TAMATI]);
  records.report('shop', 'e1', [TAMATI]);
  return { records, earlier: earlier!, subject: newProfileId('e1', 'p0'), ...eventMatching(records) };
}

/** Both retailers match across, with an active agreement; Tamati known only to the partner. */
async function partners() {
  const records = new Records();
  records.settings.get('shop')!.connectTheDots.crossRetailer = true;
  records.settings.get('partner')!.connectTheDots.crossRetailer = true;
  records.agreements.push({ id: 'a1', parties: ['shop', 'partner'], proposedBy: 'shop', partnerRetailerId: 'partner', status: 'active', createdAt: '2026-01-01T00:00:00Z', acceptedAt: '2026-01-02T00:00:00Z', revokedAt: null, revokedBy: null });
  const [theirs] = await records.known('partner', 'x0', [TAMATI]);
  records.report('shop', 'e1', [TAMATI]);
  return { records, theirs: theirs!, ...eventMatching(records) };
}

describe('matching an event over records in memory', () => {
  it('a person sharing a rare full name and date of birth with another profile gets one pending suggestion', async () => {
    const { records, earlier, subject, matchEvent } = await world();
    expect(await matchEvent('shop', 'e1', NOW)).toEqual({ eventId: 'e1', people: 1, candidates: 1, suggestions: 1 });
    const [link, ...more] = records.linksOf('shop');
    expect(more).toEqual([]);
    expect(link).toMatchObject({
      id: linkId({ retailerId: 'shop', profileId: subject }, { retailerId: 'shop', profileId: earlier }),
      status: 'pending',
      subject: { eventId: 'e1', personRef: 'p0', profileId: subject },
      candidate: { profileId: earlier, retailerId: 'shop', eventIds: ['e0'] },
      createdAt: NOW.toISOString(),
    });
    expect(link!.probability).toBeGreaterThanOrEqual(SUGGEST_PROBABILITY);
    expect(link!.reasons.map((r) => r.signal)).toEqual(expect.arrayContaining(['name', 'dob']));
    // Plates first, then the person's index, the candidates, and the suggestion noted in the review graph. A new
    // person's keys (and the population) are as its re-index left them: none is read again.
    expect(records.steps).toEqual(['plates e1', `reindex ${subject}`, 'estimate? shop', `suggested ${earlier}`]);
    expect(records.keysRead).toEqual([]);
  });

  it("the same picture in two reports links their people where the retailer opted in to image matching, and only there", async () => {
    for (const imageMatching of [true, false]) {
      const records = new Records();
      records.settings.get('shop')!.connectTheDots.imageMatching = imageMatching;
      // A scar: not enough on its own under the prior; with the same picture, the same person.
      const person = { distinguishingFeatures: ['scar through left eyebrow'] };
      records.images.set('shop|e0', ['08102060c2840810']);
      records.images.set('shop|e1', ['08102060c2840811']);
      await records.known('shop', 'e0', [person]);
      records.report('shop', 'e1', [person]);
      const { matchEvent } = eventMatching(records);
      await matchEvent('shop', 'e1', NOW);
      const reasons = records.linksOf('shop').map((l) => l.reasons.map((r) => r.signal));
      expect({ imageMatching, reasons }).toEqual({ imageMatching, reasons: imageMatching ? [expect.arrayContaining(['image'])] : [] });
    }
  });

  it('matched again, nothing is duplicated: the pair exists already', async () => {
    const { records, matchEvent } = await world();
    await matchEvent('shop', 'e1', NOW);
    expect(records.keysRead).toEqual([]);
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ candidates: 1, suggestions: 0 });
    expect(records.linksOf('shop')).toHaveLength(1);
    // Its re-index changed nothing this time: every key of the person is read.
    const person = records.events.get('shop|e1')!.event;
    expect(records.keysRead).toEqual(blockingKeys(factsOfPerson(person, person.people[0]!), { imageMatching: false }));
  });

  it('an event being purged, or gone, does nothing', async () => {
    const { records, matchEventsOf } = await world();
    records.events.get('shop|e1')!.purging = true;
    const outcomes = await matchEventsOf('shop', ['e1', 'gone'], NOW);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: { eventId: 'e1', people: 0, candidates: 0, suggestions: 0 } },
      { status: 'fulfilled', value: { eventId: 'gone', people: 0, candidates: 0, suggestions: 0 } },
    ]);
    expect(records.steps).toEqual([]);
    expect(records.linksOf('shop')).toEqual([]);
  });

  it('a person whose profile was merged away before the event was written follows the merge, and is indexed and matched as the survivor', async () => {
    const records = new Records();
    const [survivor] = await records.known('shop', 'e0', [TAMATI]);
    await records.known('shop', 'e2', [TAMATI]);
    records.report('shop', 'e1', [{ ...TAMATI, profileId: 'folded-profile' }]);
    records.profiles.delete('shop|folded-profile');
    records.folded.set('folded-profile', survivor!);
    expect(await eventMatching(records).matchEvent('shop', 'e1', NOW)).toMatchObject({ people: 1, candidates: 1 });
    expect(records.events.get('shop|e1')!.event.people[0]!.profileId).toBe(survivor);
    expect(records.profiles.get(`shop|${survivor}`)!.match!.indexedEvents).toEqual(['e0', 'e1']);
    expect(records.steps.slice(0, 4)).toEqual(['plates e1', 'reindex folded-profile', 'follow folded-profile', `reindex ${survivor}`]);
    // Its suggestions are the survivor's: never with itself; the alerts see the person where they are now.
    expect(records.linksOf('shop').map((l) => l.subject.profileId)).toEqual([survivor]);
    expect(records.alertedProfiles).toEqual([[survivor]]);
  });

  it('a person following a merge is looked up by the keys as they are, not as the gone profile\'s own changes left them', async () => {
    const records = new Records();
    const [survivor] = await records.known('shop', 'e0', [TAMATI]);
    const [other] = await records.known('shop', 'e2', [TAMATI]);
    records.report('shop', 'e1', [{ ...TAMATI, profileId: 'folded-profile' }]);
    records.folded.set('folded-profile', survivor!);
    const keys = records.profiles.get(`shop|${survivor}`)!.match!.keys;
    // The folded profile's re-index added its keys and, finding it gone, took them out again: as it left
    // them, no one else held them. The survivor holds them already, so its own re-index changes none.
    const reindex = records.reindexProfile;
    records.reindexProfile = async (retailerId, profileId, settings, now, known, keysLeft) => {
      if (profileId !== 'folded-profile') return reindex(retailerId, profileId, settings, now, known, keysLeft);
      records.steps.push('reindex folded-profile');
      for (const k of keys) keysLeft?.set(matchKeyDocId(k), undefined);
      return undefined;
    };
    expect(await eventMatching(records).matchEvent('shop', 'e1', NOW)).toMatchObject({ people: 1, candidates: 1 });
    expect(records.keysRead).toEqual(expect.arrayContaining(keys));
    expect(records.linksOf('shop').map((l) => l.candidate.profileId)).toEqual([other]);
  });

  it('a person whose profile is gone with no merge to follow (erased, purged) is not matched', async () => {
    const records = new Records();
    await records.known('shop', 'e0', [TAMATI]);
    records.report('shop', 'e1', [{ ...TAMATI, profileId: 'gone-profile' }]);
    records.profiles.delete('shop|gone-profile');
    expect(await eventMatching(records).matchEvent('shop', 'e1', NOW)).toEqual({ eventId: 'e1', people: 0, candidates: 0, suggestions: 0 });
    expect(records.steps).toEqual(['plates e1', 'reindex gone-profile', 'follow gone-profile']);
  });

  it('a sensitive event is re-indexed (its plates too) but its people are never matched', async () => {
    const records = new Records();
    await records.known('shop', 'e0', [TAMATI]);
    const subject = newProfileId('e1', 'p0');
    records.report('shop', 'e1', [TAMATI], { sensitive: true });
    records.settings.get('shop')!.connectTheDots.crossRetailer = true;
    expect(await eventMatching(records).matchEvent('shop', 'e1', NOW)).toEqual({ eventId: 'e1', people: 0, candidates: 0, suggestions: 0 });
    // No partners are looked up for it, no key is read, nothing is suggested (and nothing made from it is left).
    expect(records.steps).toEqual(['plates e1', 'delete pending e1', `reindex ${subject}`, `delete pending ${subject}`]);
    expect(records.profiles.get(`shop|${subject}`)!.match).toMatchObject({ keys: [], indexedEvents: ['e1'] });
    expect(records.linksOf('shop')).toEqual([]);
  });

  it('an event made sensitive since takes back the pending suggestions made from it, and those of a person known only from it', async () => {
    const { records, earlier, matchEvent } = await world();
    await matchEvent('shop', 'e1', NOW);
    expect(records.linksOf('shop')).toHaveLength(1);
    records.events.get('shop|e1')!.event.sensitive = true;
    await matchEvent('shop', 'e1', NOW);
    expect(records.linksOf('shop')).toEqual([]);
    // The candidate's side: its only report made sensitive, its pending suggestions go too.
    const again = await world();
    await again.matchEvent('shop', 'e1', NOW);
    again.records.events.get('shop|e0')!.event.sensitive = true;
    await again.matchEvent('shop', 'e0', NOW);
    expect(again.records.linksOf('shop')).toEqual([]);
    expect(earlier).toBeTruthy();
  });

  it('a suggestion whose profile was erased meanwhile is deleted and not counted', async () => {
    const { records, earlier, subject, matchEvent } = await world();
    const create = records.createLinkOnce;
    records.createLinkOnce = async (retailerId, link) => {
      const created = await create(retailerId, link);
      records.profiles.get(`shop|${earlier}`)!.erasing = { at: NOW.toISOString(), by: 'privacy@shop' };
      return created;
    };
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ candidates: 1, suggestions: 0 });
    expect(records.linksOf('shop')).toEqual([]);
    const id = linkId({ retailerId: 'shop', profileId: subject }, { retailerId: 'shop', profileId: earlier });
    expect(records.steps.filter((s) => s.startsWith('delete link') || s.startsWith('suggested'))).toEqual([`delete link ${id}`]);
  });

  it('a pair already decided is not suggested again, nor counted', async () => {
    const { records, earlier, subject, matchEvent } = await world();
    const id = linkId({ retailerId: 'shop', profileId: earlier }, { retailerId: 'shop', profileId: subject });
    const rejected = { id, status: 'rejected', score: 3, subject: { eventId: 'e0', personRef: 'p0', profileId: earlier }, candidate: { profileId: subject, retailerId: 'shop', eventIds: ['e1'] }, reasons: [], createdAt: '2026-10-01T00:00:00Z' } as Link;
    records.links.set(`shop|${id}`, rejected);
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ candidates: 1, suggestions: 0 });
    expect(records.linksOf('shop')).toEqual([rejected]);
    expect(records.steps.some((s) => s.startsWith('suggested') || s.startsWith('delete link'))).toBe(false);
  });

  it('a suggestion the review graph refuses is not made', async () => {
    const { records, earlier, matchEvent } = await world();
    records.vetoed.add(earlier);
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ candidates: 1, suggestions: 0 });
    expect(records.linksOf('shop')).toEqual([]);
  });

  it('a saturated key gives candidates among the holders it lists: its newest, for an identifying kind', async () => {
    const { records, matchEvent } = await world();
    // Every key saturated, its holders still listed, as read or as the re-index left it: the matcher takes them as the index keeps them.
    const read = records.readKeysWithPopulation;
    records.readKeysWithPopulation = async (retailerId, keys) => {
      const found = await read(retailerId, keys);
      return { ...found, docs: found.docs.map((doc) => doc && { ...doc, saturated: true }) };
    };
    const reindex = records.reindexProfile;
    records.reindexProfile = async (...args) => {
      const profile = await reindex(...args);
      for (const [id, doc] of args[5] ?? []) if (doc?.docType === 'matchkey') args[5]!.set(id, { ...doc, saturated: true });
      return profile;
    };
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ candidates: 1, suggestions: 1 });
  });

  it('a person reported more often than a key lists is still found: the newest of their reports are candidates', async () => {
    const records = new Records();
    const many = MAX_KEY_MEMBERS + 5;
    for (let i = 0; i < many; i++) await records.known('shop', `e${i}`, [TAMATI]);
    const nameKey = blockingKeys(factsOfPerson(records.events.get('shop|e0')!.event, records.events.get('shop|e0')!.event.people[0]!), { imageMatching: false }).find((k) => k.startsWith('nm:'))!;
    expect(records.keys.get(`shop|${nameKey}`)).toMatchObject({ count: many, saturated: true });
    records.report('shop', 'new', [TAMATI]);
    const read: string[] = [];
    const readProfiles = records.readProfiles.bind(records);
    records.readProfiles = async (retailerId, ids) => (read.push(...ids), readProfiles(retailerId, ids));
    const outcome = await eventMatching(records).matchEvent('shop', 'new', NOW);
    expect(outcome.candidates).toBeGreaterThan(0);
    // Only among the newest holders: the first reports fell out of every key's list.
    expect(read).not.toContain(newProfileId('e0', 'p0'));
    expect(read).toContain(newProfileId(`e${many - 1}`, 'p0'));
  });

  it('a failed request for a new estimate does not fail the match', async () => {
    const { records, matchEvent } = await world();
    records.requestEstimateIfStale = () => Promise.reject(new Error('queue down'));
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ suggestions: 1 });
  });
});

describe('across retailers', () => {
  it('both opted in with an active agreement: the partner\'s profile is suggested, the link kept in the own partition', async () => {
    const { records, theirs, matchEvent } = await partners();
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ people: 1, candidates: 1, suggestions: 1 });
    expect(records.linksOf('shop')).toEqual([expect.objectContaining({ candidate: { profileId: theirs, retailerId: 'partner', eventIds: ['x0'] } })]);
    expect(records.linksOf('partner')).toEqual([]);
    // The own keys as the re-index left them; the partner's read.
    expect(records.steps).toEqual(expect.arrayContaining(['keys partner']));
    expect(records.steps).not.toContain('keys shop');
    // Both name their store s1, but a store id is each retailer's own: not the same store (within one retailer, it is).
    const [link] = records.linksOf('shop');
    expect(link!.comparison!.levels.context).toBe('near');
    expect(link!.reasons.find((r) => r.signal === 'context')!.detail).not.toMatch(/same store/);
    // The partner's matcher, meeting the same pair from its side, makes no second suggestion of it: the shop's investigators decide it.
    expect(await matchEvent('partner', 'x0', NOW)).toMatchObject({ candidates: 1, suggestions: 0 });
    expect(records.linksOf('partner').filter((l) => l.id === link!.id)).toEqual([]);
    const own = await world();
    await own.matchEvent('shop', 'e1', NOW);
    expect(own.records.linksOf('shop')[0]!.comparison!.levels.context).toBe('store-near');
  });

  it.each([
    ['the partner has not opted in', (r: Records) => void (r.settings.get('partner')!.connectTheDots.crossRetailer = false)],
    ['the agreement is only proposed', (r: Records) => void (r.agreements[0]!.status = 'proposed')],
    ['the agreement was revoked', (r: Records) => void (r.agreements[0]!.status = 'revoked')],
    ['this retailer has not opted in', (r: Records) => void (r.settings.get('shop')!.connectTheDots.crossRetailer = false)],
  ])('none when %s', async (_, change) => {
    const { records, matchEvent } = await partners();
    change(records);
    expect(await matchEvent('shop', 'e1', NOW)).toMatchObject({ people: 1, candidates: 0, suggestions: 0 });
    expect(records.steps).not.toContain('keys partner');
    expect(records.linksOf('shop')).toEqual([]);
  });

  it("a retailer that has not opted in does not even read its agreements", async () => {
    const { records, matchEvent } = await partners();
    records.settings.get('shop')!.connectTheDots.crossRetailer = false;
    await matchEvent('shop', 'e1', NOW);
    expect(records.steps).not.toContain('agreements shop');
  });
});

describe('alerts after a group of events', () => {
  /** e1 matches, e2's profile cannot be re-indexed, e3 does not exist. */
  async function group() {
    const w = await world();
    w.records.report('shop', 'e2', [{ name: { given: 'Aroha', family: 'Kereama' } }]);
    w.records.failing.add(newProfileId('e2', 'p0'));
    return w;
  }

  it('go out once, for the events matched successfully only', async () => {
    const { records, matchEventsOf } = await group();
    const outcomes = await matchEventsOf('shop', ['e1', 'e2', 'e3'], NOW);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(records.alerted).toEqual([['e1']]);
    expect(records.modelReads).toEqual([false]);
  });

  it('a failure to alert turns every event matched into a failure, to be sent round again', async () => {
    const { records, matchEventsOf } = await group();
    records.alertFault = new Error('subscriptions unreadable');
    const outcomes = await matchEventsOf('shop', ['e1', 'e2', 'e3'], NOW);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: records.alertFault },
      { status: 'rejected', reason: new Error(`store fault on ${newProfileId('e2', 'p0')}`) },
      { status: 'rejected', reason: records.alertFault },
    ]);
    // The suggestion stays: matching again changes nothing.
    expect(records.linksOf('shop')).toHaveLength(1);
  });

  it('matchEvent throws what failed the event', async () => {
    const { records, matchEvent } = await group();
    await expect(matchEvent('shop', 'e2', NOW)).rejects.toThrow('store fault');
    records.alertFault = new Error('subscriptions unreadable');
    await expect(matchEvent('shop', 'e1', NOW)).rejects.toBe(records.alertFault);
  });

  it('a re-match (alert: false) alerts no one and reads the model afresh', async () => {
    const { records, matchEventsOf } = await group();
    const outcomes = await matchEventsOf('shop', ['e1', 'e3'], NOW, { alert: false });
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(records.alerted.flat()).toEqual([]);
    expect(records.modelReads).toEqual([true]);
  });
});
