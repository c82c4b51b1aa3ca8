import { factsOfPerson, type EventLike, type PersonFacts, type PersonLike } from '../shared/domain/matching/facts';
import { blockingKeys, candidateHolders, MAX_KEY_MEMBERS } from '../shared/domain/matching/keys';
import { consistentCandidates, consistentWithNeighbours, keyFrequency, MAX_CANDIDATES, peopleFrequency, rankCandidates, type Holder } from '../shared/domain/matching/candidates';
import { compareFacts } from '../shared/domain/matching/compare';
import { estimateModel } from '../shared/domain/matching/estimate';
import { likelySubjects } from '../shared/domain/matching/rematch';
import { ESTIMATE_GROWTH, ESTIMATE_MIN_PEOPLE, PRIOR_MODEL, REMATCH_BAR, REMATCH_MAX_PEOPLE, rematchDue, scoreComparison, signalWeights, SUGGEST_PROBABILITY, type MatchModel } from '../shared/domain/matching/model';

/**
 * Measuring Connect the Dots in process, the way the service runs it: people are reported in
 * time order; each becomes a profile of its own (nothing merges without a human); its candidates
 * are the profiles under its blocking keys (a saturated key's newest holders for an identifying kind, none for the rest; at most MAX_CANDIDATES);
 * each candidate is scored under the retailer's current model and suggested at
 * SUGGEST_PROBABILITY; the model is re-estimated from the profiles as the population grows, as
 * the service's estimation job does. The suggestion graph is then judged against the truth.
 */

export interface Mention {
  id: string;
  truthId?: string;
  event: EventLike;
  person: PersonLike;
  imageHashes?: string[];
}

/** Any generator's output: event bodies in time order, and who each person truly is. */
export interface GeneratedDataset {
  events: { id: string; body: Record<string, unknown> }[];
  truth: { eventId: string; ref: string; personId: string }[];
}

export function mentionsOf(ds: GeneratedDataset): Mention[] {
  const truth = new Map(ds.truth.map((t) => [`${t.eventId}/${t.ref}`, t.personId]));
  const out: Mention[] = [];
  for (const e of ds.events) {
    const body = e.body as unknown as EventLike & { people?: (PersonLike & { ref: string })[] };
    for (const p of body.people ?? []) {
      const id = `${e.id}/${p.ref}`;
      out.push({ id, truthId: truth.get(id), event: { ...body, id: e.id }, person: p });
    }
  }
  return out;
}

export interface SimulateOptions {
  imageMatching?: boolean;
  /** A fixed model instead of estimating (e.g. PRIOR_MODEL). */
  model?: MatchModel;
  /** Re-estimate when the population has grown by this factor since the last estimate (the service's rule). */
  growth?: number;
  /** Smallest population estimated from. */
  minPeople?: number;
  threshold?: number;
  maxSubjects?: number;
  /** Keep the reasons of every suggestion (for looking at mistakes). */
  explain?: boolean;
  /** Re-match every profile after an estimate while the retailer has at most this many (the service's rule). */
  rematchUpTo?: number;
}

export interface ScoredPair {
  subject: string;
  candidate: string;
  probability: number;
  score: number;
  same: boolean;
  reasons?: string;
}

export interface SimulateResult {
  /** Every candidate pair scored, with its probability and whether it truly is one person. */
  scored: ScoredPair[];
  /** Those at or above the threshold: the suggestions. */
  links: ScoredPair[];
  clusters: string[][];
  models: MatchModel[];
  /** candidatesScored: as each report arrives; rematchCandidates: in the re-matches after estimates. */
  stats: { mentions: number; candidatesScored: number; saturatedLookups: number; estimateMs: number; matchMs: number; rematches: number; rematchCandidates: number };
}

