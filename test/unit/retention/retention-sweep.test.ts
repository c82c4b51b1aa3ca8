import { retentionSweep, type RetentionSweepStore, type SweepOptions, type SweepStep } from '../../../shared/retention/retention-sweep';
import type { Keyset, RetiringDoc } from '../../../shared/retention/expired-event-repository';
import type { SweepStateDoc } from '../../../shared/retention/aggregate-repository';
import type { OrphanOptions } from '../../../shared/retention/orphan-evidence';
import type { OutboxDraft } from '../../../shared/audit/audit-outbox-repository';
import type { PurgeResult } from '../../../shared/events/purge-event';
import { addRows, type AggregateRow } from '../../../shared/domain/analytics/aggregates';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import { buildEvent } from '../../../shared/domain/events/event-rules';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { ConflictError } from '../../../shared/domain/errors';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import { idInShard, shardOf } from '../../../shared/domain/shards';

/**
 * The retention sweep over events, profiles, aggregates, an audit outbox and chain in memory. The
 * sweep's order, bounds, folding and audit entries are its own; the purge is faked as the real one
 * behaves (its own steps are tested in test/unit/events/purge-event.test.ts), and the whole sweep
 * runs against the emulators in test/integration/app/retention*.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const DAY_MS = 86_400_000;
const ago = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY_MS - ms).toISOString();

class Records implements RetentionSweepStore {
  retailers = ['shop'];
  settings = new Map<string, RetailerSettings>();
  /** Retailers whose records the shard migration has not moved yet. */
  legacy = new Set<string>();
  /** "retailer|id" → the event document, as stored. */
  events = new Map<string, RetiringDoc>();
  /** "retailer|id" → the event ids the profile holds. */
  profiles = new Map<string, string[]>();
  /** "retailer|day" → the day's aggregate. */
  aggregates = new Map<string, { rows: AggregateRow[]; folded: string[] }>();
  /** "retailer|key" → the audit outbox document's draft. */
  outbox = new Map<string, AuditDraft>();
  /** Each retailer's audit chain, in order. */
  chain: { retailerId: string; draft: AuditDraft }[] = [];
  /** Expired idempotency records per retailer. */
  expiredKeys = new Map<string, number>();
  /** LPR alerts: "retailer|id" → when stored. */
  alerts = new Map<string, string>();
  orphanScans: OrphanOptions[] = [];
  savedStates: SweepStateDoc[] = [];
  /** Event ids whose purge fails (a fault of the store). */
  failing = new Set<string>();
  /** Events purged, in order. */
  purgedIds: string[] = [];
  /** Page sizes the expired-events query was asked for, in order. */
  pages: number[] = [];
  private etags = 0;

  listRetailerIds = async function* (this: Records) {
    yield* this.retailers;
  }.bind(this);
  getSettings = async (retailerId: string) => ({ settings: this.settings.get(retailerId) ?? structuredClone(DEFAULT_SETTINGS) });
  legacyRecordsRemain = async (retailerId: string) => this.legacy.has(retailerId);
  /** As the query: days whose `folded` is not empty, at most 100. */
  daysWithFolded = async (retailerId: string) =>
    [...this.aggregates]
      .filter(([k, a]) => k.startsWith(`${retailerId}|`) && a.folded.length > 0)
      .slice(0, 100)
      .map(([k, a]) => ({ day: k.split('|')[1]!, folded: [...a.folded] }));
  missingEventIds = async (retailerId: string, ids: readonly string[]) => ids.filter((id) => !this.events.has(`${retailerId}|${id}`));
  /** As the query: older than the cutoff, not on legal hold, purging or not; newest first by (occurredAtUtc, id), after the keyset. */
  expiredEvents = async (retailerId: string, cutoff: string, pageSize: number, after?: Keyset) => {
    this.pages.push(pageSize);
    const before = (d: RetiringDoc, k: Keyset) => d.occurredAtUtc < k.t || (d.occurredAtUtc === k.t && d.id < k.id);
    return [...this.events.values()]
      .filter((d) => d.orgId === retailerId && d.occurredAtUtc < cutoff && !d.legalHold && (!after || before(d, after)))
      // Newest first, ids compared in code order as Cosmos (and the keyset above) compares them.
      .sort((a, b) => (a.occurredAtUtc === b.occurredAtUtc ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : b.occurredAtUtc < a.occurredAtUtc ? -1 : 1))
      .slice(0, pageSize)
      .map((d) => structuredClone(d));
  };
  /** As the repository: only over the version read; the outbox document is upserted in the same batch. */
  markRetiring = async (doc: RetiringDoc, day: string, audit: OutboxDraft[]) => {
    const current = this.events.get(`${doc.orgId}|${doc.id}`);
    if (!current || current._etag !== doc._etag) return false;
    this.events.set(`${doc.orgId}|${doc.id}`, { ...current, purging: true, foldedInto: day, _etag: this.etag() });
    for (const a of audit) this.outbox.set(`${doc.orgId}|${a.key}`, structuredClone(a.draft));
    return true;
  };
  repeatProfiles = async (retailerId: string, profileIds: Iterable<string>) =>
    new Set([...profileIds].filter((id) => (this.profiles.get(`${retailerId}|${id}`)?.length ?? 0) > 1));
  /** As the repository: rows added only for events not yet in `folded`, which they join. */
  foldIntoDay = async (retailerId: string, day: string, contributions: readonly { eventId: string; row: AggregateRow }[]) => {
    const current = this.aggregates.get(`${retailerId}|${day}`) ?? { rows: [], folded: [] };
    const fresh = contributions.filter((c) => !current.folded.includes(c.eventId));
    if (fresh.length === 0) return 0;
    this.aggregates.set(`${retailerId}|${day}`, { rows: addRows(current.rows, fresh.map((c) => c.row)), folded: [...current.folded, ...fresh.map((c) => c.eventId)] });
    return fresh.length;
  };
  /** As purgeEvent: nothing when gone, refused under a legal hold, else the event leaves its profiles (an empty one goes) and its document goes. */
  purgeEvent = async (retailerId: string, eventId: string): Promise<PurgeResult> => {
    const result = { eventId, purged: false, profilesUpdated: 0, profilesDeleted: 0, evidenceDeleted: 0 };
    const doc = this.events.get(`${retailerId}|${eventId}`);
    if (!doc) return result;
    if (doc.legalHold) throw new ConflictError('LEGAL_HOLD', 'The event is under legal hold and cannot be deleted.');
    if (this.failing.has(eventId)) throw new Error(`store fault on ${eventId}`);
    for (const profileId of doc.profileIds) {
      const held = this.profiles.get(`${retailerId}|${profileId}`)!.filter((id) => id !== eventId);
      if (held.length) this.profiles.set(`${retailerId}|${profileId}`, held);
      else this.profiles.delete(`${retailerId}|${profileId}`);
      result[held.length ? 'profilesUpdated' : 'profilesDeleted'] += 1;
    }
    result.evidenceDeleted = 1;
    this.events.delete(`${retailerId}|${eventId}`);
    this.purgedIds.push(eventId);
    return { ...result, purged: true };
  };
  releaseFolded = async (retailerId: string, day: string, eventIds: readonly string[]) => {
    const current = this.aggregates.get(`${retailerId}|${day}`);
    if (current) current.folded = current.folded.filter((id) => !eventIds.includes(id));
  };
  deleteExpiredKeys = async (retailerId: string, _now: Date, max: number) => {
    const n = Math.min(this.expiredKeys.get(retailerId) ?? 0, max);
    this.expiredKeys.set(retailerId, (this.expiredKeys.get(retailerId) ?? 0) - n);
    return n;
  };
  /** Batches whose messages and alerts were removed, in order (before any of their purges). */
  dependents: string[][] = [];
  deleteDependents = async (_retailerId: string, eventIds: readonly string[]) => {
    this.dependents.push([...eventIds]);
    this.purgedIdsAtDependents.push(this.purgedIds.length);
  };
  purgedIdsAtDependents: number[] = [];
  /** As the query: at most `max` alerts stored before the cutoff, deleted. */
  deleteAlertsBefore = async (retailerId: string, cutoff: string, max: number) => {
    const due = [...this.alerts].filter(([k, at]) => k.startsWith(`${retailerId}|`) && at < cutoff).slice(0, max);
    for (const [k] of due) this.alerts.delete(k);
    return due.length;
  };
  readSweepState = async (retailerId: string): Promise<SweepStateDoc> => ({ id: 'sweep-state', orgId: retailerId, docType: 'sweep-state', orphanScan: {} });
  sweepOrphanEvidence = async (_retailerId: string, state: SweepStateDoc, options: OrphanOptions) => {
    this.orphanScans.push(options);
    state.orphanScan.evidence = 'bookmark';
    return { blobsDeleted: 0, recordsPurged: 0, more: false };
  };
  saveSweepState = async (state: SweepStateDoc) => void this.savedStates.push(structuredClone(state));
  /** As settleAudit: the outbox document's entry appended (completed) unless the chain holds it, the document removed. */
  settleAudit = async (retailerId: string, key: string, complete: (draft: AuditDraft) => AuditDraft) => {
    const draft = this.outbox.get(`${retailerId}|${key}`);
    if (!draft) return false;
    // As chainHolds: an entry of the same action, target and request.
    const holds = this.chain.some((e) => e.retailerId === retailerId && e.draft.action === draft.action && e.draft.target.id === draft.target.id && e.draft.requestId === draft.requestId);
    if (!holds) this.chain.push({ retailerId, draft: complete(draft) });
    this.outbox.delete(`${retailerId}|${key}`);
    return true;
  };
  appendAudit = async (retailerId: string, draft: AuditDraft) => void this.chain.push({ retailerId, draft });

  private etag(): string {
    return `"${++this.etags}"`;
  }

  /** A stored event of the retailer at `occurredAt`, its people in the given profiles (each profile listing it). */
  report(retailerId: string, id: string, occurredAt: string, people: string[] = [`${id}-p`], more: Partial<RetiringDoc> = {}): void {
    // A profile id has at least eight characters.
    const profileIds = people.map((p) => p.padEnd(8, '0'));
    const input = EventInputSchema.parse({ storeId: 's1', occurredAt, type: 'shoplifting', prevented: false, people: profileIds.map((profileId, i) => ({ ref: `p${i}`, role: 'offender', profileId })) });
    const event = buildEvent(id, retailerId, input, 'reporter', NOW);
    const doc = { ...event, orgId: retailerId, docType: 'event', occurredAtUtc: new Date(occurredAt).toISOString(), storeJurisdiction: 'NZ-AUK', profileIds, plates: [], _etag: this.etag(), ...more } as RetiringDoc;
    this.events.set(`${retailerId}|${id}`, doc);
    for (const p of profileIds) this.profiles.set(`${retailerId}|${p}`, [...(this.profiles.get(`${retailerId}|${p}`) ?? []), id]);
  }

  ids(retailerId = 'shop'): string[] {
    return [...this.events.values()].filter((d) => d.orgId === retailerId).map((d) => d.id).sort();
  }

  aggregate(day: string, retailerId = 'shop') {
    const a = this.aggregates.get(`${retailerId}|${day}`);
    return a && { events: a.rows.reduce((n, r) => n + r.events, 0), repeat: a.rows.filter((r) => r.repeat).reduce((n, r) => n + r.events, 0), folded: a.folded };
  }
}

