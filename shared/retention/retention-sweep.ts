import { shardOf } from '../domain/shards';
import { legacyRecordsRemain } from '../migration/legacy-records-repository';
import { contributionOf, utcDayOf, type AggregateRow } from '../domain/analytics/aggregates';
import type { AuditActor, AuditDraft } from '../domain/audit-chain';
import { retentionCutoff, type RetailerSettings } from '../domain/retailer-settings';
import { settleAudit } from '../audit/audit-outbox';
import type { OutboxDraft } from '../audit/audit-outbox-repository';
import { fromDoc, missingEventIds } from '../events/event-repository';
import { deleteExpiredKeys } from '../events/idempotency-repository';
import { deleteAlertsBefore, deleteAlertsNaming } from '../lpr/alert-removal';
import { deleteMessagesOf } from '../sharing/message-repository';
import { retireStoredResponses } from '../events/idempotency';
import { purgeEvent, type PurgeResult } from '../events/purge-event';
import { appendAudit } from '../audit/audit-log';
import { getSettings, listRetailerIds } from '../orgs/org-repository';
import { isRepeatEvent } from '../analytics/repeat-offenders';
import { repeatProfiles } from '../events/profile-repository';
import { daysWithFolded, foldIntoDay, readSweepState, releaseFolded, saveSweepState, type SweepStateDoc } from './aggregate-repository';
import { expiredEvents, markRetiring, type Keyset, type RetiringDoc } from './expired-event-repository';
import { sweepOrphanEvidence, type OrphanOptions, type OrphanResult } from './orphan-evidence';
import type { Logger } from '../telemetry/logger';

/*
 * The retention sweep (PRODUCT §7). For each retailer, in this order:
 *
 *   0. leftovers: aggregate days still listing events in `folded` whose documents are gone
 *      (a run died between purging and step 4) drop them;
 *   1. claim: each expired, unheld event of the page is marked `purging` + `foldedInto`
 *      (one conditional write; reads treat it as gone from here on);
 *   2. fold: the claimed events' contributions go into their UTC day's aggregate together with
 *      their ids in `folded`, one conditional write per day. An event already listed there was
 *      counted, so a re-run adds nothing: exactly once, without relying on an atomic batch;
 *   3. purge: purgeEvent, the one purge routine (links, profile membership and the keys of
 *      profiles left empty, evidence blobs then records, the event document last);
 *   4. release: the purged ids leave `folded`.
 *
 * Steps 1–2 run for the whole bounded batch before any purge, so every event is folded with the
 * repeat-offender status it had before the run removed anything. A run that dies anywhere is
 * finished by the next: a claimed event is found again by the same query (it is still expired
 * and still there), folded if it is not in `folded`, purged, released. Events interrupted in a
 * self-remediation delete (purging without `foldedInto`) are finished too, and not counted.
 * Then expired idempotency records go, LPR alerts stored before the cutoff go (each holds a plate),
 * and a bounded page of the orphan-evidence scan runs.
 */

export type SweepStep = 'claimed' | 'folded' | 'purged' | 'released' | 'idempotency' | 'alerts' | 'orphans';

export interface SweepOptions {
  now?: Date;
  /** Only these retailers (an operator's targeted run; tests); default every retailer. */
  retailerIds?: string[];
  /** Events purged per retailer per run at most; the next run resumes where this one stopped. */
  maxEventsPerRetailer?: number;
  pageSize?: number;
  /** Orphan scan: blobs younger than this stay (uploads in flight); default one hour. */
  orphanMinAgeMs?: number;
  orphanMaxBlobs?: number;
  maxIdempotencyRecords?: number;
  maxAlerts?: number;
  requestId?: string;
  trigger?: 'timer' | 'admin';
  /** Fault injection for tests: called after each step; throwing there is a crash at that point. */
  afterStep?: (step: SweepStep, retailerId: string) => void | Promise<void>;
}

