import { compareFacts, type CompareContext, type Comparison } from './compare';
import type { PersonFacts } from './facts';
import { PRIOR_MODEL, scoreComparison, type MatchModel, type PairScore } from './model';

export type { PairScore } from './model';
export { consistentCandidates, consistentWithNeighbours, keyFrequency, peopleFrequency, rankCandidates } from './candidates';
export { MAX_KEY_MEMBERS } from './keys';
export { SUGGEST_PROBABILITY } from './model';

export interface ScoreContext extends CompareContext {
  /** The retailer's model (the prior until one is estimated). */
  model?: MatchModel;
  /** The retailer's indexed people: the prior share of matches λ depends on it. */
  people?: number;
  /** A lookup (who is this plate, this name), not two reports of people: a crew's car finds every one of the crew. */
  lookup?: boolean;
}

/**
 * One pair of people, scored: the comparison vector (kept with a suggestion, so a decision can
 * teach the model), the weight of each signal under the retailer's model, the sum in bits and the
 * calibrated probability that the two are one person.
 */
export function scorePair(a: PersonFacts, b: PersonFacts, ctx: ScoreContext): PairScore & { comparison: Comparison } {
  const c = compareFacts(a, b, { givenNames: ctx.model?.givenNames, ...ctx }, true);
  if (ctx.lookup) delete c.crew;
  const scored = scoreComparison(c, ctx.model ?? PRIOR_MODEL, ctx.people ?? 1000);
  return { ...scored, comparison: { levels: c.levels, tf: c.tf, sameEvent: c.sameEvent, ...(c.reports ? { reports: c.reports } : {}), ...(c.crew ? { crew: c.crew } : {}), ...(c.mirror !== undefined ? { mirror: c.mirror } : {}) } };
}

/**
 * scorePair's probability, each ordered pair of facts scored once: the checks that keep a subject's
 * suggestions consistent ask for the same pairs many times over. `retailerOf` names the retailer
 * of facts it knows: two of different retailers are compared as such (CompareContext.otherRetailer).
 */
export function pairProbability(ctx: ScoreContext, retailerOf: (facts: PersonFacts) => string | undefined = () => undefined): (a: PersonFacts, b: PersonFacts) => number {
  const memo = new Map<PersonFacts, Map<PersonFacts, number>>();
  return (a, b) => {
    let row = memo.get(a);
    if (!row) memo.set(a, (row = new Map()));
    let p = row.get(b);
    if (p === undefined) {
      const [ra, rb] = [retailerOf(a), retailerOf(b)];
      row.set(b, (p = scorePair(a, b, ra !== undefined && rb !== undefined && ra !== rb ? { ...ctx, otherRetailer: true } : ctx).probability));
    }
    return p;
  };
}
