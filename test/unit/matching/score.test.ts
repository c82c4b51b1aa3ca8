import { EMPTY_FACTS, factsOfPerson, mergeFacts, type EventLike, type PersonFacts } from '../../../shared/domain/matching/facts';
import { familyKey, nameKeys } from '../../../shared/domain/matching/keys';
import {
  keyFrequency,
  rankCandidates,
  scorePair,
  SUGGEST_THRESHOLD,
  MAX_KEY_MEMBERS,
  type PairScore,
  type ScoreContext,
} from '../../../shared/domain/matching/score';
import { generateSynthetic } from '../../../shared/domain/matching/synthetic';
import { mentionsOf } from '../../../shared/domain/matching/evaluate';

let seq = 0;
/** Each mention its own event, in a different store, a year apart: no context evidence unless asked for. */
function mention(
  person: Record<string, unknown>,
  ev: Partial<EventLike> = {},
  imageHashes?: string[],
): PersonFacts {
  seq += 1;
  return factsOfPerson(
    {
      id: `ev-${seq}`,
      storeId: `store-${seq}`,
      occurredAt: `${2000 + seq}-06-01T10:00:00Z`,
      type: `type-${seq}`,
      ...ev,
    },
    person,
    imageHashes,
  );
}
const named = (given: string | undefined, family: string | undefined, more: Record<string, unknown> = {}, ev: Partial<EventLike> = {}) =>
  mention({ name: { ...(given ? { given } : {}), ...(family ? { family } : {}) }, ...more }, ev);

const unknown: ScoreContext = { frequency: () => 0, imageMatching: false };
const score = (a: PersonFacts, b: PersonFacts, ctx: ScoreContext = unknown): PairScore => scorePair(a, b, ctx);
const signal = (s: PairScore, name: string) => s.reasons.filter((r) => r.signal === name);
const weightOf = (s: PairScore, name: string) => signal(s, name).reduce((w, r) => w + r.weight, 0);

