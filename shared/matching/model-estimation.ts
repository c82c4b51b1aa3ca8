import { z } from 'zod';
import { estimateSteps } from '../domain/matching/estimate';
import { runInSlices } from '../batching/in-slices';
import { ESTIMATE_MIN_PEOPLE, modelIsStale, outdatedRules, REMATCH_BAR, REMATCH_MAX_PEOPLE, rematchDue, type MatchModel } from '../domain/matching/model';
import { likelySubjects } from '../domain/matching/rematch';
import type { PersonFacts } from '../domain/matching/facts';
import type { Comparison } from '../domain/matching/compare';
import type { RetailerSettings } from '../domain/retailer-settings';
import { enqueue } from '../adapters/queues';
import { retailerProfiles } from '../events/profile-repository';
import { getSettings, listRetailerIds } from '../orgs/org-repository';
import { decidedComparisons } from './link-repository';
import { matchKeyDocId, population, saturatedWindows } from './matchkey-repository';
import { readModel, writeModel } from './model-repository';
import { REMATCH_QUEUE } from './match-queue-name';

/**
 * Keeping each retailer's model in step with its data: re-estimated from its profiles and its
 * decided suggestions when the matcher sees the population has moved by a quarter (a queue
 * message, one outstanding per retailer from each process), and by a daily timer for
 * every retailer whose population changed at all. The estimation reads the retailer's profiles
 * (one partition, paged), never on the intake path; a retailer of at most REMATCH_MAX_PEOPLE
 * profiles then has the profiles with a likely candidate under the new model matched again, once it
 * has doubled since the last time (rematchDue).
 */
export const MODEL_QUEUE = 'matching-model';
export const ModelMessageSchema = z.object({ retailerId: z.string().min(1) }).strict();

/** At most this many people's facts are held for one estimate (the newest profiles beyond it are left out). */
const MAX_PEOPLE = 200_000;
const REQUEST_INTERVAL_MS = 10 * 60_000;

/** Events never indexed that one profile's re-match asks for at most. */
const UNINDEXED_PER_PROFILE = 3;

/** Events per re-match message, as the matcher's group messages carry them. */
const REMATCH_PER_MESSAGE = 100;

/** What keeping a retailer's model in step reads, writes and sends: the repositories and queues in the app, in-memory records in unit tests of this logic. */
export interface ModelEstimationStore {
  /** The retailer's settings (the defaults when it has none). */
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  /** The retailer's newest decided suggestions within its own people: their comparison, and whether they were accepted. */
  decidedComparisons(retailerId: string): Promise<{ comparison: Comparison; match: boolean }[]>;
  /** The retailer's model (the prior before any estimate); `fresh`: not from this process's cache. */
  readModel(retailerId: string, fresh: boolean): Promise<MatchModel>;
  /** Stores the retailer's model. */
  writeModel(retailerId: string, model: MatchModel): Promise<void>;
  /** Each profile of the retailer not being erased, a page at a time: its id, its facts when it is matchable, its newest event, and the events it holds and was never indexed with. */
  retailerProfiles(retailerId: string): AsyncIterable<{ id: string; facts?: PersonFacts; lastEventId?: string; unindexed: string[] }>;
  /** The holders listed on the retailer's saturated keys that keep their newest holders, by key document id. */
  saturatedWindows(retailerId: string): Promise<Map<string, string[]>>;
  /** The retailer's people indexed now (its population document's count). */
  population(retailerId: string): Promise<number>;
  /** Every retailer's id, a page at a time. */
  listRetailerIds(): AsyncIterable<string>;
  /** Puts a message on a queue. */
  enqueue(queueName: string, message: unknown): Promise<void>;
}

const cosmosRecords: ModelEstimationStore = {
  getSettings: (retailerId) => getSettings(retailerId),
  decidedComparisons: (retailerId) => decidedComparisons(retailerId),
  readModel: (retailerId, fresh) => readModel(retailerId, fresh),
  writeModel: (retailerId, model) => writeModel(retailerId, model),
  retailerProfiles: (retailerId) => retailerProfiles(retailerId),
  population: (retailerId) => population(retailerId),
  saturatedWindows: (retailerId) => saturatedWindows(retailerId),
  listRetailerIds: () => listRetailerIds(),
  enqueue: (queueName, message) => enqueue(queueName, message),
};