export function simulateService(mentions: readonly Mention[], opts: SimulateOptions = {}): SimulateResult {
  const imageMatching = opts.imageMatching ?? false;
  const threshold = opts.threshold ?? SUGGEST_PROBABILITY;
  const growth = opts.growth ?? ESTIMATE_GROWTH;
  const minPeople = opts.minPeople ?? ESTIMATE_MIN_PEOPLE;
  const rematchUpTo = opts.rematchUpTo ?? REMATCH_MAX_PEOPLE;
  let rematchedAt: number | undefined;
  const profiles: { id: string; facts: PersonFacts; keys: string[] }[] = [];
  const index = new Map<string, number[]>();
  /** The latest score of each pair compared (a re-match scores a pair again under the new model). */
  const scored = new Map<string, ScoredPair>();
  /** Suggestions are never withdrawn by a later run, as the service's are kept until decided. */
  const suggested = new Map<string, ScoredPair>();
  const models: MatchModel[] = [];
  let model = opts.model ?? PRIOR_MODEL;
  let estimatedAt = 0;
  let candidatesScored = 0;
  let saturatedLookups = 0;
  let estimateMs = 0;
  let matchMs = 0;
  let rematches = 0;
  let rematchCandidates = 0;
  const truthOf = new Map(mentions.map((m) => [m.id, m.truthId]));
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

  /** What the matcher does for one indexed profile: candidates under its keys (all indexed now), scored, suggested. */
  const matchProfile = (self: number, rematch = false): void => {
    const { id, facts, keys } = profiles[self]!;
    const population = profiles.length;
    const frequency = (key: string) => keyFrequency(index.get(key)?.length ?? 0, population);
    const shared = new Map<string, string[]>();
    for (const k of keys) {
      const members = index.get(k)!;
      if (members.length > MAX_KEY_MEMBERS) saturatedLookups++;
      for (const j of candidateHolders(k, members)) {
        if (j === self) continue;
        const list = shared.get(String(j));
        if (list) list.push(k);
        else shared.set(String(j), [k]);
      }
    }
    const ranked = rankCandidates(shared, frequency, MAX_CANDIDATES).map((j) => profiles[Number(j)]!);
    const people = peopleFrequency(
      { facts, keys },
      ranked,
      (k) => index.get(k)?.length ?? 0,
      population,
      (a, b, f) => signalWeights(compareFacts(a, b, { frequency: f, imageMatching, people: population, givenNames: model.givenNames }), model, population),
    );
    const found: (ScoredPair & { facts: PersonFacts })[] = [];
    for (const other of ranked) {
      if (rematch) rematchCandidates++;
      else candidatesScored++;
      const c = compareFacts(facts, other.facts, { frequency: people, imageMatching, people: population, givenNames: model.givenNames }, true);
      const sc = scoreComparison(c, model, population);
      const a = truthOf.get(id);
      const pair: ScoredPair & { facts: PersonFacts } = { subject: id, candidate: other.id, probability: sc.probability, score: sc.score, same: a !== undefined && a === truthOf.get(other.id), facts: other.facts };
      if (opts.explain && sc.probability >= threshold / 4) pair.reasons = sc.reasons.map((r) => `${r.signal} ${r.weight}: ${r.detail}`).join(' | ');
      found.push(pair);
    }
    const kept = new Set(
      consistentCandidates(
        found.filter((f) => f.probability >= threshold),
        (x, y) => scoreComparison(compareFacts(x, y, { frequency: people, imageMatching, people: population, givenNames: model.givenNames }), model, population).probability,
        threshold,
      ),
    );
    for (const f of found) {
      const { facts: _f, ...pair } = f;
      const key = pairKey(pair.subject, pair.candidate);
      scored.set(key, pair);
    }
    for (const f of found) {
      const { facts: _f, ...pair } = f;
      const key = pairKey(pair.subject, pair.candidate);
      if (!kept.has(f) || suggested.has(key)) continue;
      // As the service: neither side's suggested neighbours may be someone the other side certainly is not.
      const a = byId.get(pair.subject)!;
      const b = byId.get(pair.candidate)!;
      const near = (h: Holder) => [...neighbours(h)].map((id) => byId.get(id)!);
      if (!consistentWithNeighbours(a, b, near(a), near(b), (x, y) => scoreComparison(compareFacts(x, y, { frequency: people, imageMatching, people: population, givenNames: model.givenNames }), model, population).probability)) continue;
      suggested.set(key, pair);
      neighbours(a).add(pair.candidate);
      neighbours(b).add(pair.subject);
    }
  };
  const byId = new Map<string, Holder>();
  const adjacency = new Map<Holder, Set<string>>();
  const neighbours = (h: Holder) => adjacency.get(h) ?? adjacency.set(h, new Set()).get(h)!;

  for (const m of mentions) {
    // As the service: people of sensitive events are never matched, nor matched against.
    if ((m.event as { sensitive?: boolean }).sensitive) continue;
    if (!opts.model && profiles.length >= minPeople && profiles.length >= estimatedAt * growth) {
      const t = performance.now();
      model = estimateModel({ profiles, imageMatching, maxSubjects: opts.maxSubjects, seed: profiles.length, prior: model });
      estimateMs += performance.now() - t;
      models.push(model);
      estimatedAt = profiles.length;
      // As the service (rematchDue): a retailer small enough is matched again under its new model, each time it has doubled.
      if (rematchDue(rematchedAt, profiles.length, rematchUpTo)) {
        rematchedAt = profiles.length;
        const r = performance.now();
        // Only the profiles with a candidate likely under the new model (likelySubjects, as the estimation job picks them).
        const windowOf = (k: string) => index.get(k)?.slice(-MAX_KEY_MEMBERS).map(String);
        const likely = likelySubjects(profiles.map((p) => p.facts), model, { imageMatching, bar: REMATCH_BAR, windowOf });
        for (let step = likely.next(); ; step = likely.next()) {
          if (!step.done) continue;
          for (const i of step.value) matchProfile(i, true);
          break;
        }
        rematches++;
        matchMs += performance.now() - r;
      }
    }
    const t = performance.now();
    const facts = factsOfPerson(m.event, m.person, m.imageHashes);
    const keys = blockingKeys(facts, { imageMatching });
    // As the service: the subject's own profile is indexed before its candidates are looked up.
    const self = profiles.length;
    profiles.push({ id: m.id, facts, keys });
    byId.set(m.id, profiles[self]!);
    for (const k of keys) {
      const list = index.get(k);
      if (list) list.push(self);
      else index.set(k, [self]);
    }
    matchProfile(self);
    matchMs += performance.now() - t;
  }
  const links = [...suggested.values()];
  return {
    scored: [...scored.values()],
    links,
    clusters: clustersFromLinks(
      mentions.map((m) => m.id),
      links.map((l) => [l.subject, l.candidate]),
    ),
    models,
    stats: { mentions: mentions.length, candidatesScored, saturatedLookups, estimateMs, matchMs, rematches, rematchCandidates },
  };
}

