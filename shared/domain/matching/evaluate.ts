import { factsOfPerson, mergeFacts, type EventLike, type PersonFacts, type PersonLike } from './facts';
import { blockingKeys, MAX_KEY_MEMBERS } from './keys';
import { keyFrequency, MAX_CANDIDATES, rankCandidates, scorePair, SUGGEST_THRESHOLD, type Reason } from './score';
import type { SyntheticDataset } from './synthetic';

/**
 * Measuring Connect the Dots: the whole pure pipeline run in memory over a sequence of person
 * mentions (facts → keys → candidates from a key index with saturation → score against the
 * candidate profile's merged facts → link), pairwise precision/recall/F1 against ground truth,
 * and an exact-name baseline to compare with.
 */

export interface Mention {
  id: string;
  truthId?: string;
  event: EventLike;
  person: PersonLike;
  imageHashes?: string[];
}

/** The dataset's mentions in event order, each with its event (id set) and person. */
export function mentionsOf(ds: SyntheticDataset): Mention[] {
  const events = new Map(ds.events.map((e) => [e.id, e]));
  return ds.mentions.map((m) => {
    const e = events.get(m.eventId)!;
    const person = e.body.people!.find((p) => p.ref === m.ref)!;
    return { id: m.id, truthId: m.truthId, event: { ...e.body, id: e.id }, person };
  });
}

export interface LinkOptions {
  imageMatching?: boolean;
  threshold?: number;
  maxCandidates?: number;
  maxKeyMembers?: number;
  /** How ctx.frequency is computed from the index: 'smoothed' (keyFrequency, default) or 'share' (holders / profiles, a raw share). */
  frequency?: 'smoothed' | 'share';
}

export interface LinkResult {
  clusters: string[][];
  links: { subject: string; candidate: string; score: number; reasons: Reason[] }[];
  stats: { mentions: number; profiles: number; candidatesScored: number; saturatedLookups: number };
}

interface Profile {
  id: number;
  facts: PersonFacts;
  keys: string[];
  mentions: string[];
}

/**
 * Links mentions the way the service does, accepting every suggestion: a mention's candidates are
 * the profiles under its keys (saturated keys skipped), ranked and capped; each is scored against
 * the profile's merged facts; every one at or above the threshold is merged with the mention.
 */
export function linkMentions(mentions: readonly Mention[], opts: LinkOptions = {}): LinkResult {
  const imageMatching = opts.imageMatching ?? false;
  const threshold = opts.threshold ?? SUGGEST_THRESHOLD;
  const maxMembers = opts.maxKeyMembers ?? MAX_KEY_MEMBERS;
  const maxCandidates = opts.maxCandidates ?? MAX_CANDIDATES;
  const profiles = new Map<number, Profile>();
  const index = new Map<string, Set<number>>();
  const links: LinkResult['links'] = [];
  let nextId = 1;
  let candidatesScored = 0;
  let saturatedLookups = 0;

  const unindex = (p: Profile) => {
    for (const k of p.keys) {
      const s = index.get(k);
      s?.delete(p.id);
      if (s && s.size === 0) index.delete(k);
    }
  };
  const reindex = (p: Profile) => {
    for (const k of p.keys) {
      let s = index.get(k);
      if (!s) index.set(k, (s = new Set()));
      s.add(p.id);
    }
  };

  for (const m of mentions) {
    const facts = factsOfPerson(m.event, m.person, m.imageHashes);
    const keys = blockingKeys(facts, { imageMatching });
    const population = profiles.size;
    const frequency = (key: string): number => {
      const members = index.get(key)?.size ?? 0;
      if (opts.frequency === 'share') return population ? members / population : 0;
      // As the service counts: its subject's profile is indexed before matching (here it is not yet).
      return keyFrequency(members + 1, population + 1);
    };
    const shared = new Map<string, string[]>();
    for (const k of keys) {
      const members = index.get(k);
      if (!members) continue;
      if (members.size > maxMembers) {
        saturatedLookups++;
        continue;
      }
      for (const id of members) {
        const list = shared.get(String(id)) ?? [];
        list.push(k);
        shared.set(String(id), list);
      }
    }
    const ctx = { frequency, imageMatching };
    const matched: Profile[] = [];
    for (const id of rankCandidates(shared, frequency, maxCandidates)) {
      const candidate = profiles.get(Number(id))!;
      candidatesScored++;
      const s = scorePair(facts, candidate.facts, ctx);
      if (s.score >= threshold) {
        matched.push(candidate);
        links.push({ subject: m.id, candidate: candidate.mentions[0]!, score: s.score, reasons: s.reasons });
      }
    }
    let merged: PersonFacts = facts;
    const mentionIds = [m.id];
    for (const p of matched) {
      merged = mergeFacts(p.facts, merged);
      mentionIds.unshift(...p.mentions);
      unindex(p);
      profiles.delete(p.id);
    }
    const profile: Profile = { id: nextId++, facts: merged, keys: blockingKeys(merged, { imageMatching }), mentions: mentionIds };
    profiles.set(profile.id, profile);
    reindex(profile);
  }
  return {
    clusters: [...profiles.values()].map((p) => p.mentions),
    links,
    stats: { mentions: mentions.length, profiles: profiles.size, candidatesScored, saturatedLookups },
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