describe('scorePair: decisions the product promises', () => {
  it('a common name alone stays below the threshold (John Smith, with or without retailer data)', () => {
    expect(score(named('John', 'Smith'), named('John', 'Smith')).score).toBeLessThan(SUGGEST_THRESHOLD);
    expect(score(named('Michael', 'Brown'), named('Michael', 'Brown')).score).toBeLessThan(SUGGEST_THRESHOLD);
    const smithsEverywhere: ScoreContext = { frequency: (k) => (k === familyKey('Smith') ? 0.02 : 0), imageMatching: false };
    expect(score(named('John', 'Smith'), named('John', 'Smith'), smithsEverywhere).score).toBeLessThan(SUGGEST_THRESHOLD);
  });

  it('any name whose family key is frequent in the retailer stays below the threshold', () => {
    const common: ScoreContext = { frequency: (k) => (k === familyKey('Kowalczyk') ? 0.05 : 0), imageMatching: false };
    expect(score(named('Anna', 'Kowalczyk'), named('Anna', 'Kowalczyk'), common).score).toBeLessThan(SUGGEST_THRESHOLD);
    // A full name many people of the retailer hold is capped too.
    const sameName: ScoreContext = { frequency: (k) => (k === nameKeys('Kowalczyk', 'Anna')[0] ? 0.01 : 0), imageMatching: false };
    expect(score(named('Anna', 'Kowalczyk'), named('Anna', 'Kowalczyk'), sameName).score).toBeLessThan(SUGGEST_THRESHOLD);
  });

  it('the same rare full name with nothing else reaches it', () => {
    const s = score(named('Anna', 'Kowalczyk'), named('Anna', 'Kowalczyk'));
    expect(s.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
    expect(s.reasons).toEqual([{ signal: 'name', detail: expect.stringContaining('family Kowalczyk = Kowalczyk'), weight: s.score }]);
  });

  it('rare surnames weigh more than common ones (term frequency)', () => {
    const rare = weightOf(score(named(undefined, 'Kowalczyk'), named(undefined, 'Kowalczyk')), 'name');
    const common = weightOf(score(named(undefined, 'Smith'), named(undefined, 'Smith')), 'name');
    expect(rare).toBeGreaterThan(common + 3);
    const freq = (f: number): ScoreContext => ({ frequency: (k) => (k === familyKey('Kowalczyk') ? f : 0), imageMatching: false });
    const w = [0.0001, 0.001, 0.01, 0.1].map((f) => weightOf(score(named(undefined, 'Kowalczyk'), named(undefined, 'Kowalczyk'), freq(f)), 'name'));
    for (let i = 1; i < w.length; i++) expect(w[i]!).toBeLessThan(w[i - 1]!);
    expect(w[0]).toBeLessThanOrEqual(11); // capped: a floor on u
  });

  it('a strong identifier reaches it: same DOB with a similar name, same phone, same plate with a similar name', () => {
    const dob = score(named('Jon', 'Smyth', { dateOfBirth: '1990-04-01' }), named('John', 'Smith', { dateOfBirth: '1990-04-01' }));
    expect(dob.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
    expect(signal(dob, 'dob')[0]!.weight).toBeGreaterThan(8);

    const phone = score(mention({ phone: '+64211234567' }), mention({ phone: '+64211234567' }));
    expect(phone.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);

    const plate = score(named('Jon', 'Smyth', {}, { vehicles: [{ plate: 'ABC 123' }] }), named('John', 'Smith', {}, { vehicles: [{ plate: 'abc-123' }] }));
    expect(plate.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
    const plateNick = score(named('Mike', undefined, {}, { vehicles: [{ plate: 'ABC 123' }] }), named('Michael', 'Brown', {}, { vehicles: [{ plate: 'ABC123' }] }));
    expect(plateNick.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
  });

  it('one identifier without a name does not (DOB, plate, features, context)', () => {
    const ctxEv = { storeId: 'akl-1', occurredAt: '2026-01-01T10:00:00Z', type: 'shoplifting', products: [{ sku: '1', name: 'x' }] };
    expect(score(mention({ dateOfBirth: '1990-04-01' }, ctxEv), mention({ dateOfBirth: '1990-04-01' }, { ...ctxEv, id: 'other' })).score).toBeLessThan(SUGGEST_THRESHOLD);
    expect(score(mention({}, { ...ctxEv, vehicles: [{ plate: 'ABC123' }] }), mention({}, { ...ctxEv, vehicles: [{ plate: 'ABC123' }] })).score).toBeLessThan(SUGGEST_THRESHOLD);
    const f = ['tattoo of a scorpion on left hand', 'teardrop under right eye'];
    expect(score(mention({ distinguishingFeatures: f }, ctxEv), mention({ distinguishingFeatures: f }, ctxEv)).score).toBeLessThan(SUGGEST_THRESHOLD);
  });

  it('a family car is not the same person: same surname and plate, different given names', () => {
    const s = score(named('Anna', 'Kowalczyk', {}, { vehicles: [{ plate: 'ABC123' }] }), named('Piotr', 'Kowalczyk', {}, { vehicles: [{ plate: 'ABC123' }] }));
    expect(s.score).toBeLessThan(SUGGEST_THRESHOLD);
    expect(signal(s, 'plate')[0]!.detail).toMatch(/relative|family car/);
  });

  it('two people of one event are never the same person', () => {
    const ev = { id: 'ev-same', storeId: 's', occurredAt: '2026-01-01T10:00:00Z', type: 'shoplifting' };
    const s = score(mention({ name: { given: 'Anna', family: 'Kowalczyk' }, phone: '+64211234567' }, ev), mention({ name: { given: 'Anna', family: 'Kowalczyk' }, phone: '+64211234567' }, ev));
    expect(s.score).toBeLessThan(0);
    expect(signal(s, 'event')).toHaveLength(1);
  });
});

describe('scorePair: each signal', () => {
  it('names: nicknames both ways, given/family swapped, typos, phonetics; reasons say which', () => {
    const nick = score(named('Bob', 'Kowalczyk'), named('Robert', 'Kowalczyk'));
    expect(signal(nick, 'name')[0]!.detail).toMatch(/given Bob = Robert \(nickname\)/);
    expect(score(named('Robert', 'Kowalczyk'), named('Bob', 'Kowalczyk')).score).toBeCloseTo(nick.score, 9);
    for (const [x, y] of [['Liam', 'William'], ['Bill', 'Will'], ['Liz', 'Beth'], ['Katie', 'Katherine'], ['Jimmy', 'James'], ['Jon', 'John']]) {
      expect(signal(score(named(x, 'Kowalczyk'), named(y, 'Kowalczyk')), 'name')[0]!.detail).toMatch(/nickname/);
    }
    const exact = weightOf(score(named('Robert', 'Kowalczyk'), named('Robert', 'Kowalczyk')), 'name');
    expect(weightOf(nick, 'name')).toBeLessThan(exact);

    const swapped = score(named('Kowalczyk', 'Anna'), named('Anna', 'Kowalczyk'));
    expect(signal(swapped, 'name')[0]!.detail).toMatch(/swapped/);
    expect(swapped.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);

    const typo = score(named('Anna', 'Kowalcyzk'), named('Anna', 'Kowalczyk'));
    expect(signal(typo, 'name')[0]!.detail).toMatch(/Kowalcyzk ~ Kowalczyk/);
    expect(weightOf(typo, 'name')).toBeLessThan(exact);
    expect(weightOf(typo, 'name')).toBeGreaterThan(exact - 4);

    const phonetic = score(named('Jon', 'Smyth'), named('John', 'Smith'));
    expect(signal(phonetic, 'name')[0]!.detail).toBe('family Smyth ~ Smith (sounds alike) (1.5%), given Jon = John (nickname)');

    // Different names count against; a sound-alike code alone is not similarity ("Waite"/"Wood").
    expect(weightOf(score(named('Anna', 'Kowalczyk'), named('Maria', 'Nowak')), 'name')).toBeLessThan(-5);
    expect(weightOf(score(named('Anna', 'Waite'), named('Anna', 'Wood')), 'name')).toBeLessThan(3);
  });

  it('missing fields are no evidence, never negative', () => {
    const full = named('Anna', 'Kowalczyk', { dateOfBirth: '1990-04-01', phone: '+64211234567', distinguishingFeatures: ['scar on chin'] }, { vehicles: [{ plate: 'ABC123' }] });
    const sparse = named(undefined, 'Kowalczyk');
    const s = score(full, sparse);
    expect(s.reasons.map((r) => r.signal)).toEqual(['name']);
    expect(s.reasons.every((r) => r.weight >= 0)).toBe(true);
    expect(score(full, mention({})).reasons).toEqual([]);
    expect(score(EMPTY_FACTS, EMPTY_FACTS)).toEqual({ score: 0, reasons: [] });
    // given-only against family-only: nothing to compare
    expect(score(named('Anna', undefined), named(undefined, 'Kowalczyk')).reasons).toEqual([]);
  });

  it('DOB: same is strong, conflicting is strongly negative, a slip is not held against', () => {
    const base = () => named('Anna', 'Kowalczyk');
    const withDob = (d: string) => named('Anna', 'Kowalczyk', { dateOfBirth: d });
    expect(weightOf(score(withDob('1990-04-01'), withDob('1990-04-01')), 'dob')).toBeGreaterThan(8);
    expect(weightOf(score(withDob('1990-04-01'), withDob('1984-11-23')), 'dob')).toBeLessThanOrEqual(-5);
    expect(weightOf(score(withDob('1990-04-01'), withDob('1990-01-04')), 'dob')).toBeGreaterThanOrEqual(0);
    expect(weightOf(score(withDob('1990-04-01'), withDob('1990-04-07')), 'dob')).toBeGreaterThanOrEqual(0);
    expect(signal(score(withDob('1990-04-01'), base()), 'dob')).toEqual([]);
    // a DOB everybody "has" (a default typed in) weighs little
    const placeholder: ScoreContext = { frequency: (k) => (k === 'db:19000101' ? 0.2 : 0), imageMatching: false };
    expect(weightOf(score(withDob('1900-01-01'), withDob('1900-01-01'), placeholder), 'dob')).toBeLessThan(3);
  });

  it('phone: same is strong, different is a weak negative at most', () => {
    const p = (n: string) => mention({ phone: n });
    expect(weightOf(score(p('+64211234567'), p('+64211234567')), 'phone')).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
    const diff = weightOf(score(p('+64211234567'), p('+64219999999')), 'phone');
    expect(diff).toBeLessThan(0);
    expect(diff).toBeGreaterThanOrEqual(-1.5);
    const shop: ScoreContext = { frequency: (k) => (k === 'ph:6493000000' ? 0.1 : 0), imageMatching: false };
    expect(weightOf(score(p('+6493000000'), p('+6493000000'), shop), 'phone')).toBeLessThan(4);
  });

  it('plate: exact, OCR-confusable (weaker), one character off (weak), different (nothing)', () => {
    const car = (plate: string) => mention({}, { vehicles: [{ plate }] });
    const exact = weightOf(score(car('ABC 123'), car('abc-123')), 'plate');
    const ocr = score(car('ABC123'), car('A8C1Z3'));
    const near = weightOf(score(car('ABC123'), car('ABC128')), 'plate');
    expect(exact).toBeGreaterThan(8);
    expect(signal(ocr, 'plate')[0]!.detail).toMatch(/OCR/);
    expect(weightOf(ocr, 'plate')).toBeLessThan(exact);
    expect(weightOf(ocr, 'plate')).toBeGreaterThan(near);
    expect(near).toBeGreaterThan(0);
    expect(signal(score(car('ABC123'), car('XYZ789')), 'plate')).toEqual([]);
  });

  it('features: shared informative words count (rarer more), paraphrases match, generic words barely', () => {
    const f = (...t: string[]) => mention({ distinguishingFeatures: t });
    const snake = score(f('tattoo of a snake on left forearm'), f('snake tatt, R forearm'));
    expect(signal(snake, 'feature')[0]!.detail).toMatch(/snake/);
    expect(weightOf(snake, 'feature')).toBeGreaterThan(4);
    expect(weightOf(score(f('tattoo on arm'), f('tattoos, arm')), 'feature')).toBeLessThanOrEqual(0.5);
    expect(weightOf(score(f('scar on chin'), f('gold tooth')), 'feature')).toBeLessThan(0);
    const commonSnake: ScoreContext = { frequency: (k) => (k === 'ft:snake' ? 0.3 : 0), imageMatching: false };
    expect(weightOf(score(f('snake tattoo'), f('snake tattoo'), commonSnake), 'feature')).toBeLessThan(1.5);
  });

  it('context: time, store, products and type are weak and capped together', () => {
    const ev = { storeId: 'akl-1', occurredAt: '2026-01-01T10:00:00Z', type: 'refund-fraud', products: [{ sku: 'SKU1', name: 'Razor blades' }] };
    const s = score(mention({}, ev), mention({}, { ...ev, occurredAt: '2026-01-02T09:00:00Z' }));
    expect(s.reasons.map((r) => r.signal).sort()).toEqual(['products', 'store', 'time', 'type']);
    expect(s.score).toBeLessThanOrEqual(1);
    expect(s.score).toBeGreaterThan(0);
    const far = score(mention({}, { ...ev, storeId: 'x', products: [] }), mention({}, { ...ev, storeId: 'y', products: [], occurredAt: '2026-06-01T00:00:00Z' }));
    expect(far.reasons.map((r) => r.signal)).toEqual(['type']);
  });

  it('image hashes count only when the retailer opted in', () => {
    const a = factsOfPerson({ id: 'a', storeId: 's1', occurredAt: '2001-01-01T00:00:00Z', type: 't1' }, {}, ['0123456789abcdef']);
    const b = factsOfPerson({ id: 'b', storeId: 's2', occurredAt: '2009-01-01T00:00:00Z', type: 't2' }, {}, ['0123456789abcdee']);
    const c = factsOfPerson({ id: 'c', storeId: 's3', occurredAt: '2012-01-01T00:00:00Z', type: 't3' }, {}, ['fedcba9876543210']);
    expect(score(a, b).reasons).toEqual([]);
    const on = { frequency: () => 0, imageMatching: true };
    expect(score(a, b, on).reasons).toEqual([{ signal: 'image', detail: expect.stringMatching(/near-identical/), weight: expect.any(Number) }]);
    expect(score(a, c, on).reasons).toEqual([]);
  });

  it('every weight is explained: the score is the sum of the reasons, each with a signal and a detail', () => {
    const ms = mentionsOf(generateSynthetic({ seed: 7, identities: 60 }));
    const facts = ms.map((m) => factsOfPerson(m.event, m.person));
    const signals = new Set(['name', 'dob', 'phone', 'plate', 'feature', 'time', 'store', 'products', 'type', 'image', 'event']);
    for (let i = 0; i < facts.length; i += 3) {
      const s = score(facts[i]!, facts[(i * 7 + 1) % facts.length]!);
      expect(s.score).toBeCloseTo(s.reasons.reduce((t, r) => t + r.weight, 0), 6);
      for (const r of s.reasons) {
        expect(signals).toContain(r.signal);
        expect(r.detail.length).toBeGreaterThan(3);
        expect(Number.isFinite(r.weight)).toBe(true);
      }
    }
  });
});

describe('scorePair: properties', () => {
  const ms = mentionsOf(generateSynthetic({ seed: 42, identities: 150 }));
  const facts = ms.map((m) => factsOfPerson(m.event, m.person));
  const ctx: ScoreContext = { frequency: (k) => (k.length % 7) / 200, imageMatching: true };

  it('is symmetric: scorePair(a, b) = scorePair(b, a)', () => {
    // profiles too, not only single mentions
    const profiles = Array.from({ length: 40 }, (_, i) => mergeFacts(facts[i]!, facts[(i * 13 + 5) % facts.length]!));
    const all = [...facts.slice(0, 200), ...profiles];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j += 17) {
        expect(scorePair(all[i]!, all[j]!, ctx).score).toBeCloseTo(scorePair(all[j]!, all[i]!, ctx).score, 9);
      }
    }
  });

  it('is fast: well under 0.05 ms per pair', () => {
    const pairs = 4000;
    for (let i = 0; i < 20_000; i++) scorePair(facts[i % facts.length]!, facts[(i * 7 + 3) % facts.length]!, ctx); // warm up (JIT), prepare
    // CPU time (not wall time: other test workers share the machine), best of a few batches.
    let best = Infinity;
    for (let batch = 0; batch < 5; batch++) {
      const start = process.cpuUsage();
      for (let i = 0; i < pairs; i++) scorePair(facts[(i + batch) % facts.length]!, facts[(i * 7 + 3) % facts.length]!, ctx);
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / 1000 / pairs);
    }
    console.log(`scorePair: ${best.toFixed(4)} ms of CPU per pair`);
    expect(best).toBeLessThan(0.05);
  });
});

describe('frequencies and candidates', () => {
  it('keyFrequency is the share of other people holding a key (not the subject, not the candidate), smoothed for a young retailer', () => {
    expect(keyFrequency(2, 500)).toBe(0); // only the subject and the candidate hold it
    expect(keyFrequency(1, 500)).toBe(0);
    expect(keyFrequency(0, 500)).toBe(0);
    expect(keyFrequency(3, 0)).toBeCloseTo(0.01);
    expect(keyFrequency(102, 9900)).toBeCloseTo(0.01);
    expect(keyFrequency(4, 1000)).toBeGreaterThan(keyFrequency(3, 1000));
  });

  it('rankCandidates prefers strong and rare shared keys, and caps the list', () => {
    const shared = new Map<string, string[]>([
      ['p-family', ['fm:SM0']],
      ['p-phone', ['ph:64211234567']],
      ['p-name', ['nm:SM0:JN', 'fm:SM0']],
      ['p-feature', ['ft:snake']],
    ]);
    expect(rankCandidates(shared, () => 0)).toEqual(['p-phone', 'p-name', 'p-family', 'p-feature']);
    expect(rankCandidates(shared, () => 0, 2)).toEqual(['p-phone', 'p-name']);
    expect(MAX_KEY_MEMBERS).toBeGreaterThanOrEqual(20);
  });
});
