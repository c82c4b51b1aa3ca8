import { profileIndexing, type ReindexStore } from '../../../shared/matching/reindex-profile';
import type { KeyNoteDoc } from '../../../shared/matching/key-note-repository';
import { matchKeyDocId, POPULATION_ID, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { MembershipOutcome, ProfileDoc } from '../../../shared/events/profile-repository';
import { leaveProfiles } from '../../../shared/events/leave-profiles';
import { buildEvent } from '../../../shared/domain/events/event-rules';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';

const NOW = new Date('2026-12-01T00:00:00Z');
const R = 'ret-1';
const P = 'profile-0001';

/** Profiles, events, key holders and the population in memory, as the repositories hold them. */
class Records implements ReindexStore {
  profiles = new Map<string, ProfileDoc>();
  events = new Map<string, VersionedEvent>();
  holders = new Map<string, Set<string>>();
  population = 0;
  /** Perceptual hashes of ready images, by event; the events asked for, each time. */
  images = new Map<string, string[]>();
  imagesAskedFor: string[][] = [];
  /** Runs once, inside the next key change: what another process does meanwhile. */
  meanwhile?: () => void | Promise<void>;
  version = 0;
  /** Key notes, by id, written with the profile in one batch. */
  notes = new Map<string, KeyNoteDoc>();

  async readProfile(_r: string, id: string) {
    const p = this.profiles.get(id);
    return p && !p.erasing ? structuredClone(p) : undefined;
  }
  async readEvents(_r: string, ids: readonly string[]) {
    return ids.map((id) => this.events.get(id));
  }
  async updateProfile(_r: string, id: string, mutate: (c: ProfileDoc) => ProfileDoc | undefined, _seen?: ProfileDoc, note?: KeyNoteDoc) {
    const current = this.profiles.get(id);
    if (!current) return undefined;
    // As the repository: a mutate that answers nothing leaves the profile, which is returned as it is.
    const next = mutate(structuredClone(current));
    if (!next) return structuredClone(current);
    // Each write a new version, as the store's ETag.
    next._etag = `"${(this.version += 1)}"`;
    this.profiles.set(id, next);
    if (note) this.notes.set(note.id, structuredClone(note));
    return structuredClone(next);
  }
  async changeKeyDoc(r: string, docId: string, profileId: string, add: boolean) {
    // Key values by their document's id, among those any profile lists or any key document holds.
    const known = [...this.holders.keys(), ...[...this.profiles.values()].flatMap((p) => p.match?.keys ?? [])];
    return this.changeKey(r, known.find((k) => matchKeyDocId(k) === docId) ?? docId, profileId, add);
  }
  async clearKeyNote(_r: string, id: string) {
    this.notes.delete(id);
  }
  async changeKey(_r: string, key: string, profileId: string, add: boolean) {
    const meanwhile = this.meanwhile;
    this.meanwhile = undefined;
    await meanwhile?.();
    const set = this.holders.get(key) ?? new Set<string>();
    if (add) set.add(profileId);
    else set.delete(profileId);
    this.holders.set(key, set);
    return this.keyDoc(key);
  }
  async changePopulation(_r: string, delta: 1 | -1) {
    this.population += delta;
    return { id: POPULATION_ID, orgId: R, docType: 'population' as const, members: [], count: this.population, saturated: false };
  }
  /** A key's document as the repository answers it (undefined: no holder). */
  keyDoc(key: string): MatchKeyDoc | undefined {
    const members = [...(this.holders.get(key) ?? [])];
    return members.length ? { id: matchKeyDocId(key), orgId: R, docType: 'matchkey', members, count: members.length, saturated: false } : undefined;
  }
  async imageHashesOf(_r: string, ids: readonly string[]) {
    this.imagesAskedFor.push([...ids]);
    return new Map(ids.filter((id) => this.images.has(id)).map((id) => [id, this.images.get(id)!]));
  }
  /** Runs once, when a purge is about to take the event out of the profile's list: what another process does meanwhile. */
  beforeLeave?: () => Promise<unknown>;
  /** As updateMembership: the event out of the list; an emptied profile is deleted, unless it still lists keys. */
  async leave(id: string, eventId: string): Promise<MembershipOutcome> {
    const hook = this.beforeLeave;
    this.beforeLeave = undefined;
    await hook?.();
    const p = this.profiles.get(id);
    if (!p) return 'missing';
    const eventIds = p.eventIds.filter((e) => e !== eventId);
    if (eventIds.length === p.eventIds.length) return 'unchanged';
    if (eventIds.length) {
      this.profiles.set(id, { ...p, eventIds, _etag: `"${(this.version += 1)}"` });
      return 'updated';
    }
    if (p.match?.keys.length) return 'indexed';
    this.profiles.delete(id);
    return 'deleted';
  }
  keysOf(profileId: string) {
    return [...this.holders].filter(([, s]) => s.has(profileId)).map(([k]) => k).sort();
  }

  /** An event of P's (the person as given), listed on the profile. */
  report(id: string, person: Record<string, unknown>, more: Record<string, unknown> = {}, purging = false) {
    const input = EventInputSchema.parse({ storeId: 's1', occurredAt: '2026-11-01T10:00:00Z', type: 'shoplifting', prevented: false, ...more, people: [{ ref: 'p1', role: 'offender', profileId: P, ...person }] });
    this.events.set(id, { event: buildEvent(id, R, input, 'reporter', NOW), etag: '"1"', purging, storeJurisdiction: 'NZ-AKL' });
    const p = this.profiles.get(P) ?? { id: P, orgId: R, docType: 'profile' as const, eventIds: [], createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() };
    this.profiles.set(P, { ...p, eventIds: [...p.eventIds, id] });
  }
}

const tamati = { name: { given: 'Tamati', family: 'Wharerau' }, dateOfBirth: '1983-05-17' };

describe('re-indexing a profile from the events it holds', () => {
  it('indexes a new profile: its keys held, the population one up, facts and harm from its events', async () => {
    const store = new Records();
    store.report('e1', tamati, { products: [{ sku: '1', name: 'Whisky', quantity: 2, unitValue: 50 }], currency: 'NZD' });
    const { reindexProfile } = profileIndexing(store);
    const updated = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(updated!.match!.indexedEvents).toEqual(['e1']);
    expect(store.keysOf(P)).toEqual([...updated!.match!.keys].sort());
    expect(updated!.match!.keys.length).toBeGreaterThan(0);
    expect(store.population).toBe(1);
    expect(updated!.match!.stats.lossValue).toBe(100);
    expect(updated!.harm).toBeGreaterThan(0);
  });

  it('hands back the key documents (and the population) as its own changes left them, and none when it changes nothing', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile } = profileIndexing(store);
    const left = new Map<string, MatchKeyDoc | undefined>();
    const updated = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW, undefined, left);
    const keys = updated!.match!.keys;
    expect([...left.keys()].sort()).toEqual([...keys.map(matchKeyDocId), POPULATION_ID].sort());
    for (const k of keys) expect(left.get(matchKeyDocId(k))).toEqual(store.keyDoc(k));
    expect(left.get(POPULATION_ID)!.count).toBe(1);
    // A second report with a new phone: only that key changes, and only it is handed back.
    store.report('e2', { ...tamati, phone: '+64215550101' });
    const again = new Map<string, MatchKeyDoc | undefined>();
    const more = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW, undefined, again);
    const added = more!.match!.keys.filter((k) => !keys.includes(k));
    expect(added.length).toBeGreaterThan(0);
    expect([...again.keys()].sort()).toEqual(added.map(matchKeyDocId).sort());
    const unchanged = new Map<string, MatchKeyDoc | undefined>();
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW, undefined, unchanged);
    expect(unchanged.size).toBe(0);
  });

  it("carries its events' image hashes where the retailer matches on images, and asks for none where it does not", async () => {
    const store = new Records();
    store.report('e1', tamati);
    store.report('e2', tamati, { sensitive: true });
    store.images.set('e1', ['08102060c2840810']);
    store.images.set('e2', ['ffffffffffffffff']);
    const { reindexProfile } = profileIndexing(store);
    const plain = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(plain!.match!.facts.imageHashes).toEqual([]);
    expect(store.imagesAskedFor).toEqual([]);
    const optedIn = { ...DEFAULT_SETTINGS, connectTheDots: { crossRetailer: false, imageMatching: true } };
    const withImages = await reindexProfile(R, P, optedIn, NOW);
    // A sensitive event's image is never asked for, like the rest of that event.
    expect(store.imagesAskedFor).toEqual([['e1']]);
    expect(withImages!.match!.facts.imageHashes).toEqual(['08102060c2840810']);
    expect(withImages!.match!.keys.length).toBeGreaterThan(plain!.match!.keys.length);
  });

  it("facts of the events read are not written over a membership that changed meanwhile: it is indexed again from the new set", async () => {
    const store = new Records();
    store.report('e1', tamati);
    const read = store.readEvents.bind(store);
    let once = true;
    store.readEvents = async (r, ids) => {
      const found = await read(r, ids);
      // Between this read of its events and the write, a second report joins it.
      if (once) store.report('e2', { ...tamati, phone: '+64215550177' });
      once = false;
      return found;
    };
    const { reindexProfile } = profileIndexing(store);
    const updated = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(updated!.match!.indexedEvents).toEqual(['e1', 'e2']);
    expect(updated!.match!.facts.phones).toEqual(['+64215550177']);
    expect(store.population).toBe(1);
  });

  it('a membership that keeps changing is left as it stands after three tries, not failed', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const read = store.readEvents.bind(store);
    let n = 1;
    store.readEvents = async (r, ids) => {
      const found = await read(r, ids);
      n += 1;
      store.report(`e${n}`, tamati);
      return found;
    };
    const { reindexProfile } = profileIndexing(store);
    const left = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(left!.match).toBeUndefined();
    expect(n).toBe(4);
  });

  it('is idempotent: indexed again, nothing more is added or counted', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile } = profileIndexing(store);
    const first = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    const again = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(again!.match).toEqual(first!.match);
    expect(store.population).toBe(1);
  });

  it("a re-index whose profile was re-indexed meanwhile from a corrected event does not write its older copy's facts back when it tries again", async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile } = profileIndexing(store);
    const copy = structuredClone(store.events.get('e1')!);
    const update = store.updateProfile.bind(store);
    // Between this re-index's read and its write: the event is corrected (another date of birth) and the correction re-indexes the profile.
    store.updateProfile = async (...args) => {
      store.updateProfile = update;
      const e1 = store.events.get('e1')!;
      e1.event = { ...e1.event, people: e1.event.people.map((p) => ({ ...p, dateOfBirth: '1990-02-03' })) };
      e1.etag = '"2"';
      await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      return update(...args);
    };
    const updated = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW, copy);
    expect(updated!.match!.facts.dobs).toEqual(['1990-02-03']);
    expect(store.profiles.get(P)!.match!.facts.dobs).toEqual(['1990-02-03']);
  });

  it('a key removal that lands after a later re-index added the key back is undone: the profile is found through the key it lists', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile } = profileIndexing(store);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    const withDob = store.keysOf(P);
    const e1 = store.events.get('e1')!;
    const original = e1.event;
    // A correction takes the date of birth out; its key removals are slow, and a second correction puts it back and re-indexes meanwhile.
    e1.event = { ...original, people: original.people.map(({ dateOfBirth: _d, ...p }) => p) };
    store.meanwhile = async () => {
      e1.event = original;
      await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    };
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(store.keysOf(P)).toEqual(withDob);
    expect([...store.profiles.get(P)!.match!.keys].sort()).toEqual(withDob);
    expect(store.notes.size).toBe(0);
  });

  it('writes nothing when nothing moved (a re-match, a message delivered again)', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile } = profileIndexing(store);
    const first = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    let writes = 0;
    const update = store.updateProfile.bind(store);
    store.updateProfile = (...args) => ((writes += 1), update(...args));
    expect(await reindexProfile(R, P, DEFAULT_SETTINGS, NOW)).toEqual(first);
    expect(writes).toBe(0);
    // A second report moves it: written.
    store.report('e2', { name: { given: 'Tamati', family: 'Wharerau' }, phone: '+64215550199' });
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(writes).toBe(1);
  });

  it('does not write facts it read before another run wrote newer ones (an event corrected twice in place, each re-indexed)', async () => {
    const store = new Records();
    const phoned = (phone: string) => {
      const e1 = store.events.get('e1')!;
      store.events.set('e1', { ...e1, event: { ...e1.event, people: e1.event.people.map((p) => ({ ...p, phone })) } });
    };
    store.report('e1', { ...tamati, phone: '+64215550100' });
    const { reindexProfile } = profileIndexing(store);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    // Corrected to ...111; its run has read the event when the second correction (...122) is read and written by another run.
    phoned('+64215550111');
    const update = store.updateProfile.bind(store);
    let once = true;
    store.updateProfile = async (...a) => {
      if (once) {
        once = false;
        phoned('+64215550122');
        await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      }
      return update(...a);
    };
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(store.profiles.get(P)!.match!.facts.phones).toEqual(['+64215550122']);
    expect(store.keysOf(P).filter((k) => k.startsWith('ph:'))).toEqual([store.profiles.get(P)!.match!.keys.find((k) => k.startsWith('ph:'))]);
    expect(store.population).toBe(1);
  });

  it('drops the keys no event supports any more (its event being purged), and leaves the population when none is left', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile } = profileIndexing(store);
    const before = (await reindexProfile(R, P, DEFAULT_SETTINGS, NOW))!.match!.keys;
    store.events.get('e1')!.purging = true;
    const after = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(after!.match).toMatchObject({ keys: [], indexedEvents: [] });
    for (const k of before) expect(store.holders.get(k)?.has(P)).toBe(false);
    expect(store.population).toBe(0);
  });

  it('counts a sensitive event towards harm but never makes its person matchable nor gives a tier', async () => {
    const store = new Records();
    store.report('e1', tamati, { sensitive: true, violence: { threatened: true, used: true, weapon: 'knife' } });
    const { reindexProfile } = profileIndexing(store);
    const updated = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(updated!.match!.keys).toEqual([]);
    expect(updated!.match!.stats.violentEvents).toBe(1);
    expect(updated!.riskTiers).toEqual([]);
    expect(store.population).toBe(0);
  });

  it('counts a person known first from a sensitive report once a report makes them matchable, and again after their keys went', async () => {
    const store = new Records();
    store.report('e1', tamati, { sensitive: true });
    const { reindexProfile } = profileIndexing(store);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(store.population).toBe(0);
    store.report('e2', tamati);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(store.population).toBe(1);
    store.events.get('e2')!.purging = true;
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(store.population).toBe(0);
    store.report('e3', tamati);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(store.population).toBe(1);
  });

  it('takes its new keys back when the profile was erased or merged away while they were added, and counts it down once', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile, unindexProfile } = profileIndexing(store);
    // The erasure marks the profile as it read it (with the keys just written), and takes those out (counting it down) before these adds land.
    store.meanwhile = async () => {
      const seen = (await store.readProfile(R, P))!;
      store.profiles.get(P)!.erasing = { startedAt: NOW.toISOString() } as never;
      await unindexProfile(R, { ...seen, erasing: { startedAt: NOW.toISOString() } } as never);
    };
    expect(await reindexProfile(R, P, DEFAULT_SETTINGS, NOW)).toBeUndefined();
    expect(store.keysOf(P)).toEqual([]);
    expect(store.population).toBe(0);
  });

  describe('stopped between the profile and its keys (a crash, a store fault)', () => {
    /** Re-indexed with every key write failing: the profile and its note are written, no key. */
    async function stopped(store: Records, reindexProfile: ReturnType<typeof profileIndexing>['reindexProfile']) {
      const changeKey = store.changeKey.bind(store);
      store.changeKey = () => Promise.reject(new Error('stopped before the keys'));
      await expect(reindexProfile(R, P, DEFAULT_SETTINGS, NOW)).rejects.toThrow('stopped before the keys');
      store.changeKey = changeKey;
    }

    it('leaves no note when the keys were written', async () => {
      const store = new Records();
      store.report('e1', tamati);
      const { reindexProfile } = profileIndexing(store);
      await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      store.report('e2', { ...tamati, phone: '+64215550199' });
      await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      expect(store.notes.size).toBe(0);
    });

    it("leaves a note of the write's key changes (key document ids only), which the sweep settles: the keys then list the profile", async () => {
      const store = new Records();
      store.report('e1', tamati);
      const { reindexProfile, settleKeyNote } = profileIndexing(store);
      await stopped(store, reindexProfile);
      const written = store.profiles.get(P)!;
      const [note] = [...store.notes.values()];
      expect(note).toMatchObject({ profileId: P, add: written.match!.keys.map(matchKeyDocId), remove: [] });
      expect(JSON.stringify(note)).not.toContain('Wharerau');
      // A retry finds nothing to change, and leaves the note.
      await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      expect(store.keysOf(P)).toEqual([]);
      await settleKeyNote(note!);
      expect(store.keysOf(P)).toEqual([...written.match!.keys].sort());
      expect(store.notes.size).toBe(0);
    });

    it('settles each key the note names as the profile is now: a key it no longer wants is taken out, a removal made', async () => {
      const store = new Records();
      store.report('e1', { ...tamati, phone: '+64215550177' });
      const { reindexProfile, settleKeyNote } = profileIndexing(store);
      await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      const phoneKeys = store.keysOf(P).filter((k) => k.includes('215550177'));
      expect(phoneKeys.length).toBeGreaterThan(0);
      // Corrected in place: the phone goes, a plate comes; the profile and its note are written, no key.
      const found = store.events.get('e1')!;
      const person = { ...found.event.people[0]!, phone: undefined };
      store.events.set('e1', { ...found, event: { ...found.event, people: [person], vehicles: [{ plate: 'ABC123' }] } as never });
      await stopped(store, reindexProfile);
      const [note] = [...store.notes.values()];
      // Then the plate goes too (another writer, whose keys were written), before the sweep.
      store.events.set('e1', { ...found, event: { ...found.event, people: [person] } as never });
      const now = await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      await settleKeyNote(note!);
      expect(store.keysOf(P)).toEqual([...now!.match!.keys].sort());
      expect(store.notes.size).toBe(0);
    });

    it('brings the keys in line again when a writer changed the profile while the note was being settled (its keys landed first)', async () => {
      const store = new Records();
      store.report('e1', { ...tamati, phone: '+64215550177' });
      const { reindexProfile, settleKeyNote } = profileIndexing(store);
      const withPhone = (await reindexProfile(R, P, DEFAULT_SETTINGS, NOW))!;
      const phoneKeys = withPhone.match!.keys.filter((k) => k.includes('215550177'));
      const found = store.events.get('e1')!;
      store.events.set('e1', { ...found, event: { ...found.event, people: [{ ...found.event.people[0]!, phone: undefined }] } as never });
      await stopped(store, reindexProfile);
      const [note] = [...store.notes.values()];
      // While the sweep writes the note's keys, a correction puts the phone back: its profile and its keys are written first.
      store.meanwhile = () => {
        store.profiles.set(P, { ...withPhone, _etag: '"later"' });
        for (const k of phoneKeys) store.holders.get(k)!.add(P);
      };
      const sent: string[] = [];
      const changeKeyDoc = store.changeKeyDoc.bind(store);
      store.changeKeyDoc = (r, id, p, add) => (sent.push(id), changeKeyDoc(r, id, p, add));
      await settleKeyNote(note!);
      expect(store.keysOf(P)).toEqual([...withPhone.match!.keys].sort());
      expect(store.notes.size).toBe(0);
      // Every key the note names, then again only those whose wanted state changed (a saturated key counts each).
      const names = [...new Set([...note!.add, ...note!.remove])];
      expect(sent).toEqual([...names, ...phoneKeys.map(matchKeyDocId).filter((id) => names.includes(id))]);
    });

    it('takes every key the note names out once the profile is gone (erased, merged away)', async () => {
      const store = new Records();
      store.report('e1', tamati);
      const { reindexProfile, settleKeyNote } = profileIndexing(store);
      await stopped(store, reindexProfile);
      const [note] = [...store.notes.values()];
      for (const k of store.profiles.get(P)!.match!.keys) await store.changeKey(R, k, P, true);
      store.profiles.delete(P);
      await settleKeyNote(note!);
      expect(store.keysOf(P)).toEqual([]);
    });
  });

  it('a profile taken out of the index is written without keys first: counted down once, however often it is run', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile, unindexProfile } = profileIndexing(store);
    expect((await reindexProfile(R, P, DEFAULT_SETTINGS, NOW))!.match!.keys.length).toBeGreaterThan(0);
    await unindexProfile(R, (await store.readProfile(R, P))!);
    expect({ listed: store.profiles.get(P)!.match!.keys, held: store.keysOf(P), population: store.population, notes: store.notes.size }).toEqual({ listed: [], held: [], population: 0, notes: 0 });
    // A purge run again after it stopped: nothing left to take out.
    await unindexProfile(R, (await store.readProfile(R, P))!);
    expect(store.population).toBe(0);
    // A report that joins it afterwards has its re-index put every key back.
    store.report('e2', tamati);
    const back = (await reindexProfile(R, P, DEFAULT_SETTINGS, NOW))!;
    expect({ held: store.keysOf(P), population: store.population }).toEqual({ held: [...back.match!.keys].sort(), population: 1 });
  });

  it("a re-index from an event copy read before the purge's mark puts no key back on a profile taken out of the index", async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile, unindexProfile } = profileIndexing(store);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    const stale = structuredClone(store.events.get('e1')!);
    store.events.get('e1')!.purging = true;
    await unindexProfile(R, (await store.readProfile(R, P))!);
    // The matchers of messages read before the mark (the first match, a re-match) re-index with their copies of the event.
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW, stale);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW, stale);
    expect({ listed: store.profiles.get(P)!.match!.keys, held: store.keysOf(P), population: store.population }).toEqual({ listed: [], held: [], population: 0 });
  });

  it('keys another process added back while the profile was being taken out are held once it is done', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile, unindexProfile } = profileIndexing(store);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    const read = (await store.readProfile(R, P))!;
    store.events.get('e1')!.purging = true;
    // After the profile is written without keys and before its removals land, a report joins it
    // and another process's matcher re-indexes it (its key writes landing first).
    const changeKey = store.changeKey.bind(store);
    store.changeKey = async (r, k, p, add) => {
      store.changeKey = changeKey;
      store.report('e2', tamati);
      await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
      return changeKey(r, k, p, add);
    };
    await unindexProfile(R, read);
    const listed = store.profiles.get(P)!.match!.keys;
    expect(listed.length).toBeGreaterThan(0);
    expect({ held: store.keysOf(P), notes: store.notes.size }).toEqual({ held: [...listed].sort(), notes: 0 });
  });

  it('does nothing for a profile that is gone, and a gone profile takes its keys and its place in the population', async () => {
    const store = new Records();
    const { reindexProfile, unindexProfile } = profileIndexing(store);
    expect(await reindexProfile(R, 'nobody', DEFAULT_SETTINGS, NOW)).toBeUndefined();
    store.report('e1', tamati);
    const indexed = (await reindexProfile(R, P, DEFAULT_SETTINGS, NOW))!;
    await unindexProfile(R, indexed);
    expect(store.keysOf(P)).toEqual([]);
    expect(store.population).toBe(0);
  });
});

