import { estimateModel, monotone } from '../../../shared/domain/matching/estimate';
import { factsOfPerson, type PersonFacts } from '../../../shared/domain/matching/facts';
import { mulberry32 } from '../../../shared/domain/matching/random';
import { blockingKeys, KEY_KIND_SIGNALS, keyKind } from '../../../shared/domain/matching/keys';
import { ESTIMATE_RULES, PRIOR_MODEL } from '../../../shared/domain/matching/model';

/**
 * Issue 18's fourth December audit: a small retailer whose people come from a handful of given
 * and family names, most of them seen once. Learned freely, its model took strangers sharing a
 * name for one person (blocking had found them for the name they share), learned that one
 * person's reports mostly disagree on DOB, and weighed reports at other stores far apart in time
 * as evidence of one person.
 */
const GIVEN = ['John', 'James', 'David', 'Michael', 'Peter', 'Mark', 'Paul', 'Andrew', 'Sarah', 'Emma', 'Kate', 'Anna', 'Lucy', 'Mary', 'Jane', 'Ruth'];
const FAMILY = ['Smith', 'Brown', 'Wilson', 'Taylor', 'Jones', 'Williams', 'Walker', 'Harris', 'Martin', 'Clark', 'White', 'Thompson', 'King', 'Wright', 'Hall', 'Young'];

/** 120 people from 16 × 16 names, each with a DOB; one in six reported two or three times, within days, with the same name and DOB. */
function namesakes(seed: number) {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const profiles: { facts: ReturnType<typeof factsOfPerson> }[] = [];
  let t = Date.parse('2026-01-05T09:00:00Z');
  for (let i = 0; i < 120; i++) {
    const name = { given: pick(GIVEN), family: pick(FAMILY) };
    const dateOfBirth = `${1960 + Math.floor(rand() * 40)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`;
    const reports = rand() < 1 / 6 ? 2 + Math.floor(rand() * 2) : 1;
    for (let k = 0; k < reports; k++) {
      t += 3_600_000 * (2 + Math.floor(rand() * 40));
      const event = { id: `e${i}-${k}`, storeId: `s${Math.floor(rand() * 4)}`, occurredAt: new Date(t).toISOString(), type: 'shoplifting', people: [] };
      profiles.push({ facts: factsOfPerson(event, { ref: 'p1', role: 'offender', name, dateOfBirth }) });
    }
  }
  return profiles;
}

const bits = (p: { m: number; u: number }) => Math.log2(p.m / p.u);