const quiet = { warn: () => undefined };
const sweep = (records: Records, options: SweepOptions = {}) => retentionSweep(records).runRetentionSweep(quiet, { now: NOW, ...options });

/** shop keeps 30 days. */
function world(retentionDays = 30) {
  const records = new Records();
  records.settings.set('shop', { ...structuredClone(DEFAULT_SETTINGS), retentionDays });
  return records;
}

describe('what is due under each retailer\'s schedule', () => {
  it('an event older than the retention period goes; one exactly at its end, or younger, stays', async () => {
    const records = world(30);
    records.report('shop', 'just-past', ago(30, 1));
    records.report('shop', 'at-cutoff', ago(30));
    records.report('shop', 'young', ago(29));
    const run = await sweep(records);
    expect(records.ids()).toEqual(['at-cutoff', 'young']);
    expect(run.retailers).toEqual([expect.objectContaining({ retailerId: 'shop', retentionDays: 30, cutoff: ago(30), eventsPurged: 1, eventsFolded: 1, profilesDeleted: 1, evidenceDeleted: 1, more: false })]);
    expect(run).toMatchObject({ more: false, failed: [], totals: { eventsPurged: 1, eventsFolded: 1 } });
  });

  it('each retailer by its own period', async () => {
    const records = world(30);
    records.retailers = ['shop', 'other'];
    records.settings.set('other', { ...structuredClone(DEFAULT_SETTINGS), retentionDays: 365 });
    for (const r of ['shop', 'other']) {
      records.report(r, `${r}-100d`, ago(100));
      records.report(r, `${r}-400d`, ago(400));
    }
    const run = await sweep(records);
    expect(records.ids('shop')).toEqual([]);
    expect(records.ids('other')).toEqual(['other-100d']);
    expect(run.retailers.map((r) => [r.retailerId, r.retentionDays, r.eventsPurged])).toEqual([
      ['shop', 30, 2],
      ['other', 365, 1],
    ]);
    expect(run.totals.eventsPurged).toBe(3);
  });

  it('the contributions go into their UTC day\'s aggregate, with the repeat status from before anything was purged, and leave `folded` once purged', async () => {
    const records = world(30);
    // One person in two expired events: both are repeat-offender events, though the first purge leaves the profile with one.
    records.report('shop', 'a', '2026-09-01T23:30:00-02:00', ['tamati']);
    records.report('shop', 'b', '2026-09-02T10:00:00Z', ['tamati']);
    records.report('shop', 'c', '2026-09-02T11:00:00Z', ['aroha']);
    await sweep(records);
    expect(records.aggregate('2026-09-02')).toEqual({ events: 3, repeat: 2, folded: [] });
    expect(records.profiles.size).toBe(0);
  });

  it('nothing due, nothing written: no aggregate, no audit entry, the retailer not reported', async () => {
    const records = world(30);
    records.report('shop', 'young', ago(1));
    const run = await sweep(records);
    expect(run.retailers).toEqual([]);
    expect(records.chain).toEqual([]);
    expect(records.aggregates.size).toBe(0);
  });

  it('a retailer whose records are still being moved into shards is left for a later run, untouched', async () => {
    const records = world(30);
    records.report('shop', 'old', ago(100));
    records.legacy.add('shop');
    const run = await sweep(records);
    expect(records.ids()).toEqual(['old']);
    expect(run).toMatchObject({ more: true, retailers: [expect.objectContaining({ retailerId: 'shop', eventsPurged: 0, more: true })] });
    expect(records.orphanScans).toEqual([]);
  });
});