export interface RetailerSweep {
  retailerId: string;
  retentionDays: number;
  cutoff: string;
  eventsPurged: number;
  /** Of those, how many were folded into the aggregates now (an interrupted delete is purged without). */
  eventsFolded: number;
  /** Expired events that changed while the run looked at them (an edit, a legal hold): left for the next run. */
  eventsSkipped: number;
  eventsFailed: number;
  profilesUpdated: number;
  profilesDeleted: number;
  evidenceDeleted: number;
  orphanBlobsDeleted: number;
  orphanEvidenceDeleted: number;
  idempotencyRecordsDeleted: number;
  /** LPR alerts stored before the cutoff. */
  alertsDeleted: number;
  /** True when this retailer has more to do than one run's bound: the next run continues. */
  more: boolean;
}

export interface SweepRun {
  startedAt: string;
  finishedAt: string;
  retailers: RetailerSweep[];
  totals: Omit<RetailerSweep, 'retailerId' | 'retentionDays' | 'cutoff' | 'more'>;
  more: boolean;
  failed: { retailerId: string }[];
}

/** What the sweep reads, writes and purges: the repositories in the app, in-memory records in unit tests of this logic. */
export interface RetentionSweepStore {
  /** Every retailer's id, a page at a time (when the run is not given its retailers). */
  listRetailerIds(): AsyncIterable<string>;
  /** The retailer's settings: its `retentionDays`. */
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  /** Whether some of the retailer's records are still in the unsharded containers (the shard migration is not done). */
  legacyRecordsRemain(retailerId: string): Promise<boolean>;
  /** Aggregate days whose `folded` list is not empty (at most 100). */
  daysWithFolded(retailerId: string): Promise<{ day: string; folded: string[] }[]>;
  /** Which of `ids` have no event document at all (a purging one is still there), in the order of `ids`. */
  missingEventIds(retailerId: string, ids: readonly string[]): Promise<string[]>;
  /** The next page of events older than the cutoff and not on legal hold, newest first, by keyset after `after` (purging ones too). */
  expiredEvents(retailerId: string, cutoff: string, pageSize: number, after?: Keyset): Promise<RetiringDoc[]>;
  /** Marks the event purging and folded into `day` over the version read, with the audit outbox entries in the same batch; false when it changed or went. */
  markRetiring(doc: RetiringDoc, day: string, audit: OutboxDraft[]): Promise<boolean>;
  /** Which of these profiles hold more than one event (repeat offenders). */
  repeatProfiles(retailerId: string, profileIds: Iterable<string>): Promise<Set<string>>;
  /** Adds to the day's aggregate the rows of events not yet in its `folded`, listing them there; how many were added. */
  foldIntoDay(retailerId: string, day: string, contributions: readonly { eventId: string; row: AggregateRow }[], now: Date): Promise<number>;
  /** The messages on these events, the LPR alerts naming them and the stored responses that created them (a batch's, a few queries for all). */
  deleteDependents(retailerId: string, eventIds: readonly string[]): Promise<void>;
  /** The one purge routine (profiles, plates, evidence, the document last), its dependents gone already; throws on a legal hold. */
  purgeEvent(retailerId: string, eventId: string, now: Date, requestId: string): Promise<PurgeResult>;
  /** Takes these ids (their documents gone) off the day's `folded` list. */
  releaseFolded(retailerId: string, day: string, eventIds: readonly string[], now: Date): Promise<void>;
  /** Deletes at most `max` expired idempotency records; how many. */
  deleteExpiredKeys(retailerId: string, now: Date, max: number): Promise<number>;
  /** Deletes at most `max` LPR alerts stored before the cutoff; how many. */
  deleteAlertsBefore(retailerId: string, cutoff: string, max: number): Promise<number>;
  /** Where the orphan-evidence scan stopped for this retailer. */
  readSweepState(retailerId: string): Promise<SweepStateDoc>;
  /** A bounded page of the orphan-evidence scan, resumed from (and moving) `state`'s bookmarks. */
  sweepOrphanEvidence(retailerId: string, state: SweepStateDoc, options: OrphanOptions): Promise<OrphanResult>;
  saveSweepState(state: SweepStateDoc): Promise<void>;
  /** Appends the outbox document's entry (`complete` gives its final text) unless the chain holds it, then removes it; whether there was one. */
  settleAudit(retailerId: string, key: string, complete: (draft: AuditDraft) => AuditDraft): Promise<boolean>;
  /** Appends an entry to the retailer's audit chain. */
  appendAudit(retailerId: string, draft: AuditDraft): Promise<unknown>;
}

