import { completeModel, PRIOR_MODEL, type MatchModel } from '../domain/matching/model';
import { container, placed, readIfExists, withoutSystemProperties } from '../adapters/cosmos-containers';

/**
 * A retailer's Connect the Dots model: one document ("matching-model") in the match-key container,
 * beside the key documents and the population count whose frequencies it works with. The matcher
 * reads it once a minute per process at most; a retailer without one uses the prior.
 */
export const MODEL_ID = 'matching-model';
const CACHE_MS = 60_000;

type ModelDoc = MatchModel & { id: string; orgId: string; docType: 'matching-model' };

const cache = new Map<string, { model: MatchModel; at: number }>();

export async function readModel(retailerId: string, fresh = false): Promise<MatchModel> {
  const hit = cache.get(retailerId);
  if (!fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.model;
  const doc = await readIfExists<ModelDoc>('matchkeys', retailerId, MODEL_ID);
  const model = doc?.docType === 'matching-model' ? completeModel(modelOf(doc)) : PRIOR_MODEL;
  if (cache.size > 10_000) cache.clear();
  cache.set(retailerId, { model, at: Date.now() });
  return model;
}

export async function writeModel(retailerId: string, model: MatchModel): Promise<void> {
  await container('matchkeys').items.upsert(placed('matchkeys', { ...model, id: MODEL_ID, orgId: retailerId, docType: 'matching-model' }));
  cache.set(retailerId, { model, at: Date.now() });
}

function modelOf(doc: ModelDoc): MatchModel {
  const { id: _i, orgId: _o, docType: _d, shard: _s, ...model } = withoutSystemProperties(doc as ModelDoc & { shard?: string });
  return model;
}