describe('legal holds', () => {
  it('an expired event on legal hold is never touched', async () => {
    const records = world(30);
    records.report('shop', 'held', ago(100), ['p'], { legalHold: { by: 'admin', at: ago(50), reason: 'court' } } as Partial<RetiringDoc>);
    records.report('shop', 'old', ago(100), ['q']);
    await sweep(records);
    expect(records.ids()).toEqual(['held']);
    expect(records.events.get('shop|held')).not.toHaveProperty('purging');
  });

  it('a hold placed after the page was read is not claimed over: skipped, left for the next run, the rest go', async () => {
    const records = world(30);
    records.report('shop', 'e1', ago(100));
    records.report('shop', 'e2', ago(101));
    const read = records.expiredEvents;
    records.expiredEvents = async (...args) => {
      const page = await read(...args);
      const e1 = records.events.get('shop|e1');
      if (e1) records.events.set('shop|e1', { ...e1, legalHold: { by: 'admin', at: NOW.toISOString(), reason: 'court' }, _etag: '"held"' } as RetiringDoc);
      return page;
    };
    const run = await sweep(records);
    expect(records.ids()).toEqual(['e1']);
    expect(records.events.get('shop|e1')).not.toHaveProperty('purging');
    expect(run.retailers[0]).toMatchObject({ eventsSkipped: 1, eventsPurged: 1, eventsFolded: 1 });
  });
});