const cosmosRecords: RetentionSweepStore = {
  listRetailerIds: () => listRetailerIds(),
  getSettings,
  legacyRecordsRemain,
  daysWithFolded: (retailerId) => daysWithFolded(retailerId),
  missingEventIds,
  expiredEvents,
  markRetiring,
  repeatProfiles,
  foldIntoDay,
  deleteDependents: async (retailerId, eventIds) => {
    for (let i = 0; i < eventIds.length; i += 100) {
      const chunk = eventIds.slice(i, i + 100);
      await deleteMessagesOf(retailerId, chunk);
      await deleteAlertsNaming(retailerId, { eventIds: chunk });
      await retireStoredResponses(retailerId, chunk);
    }
  },
  purgeEvent: (retailerId, eventId, now, requestId) => purgeEvent(retailerId, eventId, { now, dependentsGone: true, requestId }),
  releaseFolded,
  deleteExpiredKeys,
  deleteAlertsBefore,
  readSweepState,
  sweepOrphanEvidence,
  saveSweepState,
  settleAudit: (retailerId, key, complete) => settleAudit(retailerId, key, undefined, complete),
  appendAudit: (retailerId, draft) => appendAudit(retailerId, draft),
};

const SYSTEM: AuditActor = { sub: 'system:retention', org: null, roles: [] };

/** The retention sweep (PRODUCT §7), over a store. */
export function retentionSweep(store: RetentionSweepStore) {
  async function runRetentionSweep(
    log: Pick<Logger, 'warn'>,
    options: SweepOptions = {},
  ): Promise<SweepRun> {
    const now = options.now ?? new Date();
    const run: SweepRun = { startedAt: now.toISOString(), finishedAt: '', retailers: [], totals: emptyTotals(), more: false, failed: [] };
    const ids = options.retailerIds ? toAsync(options.retailerIds) : store.listRetailerIds();
    for await (const retailerId of ids) {
      try {
        const result = await sweepRetailer(store, retailerId, now, options, log);
        if (touched(result) || result.more) run.retailers.push(result);
        run.more ||= result.more;
        for (const k of Object.keys(run.totals) as (keyof SweepRun['totals'])[]) run.totals[k] += result[k];
      } catch (error) {
        log.warn('Retention sweep failed for a retailer', { retailerId, error: error instanceof Error ? error.message : String(error) });
        run.failed.push({ retailerId });
        run.more = true;
      }
    }
    run.finishedAt = new Date().toISOString();
    return run;
  }

  return { runRetentionSweep };
}

export const { runRetentionSweep } = retentionSweep(cosmosRecords);

