import type { AuditDraft } from '../domain/audit-chain';
import { appendAudit } from './audit-log';
import { chainHolds } from './audit-entry-repository';
import { chainOf, changeStored, claimAuditOutbox, clearAuditOutbox, dropAuditOutbox, overdueAuditOutbox, readAuditOutbox, type AuditOutboxDoc, type OutboxContainer, type OutboxEntry } from './audit-outbox-repository';

/**
 * The audit outbox: a change and the audit entry that describes it live in different
 * partitions (the retailer's records, its chain), so no transaction holds both. The entry to
 * append rides in the change's own batch as an outbox document; once the change is stored, the
 * entry is appended and the outbox document removed. A crash or a fault in between leaves the
 * outbox document behind: a retry of the request, or the sweep, appends the entry (once: the
 * chain is asked first) and removes it. So no change is stored without its entry, and no entry
 * describes a change that was not stored.
 */

/**
 * An outbox document older than this was left behind by a request that will not finish it: longer
 * than any request runs (the front end ends one at 230 s; a merge of a prolific offender's many
 * reports may take minutes), so the sweep never appends an entry its own request is about to
 * append (settleFreshAudit does not ask the chain), and a change not stored by then never will be.
 */
export const OUTBOX_OVERDUE_MS = 5 * 60_000;
/**
 * A settler's claim on an outbox document holds this long: a settler appends within milliseconds
 * of claiming, so a claim older than that was left by one that failed or stopped. A request that
 * meets a younger claim waits it out (and then finishes the document itself, if it is still
 * there); the sweep passes it by.
 */
const CLAIM_MS = 2_000;
const CLAIM_POLL_MS = 100;
const PER_RUN = 500;
/** Failures one after another that end a run early (the store is failing, not one document). */
const FAILURES_IN_A_ROW = 3;

export type Completion = (draft: AuditDraft) => AuditDraft;
/**
 * Finishes the change an overdue outbox document describes when its request stopped part-way (the
 * document is older than any request runs, so none is still at it), and answers what its entry
 * then says; undefined when there was nothing to finish. Only one drain may run it at a time (the
 * sweep timer's runs never overlap): it runs before the settler's claim, which lapses in seconds.
 */
export type FinishChange = (doc: AuditOutboxDoc, now: Date) => Promise<Completion | undefined | typeof NOT_YET>;
/**
 * What a finisher answers for a change it cannot finish yet and that is not a fault (another
 * change holds the profile, one must be finished first): its document stays, unsettled, for the
 * next run, and the run does not count it as failed.
 */
export const NOT_YET = Symbol('not yet');

/** Each finisher in turn (each finishes the changes of its own actions and passes the rest by); the first that finished says what the entry says. */
export const finishingEach =
  (...finishers: FinishChange[]): FinishChange =>
  async (doc, now) => {
    for (const finish of finishers) {
      const completion = await finish(doc, now);
      if (completion !== undefined) return completion;
    }
    return undefined;
  };

/** What the audit outbox reads, appends and removes: the repositories and the chain in the app, in-memory outbox documents and chains in unit tests of this logic. */
export interface AuditOutboxStore {
  /** Appends one entry to an organisation's chain. */
  appendAudit(orgId: string, draft: AuditDraft): Promise<unknown>;
  /** Whether the organisation's chain already holds an entry of the draft's action and target (and request, when it has one). */
  chainHolds(orgId: string, draft: AuditDraft): Promise<boolean>;
  /** Whether the change an outbox document describes was stored (its proof document exists, or it needs none). */
  changeStored(doc: AuditOutboxDoc): Promise<boolean>;
  /** The outbox document of the entry with this key in `where` (absent: the records container), if there is one. */
  readAuditOutbox(orgId: string, key: string, where?: OutboxContainer): Promise<AuditOutboxDoc | undefined>;
  /** Marks the version read as taken on by this settler; false when another changed or removed it first. */
  claimAuditOutbox(doc: AuditOutboxDoc, now: Date): Promise<boolean>;
  /** Removes the version read, only (a settler that claimed it since keeps it). */
  dropAuditOutbox(doc: AuditOutboxDoc): Promise<boolean>;
  /** Removes an outbox document (one already gone is fine). */
  clearAuditOutbox(orgId: string, entry: { key: string; where?: OutboxContainer } | AuditOutboxDoc): Promise<void>;
  /** Up to `max` outbox documents per container written before `cutoff`, of any organisation or of `orgId`, each with its `where`. */
  overdueAuditOutbox(cutoff: Date, max: number, orgId?: string): Promise<AuditOutboxDoc[]>;
}

