import { AppError, NotFoundError } from '../domain/errors';
import type { AuditDraft } from '../domain/audit-chain';
import type { ErasureResult, ErasureStep } from '../domain/privacy/erasure';
import { auditDraftFor, auditFor, authorizeAudited, sweepCaller, type Caller } from '../audit/audited-authorize';
import { settleAudit } from '../audit/audit-outbox';
import { findProfileAnywhere, readProfile, type ProfileDoc } from '../events/profile-repository';
import { readAuditOutbox, type OutboxEntry } from '../audit/audit-outbox-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { exclusively } from '../matching/profile-leases';
import { splitsUnderWay } from '../matching/merge-record-repository';
import { splitUnfinished, type SplitUnderWay } from '../domain/matching/split-unfinished';
import { crashAfter, deleteProfile, heldEvents, legalHoldError, markErasing, removeFromEvents, removeKeys, removeLinks } from './erase-profile';

export interface EraseOptions {
  now?: Date;
  /** Test hook: stop as a crash would, right after this step. */
  failAfter?: ErasureStep;
  /** Resumed by the audit outbox sweep: its refusals are not audited (it tries every minute), and its entry says the sweep finished it. */
  bySweep?: boolean;
}

type Details = Record<string, string | number | boolean | string[]>;

/** What an erasure reads and writes: the steps of erase-profile.ts in the app, in-memory records in unit tests of its order. */
export interface ErasureStore {
  /** Refuses (audited) a caller who may not erase. */
  authorize(caller: Caller, id: string): Promise<void>;
  /** The profile, even while it is being erased (every other read treats it as gone). */
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** The retailer holding a profile of this id, if another holds one (a query, on the path of a 404 only). */
  ownerElsewhere(id: string): Promise<string | undefined>;
  /** Events of the profile under legal hold that still hold the person. */
  heldEvents(retailerId: string, profile: ProfileDoc): Promise<string[]>;
  /** Step 1, with the erasure's audit entry in the outbox; returns the profile as marked (a re-run: as it was marked first). */
  markErasing(profile: ProfileDoc, by: string, now: Date, entry: Omit<OutboxEntry, 'where'>): Promise<ProfileDoc>;
  removeFromEvents(profile: ProfileDoc, by: string, now: Date): Promise<number>;
  removeKeys(profile: ProfileDoc): Promise<number>;
  removeLinks(profile: ProfileDoc): Promise<number>;
  /** Appends the entry left in the outbox by step 1, completed with what was done; whether one was there. */
  settleAudit(retailerId: string, key: string, complete: (draft: AuditDraft) => AuditDraft): Promise<boolean>;
  /** Whether the entry of this key is still in the outbox, waiting to be appended. */
  auditWaiting(retailerId: string, key: string): Promise<boolean>;
  deleteProfile(profile: ProfileDoc): Promise<void>;
  /** An entry of its own (a refusal) in the retailer's chain. */
  audit(caller: Caller, retailerId: string, id: string, outcome: 'success' | 'denied', details: Details): Promise<void>;
  /** The suggestions whose merge of one of these profiles has a split started and not finished. */
  splitsUnderWay(retailerId: string, profileIds: readonly string[]): Promise<SplitUnderWay[]>;
  /** Runs `work` while no merge, split or other erasure changes the profile (409 PROFILE_BUSY otherwise). */
  exclusively<T>(retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>): Promise<T>;
}

const cosmosRecords: ErasureStore = {
  authorize: async (caller, id) => authorizeAudited(caller, 'profile.erase', await callerOrgType(caller), { type: 'profile', id }),
  readProfile: (retailerId, id) => readProfile(retailerId, id, true),
  ownerElsewhere: async (id) => (await findProfileAnywhere(id))?.orgId,
  heldEvents,
  markErasing,
  removeFromEvents,
  removeKeys,
  removeLinks,
  settleAudit: (retailerId, key, complete) => settleAudit(retailerId, key, undefined, complete),
  auditWaiting: async (retailerId, key) => (await readAuditOutbox(retailerId, key)) !== undefined,
  deleteProfile,
  audit: async (caller, retailerId, id, outcome, details) => void (await auditFor(caller, retailerId, { action: 'profile.erase', target: { type: 'profile', id }, outcome, details })),
  splitsUnderWay,
  exclusively,
};

