import { profileMerges, type MergeStore } from '../../../shared/matching/merge-profiles';
import { followMerge } from '../../../shared/matching/move-people';
import { profileSplits, type SplitStep, type SplitStore } from '../../../shared/matching/split-profile';
import type { MergeRecord } from '../../../shared/matching/merge-record-repository';
import type { Link } from '../../../shared/matching/link-repository';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { MembershipOutcome, ProfileDoc } from '../../../shared/events/profile-repository';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { OutboxDraft } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import type { OrgType } from '../../../shared/domain/organisation';
import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';
import { ForbiddenError, NotFoundError, PreconditionFailedError, UnprocessableError } from '../../../shared/domain/errors';
import { withProfileLeases } from '../../../shared/matching/profile-leases';
import { Leases } from '../support/leases';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * A merge and its split over profiles, events, links and merge records in memory: the merge
 * records what the folded profile held before anything moves; the split gives it back exactly
 * (its id, creation time, events and, in each, the person that was theirs), the survivor keeps
 * what came after the merge, the suggestion is rejected for good, both histories and the chain
 * record it; each stopped at any step and asked again finishes, with one entry. The same against
 * the emulator in test/integration/app/profile-split.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', police: 'agency' };
const SETTINGS = structuredClone(DEFAULT_SETTINGS);
const NOW = new Date('2026-11-02T12:00:00Z');

class Records implements MergeStore, SplitStore {
  leases = new Leases();
  exclusively = <T>(r: string, ids: readonly string[], holder: string, work: () => Promise<T>) => withProfileLeases(this.leases, r, ids, holder, work);
  profiles = new Map<string, ProfileDoc>();
  events = new Map<string, VersionedEvent>();
  records = new Map<string, { record: MergeRecord; etag: string }>();
  links = new Map<string, { link: Link; etag: string }>();
  outbox = new Map<string, OutboxDraft>();
  chain: { action: string; details: unknown }[] = [];
  indexed = new Set<string>();
  /** Stops a merge (as a crash would) when this store call is reached. */
  crashAt?: string;
  private version = 0;
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  private reach(name: string): void {
    if (this.crashAt === name) {
      this.crashAt = undefined;
      throw new Error(`crash at ${name}`);
    }
  }
  private etag = () => `"${++this.version}"`;

