import { subjectAccess, MAX_AUDIT_ENTRIES, type SubjectAccessStore } from '../../../shared/privacy/subject-access-export';
import { findSubjects, FALLBACK_LIMIT, MAX_SUBJECTS } from '../../../shared/privacy/find-subjects';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { EvidenceDoc } from '../../../shared/evidence/evidence-repository';
import type { Link } from '../../../shared/matching/link-repository';
import type { MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { AuditEntry } from '../../../shared/domain/audit-chain';
import { blockingKeys, keepsNewestHolders } from '../../../shared/domain/matching/keys';
import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import type { OrgType } from '../../../shared/domain/organisation';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * A subject-access export over profiles, keys and events in memory: the person is found through
 * the matcher's keys (every given field must agree), through a query of the holders of a value
 * too common to index, and among the people of sensitive events, who are never indexed; the
 * bundle holds their events (not those being purged) with evidence, links and the chain's entries
 * about them, says what may be missing, and is recorded with the fields asked, never the values.
 * The same against the emulator in test/integration/app/subject-access.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer' };
const NOW = new Date('2026-11-02T12:00:00Z');

class Records implements SubjectAccessStore {
  profiles = new Map<string, ProfileDoc>();
  keys = new Map<string, MatchKeyDoc>();
  /** Profiles listing each key among their own (what the fallback query reads). */
  holders = new Map<string, string[]>();
  events = new Map<string, VersionedEvent>();
  evidence: EvidenceDoc[] = [];
  links: Link[] = [];
  entries: AuditEntry[] = [];
  audited: { orgId: string; entry: AuditOf }[] = [];
  saturateAbove = 50;
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = (caller: Caller) => this.table.check(caller, 'subject-access.export', caller.requestId);
  readKey = (_retailerId: string, key: string) => Promise.resolve(structuredClone(this.keys.get(key)));
  profileIdsHoldingKey = (_retailerId: string, key: string, limit: number) => Promise.resolve((this.holders.get(key) ?? []).slice(0, limit));
  /** As the repository: a profile being erased is gone to every read but the erasure's own. */
  readProfile = (_retailerId: string, id: string) => Promise.resolve(structuredClone(this.profiles.get(id)?.erasing ? undefined : this.profiles.get(id)));
  async *sensitiveEvents(): AsyncIterable<RetailEvent> {
    for (const e of this.events.values()) if (e.event.sensitive && !e.purging) yield structuredClone(e.event);
  }
  readEvent = (_retailerId: string, id: string) => Promise.resolve(structuredClone(this.events.get(id)));
  evidenceOfEvent = (_retailerId: string, eventId: string) => Promise.resolve(this.evidence.filter((d) => d.eventId === eventId));
  linksOfProfile = (_retailerId: string, profileId: string) => Promise.resolve(this.links.filter((l) => l.subject.profileId === profileId || l.candidate.profileId === profileId).map((link) => ({ link })));
  /** As the repository's query: the target is one of theirs, or the details name one of the people or their events; in seq order. */
  readEntriesAboutPeople = (_retailerId: string, targetIds: string[], profileIds: string[], limit: number, eventIds: string[]) => {
    const about = (e: AuditEntry) => {
      const d = e.details as { subjectProfileId?: string; candidateProfileId?: string; profileIds?: string[]; eventIds?: string[] };
      return targetIds.includes(e.target.id) || profileIds.some((p) => p === d.subjectProfileId || p === d.candidateProfileId || d.profileIds?.includes(p)) || eventIds.some((id) => d.eventIds?.includes(id));
    };
    const matching = this.entries.filter(about).sort((a, b) => a.seq - b.seq);
    return Promise.resolve({ entries: matching.slice(0, limit), more: matching.length > limit });
  };
  plateIndexTruncated = false;
  personlessEventsWithPlate = async () => ({ eventIds: [], more: this.plateIndexTruncated });
  pending = 0;
  pendingMatchCount = async () => this.pending;
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };

  /** A profile as the matcher leaves it, its keys in the index (a key past `saturateAbove` keeps its count, and its newest holders if identifying), and one event. */
  add(id: string, facts: Partial<PersonFacts>, more: { sensitive?: boolean; purging?: boolean } = {}): void {
    const full: PersonFacts = { ...EMPTY_FACTS, ...facts };
    const keys = more.sensitive ? [] : blockingKeys(full, { imageMatching: false });
    for (const k of keys) {
      this.holders.set(k, [...(this.holders.get(k) ?? []), id]);
      const members = this.holders.get(k)!;
      const saturated = members.length > this.saturateAbove;
      // As the index: a saturated DOB, phone, plate or full name lists its newest holders (never all of them).
      this.keys.set(k, { id: k, orgId: 'shop', docType: 'matchkey', members: saturated ? (keepsNewestHolders(k) ? members.slice(-this.saturateAbove) : []) : [...members], count: members.length, saturated });
    }
    const eventId = `event-${id}`;
    const name = full.names[0];
    const event = {
      id: eventId,
      retailerId: 'shop',
      storeId: 's1',
      occurredAt: `2026-10-${String(1 + (this.events.size % 28)).padStart(2, '0')}T10:00:00.000Z`,
      type: 'theft',
      sensitive: more.sensitive ?? false,
      people: [{ ref: 'p1', profileId: id, ...(name ? { name } : {}), ...(full.dobs[0] ? { dateOfBirth: full.dobs[0] } : {}), ...(full.phones[0] ? { phone: full.phones[0] } : {}) }],
      vehicles: full.plates.map((plate) => ({ plate })),
    } as unknown as RetailEvent;
    this.events.set(eventId, { event, etag: '"1"', purging: more.purging ?? false, storeJurisdiction: 'NZ-AUK' });
    this.profiles.set(id, {
      id,
      orgId: 'shop',
      docType: 'profile',
      eventIds: [eventId],
      createdAt: `2026-10-01T00:00:${String(this.profiles.size % 60).padStart(2, '0')}.000Z`,
      updatedAt: '2026-10-01T00:00:00.000Z',
      ...(more.sensitive ? {} : { match: { facts: full, keys, stats: { events: 1, violentEvents: 0, violenceUsed: 0, weapons: 0, lossValue: 0, lastOccurredAt: event.occurredAt, firstOccurredAt: event.occurredAt }, indexedEvents: [eventId] } }),
    } as ProfileDoc);
  }
}

