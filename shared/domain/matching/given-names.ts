import type { PersonFacts } from './facts';
import { canonicalGivens, normaliseFamily, normaliseGiven } from './names';

/**
 * How common each given name is among a retailer's people. A national table says Michael is one
 * person in thirty; a retailer whose offenders come from one town may have one in ten, and two
 * Michael Smiths there are often two people. The share is counted over distinct full names
 * (given and family), not profiles: one person reported ten times as "Tane Walker" counts once,
 * so a prolific offender does not make their own given name look common. Only names held by
 * MIN_HOLDERS distinct full names are kept: common names, not one person's. (One person's aliases
 * or misspellings could make three; the table stays in the retailer's own partition, is not
 * returned by any endpoint, and is replaced at each estimate. Counting surnames by their sound
 * instead, measured, dropped the common given names of a retailer with few surnames and cost
 * uk-nz small-namesakes precision 0.909 → 0.867.)
 */
const MIN_HOLDERS = 3;
/** Below this share the floor of compare.ts decides; such names are not stored. */
const MIN_SHARE = 1 / 128;

export type GivenNameShares = Readonly<Record<string, number>>;

export function givenNameShares(facts: readonly PersonFacts[]): GivenNameShares {
  const fullNames = new Set<string>();
  const holders = new Map<string, number>();
  for (const f of facts)
    for (const n of f.names) {
      const given = normaliseGiven(n.given);
      const family = normaliseFamily(n.family);
      if (!given || !family) continue;
      const full = `${given}|${family}`;
      if (fullNames.has(full)) continue;
      fullNames.add(full);
      // A nickname counts for its group too ("mike" for michael), as nameToken's prior does.
      for (const g of new Set([given, ...canonicalGivens(given)])) holders.set(g, (holders.get(g) ?? 0) + 1);
    }
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [g, n] of [...holders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const share = n / fullNames.size;
    if (n >= MIN_HOLDERS && share >= MIN_SHARE) out[g] = Number(share.toPrecision(4));
  }
  return out;
}

/** The retailer's share of a given name (with its nickname groups), 0 when not kept. */
export function retailerGivenShare(shares: GivenNameShares | undefined, norm: string, canon: readonly string[]): number {
  if (!shares) return 0;
  // Own properties only: a given name "constructor" is not the object's.
  const of = (name: string) => (Object.hasOwn(shares, name) ? (shares[name] ?? 0) : 0);
  let share = of(norm);
  for (const c of canon) share = Math.max(share, of(c));
  return share;
}