  authorize = (caller: Caller, profileId: string) => this.table.check(caller, 'profile.split', profileId);
  /** As the repository: a profile being erased is gone to these reads. */
  readProfile = (_r: string, id: string) => Promise.resolve(structuredClone(this.profiles.get(id)?.erasing ? undefined : this.profiles.get(id)));
  readEvent = (_r: string, id: string) => Promise.resolve(structuredClone(this.events.get(id)));
  readEvents = (_r: string, ids: readonly string[]) => Promise.resolve(ids.map((id) => structuredClone(this.events.get(id))));
  replaceEvent = async (event: RetailEvent, etag: string) => {
    this.reach('replaceEvent');
    const current = this.events.get(event.id);
    if (!current || current.etag !== etag) throw new PreconditionFailedError();
    const next = this.etag();
    this.events.set(event.id, { ...current, event: structuredClone(event), etag: next });
    return next;
  };
  syncPlateIndex = () => Promise.resolve();
  /** As the repository: created when absent (if asked), unchanged when the list is the same, deleted when emptied unless it lists keys. */
  updateMembership = async (_r: string, profileId: string, change: (ids: string[]) => string[], now: Date, createIfMissing: boolean): Promise<MembershipOutcome> => {
    this.reach('updateMembership');
    const current = this.profiles.get(profileId);
    if (!current && !createIfMissing) return 'missing';
    const eventIds = change(current?.eventIds ?? []);
    if (current && eventIds.length === current.eventIds.length && eventIds.every((e) => current.eventIds.includes(e))) return 'unchanged';
    if (eventIds.length === 0) {
      if (current?.match?.keys?.length) return 'indexed';
      this.profiles.delete(profileId);
      return current ? 'deleted' : 'unchanged';
    }
    this.profiles.set(profileId, { ...(current ?? { id: profileId, orgId: 'shop', docType: 'profile', createdAt: now.toISOString() }), eventIds, updatedAt: now.toISOString() } as ProfileDoc);
    return current ? 'updated' : 'created';
  };
  updateProfile = async (_r: string, profileId: string, mutate: (p: ProfileDoc) => ProfileDoc | undefined) => {
    this.reach('updateProfile');
    const current = this.profiles.get(profileId);
    const next = current && mutate(structuredClone(current));
    if (next) this.profiles.set(profileId, next);
  };
  /** As reindexProfile: what the matcher holds of the person is built from the events the profile holds now. */
  reindexProfile = async (_r: string, profileId: string) => {
    this.reach('reindexProfile');
    const p = this.profiles.get(profileId);
    if (!p) return;
    this.indexed.add(profileId);
    this.profiles.set(profileId, { ...p, match: { indexedEvents: [...p.eventIds], keys: [`key:${profileId}`] } as ProfileDoc['match'] });
  };
  createMergeRecord = async (_r: string, record: MergeRecord) => {
    this.reach('createMergeRecord');
    if (!this.records.has(record.linkId)) this.records.set(record.linkId, { record: structuredClone(record), etag: this.etag() });
  };
  rematched: string[][] = [];
  /** Profiles other retailers hold (id → retailer), and the denied entries written in their chains. */
  elsewhere = new Map<string, string>();
  outsiders: { orgId: string; action: string; outcome?: string }[] = [];
  ownerElsewhere = async (id: string) => this.elsewhere.get(id);
  audit = async (_c: Caller, orgId: string, entry: { action: string; outcome?: string }) => void this.outsiders.push({ orgId, action: entry.action, outcome: entry.outcome });
  deletePendingLinksOf = async (_r: string, profileId: string) => {
    let n = 0;
    for (const [id, { link }] of this.links) if (link.status === 'pending' && (link.subject.profileId === profileId || link.candidate.profileId === profileId)) n += Number(this.links.delete(id));
    return n;
  };
  /** Partners' suggestions about a profile of this retailer (none here: the retailer does not match across retailers). */
  deleteForeignLinksTo = async () => 0;
  requestRematch = async (_r: string, eventIds: readonly string[]) => void this.rematched.push([...eventIds]);
  eventIdsNaming = async (_r: string, profileId: string) => [...this.events.values()].filter((f) => f.event.people.some((p) => p.profileId === profileId)).map((f) => f.event.id);
  /** As unindexProfile: the profile as it is now written without keys, and out of the index. */
  unindexProfile = async (_r: string, profile: ProfileDoc) => {
    this.reach('unindexProfile');
    const current = this.profiles.get(profile.id);
    if (current?.match) this.profiles.set(profile.id, { ...current, match: { ...current.match, keys: [] } });
    this.indexed.delete(profile.id);
  };
  /** Runs once, just before a merge deletes the folded profile: what another process does meanwhile. */
  beforeDelete?: () => unknown;
  deleteUnindexedProfile = async (_r: string, id: string, known: readonly string[]) => {
    this.reach('deleteUnindexedProfile');
    const hook = this.beforeDelete;
    this.beforeDelete = undefined;
    await hook?.();
    const current = this.profiles.get(id);
    if (current?.eventIds.some((e) => !known.includes(e))) return 'changed' as const;
    if (current?.match?.keys?.length) return 'indexed' as const;
    this.profiles.delete(id);
    return 'deleted' as const;
  };
  beingErased = async (_r: string, id: string) => Boolean(this.profiles.get(id)?.erasing);
  readMergeRecord = (_r: string, linkId: string) => Promise.resolve(structuredClone(this.records.get(linkId)));
  mergeFolding = (_r: string, profileId: string) => Promise.resolve(structuredClone([...this.records.values()].find((r) => r.record.fromId === profileId && r.record.status !== 'split')?.record));
  replaceMergeRecord = async (_r: string, record: MergeRecord, etag: string, audit?: OutboxDraft) => {
    if (this.records.get(record.linkId)?.etag !== etag) throw new PreconditionFailedError();
    this.records.set(record.linkId, { record: structuredClone(record), etag: this.etag() });
    if (audit) this.outbox.set(audit.key, structuredClone(audit));
  };
  restoreProfile = async (doc: ProfileDoc) => {
    if (!this.profiles.has(doc.id)) this.profiles.set(doc.id, structuredClone(doc));
  };
  getSettings = () => Promise.resolve({ settings: SETTINGS });
  readLink = (_r: string, id: string) => Promise.resolve(structuredClone(this.links.get(id)));
  replaceLink = async (_r: string, link: Link, etag: string) => {
    if (this.links.get(link.id)?.etag !== etag) throw new PreconditionFailedError();
    this.links.set(link.id, { link: structuredClone(link), etag: this.etag() });
  };
  settleAudit = async (_r: string, key: string) => {
    const entry = this.outbox.get(key);
    if (!entry) return false;
    this.chain.push({ action: entry.draft.action, details: entry.draft.details });
    this.outbox.delete(key);
    return true;
  };

  /** An event with these people (ref → profile), each profile listing it. */
  report(id: string, people: Record<string, string>, occurredAt: string): void {
    const event = { id, retailerId: 'shop', storeId: 's1', occurredAt, people: Object.entries(people).map(([ref, profileId]) => ({ ref, profileId })), vehicles: [] } as unknown as RetailEvent;
    this.events.set(id, { event, etag: this.etag(), purging: false, storeJurisdiction: 'NZ-AUK' });
    for (const profileId of Object.values(people)) {
      const p = this.profiles.get(profileId) ?? ({ id: profileId, orgId: 'shop', docType: 'profile', eventIds: [], createdAt: occurredAt, updatedAt: occurredAt } as unknown as ProfileDoc);
      this.profiles.set(profileId, { ...p, eventIds: [...p.eventIds, id], match: { indexedEvents: [...p.eventIds, id], keys: [`key:${profileId}`] } as ProfileDoc['match'] });
      this.indexed.add(profileId);
    }
  }
}

const investigator = callerAs('shop', 'Investigator');
const LINK: Link = { id: 'link-1', status: 'accepted', score: 15, subject: { eventId: 'f1', personRef: 'a', profileId: 'folded' }, candidate: { profileId: 'survivor', retailerId: 'shop', eventIds: ['s1'] }, reasons: [], createdAt: '2026-10-10T00:00:00Z' };
const comparable = ({ updatedAt: _u, history: _h, ...rest }: ProfileDoc) => rest;

