import { LEVELS, SIGNALS, type Comparison, type Explained, type Signal } from './compare';
import type { GivenNameShares } from './given-names';

/**
 * A retailer's Fellegi–Sunter model: per signal and level, m (the chance two reports of one
 * person show that level) and u (the chance two different people do), and the prior share of
 * true matches, kept as matches per person (μ) so that it holds while the population grows:
 * λ = μ / (people − 1) for a pair drawn from `people`. A level's weight is log2(m/u) bits, where
 * a value-dependent level (a name, a DOB) takes the value's own share for u; the probability that
 * a pair is one person is the posterior λ·LR / (λ·LR + 1 − λ).
 *
 * PRIOR_MODEL holds what is assumed before a retailer has data; estimate.ts learns the rest.
 */

export interface LevelParams {
  m: number;
  u: number;
}
export interface MatchModel {
  version: 1;
  source: 'prior' | 'estimated';
  /** Expected true matches per person among the retailer's people: λ·(people − 1). */
  matchesPerPerson: number;
  signals: Record<Signal, Record<string, LevelParams>>;
  estimatedAt: string | null;
  /** People (profiles) the estimate was made from, and the pairs it used. */
  people: number;
  pairs: { candidates: number; random: number; labelled: number };
  iterations: number;
  /** The retailer's common given names and their shares (given-names.ts); absent before an estimate. */
  givenNames?: GivenNameShares;
  /** Profiles the retailer had when it was last matched again in full (rematchDue); absent: never. */
  rematchedAt?: number;
  /** The estimate's rules it was learned under (ESTIMATE_RULES); absent: the first. */
  rules?: number;
}

/**
 * The rules an estimate is learned under (estimate.ts), kept on the model. 2, from December 2026:
 * m only from pairs another signal's keys found, and levels weighing in order, after a model
 * learned under 1 took strangers sharing a common name for one person.
 */
export const ESTIMATE_RULES = 2;

/**
 * A model learned under rules the estimate no longer follows: it is re-estimated (modelIsStale,
 * and the daily run whatever the population), and is not the next estimate's prior (its m are
 * EM's start and pseudo-counts: an inversion would carry on).
 */
export function outdatedRules(model: Pick<MatchModel, 'source' | 'rules'>): boolean {
  return model.source === 'estimated' && model.rules !== ESTIMATE_RULES;
}

/**
 * A suggestion is recorded when the pair is one person with a probability of at least 0.8. Every
 * suggestion an investigator accepts joins two histories, and a chain of likely-but-wrong links
 * joins strangers: at 0.5, one in two suggestions near the bar would be wrong, and on the
 * independent evaluations the joined histories were mostly wrong; at 0.8 they were right at least
 * nine times in ten on all but one (eval/README.md).
 */
export const SUGGEST_PROBABILITY = 0.8;

/**
 * Where, when and what (context, offence) are correlated with each other and with every other
 * offender at the same store: together they may move a pair by at most this many bits either way,
 * whatever the data says about each.
 */
export const CONTEXT_CAP = 2;
export const CONTEXT_SIGNALS: readonly Signal[] = ['context', 'offence'];

/** Households share a surname and often a car or a phone: when given names differ, these cap what a shared car or phone is worth. */
const HOUSEHOLD_CAP: Partial<Record<Signal, number>> = { plate: 1.5, phone: 3 };
/**
 * A car seen with k people at once is a crew's: on its own it tells which crew, and which of them
 * only as one of k. However rare the plate, sharing it lifts a pair's prior odds at most to 1 to
 * k − 1; crews rotate, so k (the most seen together) is a floor of the crew's size. Where the
 * prior odds are already past that (two profiles of many reports each), the car adds nothing, and
 * is not held against them: sharing it is no sign of two people.
 */
