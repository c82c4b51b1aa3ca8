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

/**
 * Holders are one person for this purpose only when that is near certain: a looser bar would let
 * a shared common name group its holders, and so make itself look rare.
 */
export const SAME_PERSON_PROBABILITY = 0.95;
/** Keys whose share is counted in people rather than profiles (at most this many holders are grouped). */
const DEDUPE_MAX_HOLDERS = 12;
const DEDUPED_KINDS = new Set(['nm', 'fm', 'ny', 'db', 'ph', 'pl', 'po', 'ft']);

export interface Holder {
  facts: PersonFacts;
  keys: readonly string[];
}

/**
 * Key shares that count people, not profiles. Until a human merges them, one person reported ten
 * times is ten profiles, and a rare name they all hold would look common: the more often someone
 * offends, the weaker their own name would weigh. So the holders of each of the subject's keys
 * among the candidates (few enough to compare) are grouped, each group that `same` says is one
 * person counting once; holders not among the candidates count one each.
 */
export function peopleFrequency(
  subject: Holder,
  candidates: readonly Holder[],
  count: (key: string) => number,
  population: number,
  same: (a: PersonFacts, b: PersonFacts, frequency: (key: string) => number) => boolean,
): (key: string) => number {
  const raw = (key: string) => keyFrequency(count(key), population);
  const verdicts = new Map<string, boolean>();
  const all = [subject, ...candidates];
  const sameAt = (i: number, j: number): boolean => {
    const id = i < j ? `${i}:${j}` : `${j}:${i}`;
    let v = verdicts.get(id);
    if (v === undefined) verdicts.set(id, (v = same(all[i]!.facts, all[j]!.facts, raw)));
    return v;
  };
  const shares = new Map<string, number>();
  for (const key of subject.keys) {
    const total = count(key);
    if (total < 3 || !DEDUPED_KINDS.has(key.slice(0, 2))) continue;
    const holders = [0];
    candidates.forEach((c, i) => c.keys.includes(key) && holders.push(i + 1));
    if (holders.length < 2 || holders.length > DEDUPE_MAX_HOLDERS) continue;
    const parent = holders.map((_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    for (let a = 0; a < holders.length; a++) {
      for (let b = a + 1; b < holders.length; b++) {
        if (find(a) !== find(b) && sameAt(holders[a]!, holders[b]!)) parent[find(a)] = find(b);
      }
    }
    const groups = new Set(holders.map((_, i) => find(i))).size;
    const people = groups + Math.max(0, total - holders.length);
    // Others than the subject's own group (as keyFrequency leaves out the subject).
    shares.set(key, Math.max(0, people - 1) / (Math.max(0, population) + FREQUENCY_PRIOR_POPULATION));
  }
  return (key) => shares.get(key) ?? raw(key);
}