/** Two profiles of one person (the folded one in an event with someone else), before any merge. */
function world() {
  const records = new Records();
  records.report('s1', { a: 'survivor' }, '2026-10-01T10:00:00Z');
  records.report('f1', { a: 'folded', b: 'bystander' }, '2026-10-03T10:00:00Z');
  records.report('f2', { a: 'folded' }, '2026-10-04T10:00:00Z');
  records.links.set(LINK.id, { link: structuredClone(LINK), etag: '"l1"' });
  return { records, mergeProfiles: profileMerges(records), ...profileSplits(records) };
}
const merge = (w: ReturnType<typeof world>) => w.mergeProfiles('shop', 'folded', 'survivor', SETTINGS, new Date('2026-10-10T00:00:00Z'), { linkId: LINK.id, by: 'investigator@shop' });
const ownerOf = (w: ReturnType<typeof world>, eventId: string, ref = 'a') => w.records.events.get(eventId)!.event.people.find((p) => p.ref === ref)!.profileId;

describe('merging profiles in memory', () => {
  it("records what the folded profile held, moves only its people, and the survivor takes its events with the merge in its history", async () => {
    const w = world();
    await merge(w);
    expect(w.records.records.get(LINK.id)!.record).toMatchObject({
      fromId: 'folded',
      intoId: 'survivor',
      status: 'merged',
      from: { createdAt: '2026-10-03T10:00:00Z', eventIds: ['f1', 'f2'], people: [{ eventId: 'f1', refs: ['a'] }, { eventId: 'f2', refs: ['a'] }] },
    });
    expect([ownerOf(w, 'f1'), ownerOf(w, 'f1', 'b'), ownerOf(w, 'f2')]).toEqual(['survivor', 'bystander', 'survivor']);
    expect(w.records.profiles.get('survivor')).toMatchObject({ eventIds: ['s1', 'f1', 'f2'], history: [{ action: 'merge', linkId: LINK.id, profileId: 'folded' }] });
    expect(w.records.profiles.has('folded')).toBe(false);
    expect(w.records.indexed.has('folded')).toBe(false);
  });

  it("the folded profile's pending suggestions go (they name a profile that is gone), decided ones stay, and the survivor is matched again", async () => {
    const w = world();
    const pending = (id: string, subject: string, candidate: string): Link => ({ ...LINK, id, status: 'pending', subject: { ...LINK.subject, profileId: subject }, candidate: { ...LINK.candidate, profileId: candidate } });
    w.records.links.set('link-2', { link: pending('link-2', 'folded', 'bystander'), etag: '"2"' });
    w.records.links.set('link-3', { link: pending('link-3', 'bystander', 'survivor'), etag: '"3"' });
    w.records.links.set('link-4', { link: { ...pending('link-4', 'other', 'folded'), status: 'rejected' }, etag: '"4"' });
    await merge(w);
    expect([...w.records.links.keys()].sort()).toEqual(['link-1', 'link-3', 'link-4']);
    expect(w.records.rematched).toEqual([['f2']]);
  });

  it('a report naming the folded profile that lands while the merge runs ends on the survivor too, so none names a profile that is gone', async () => {
    const w = world();
    const create = w.records.createMergeRecord;
    // Intake adds its report to the folded profile after the merge read it, then writes the event.
    w.records.createMergeRecord = async (r, record) => {
      await create(r, record);
      w.records.report('f3', { a: 'folded' }, '2026-10-09T10:00:00Z');
    };
    await merge(w);
    expect(ownerOf(w, 'f3')).toBe('survivor');
    expect(w.records.profiles.get('survivor')!.eventIds).toEqual(['s1', 'f1', 'f2', 'f3']);
    expect(w.records.profiles.has('folded')).toBe(false);
  });

  it('a report that joins the folded profile while it is deleted (its re-index putting keys back) moves to the survivor first', async () => {
    const w = world();
    w.records.beforeDelete = () => w.records.report('f3', { a: 'folded' }, '2026-10-11T10:00:00Z');
    await merge(w);
    expect([w.records.profiles.has('folded'), w.records.indexed.has('folded'), ownerOf(w, 'f3')]).toEqual([false, false, 'survivor']);
    expect(w.records.profiles.get('survivor')!.eventIds).toContain('f3');
    // Keys put back by a re-index alone (no new report): taken out again, then it goes.
    const again = world();
    again.records.beforeDelete = () => again.records.reindexProfile('shop', 'folded');
    await merge(again);
    expect([again.records.profiles.has('folded'), again.records.indexed.has('folded')]).toEqual([false, false]);
  });

  it('a report the folded profile lists but the intake has not written yet is not put on the survivor (no person of it names the survivor)', async () => {
    const w = world();
    w.records.profiles.get('folded')!.eventIds.push('unwritten');
    await merge(w);
    expect(w.records.profiles.get('survivor')!.eventIds).toEqual(['s1', 'f1', 'f2']);
    expect(w.records.profiles.has('folded')).toBe(false);
  });

  it('a report the merge found listed and unwritten, then written naming the folded profile, follows the merge (through a later one too) when it is matched', async () => {
    const w = world();
    w.records.profiles.get('folded')!.eventIds.push('f3');
    await merge(w);
    w.records.report('d1', { a: 'outer' }, '2026-10-05T10:00:00Z');
    const LATER: Link = { ...LINK, id: 'link-2', subject: { eventId: 's1', personRef: 'a', profileId: 'survivor' }, candidate: { profileId: 'outer', retailerId: 'shop', eventIds: ['d1'] } };
    w.records.links.set(LATER.id, { link: structuredClone(LATER), etag: '"l2"' });
    await w.mergeProfiles('shop', 'survivor', 'outer', SETTINGS, new Date('2026-10-11T00:00:00Z'), { linkId: LATER.id, by: 'investigator@shop' });
    // The intake writes f3 now, with a bystander, naming the profile it had listed it on.
    w.records.events.set('f3', { event: { id: 'f3', retailerId: 'shop', people: [{ ref: 'a', profileId: 'folded' }, { ref: 'b', profileId: 'bystander' }] } as unknown as RetailEvent, etag: '"f3"', purging: false, storeJurisdiction: 'NZ-AUK' });
    // Run twice (a message delivered again): the same end.
    for (let run = 0; run < 2; run += 1) expect(await followMerge(w.records, 'shop', 'f3', { ref: 'a', profileId: 'folded' }, NOW)).toBe('outer');
    expect([ownerOf(w, 'f3'), ownerOf(w, 'f3', 'b')]).toEqual(['outer', 'bystander']);
    expect(w.records.profiles.get('outer')!.eventIds).toContain('f3');
    // Stopped after listing it (a crash before the move): the next run moves it.
    w.records.events.get('f3')!.event.people[0]!.profileId = 'folded';
    w.records.crashAt = 'replaceEvent';
    await expect(followMerge(w.records, 'shop', 'f3', { ref: 'a', profileId: 'folded' }, NOW)).rejects.toThrow('crash at replaceEvent');
    expect(await followMerge(w.records, 'shop', 'f3', { ref: 'a', profileId: 'folded' }, NOW)).toBe('outer');
    expect(ownerOf(w, 'f3')).toBe('outer');
    // A profile no merge folded away: nothing to follow.
    expect(await followMerge(w.records, 'shop', 'f3', { ref: 'b', profileId: 'nobody' }, NOW)).toBeUndefined();
  });

  it('a report that followed the merge is recorded as the folded profile\'s, so a split gives it back to it; while a split is under way it is left to the split', async () => {
    const w = world();
    w.records.profiles.get('folded')!.eventIds.push('f3');
    await merge(w);
    w.records.events.set('f3', { event: { id: 'f3', retailerId: 'shop', people: [{ ref: 'a', profileId: 'folded' }] } as unknown as RetailEvent, etag: '"f3"', purging: false, storeJurisdiction: 'NZ-AUK' });
    const held = w.records.leases;
    w.records.exclusively = <T>(r: string, ids: readonly string[], holder: string, work: () => Promise<T>) => {
      expect([...ids].sort()).toEqual(['folded', 'survivor']);
      return withProfileLeases(held, r, ids, holder, work);
    };
    expect(await followMerge(w.records, 'shop', 'f3', { ref: 'a', profileId: 'folded' }, NOW)).toBe('survivor');
    expect(w.records.records.get(LINK.id)!.record.from.people.find((p) => p.eventId === 'f3')).toEqual({ eventId: 'f3', refs: ['a'] });
    await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([ownerOf(w, 'f3'), w.records.profiles.get('folded')!.eventIds, w.records.profiles.get('survivor')!.eventIds]).toEqual(['folded', ['f1', 'f2', 'f3'], ['s1']]);

    // A split stopped part-way: nothing follows a merge being undone.
    const v = world();
    v.records.profiles.get('folded')!.eventIds.push('f3');
    await merge(v);
    v.records.records.get(LINK.id)!.record.status = 'splitting';
    v.records.profiles.delete('folded');
    v.records.events.set('f3', structuredClone(w.records.events.get('f3')!));
    v.records.events.get('f3')!.event.people[0]!.profileId = 'folded';
    await expect(followMerge(v.records, 'shop', 'f3', { ref: 'a', profileId: 'folded' }, NOW)).rejects.toMatchObject({ kind: 'unavailable' });
    expect([ownerOf(v, 'f3'), v.records.profiles.get('survivor')!.eventIds.includes('f3')]).toEqual(['folded', false]);
  });

  it('a report that followed two merges (listed on the folded profile after the first merge read it) goes back one merge at a time as they are split', async () => {
    const w = world();
    // Listed once the merge had written its record: the record does not name it.
    const write = w.records.createMergeRecord;
    w.records.createMergeRecord = async (r, record) => {
      await write(r, record);
      w.records.profiles.get('folded')!.eventIds.push('f3');
    };
    await merge(w);
    w.records.createMergeRecord = write;
    expect(w.records.records.get(LINK.id)!.record.from.eventIds).not.toContain('f3');
    w.records.report('d1', { a: 'outer' }, '2026-10-05T10:00:00Z');
    const LATER: Link = { ...LINK, id: 'link-2', subject: { eventId: 's1', personRef: 'a', profileId: 'survivor' }, candidate: { profileId: 'outer', retailerId: 'shop', eventIds: ['d1'] } };
    w.records.links.set(LATER.id, { link: structuredClone(LATER), etag: '"l2"' });
    await w.mergeProfiles('shop', 'survivor', 'outer', SETTINGS, new Date('2026-10-11T00:00:00Z'), { linkId: LATER.id, by: 'investigator@shop' });
    w.records.events.set('f3', { event: { id: 'f3', retailerId: 'shop', people: [{ ref: 'a', profileId: 'folded' }] } as unknown as RetailEvent, etag: '"f3"', purging: false, storeJurisdiction: 'NZ-AUK' });
    expect(await followMerge(w.records, 'shop', 'f3', { ref: 'a', profileId: 'folded' }, NOW)).toBe('outer');
    await w.splitProfile(investigator, 'outer', { linkId: LATER.id, reason: 'not the same' }, NOW);
    expect(ownerOf(w, 'f3')).toBe('survivor');
    await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([ownerOf(w, 'f3'), w.records.profiles.get('folded')!.eventIds, w.records.profiles.get('survivor')!.eventIds, w.records.profiles.get('outer')!.eventIds]).toEqual(['folded', ['f1', 'f2', 'f3'], ['s1'], ['d1']]);
  });

  it('stopped at any step and run again, it finishes with the same state and one history entry', async () => {
    const done = world();
    await merge(done);
    for (const crashAt of ['createMergeRecord', 'replaceEvent', 'updateMembership', 'updateProfile', 'unindexProfile', 'deleteUnindexedProfile', 'reindexProfile']) {
      const w = world();
      w.records.crashAt = crashAt;
      await expect(merge(w)).rejects.toThrow(`crash at ${crashAt}`);
      await merge(w);
      // A crash after the folded profile went leaves nothing to run again: the steps before it were done.
      expect([...w.records.profiles.values()].map(comparable)).toEqual([...done.records.profiles.values()].map(comparable));
      expect(w.records.profiles.get('survivor')!.history).toHaveLength(1);
      expect(w.records.records.get(LINK.id)!.record.from).toEqual(done.records.records.get(LINK.id)!.record.from);
    }
  });
});