/** Erasing a person from a retailer (PRODUCT §9), over a store. */
export function erasureUseCases(store: ErasureStore) {
  /**
   * DELETE /profiles/{id}: erases a person from the retailer. Refused as a whole (409 LEGAL_HOLD,
   * nothing changed) while any event holding the person is under legal hold. Crash-safe by order:
   *   1. the profile is marked `erasing`: every read but this one treats it as gone (GET, search,
   *      subject access, new events naming it, the matcher, merges);
   *   2. the person leaves each event (replaced over the ETag read, retried on a conflict), and the
   *      stored idempotent responses of those events;
   *   3. its Connect the Dots keys go, then its facts;
   *   4. its suggestions and links go, here and in partners' partitions, and the LPR alerts naming it;
   *   5. the profile document, then the audit entry last.
   * A run that stops part-way leaves the profile marked, so it stays invisible, and DELETE again
   * finishes the job (each step is idempotent), as does the audit outbox sweep once the erasure's
   * entry is overdue (finishStoppedErasure); once the document is gone the answer is 404.
   */
  async function eraseProfile(caller: Caller, id: string, options: EraseOptions = {}): Promise<ErasureResult> {
    const now = options.now ?? new Date();
    const retailerId = caller.principal.orgId;
    try {
      await store.authorize(caller, id);
    } catch (error) {
      // Refused on a profile that is not the caller's retailer's: 404, as if it did not exist.
      if (!retailerId || !(await store.readProfile(retailerId, id))) throw new NotFoundError();
      throw error;
    }
    // Not while a merge or a split moves the person's events (two erasures of one person are one: the same holder).
    return store.exclusively(retailerId!, [id], `erase:${id}`, () => eraseHeld(caller, retailerId!, id, now, options));
  }

  async function eraseHeld(caller: Caller, retailerId: string, id: string, now: Date, options: EraseOptions): Promise<ErasureResult> {
    const target = { type: 'profile', id };
    const found = await store.readProfile(retailerId, id);
    if (!found) {
      // Another retailer's person: a refused attempt, in that retailer's chain (the caller learns nothing).
      const owner = await store.ownerElsewhere(id);
      if (owner && owner !== retailerId) await store.audit(caller, owner, id, 'denied', { code: 'NOT_VISIBLE' });
      throw new NotFoundError();
    }
    const held = await store.heldEvents(retailerId, found);
    if (held.length) {
      if (!options.bySweep) await store.audit(caller, retailerId, id, 'denied', { code: 'LEGAL_HOLD', eventIds: held.slice(0, 100) });
      throw legalHoldError(held);
    }
    // A split that stopped part-way (its lease lapsed) is finished first: an erasure started under it
    // would have the split move the person's reports, or bring the profile back, after it. (One
    // already marked goes on: a resumed split refuses while either side is being erased.)
    const unfinished = found.erasing ? [] : await store.splitsUnderWay(retailerId, [id]);
    if (unfinished.length) throw splitUnfinished(unfinished, 'erase');
    const by = caller.principal.sub;
    // One erasure per profile: its entry rides with the mark that starts it, and is appended, with what was done, by the run that finishes.
    const key = `profile.erase@${id}`;
    // Resumed after its entry went in already (the sweep gave up on it): what this run removes gets an entry of its own.
    // (Asked before any work, so two runs of one erasure at once, its entry still waiting, append it once between them.)
    const entryGone = found.erasing !== undefined && !(await store.auditWaiting(retailerId, key));
    const entry = { key, draft: auditDraftFor(caller, { action: 'profile.erase', target, outcome: 'success', details: { eventIds: found.eventIds.slice(0, 100) } }) };
    const profile = await store.markErasing(found, by, now, entry);
    crashAfter('marked', options.failAfter);
    let eventsUpdated: number;
    try {
      eventsUpdated = await store.removeFromEvents(profile, by, now);
    } catch (error) {
      if (error instanceof AppError && error.code === 'LEGAL_HOLD' && !options.bySweep) await store.audit(caller, retailerId, id, 'denied', { code: 'LEGAL_HOLD' });
      throw error;
    }
    crashAfter('events', options.failAfter);
    const keysRemoved = await store.removeKeys(profile);
    crashAfter('keys', options.failAfter);
    const linksRemoved = await store.removeLinks(profile);
    crashAfter('links', options.failAfter);
    const result: ErasureResult = { profileId: id, eventsUpdated, keysRemoved, linksRemoved, erasedAt: now.toISOString() };
    const done = { eventsUpdated, keysRemoved, linksRemoved, resumed: profile.erasing?.at !== now.toISOString(), eventIds: profile.eventIds.slice(0, 100), ...(options.bySweep ? { finishedBySweep: true } : {}) };
    // The profile document before the entry: a run stopped between the two leaves the entry in the
    // outbox, which the sweep appends (as written: what was done is lost), rather than a marked
    // profile with no entry left to lead anything back to it.
    await store.deleteProfile(profile);
    crashAfter('deleted', options.failAfter);
    const settled = await store.settleAudit(retailerId, key, (draft) => ({ ...draft, details: done }));
    if (!settled && entryGone && eventsUpdated + keysRemoved + linksRemoved > 0) await store.audit(caller, retailerId, id, 'success', done);
    return result;
  }

  /**
   * An erasure its request left part-way (the audit outbox sweep, once the erasure's entry is
   * overdue, so no request is still at it): resumed as DELETE asked again would, under the same
   * lease, in the name of who asked for it. Otherwise the person stayed in the events, the profile
   * invisible, until someone asked again, and the sweep appended the entry as if it were done.
   * Its entry is appended here with what was done; false when the profile is not marked (never
   * marked, or erased already). A hold placed since it was marked stops it again (409 LEGAL_HOLD,
   * not audited here: the sweep tries every minute).
   */
  async function finishStoppedErasure(retailerId: string, id: string, now: Date): Promise<boolean> {
    const found = await store.readProfile(retailerId, id);
    if (!found?.erasing) return false;
    const caller = sweepCaller(found.erasing.by, retailerId, `profile.erase@${id}`);
    try {
      await store.exclusively(retailerId, [id], `erase:${id}`, () => eraseHeld(caller, retailerId, id, now, { bySweep: true }));
    } catch (error) {
      // Finished by a DELETE asked again meanwhile.
      if (error instanceof NotFoundError) return false;
      throw error;
    }
    return true;
  }

  return { eraseProfile, finishStoppedErasure };
}

export const { eraseProfile, finishStoppedErasure } = erasureUseCases(cosmosRecords);
