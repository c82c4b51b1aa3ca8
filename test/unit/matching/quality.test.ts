import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { normalisePlate } from '../../../shared/domain/events/plates';
import { estimateModel } from '../../../shared/domain/matching/estimate';
import { factsOfPerson } from '../../../shared/domain/matching/facts';
import { ESTIMATE_RULES, PRIOR_MODEL, PRIOR_POPULATION, modelIsStale, rematchDue, REMATCH_MAX_PEOPLE } from '../../../shared/domain/matching/model';
import { calibration, clustersFromLinks, exactNameBaseline, mentionsOf, pairwiseMetrics, precisionAtTop, simulateService } from '../../../eval/evaluate';
import { fromDaybreak } from '../../../eval/datasets';
import { generateSynthetic } from '../../../eval/generators/daybreak/generator';

/**
 * Connect the Dots end to end, in memory, as the service runs it (eval/evaluate.ts): people
 * reported in time order, each a profile; candidates from the key index; scored under the
 * retailer's model, re-estimated from its profiles as they grow; suggestions at the threshold.
 * The full evaluation over independent generators is `npm run eval:ctd`; these are the quick
 * guards that run with every test.
 */

const fmt = (x: number) => x.toFixed(3);
const rows: string[] = [];
afterAll(() => console.log(['Connect the Dots quality (in process, estimated models)', ...rows].join('\n')));

describe('synthetic data', () => {
  const ds = generateSynthetic({ seed: 9, identities: 300 });

  it('is valid intake bodies, deterministic per seed', () => {
    for (const e of ds.events) expect(EventInputSchema.safeParse(e.body).success).toBe(true);
    expect(generateSynthetic({ seed: 9, identities: 300 })).toEqual(ds);
    expect(generateSynthetic({ seed: 10, identities: 300 }).events).not.toEqual(ds.events);
  });

  it('has distinct people with one common name, and cars shared between people', () => {
    const johnSmiths = ds.identities.filter((i) => i.given === 'John' && i.family === 'Smith');
    expect(johnSmiths.length).toBeGreaterThanOrEqual(5);
    const ms = mentionsOf(fromDaybreak(ds));
    const platesBy = new Map<string, Set<string>>();
    for (const m of ms) for (const v of m.event.vehicles ?? []) platesBy.set(normalisePlate(v.plate), (platesBy.get(normalisePlate(v.plate)) ?? new Set()).add(m.truthId!));
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
    const m = pairwiseMetrics(truth, clustersFromLinks(['a', 'b', 'c', 'd'], [['a', 'b'], ['c', 'd']]));
    expect(m).toMatchObject({ truePairs: 3, predictedPairs: 2, correctPairs: 1 });
    expect(m.precision).toBeCloseTo(0.5);
    expect(m.recall).toBeCloseTo(1 / 3);
  });

  it('calibration: a stated 0.8 right 8 times in 10 is calibrated; right every time is not', () => {
    const stated = (n: number, p: number, right: number) => Array.from({ length: n }, (_, i) => ({ probability: p, same: i < right }));
    expect(calibration(stated(10, 0.85, 8)).ece).toBeCloseTo(0.05);
    expect(calibration(stated(10, 0.85, 10)).ece).toBeCloseTo(0.15);
    expect(precisionAtTop([...stated(5, 0.9, 5), ...stated(5, 0.6, 0)], 5)).toBe(1);
  });
});

