import type { AuditOutboxDoc } from '../../../shared/audit/audit-outbox-repository';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { PurgeOptions } from '../../../shared/events/purge-event';
import { GIVE_UP_AFTER_MS, stoppedDeletions } from '../../../shared/events/stopped-deletions';

/**
 * Which overdue outbox documents finish a purge first (the audit outbox sweep runs this before
 * appending each entry): a deletion whose event is still marked purging, unless the retention sweep
 * reaches the event within a day. The whole path runs against the emulators in
 * test/integration/app/stopped-deletion.test.ts.
 */
const NOW = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;

function world(events: Record<string, { purging: boolean; occurredAt: string }>, retentionDays = 30) {
  const purges: { eventId: string; options: PurgeOptions }[] = [];
  const finish = stoppedDeletions({
    readEvent: async (_retailerId, id) => {
      const e = events[id];
      return e && ({ event: { id, occurredAt: e.occurredAt }, etag: '"1"', purging: e.purging, storeJurisdiction: 'NZ-AKL' } as unknown as VersionedEvent);
    },
    getSettings: async () => ({ settings: { ...DEFAULT_SETTINGS, retentionDays } }),
    purgeEvent: async (_retailerId, eventId, options) => {
      purges.push({ eventId, options });
      return { eventId, purged: true, profilesUpdated: 1, profilesDeleted: 2, evidenceDeleted: 0 };
    },
  });
  return { finish, purges };
}

const doc = (action: string, eventId: string, type = 'event', createdAt = new Date(NOW.getTime() - 6 * 60_000)): AuditOutboxDoc => ({
  id: `o-${eventId}`,
  orgId: 'shop',
  docType: 'audit-outbox',
  createdAt: createdAt.toISOString(),
  draft: { actor: { sub: 'admin-1', org: 'shop', roles: ['RetailerAdmin'] }, action, target: { type, id: eventId }, outcome: 'success', requestId: 'req-1', details: { type: 'theft' } },
});

describe('finishing a deletion that stopped part-way', () => {
  const fresh = new Date(NOW.getTime() - 10 * DAY).toISOString();

  it("purges an event still marked purging, named by the deletion's request, and completes its entry with what went", async () => {
    const { finish, purges } = world({ e1: { purging: true, occurredAt: fresh } });
    const complete = await finish(doc('event.delete', 'e1'), NOW);
    expect(purges).toEqual([{ eventId: 'e1', options: { now: NOW, requestId: 'req-1' } }]);
    expect(complete!({ details: { type: 'theft' } } as unknown as AuditDraft).details).toEqual({ type: 'theft', profilesDeleted: 2, finishedBySweep: true });
  });

  it('leaves alone other entries, events already gone, and events not marked', async () => {
    const { finish, purges } = world({ live: { purging: false, occurredAt: fresh }, e1: { purging: true, occurredAt: fresh } });
    expect(await finish(doc('event.update', 'e1'), NOW)).toBeUndefined();
    expect(await finish(doc('event.delete', 'e1', 'profile'), NOW)).toBeUndefined();
    expect(await finish(doc('event.delete', 'gone'), NOW)).toBeUndefined();
    expect(await finish(doc('event.delete', 'live'), NOW)).toBeUndefined();
    expect(purges).toEqual([]);
  });

  it('leaves to the retention sweep an event it reaches within a day (two purges of one event must not run at once)', async () => {
    const at = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
    const { finish, purges } = world({ expired: { purging: true, occurredAt: at(31) }, soon: { purging: true, occurredAt: at(29.5) }, later: { purging: true, occurredAt: at(28.9) } });
    expect(await finish(doc('event.delete', 'expired'), NOW)).toBeUndefined();
    expect(await finish(doc('event.delete', 'soon'), NOW)).toBeUndefined();
    expect(await finish(doc('event.delete', 'later'), NOW)).toBeDefined();
    expect(purges.map((p) => p.eventId)).toEqual(['later']);
  });

  it('gives up on a purge still failing an hour after its deletion: the entry goes in saying so, and the event waits for the retention sweep', async () => {
    const { finish, purges } = world({ e1: { purging: true, occurredAt: fresh } });
    const complete = await finish(doc('event.delete', 'e1', 'event', new Date(NOW.getTime() - GIVE_UP_AFTER_MS - 1)), NOW);
    expect(purges).toEqual([]);
    expect(complete!({ details: { type: 'theft' } } as unknown as AuditDraft).details).toEqual({ type: 'theft', purgeLeftToRetention: true });
  });
});
