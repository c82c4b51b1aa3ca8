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
