import { randomUUID } from 'node:crypto';
import { container } from '../../../shared/adapters/cosmos-containers';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import { readAuditOutbox } from '../../../shared/audit/audit-outbox-repository';
import type { Principal } from '../../../shared/domain/principal';
import { readEvent } from '../../../shared/events/event-repository';
import { eventAudit, outboxEntry } from '../../../shared/events/event-steps';
import { readProfile } from '../../../shared/events/profile-repository';
import { eventPurge, purgeRecords } from '../../../shared/events/purge-event';
import { finishStoppedDeletion } from '../../../shared/events/stopped-deletions';
import { runRetentionSweep } from '../../../shared/retention/retention-sweep';
import { call } from '../support/api';
import { docsOf, matched, report, shortRetentionWorld, type World } from '../support/retention';
import { retailerWorld } from '../support/world';

/**
 * A DELETE whose purge stopped after the mark (a crash, an answer lost under faults) leaves its
 * event gone to every reader, so a retry answers 404, while the person stays in the profile and the
 * plate in the LPR index. The audit outbox sweep, once the deletion's entry is overdue, finishes the
 * purge and then appends the entry, once, with what went; an event the retention sweep reaches
 * within a day is left to that sweep (two purges of one event at once must not happen).
 */
const later = () => new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000);
const quiet = { warn: () => {} };

async function deleteEntries(orgId: string, eventId: string): Promise<{ requestId: string; details: Record<string, unknown> }[]> {
  const { resources } = await container('audit')
    .items.query<{ requestId: string; details: Record<string, unknown> }>({
      query: "SELECT c.requestId, c.details FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND c.action = 'event.delete' AND c.target.id = @target",
      parameters: [
        { name: '@orgId', value: orgId },
        { name: '@target', value: eventId },
      ],
    })
    .fetchAll();
  return resources;
}

/** A DELETE of `eventId` by the retailer's admin that marked the event and stopped before anything else. */
async function deletionStopped(w: World, eventId: string) {
  const principal: Principal = { sub: 'admin-1', orgId: w.org, roles: ['RetailerAdmin'], stores: null, mfa: true };
  const caller = { principal, requestId: `stopped-${randomUUID()}` };
  const stored = (await readEvent(w.org, eventId))!;
  const entry = outboxEntry(caller, eventAudit('event.delete', stored.event));
  const stopping = eventPurge({ ...purgeRecords, retireLinksOfEvent: () => Promise.reject(new Error('stopped after the mark')) });
  await expect(stopping(w.org, eventId, { audit: entry })).rejects.toThrow('stopped after the mark');
  return { entry, requestId: caller.requestId };
}

const plateEvents = async (orgId: string) => (await docsOf<{ entries: { eventId: string }[] }>('plate-index', orgId)).flatMap((d) => d.entries.map((e) => e.eventId));

describe('a deletion that stopped part-way', () => {
  it('is finished by the audit outbox sweep once overdue, then its entry is appended once with what went', async () => {
    const w = await retailerWorld();
    const person = { ref: 'p1', role: 'offender', name: { given: 'Halted', family: `Purge${randomUUID().slice(0, 6)}` } };
    const first = await report(w.reporter, { people: [person], occurredAt: '2026-11-01T10:00:00Z' });
    const profileId = first.people[0]!.profileId;
    const second = await report(w.reporter, { people: [{ ...person, profileId }], vehicles: [], occurredAt: '2026-11-05T10:00:00Z' });
    await matched(w.org, [profileId]);
    const { entry, requestId } = await deletionStopped(w, first.id);

    // Gone to every reader, so a retry of the DELETE answers 404; the purge has not run.
    expect((await call('DELETE', `/api/v1/events/${first.id}`, { token: w.admin })).status).toBe(404);
    expect((await readProfile(w.org, profileId))!.eventIds).toContain(first.id);
    expect(await plateEvents(w.org)).toContain(first.id);

    // Not overdue yet: the request that marked it may still be purging.
    await drainAuditOutbox(new Date(), w.org, finishStoppedDeletion);
    expect((await readProfile(w.org, profileId))!.eventIds).toContain(first.id);
    expect(await readAuditOutbox(w.org, entry.key)).toBeDefined();

    await drainAuditOutbox(later(), w.org, finishStoppedDeletion);
    expect(await readEvent(w.org, first.id)).toBeUndefined();
    expect((await readProfile(w.org, profileId))!.eventIds).toEqual([second.id]);
    expect(await plateEvents(w.org)).not.toContain(first.id);
    expect(await deleteEntries(w.org, first.id)).toEqual([expect.objectContaining({ requestId, details: expect.objectContaining({ profilesDeleted: 0, finishedBySweep: true }) })]);
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();

    await drainAuditOutbox(later(), w.org, finishStoppedDeletion);
    expect(await deleteEntries(w.org, first.id)).toHaveLength(1);
  }, 60_000);

  it('whose event the retention sweep reaches within a day is left to that sweep, which finishes it', async () => {
    const w = await shortRetentionWorld();
    const occurredAt = new Date(Date.now() - 29.5 * 86_400_000).toISOString();
    const person = { ref: 'p1', role: 'offender', name: { given: 'Expiring', family: `Purge${randomUUID().slice(0, 6)}` } };
    const made = await report(w.reporter, { people: [person], occurredAt });
    const profileId = made.people[0]!.profileId;
    await matched(w.org, [profileId]);
    const { entry } = await deletionStopped(w, made.id);

    await drainAuditOutbox(later(), w.org, finishStoppedDeletion);
    // The entry of the deletion asked for is appended; the purge is the retention sweep's.
    expect(await deleteEntries(w.org, made.id)).toHaveLength(1);
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
    expect((await readEvent(w.org, made.id))?.purging).toBe(true);
    expect((await readProfile(w.org, profileId))?.eventIds).toContain(made.id);

    await runRetentionSweep(quiet, { retailerIds: [w.org], now: new Date(Date.now() + 86_400_000) });
    expect(await readEvent(w.org, made.id)).toBeUndefined();
    expect(await readProfile(w.org, profileId)).toBeUndefined();
  }, 60_000);
});
