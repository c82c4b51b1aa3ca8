import type { PersonFacts } from './facts';
import { keyKind } from './keys';

/**
 * Which profiles are worth comparing with a person: those listed under the person's blocking
 * keys, strongest and rarest shared keys first, at most MAX_CANDIDATES; and the share of the
 * retailer's people holding a key, which stands in for u of value-dependent levels.
 */

/** Candidates worth reading per mention, strongest shared keys first (see rankCandidates). */
export const MAX_CANDIDATES = 40;

/**
 * The share of the retailer's *other* people holding a key, as the matcher reads it after indexing
 * the subject's own profile: `count` = profiles listed under the key, the subject's own included;
 * `population` = the retailer's indexed profiles. Two holders are not counted (the subject and the
 * candidate being scored), so a value nobody else holds answers 0 and the floors decide. A hundred
 * people are added to the population so that a young retailer's first few profiles do not make
 * every shared surname look common.
 */
const FREQUENCY_PRIOR_POPULATION = 100;
export function keyFrequency(count: number, population: number): number {
  return Math.max(0, count - 2) / (Math.max(0, population) + FREQUENCY_PRIOR_POPULATION);
}

/** Roughly the bits a shared key of each kind is worth, for ordering candidates before reading them. */
const KIND_STRENGTH: Record<string, number> = {
  phone: 13,
  dob: 10,
  'name-year': 10,
  plate: 9,
  name: 8,
  image: 7,
  'plate-ocr': 6,
  'name-part': 5,
  family: 3,
  feature: 2,
};

/**
 * Orders candidates by the keys they share with the subject (strong kinds first, rarer keys
 * first) and keeps the first `limit`: which profiles are worth a read.
 */