// ---- metrics --------------------------------------------------------------------------------------

export interface PairMetrics {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * Pairwise precision and recall: over all pairs of mentions, those truly the same identity
 * against those in one predicted cluster. Mentions missing from `clusters` are singletons.
 */
export function pairwiseMetrics(truth: readonly { id: string; truthId?: string }[], clusters: readonly (readonly string[])[]): PairMetrics {
  const truthOf = new Map(truth.map((t) => [t.id, t.truthId ?? `~${t.id}`]));
  const trueSizes = new Map<string, number>();
  for (const t of truthOf.values()) trueSizes.set(t, (trueSizes.get(t) ?? 0) + 1);
  let truePairs = 0;
  for (const n of trueSizes.values()) truePairs += pairs(n);
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const cluster of clusters) {
    predictedPairs += pairs(cluster.length);
    const byTruth = new Map<string, number>();
    for (const id of cluster) {
      const t = truthOf.get(id) ?? `~${id}`;
      byTruth.set(t, (byTruth.get(t) ?? 0) + 1);
    }
    for (const n of byTruth.values()) correctPairs += pairs(n);
  }
  const precision = predictedPairs ? correctPairs / predictedPairs : 1;
  const recall = truePairs ? correctPairs / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs };
}

/** Connected components of `ids` under the given links (pairs of ids). */
export function clustersFromLinks(ids: readonly string[], links: readonly (readonly [string, string])[]): string[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (parent.get(c) !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  for (const [a, b] of links) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    const g = groups.get(r) ?? [];
    g.push(id);
    groups.set(r, g);
  }
  return [...groups.values()];
}

