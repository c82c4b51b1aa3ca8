import { compareFacts, LEVELS, SIGNALS, type Comparison, type Signal } from './compare';
import type { PersonFacts } from './facts';
import { givenNameShares } from './given-names';
import { candidateHolders, KEY_KIND_SIGNALS, keyIndex, keyKind } from './keys';
import { cappedWeight, completeModel, CONTEXT_CAP, CONTEXT_SIGNALS, ESTIMATE_RULES, outdatedRules, PRIOR_MODEL, PRIOR_POPULATION, priorMatchShare, signalWeights, swappedShare, swappedU, MATCHES_PER_PERSON_FLOOR, TF_FLOOR_LEVELS, TF_LEVELS, type MatchModel } from './model';
import { holderScores, keyFrequency, MAX_CANDIDATES, peopleFrequency, rankCandidates } from './candidates';
import { mulberry32 } from './random';

/**
 * Learning a retailer's model from its own people, as Splink and fastLink do:
 * - u from random pairs of the retailer's people (almost all of them two different people);
 * - m and the share of true matches by expectation–maximisation over the pairs blocking finds
 *   (the same candidate look-up the matcher makes), each pair's chance of being one person
 *   computed with the model of the previous round;
 * - value-dependent levels (a name, a DOB) take the value's share among the retailer's people
 *   as u, as in the matcher;
 * - accepted and rejected suggestions enter as pairs whose answer is known;
 * - the prior model acts as pseudo-counts, so a retailer with little data stays near it.
 * Pure and deterministic for a seed: the caller reads the profiles and stores the result.
 */

export interface EstimateInput {
  profiles: readonly { facts: PersonFacts }[];
  /** Decided suggestions: their comparison, and whether a human said they are one person. */
  labelled?: readonly { comparison: Comparison; match: boolean }[];
  imageMatching?: boolean;
  seed?: number;
  /** People whose candidates are compared (a sample above this; the share of matches is per person): ESTIMATE_SUBJECTS unless given. */
  maxSubjects?: number;
  randomPairs?: number;
  now?: Date;
  prior?: MatchModel;
}

/**
 * People whose candidates EM learns from: a sample past this many. A retailer estimated at each
 * quarter's growth paid about five subjects' work per new person at every size up to the sample
 * (the estimate was the largest piece of the host's CPU under intake with the matcher, issue 28);
 * past it, a share of that. Against 5,000: eval/README.md.
 */
export const ESTIMATE_SUBJECTS = 1000;

/** Pseudo-counts of the prior: the weight, in pairs, of what is assumed before data. */
const M_PSEUDO = 20;
const U_PSEUDO = 50;
const MAX_ITERATIONS = 200;
const TOLERANCE = 1e-5;

/** A comparison packed for the iterations: per signal the level's index, -1 when absent; the term frequency or NaN. */
interface Packed {
  level: Int8Array;
  tf: Float64Array;
  /** Reports behind the pair (merged profiles hold several). */
  reports: number;
  /** People seen at once with the shared plate (1: none, or alone). */
  crew: number;
  /** A swapped name's mirrored share (Comparison.mirror), 0 when none. */
  mirror: number;
  /** Signals whose m the pair does not teach (untaught: a bit per SIGNALS index; 0 for a random or decided pair). */
  untaught: number;
}

const levelIndex = SIGNALS.map((s) => new Map<string, number>((LEVELS[s] as readonly string[]).map((l, i) => [l, i])));
const tfLevel = SIGNALS.map((s) => (LEVELS[s] as readonly string[]).map((l) => TF_LEVELS[s]?.includes(l) ?? false));
const tfFloorLevel = SIGNALS.map((s) => (LEVELS[s] as readonly string[]).map((l) => TF_FLOOR_LEVELS[s]?.includes(l) ?? false));
const NAME = SIGNALS.indexOf('name');
const HOUSEHOLD_LEVEL = (LEVELS.name as readonly string[]).indexOf('family-given-differs');
const SWAPPED_LEVEL = (LEVELS.name as readonly string[]).indexOf('swapped');
/**
 * Signals that find no candidates (where and when, what was taken, what the person looked like)
 * are not independent of the ones that do among strangers who share a surname or a car: relatives
 * and accomplices shop at the same store. Their u is learned by EM among the candidate pairs
 * (the pairs the matcher scores), not from random pairs, so that correlation is not counted as
 * evidence.
 */
