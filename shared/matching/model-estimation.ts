import { z } from 'zod';
import { estimateModel } from '../domain/matching/estimate';
import { modelIsStale, type MatchModel } from '../domain/matching/model';
import type { PersonFacts } from '../domain/matching/facts';
import { enqueue } from '../adapters/queues';
import { matchableFacts } from '../events/profile-repository';
import { getSettings, listRetailerIds } from '../orgs/org-repository';
import { decidedComparisons } from './link-repository';
import { population } from './matchkey-repository';
import { readModel, writeModel } from './model-repository';

/**
 * Keeping each retailer's model in step with its data: re-estimated from its profiles and its
 * decided suggestions when the matcher sees the population has moved by a quarter (a queue
 * message, at most one per retailer per ten minutes from each process), and by a daily timer for
 * every retailer whose population changed at all. The estimation reads the retailer's profiles
 * (one partition, paged), never on the intake path.
 */
export const MODEL_QUEUE = 'matching-model';
export const ModelMessageSchema = z.object({ retailerId: z.string().min(1) }).strict();

/** At most this many people's facts are held for one estimate (the newest profiles beyond it are left out). */
const MAX_PEOPLE = 200_000;
const REQUEST_INTERVAL_MS = 10 * 60_000;
const requested = new Map<string, number>();

export async function reestimateModel(retailerId: string, now = new Date()): Promise<MatchModel> {
  const [{ settings }, labelled, current] = await Promise.all([getSettings(retailerId), decidedComparisons(retailerId), readModel(retailerId, true)]);
  const profiles: { facts: PersonFacts }[] = [];
  for await (const facts of matchableFacts(retailerId)) {
    profiles.push({ facts });
    if (profiles.length >= MAX_PEOPLE) break;
  }
  // The current model is the starting point (and the prior) of the new estimate.
  const model = estimateModel({ profiles, labelled, imageMatching: settings.connectTheDots.imageMatching, now, seed: profiles.length, prior: current });
  await writeModel(retailerId, model);
  return model;
}

/** The matcher's check: asks for a new estimate when the model no longer fits the population. */
export async function requestEstimateIfStale(retailerId: string, model: MatchModel, people: number): Promise<void> {
  if (!modelIsStale(model, people)) return;
  const last = requested.get(retailerId) ?? 0;
  if (Date.now() - last < REQUEST_INTERVAL_MS) return;
  requested.set(retailerId, Date.now());
  await enqueue(MODEL_QUEUE, { retailerId });
}

/** The daily run: every retailer whose indexed population differs from the one its model was estimated from. */
export async function reestimateChanged(now = new Date()): Promise<{ retailers: number; estimated: number }> {
  let retailers = 0;
  let estimated = 0;
  for await (const retailerId of listRetailerIds()) {
    retailers++;
    const [model, people] = await Promise.all([readModel(retailerId, true), population(retailerId)]);
    if (people < 2 || people === model.people) continue;
    await reestimateModel(retailerId, now);
    estimated++;
  }
  return { retailers, estimated };
}