function crewCap(crew: number, priorOdds: number): number {
  const cap = -Math.log2(Math.max(1e-300, priorOdds * (crew - 1)));
  return Number.isFinite(cap) ? Math.max(0, cap) : Infinity;
}
/** What one signal may weigh whatever the data says: a relative's car or phone (HOUSEHOLD_CAP), a crew's car (crewCap). In scoring and in EM alike. */
export function cappedWeight(signal: Signal, weight: number, household: boolean, crew: number | undefined, priorOdds: number): number {
  const cap = HOUSEHOLD_CAP[signal];
  if (household && cap !== undefined && weight > cap) weight = cap;
  if (signal === 'plate' && crew !== undefined && crew > 1) weight = Math.min(weight, crewCap(crew, priorOdds));
  return weight;
}
/** Two people of one event are two different people. */
const SAME_EVENT_WEIGHT = -40;
const P_MIN = 1e-6;

const levels = (pairs: Record<string, [number, number]>): Record<string, LevelParams> =>
  Object.fromEntries(Object.entries(pairs).map(([k, [m, u]]) => [k, { m, u }]));

/**
 * Before data: m from how store staff report people (names copied or misheard, DOB often
 * guessed, plates noted for the car they came in), u from how common each level is between
 * strangers; value-dependent levels use the value's share instead of u.
 */
export const PRIOR_MODEL: MatchModel = {
  version: 1,
  source: 'prior',
  matchesPerPerson: 0.5,
  signals: {
    name: levels({
      'full-exact': [0.5, 1e-4],
      'full-fuzzy': [0.2, 1e-4],
      swapped: [0.03, 1e-5],
      'family-only': [0.1, 0.005],
      'given-only': [0.05, 0.01],
      'family-given-differs': [0.03, 0.003],
      'given-family-differs': [0.02, 0.005],
      differ: [0.07, 0.98],
    }),
    dob: levels({ exact: [0.85, 1 / 1500], near: [0.08, 0.003], differ: [0.07, 0.996] }),
    phone: levels({ exact: [0.8, 1e-4], near: [0.03, 1e-4], differ: [0.17, 0.9998] }),
    plate: levels({ exact: [0.55, 6e-4], ocr: [0.1, 6e-4], near: [0.05, 0.002], differ: [0.3, 0.997] }),
    feature: levels({ multi: [0.35, 0.01], one: [0.3, 0.05], generic: [0.15, 0.2], disjoint: [0.2, 0.74] }),
    physique: levels({ close: [0.5, 0.15], compatible: [0.45, 0.6], conflict: [0.05, 0.25] }),
    // Where and what: u among the pairs the matcher compares (who share a name or a car), not strangers.
    context: levels({ 'store-near': [0.3, 0.15], store: [0.3, 0.2], near: [0.15, 0.15], none: [0.25, 0.5] }),
    offence: levels({ products: [0.2, 0.15], type: [0.6, 0.5], none: [0.2, 0.35] }),
    image: levels({ same: [0.5, 0.001], similar: [0.2, 0.01], differ: [0.3, 0.989] }),
  },
  estimatedAt: null,
  people: 0,
  pairs: { candidates: 0, random: 0, labelled: 0 },
  iterations: 0,
};

/**
 * Levels whose u is at least the share carried with them: two reports with one surname and
 * different given names are at best as unusual as the surname is. Learned alone, this level's u
 * came out below a rare full name's where people use aliases (us-pharmacy/organised-groups:
 * "Garcia" with two given names weighed 14 bits).
 */
export const TF_FLOOR_LEVELS: Partial<Record<Signal, readonly string[]>> = { name: ['family-given-differs'] };

/** Levels whose u is the agreeing value's own share (term-frequency adjusted). */
export const TF_LEVELS: Partial<Record<Signal, readonly string[]>> = {
  name: ['full-exact', 'full-fuzzy', 'swapped', 'family-only', 'given-only'],
  dob: ['exact'],
  phone: ['exact'],
  plate: ['exact', 'ocr'],
  feature: ['one'],
};

/**
 * A name given and family the other way round is a clerical slip, as likely between two reports
 * of one person as between two namesakes: strangers show it when they share the name and one
 * report swapped it, or when one of them truly bears the mirrored name ("James Lee" and "Lee
 * James"). So its u is the larger of the name's share times the swap rate (swapped against
 * in-order agreement among matches, learned in m) and the rarer written order's share
 * (Comparison.mirror): a swapped name weighs what the name in order does unless the mirrored name
 * is a real one too. Taking the name's share alone as u, it weighed about four bits less.
 */