describe('splitting a merged profile in memory', () => {
  async function mergedWithLaterEvent() {
    const w = world();
    const before = { survivor: structuredClone(w.records.profiles.get('survivor')!), folded: structuredClone(w.records.profiles.get('folded')!) };
    await merge(w);
    w.records.report('later', { a: 'survivor' }, '2026-10-20T10:00:00Z');
    return { ...w, before };
  }

  it('gives the folded profile back exactly, the survivor keeps the later event, the suggestion is rejected, and the chain has one entry', async () => {
    const w = await mergedWithLaterEvent();
    const { survivor, restored } = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect(comparable(w.records.profiles.get('folded')!)).toEqual(comparable(w.before.folded));
    expect(w.records.profiles.get('survivor')!.eventIds).toEqual(['s1', 'later']);
    expect([ownerOf(w, 'f1'), ownerOf(w, 'f1', 'b'), ownerOf(w, 'f2'), ownerOf(w, 'later')]).toEqual(['folded', 'bystander', 'folded', 'survivor']);
    expect([survivor!.id, restored!.id]).toEqual(['survivor', 'folded']);
    expect(w.records.links.get(LINK.id)!.link).toMatchObject({ status: 'rejected', decision: { by: investigator.principal.sub, note: 'two brothers' } });
    expect(w.records.profiles.get('survivor')!.history!.map((h) => h.action)).toEqual(['merge', 'split']);
    expect(w.records.profiles.get('folded')!.history).toEqual([expect.objectContaining({ action: 'split', profileId: 'survivor' })]);
    expect(w.records.chain).toEqual([{ action: 'profile.split', details: { linkId: LINK.id, restoredProfileId: 'folded' } }]);
    expect([w.records.indexed.has('folded'), w.records.indexed.has('survivor')]).toEqual([true, true]);
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'again' }, NOW)).rejects.toMatchObject({ code: 'ALREADY_SPLIT' });
    // A retry that took over under the first request's Idempotency-Key gets the answer the first never gave, and changes nothing.
    const chain = structuredClone(w.records.chain);
    const again = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { retried: true });
    expect([again.survivor!.id, again.restored!.id, again.survivor!.eventIds]).toEqual(['survivor', 'folded', survivor!.eventIds]);
    expect(w.records.chain).toEqual(chain);
  });

  const STEPS: SplitStep[] = ['marked', 'restored', 'moved', 'released', 'reindexed', 'rejected'];
  /** A split asked for at NOW and stopped (a crash) after the step `at`. */
  async function stoppedAfter(at: SplitStep) {
    const w = await mergedWithLaterEvent();
    const crash = (s: SplitStep) => {
      if (s === at) throw new Error(`crash after ${s}`);
    };
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { afterStep: crash })).rejects.toThrow(`crash after ${at}`);
    return w;
  }

  it('stopped after any step and asked again, it finishes to the same state with one entry in the chain', async () => {
    const clean = await mergedWithLaterEvent();
    await clean.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    for (const at of STEPS) {
      const w = await stoppedAfter(at);
      await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, new Date('2026-11-03T00:00:00Z'));
      expect([...w.records.profiles.values()].map(comparable)).toEqual([...clean.records.profiles.values()].map(comparable));
      expect(w.records.events.get('f1')!.event.people).toEqual(clean.records.events.get('f1')!.event.people);
      expect(w.records.chain).toEqual(clean.records.chain);
      expect(w.records.records.get(LINK.id)!.record.status).toBe('split');
      // The time of the split is the first attempt's: the histories say when it started.
      expect(w.records.profiles.get('folded')!.history![0]!.at).toBe(NOW.toISOString());
    }
  });

  it('stopped after any step and never asked again, the sweep finishes it (finishStoppedSplit) to the same state, and leaves its entry to the sweep', async () => {
    const clean = await mergedWithLaterEvent();
    await clean.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    for (const at of STEPS) {
      const w = await stoppedAfter(at);
      expect(await w.finishStoppedSplit('shop', LINK.id, new Date('2026-11-03T00:00:00Z'))).toBe(true);
      expect([...w.records.profiles.values()].map(comparable)).toEqual([...clean.records.profiles.values()].map(comparable));
      expect(w.records.events.get('f1')!.event.people).toEqual(clean.records.events.get('f1')!.event.people);
      expect(w.records.records.get(LINK.id)!.record.status).toBe('split');
      // Rejected in the name of who asked for the split; the reason they gave is not kept until then.
      const decision = w.records.links.get(LINK.id)!.link.decision;
      expect(decision).toEqual(at === 'rejected' ? { by: investigator.principal.sub, at: NOW.toISOString(), note: 'two brothers' } : { by: investigator.principal.sub, at: NOW.toISOString() });
      // The entry is the sweep's to append (it says who finished the split); nothing appended twice.
      expect([w.records.chain, [...w.records.outbox.keys()]]).toEqual([[], [`profile.split@merge:${LINK.id}`]]);
      // Nothing left to finish: asked again, it says so and changes nothing.
      expect(await w.finishStoppedSplit('shop', LINK.id, new Date('2026-11-04T00:00:00Z'))).toBe(false);
      // A client asking again afterwards is told it is done.
      await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW)).rejects.toMatchObject({ code: 'ALREADY_SPLIT' });
    }
    // A merge never split, or none: nothing to finish.
    const merged = await mergedWithLaterEvent();
    expect([await merged.finishStoppedSplit('shop', LINK.id, NOW), await merged.finishStoppedSplit('shop', 'no-such-link', NOW)]).toEqual([false, false]);
    expect(merged.records.profiles.has('folded')).toBe(false);
  });

  it("its last writes applied with their answers lost and sent again (412 against their own change) finish the split: no 412 for a request that sent no precondition", async () => {
    const w = await mergedWithLaterEvent();
    const lost = <A extends unknown[]>(write: (...a: A) => Promise<void>, when: (...a: A) => boolean) => async (...a: A) => {
      await write(...a);
      if (when(...a)) throw new PreconditionFailedError('changed meanwhile');
    };
    w.records.replaceLink = lost(w.records.replaceLink, () => true);
    w.records.replaceMergeRecord = lost(w.records.replaceMergeRecord, (_r, record) => record.status === 'split');
    const { restored } = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect(restored!.id).toBe('folded');
    expect([w.records.links.get(LINK.id)!.link.status, w.records.records.get(LINK.id)!.record.status]).toEqual(['rejected', 'split']);
    expect(w.records.chain).toEqual([{ action: 'profile.split', details: { linkId: LINK.id, restoredProfileId: 'folded' } }]);
    // A refusal that is not its own change stands.
    const other = await mergedWithLaterEvent();
    other.records.replaceLink = async () => {
      throw new PreconditionFailedError('changed meanwhile');
    };
    await expect(other.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW)).rejects.toMatchObject({ kind: 'precondition-failed' });
  });

  it('an event the folded profile held that went since the merge is not brought back', async () => {
    const w = await mergedWithLaterEvent();
    w.records.events.get('f2')!.purging = true;
    await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect(w.records.profiles.get('folded')!.eventIds).toEqual(['f1']);
  });

  it("a survivor whose own reports all went since the merge goes, its keys out of the index first; the restored profile is answered alone", async () => {
    const w = world();
    await merge(w);
    // Retention took the survivor's only report of its own: the purge leaves the merged profile with the folded one's events.
    w.records.events.delete('s1');
    w.records.profiles.get('survivor')!.eventIds = ['f1', 'f2'];
    w.records.links.set('pending-1', { link: { ...structuredClone(LINK), id: 'pending-1', status: 'pending' }, etag: '"p1"' });
    const { survivor, restored } = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([survivor, restored?.id, restored?.eventIds]).toEqual([null, 'folded', ['f1', 'f2']]);
    expect([w.records.profiles.has('survivor'), w.records.indexed.has('survivor'), w.records.indexed.has('folded')]).toEqual([false, false, true]);
    expect(w.records.links.has('pending-1')).toBe(false);
    expect(w.records.links.get(LINK.id)!.link.status).toBe('rejected');
    expect(w.records.chain).toEqual([{ action: 'profile.split', details: { linkId: LINK.id, restoredProfileId: 'folded' } }]);
    // The same request again under its Idempotency-Key, after the first finished: the answer as the profiles stand.
    const answer = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { retried: true });
    expect([answer.survivor, answer.restored?.id]).toEqual([null, 'folded']);
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'again' }, NOW)).rejects.toMatchObject({ code: 'ALREADY_SPLIT' });
  });

  it('with the survivor going, stopped after any step (or between its keys going and its deletion) and asked again, it finishes to the same end', async () => {
    const stops: (SplitStep | 'updateMembership')[] = ['marked', 'restored', 'moved', 'updateMembership', 'released', 'reindexed', 'rejected'];
    for (const at of stops) {
      const w = world();
      await merge(w);
      w.records.events.delete('s1');
      w.records.profiles.get('survivor')!.eventIds = ['f1', 'f2'];
      if (at === 'updateMembership') w.records.crashAt = at;
      const crash = (s: SplitStep) => {
        if (s === at) throw new Error(`crash at ${s}`);
      };
      await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { afterStep: crash })).rejects.toThrow(`crash at ${at}`);
      const retried = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
      expect([at, retried.survivor, retried.restored?.eventIds, w.records.profiles.has('survivor'), w.records.indexed.has('survivor'), w.records.indexed.has('folded')]).toEqual([at, null, ['f1', 'f2'], false, false, true]);
      expect([w.records.records.get(LINK.id)!.record.status, w.records.links.get(LINK.id)!.link.status, w.records.chain.length]).toEqual(['split', 'rejected', 1]);
    }
  });

  it('a folded profile restored by an attempt that stopped, one of whose events went before the retry, ends without it', async () => {
    const w = await mergedWithLaterEvent();
    const crash = (s: SplitStep) => {
      if (s === 'restored') throw new Error('crash at restored');
    };
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { afterStep: crash })).rejects.toThrow('crash at restored');
    // f2 purged meanwhile (its person still named the survivor, so the purge left the survivor only).
    w.records.events.get('f2')!.purging = true;
    const { restored } = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([restored?.eventIds, w.records.profiles.get('folded')!.eventIds]).toEqual([['f1'], ['f1']]);
  });

  it('a split that stopped, whose survivor is then being erased, is refused when asked again: nothing moves out from under the erasure', async () => {
    const w = world();
    await merge(w);
    w.records.events.delete('s1');
    w.records.profiles.get('survivor')!.eventIds = ['f1', 'f2'];
    const crash = (s: SplitStep) => {
      if (s === 'marked') throw new Error('crash at marked');
    };
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { afterStep: crash })).rejects.toThrow('crash at marked');
    w.records.profiles.get('survivor')!.erasing = { startedAt: NOW.toISOString() } as never;
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW)).rejects.toMatchObject({ code: 'PROFILE_ERASED' });
    expect([ownerOf(w, 'f1'), ownerOf(w, 'f2'), w.records.profiles.has('folded')]).toEqual(['survivor', 'survivor', false]);
  });

  it('a split of a merge whose survivor was merged since is refused (MERGED_SINCE) even while that later merge, stopped part-way, has not yet taken the survivor away', async () => {
    const w = await mergedWithLaterEvent();
    const first = w.records.records.get(LINK.id)!.record;
    w.records.records.set('link-2', { record: { ...structuredClone(first), linkId: 'link-2', fromId: 'survivor', intoId: 'third', status: 'merged' }, etag: '"m2"' });
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW)).rejects.toMatchObject({ code: 'MERGED_SINCE' });
    expect(w.records.records.get(LINK.id)!.record.status).toBe('merged');
  });

  it('a split resumed while the profile it restored is being erased is refused too', async () => {
    const w = await mergedWithLaterEvent();
    const crash = (s: SplitStep) => {
      if (s === 'restored') throw new Error('crash at restored');
    };
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { afterStep: crash })).rejects.toThrow('crash at restored');
    w.records.profiles.get('folded')!.erasing = { startedAt: NOW.toISOString() } as never;
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW)).rejects.toMatchObject({ code: 'PROFILE_ERASED' });
    expect([ownerOf(w, 'f1'), ownerOf(w, 'f2')]).toEqual(['survivor', 'survivor']);
  });

  it("an event whose person the merge found unwritten (no ref recorded) and which names the folded profile is restored to it, and leaves the survivor", async () => {
    const w = await mergedWithLaterEvent();
    // The intake had listed f2 on the folded profile before writing it: the merge recorded no ref, and the report names the folded profile.
    const merged = w.records.records.get(LINK.id)!;
    merged.record.from.people = merged.record.from.people.map((p) => (p.eventId === 'f2' ? { ...p, refs: [] } : p));
    w.records.events.get('f2')!.event.people[0]!.profileId = 'folded';
    await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([w.records.profiles.get('folded')!.eventIds, w.records.profiles.get('survivor')!.eventIds]).toEqual([['f1', 'f2'], ['s1', 'later']]);
  });

  it('a report the merge found unwritten, written naming the folded profile while a split was stopped, joins the restored profile when the split is resumed', async () => {
    const w = world();
    w.records.profiles.get('folded')!.eventIds.push('f3');
    await merge(w);
    const crash = (s: SplitStep) => {
      if (s === 'restored') throw new Error('crash at restored');
    };
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { afterStep: crash })).rejects.toThrow('crash at restored');
    // The intake writes the report now, naming the profile it had listed it on (restored meanwhile, without it).
    const f2 = w.records.events.get('f2')!;
    w.records.events.set('f3', { ...structuredClone(f2), event: { ...structuredClone(f2.event), id: 'f3', people: [{ ...f2.event.people[0]!, profileId: 'folded' }] } });
    await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect(w.records.profiles.get('folded')!.eventIds).toEqual(['f1', 'f2', 'f3']);
  });

  it('an event of the folded profile purged after a split stopped having moved its people leaves the survivor too', async () => {
    const w = await mergedWithLaterEvent();
    const crash = (s: SplitStep) => {
      if (s === 'moved') throw new Error('crash at moved');
    };
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW, { afterStep: crash })).rejects.toThrow('crash at moved');
    // The purge of f2: its person names the folded profile now, so it leaves that one only.
    w.records.events.delete('f2');
    w.records.profiles.get('folded')!.eventIds = ['f1'];
    await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([w.records.profiles.get('survivor')!.eventIds, w.records.profiles.get('folded')!.eventIds]).toEqual([['s1', 'later'], ['f1']]);
  });

  it("a report with a person of each side stays on both: the survivor's person in it keeps the survivor", async () => {
    const w = world();
    w.records.report('both', { a: 'folded', c: 'survivor' }, '2026-10-05T10:00:00Z');
    await merge(w);
    await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([ownerOf(w, 'both', 'a'), ownerOf(w, 'both', 'c')]).toEqual(['folded', 'survivor']);
    expect([w.records.profiles.get('survivor')!.eventIds, w.records.profiles.get('folded')!.eventIds]).toEqual([['s1', 'both'], ['f1', 'f2', 'both']]);
  });

  it('a folded profile none of whose events is left is not brought back as an empty profile; the survivor keeps the rest', async () => {
    const w = await mergedWithLaterEvent();
    for (const id of ['f1', 'f2']) w.records.events.get(id)!.purging = true;
    const { survivor, restored } = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect([survivor?.id, restored, w.records.profiles.has('folded')]).toEqual(['survivor', null, false]);
    expect(w.records.links.get(LINK.id)!.link.status).toBe('rejected');
  });

  it('refuses what it must: the table, a merge of another survivor or none, sensitive text in the reason', async () => {
    const w = await mergedWithLaterEvent();
    await expect(w.splitProfile(callerAs('shop', 'Reporter'), 'survivor', { linkId: LINK.id, reason: 'x' }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(w.splitProfile(callerAs('police', 'PoliceOfficer'), 'survivor', { linkId: LINK.id, reason: 'x' }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(w.splitProfile(investigator, 'folded', { linkId: LINK.id, reason: 'x' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(w.splitProfile(investigator, 'survivor', { linkId: 'no-such-link', reason: 'x' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    // Another retailer's profile: 404, and the attempt in that retailer's chain.
    w.records.elsewhere.set('theirs', 'other-shop');
    await expect(w.splitProfile(investigator, 'theirs', { linkId: LINK.id, reason: 'x' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(w.records.outsiders).toEqual([{ orgId: 'other-shop', action: 'profile.split', outcome: 'denied' }]);
    await expect(w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'he is Muslim, the other is not' }, NOW)).rejects.toBeInstanceOf(UnprocessableError);
    expect(w.records.records.get(LINK.id)!.record.status).toBe('merged');
    expect(w.records.chain).toEqual([]);
  });

  it('merged twice (B into A, then A into D): the earlier merge is refused until the later is undone, and each restores the history it had', async () => {
    const w = world();
    await merge(w);
    const history = structuredClone(w.records.profiles.get('survivor')!.history);
    w.records.report('d1', { a: 'outer' }, '2026-10-05T10:00:00Z');
    const LATER: Link = { ...LINK, id: 'link-2', subject: { eventId: 's1', personRef: 'a', profileId: 'survivor' }, candidate: { profileId: 'outer', retailerId: 'shop', eventIds: ['d1'] } };
    w.records.links.set(LATER.id, { link: structuredClone(LATER), etag: '"l2"' });
    await w.mergeProfiles('shop', 'survivor', 'outer', SETTINGS, new Date('2026-10-11T00:00:00Z'), { linkId: LATER.id, by: 'investigator@shop' });
    for (const via of ['survivor', 'outer']) {
      await expect(w.splitProfile(investigator, via, { linkId: LINK.id, reason: 'first' }, NOW)).rejects.toMatchObject({ code: 'MERGED_SINCE', kind: 'conflict' });
    }
    await w.splitProfile(investigator, 'outer', { linkId: LATER.id, reason: 'not the same' }, NOW);
    expect(w.records.profiles.get('survivor')!.history).toEqual([...history!, expect.objectContaining({ action: 'split', linkId: LATER.id, profileId: 'outer' })]);
    const { restored } = await w.splitProfile(investigator, 'survivor', { linkId: LINK.id, reason: 'two brothers' }, NOW);
    expect(restored!.id).toBe('folded');
    expect([ownerOf(w, 's1'), ownerOf(w, 'f1'), ownerOf(w, 'f2'), ownerOf(w, 'd1')]).toEqual(['survivor', 'folded', 'folded', 'outer']);
  });
});