describe('estimating a namesake-heavy retailer', () => {
  it.each([1, 2, 3])('seed %i: one person\'s reports are learned to agree on DOB, and levels weigh in order', (seed) => {
    const model = estimateModel({ profiles: namesakes(seed), seed: 1, now: new Date(0) });
    expect(model.source).toBe('estimated');
    // Every repeat here carries its DOB unchanged: what EM calls one person disagrees on it rarely.
    expect(model.signals.dob.differ!.m).toBeLessThan(0.15);
    // Pooled levels weigh alike up to the stored rounding (six significant digits of m and u).
    const ordered = (s: 'context' | 'offence', hi: string, lo: string) => bits(model.signals[s][hi]!) - bits(model.signals[s][lo]!) >= -1e-4;
    for (const [s, hi, lo] of [
      ['context', 'store-near', 'store'],
      ['context', 'store-near', 'near'],
      ['context', 'store', 'none'],
      ['context', 'near', 'none'],
      ['offence', 'products', 'type'],
      ['offence', 'type', 'none'],
    ] as const) expect({ s, hi, lo, ordered: ordered(s, hi, lo) }).toEqual({ s, hi, lo, ordered: true });
    // The weakest where-and-when and what never weigh for a match.
    expect(bits(model.signals.context.none!)).toBeLessThanOrEqual(1e-4);
    expect(bits(model.signals.offence.none!)).toBeLessThanOrEqual(1e-4);
  });

  it('a name learns m from pairs other keys found: people whose surnames differ by a letter, found for their sound, do not teach that one person\'s names differ', () => {
    // Surnames one letter apart (one sound key), given names one letter apart; a sixth of the people reported twice with name and DOB.
    const rand = mulberry32(7);
    const profiles: { facts: PersonFacts }[] = [];
    let t = Date.parse('2026-01-05T09:00:00Z');
    for (let i = 0; i < 100; i++) {
      const name = { given: `Tevita${String.fromCharCode(65 + (i % 26))}`, family: `Faleolo${String.fromCharCode(97 + (i % 7))}` };
      const dateOfBirth = `${1960 + Math.floor(rand() * 40)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`;
      for (let k = 0; k < (i % 6 === 0 ? 2 : 1); k++) {
        t += 3_600_000 * (2 + Math.floor(rand() * 40));
        const event = { id: `e${i}-${k}`, storeId: `s${Math.floor(rand() * 4)}`, occurredAt: new Date(t).toISOString(), type: 'shoplifting', people: [] };
        profiles.push({ facts: factsOfPerson(event, { ref: 'p1', role: 'offender', name, dateOfBirth }) });
      }
    }
    const name = estimateModel({ profiles, seed: 1, now: new Date(0) }).signals.name;
    // Taught by the pairs its keys found, EM learned the opposite: m 0.99 for a name one letter off, 0.01 for the same name.
    expect(name['full-exact']!.m).toBeGreaterThan(0.5);
    expect(name['full-fuzzy']!.m).toBeLessThan(0.3);
  });

  it('every kind of key a person can have says which signals it selects on', () => {
    const facts: PersonFacts = {
      ...factsOfPerson(
        { id: 'e1', storeId: 's1', occurredAt: '2026-01-05T09:00:00Z', type: 'shoplifting', people: [], vehicles: [{ plate: 'ABC123' }] },
        { ref: 'p1', role: 'offender', name: { given: 'Aroha', family: 'Ngata-Smith', aliases: ['Ro'] }, dateOfBirth: '1990-04-01', ageRange: { min: 30, max: 40 }, phone: '+64211234567', distinguishingFeatures: ['tattoo of a snake on left forearm'] },
        ['0f0f0f0f0f0f0f0f'],
      ),
    };
    const kinds = new Set(blockingKeys(facts, { imageMatching: true }).map(keyKind));
    expect(kinds.size).toBeGreaterThanOrEqual(8);
    for (const kind of kinds) expect({ kind, known: kind in KEY_KIND_SIGNALS }).toEqual({ kind, known: true });
  });

  it('a model learned under earlier rules is not the prior of the next estimate', () => {
    const profiles = namesakes(1);
    const fresh = estimateModel({ profiles, seed: 1, now: new Date(0) });
    expect(fresh.rules).toBe(ESTIMATE_RULES);
    // A stored model of the first rules, its name weights inverted as the audit found them.
    const inverted = { ...fresh, rules: undefined, signals: { ...fresh.signals, name: { ...fresh.signals.name, 'full-exact': { m: 0.01, u: 1e-4 }, 'full-fuzzy': { m: 0.9, u: 1e-4 } } } };
    expect(estimateModel({ profiles, seed: 1, now: new Date(0), prior: inverted })).toEqual(estimateModel({ profiles, seed: 1, now: new Date(0), prior: PRIOR_MODEL }));
    // Under the current rules it is the prior, as before.
    expect(estimateModel({ profiles, seed: 1, now: new Date(0), prior: { ...inverted, rules: ESTIMATE_RULES } })).not.toEqual(fresh);
  });
});

describe('monotone', () => {
  const chain = [[0, 1], [1, 2]] as const;

  it('keeps levels already in order', () => {
    const m = [0.5, 0.3, 0.2];
    expect(monotone(m, [0.01, 0.1, 0.89], chain)).toEqual(m);
  });

  it('pools a level weighing more than the one it must not outweigh, at their summed m over summed u, and m keeps its sum', () => {
    const u = [0.1, 0.1, 0.8];
    const out = monotone([0.2, 0.6, 0.2], u, chain);
    expect(out[0]).toBeCloseTo(0.4);
    expect(out[1]).toBeCloseTo(0.4);
    expect(out[2]).toBe(0.2);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('a signal wholly out of order weighs nothing', () => {
    const u = [0.2, 0.3, 0.5];
    const out = monotone([0.05, 0.15, 0.8], u, chain);
    out.forEach((x, i) => expect(x / u[i]!).toBeCloseTo(1));
  });

  it('leaves unranked levels unranked: same store months apart and another store the same week', () => {
    // store-near ≥ store ≥ none, store-near ≥ near ≥ none; here near outweighs store, which is allowed.
    const context = [[0, 1], [0, 2], [1, 3], [2, 3]] as const;
    const m = [0.5, 0.05, 0.4, 0.05];
    const u = [0.2, 0.2, 0.3, 0.3];
    expect(monotone(m, u, context)).toEqual(m);
    // none above near (0.75 against 0.33 of m/u) is pooled with it, at 0.4 over 0.7, and with nothing else.
    const out = monotone([0.3, 0.3, 0.1, 0.3], [0.1, 0.2, 0.3, 0.4], context);
    expect(out.slice(0, 2)).toEqual([0.3, 0.3]);
    expect(out[2]).toBeCloseTo((0.4 / 0.7) * 0.3);
    expect(out[3]).toBeCloseTo((0.4 / 0.7) * 0.4);
    // near above store-near is pooled with it (1.5), not with store too: pooling greedily tied all three (1.33).
    const least = monotone([0, 0.25, 0.75, 0], [0.25, 0.25, 0.25, 0.25], context);
    expect(least[0]).toBeCloseTo(0.375);
    expect(least[1]).toBe(0.25);
    expect(least[2]).toBeCloseTo(0.375);
    expect(least[3]).toBe(0);
  });
});