/** Keeping each retailer's model in step with its data, over a store. */
export function modelEstimation(store: ModelEstimationStore) {
  const requested = new Map<string, { at: number; estimatedAt: string | null }>();
  /** The estimate under way in this process: one at a time, as each holds a retailer's people in memory while it runs in slices. */
  let running: Promise<unknown> = Promise.resolve();

  function reestimateModel(retailerId: string, now = new Date()): Promise<MatchModel> {
    const estimate = running.then(() => reestimateNow(retailerId, now));
    running = estimate.catch(() => undefined);
    return estimate;
  }

  async function reestimateNow(retailerId: string, now: Date): Promise<MatchModel> {
    const [{ settings }, labelled, current] = await Promise.all([store.getSettings(retailerId), store.decidedComparisons(retailerId), store.readModel(retailerId, true)]);
    const profiles: { id: string; facts: PersonFacts; lastEventId?: string }[] = [];
    /**
     * Events profiles hold and were never indexed with (a matching request lost): matched again
     * whatever their profiles' candidates, a few per profile (matching one indexes its profile from
     * all its events; one listed and never written, or being purged, is passed over quickly).
     */
    const unindexed: string[] = [];
    let behindProfiles = 0;
    for await (const { id, facts, lastEventId, unindexed: behind } of store.retailerProfiles(retailerId)) {
      if (facts && profiles.length < MAX_PEOPLE) profiles.push({ id, facts, lastEventId });
      if (behind.length && behindProfiles++ < REMATCH_MAX_PEOPLE) unindexed.push(...behind.slice(-UNINDEXED_PER_PROFILE));
    }
    // Too few people to learn from (a retailer's first days, or one that retention has emptied): the
    // model stands, as the matcher's own check says, but without given names counted from people it no longer holds.
    if (profiles.length < ESTIMATE_MIN_PEOPLE) {
      if (!current.givenNames) return current;
      const { givenNames: _dropped, ...rest } = current;
      await store.writeModel(retailerId, rest);
      return rest;
    }
    // The current model is the starting point (and the prior) of the new estimate.
    // In slices: the process serves requests meanwhile (a few thousand people take seconds of CPU).
    const estimated = await runInSlices(estimateSteps({ profiles, labelled, imageMatching: settings.connectTheDots.imageMatching, now, seed: profiles.length, prior: current }));
    const model: MatchModel = current.rematchedAt === undefined ? estimated : { ...estimated, rematchedAt: current.rematchedAt };
    await store.writeModel(retailerId, model);
    // A small retailer is matched again under what its data now says (REMATCH_MAX_PEOPLE), each time
    // it has doubled (rematchDue): the profiles with a candidate likely under the new model
    // (likelySubjects, scored here from the profiles just read), one event each, since a profile is
    // indexed and scored on the facts of all its events, and the events profiles were never indexed with.
    // The population is recorded only once every request is on the queue, so a failure here is tried
    // again at the next estimate; suggestions are keyed by the pair.
    if (rematchDue(current.rematchedAt, profiles.length)) {
      // Matching across retailers: the partners' candidates are not among these profiles, so every profile.
      // A saturated key's candidates are the holders its document lists (the newest), as the matcher reads them.
      const windows = settings.connectTheDots.crossRetailer ? undefined : await store.saturatedWindows(retailerId);
      const likely = !windows
        ? profiles.map((_, i) => i)
        : await runInSlices(likelySubjects(profiles.map((p) => p.facts), model, { imageMatching: settings.connectTheDots.imageMatching, bar: REMATCH_BAR, ids: profiles.map((p) => p.id), windowOf: (k) => windows.get(matchKeyDocId(k)) }));
      const events = [...new Set([...likely.flatMap((i) => profiles[i]!.lastEventId ?? []), ...unindexed])].map((eventId) => ({ retailerId, eventId }));
      // `rematch`: the events are not news, so no alert goes out for them again.
      for (let i = 0; i < events.length; i += REMATCH_PER_MESSAGE) await store.enqueue(REMATCH_QUEUE, { events: events.slice(i, i + REMATCH_PER_MESSAGE), rematch: true });
      const rematched = { ...model, rematchedAt: profiles.length };
      await store.writeModel(retailerId, rematched);
      return rematched;
    }
    return model;
  }

  /**
   * The matcher's check: asks for a new estimate when the model no longer fits the population. One
   * request at a time per retailer from each process: another once the model it asked about has
   * been replaced (a retailer growing fast is re-estimated at each quarter's growth, as the
   * evaluation assumes), or after REQUEST_INTERVAL_MS if that request was lost.
   */
  async function requestEstimateIfStale(retailerId: string, model: MatchModel, people: number): Promise<void> {
    if (!modelIsStale(model, people)) return;
    const last = requested.get(retailerId);
    const sameModel = last !== undefined && last.estimatedAt === model.estimatedAt;
    if (sameModel && Date.now() - last.at < REQUEST_INTERVAL_MS) return;
    requested.set(retailerId, { at: Date.now(), estimatedAt: model.estimatedAt });
    await store.enqueue(MODEL_QUEUE, { retailerId });
  }

  /**
   * The daily run: every retailer whose indexed population differs from the one its model was
   * estimated from. One retailer's failure does not stop the others: each that failed is asked of
   * the model queue (its own retries, its own poison entry); the run fails only if that too fails.
   */
  async function reestimateChanged(now = new Date()): Promise<{ retailers: number; estimated: number; queued: number; failures: string[] }> {
    let retailers = 0;
    let estimated = 0;
    /** Each retailer that failed, with why (the timer's edge logs the run's outcome). */
    const failed: { retailerId: string; why: string }[] = [];
    /** The listing's own failure part-way: those that failed before it are still queued. */
    let listing: { error: unknown } | undefined;
    try {
      for await (const retailerId of store.listRetailerIds()) {
        retailers++;
        try {
          const [model, people] = await Promise.all([store.readModel(retailerId, true), store.population(retailerId)]);
          // Unchanged, unless learned under rules the estimate no longer follows.
          if (people < 2 || (people === model.people && !outdatedRules(model))) continue;
          // Fewer than 50 people: the prior stands and nothing is estimated.
          if ((await reestimateModel(retailerId, now)).estimatedAt !== model.estimatedAt) estimated++;
        } catch (error) {
          failed.push({ retailerId, why: error instanceof Error ? error.message : String(error) });
        }
      }
    } catch (error) {
      listing = { error };
    }
    const unsent: string[] = [];
    for (const { retailerId } of failed) await store.enqueue(MODEL_QUEUE, { retailerId }).catch(() => unsent.push(retailerId));
    if (unsent.length > 0) throw new Error(`The model of ${unsent.length} retailer(s) could not be estimated nor queued: ${unsent.join(', ')}`);
    if (listing) throw listing.error;
    return { retailers, estimated, queued: failed.length, failures: failed.map((f) => `${f.retailerId}: ${f.why}`) };
  }

  return { reestimateModel, requestEstimateIfStale, reestimateChanged };
}

export const { reestimateModel, requestEstimateIfStale, reestimateChanged } = modelEstimation(cosmosRecords);