/** Baseline: mentions are linked iff both report given and family, equal case-insensitively. */
export function exactNameBaseline(mentions: readonly Mention[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const m of mentions) {
    const g = m.person.name?.given?.trim().toLowerCase();
    const f = m.person.name?.family?.trim().toLowerCase();
    const key = g && f ? `${g}|${f}` : `~${m.id}`;
    const list = groups.get(key) ?? [];
    list.push(m.id);
    groups.set(key, list);
  }
  return [...groups.values()];
}

export interface Calibration {
  /** Expected calibration error: the pair-weighted mean gap between stated probability and the share truly one person. */
  ece: number;
  pairs: number;
  bins: { from: number; to: number; pairs: number; meanProbability: number; shareSame: number }[];
}

/** Reliability table over pairs with a probability of at least `from`, in bins of 0.1. */
export function calibration(scored: readonly { probability: number; same: boolean }[], from = 0.1): Calibration {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, pairs: 0, sumP: 0, same: 0 }));
  let n = 0;
  for (const s of scored) {
    if (s.probability < from) continue;
    const b = bins[Math.min(9, Math.floor(s.probability * 10))]!;
    b.pairs++;
    b.sumP += s.probability;
    if (s.same) b.same++;
    n++;
  }
  let ece = 0;
  for (const b of bins) if (b.pairs) ece += (b.pairs / n) * Math.abs(b.sumP / b.pairs - b.same / b.pairs);
  return {
    ece,
    pairs: n,
    bins: bins.filter((b) => b.pairs).map((b) => ({ from: b.from, to: b.to, pairs: b.pairs, meanProbability: b.sumP / b.pairs, shareSame: b.same / b.pairs })),
  };
}

/** Precision of the first `k` suggestions of the review queue (highest probability first). */
export function precisionAtTop(links: readonly { probability: number; same: boolean }[], k: number): number {
  const top = [...links].sort((a, b) => b.probability - a.probability).slice(0, k);
  return top.length ? top.filter((l) => l.same).length / top.length : 1;
}

/** Blocking keys of identifying values: a full name (with its nicknames and sound-alike spellings), a DOB, a phone or a plate. */
const IDENTIFYING_KEY = /^(?:nm|db|ph|pl|po):/;

/**
 * The recall of a judge who knows the truth and links two reports of one person only where they
 * share an identifying value (IDENTIFYING_KEY): what any matcher can reach without linking on a
 * surname, a feature, a store or a description alone, which strangers share too. Where the data
 * leaves this low, recall ≥ 0.85 at precision 0.9 is out of reach of any judge.
 */
export function evidenceCeiling(mentions: readonly Mention[]): number {
  const first = new Map<string, string>();
  const links: [string, string][] = [];
  for (const m of mentions) {
    if (m.truthId === undefined) continue;
    for (const key of blockingKeys(factsOfPerson(m.event, m.person, m.imageHashes), { imageMatching: false })) {
      if (!IDENTIFYING_KEY.test(key)) continue;
      const slot = `${m.truthId}|${key}`;
      const earlier = first.get(slot);
      if (earlier === undefined) first.set(slot, m.id);
      else links.push([earlier, m.id]);
    }
  }
  return pairwiseMetrics(mentions, clustersFromLinks(mentions.map((m) => m.id), links)).recall;
}