describe('a purge racing a re-index: the profile is deleted only once it lists no key', () => {
  /** The event marked purging, then taken out of P as a purge does (leaveProfiles over these records). */
  async function purge(store: Records, eventId: string) {
    store.events.get(eventId)!.purging = true;
    const { reindexProfile, unindexProfile } = profileIndexing(store);
    await leaveProfiles(
      {
        deleteLinks: async () => 0,
        deleteForeignLinksTo: async () => 0,
        requestRematch: async () => {},
        readProfile: (r, id) => store.readProfile(r, id),
        unindexProfile,
        reindexProfile: (r, id, settings, now) => reindexProfile(r, id, settings, now),
        leaveProfile: (_r, id, e) => store.leave(id, e),
      },
      R,
      eventId,
      [P],
      DEFAULT_SETTINGS,
      NOW,
    );
  }
  const gone = (store: Records) => ({ held: store.keysOf(P), population: store.population, profile: store.profiles.has(P), notes: store.notes.size });
  const GONE = { held: [], population: 0, profile: false, notes: 0 };

  it('a first index with a copy of the event read before the mark, landing between the purge taking the profile out and deleting it', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const copy = structuredClone(store.events.get('e1')!);
    const { reindexProfile } = profileIndexing(store);
    store.beforeLeave = () => reindexProfile(R, P, DEFAULT_SETTINGS, NOW, copy);
    await purge(store, 'e1');
    expect(gone(store)).toEqual(GONE);
  });

  it('a whole purge landing inside a first index\'s key writes: its keys go and the population is counted down once', async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile } = profileIndexing(store);
    store.meanwhile = () => purge(store, 'e1');
    expect(await reindexProfile(R, P, DEFAULT_SETTINGS, NOW)).toBeUndefined();
    expect(gone(store)).toEqual(GONE);
  });

  it("a re-index with new keys whose adds land after the purge took the profile out: they are taken back before it is deleted", async () => {
    const store = new Records();
    store.report('e1', tamati);
    const { reindexProfile, unindexProfile } = profileIndexing(store);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    // The event corrected in place (another date of birth), then purged while the re-index's adds are under way.
    const e1 = store.events.get('e1')!;
    e1.event = { ...e1.event, people: e1.event.people.map((p) => ({ ...p, dateOfBirth: '1990-02-03' })) };
    store.meanwhile = async () => {
      store.events.get('e1')!.purging = true;
      await unindexProfile(R, (await store.readProfile(R, P))!);
    };
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW, structuredClone(e1));
    await purge(store, 'e1');
    expect(gone(store)).toEqual(GONE);
  });

  it("two purges of a profile's last two events, each having read the other's event still listed: the second takes it out before deleting it", async () => {
    const store = new Records();
    store.report('e1', tamati);
    store.report('e2', tamati);
    const { reindexProfile } = profileIndexing(store);
    await reindexProfile(R, P, DEFAULT_SETTINGS, NOW);
    expect(store.population).toBe(1);
    // The purge of e1 takes it out of the list (its re-index comes after) between the purge of e2 reading the profile and leaving it.
    store.events.get('e1')!.purging = true;
    store.beforeLeave = () => store.leave(P, 'e1');
    await purge(store, 'e2');
    expect(gone(store)).toEqual(GONE);
  });
});
