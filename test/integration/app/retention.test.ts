import { randomUUID } from 'node:crypto';
import { container } from '../../../shared/adapters/cosmos-containers';
import { readChain } from '../../../shared/audit/audit-entry-repository';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import { runRetentionSweep, type SweepStep } from '../../../shared/retention/retention-sweep';
import { createEvent } from '../../../shared/events/create-event';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { shardOf } from '../../../shared/domain/shards';
import { call, tokenFor } from '../support/api';
import { files, storage, submit } from '../support/evidence';
import { eventBody, retailerWorld } from '../support/world';
import {
  aggregatedEvents,
  blobsUnder,
  daysAgo,
  docsOf,
  leftovers,
  matched,
  report,
  shortRetentionWorld,
  type World,
} from '../support/retention';

const quiet = { warn: (m: string, f?: Record<string, unknown>) => console.warn(m, f) };
const sweepUrl = (org: string, extra = '') => `/api/v1/admin/jobs/retention-sweep?retailerId=${org}${extra}`;
const person = (family: string, extra: Record<string, unknown> = {}) => ({ ref: 'p1', role: 'offender', name: { given: 'Jon', family }, ...extra });

async function adminSweep(org: string, extra = '') {
  const res = await call('POST', sweepUrl(org, extra), { token: await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin' }) });
  if (res.status !== 200) throw new Error(`sweep: ${res.status} ${res.text}`);
  return res.body;
}

/** A sweep's step hook that throws once, after `step` (never when undefined), as a process dying there would. */
function crashOnceAfter(step: SweepStep | undefined) {
  let crashed = false;
  return {
    crashed: () => crashed,
    afterStep: (s: SweepStep) => {
      if (s === step && !crashed) {
        crashed = true;
        throw new Error(`crash after ${s}`);
      }
    },
  };
}

/** Three expired events (two of one person, one prevented and sensitive), one held, one recent; evidence on the first. */
async function scenario(w: World) {
  const old1 = await report(w.investigator, { occurredAt: daysAgo(45), people: [person('Zarkovski', { phone: '+64211234567' })] });
  const profile = old1.people[0]!.profileId;
  const old2 = await report(w.investigator, { occurredAt: daysAgo(50, 3), people: [{ ref: 'p1', role: 'offender', profileId: profile }], vehicles: [] });
  const old3 = await report(w.investigator, { occurredAt: daysAgo(41), prevented: true, sensitive: true, people: [person('Quill')], storeId: 'wgn-007' });
  const held = await report(w.investigator, { occurredAt: daysAgo(60), people: [person('Heldsworth')] });
  expect((await call('PUT', `/api/v1/events/${held.id}/legal-hold`, { token: w.investigator, body: { reason: 'Court case 2026/17' } })).status).toBe(200);
  const recent = await report(w.investigator, { occurredAt: daysAgo(5), people: [person('Zarkovski', { phone: '+64211234567' })] });
  const evidence = await submit(w.investigator, old1.id, await files.jpeg(), { fileName: 'still.jpg', contentType: 'image/jpeg' });
  const message = await call('POST', `/api/v1/events/${old1.id}/messages`, { token: w.investigator, body: { body: 'Footage kept for the police.' } });
  expect(message.status).toBe(201);
  await matched(w.org, [profile, old3.people[0]!.profileId, recent.people[0]!.profileId]);
  return { old1, old2, old3, held, recent, profile, evidenceId: evidence.created.evidenceId as string };
}

describe('retention sweep', () => {
  it('purges expired unheld events with everything that points at them, folds them into aggregates, and says so by count', async () => {
    const w = await shortRetentionWorld();
    const s = await scenario(w);
    const purgedEvents = [s.old1.id, s.old2.id, s.old3.id];
    const purgedProfiles = [s.profile, s.old3.people[0]!.profileId];

    const run = await adminSweep(w.org);
    expect(run.more).toBe(false);
    expect(run.retailers).toHaveLength(1);
    expect(run.retailers[0]).toMatchObject({
      retailerId: w.org,
      retentionDays: 30,
      eventsPurged: 3,
      eventsFolded: 3,
      profilesDeleted: 2,
      evidenceDeleted: 1,
      more: false,
    });

    for (const id of purgedEvents) expect((await call('GET', `/api/v1/events/${id}`, { token: w.investigator })).status).toBe(404);
    for (const id of [s.held.id, s.recent.id]) expect((await call('GET', `/api/v1/events/${id}`, { token: w.investigator })).status).toBe(200);
    expect((await call('GET', `/api/v1/evidence/${s.evidenceId}`, { token: w.investigator })).status).toBe(404);
    expect((await call('GET', `/api/v1/profiles/${s.profile}`, { token: w.investigator })).status).toBe(404);
    expect((await call('GET', `/api/v1/profiles/${s.recent.people[0]!.profileId}`, { token: w.investigator })).status).toBe(200);
    expect(await leftovers(w.org, purgedProfiles, purgedEvents)).toEqual({ events: 0, profiles: 0, keys: 0, links: 0, evidence: 0, messages: 0, folded: [], blobs: [] });
    expect(await aggregatedEvents(w.org)).toBe(3);

    // The answer and the audit entry carry counts, never a person, a plate or free text.
    const entries = [];
    for await (const e of readChain(w.org)) if (e.action === 'retention.purge') entries.push(e);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { sub: 'system:retention' }, target: { type: 'retailer', id: w.org }, details: { eventsPurged: 3, trigger: 'admin' } });
    for (const text of [JSON.stringify(run), JSON.stringify(entries[0])]) {
      for (const personal of ['Zarkovski', 'Quill', 'Jon', '+64211234567', 'ABC123', 'abc 123', 'razor', 'Concealed', s.profile]) {
        expect(text).not.toContain(personal);
      }
    }
    // The entry names the events it purged (PRODUCT §8), nothing of their content; the answer counts only.
    expect([...(entries[0]!.details.eventIds as string[])].sort()).toEqual([...purgedEvents].sort());
    expect(JSON.stringify(run)).not.toContain(s.old1.id);

    // A second run finds nothing more to purge and writes no entry.
    const again = await adminSweep(w.org);
    expect(again.totals).toMatchObject({ eventsPurged: 0, eventsFolded: 0 });
    expect(await aggregatedEvents(w.org)).toBe(3);
    const after = [];
    for await (const e of readChain(w.org)) if (e.action === 'retention.purge') after.push(e);
    expect(after).toHaveLength(1);
  });

  it('is bounded per run and resumes where it stopped, saying whether more remains', async () => {
    const w = await shortRetentionWorld();
    for (let i = 0; i < 5; i += 1) await report(w.investigator, { occurredAt: daysAgo(40 + i), people: [], vehicles: [] });
    const runs = [];
    for (let i = 0; i < 3; i += 1) runs.push((await adminSweep(w.org, '&maxEvents=2')).retailers[0]);
    expect(runs.map((r) => [r.eventsPurged, r.more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
    expect((await adminSweep(w.org, '&maxEvents=2')).totals.eventsPurged).toBe(0);
    expect(await aggregatedEvents(w.org)).toBe(5);
  });

  const steps: SweepStep[] = ['claimed', 'folded', 'purged', 'released', 'idempotency', 'alerts', 'orphans'];
  it.each(steps)('a crash after step "%s" is finished by the next run: nothing orphaned, nothing counted twice', async (step) => {
    const w = await shortRetentionWorld();
    const a = await report(w.investigator, { occurredAt: daysAgo(45), people: [person('Crashfield')] });
    const b = await report(w.investigator, { occurredAt: daysAgo(44), people: [{ ref: 'p1', role: 'offender', profileId: a.people[0]!.profileId }] });
    const c = await report(w.investigator, { occurredAt: daysAgo(47, 2), people: [person('Crashfield')], storeId: 'wgn-007' });
    await submit(w.investigator, a.id, await files.jpeg(), { fileName: 'a.jpg' });
    await matched(w.org, [a.people[0]!.profileId, c.people[0]!.profileId]);

    const crash = crashOnceAfter(step);
    const first = await runRetentionSweep(quiet, { retailerIds: [w.org], afterStep: crash.afterStep });
    expect(crash.crashed()).toBe(true);
    expect(first.failed).toEqual([{ retailerId: w.org }]);

    const second = await runRetentionSweep(quiet, { retailerIds: [w.org] });
    expect(second.failed).toEqual([]);
    expect(await leftovers(w.org, [a.people[0]!.profileId, c.people[0]!.profileId], [a.id, b.id, c.id])).toEqual({
      events: 0,
      profiles: 0,
      keys: 0,
      links: 0,
      evidence: 0,
      messages: 0,
      folded: [],
      blobs: [],
    });
    expect(await aggregatedEvents(w.org)).toBe(3);
    const third = await runRetentionSweep(quiet, { retailerIds: [w.org] });
    expect(third.totals.eventsPurged).toBe(0);
    expect(await aggregatedEvents(w.org)).toBe(3);
    // Every purge is in the chain, once: a run that died after marking events left its entry in the outbox, which the audit sweep appends.
    await drainAuditOutbox(new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000), w.org);
    let purgedInChain = 0;
    for await (const e of readChain(w.org)) if (e.action === 'retention.purge') purgedInChain += Number(e.details.eventsPurged);
    expect(purgedInChain).toBe(3);
  });

  it.each([
    ['without a crash', undefined],
    ['a crash after claiming', 'claimed'],
    ['a crash after purging', 'purged'],
  ] as const)('claims in several shards (%s): one entry per shard, each purge counted once', async (_, crashAfter) => {
    const w = await shortRetentionWorld();
    const principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter' as const], stores: null, mfa: false };
    // Four expired events, each in a shard of its own (intake would mint them in one shard at a time).
    const shards = new Set<string>();
    for (let i = 0; i < 4; i += 1) {
      let id = randomUUID();
      while (shards.has(shardOf(id))) id = randomUUID();
      shards.add(shardOf(id));
      await createEvent({ principal, requestId: `shards-${i}` }, EventInputSchema.parse(eventBody({ occurredAt: daysAgo(40 + i), people: [], vehicles: [] })), id);
    }
    const first = await runRetentionSweep(quiet, { retailerIds: [w.org], afterStep: crashOnceAfter(crashAfter).afterStep });
    expect(first.failed).toEqual(crashAfter ? [{ retailerId: w.org }] : []);
    if (crashAfter) expect((await runRetentionSweep(quiet, { retailerIds: [w.org] })).failed).toEqual([]);
    await drainAuditOutbox(new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000), w.org);
    const entries = [];
    for await (const e of readChain(w.org)) if (e.action === 'retention.purge') entries.push(e);
    expect(entries.reduce((sum, e) => sum + Number(e.details.eventsPurged), 0)).toBe(4);
    expect(new Set(entries.map((e) => e.requestId)).size).toBe(entries.length);
    if (!crashAfter) expect(entries).toHaveLength(4);
    expect(await aggregatedEvents(w.org)).toBe(4);
  });

  it('removes evidence blobs whose record is gone, once they are older than the in-flight window', async () => {
    const w = await shortRetentionWorld();
    const live = await report(w.investigator, { occurredAt: daysAgo(2) });
    const kept = await submit(w.investigator, live.id, await files.jpeg(), { fileName: 'kept.jpg' });
    const orphans = [`evidence/${w.org}/${randomUUID()}`, `evidence-uploads/${w.org}/${randomUUID()}`, `evidence-quarantine/${w.org}/not-an-id`];
    for (const path of orphans) {
      const [containerName, ...rest] = path.split('/');
      await storage().getContainerClient(containerName!).getBlockBlobClient(rest.join('/')).upload('x', 1);
    }
    // Default window (one hour): a fresh blob may be an upload whose record is not visible yet.
    const fresh = await adminSweep(w.org);
    expect(fresh.totals.orphanBlobsDeleted).toBe(0);
    expect((await blobsUnder('evidence', w.org)).length).toBe(2);

    const run = await runRetentionSweep(quiet, { retailerIds: [w.org], orphanMinAgeMs: 0 });
    expect(run.totals.orphanBlobsDeleted).toBe(3);
    expect(await blobsUnder('evidence', w.org)).toEqual([`${w.org}/${kept.created.evidenceId}`]);
    expect(await blobsUnder('evidence-uploads', w.org)).toEqual([]);
    expect(await blobsUnder('evidence-quarantine', w.org)).toEqual([]);
    expect((await call('GET', `/api/v1/evidence/${kept.created.evidenceId}`, { token: w.investigator })).body.status).toBe('ready');
  });

  it('removes idempotency records past their 24 hours and keeps live ones', async () => {
    const w = await shortRetentionWorld();
    for (const key of ['old-key', 'new-key']) {
      const res = await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody(), headers: { 'idempotency-key': key } });
      expect(res.status).toBe(201);
    }
    const records = await docsOf<{ id: string; createdAt: string; expiresAt: string }>('idempotency', w.org);
    expect(records).toHaveLength(2);
    const expired = { ...records[0]!, expiresAt: new Date(Date.now() - 60_000).toISOString() };
    await container('idempotency').items.upsert(expired);
    const run = await adminSweep(w.org);
    expect(run.retailers[0]).toMatchObject({ idempotencyRecordsDeleted: 1, eventsPurged: 0 });
    expect((await docsOf<{ id: string }>('idempotency', w.org)).map((r) => r.id)).toEqual([records[1]!.id]);
  });

  it('deletes LPR alerts stored before the cutoff (each holds a plate) and keeps recent ones', async () => {
    const w = await shortRetentionWorld();
    await report(w.reporter, { occurredAt: daysAgo(3) });
    const read = (cameraId: string) => ({ plate: 'ABC123', storeId: 'akl-042', cameraId, readAt: new Date().toISOString(), confidence: 0.9 });
    const res = await call('POST', '/api/v1/lpr/reads', { token: w.integration, body: { reads: [read('cam-1'), read('cam-2')] } });
    expect(res.body.alerts).toHaveLength(2);
    const [old, recent] = await docsOf<{ id: string; cameraId: string; createdAt: string }>('lpr-alerts', w.org).then((a) => a.sort((x, y) => x.cameraId.localeCompare(y.cameraId)));
    await container('lpr-alerts').items.upsert({ ...old!, createdAt: daysAgo(31) });
    const run = await adminSweep(w.org);
    expect(run.retailers[0]).toMatchObject({ alertsDeleted: 1, eventsPurged: 0 });
    expect((await docsOf<{ id: string }>('lpr-alerts', w.org)).map((a) => a.id)).toEqual([recent!.id]);
    const listed = await call('GET', '/api/v1/lpr/alerts', { token: w.investigator });
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([recent!.id]);
  });

  it('is for PlatformAdmin only; bad parameters are 400, an unknown retailer 404', async () => {
    const w = await shortRetentionWorld();
    for (const token of [w.admin, w.investigator, w.compliance, await tokenFor({ org: w.org, roles: ['RetailerAdmin', 'Compliance'], mfa: true })]) {
      const res = await call('POST', sweepUrl(w.org), { token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect((await call('POST', sweepUrl(w.org))).status).toBe(401);
    const platform = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin' });
    expect((await call('POST', sweepUrl(w.org, '&maxEvents=0'), { token: platform })).status).toBe(400);
    expect((await call('POST', sweepUrl(w.org, '&maxEvents=lots'), { token: platform })).status).toBe(400);
    expect((await call('POST', sweepUrl(w.org, '&everything=1'), { token: platform })).status).toBe(400);
    expect((await call('POST', sweepUrl('ret-does-not-exist'), { token: platform })).status).toBe(404);
    const denied = [];
    for await (const e of readChain(w.org)) if (e.outcome === 'denied' && e.target.id === 'retention-sweep') denied.push(e);
    expect(denied.length).toBeGreaterThanOrEqual(4);
  });

  it('a purged event takes with it the pending suggestions of a profile that stays, made while it was held (their reasons hold its facts)', async () => {
    const w = await shortRetentionWorld();
    const dob = { dateOfBirth: '1987-06-05' };
    const old = await report(w.investigator, { occurredAt: daysAgo(45), people: [person('Tuhiwai-Brenner', dob)] });
    const kept = old.people[0]!.profileId;
    await report(w.investigator, { occurredAt: daysAgo(2), people: [{ ...person('Tuhiwai-Brenner'), profileId: kept }] });
    await matched(w.org, [kept]);
    const other = await report(w.investigator, { occurredAt: daysAgo(1), people: [person('Tuhiwai-Brenner', dob)] });
    await matched(w.org, [other.people[0]!.profileId]);
    const pending = async () =>
      (await call('GET', '/api/v1/links?status=pending&pageSize=100', { token: w.investigator })).body.items.filter((l: { candidate: { profileId: string }; subject: { profileId: string } }) =>
        [l.candidate.profileId, l.subject.profileId].includes(kept),
      ) as { reasons: { signal: string }[] }[];
    expect((await pending()).map((l) => l.reasons.some((r) => r.signal === 'dob'))).toEqual([true]);
    const run = await adminSweep(w.org);
    expect(run.retailers[0]).toMatchObject({ eventsPurged: 1, profilesUpdated: 1 });
    await matched(w.org, [kept]);
    // Suggested again, if at all, on what the profile holds now: no date of birth.
    for (const l of await pending()) expect(l.reasons.map((r) => r.signal)).not.toContain('dob');
  }, 60_000);

  it("a purged person of a retailer matching across retailers takes its partner's suggestion about them along", async () => {
    const a = await shortRetentionWorld();
    const b = await retailerWorld();
    const proposed = await call('POST', '/api/v1/agreements', { token: a.admin, body: { partnerRetailerId: b.org } });
    await call('POST', `/api/v1/agreements/${proposed.body.id}/accept`, { token: b.admin });
    for (const w of [a, b]) expect((await call('PUT', '/api/v1/settings', { token: w.admin, body: { connectTheDots: { crossRetailer: true } } })).status).toBe(200);
    const who = person('Tuhiwai-Brenner', { dateOfBirth: '1987-06-05' });
    const old = await report(a.investigator, { occurredAt: daysAgo(45), people: [who] });
    await matched(a.org, [old.people[0]!.profileId]);
    const recent = await report(b.investigator, { occurredAt: daysAgo(1), people: [who] });
    const theirs = async () => (await call('GET', '/api/v1/links?status=pending&pageSize=100', { token: b.investigator })).body.items.filter((l: { candidate: { retailerId: string } }) => l.candidate.retailerId === a.org);
    const deadline = Date.now() + 30_000;
    while ((await theirs()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect((await theirs()).map((l: { candidate: { profileId: string } }) => l.candidate.profileId)).toEqual([old.people[0]!.profileId]);
    expect(recent.people).toHaveLength(1);
    const run = await adminSweep(a.org);
    expect(run.retailers[0]).toMatchObject({ eventsPurged: 1, profilesDeleted: 1 });
    // Gone, not merely hidden: the partner's own partition no longer holds it.
    expect((await docsOf<{ docType: string; candidate?: { retailerId: string } }>('links', b.org)).filter((d) => d.docType === 'link' && d.candidate?.retailerId === a.org)).toEqual([]);
  });
});