const cosmosRecords: AuditOutboxStore = {
  appendAudit: (orgId, draft) => appendAudit(orgId, draft),
  chainHolds: (orgId, draft) => chainHolds(orgId, draft),
  changeStored,
  readAuditOutbox,
  claimAuditOutbox,
  dropAuditOutbox,
  clearAuditOutbox,
  overdueAuditOutbox,
};

/** The audit outbox, over a store; `clock` stamps and judges settlers' claims (wall time, not the sweep's cutoff). */
export function auditOutbox(store: AuditOutboxStore, clock: () => Date = () => new Date(), pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))) {
  /**
   * Appends the entry of a change this request has just stored, then clears its outbox document
   * (`clear`: a caller may remove it together with writes of its own).
   * If either step fails, the outbox document stays and a retry or the sweep finishes the work.
   */
  async function settleFreshAudit(orgId: string, entry: Pick<OutboxEntry, 'key' | 'draft' | 'where' | 'chain'>, clear = () => store.clearAuditOutbox(orgId, entry)): Promise<void> {
    await store.appendAudit(chainOf(orgId, entry), entry.draft);
    await clear();
  }
  /**
   * Finishes an outbox document left behind (a retried request that finds its change stored, or
   * the sweep): its entry is appended unless the chain already holds it, then it is removed. One
   * another settler has claimed is waited for until it is gone or the claim lapses (then finished
   * here), and its proof was checked before the claim: the caller may remove the proof once this returns.
   * Nothing to do when there is none: the change's entry was appended and the document cleared.
   * Whether there was one.
   */
  async function settleAudit(orgId: string, key: string, where?: OutboxContainer, complete?: (draft: AuditDraft) => AuditDraft): Promise<boolean> {
    let doc = await store.readAuditOutbox(orgId, key, where);
    const found = doc !== undefined;
    // Another settler's young claim: it is appending now, or it failed; wait until it is done or lapsed.
    while (doc && claimedLately(doc)) {
      await pause(CLAIM_POLL_MS);
      doc = await store.readAuditOutbox(orgId, key, where);
    }
    if (doc) await settle(doc, complete);
    return found;
  }

  const claimedLately = (doc: AuditOutboxDoc) => doc.claimedAt !== undefined && Date.parse(doc.claimedAt) > clock().getTime() - CLAIM_MS;

  /**
   * settleAudit for a document left by another request that may still be running (an
   * Idempotency-Key's retry that took over from its first attempt): settled only once overdue, as
   * the sweep would, since that request appends it itself without asking the chain, and both
   * appending would write the entry twice. A younger one is left to that request or the sweep.
   */
  async function settleOverdueAudit(orgId: string, key: string, where: OutboxContainer, now = new Date()): Promise<boolean> {
    const doc = await store.readAuditOutbox(orgId, key, where);
    if (!doc || Date.parse(doc.createdAt) > now.getTime() - OUTBOX_OVERDUE_MS) return false;
    await settle(doc);
    return true;
  }

  /**
   * `complete`: what the entry says once the change is finished (counts known only at the end); the
   * sweep appends the draft as stored, or as `finish` completes it when that finished the change first.
   */
  /** False when the finisher left it for the next run (NOT_YET). */
  async function settle(doc: AuditOutboxDoc, complete: Completion = (d) => d, finish?: (doc: AuditOutboxDoc) => Promise<Completion | undefined | typeof NOT_YET>): Promise<boolean> {
    // One settler at a time: two that both asked the chain before either appended would both
    // append (two requests finishing one erasure, a retry beside the sweep). A claim is taken over
    // only once it is old, its settler having stopped.
    if (claimedLately(doc)) return true;
    // Left behind before its change was stored (a crash between the two when written one by one):
    // no change, no entry. Asked before the claim, which records the answer: a caller may remove
    // the proof as soon as a claim stands (an LPR alert, once its batch's entries are settled).
    // Only the version read goes: a sweep's copy may be minutes old, and another may have claimed it since (proven).
    if (!doc.proven && !(await store.changeStored(doc))) return (await store.dropAuditOutbox(doc), true);
    // Before the claim, which lapses in seconds: finishing a change may take longer. If it fails, the document stays for the next run.
    const finished = await finish?.(doc);
    if (finished === NOT_YET) return false;
    if (!(await store.claimAuditOutbox(doc, clock()))) return true;
    const chain = chainOf(doc.orgId, doc);
    if (!(await store.chainHolds(chain, doc.draft))) await store.appendAudit(chain, (finished ?? complete)(doc.draft));
    await store.clearAuditOutbox(doc.orgId, doc);
    return true;
  }

  /**
   * Settles up to PER_RUN outbox documents per container left behind before `now − OUTBOX_OVERDUE_MS`,
   * of any organisation or of `orgId`. One that keeps failing does not hold up the rest: each is
   * tried, and the run then fails naming how many could not be settled (they stay for the next run);
   * after FAILURES_IN_A_ROW failures one after another the store itself is failing, and the run stops.
   * `finish`: finishes, before its entry is appended, a change its request left part-done (a
   * deletion). Its failures are that document's own (a purge that keeps failing), so they do not
   * stop the run: the documents after it, which the same query answers first again next time, are
   * still settled.
   */
  async function drainAuditOutbox(now = new Date(), orgId?: string, finish?: FinishChange): Promise<{ settled: number; more: boolean }> {
    const overdue = await store.overdueAuditOutbox(new Date(now.getTime() - OUTBOX_OVERDUE_MS), PER_RUN, orgId);
    const failures: unknown[] = [];
    let waiting = 0;
    let inARow = 0;
    for (const doc of overdue) {
      // A store that fails every time is having a bad moment, not a bad document: leave the rest to the next run.
      if (inARow >= FAILURES_IN_A_ROW) break;
      let finishFailed = false;
      const finishing = finish && ((d: AuditOutboxDoc) => finish(d, now).catch((error: unknown) => ((finishFailed = true), Promise.reject(error))));
      try {
        if (!(await settle(doc, undefined, finishing))) waiting++;
        inARow = 0;
      } catch (error) {
        failures.push(error);
        if (!finishFailed) inARow++;
      }
    }
    if (failures.length > 0) {
      const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
      const stopped = inARow >= FAILURES_IN_A_ROW ? `, stopped after ${FAILURES_IN_A_ROW} in a row` : '';
      throw new Error(`${failures.length} of ${overdue.length} audit outbox documents could not be settled${stopped} (the next run tries again): ${first}`, { cause: failures[0] });
    }
    // More may be waiting where a container answered all it was asked for.
    const perContainer = new Map<string | undefined, number>();
    for (const doc of overdue) perContainer.set(doc.where, (perContainer.get(doc.where) ?? 0) + 1);
    // Those left for the next run by their finisher (NOT_YET) are not counted as settled.
    return { settled: overdue.length - waiting, more: [...perContainer.values()].some((n) => n >= PER_RUN) };
  }

  return { settleFreshAudit, settleAudit, settleOverdueAudit, drainAuditOutbox };
}

export const { settleFreshAudit, settleAudit, settleOverdueAudit, drainAuditOutbox } = auditOutbox(cosmosRecords);