async function sweepRetailer(
  store: RetentionSweepStore,
  retailerId: string,
  now: Date,
  options: SweepOptions,
  log: Pick<Logger, 'warn'>,
): Promise<RetailerSweep> {
  const step = async (s: SweepStep) => options.afterStep?.(s, retailerId);
  const { settings } = await store.getSettings(retailerId);
  const cutoff = retentionCutoff(settings, now).toISOString();
  const r: RetailerSweep = {
    retailerId,
    retentionDays: settings.retentionDays,
    cutoff,
    ...emptyTotals(),
    more: false,
  };
  // Until the shard migration has moved the retailer's records, events not yet moved would look
  // gone: their evidence orphaned, their folded ids released. The run waits for the migration.
  if (await store.legacyRecordsRemain(retailerId)) {
    log.warn('Retention skipped a retailer whose records are still being moved into shards', { retailerId });
    return { ...r, more: true };
  }
  await releaseLeftovers(store, retailerId, now);

  // 1–2: claim and fold the bounded batch. The run's audit entry rides, with the count so far, with
  // each claim (the moment an event is gone to every reader): a run that dies part-way leaves it in
  // the outbox, and the audit sweep appends what it did (audit-outbox.ts). An entry counts the
  // events its run claimed (`eventsPurged`) and those it finished for a run that died
  // (`eventsFinished`), so each purge is counted in the chain once. A claim and its outbox document
  // share the event's shard (one batch), so the run keeps one document per shard it claims in: the
  // first becomes the run's entry with all its other figures, each other one an entry of its own
  // counting its shard's claims (request id "<run>:<shard>"; an id in a key may not hold a slash).
  // Each names the events it counts (PRODUCT §8: the chain says what went), nothing of their content.
  const summary = (claimedHere: readonly string[], finished: number) => summaryDraft({ ...r, eventsPurged: claimedHere.length }, finished, now, options, claimedHere);
  const runRequestId = summary([], 0).requestId;
  const shards = new Map<string, { key: string; requestId: string; ids: string[] }>();
  const shardOfClaim = (eventId: string) => {
    const shard = shardOf(eventId);
    let s = shards.get(shard);
    if (!s) {
      const requestId = shards.size === 0 ? runRequestId : `${runRequestId}:${shard}`;
      shards.set(shard, (s = { key: `retention.purge:${retailerId}:${requestId}@${eventId}`, requestId, ids: [] }));
    }
    return s;
  };
  const draftOf = (s: { requestId: string }, ids: readonly string[]): AuditDraft =>
    s.requestId === runRequestId ? summary(ids, 0) : { ...summaryDraft({ ...r, ...emptyTotals(), eventsPurged: ids.length }, 0, now, options, ids), requestId: s.requestId };
  const claimedHere = new Set<string>();
  const budget = options.maxEventsPerRetailer ?? 500;
  const pageSize = Math.min(options.pageSize ?? 100, budget);
  const claimed: { id: string; day: string | null }[] = [];
  let after: Keyset | undefined;
  for (;;) {
    const asked = Math.min(pageSize, budget - claimed.length);
    const page = await store.expiredEvents(retailerId, cutoff, asked, after);
    if (page.length === 0) break;
    const last = page.at(-1)!;
    after = { t: last.occurredAtUtc, id: last.id };
    const toFold: RetiringDoc[] = [];
    for (const doc of page) {
      if (doc.purging && !doc.foldedInto) {
        claimed.push({ id: doc.id, day: null });
        continue;
      }
      const day = doc.foldedInto ?? utcDayOf(doc.occurredAtUtc);
      if (!doc.purging) {
        const shard = shardOfClaim(doc.id);
        if (!(await store.markRetiring(doc, day, [{ key: shard.key, draft: draftOf(shard, [...shard.ids, doc.id]) }]))) {
          r.eventsSkipped += 1;
          continue;
        }
        shard.ids.push(doc.id);
        claimedHere.add(doc.id);
        await step('claimed');
      }
      toFold.push(doc);
      claimed.push({ id: doc.id, day });
    }
    r.eventsFolded += await fold(store, retailerId, toFold, now, step);
    if (claimed.length >= budget) {
      r.more = (await store.expiredEvents(retailerId, cutoff, 1, after)).length > 0;
      break;
    }
    // Fewer than asked is the end; a page cut short by the budget, after skips, is not.
    if (page.length < asked) break;
  }

  // 3: purge, the one routine; the batch's messages and alerts first, in a few queries for all (a
  // crash after them finds the claimed events again, and removes what is left of theirs).
  if (claimed.length) await store.deleteDependents(retailerId, claimed.map((c) => c.id));
  const purged: { id: string; day: string | null }[] = [];
  for (const c of claimed) {
    try {
      const result = await store.purgeEvent(retailerId, c.id, now, runRequestId);
      if (result.purged) r.eventsPurged += 1;
      r.profilesUpdated += result.profilesUpdated;
      r.profilesDeleted += result.profilesDeleted;
      r.evidenceDeleted += result.evidenceDeleted;
      purged.push(c);
    } catch (error) {
      // Left claimed and counted in `folded`: the next run purges it without counting it again.
      r.eventsFailed += 1;
      r.more = true;
      log.warn('Retention purge of an event failed; the next run retries it', {
        retailerId,
        eventId: c.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    await step('purged');
  }

  // 4: release the purged ids from their days' `folded` lists.
  for (const [day, ids] of groupBy(purged.filter((p) => p.day !== null), (p) => p.day!)) {
    await store.releaseFolded(retailerId, day, ids.map((p) => p.id), now);
    await step('released');
  }

  r.idempotencyRecordsDeleted = await store.deleteExpiredKeys(retailerId, now, options.maxIdempotencyRecords ?? 1000);
  if (r.idempotencyRecordsDeleted === (options.maxIdempotencyRecords ?? 1000)) r.more = true;
  await step('idempotency');

  const maxAlerts = options.maxAlerts ?? 1000;
  r.alertsDeleted = await store.deleteAlertsBefore(retailerId, cutoff, maxAlerts);
  if (r.alertsDeleted === maxAlerts) r.more = true;
  await step('alerts');

  const state = await store.readSweepState(retailerId);
  const orphans = await store.sweepOrphanEvidence(retailerId, state, {
    now,
    minAgeMs: options.orphanMinAgeMs ?? 60 * 60 * 1000,
    maxBlobs: options.orphanMaxBlobs ?? 500,
  });
  await store.saveSweepState(state);
  r.orphanBlobsDeleted = orphans.blobsDeleted;
  r.orphanEvidenceDeleted = orphans.recordsPurged;
  await step('orphans');

  if (touched(r)) {
    const finished = purged.filter((p) => !claimedHere.has(p.id)).length;
    const [first, ...others] = [...shards.values()];
    // The other shards' entries first: a crash before the run's own leaves its document for the audit sweep.
    for (const o of others) await store.settleAudit(retailerId, o.key, () => draftOf(o, o.ids));
    const final = summaryDraft({ ...r, eventsPurged: first?.ids.length ?? 0 }, finished, now, options, first?.ids ?? []);
    // No outbox document when this run claimed nothing (it only finished a dead run's, or cleaned up).
    if (!first || !(await store.settleAudit(retailerId, first.key, () => final))) await store.appendAudit(retailerId, final);
  }
  return r;
}

/** The run's entry for one retailer: counts, and the ids of the events it counts as purged; never a person, a plate or text. */
function summaryDraft(r: RetailerSweep, eventsFinished: number, now: Date, options: SweepOptions, eventIds: readonly string[]): AuditDraft {
  const { retailerId, ...counts } = r;
  const details = { ...counts, eventsFinished, eventIds: [...eventIds] };
  return {
    actor: SYSTEM,
    action: 'retention.purge',
    target: { type: 'retailer', id: retailerId },
    outcome: 'success',
    requestId: options.requestId ?? `retention:${now.toISOString()}`,
    details: { ...details, trigger: options.trigger ?? 'timer' },
  };
}

/** Step 2 for one page: contributions with the repeat status read before anything is purged, one write per UTC day. */
async function fold(store: RetentionSweepStore, retailerId: string, docs: RetiringDoc[], now: Date, step: (s: SweepStep) => Promise<void>): Promise<number> {
  const repeat = await store.repeatProfiles(
    retailerId,
    docs.flatMap((d) => d.profileIds),
  );
  let added = 0;
  for (const [day, group] of groupBy(docs, (d) => d.foldedInto ?? utcDayOf(d.occurredAtUtc))) {
    const contributions = group.map((d) => ({ eventId: d.id, row: contributionOf(fromDoc(d), isRepeatEvent(d.profileIds, repeat)) }));
    added += await store.foldIntoDay(retailerId, day, contributions, now);
    await step('folded');
  }
  return added;
}

/** Step 0: ids left in `folded` by a run that died after purging their events. */
async function releaseLeftovers(store: RetentionSweepStore, retailerId: string, now: Date): Promise<void> {
  for (const { day, folded } of await store.daysWithFolded(retailerId)) {
    const gone = await store.missingEventIds(retailerId, folded);
    if (gone.length) await store.releaseFolded(retailerId, day, gone, now);
  }
}

function emptyTotals(): SweepRun['totals'] {
  return {
    eventsPurged: 0,
    eventsFolded: 0,
    eventsSkipped: 0,
    eventsFailed: 0,
    profilesUpdated: 0,
    profilesDeleted: 0,
    evidenceDeleted: 0,
    orphanBlobsDeleted: 0,
    orphanEvidenceDeleted: 0,
    idempotencyRecordsDeleted: 0,
    alertsDeleted: 0,
  };
}

const touched = (r: RetailerSweep) =>
  r.eventsPurged + r.eventsFolded + r.eventsFailed + r.orphanBlobsDeleted + r.orphanEvidenceDeleted + r.idempotencyRecordsDeleted + r.alertsDeleted > 0;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
