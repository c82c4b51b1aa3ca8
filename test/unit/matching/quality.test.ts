import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { normalisePlate } from '../../../shared/domain/events/plates';
import {
  clustersFromLinks,
  exactNameBaseline,
  linkMentions,
  mentionsOf,
  pairwiseMetrics,
} from '../../../shared/domain/matching/evaluate';
import { MAX_KEY_MEMBERS, SUGGEST_THRESHOLD } from '../../../shared/domain/matching/score';
import { generateSynthetic, type NoiseRates } from '../../../shared/domain/matching/synthetic';

/**
 * Connect the Dots end to end, in memory: synthetic repeat offenders with ground truth, every
 * mention in event order through facts → blocking keys → candidates from a key index (saturated
 * keys skipped, frequencies from the index) → score against the candidate profile's merged facts
 * → link (and merge) at the threshold. Pairwise precision/recall/F1 against the truth, and the
 * exact-name baseline alongside. Seeds, sizes and noise vary so the weights are not tuned to one
 * data set.
 */

interface Case {
  seed: number;
  identities: number;
  noiseLevel: number;
  noise?: Partial<NoiseRates>;
}
const cases: Case[] = [
  { seed: 1, identities: 300, noiseLevel: 1 },
  { seed: 2, identities: 300, noiseLevel: 0.7 },
  { seed: 3, identities: 500, noiseLevel: 1.2 },
  { seed: 4, identities: 1000, noiseLevel: 1 },
  { seed: 5, identities: 300, noiseLevel: 1, noise: { typo: 0.3, swap: 0.15, alias: 0.3, missingGiven: 0.2 } },
];

const fmt = (x: number) => x.toFixed(3);
const rows: string[] = [];
afterAll(() => {
  console.log(
    [`Connect the Dots quality (threshold ${SUGGEST_THRESHOLD}, key saturation ${MAX_KEY_MEMBERS})`, ...rows].join('\n'),
  );
});

describe('synthetic data', () => {
  const ds = generateSynthetic({ seed: 9, identities: 300 });

  it('is valid intake bodies, deterministic per seed', () => {
    for (const e of ds.events) expect(EventInputSchema.safeParse(e.body).success).toBe(true);
    expect(generateSynthetic({ seed: 9, identities: 300 })).toEqual(ds);
    expect(generateSynthetic({ seed: 10, identities: 300 }).events).not.toEqual(ds.events);
    const perIdentity = new Map<string, number>();
    for (const m of ds.mentions) perIdentity.set(m.truthId, (perIdentity.get(m.truthId) ?? 0) + 1);
    expect(perIdentity.size).toBe(300);
    expect(ds.identities).toHaveLength(300);
  });

  it('has distinct people with one common name, and cars shared between people', () => {
    const ms = mentionsOf(ds);
    const johnSmiths = ds.identities.filter((i) => i.given === 'John' && i.family === 'Smith');
    expect(johnSmiths.length).toBeGreaterThanOrEqual(5);
    expect(new Set(johnSmiths.map((i) => i.dob)).size).toBe(johnSmiths.length);
    const platesBy = new Map<string, Set<string>>();
    for (const m of ms) {
      for (const v of m.event.vehicles ?? []) {
        const p = normalisePlate(v.plate);
        platesBy.set(p, (platesBy.get(p) ?? new Set()).add(m.truthId!));
      }
    }
    expect([...platesBy.values()].some((s) => s.size > 1)).toBe(true);
  });
});

describe('metrics', () => {
  it('pairwise precision, recall and F1 over connected components', () => {
    const truth = [
      { id: 'a', truthId: 'x' },
      { id: 'b', truthId: 'x' },
      { id: 'c', truthId: 'x' },
      { id: 'd', truthId: 'y' },
    ];
    const clusters = clustersFromLinks(['a', 'b', 'c', 'd'], [
      ['a', 'b'],
      ['c', 'd'],
    ]);
    const m = pairwiseMetrics(truth, clusters);
    expect(m).toMatchObject({ truePairs: 3, predictedPairs: 2, correctPairs: 1 });
    expect(m.precision).toBeCloseTo(0.5);
    expect(m.recall).toBeCloseTo(1 / 3);
    expect(pairwiseMetrics(truth, [['a', 'b', 'c'], ['d']])).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});

describe('Connect the Dots quality', () => {
  it.each(cases)('seed $seed, $identities identities, noise $noiseLevel: precision ≥ 0.9 and F1 ≥ 0.9, far above exact names', (c) => {
    const ds = generateSynthetic(c);
    const mentions = mentionsOf(ds);
    const result = linkMentions(mentions);
    const m = pairwiseMetrics(mentions, result.clusters);
    const base = pairwiseMetrics(mentions, exactNameBaseline(mentions));
    rows.push(
      `seed ${c.seed} · ${c.identities} identities · ${mentions.length} mentions · noise ${c.noiseLevel}${c.noise ? ` ${JSON.stringify(c.noise)}` : ''}: ` +
        `P ${fmt(m.precision)} R ${fmt(m.recall)} F1 ${fmt(m.f1)} | exact-name baseline P ${fmt(base.precision)} R ${fmt(base.recall)} F1 ${fmt(base.f1)}` +
        ` | ${result.stats.candidatesScored} pairs scored, ${result.stats.saturatedLookups} saturated key look-ups`,
    );
    expect(m.precision).toBeGreaterThanOrEqual(0.9);
    expect(m.f1).toBeGreaterThanOrEqual(0.9);
    expect(base.f1).toBeLessThan(m.f1 - 0.3);
    // Candidates stay bounded: far fewer pairs scored than a comparison of everything.
    expect(result.stats.candidatesScored).toBeLessThan(mentions.length * 25);
    if (c.identities >= 1000) expect(result.stats.saturatedLookups).toBeGreaterThan(0);
  });

  it('saturation keeps work bounded without wrecking precision', () => {
    const mentions = mentionsOf(generateSynthetic({ seed: 6, identities: 300 }));
    const tight = linkMentions(mentions, { maxKeyMembers: 5 });
    const m = pairwiseMetrics(mentions, tight.clusters);
    expect(tight.stats.saturatedLookups).toBeGreaterThan(0);
    expect(m.precision).toBeGreaterThanOrEqual(0.9);
    expect(m.f1).toBeGreaterThan(0.8);
  });
});