export function rankCandidates(shared: Map<string, string[]>, frequency: (key: string) => number, limit = MAX_CANDIDATES): string[] {
  const scored = [...shared].map(([id, keys]) => {
    let s = 0;
    for (const k of keys) s += (KIND_STRENGTH[keyKind(k)] ?? 1) * (1 - Math.min(1, Math.max(0, frequency(k))));
    return { id, s };
  });
  scored.sort((x, y) => y.s - x.s || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return scored.slice(0, limit).map((x) => x.id);
}

/** Holders of a key compared pairwise when counting them as people (the rest of the compared holders are taken alike). */
const DEDUPE_MAX_HOLDERS = 12;
/** Which signal each kind of key stands for: its own agreement is not evidence that its holders are one person. */
const KEY_SIGNAL: Record<string, string> = { nm: 'name', fm: 'name', ny: 'name', db: 'dob', ph: 'phone', pl: 'plate', po: 'plate', ft: 'feature' };
/** Keys of a full name (with a year of birth or not): their count is what the holders' sameness is judged for. */
const FULL_NAME_KEY = /^(?:nm|ny):/;

export interface Holder {
  facts: PersonFacts;
  keys: readonly string[];
}

/** Two holders compared: each signal's weight in bits, and the prior share of matches. */
export type HolderScore = (a: PersonFacts, b: PersonFacts, frequency: (key: string) => number) => { weights: Record<string, number>; lambda: number };

/**
 * Two holders scored (the lower-numbered first): its weights as a list, in the order they were
 * given, so that every sum is the sum over the weights in that order; the prior odds; and, once
 * asked, the name's weight as strangers would share it.
 */
interface HolderPairScore {
  signals: string[];
  weights: number[];
  priorOdds: number;
  name?: number;
}

/**
 * Pair scores by the pair's facts, in the order scored. Valid across calls of peopleFrequency only
 * while everything a score reads stays the same: the key counts, the population, the score
 * function (its model and name shares) and the facts themselves. One estimate's subjects are such
 * calls (estimate.ts), and share most of their candidates; the matcher's events are not (the index
 * moves between them), so each of its calls gets a map of its own.
 */
export type HolderScores = Map<PersonFacts, Map<PersonFacts, HolderPairScore>>;
export const holderScores = (): HolderScores => new Map();

function pairScore(scores: HolderScores, a: PersonFacts, b: PersonFacts, make: () => HolderPairScore): HolderPairScore {
  let row = scores.get(a);
  if (!row) scores.set(a, (row = new Map()));
  let s = row.get(b);
  if (!s) row.set(b, (s = make()));
  return s;
}

/**
 * Key shares that count people, not profiles. Until a human merges them, one person reported ten
 * times is ten profiles, and a rare name they all hold would look common: the more often someone
 * offends, the weaker their own name would weigh. So the holders of each of the subject's keys
 * among the candidates are counted as people: each holder counts 1 / (1 + the chances that each
 * other holder is the same person), those chances judged on everything but the key's own count:
 * their DOB, plate or tattoo, and for a name the name itself weighed as strangers would share it
 * (its surname's share of the retailer's profiles times its given name's share), never by how many
 * profiles hold the full name, which is what is being counted. Past DEDUPE_MAX_HOLDERS the first
 * (the subject and its strongest candidates) are counted and the rest taken alike: ranked, the
 * first are often one person's own reports, so this leans to a name looking rarer than it is
 * (counting the rest against the first, measured, changed no regime's F1 by more than 0.02 and
 * cost half as much again). Judged
 * without the name at all, ten reports of one Tane Walker with nothing else in common were ten
 * people, and the name weighed as if shared by ten. Holders not among the candidates count one each,
 * except a full name's, which are taken alike too (below).
 */
export function peopleFrequency(
  subject: Holder,
  candidates: readonly Holder[],
  count: (key: string) => number,
  population: number,
  score: HolderScore,
  scores: HolderScores = holderScores(),
): (key: string) => number {
  const raw = (key: string) => keyFrequency(count(key), population);
  // A full name's share as if its holders were strangers: its surname's share (in profiles, so
  // somewhat high where one person is reported often) times its given name's.
  const unrepeated = (key: string) => (FULL_NAME_KEY.test(key) ? 0 : raw(key));
  const all = [subject, ...candidates];
  const sameAt = (i: number, j: number, exclude: string): number => {
    // The lower-numbered holder first, as every pair is scored.
    const [a, b] = i < j ? [all[i]!.facts, all[j]!.facts] : [all[j]!.facts, all[i]!.facts];
    const s = pairScore(scores, a, b, () => {
      const { weights, lambda } = score(a, b, raw);
      return { signals: Object.keys(weights), weights: Object.values(weights), priorOdds: lambda / (1 - lambda) };
    });
    let bits = 0;
    for (let k = 0; k < s.signals.length; k++) if (s.signals[k] !== exclude) bits += s.weights[k]!;
    if (exclude === 'name') {
      s.name ??= score(a, b, unrepeated).weights.name ?? 0;
      bits += s.name;
    }
    const odds = s.priorOdds * 2 ** bits;
    return odds === Infinity ? 1 : odds / (1 + odds);
  };
  // Keys of one signal held by the same holders (a full name's several spellings) count them once.
  const sampledBy = new Map<string, number>();
  const shares = new Map<string, number>();
  for (const key of subject.keys) {
    const total = count(key);
    const signal = KEY_SIGNAL[key.slice(0, 2)];
    if (total < 3 || !signal) continue;
    const holders = [0];
    candidates.forEach((c, i) => c.keys.includes(key) && holders.push(i + 1));
    if (holders.length < 2) continue;
    // More holders than are worth comparing pairwise: the first (the subject and its strongest
    // candidates) are compared, and the rest of the compared holders taken to be as many people per holder.
    const sample = holders.slice(0, DEDUPE_MAX_HOLDERS);
    const sampleId = `${signal}:${sample.join(',')}`;
    let sampled = sampledBy.get(sampleId);
    if (sampled === undefined) {
      sampled = 0;
      for (let a = 0; a < sample.length; a++) {
        let others = 0;
        for (let b = 0; b < sample.length; b++) if (a !== b) others += sameAt(sample[a]!, sample[b]!, signal);
        sampled += 1 / (1 + others);
      }
      sampledBy.set(sampleId, sampled);
    }
    // Holders beyond the candidates were not read. Of a full name, they are taken alike too: a name
    // held by more profiles than are read is mostly one prolific person's, and counting each of
    // them as someone else made that person's own name weigh as if shared by a crowd. Of a surname,
    // a DOB or a feature they count one each: leaning to common.
    const unread = Math.max(0, total - holders.length);
    const people = (sampled * holders.length) / sample.length + (FULL_NAME_KEY.test(key) ? (sampled * unread) / sample.length : unread);
    // Others than the subject's own person (as keyFrequency leaves out the subject).
    shares.set(key, Math.max(0, people - 1) / (Math.max(0, population) + FREQUENCY_PRIOR_POPULATION));
  }
  return (key) => shares.get(key) ?? raw(key);
}

/**
 * One person cannot be two: of a subject's candidates above the threshold, keep them strongest
 * first, and leave out any that the ones kept say is someone else (the chance that the two
 * candidates are one person is below `threshold`, as for two people of one event). A subject that
 * looks like two different people is suggested with the likelier only, so one report never joins
 * two people's histories.
 */
export function consistentCandidates<T extends { facts: PersonFacts; probability: number }>(
  above: readonly T[],
  probability: (a: PersonFacts, b: PersonFacts) => number,
  threshold: number,
): T[] {
  const kept: T[] = [];
  for (const c of [...above].sort((x, y) => y.probability - x.probability)) {
    if (kept.every((k) => probability(k.facts, c.facts) >= threshold)) kept.push(c);
  }
  return kept;
}

/**
 * Below this chance two people already tied to either side by suggestions are one person, a new
 * suggestion between the sides is not made: it would join, in the review queue's graph, people
 * the matcher itself says are different (A ~ B and B ~ C while A and C are certainly apart).
 */
export const NEIGHBOUR_VETO = 0.05;

/**
 * Whether a suggestion between `subject` and `candidate` agrees with what each is already
 * suggested with: every pair across the two sides (each side with its pending suggestions'
 * profiles) that shares a blocking key, and so would be compared by the matcher, must have a
 * chance of at least NEIGHBOUR_VETO of being one person.
 */
export function consistentWithNeighbours(
  subject: Holder,
  candidate: Holder,
  subjectNeighbours: readonly Holder[],
  candidateNeighbours: readonly Holder[],
  probability: (a: PersonFacts, b: PersonFacts) => number,
): boolean {
  const left = [subject, ...subjectNeighbours];
  const right = [candidate, ...candidateNeighbours];
  for (const x of left)
    for (const y of right) {
      if (x === y || (x === subject && y === candidate)) continue;
      if (!x.keys.some((k) => y.keys.includes(k))) continue;
      if (probability(x.facts, y.facts) < NEIGHBOUR_VETO) return false;
    }
  return true;
}