export function swappedShare(name: Record<string, LevelParams | undefined>): number {
  const swapped = (name.swapped ?? PRIOR_MODEL.signals.name.swapped!).m;
  const inOrder = (name['full-exact'] ?? PRIOR_MODEL.signals.name['full-exact']!).m;
  return inOrder > 0 ? Math.min(1, swapped / inOrder) : 1;
}

/** u of a swapped name (swappedShare): the name's share times the swap rate, or the mirrored name's own share, the larger. */
export function swappedU(tf: number, mirror: number | undefined, share: number): number {
  return Math.max(tf * share, mirror ?? 0);
}

export interface SignalWeight {
  signal: Signal;
  level: string;
  weight: number;
}

/** The weight of each present signal, in bits, in SIGNALS order, for a pair whose prior share of matches is `lambda`. */
export function weightsOf(c: Comparison, model: MatchModel, lambda: number): SignalWeight[] {
  const out: SignalWeight[] = [];
  const household = c.levels.name === 'family-given-differs';
  for (const s of SIGNALS) {
    const level = c.levels[s];
    if (level === undefined) continue;
    const p = model.signals[s]?.[level] ?? PRIOR_MODEL.signals[s][level];
    if (!p) continue;
    const tf = c.tf[s] !== undefined && s === 'name' && level === 'swapped' ? swappedU(c.tf[s], c.mirror, swappedShare(model.signals.name ?? {})) : c.tf[s];
    const u = Math.max(P_MIN, tf !== undefined && TF_LEVELS[s]?.includes(level) ? tf : tf !== undefined && TF_FLOOR_LEVELS[s]?.includes(level) ? Math.max(tf, p.u) : p.u);
    const weight = cappedWeight(s, Math.log2(Math.max(P_MIN, p.m) / u), household, c.crew, lambda / (1 - lambda));
    out.push({ signal: s, level, weight });
  }
  const context = out.filter((w) => CONTEXT_SIGNALS.includes(w.signal));
  const total = context.reduce((t, w) => t + w.weight, 0);
  if (Math.abs(total) > CONTEXT_CAP) for (const w of context) w.weight *= CONTEXT_CAP / Math.abs(total);
  return out;
}

/**
 * λ for a pair among `people` profiles: matches per report over the others (times the reports
 * behind the pair: a profile of five merged reports is five chances to be this person), with a thousand people
 * added, so that a retailer's first few reports are not each taken to have good odds of being the
 * same person (two John Smiths among a new retailer's first three reports are two John Smiths).
 * An estimate states its matches per person against the same denominator, so for a retailer
 * with a model of its own this changes nothing.
 */
export const PRIOR_POPULATION = 1000;
export function priorMatchShare(model: MatchModel, people: number, reports = 1): number {
  return Math.min(0.5, (Math.max(MATCHES_PER_PERSON_FLOOR, model.matchesPerPerson) * Math.max(1, reports)) / (Math.max(1, people) - 1 + PRIOR_POPULATION));
}

/**
 * The least share of matches a model states: a tenth of the prior's. A retailer whose first
 * reports are all different people would otherwise learn that nobody ever returns, and EM cannot
 * leave a share of zero (every pair's chance is then zero): 62 distinct people, then one person
 * twice with the same name, DOB and phone, had no suggestion (a share of 2e-19). Estimates stop
 * here (estimate.ts), and a model stored before the floor is read with it.
 */
export const MATCHES_PER_PERSON_FLOOR = PRIOR_MODEL.matchesPerPerson / 10;

/** The posterior from a score in bits and the prior share λ. */
export function posterior(bits: number, lambda: number): number {
  if (bits === -Infinity) return 0;
  const odds = (lambda / (1 - lambda)) * 2 ** bits;
  return odds === Infinity ? 1 : odds / (1 + odds);
}