describe('events already being purged', () => {
  it('one a self-remediation delete left half done (purging, never folded) is finished but not counted in the aggregates', async () => {
    const records = world(30);
    records.report('shop', 'half', ago(100), ['p'], { purging: true });
    const run = await sweep(records);
    expect(records.ids()).toEqual([]);
    expect(run.retailers[0]).toMatchObject({ eventsPurged: 1, eventsFolded: 0 });
    expect(records.aggregates.size).toBe(0);
    // Finished for a run that died, not claimed by this one.
    expect(records.chain.map((e) => e.draft.details)).toEqual([expect.objectContaining({ eventsPurged: 0, eventsFinished: 1 })]);
  });

  it('a run that dies after its claims is finished by the next, and every event is counted once', async () => {
    const records = world(30);
    records.report('shop', 'e1', ago(100));
    records.report('shop', 'e2', ago(100));
    const crash = (at: SweepStep) => (step: SweepStep) => {
      if (step === at) throw new Error(`crash at ${step}`);
    };
    const first = await sweep(records, { afterStep: crash('folded') });
    expect(first.failed).toEqual([{ retailerId: 'shop' }]);
    expect(first.more).toBe(true);
    expect([...records.events.values()].map((d) => [d.id, d.purging, d.foldedInto])).toEqual([
      ['e1', true, ago(100).slice(0, 10)],
      ['e2', true, ago(100).slice(0, 10)],
    ]);
    const second = await sweep(records);
    expect(records.ids()).toEqual([]);
    expect(second.retailers[0]).toMatchObject({ eventsPurged: 2, eventsFolded: 0 });
    expect(records.aggregate(ago(100).slice(0, 10))).toEqual({ events: 2, repeat: 0, folded: [] });
  });

  it('ids left in `folded` by a run that died after purging are released first; those of events still there stay', async () => {
    const records = world(30);
    records.report('shop', 'still', ago(10));
    records.aggregates.set('shop|2026-08-01', { rows: [], folded: ['gone', 'still'] });
    await sweep(records);
    expect(records.aggregate('2026-08-01')!.folded).toEqual(['still']);
  });
});