describe('estimation', () => {
  const ds = fromDaybreak(generateSynthetic({ seed: 3, identities: 400 }));
  const mentions = mentionsOf(ds);
  const profiles = mentions.map((m) => ({ facts: factsOfPerson(m.event, m.person) }));

  it('learns from the data: identifiers agree far more often between true matches than strangers, and the match share is near the truth', () => {
    const model = estimateModel({ profiles, seed: 1 });
    expect(model.source).toBe('estimated');
    for (const [s, l] of [['name', 'full-exact'], ['dob', 'exact'], ['phone', 'exact'], ['plate', 'exact']] as const) {
      const p = model.signals[s][l]!;
      expect(p.m / p.u).toBeGreaterThan(50);
    }
    // Truth: matching pairs per person among these mentions.
    const sizes = new Map<string, number>();
    for (const m of mentions) sizes.set(m.truthId!, (sizes.get(m.truthId!) ?? 0) + 1);
    const truePerPerson = ([...sizes.values()].reduce((s, n) => s + n * (n - 1), 0)) / mentions.length;
    // Stated against the smoothed denominator of priorMatchShare: back to matches per person among these people.
    const estimated = (model.matchesPerPerson * (mentions.length - 1)) / (mentions.length - 1 + PRIOR_POPULATION);
    expect(estimated).toBeGreaterThan(truePerPerson * 0.6);
    expect(estimated).toBeLessThan(truePerPerson * 1.4);
  });

  it('is deterministic for a seed, and stays the prior without people to learn from', () => {
    expect(estimateModel({ profiles, seed: 5, now: new Date(0) })).toEqual(estimateModel({ profiles, seed: 5, now: new Date(0) }));
    const empty = estimateModel({ profiles: [], now: new Date(0) });
    expect(empty.source).toBe('prior');
    expect(empty.matchesPerPerson).toBe(PRIOR_MODEL.matchesPerPerson);
  });

  it('decisions teach it: rejected pairs that agree on a phone make a shared phone worth less', () => {
    const phonePair = { levels: { phone: 'exact', name: 'differ' }, tf: { phone: 1e-4 }, sameEvent: false };
    const base = estimateModel({ profiles, seed: 1 });
    const taught = estimateModel({ profiles, seed: 1, labelled: Array.from({ length: 300 }, () => ({ comparison: phonePair, match: false })) });
    const accepted = estimateModel({ profiles, seed: 1, labelled: Array.from({ length: 300 }, () => ({ comparison: phonePair, match: true })) });
    expect(taught.pairs.labelled).toBe(300);
    expect(accepted.signals.name.differ!.m).toBeGreaterThan(base.signals.name.differ!.m);
    expect(taught.signals.name.differ!.m).toBeLessThanOrEqual(base.signals.name.differ!.m + 1e-9);
  });

  it('is re-estimated when the population moves by a quarter, not before', () => {
    const model = { ...PRIOR_MODEL, source: 'estimated' as const, people: 1000, rules: ESTIMATE_RULES };
    expect(modelIsStale(PRIOR_MODEL, 49)).toBe(false);
    expect(modelIsStale(PRIOR_MODEL, 50)).toBe(true);
    expect(modelIsStale(model, 1200)).toBe(false);
    expect(modelIsStale(model, 1250)).toBe(true);
    expect(modelIsStale(model, 800)).toBe(true);
    // Learned under rules the estimate no longer follows: stale at any population.
    expect(modelIsStale({ ...model, rules: undefined }, 1000)).toBe(true);
    expect(modelIsStale({ ...model, rules: 1 }, 1000)).toBe(true);
  });

  it('a small retailer is matched again in full at its first estimate, then each time it has doubled', () => {
    expect(rematchDue(undefined, 50)).toBe(true);
    expect(rematchDue(50, 78)).toBe(false);
    expect(rematchDue(50, 100)).toBe(true);
    expect(rematchDue(3000, REMATCH_MAX_PEOPLE)).toBe(false);
    expect(rematchDue(2000, REMATCH_MAX_PEOPLE + 1)).toBe(false);
    // Shrunk by retention: a little changes nothing, a half is as much as a doubling.
    expect(rematchDue(1000, 990)).toBe(false);
    expect(rematchDue(1000, 500)).toBe(true);
  });
});

describe('Connect the Dots quality on the own generator (the independent ones: npm run eval:ctd)', () => {
  it.each([
    { seed: 1, identities: 150, noiseLevel: 1 },
    { seed: 4, identities: 800, noiseLevel: 1.2 },
  ])('seed $seed, $identities identities, noise $noiseLevel: precision ≥ 0.95 and F1 ≥ 0.8, far above exact names, calibrated', (c) => {
    const mentions = mentionsOf(fromDaybreak(generateSynthetic(c)));
    const run = simulateService(mentions);
    const m = pairwiseMetrics(mentions, run.clusters);
    const base = pairwiseMetrics(mentions, exactNameBaseline(mentions));
    const cal = calibration(run.links, 0);
    rows.push(`seed ${c.seed} · ${c.identities} identities · ${mentions.length} mentions: P ${fmt(m.precision)} R ${fmt(m.recall)} F1 ${fmt(m.f1)} ECE ${fmt(cal.ece)} | exact names F1 ${fmt(base.f1)}`);
    // Precision first: a wrong link joins two people's histories (SUGGEST_PROBABILITY).
    expect(m.precision).toBeGreaterThanOrEqual(0.95);
    expect(m.f1).toBeGreaterThanOrEqual(0.8);
    expect(base.f1).toBeLessThan(m.f1 - 0.3);
    expect(cal.ece).toBeLessThanOrEqual(0.08);
    // Candidates stay bounded: far fewer pairs scored than a comparison of everything.
    expect(run.stats.candidatesScored).toBeLessThan(mentions.length * 25);
    // Re-matching after each estimate (while small) costs a few times the population's matching, not more.
    expect(run.stats.rematchCandidates).toBeLessThan(mentions.length * 25 * 6);
    // Pure computation: the bound catches a hang, not a slow runner (a loaded CI machine took 87 s for this file).
  }, 180_000);
});