export interface Reason {
  /** name | dob | phone | plate | feature | physique | context | offence | image | event */
  signal: string;
  detail: string;
  weight: number;
}
export interface PairScore {
  /** Sum of the weights, in bits (log2 of the likelihood ratio). */
  score: number;
  /** Calibrated chance that the two are one person. */
  probability: number;
  reasons: Reason[];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Score, probability and reasons of an explained comparison under a model, for a retailer of `people`. */
export function scoreComparison(c: Explained, model: MatchModel, people: number): PairScore {
  const lambda = priorMatchShare(model, people, c.reports);
  const reasons: Reason[] = weightsOf(c, model, lambda).map((w) => ({ signal: w.signal, detail: `${c.details[w.signal] ?? w.level} (${w.level})`, weight: round2(w.weight) }));
  if (c.sameEvent) reasons.unshift({ signal: 'event', detail: 'both are people of the same event, so two different people', weight: SAME_EVENT_WEIGHT });
  const bits = reasons.reduce((s, r) => s + r.weight, 0);
  const probability = c.sameEvent ? 0 : posterior(bits, lambda);
  return { score: round2(bits), probability: Math.round(probability * 10_000) / 10_000, reasons };
}

/** Fills levels a stored model lacks (a level added later) from the prior. */
export function completeModel(model: MatchModel): MatchModel {
  const signals = {} as MatchModel['signals'];
  for (const s of SIGNALS) {
    signals[s] = {};
    for (const l of LEVELS[s]) signals[s][l] = model.signals?.[s]?.[l] ?? PRIOR_MODEL.signals[s][l]!;
  }
  return { ...model, signals };
}

/** Re-estimate once the population has grown or shrunk by a quarter since the last estimate, from 50 people on. */
export const ESTIMATE_GROWTH = 1.25;
export const ESTIMATE_MIN_PEOPLE = 50;

/**
 * A retailer of at most this many profiles is matched again after an estimate (when rematchDue
 * says so; the profiles likelySubjects picks): its early reports were scored under the prior or a model of a few
 * dozen people, and pairs that looked weak then may be likely under what its data now says. Above
 * this size a model moves little between estimates and new reports are scored under one that
 * already fits.
 */
export const REMATCH_MAX_PEOPLE = 5_000;

/**
 * A re-match follows an estimate only once the population has doubled since the last one:
 * the work over a retailer's growth is then at most twice its final population (a halving series)
 * instead of about five times (one at each quarter's growth). Measured on the evaluation's twelve
 * quick regimes against a re-match at every estimate: re-match work 2–8 times smaller, precision
 * higher in nine (us sparse 0.694 → 0.805), F1 within 0.03 (eval/README.md). Suggestions are
 * never withdrawn, so each re-match under a still-moving model was also one more chance to make a
 * wrong one.
 */
export const REMATCH_GROWTH = 2;

/**
 * A re-match asks the matcher again only of the profiles with a candidate at least this likely under
 * the new model (likelySubjects): below the suggestion threshold, as the matcher's own counts (key
 * documents, the population document) differ a little from those the estimation counts from its profiles.
 */
export const REMATCH_BAR = SUGGEST_PROBABILITY / 2;

/** Whether a retailer of `people` profiles, just estimated, is matched again, given the population at its last re-match. */
export function rematchDue(rematchedAt: number | undefined, people: number, maxPeople = REMATCH_MAX_PEOPLE): boolean {
  // Halved (retention, erasure) counts as doubled: its model has moved as much.
  const since = rematchedAt ?? 0;
  return people <= maxPeople && (people >= since * REMATCH_GROWTH || people * REMATCH_GROWTH <= since);
}

/** Whether a retailer of `people` has outgrown its model (the matcher asks; the estimation job answers). */
export function modelIsStale(model: MatchModel, people: number): boolean {
  if (people < ESTIMATE_MIN_PEOPLE) return false;
  if (model.source === 'prior' || outdatedRules(model)) return true;
  return people >= model.people * ESTIMATE_GROWTH || people * ESTIMATE_GROWTH <= model.people;
}

/** Each signal's weight in bits (two people of one event: certainly apart) and λ: what peopleFrequency weighs holders with. */
export function signalWeights(c: Comparison, model: MatchModel, people: number): { weights: Record<string, number>; lambda: number } {
  const weights: Record<string, number> = {};
  const lambda = priorMatchShare(model, people, c.reports);
  for (const w of weightsOf(c, model, lambda)) weights[w.signal] = w.weight;
  if (c.sameEvent) weights.event = SAME_EVENT_WEIGHT;
  return { weights, lambda };
}