const compliance = callerAs('shop', 'Compliance');
const ids = (found: { profiles: { id: string }[] }) => found.profiles.map((p) => p.id).sort();

function world() {
  const records = new Records();
  records.add('tane', { names: [{ given: 'Tane', family: 'Walker' }], dobs: ['1990-04-12'], phones: ['+64211234567'], plates: ['ABC123'] });
  records.add('tane-again', { names: [{ given: 'Tane', family: 'Walker' }], dobs: ['1990-04-12'] });
  records.add('namesake', { names: [{ given: 'Tane', family: 'Walker' }], dobs: ['1971-01-01'] });
  records.add('mere', { names: [{ given: 'Mere', family: 'Walker' }], dobs: ['1990-04-12'] });
  records.add('tane-sensitive', { names: [{ given: 'Tane', family: 'Walker' }], dobs: ['1990-04-12'] }, { sensitive: true });
  return { records, exportSubjectAccess: subjectAccess(records) };
}

describe('finding the people a subject-access request describes', () => {
  it('every given field must agree: the namesake with another DOB and the relative with the same DOB are not the person', async () => {
    const { records } = world();
    const found = await findSubjects(records, 'shop', { name: 'Tane Walker', dateOfBirth: '1990-04-12' });
    expect(ids(found)).toEqual(['tane', 'tane-again', 'tane-sensitive']);
    expect(found).toMatchObject({ complete: true, notes: [] });
    expect(ids(await findSubjects(records, 'shop', { phone: '+64211234567' }))).toEqual(['tane']);
    expect(ids(await findSubjects(records, 'shop', { plate: 'abc 123', name: 'Walker, Tane' }))).toEqual(['tane']);
  });

  it("people of sensitive events, never indexed for matching, are found by reading those events", async () => {
    const { records } = world();
    expect(ids(await findSubjects(records, 'shop', { name: 'Tane Walker' }))).toContain('tane-sensitive');
    expect(ids(await findSubjects(records, 'shop', { name: 'Mere Walker' }))).toEqual(['mere']);
  });

  it('a value too common to index is read from the profiles holding it; past the fallback limit the bundle says it is incomplete', async () => {
    const { records } = world();
    records.saturateAbove = 2;
    for (let i = 0; i < 3; i++) records.add(`dob-${i}`, { names: [{ given: `Person${i}`, family: `Family${i}` }], dobs: ['1990-04-12'] });
    const found = await findSubjects(records, 'shop', { dateOfBirth: '1990-04-12' });
    expect(ids(found)).toEqual(['dob-0', 'dob-1', 'dob-2', 'mere', 'tane', 'tane-again', 'tane-sensitive']);
    expect(found.complete).toBe(true);
    const dobKey = [...records.holders.keys()].find((k) => records.holders.get(k)!.includes('dob-0') && records.holders.get(k)!.includes('mere'))!;
    records.holders.set(dobKey, Array.from({ length: FALLBACK_LIMIT + 1 }, (_, i) => records.holders.get(dobKey)![i % 3]!));
    const capped = await findSubjects(records, 'shop', { dateOfBirth: '1990-04-12' });
    expect(capped.complete).toBe(false);
    expect(capped.notes.join(' ')).toMatch(/shared by more than 500 profiles/);
  });

  it('a request without a searchable value, and one matching more people than a bundle holds, say so', async () => {
    const { records } = world();
    const none = await findSubjects(records, 'shop', { name: '!!' });
    expect(none).toMatchObject({ profiles: [], complete: false });
    expect(none.notes.join(' ')).toMatch(/No field of the request gives a searchable value/);
    records.saturateAbove = 1000;
    for (let i = 0; i <= MAX_SUBJECTS; i++) records.add(`many-${i}`, { names: [{ given: `Given${i}`, family: 'Manyone' }], plates: ['MANY01'] });
    const many = await findSubjects(records, 'shop', { plate: 'MANY01' });
    expect([many.profiles.length, many.complete]).toEqual([MAX_SUBJECTS, false]);
    expect(many.notes.join(' ')).toMatch(/More than 100 people match/);
  });
});

