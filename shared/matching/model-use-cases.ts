import { z } from 'zod';
import { LEVELS, SIGNALS } from '../domain/matching/compare';
import { priorMatchShare, SUGGEST_PROBABILITY as SUGGEST_AT, TF_FLOOR_LEVELS, TF_LEVELS, type MatchModel } from '../domain/matching/model';
import { auditFor, authorizeAudited, type AuditOf, type Caller } from '../audit/audited-authorize';
import { callerOrgType } from '../orgs/org-use-cases';
import { population } from './matchkey-repository';
import { readModel } from './model-repository';

const LevelViewSchema = z.object({
  level: z.string(),
  m: z.number().describe('Chance that two reports of one person show this level'),
  u: z.number().describe('Chance that two different people do, from random pairs of the retailer\'s people (value-dependent levels use the agreeing value\'s own share instead when scoring)'),
  weight: z.number().describe('log2(m/u), in bits'),
  valueDependent: z.boolean(),
});

export const MatchingModelViewSchema = z.object({
  source: z.enum(['prior', 'estimated']).describe('prior: assumed, too little data yet; estimated: learned from this retailer\'s people and decisions'),
  estimatedAt: z.string().nullable(),
  people: z.number().int().describe('People (profiles) the estimate was made from'),
  currentPeople: z.number().int().describe('People indexed now'),
  matchesPerPerson: z.number().describe('Expected true matches per person: λ, the prior share of matches of a pair, is this over (people − 1 + 1,000)'),
  priorMatchShare: z.number().describe('λ for a pair of the current people'),
  pairs: z.object({ candidates: z.number().int(), random: z.number().int(), labelled: z.number().int() }).describe('Compared pairs, random pairs and decided suggestions the estimate used'),
  iterations: z.number().int(),
  suggestAt: z.number().describe('Probability at or above which a pair becomes a suggestion'),
  signals: z.array(z.object({ signal: z.string(), levels: z.array(LevelViewSchema) })),
}).meta({ id: 'MatchingModel' });

/** What the model view reads: the repositories in the app, a model in memory in unit tests of this logic. */
export interface ModelStore {
  /** Refuses (audited) a caller who may not read the retailer's model. */
  authorize(caller: Caller): Promise<void>;
  /** The retailer's model as last estimated (the prior, marked so, before any estimate), read fresh. */
  readModel(retailerId: string): Promise<MatchModel>;
  /** The retailer's people indexed now. */
  population(retailerId: string): Promise<number>;
  /** The read, in the retailer's chain. */
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: ModelStore = {
  authorize: async (caller) => authorizeAudited(caller, 'matching-model.read', await callerOrgType(caller), { type: 'matching-model', id: 'current' }),
  readModel: (retailerId) => readModel(retailerId, true),
  population,
  audit: auditFor,
};

/** The retailer's current model as its Investigators see it: per signal and level, m, u and the weight. */
export function modelUseCases(store: ModelStore) {
  return async function getMatchingModel(caller: Caller): Promise<z.infer<typeof MatchingModelViewSchema>> {
    await store.authorize(caller);
    const retailerId = caller.principal.orgId!;
    const [model, people] = await Promise.all([store.readModel(retailerId), store.population(retailerId)]);
    await store.audit(caller, retailerId, { action: 'matching-model.read', target: { type: 'matching-model', id: 'current' }, details: { source: model.source } });
    const r4 = (x: number) => Number(x.toPrecision(4));
    return {
      source: model.source,
      estimatedAt: model.estimatedAt,
      people: model.people,
      currentPeople: people,
      matchesPerPerson: r4(model.matchesPerPerson),
      priorMatchShare: Number(priorMatchShare(model, people).toPrecision(4)),
      pairs: model.pairs,
      iterations: model.iterations,
      suggestAt: SUGGEST_AT,
      signals: SIGNALS.map((s) => ({
        signal: s,
        levels: (LEVELS[s] as readonly string[]).map((level) => {
          const p = model.signals[s][level]!;
          // A level whose u is at least its value's share (one surname, two given names) depends on the value too.
          const valueDependent = (TF_LEVELS[s]?.includes(level) || TF_FLOOR_LEVELS[s]?.includes(level)) ?? false;
          return {
            level,
            m: r4(p.m),
            u: r4(p.u),
            weight: Math.round(Math.log2(Math.max(1e-6, p.m) / Math.max(1e-6, p.u)) * 100) / 100,
            valueDependent,
          };
        }),
      })),
    };
  };
}

export const getMatchingModel = modelUseCases(cosmosRecords);
