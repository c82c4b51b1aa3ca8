import { profileUseCases, groupKey, type ProfileStore } from '../../../shared/matching/profile-use-cases';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import type { MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import type { MultiPersonEvent } from '../../../shared/events/event-repository';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { blockingKeys, candidateHolders, MAX_KEY_MEMBERS } from '../../../shared/domain/matching/keys';
import { PRIOR_MODEL } from '../../../shared/domain/matching/model';
import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';
import type { OrgType } from '../../../shared/domain/organisation';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Profile reads on their own, over profiles and a key index in memory: the owner's and a partner's
 * under an active agreement (nobody else's), the harm ranking paged without loss or repeat, the
 * person lookup ranked by the matcher's own scoring, groups of people who offend together, and
 * every read in the chain of the retailer whose people were read. The same against the emulator
 * in the integration tests of profiles, search and groups.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', partner: 'retailer', stranger: 'retailer', police: 'agency' };

class Records implements ProfileStore {
  profiles = new Map<string, ProfileDoc>();
  index = new Map<string, Set<string>>();
  agreements = new Set<string>(['partner|shop']);
  events: MultiPersonEvent[] = [];
  audited: { orgId: string; entry: AuditOf }[] = [];
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = (caller: Caller, action: 'profile.read' | 'profile.search', target: { type: string; id: string }) => this.table.check(caller, action, `${target.type}:${target.id}`);
  /** As the repository: a profile being erased is gone to every read but the erasure's own. */
  private live = () => [...this.profiles.values()].filter((p) => !p.erasing);
  readProfile = (retailerId: string, id: string) => Promise.resolve(structuredClone(this.live().find((p) => p.orgId === retailerId && p.id === id)));
  findProfileAnywhere = (id: string) => Promise.resolve(structuredClone(this.live().find((p) => p.id === id)));
  agreementIsActive = (a: string, b: string) => Promise.resolve(this.agreements.has([a, b].sort().join('|')));
  profilesByHarm = (retailerId: string, limit: number, riskTier?: string, after?: { h: number; id: string }) =>
    Promise.resolve(
      this.live()
        .filter((p) => p.orgId === retailerId && (!riskTier || p.riskTierNames?.includes(riskTier)))
        .sort((a, b) => (b.harm ?? 0) - (a.harm ?? 0) || (a.id < b.id ? 1 : -1))
        .filter((p) => !after || (p.harm ?? 0) < after.h || ((p.harm ?? 0) === after.h && p.id < after.id))
        .slice(0, limit)
        .map((p) => structuredClone(p)),
    );
  getSettings = () => Promise.resolve({ settings: structuredClone(DEFAULT_SETTINGS) });
  readKey = (retailerId: string, key: string): Promise<MatchKeyDoc | undefined> => {
    const members = this.index.get(`${retailerId}/${key}`);
    // As the index: a saturated key lists its newest holders if identifying, none otherwise.
    const saturated = members !== undefined && members.size > MAX_KEY_MEMBERS;
    const listed = members && (saturated ? [...candidateHolders(key, [...members])] : [...members]);
    return Promise.resolve(members && { id: key, orgId: retailerId, docType: 'matchkey', members: listed!, count: members.size, saturated });
  };
  population = (retailerId: string) => Promise.resolve([...this.profiles.values()].filter((p) => p.orgId === retailerId).length);
  readModel = () => Promise.resolve(PRIOR_MODEL);
  multiPersonEvents = () => Promise.resolve(structuredClone(this.events));
  /** Ids of sensitive events; every other event a profile names is an ordinary one, 50.00 lost. */
  sensitive = new Set<string>();
  /** As the repository: the live events that are not sensitive, each 50.00 lost. */
  openEvents = (retailerId: string, ids: readonly string[]) =>
    Promise.resolve(
      ids
        .filter((id) => !this.sensitive.has(id))
        .map((id) => ({ id, retailerId, sensitive: false, occurredAt: '2026-10-0' + (id.endsWith('2') ? '2' : '1') + 'T10:00:00Z', prevented: false, products: [{ quantity: 1, unitValue: 50 }] }) as unknown as RetailEvent),
    );
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };

  /** A profile as the matcher leaves it: its facts, its keys in the index, its harm. */
  add(orgId: string, id: string, facts: Partial<PersonFacts>, harm = 0, riskTiers: string[] = []): void {
    const full: PersonFacts = { ...EMPTY_FACTS, ...facts };
    const keys = blockingKeys(full, { imageMatching: false });
    for (const k of keys) this.index.set(`${orgId}/${k}`, (this.index.get(`${orgId}/${k}`) ?? new Set()).add(id));
    this.profiles.set(`${orgId}/${id}`, {
      id,
      orgId,
      docType: 'profile',
      eventIds: [`${id}-e1`, `${id}-e2`].slice(0, Math.max(1, Math.min(2, harm))),
      createdAt: '2026-10-01T00:00:00Z',
      updatedAt: '2026-10-01T00:00:00Z',
      harm,
      riskTiers: riskTiers.map((name) => ({ name, reason: 'test' })),
      riskTierNames: riskTiers,
      match: { facts: full, keys, stats: { events: 1, violentEvents: 0, violenceUsed: 0, weapons: 0, lossValue: 0, lastOccurredAt: '2026-10-01T00:00:00Z', firstOccurredAt: '2026-10-01T00:00:00Z' }, indexedEvents: [] },
    });
  }
}

const investigator = callerAs('shop', 'Investigator');
const now = new Date('2026-11-01T00:00:00Z');

function world() {
  const records = new Records();
  records.add('shop', 'p1', { names: [{ given: 'Tane', family: 'Walker' }], dobs: ['1990-04-12'], plates: ['ABC123'] }, 9, ['prolific']);
  records.add('shop', 'p2', { names: [{ given: 'Mere', family: 'Walker' }] }, 5);
  records.add('shop', 'p3', { names: [{ given: 'John', family: 'Smith' }], phones: ['+64211234567'] }, 5);
  records.add('shop', 'p4', { names: [{ given: 'Aroha', family: 'Ngata' }] }, 1);
  records.add('partner', 'q1', { names: [{ given: 'Sam', family: 'Brown' }] }, 3);
  records.add('stranger', 'z1', { names: [{ given: 'Kim', family: 'Lee' }] }, 3);
  return { records, ...profileUseCases(records) };
}

describe('profile reads over profiles in memory', () => {
  it('shows the tiers in force now: those a re-index foresaw time would change (an event leaving a window of days) change on the day, without a write (fifth audit)', async () => {
    const { records, getProfile, listProfilesByHarm } = world();
    // 'prolific': 2 events in the last 30 days, one of which leaves the window on 2 November.
    records.profiles.get('shop/p1')!.riskTierWindow = {
      tiers: [{ name: 'prolific', when: { events: 2, days: 30 } }],
      events: [{ occurredAt: '2026-10-03T00:00:00Z', violent: false, weapon: false, loss: 0 }, { occurredAt: '2026-10-20T00:00:00Z', violent: false, weapon: false, loss: 0 }],
    };
    expect((await getProfile(investigator, 'p1', now)).riskTiers).toEqual([{ name: 'prolific', reason: '2 event(s) in the last 30 days' }]);
    expect((await listProfilesByHarm(investigator, { pageSize: 10, riskTier: 'prolific' }, now)).items.map((p) => p.id)).toEqual(['p1']);
    const later = new Date('2026-11-02T00:00:00.001Z');
    expect((await listProfilesByHarm(investigator, { pageSize: 10, riskTier: 'prolific' }, later)).items).toEqual([]);
    expect((await getProfile(investigator, 'p1', later)).riskTiers).toEqual([]);
  });


  it("reads the retailer's own profile and a partner's under an active agreement, recorded in the chain of the retailer read", async () => {
    const { records, getProfile } = world();
    expect(await getProfile(investigator, 'p1', now)).toMatchObject({ id: 'p1', retailerId: 'shop', riskTiers: [{ name: 'prolific' }], person: { dobs: ['1990-04-12'], plates: ['ABC123'] } });
    expect(await getProfile(investigator, 'q1', now)).toMatchObject({ id: 'q1', retailerId: 'partner' });
    expect(records.audited.map((a) => [a.orgId, a.entry.details])).toEqual([
      ['shop', { relation: 'owner' }],
      ['partner', { relation: 'partner' }],
    ]);
  });

  it("another retailer's profile without an agreement is 404, as is one that does not exist; the attempt is in the holder's chain (PRODUCT §8)", async () => {
    const { records, getProfile } = world();
    await expect(getProfile(investigator, 'z1', now)).rejects.toBeInstanceOf(NotFoundError);
    records.agreements.clear();
    await expect(getProfile(investigator, 'q1', now)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getProfile(investigator, 'nobody', now)).rejects.toBeInstanceOf(NotFoundError);
    expect(records.audited.map((a) => [a.entry.action, a.entry.outcome, a.entry.target.id])).toEqual([
      ['profile.read', 'denied', 'z1'],
      ['profile.read', 'denied', 'q1'],
    ]);
  });

  it("a partner's investigator sees a profile without its sensitive events, counted over the others; one known only from those is 404", async () => {
    const { records, getProfile } = world();
    records.add('partner', 'q2', { names: [{ given: 'Ana', family: 'Kora' }] }, 2);
    records.sensitive.add('q2-e2');
    const q2 = await getProfile(investigator, 'q2', now);
    expect(q2).toMatchObject({ eventIds: ['q2-e1'], lastOccurredAt: '2026-10-01T10:00:00Z' });
    expect(q2.harmReasons).toEqual(expect.arrayContaining([expect.objectContaining({ factor: 'loss' })]));
    records.sensitive.add('q2-e1');
    await expect(getProfile(investigator, 'q2', now)).rejects.toBeInstanceOf(NotFoundError);
    expect(records.audited.at(-1)).toEqual({ orgId: 'partner', entry: { action: 'profile.read', target: { type: 'profile', id: 'q2' }, outcome: 'denied', details: { relation: 'partner', code: 'NOT_VISIBLE' } } });
    // The owner's investigator sees them all, as stored.
    expect((await getProfile(callerAs('partner', 'Investigator'), 'q2', now)).eventIds).toEqual(['q2-e1', 'q2-e2']);
  });

  it('the person lookup tells a Reporter nothing of sensitive events (not their number), and leaves out a person known only from those', async () => {
    const { records, searchProfiles } = world();
    records.add('shop', 'p5', { names: [{ given: 'Hemi', family: 'Tautahi' }] }, 2);
    records.add('shop', 'p6', { names: [{ given: 'Rua', family: 'Tautahi' }] }, 1);
    records.sensitive.add('p5-e2').add('p6-e1');
    const asReporter = await searchProfiles(callerAs('shop', 'Reporter'), { name: 'Tautahi' }, now);
    expect(asReporter.map((h) => [h.profileId, h.events])).toEqual([['p5', 1]]);
    const asInvestigator = await searchProfiles(investigator, { name: 'Tautahi' }, now);
    expect(asInvestigator.map((h) => [h.profileId, h.events]).sort()).toEqual([['p5', 2], ['p6', 1]]);
  });

  it('the person lookup ranks a name spelt as asked before one that only sounds alike, at equal scores (fourth audit of December)', async () => {
    const { records, searchProfiles } = world();
    records.add('shop', 'p7', { names: [{ given: 'Bart', family: 'Quigglesworth' }] }, 1);
    records.add('shop', 'p8', { names: [{ given: 'Bart', family: 'Quiggleswerth' }] }, 1);
    for (const name of ['Quiggleswerth', 'quigglesworth']) {
      const hits = await searchProfiles(investigator, { name }, now);
      const [spelt, alike] = name === 'Quiggleswerth' ? ['p8', 'p7'] : ['p7', 'p8'];
      expect(hits.map((h) => h.profileId).filter((id) => id === 'p7' || id === 'p8')).toEqual([spelt, alike]);
    }
  });

  it('a profile being erased is 404 to a read and left out of the ranking', async () => {
    const { records, getProfile, listProfilesByHarm } = world();
    records.profiles.get('shop/p1')!.erasing = { at: '2026-10-30T00:00:00Z', by: 'admin@shop' };
    await expect(getProfile(investigator, 'p1', now)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listProfilesByHarm(investigator, { pageSize: 10 }, now)).items.map((p) => p.id)).toEqual(['p3', 'p2', 'p4']);
  });

  it('ranks by harm and pages without losing or repeating a profile, ties by id; a risk tier filters; each page recorded with its ids', async () => {
    const { records, listProfilesByHarm } = world();
    const first = await listProfilesByHarm(investigator, { pageSize: 2 }, now);
    const second = await listProfilesByHarm(investigator, { pageSize: 2, continuationToken: first.continuationToken! }, now);
    expect([...first.items, ...second.items].map((p) => p.id)).toEqual(['p1', 'p3', 'p2', 'p4']);
    expect(second.continuationToken).toBeNull();
    expect((await listProfilesByHarm(investigator, { pageSize: 10, riskTier: 'prolific' }, now)).items.map((p) => p.id)).toEqual(['p1']);
    expect(records.audited.map((a) => a.entry.details)).toEqual([
      { count: 2, profileIds: ['p1', 'p3'] },
      { count: 2, profileIds: ['p2', 'p4'] },
      { count: 1, profileIds: ['p1'] },
    ]);
  });

  it("the person lookup ranks the retailer's own people by the matcher's scoring, with its reasons, and records the ids it showed", async () => {
    const { records, searchProfiles } = world();
    const hits = await searchProfiles(callerAs('shop', 'Reporter'), { name: 'Tane Walker', plate: 'abc 123' }, now);
    expect(hits[0]).toMatchObject({ profileId: 'p1', names: [{ given: 'Tane', family: 'Walker' }] });
    expect(hits[0]!.reasons.map((r) => r.signal)).toEqual(expect.arrayContaining(['name', 'plate']));
    // A namesake's relative ranks below, if at all; another retailer's people never appear.
    expect(hits.map((h) => h.profileId)).not.toContain('q1');
    expect(hits.findIndex((h) => h.profileId === 'p2')).not.toBe(0);
    expect((await searchProfiles(investigator, { phone: '+64211234567' }, now)).map((h) => h.profileId)).toEqual(['p3']);
    expect(records.audited[0]!.entry).toMatchObject({ action: 'profile.search', details: { count: hits.length, profileIds: hits.map((h) => h.profileId) } });
  });

  it('a phone held by more profiles than a key lists (one prolific offender, reports not yet merged) still finds their newest', async () => {
    const { records, searchProfiles } = world();
    for (let i = 0; i < MAX_KEY_MEMBERS + 5; i++) records.add('shop', `many-${i}`, { phones: ['+64219990000'], names: [{ given: 'Rawiri', family: 'Paora' }] });
    // Among a large retailer's people, as such a person is (among a few dozen, a phone held by 55 weighs nothing).
    records.population = () => Promise.resolve(50_000);
    const hits = (await searchProfiles(investigator, { phone: '+64219990000' }, now)).map((h) => h.profileId);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits).not.toContain('many-0');
    expect(hits.every((id) => Number(id.split('-')[1]) >= 5)).toBe(true);
  });

  it("a plate looked up finds every one of a crew that came in the car, however often they return (the crew cap is for pairs of reports, not lookups)", async () => {
    const { records, searchProfiles } = world();
    records.add('shop', 'c1', { plates: ['KQZ908'], plateCompany: { KQZ908: 3 } }, 2);
    records.add('shop', 'c2', { plates: ['KQZ908'], plateCompany: { KQZ908: 3 } }, 2);
    // A retailer whose people come back often: a pair of reports starts at even odds, where a crew's car adds nothing.
    records.readModel = () => Promise.resolve({ ...PRIOR_MODEL, matchesPerPerson: 600 });
    const hits = await searchProfiles(investigator, { plate: 'kqz 908' }, now);
    expect(hits.map((h) => h.profileId).sort()).toEqual(['c1', 'c2']);
    expect(hits.every((h) => h.reasons.some((r) => r.signal === 'plate' && r.weight > 0))).toBe(true);
  });

  it('groups people connected through events they appear in together, most events first, loss from events not prevented', async () => {
    const { records, listGroups } = world();
    records.events = [
      { id: 'e1', profileIds: ['p1', 'p2'], products: [{ quantity: 2, unitValue: 10 }], prevented: false },
      { id: 'e2', profileIds: ['p2', 'p4'], products: [{ quantity: 1, unitValue: 99 }], prevented: true },
      { id: 'e3', profileIds: ['p3', 'z9'], products: [{ quantity: 1, unitValue: 500 }], prevented: false },
    ];
    const { items: groups, continuationToken } = await listGroups(investigator);
    expect(groups).toEqual([
      { members: ['p1', 'p2', 'p4'], eventIds: ['e1', 'e2'], totalLoss: 20 },
      { members: ['p3', 'z9'], eventIds: ['e3'], totalLoss: 500 },
    ]);
    expect(continuationToken).toBeNull();
    expect(groups.map(groupKey)).toEqual([...groups.map(groupKey)].sort());
    // The entry names the people and events shown (a sixth audit: it held a count only), page by page.
    expect(records.audited).toEqual([
      { orgId: 'shop', entry: { action: 'group.list', target: { type: 'group', id: '*' }, details: { count: 2, profileIds: ['p1', 'p2', 'p4', 'p3', 'z9'], eventIds: ['e1', 'e2', 'e3'] } } },
    ]);
    const first = await listGroups(investigator, { pageSize: 1 });
    expect(first.items.map((g) => g.eventIds)).toEqual([['e1', 'e2']]);
    const second = await listGroups(investigator, { pageSize: 1, continuationToken: first.continuationToken! });
    expect(second).toEqual({ items: [{ members: ['p3', 'z9'], eventIds: ['e3'], totalLoss: 500 }], continuationToken: null });
    expect(records.audited.slice(1).map((a) => a.entry.details)).toEqual([
      { count: 1, profileIds: ['p1', 'p2', 'p4'], eventIds: ['e1', 'e2'] },
      { count: 1, profileIds: ['p3', 'z9'], eventIds: ['e3'] },
    ]);
  });

  it('asks the one table: a Reporter looks people up but does not read profiles, the police do neither', async () => {
    const { records, getProfile, searchProfiles, listGroups } = world();
    await expect(getProfile(callerAs('shop', 'Reporter'), 'p1', now)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listGroups(callerAs('shop', 'Reporter'))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(searchProfiles(callerAs('police', 'PoliceOfficer'), { name: 'Tane Walker' }, now)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.audited).toEqual([]);
    expect(records.table.asked).toEqual(['profile.read profile:p1', 'profile.read group:*', 'profile.search profile:*']);
  });
});