describe('the subject-access export', () => {
  it('bundles the people with their events (not those being purged), evidence, links and entries, and records the fields asked, never the values', async () => {
    const { records, exportSubjectAccess } = world();
    records.add('tane-purged', { names: [{ given: 'Tane', family: 'Walker' }], dobs: ['1990-04-12'] }, { purging: true });
    records.evidence.push({ id: 'ev-1', orgId: 'shop', docType: 'evidence', eventId: 'event-tane', kind: 'image', fileName: 'cctv.jpg', declared: { contentType: 'image/jpeg', size: 10, sha256: null }, status: 'ready', reason: null, sha256: 'a'.repeat(64), size: 10, mediaType: 'image/jpeg', image: null, createdAt: '', createdBy: '', uploadExpiresAt: '', processedAt: null, uploadEtag: null, custodyLogged: true });
    records.links.push({ id: 'l1', status: 'pending', score: 14, probability: 0.97, subject: { eventId: 'event-tane-again', personRef: 'p1', profileId: 'tane-again' }, candidate: { profileId: 'tane', retailerId: 'shop', eventIds: ['event-tane'] }, reasons: [{ signal: 'name', detail: 'Tane = Tane', weight: 9 }], createdAt: '' });
    // A suggestion of the subject with someone else: its reasons show that person's values, so they are withheld.
    records.links.push({ id: 'l2', status: 'pending', score: 9, probability: 0.6, subject: { eventId: 'event-mere', personRef: 'p1', profileId: 'mere' }, candidate: { profileId: 'tane', retailerId: 'shop', eventIds: ['event-tane'] }, reasons: [{ signal: 'dob', detail: 'same date of birth 1971-01-01', weight: 8 }], createdAt: '' });
    const entry = (seq: number, id: string, details: Record<string, unknown> = {}) => ({ seq, action: 'event.read', target: { type: 'event', id }, details }) as unknown as AuditEntry;
    records.entries.push(entry(9, 'event-mere'), entry(8, '*', { profileIds: ['tane-again'] }), entry(7, 'event-tane'), entry(6, '*', { profileIds: ['tane-againx'] }));
    const bundle = await exportSubjectAccess(compliance, { name: 'Tane Walker', dateOfBirth: '1990-04-12' }, NOW);
    expect(bundle.profiles.map((p) => p.id).sort()).toEqual(['tane', 'tane-again', 'tane-purged', 'tane-sensitive']);
    expect(bundle.events.map((e) => e.id).sort()).toEqual(['event-tane', 'event-tane-again', 'event-tane-sensitive']);
    expect(bundle.events.find((e) => e.id === 'event-tane')!.evidence).toEqual([expect.objectContaining({ id: 'ev-1', sha256: 'a'.repeat(64) })]);
    expect(bundle.evidence.map((e) => e.id)).toEqual(['ev-1']);
    expect(bundle.links.map((l) => l.id).sort()).toEqual(['l1', 'l2']);
    expect(bundle.links.find((l) => l.id === 'l1')!.reasons[0]!.detail).toBe('Tane = Tane');
    expect(bundle.links.find((l) => l.id === 'l2')!.reasons[0]).toMatchObject({ signal: 'dob', weight: 8, detail: expect.stringMatching(/^withheld/) });
    expect(JSON.stringify(bundle)).not.toContain('1971-01-01');
    expect(bundle.auditEntries.map((e) => e.seq)).toEqual([7, 8]);
    expect(bundle).toMatchObject({ retailerId: 'shop', complete: true, generatedAt: NOW.toISOString() });
    expect(records.audited).toHaveLength(1);
    expect(records.audited[0]!.entry).toMatchObject({ action: 'subject-access.export', details: { fields: ['name', 'dateOfBirth'], profiles: 4, events: 3, evidence: 1, auditEntries: 2, complete: true } });
    expect(JSON.stringify(records.audited)).not.toMatch(/Tane|Walker|1990-04-12/);
  });

  it('a profile being erased is left out of the bundle', async () => {
    const { records, exportSubjectAccess } = world();
    records.profiles.get('tane-again')!.erasing = { at: '2026-11-01T00:00:00Z', by: 'admin@shop' };
    const bundle = await exportSubjectAccess(compliance, { name: 'Tane Walker', dateOfBirth: '1990-04-12' }, NOW);
    expect(bundle.profiles.map((p) => p.id).sort()).toEqual(['tane', 'tane-sensitive']);
    expect(bundle.events.map((e) => e.id)).not.toContain('event-tane-again');
  });

  it('more entries than a bundle carries make it incomplete, with a note pointing to the audit export', async () => {
    const { records, exportSubjectAccess } = world();
    for (let seq = 1; seq <= MAX_AUDIT_ENTRIES + 1; seq++) records.entries.push({ seq, action: 'event.read', target: { type: 'event', id: 'event-tane' }, details: {} } as unknown as AuditEntry);
    const bundle = await exportSubjectAccess(compliance, { phone: '+64211234567' }, NOW);
    expect(bundle.complete).toBe(false);
    expect(bundle.notes.join(' ')).toContain(`More than ${MAX_AUDIT_ENTRIES} audit entries`);
  });

  it('reports the matcher has not indexed yet make it incomplete, with a note to ask again (a sixth audit: 0 of 15 just stored, said complete)', async () => {
    const { records, exportSubjectAccess } = world();
    records.pending = 3;
    const bundle = await exportSubjectAccess(compliance, { phone: '+64211234567' }, NOW);
    expect(bundle.complete).toBe(false);
    expect(bundle.notes).toContain('3 reports are still being indexed, and people in them may be missing here: ask again in a moment.');
  });

  it('a plate on more events than its index keeps makes a plate request incomplete, with a note', async () => {
    const { records, exportSubjectAccess } = world();
    records.plateIndexTruncated = true;
    const bundle = await exportSubjectAccess(compliance, { plate: 'ABC123' }, NOW);
    expect(bundle.complete).toBe(false);
    expect(bundle.notes.join(' ')).toContain('more events than its index keeps');
  });

  it('asks the one table: only Compliance exports, and a refused caller reads nothing', async () => {
    const { records, exportSubjectAccess } = world();
    await expect(exportSubjectAccess(callerAs('shop', 'Investigator'), { name: 'Tane Walker' }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.audited).toEqual([]);
    expect(records.table.asked).toHaveLength(1);
  });
});
