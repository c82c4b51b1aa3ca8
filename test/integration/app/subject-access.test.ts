import { randomUUID } from 'node:crypto';
import { container, keyOf, readIfExists } from '../../../shared/adapters/cosmos-containers';
import { markMatchPending, matchPendingId, type MatchPendingDoc } from '../../../shared/matching/match-pending-repository';
import { MAX_MATCH_RESENDS } from '../../../shared/matching/match-pending-sweep';
import { readChain } from '../../../shared/audit/audit-entry-repository';
import { readKey } from '../../../shared/matching/matchkey-repository';
import { call, createOrg, tokenFor } from '../support/api';
import { files, sha256, submit } from '../support/evidence';
import { indexed, person, report } from '../support/people';
import { retailerWorld } from '../support/world';
import { matchingDone } from '../support/retention';

type World = Awaited<ReturnType<typeof retailerWorld>>;

const JON = { dateOfBirth: '1990-04-01', phone: '+64211234567' };

async function sar(token: string, body: unknown) {
  return call('POST', '/api/v1/subject-access', { token, body });
}

describe('POST /api/v1/subject-access', () => {
  let w: World;
  let compliance: string;
  let jon: string;
  let aroha: string;
  let kahu: string;
  let first: { id: string; people: { profileId: string }[] };
  let second: { id: string; people: { profileId: string }[] };
  let other: { id: string; people: { profileId: string }[] };
  let sensitive: { id: string; people: { profileId: string }[] };
  let statement: Buffer;
  let evidenceId: string;
  let otherRetailer: World;

  beforeAll(async () => {
    w = await retailerWorld();
    compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'comp-mfa', mfa: true });
    first = await report(w.investigator, [person('p1', 'Jonathan', 'Smythe', JON)], { vehicles: [{ plate: 'abc 123' }] });
    jon = first.people[0]!.profileId;
    // The same person attached by profile, with an accomplice who is someone else.
    second = await report(w.investigator, [{ ...person('p1', 'Jon', 'Smythe'), profileId: jon }, person('p2', 'Mere', 'Hohepa')], {
      occurredAt: '2026-11-21T10:00:00Z',
    });
    other = await report(w.investigator, [person('p1', 'Aroha', 'Ngata', { dateOfBirth: '1999-09-09', phone: '+64271112222' })], {
      vehicles: [{ plate: 'XYZ 789' }],
    });
    aroha = other.people[0]!.profileId;
    // Sensitive events are never indexed for matching: subject access must find their people all the same.
    sensitive = await report(w.investigator, [person('p1', 'Kahu', 'Tane', { dateOfBirth: '2010-02-03' })], { sensitive: true });
    kahu = sensitive.people[0]!.profileId;
    statement = files.text();
    evidenceId = (await submit(w.reporter, first.id, statement, { fileName: 'statement.txt', contentType: 'text/plain', kind: 'witness-statement' })).evidence.id;
    await indexed(w.org, jon, second.id);
    await indexed(w.org, aroha, other.id);
    // Every report matched: a bundle asked while one waits says it may be incomplete.
    await matchingDone(w.org, [first.id, second.id, other.id, sensitive.id]);
    // An Investigator looks at the profile: an audit entry about the person.
    expect((await call('GET', `/api/v1/profiles/${jon}`, { token: w.investigator })).status).toBe(200);
    // Another retailer holds the same person: none of it may appear in this retailer's bundle.
    otherRetailer = await retailerWorld();
    const theirs = await report(otherRetailer.investigator, [person('p1', 'Jonathan', 'Smythe', JON)]);
    await indexed(otherRetailer.org, theirs.people[0]!.profileId, theirs.id);
  });

  it('answers the complete bundle: profile, every event, evidence metadata with SHA-256, links and audit entries', async () => {
    // Events as GET /events/{id} shows them (and that read is itself an entry about the person).
    const shown = await call('GET', `/api/v1/events/${first.id}`, { token: w.investigator });
    // A listing that showed their events names them in its entry's details (a sixth audit: left out of the bundle).
    expect((await call('GET', '/api/v1/events?pageSize=100', { token: w.investigator })).status).toBe(200);
    const res = await sar(compliance, { name: 'Jon Smythe', dateOfBirth: '1990-04-01' });
    expect(res.status).toBe(200);
    const b = res.body;
    expect(b).toMatchObject({ request: { name: 'Jon Smythe', dateOfBirth: '1990-04-01' }, retailerId: w.org, complete: true });
    // The accomplice of the second event is someone else's data: left out, and said so.
    expect(b.notes).toEqual(['1 other person of these events, not the subject of the request, is left out of them.']);
    expect(b.events[1].people.map((p: { profileId: string }) => p.profileId)).toEqual([jon]);
    expect(JSON.stringify(b)).not.toContain('Hohepa');
    expect(Date.parse(b.generatedAt)).not.toBeNaN();
    expect(b.profiles.map((p: { id: string }) => p.id)).toEqual([jon]);
    expect(b.profiles[0]).toMatchObject({ eventIds: expect.arrayContaining([first.id, second.id]), person: { dobs: ['1990-04-01'], phones: ['+64211234567'] } });
    expect(b.events.map((e: { id: string }) => e.id)).toEqual([first.id, second.id]);
    expect(b.events[0]).toEqual(shown.body);
    expect(b.events[0].evidence).toEqual([expect.objectContaining({ id: evidenceId, sha256: sha256(statement) })]);
    expect(b.evidence).toEqual([
      expect.objectContaining({ id: evidenceId, eventId: first.id, status: 'ready', sha256: sha256(statement), fileName: 'statement.txt', kind: 'witness-statement' }),
    ]);
    expect(JSON.stringify(b.evidence)).not.toMatch(/https?:\/\/|sig=/);
    const about = (type: string, id: string) => b.auditEntries.filter((e: { target: { type: string; id: string } }) => e.target.type === type && e.target.id === id);
    expect(about('event', first.id).map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['event.create', 'event.read']));
    expect(about('event', second.id).map((e: { action: string }) => e.action)).toContain('event.create');
    expect(about('profile', jon).map((e: { action: string }) => e.action)).toContain('profile.read');
    expect(about('evidence', evidenceId).length).toBeGreaterThan(0);
    const listed = b.auditEntries.filter((e: { action: string }) => e.action === 'event.list');
    expect(listed.map((e: { details: { eventIds: string[] } }) => e.details.eventIds)).toContainEqual(expect.arrayContaining([first.id, second.id]));
    const seqs = b.auditEntries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // Nothing about the people who are not the subject.
    expect(about('event', other.id)).toEqual([]);
    expect(JSON.stringify(b)).not.toContain(aroha);
    expect(JSON.stringify(b)).not.toContain('Ngata');
  });

  it.each([
    ['name', { name: 'Jonathan Smythe' }],
    ['name as family, given', { name: 'Smythe, Jon' }],
    ['date of birth', { dateOfBirth: '1990-04-01' }],
    ['phone', { phone: '+64211234567' }],
    ['plate', { plate: 'ABC-123' }],
  ])('finds the person by %s alone, and nobody else', async (_, body) => {
    const res = await sar(compliance, body);
    expect(res.status).toBe(200);
    expect(res.body.profiles.map((p: { id: string }) => p.id)).toEqual([jon]);
    expect(res.body.events.every((e: { retailerId: string }) => e.retailerId === w.org)).toBe(true);
  });

  it('by plate, also the events where the plate is the only personal value (a drive-off, nobody seen) (a sixth audit)', async () => {
    const driveOff = await report(w.investigator, [], { type: 'drive-off', vehicles: [{ plate: 'ABC123' }] });
    const elsewhere = await report(w.investigator, [], { type: 'drive-off', vehicles: [{ plate: 'ZZZ999' }] });
    await matchingDone(w.org, [driveOff.id, elsewhere.id]);
    const res = await sar(compliance, { plate: 'abc-123' });
    expect(res.body.complete).toBe(true);
    expect(res.status).toBe(200);
    const ids = res.body.events.map((e: { id: string }) => e.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, driveOff.id]));
    expect(ids).not.toContain(elsewhere.id);
    expect(res.body.auditEntries.filter((e: { target: { id: string } }) => e.target.id === driveOff.id).map((e: { action: string }) => e.action)).toContain('event.create');
  });

  it('asked while a report waits for the matcher, the bundle says it may be incomplete; a request given up on does not count', async () => {
    const fresh = await retailerWorld();
    const token = await tokenFor({ org: fresh.org, roles: ['Compliance'], mfa: true });
    const waiting = randomUUID();
    await markMatchPending(fresh.org, waiting, new Date());
    expect((await sar(token, { dateOfBirth: '1977-07-07' })).body).toMatchObject({ complete: false, notes: ['1 report is still being indexed, and people in it may be missing here: ask again in a moment.'] });
    // Sent again MAX_MATCH_RESENDS times, it is the poison queue's: nothing to wait for.
    const doc = (await readIfExists<MatchPendingDoc>('match-pending', fresh.org, matchPendingId(waiting)))!;
    await container('match-pending').item(doc.id, keyOf('match-pending', fresh.org, doc.id)).replace({ ...doc, resent: MAX_MATCH_RESENDS });
    expect((await sar(token, { dateOfBirth: '1977-07-07' })).body).toMatchObject({ complete: true, notes: [] });
  });

  it('every field given must agree: a wrong date of birth finds nobody', async () => {
    const res = await sar(compliance, { name: 'Jonathan Smythe', dateOfBirth: '1990-04-02' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ profiles: [], events: [], evidence: [], links: [], auditEntries: [], complete: true });
  });

  it('finds a person known only from a sensitive event (never indexed for matching)', async () => {
    const res = await sar(compliance, { dateOfBirth: '2010-02-03' });
    expect(res.body.profiles.map((p: { id: string }) => p.id)).toEqual([kahu]);
    expect(res.body.events.map((e: { id: string }) => e.id)).toEqual([sensitive.id]);
  });

  it('a saturated key (its members no longer listed) falls back to the profiles holding it', async () => {
    const fresh = await retailerWorld();
    const token = await tokenFor({ org: fresh.org, roles: ['Compliance'], mfa: true });
    const e = await report(fresh.investigator, [person('p1', 'Hemi', 'Walker', { dateOfBirth: '1977-07-07' })]);
    const id = e.people[0]!.profileId;
    await indexed(fresh.org, id, e.id);
    await matchingDone(fresh.org, [e.id]);
    // As if more than MAX_KEY_MEMBERS profiles shared this date of birth: the key keeps only its count.
    const key = (await readKey(fresh.org, 'db:19770707'))!;
    expect(key.members).toEqual([id]);
    await container('matchkeys').item(key.id, keyOf('matchkeys', fresh.org, key.id)).replace({ ...key, members: [], count: 60, saturated: true });
    const res = await sar(token, { dateOfBirth: '1977-07-07' });
    expect(res.body).toMatchObject({ complete: true, profiles: [expect.objectContaining({ id })] });
    const both = await sar(token, { name: 'Hemi Walker', dateOfBirth: '1977-07-07' });
    expect(both.body.profiles.map((p: { id: string }) => p.id)).toEqual([id]);
  });

  it('holds only the caller’s retailer’s data', async () => {
    const theirs = await sar(await tokenFor({ org: otherRetailer.org, roles: ['Compliance'], mfa: true }), { name: 'Jonathan Smythe', dateOfBirth: '1990-04-01' });
    expect(theirs.body.profiles).toHaveLength(1);
    expect(theirs.body.profiles[0].id).not.toBe(jon);
    expect(theirs.body.events.every((e: { retailerId: string }) => e.retailerId === otherRetailer.org)).toBe(true);
    const ours = await sar(compliance, { phone: '+64211234567' });
    expect(JSON.stringify(ours.body)).not.toContain(otherRetailer.org);
  });

  it('is audited with the ids returned and the fields given, never the values', async () => {
    const res = await call('POST', '/api/v1/subject-access', { token: compliance, body: { name: 'Jon Smythe', phone: '+64211234567' }, headers: { 'x-request-id': 'sar-audit-1' } });
    expect(res.status).toBe(200);
    const entries = [];
    for await (const e of readChain(w.org)) if (e.action === 'subject-access.export' && e.requestId === 'sar-audit-1') entries.push(e);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      outcome: 'success',
      actor: { sub: 'comp-mfa', org: w.org },
      details: { fields: ['name', 'phone'], profileIds: [jon], profiles: 1, events: 2, evidence: 1 },
    });
    const text = JSON.stringify(entries[0]);
    for (const value of ['Smythe', 'Jon', '64211234567', '1990']) expect(text).not.toContain(value);
  });

  it('needs MFA, and the Compliance role of a retailer', async () => {
    const noMfa = await sar(w.compliance, { phone: '+64211234567' });
    expect(noMfa.status).toBe(403);
    expect(noMfa.body.code).toBe('MFA_REQUIRED');
    for (const roles of [['Investigator'], ['RetailerAdmin'], ['Reporter']] as const) {
      const res = await sar(await tokenFor({ org: w.org, roles: [...roles], mfa: true }), { phone: '+64211234567' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const agency = await createOrg('agency');
    expect((await sar(await tokenFor({ org: agency, roles: ['PoliceOfficer'], mfa: true }), { phone: '+64211234567' })).status).toBe(403);
    expect((await sar('', { phone: '+64211234567' })).status).toBe(401);
  });

  it.each([
    ['an empty body', {}],
    ['an unknown field', { name: 'Jon Smythe', ethnicity: 'x' }],
    ['an unknown field alone', { email: 'jon@example.com' }],
    ['a wrong type', { name: 42 }],
    ['null', { phone: null }],
    ['an invalid date', { dateOfBirth: '1990-13-01' }],
    ['a phone not in E.164', { phone: '021 123 4567' }],
    ['a plate with symbols', { plate: '$$$' }],
    ['an array', [{ name: 'Jon' }]],
  ])('answers 400 for %s', async (_, body) => {
    const res = await sar(compliance, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 400 for malformed JSON and 415 for another content type', async () => {
    const bad = await call('POST', '/api/v1/subject-access', { token: compliance, rawBody: '{"name": "Jon', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    const text = await call('POST', '/api/v1/subject-access', { token: compliance, rawBody: 'name=Jon', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await call('GET', '/api/v1/openapi.json');
    expect(doc.body.paths['/api/v1/subject-access'].post.requestBody).toBeDefined();
    expect(doc.body.paths['/api/v1/profiles/{id}'].delete).toBeDefined();
  });
});