const U_FROM_CANDIDATES = new Set(['physique', 'context', 'offence'].map((s) => SIGNALS.indexOf(s as (typeof SIGNALS)[number])));
const CONTEXT = new Set(CONTEXT_SIGNALS.map((s) => SIGNALS.indexOf(s)));

const NS = SIGNALS.length;
/**
 * One comparison as the iterations read it, written in place: per signal the level's index (-1
 * absent) and its term frequency (NaN when the level takes none), then reports, crew, mirror and
 * the signals whose m it does not teach.
 * Read as 16-bit units, the same bytes are the comparison's pattern key: comparisons that are
 * alike bit for bit are one pattern, and only a new pattern is copied out (most pairs repeat one).
 * Every value is written in one form (-0 as 0, any NaN as the one NaN), so that the bytes are
 * alike exactly where the numbers are. Nothing may run between `fill` and the reads of what it
 * wrote (`packed`, the key): the estimate yields only between pairs, never inside them.
 */
const scratch = new Float64Array(2 * NS + 4);
const scratchUnits = new Uint16Array(scratch.buffer);
const canonical = (x: number) => (Number.isNaN(x) ? NaN : x + 0);

function fill(c: Comparison, untaught = 0): void {
  for (let i = 0; i < NS; i++) {
    const s = SIGNALS[i]!;
    const l = c.levels[s];
    const j = l === undefined ? undefined : levelIndex[i]!.get(l);
    let t = NaN;
    if (j !== undefined) {
      const v = c.tf[s];
      if (v !== undefined && (tfLevel[i]![j] || tfFloorLevel[i]![j])) t = v;
    }
    scratch[i] = j ?? -1;
    scratch[NS + i] = canonical(t);
  }
  scratch[2 * NS] = canonical(Math.max(1, c.reports ?? 1));
  scratch[2 * NS + 1] = canonical(c.crew ?? 1);
  scratch[2 * NS + 2] = canonical(c.mirror ?? 0);
  scratch[2 * NS + 3] = untaught;
}

/** The comparison `fill` wrote last, copied out. */
function packed(): Packed {
  return {
    level: new Int8Array(scratch.subarray(0, NS)),
    tf: scratch.slice(NS, 2 * NS),
    reports: scratch[2 * NS]!,
    crew: scratch[2 * NS + 1]!,
    mirror: scratch[2 * NS + 2]!,
    untaught: scratch[2 * NS + 3]!,
  };
}

function pack(c: Comparison): Packed {
  fill(c);
  return packed();
}

/**
 * Candidate pairs that compare alike (every field of Packed: levels, term frequencies, reports,
 * crew, mirror, untaught) kept once with how many there are: EM weighs each pattern once a round,
 * as fastLink does (measured at 5,000 people, before `untaught`: 62,778 pairs in 6,800 patterns,
 * 81,299 in 19,592; the project's own generator, whose names are rarely shared, repeats less).
 */
type Patterns = Map<string, { p: Packed; n: number }>;
function addPattern(patterns: Patterns, c: Comparison, untaught: number): void {
  fill(c, untaught);
  const key = String.fromCharCode.apply(null, scratchUnits as unknown as number[]);
  const seen = patterns.get(key);
  if (seen) seen.n += 1;
  else patterns.set(key, { p: packed(), n: 1 });
}