describe('a bounded batch, continued by the next run', () => {
  it('at most maxEventsPerRetailer a run, newest first; `more` until the last is gone', async () => {
    const records = world(30);
    for (let i = 1; i <= 5; i++) records.report('shop', `e${i}`, ago(30 + i));
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await sweep(records, { maxEventsPerRetailer: 2 }));
    expect(runs.map((r) => [r.retailers[0]!.eventsPurged, r.more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
    expect(records.purgedIds).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    // The page is never larger than the budget; the look past it asks for one.
    expect(records.pages.slice(0, 2)).toEqual([2, 1]);
  });

  it('exactly the budget due: all go and nothing more is announced', async () => {
    const records = world(30);
    records.report('shop', 'e1', ago(31));
    records.report('shop', 'e2', ago(32));
    const run = await sweep(records, { maxEventsPerRetailer: 2 });
    expect(run.retailers[0]).toMatchObject({ eventsPurged: 2, more: false });
    expect(run.more).toBe(false);
  });

  it('pages smaller than the budget are read by keyset until the budget or the end', async () => {
    const records = world(30);
    for (let i = 1; i <= 5; i++) records.report('shop', `e${i}`, ago(30, i));
    const run = await sweep(records, { pageSize: 2, maxEventsPerRetailer: 10 });
    expect(run.retailers[0]).toMatchObject({ eventsPurged: 5, more: false });
    expect(records.pages).toEqual([2, 2, 2]);
  });

  it('an event skipped (held while the run looked) does not use up the budget: the page after it is read', async () => {
    const records = world(30);
    for (let i = 1; i <= 3; i++) records.report('shop', `e${i}`, ago(30 + i));
    const read = records.expiredEvents;
    records.expiredEvents = async (...args) => {
      const page = await read(...args);
      const e1 = records.events.get('shop|e1')!;
      records.events.set('shop|e1', { ...e1, legalHold: { by: 'admin', at: NOW.toISOString(), reason: 'court' }, _etag: '"held"' } as RetiringDoc);
      return page;
    };
    const run = await sweep(records, { maxEventsPerRetailer: 2 });
    expect(records.purgedIds).toEqual(['e2', 'e3']);
    expect(run.retailers[0]).toMatchObject({ eventsSkipped: 1, eventsPurged: 2, more: false });
    expect(records.pages).toEqual([2, 1, 1]);
  });

  it('a page cut short by the budget is not taken for the last: skips before it leave the rest of the budget to the next page', async () => {
    const records = world(30);
    for (let i = 1; i <= 4; i++) records.report('shop', `e${i}`, ago(30 + i));
    // e2 is held just after the first page is read, e3 just after the second: each is skipped.
    const heldAfter = ['e2', 'e3'];
    const read = records.expiredEvents;
    records.expiredEvents = async (...args) => {
      const page = await read(...args);
      const id = heldAfter.shift();
      const doc = id && records.events.get(`shop|${id}`);
      if (doc) records.events.set(`shop|${id}`, { ...doc, legalHold: { by: 'admin', at: NOW.toISOString(), reason: 'court' }, _etag: '"held"' } as RetiringDoc);
      return page;
    };
    const run = await sweep(records, { maxEventsPerRetailer: 2 });
    expect(records.purgedIds).toEqual(['e1', 'e4']);
    expect(run.retailers[0]).toMatchObject({ eventsSkipped: 2, eventsPurged: 2, more: false });
  });

  it('idempotency records: a full batch deleted means more remain', async () => {
    const records = world(30);
    records.expiredKeys.set('shop', 5);
    const run = await sweep(records, { maxIdempotencyRecords: 3 });
    expect(run.retailers[0]).toMatchObject({ idempotencyRecordsDeleted: 3, more: true });
    const again = await sweep(records, { maxIdempotencyRecords: 3 });
    expect(again.retailers[0]).toMatchObject({ idempotencyRecordsDeleted: 2, more: false });
  });

  it("a batch's messages and alerts go with it, in one call for the batch, before any of its events is purged", async () => {
    const records = world(30);
    for (const id of ['e1', 'e2', 'e3']) records.report('shop', id, ago(100));
    records.report('shop', 'young', ago(3));
    await sweep(records);
    expect(records.dependents.map((ids) => [...ids].sort())).toEqual([['e1', 'e2', 'e3']]);
    expect(records.purgedIdsAtDependents).toEqual([0]);
  });

  it('LPR alerts stored before the cutoff go, a bounded number a run, and the run says how many', async () => {
    const records = world(30);
    for (const [id, at] of [['old1', ago(31)], ['old2', ago(30, 1)], ['old3', ago(400)], ['edge', ago(30)], ['new', ago(2)]] as const) records.alerts.set(`shop|${id}`, at);
    records.alerts.set('other|old', ago(400));
    const run = await sweep(records, { maxAlerts: 2 });
    expect(run.retailers[0]).toMatchObject({ alertsDeleted: 2, more: true });
    const again = await sweep(records, { maxAlerts: 2 });
    expect(again.retailers[0]).toMatchObject({ alertsDeleted: 1, more: false });
    expect([...records.alerts.keys()].sort()).toEqual(['other|old', 'shop|edge', 'shop|new']);
    expect(records.chain.at(-1)!.draft.details).toMatchObject({ alertsDeleted: 1 });
  });

  it('the orphan scan runs its bounded page with the bounds given, and its bookmark is saved', async () => {
    const records = world(30);
    await sweep(records, { orphanMaxBlobs: 7 });
    expect(records.orphanScans).toEqual([{ now: NOW, minAgeMs: 3_600_000, maxBlobs: 7 }]);
    expect(records.savedStates).toEqual([expect.objectContaining({ orgId: 'shop', orphanScan: { evidence: 'bookmark' } })]);
  });
});

describe('a failure of one item', () => {
  it('one event\'s purge failing leaves it claimed and counted, the others go; the next run purges it without counting it again', async () => {
    const records = world(30);
    for (const id of ['e1', 'e2', 'e3']) records.report('shop', id, ago(100));
    records.failing.add('e2');
    const warnings: unknown[] = [];
    const run = await retentionSweep(records).runRetentionSweep({ warn: (...a: unknown[]) => void warnings.push(a) }, { now: NOW });
    expect(records.ids()).toEqual(['e2']);
    expect(run.retailers[0]).toMatchObject({ eventsPurged: 2, eventsFolded: 3, eventsFailed: 1, more: true });
    expect(warnings).toEqual([['Retention purge of an event failed; the next run retries it', { retailerId: 'shop', eventId: 'e2', error: 'store fault on e2' }]]);
    const day = ago(100).slice(0, 10);
    expect(records.aggregate(day)).toEqual({ events: 3, repeat: 0, folded: ['e2'] });
    records.failing.clear();
    const again = await sweep(records);
    expect(again.retailers[0]).toMatchObject({ eventsPurged: 1, eventsFolded: 0, eventsFailed: 0, more: false });
    expect(records.aggregate(day)).toEqual({ events: 3, repeat: 0, folded: [] });
  });

  it('one retailer failing does not stop the others', async () => {
    const records = world(30);
    records.retailers = ['broken', 'shop'];
    records.report('shop', 'old', ago(100));
    const get = records.getSettings;
    records.getSettings = async (retailerId) => (retailerId === 'broken' ? Promise.reject(new Error('unreadable')) : get(retailerId));
    const run = await sweep(records);
    expect(run.failed).toEqual([{ retailerId: 'broken' }]);
    expect(run.more).toBe(true);
    expect(run.retailers.map((r) => r.retailerId)).toEqual(['shop']);
    expect(records.ids()).toEqual([]);
  });
});

describe('audit entries', () => {
  it('one entry for the run: counts and the ids of the events it purged, nothing of their content, the request id and trigger given, and no outbox document left', async () => {
    const records = world(30);
    // Both in one shard: one outbox document carries the run's entry.
    const [a, b] = [idInShard('a'.repeat(32), '07'), idInShard('b'.repeat(32), '07')];
    records.report('shop', a, ago(100), ['tamati']);
    records.report('shop', b, ago(101), ['tamati']);
    records.expiredKeys.set('shop', 4);
    await sweep(records, { requestId: 'req-1', trigger: 'admin' });
    expect(records.chain).toEqual([
      {
        retailerId: 'shop',
        draft: {
          actor: { sub: 'system:retention', org: null, roles: [] },
          action: 'retention.purge',
          target: { type: 'retailer', id: 'shop' },
          outcome: 'success',
          requestId: 'req-1',
          details: expect.objectContaining({ retentionDays: 30, cutoff: ago(30), eventsPurged: 2, eventIds: [a, b], eventsFolded: 2, eventsFinished: 0, profilesUpdated: 1, profilesDeleted: 1, idempotencyRecordsDeleted: 4, more: false, trigger: 'admin' }),
        },
      },
    ]);
    expect(records.outbox.size).toBe(0);
    expect(JSON.stringify(records.chain)).not.toMatch(/tamati/);
  });

  it('claims in two shards: the other shard\'s entry first (its own request id, its claims), then the run\'s', async () => {
    const records = world(30);
    const [x, y] = [idInShard('c'.repeat(32), '03'), idInShard('d'.repeat(32), '11')];
    records.report('shop', x, ago(100));
    records.report('shop', y, ago(101));
    await sweep(records);
    const run = `retention:${NOW.toISOString()}`;
    const summaries = records.chain.filter((e) => e.draft.action === 'retention.purge');
    expect(summaries.map((e) => [e.draft.requestId, e.draft.details!.eventsPurged, e.draft.details!.eventIds])).toEqual([
      [`${run}:${shardOf(y)}`, 1, [y]],
      [run, 1, [x]],
    ]);
    // The run's entry has the run's other figures; the shard's only its claims.
    expect(summaries[1]!.draft.details).toMatchObject({ eventsFolded: 2, profilesDeleted: 2 });
    expect(summaries[0]!.draft.details).toMatchObject({ eventsFolded: 0, profilesDeleted: 0 });
    expect(records.outbox.size).toBe(0);
  });

  it('each claim carries the run\'s entry so far in the outbox, so a run that dies leaves it for the audit sweep', async () => {
    const records = world(30);
    records.report('shop', idInShard('e'.repeat(32), '05'), ago(100));
    records.report('shop', idInShard('f'.repeat(32), '05'), ago(101));
    await sweep(records, { afterStep: (s) => { if (s === 'purged') throw new Error('crash'); } });
    expect(records.chain).toEqual([]);
    expect([...records.outbox.values()].map((d) => [d.action, d.details!.eventsPurged, (d.details!.eventIds as string[]).length])).toEqual([['retention.purge', 2, 2]]);
  });
});