/** The estimate at once (evaluation, benchmarks, tests): estimateSteps run to the end. */
export function estimateModel(input: EstimateInput): MatchModel {
  const steps = estimateSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Work between two steps of estimateSteps: a few milliseconds on a development machine (a subject with many lookalikes, tens). */
const PROFILES_PER_STEP = 200;
const RANDOM_PAIRS_PER_STEP = 200;
/** Candidate pairs' patterns weighed between two steps of an EM round. */
const PATTERNS_PER_STEP = 10_000;

/**
 * The estimate as a sequence of steps: it yields between pieces of work (a slice of profiles,
 * of subjects or of random pairs, one round of EM), so that a service running it beside requests
 * can hand the event loop back between them. Run at once, a retailer of a few thousand people
 * held a process's requests for seconds (issue 28: event-loop delays of up to 4 s under intake).
 */
export function* estimateSteps(input: EstimateInput): Generator<void, MatchModel, void> {
  const prior = completeModel(input.prior && !outdatedRules(input.prior) ? input.prior : PRIOR_MODEL);
  const people = input.profiles.length;
  const imageMatching = input.imageMatching ?? false;
  const rand = mulberry32(input.seed ?? 1);
  const facts = input.profiles.map((p) => p.facts);

  // The key index, as the matcher sees it.
  const { keysOf, index } = yield* keyIndex(facts, { imageMatching }, PROFILES_PER_STEP);
  const count = (key: string) => index.get(key)?.length ?? 0;
  const frequency = (key: string) => keyFrequency(count(key), people);
  const givenNames = givenNameShares(facts);
  const ctx = { frequency, imageMatching, people, givenNames };
  const compare = (i: number, j: number): Packed | undefined => {
    const c = compareFacts(facts[i]!, facts[j]!, ctx);
    return c.sameEvent ? undefined : pack(c);
  };

  // Candidate pairs of a sample of people.
  const order = [...Array(people).keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const subjects = order.slice(0, Math.min(people, input.maxSubjects ?? ESTIMATE_SUBJECTS));
  const candidatePatterns: Patterns = new Map();
  let candidatePairs = 0;
  // Every subject's holders are counted alike (the same index, counts, population and prior): each
  // ordered pair of holders is scored once per estimate, not once per subject that meets it.
  const holderScoresOfAll = holderScores();
  for (const i of subjects) {
    yield;
    const shared = new Map<string, string[]>();
    for (const k of keysOf[i]!) {
      for (const j of candidateHolders(k, index.get(k)!)) {
        if (j === i) continue;
        const id = String(j);
        const list = shared.get(id);
        if (list) list.push(k);
        else shared.set(id, [k]);
      }
    }
    // Key shares in people, as the matcher counts them (candidates.ts), under the current model.
    const ranked = rankCandidates(shared, frequency, MAX_CANDIDATES).map(Number);
    const holders = ranked.map((j) => ({ facts: facts[j]!, keys: keysOf[j]! }));
    const byPeople = peopleFrequency({ facts: facts[i]!, keys: keysOf[i]! }, holders, count, people, (a, b, f) =>
      signalWeights(compareFacts(a, b, { ...ctx, frequency: f }), prior, people),
      holderScoresOfAll,
    );
    for (const j of ranked) {
      const c = compareFacts(facts[i]!, facts[j]!, { ...ctx, frequency: byPeople });
      if (c.sameEvent) continue;
      addPattern(candidatePatterns, c, untaughtBy(shared.get(String(j))!));
      candidatePairs++;
    }
  }
  // Not needed past the subjects (tens of MiB for a large retailer): not kept through EM.
  holderScoresOfAll.clear();

  // u from random pairs.
  const randomPairs: Packed[] = [];
  const wanted = people >= 2 ? Math.min(input.randomPairs ?? 20_000, (people * (people - 1)) / 2) : 0;
  for (let n = 0; n < wanted * 2 && randomPairs.length < wanted; n++) {
    const i = Math.floor(rand() * people);
    const j = Math.floor(rand() * people);
    if (n % RANDOM_PAIRS_PER_STEP === RANDOM_PAIRS_PER_STEP - 1) yield;
    if (i === j) continue;
    const p = compare(i, j);
    // Two profiles sharing a phone or a DOB are, in a retailer whose offenders return, mostly one
    // person twice: not strangers, so not evidence of how often strangers agree.
    if (p && p.level[PHONE] !== 0 && p.level[DOB] !== 0) randomPairs.push(p);
  }
  const u = SIGNALS.map((s, si) => {
    const levels = LEVELS[s] as readonly string[];
    const counts = new Float64Array(levels.length);
    let present = 0;
    for (const p of randomPairs) {
      const l = p.level[si]!;
      if (l < 0) continue;
      counts[l]! += 1;
      present++;
    }
    const priorU = normalised(levels.map((l) => prior.signals[s][l]!.u));
    return levels.map((_, l) => (counts[l]! + U_PSEUDO * priorU[l]!) / (present + U_PSEUDO));
  });

  // EM over the candidate pairs (and the labelled ones, whose answer is fixed).
  const patterns = [...candidatePatterns.values()];
  const labelled = (input.labelled ?? []).map((l) => ({ p: pack(l.comparison), match: l.match }));
  const priorM = SIGNALS.map((s) => normalised((LEVELS[s] as readonly string[]).map((l) => prior.signals[s][l]!.m)));
  let m = priorM.map((row) => [...row]);
  const randomU = u.map((row) => [...row]);
  let mu = prior.matchesPerPerson;
  let iterations = 0;
  /** Matches per report among these people, stated against the smoothed denominator priorMatchShare divides by. */
  const smoothed = (perReport: number) => perReport * ((people - 1 + PRIOR_POPULATION) / Math.max(1, people - 1));
  /**
   * People each sampled subject stands for: EM's tallies are of the whole population, so that the
   * decided pairs and the prior's pseudo-counts weigh against it as they would with every subject.
   */
  const represents = subjects.length ? people / subjects.length : 1;
  /**
   * Never below MATCHES_PER_PERSON_FLOOR (model.ts). A floor rather than pseudo-counts: pseudo-counts
   * of five or twenty people at the prior's share moved the early estimates of every small regime,
   * and au-hardware/issue-set lost 0.03 of F1 (eval/README.md).
   */
  const floored = (expected: number) => Math.max(MATCHES_PER_PERSON_FLOOR, smoothed(expected / subjects.length));
  /** Rounds of EM from the current state; with `fixedMu`, the share of matches is held there and only m and u move. */
  function* em(fixedMu?: number): Generator<void, void, void> {
    if (fixedMu !== undefined) mu = fixedMu;
    for (let round = 0; round < MAX_ITERATIONS && subjects.length > 0; round++, iterations++) {
      yield;
      const lambda = priorMatchShare({ ...prior, matchesPerPerson: mu }, people);
      const priorOddsOf = (p: Packed) => {
        const l = p.reports === 1 ? lambda : priorMatchShare({ ...prior, matchesPerPerson: mu }, people, p.reports);
        return l / (1 - l);
      };
      const logM = m.map((row) => row.map((x) => Math.log2(Math.max(1e-6, x))));
      // As weightsOf: a swapped name's u is swappedU of its share, its mirror and the swap rate under this round's m.
      const swapRate = swappedShare(Object.fromEntries((LEVELS.name as readonly string[]).map((l, i) => [l, { m: m[NAME]![i]!, u: 0 }])));
      const logU = u.map((row) => row.map((x) => Math.log2(Math.max(1e-6, x))));
      // As weightsOf in model.ts, on the packed form.
      const bitsOf = (p: Packed, priorOdds: number): number => {
        let bits = 0;
        let context = 0;
        const household = p.level[NAME] === HOUSEHOLD_LEVEL;
        for (let s = 0; s < SIGNALS.length; s++) {
          const l = p.level[s]!;
          if (l < 0) continue;
          const t = p.tf[s]!;
          const logT = Math.log2(Math.max(1e-6, s === NAME && l === SWAPPED_LEVEL ? swappedU(t, p.mirror, swapRate) : t));
          const w = cappedWeight(SIGNALS[s]!, logM[s]![l]! - (Number.isNaN(t) ? logU[s]![l]! : tfFloorLevel[s]![l] ? Math.max(logU[s]![l]!, logT) : logT), household, p.crew, priorOdds);
          if (CONTEXT.has(s)) context += w;
          else bits += w;
        }
        return bits + Math.max(-CONTEXT_CAP, Math.min(CONTEXT_CAP, context));
      };
      let expected = 0;
      const tally = () => ({ sums: SIGNALS.map((s) => new Float64Array(LEVELS[s].length)), totals: new Float64Array(SIGNALS.length) });
      const matches = tally();
      const others = tally();
      /** With `forM`, a pair teaches no signal's m that only that signal's keys found it for (untaughtBy). */
      const add = (t: ReturnType<typeof tally>, p: Packed, weight: number, forM = false) => {
        for (let s = 0; s < SIGNALS.length; s++) {
          const l = p.level[s]!;
          if (l < 0) continue;
          if (forM && p.untaught & (1 << s)) continue;
          t.sums[s]![l]! += weight;
          t.totals[s]! += weight;
        }
      };
      for (let k = 0; k < patterns.length; k++) {
        const { p, n } = patterns[k]!;
        const priorOdds = priorOddsOf(p);
        const odds = priorOdds * 2 ** bitsOf(p, priorOdds);
        const post = odds === Infinity ? 1 : odds / (1 + odds);
        expected += post * n;
        add(matches, p, post * n * represents, true);
        add(others, p, (1 - post) * n * represents);
        if (k % PATTERNS_PER_STEP === PATTERNS_PER_STEP - 1) yield;
      }
      for (const l of labelled) add(l.match ? matches : others, l.p, 1);
      const next = SIGNALS.map((_, s) => priorM[s]!.map((pm, l) => (matches.sums[s]![l]! + M_PSEUDO * pm) / (matches.totals[s]! + M_PSEUDO)));
      for (const s of U_FROM_CANDIDATES) {
        u[s] = randomU[s]!.map((ru, l) => (others.sums[s]![l]! + U_PSEUDO * ru) / (others.totals[s]! + U_PSEUDO));
      }
      for (const [s, order] of ORDERS) next[s] = monotone(next[s]!, u[s]!, order);
      const nextMu = fixedMu ?? floored(expected);
      let change = Math.abs(nextMu - mu) / Math.max(mu, 1e-9);
      next.forEach((row, s) => row.forEach((x, l) => (change = Math.max(change, Math.abs(x - m[s]![l]!)))));
      m = next;
      mu = nextMu;
      if (change < TOLERANCE) {
        iterations++;
        break;
      }
    }
  }
  yield* em();
  // EM alone underestimates the share of matches when most reports of one person carry weak
  // evidence (it calls them non-matches, and learns from that); identifiers that one person keeps
  // (a phone, a DOB) count it directly. Hold the share there and learn m and u again.
  const counted = identifierMatchesPerPerson(facts, m);
  if (counted !== undefined && smoothed(counted) > mu) yield* em(smoothed(counted));

  const signals = {} as MatchModel['signals'];
  SIGNALS.forEach((s, si) => {
    signals[s] = {};
    (LEVELS[s] as readonly string[]).forEach((l, li) => (signals[s][l] = { m: round6(m[si]![li]!), u: round6(u[si]![li]!) }));
  });
  return {
    version: 1,
    source: subjects.length ? 'estimated' : 'prior',
    matchesPerPerson: round6(subjects.length ? mu : prior.matchesPerPerson),
    signals,
    estimatedAt: (input.now ?? new Date()).toISOString(),
    people,
    pairs: { candidates: candidatePairs, random: randomPairs.length, labelled: labelled.length },
    iterations,
    givenNames,
    rules: ESTIMATE_RULES,
  };
}

/**
 * Levels that weigh in order, as pairs (stronger, weaker): learned freely, a namesake-heavy
 * retailer's estimate weighed reports at other stores months apart, and a different kind of
 * offending, as signs of one person (issue 18's fourth December audit: +4.3 and +2.3 bits before
 * the cap on where-and-what). Where and when is in order two ways (same store, near in time), not
 * one: a report at the same store months later and one at another store the same week are not
 * ranked against each other. Levels that weigh the value's own share (TF_LEVELS: a DOB, a phone, a
 * plate, one feature word) are left out, since their level's u is not what scores them; names
 * are not in order (a swapped name is not weaker than a surname alone).
 */
const LEVEL_ORDER: Partial<Record<Signal, readonly (readonly [string, string])[]>> = {
  dob: [['near', 'differ']],
  phone: [['near', 'differ']],
  plate: [['near', 'differ']],
  feature: [['multi', 'generic'], ['generic', 'disjoint']],
  physique: [['close', 'compatible'], ['compatible', 'conflict']],
  context: [['store-near', 'store'], ['store-near', 'near'], ['store', 'none'], ['near', 'none']],
  offence: [['products', 'type'], ['type', 'none']],
  image: [['same', 'similar'], ['similar', 'differ']],
};
/** LEVEL_ORDER by index: per signal, pairs of level indexes. */
const ORDERS = Object.entries(LEVEL_ORDER).map(([s, pairs]) => {
  const levels = LEVELS[s as Signal] as readonly string[];
  return [SIGNALS.indexOf(s as Signal), pairs.map(([a, b]) => [levels.indexOf(a), levels.indexOf(b)] as const)] as const;
});

/**
 * m made to weigh in `order` (for each pair of level indexes, the first's m/u at least the
 * second's): the isotonic regression of the likelihood ratio m/u, weighted by u, over that partial
 * order, by its max–min formula (a level's ratio is the largest, over the sets of levels closed
 * towards the stronger that hold it, of the smallest, over the sets closed towards the weaker that
 * hold it, of their common part's summed m over summed u). Levels already in order keep their m;
 * m keeps its sum. A signal's levels are four at most, so the sets are enumerated. u is floored as
 * scoring floors it (1e-6).
 */
export function monotone(m: readonly number[], u: readonly number[], order: readonly (readonly [number, number])[]): number[] {
  const n = m.length;
  const uu = u.map((x) => Math.max(U_MIN, x));
  const closed = (set: number, towardsStronger: boolean) => order.every(([hi, lo]) => (towardsStronger ? !(set & (1 << lo)) || !!(set & (1 << hi)) : !(set & (1 << hi)) || !!(set & (1 << lo))));
  const sets = [...Array(1 << n).keys()].slice(1);
  const upper = sets.filter((set) => closed(set, true));
  const lower = sets.filter((set) => closed(set, false));
  const average = (set: number) => {
    let sm = 0;
    let su = 0;
    for (let l = 0; l < n; l++) if (set & (1 << l)) [sm, su] = [sm + m[l]!, su + uu[l]!];
    return sm / su;
  };
  return m.map((x, l) => {
    let ratio = -Infinity;
    for (const up of upper) {
      if (!(up & (1 << l))) continue;
      let least = Infinity;
      for (const low of lower) if (low & (1 << l)) least = Math.min(least, average(up & low));
      ratio = Math.max(ratio, least);
    }
    return ratio === x / uu[l]! ? x : ratio * uu[l]!;
  });
}
const U_MIN = 1e-6;

const PHONE = SIGNALS.indexOf('phone');
const DOB = SIGNALS.indexOf('dob');

/**
 * A pair that blocking found only through a signal's own keys agrees on that signal because it was
 * chosen for agreeing, match or not: counted in that signal's m, it teaches EM that matches always
 * agree there, and the "matches" EM finds drift to whatever blocking selected (a namesake-heavy
 * retailer's pairs of strangers sharing a name: issue 18's fourth December audit, where one
 * common full name alone was suggested at 0.956). As Splink does with its blocking rules (the m of a
 * comparison is not trained in a session blocked on it), a signal learns m only from pairs that a
 * key of some other signal found (KEY_KIND_SIGNALS: a name-and-year key is of name and DOB), and
 * from decided pairs. What it does not see: where a subject has more candidates than are read
 * (MAX_CANDIDATES), ranking by shared keys keeps those sharing more, so a pair also sharing a DOB
 * is likelier kept than one sharing the surname alone, and the DOB is still somewhat selected on.
 */
function untaughtBy(keys: readonly string[]): number {
  if (keys.length === 0) return 0;
  // The signals every kind that found the pair selects on (a kind of key selecting on none: none).
  let untaught = (1 << NS) - 1;
  for (const k of keys) untaught &= SELECTS_ON.get(keyKind(k)) ?? 0;
  return untaught;
}
/** Per kind of key, the signals it selects on, as bits of SIGNALS indexes. */
const SELECTS_ON = new Map(Object.entries(KEY_KIND_SIGNALS).map(([kind, signals]) => [kind, signals.reduce((bits, s) => bits | (1 << SIGNALS.indexOf(s)), 0)]));
/** Chance that two strangers share the value: a DOB among adults of any age, a phone (one person's or a household's). */
const CHANCE_AGREEMENT = { dobs: 1 / (365 * 50), phones: 0 };
/** Fewer profiles with a phone or a DOB than this, and the count says too little: EM's own share stands. */
const MIN_IDENTIFIER_SUPPORT = 30;

/**
 * Matches per report, counted from what is known and from identifiers a person keeps: the reports
 * each profile already holds of its one person (merged, or attached by profile id); and, among the
 * profiles that carry a phone (or a DOB), the pairs that share one, less those expected by chance,
 * divided by the chance that another report of the same person carries the field too (its share
 * of profiles) and agrees (m of the exact level). Phones and DOBs are combined by how many profiles
 * carry each.
 */
export function identifierMatchesPerPerson(facts: readonly PersonFacts[], m: number[][]): number | undefined {
  // A profile of e reports (merged, or attached by profile id) is e reports of one person: e(e − 1) known matches.
  let reports = 0;
  let known = 0;
  for (const f of facts) {
    const e = Math.max(1, f.eventIds?.length ?? 1);
    reports += e;
    known += e * (e - 1);
  }
  const perReport = (crossPerProfile: number) => (known + crossPerProfile * facts.length) / Math.max(1, reports);
  let weighted = 0;
  let support = 0;
  for (const [field, s] of [['phones', PHONE], ['dobs', DOB]] as const) {
    const byValue = new Map<string, number>();
    let carrying = 0;
    for (const f of facts) {
      const v = f[field][0];
      if (v === undefined) continue;
      carrying++;
      byValue.set(v, (byValue.get(v) ?? 0) + 1);
    }
    if (carrying < 2) continue;
    let pairs = 0;
    for (const c of byValue.values()) pairs += c * (c - 1);
    pairs = Math.max(0, pairs - carrying * (carrying - 1) * CHANCE_AGREEMENT[field]);
    const presence = carrying / facts.length;
    const mu = pairs / carrying / presence / Math.max(0.5, m[s]![0]!);
    weighted += mu * carrying;
    support += carrying;
  }
  if (support >= MIN_IDENTIFIER_SUPPORT) return perReport(weighted / support);
  return known > 0 ? perReport(0) : undefined;
}

function normalised(xs: number[]): number[] {
  const sum = xs.reduce((a, b) => a + b, 0);
  return xs.map((x) => x / sum);
}

const round6 = (x: number): number => Number(x.toPrecision(6));
