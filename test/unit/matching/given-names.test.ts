import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { givenNameShares, retailerGivenShare } from '../../../shared/domain/matching/given-names';
import { estimateModel } from '../../../shared/domain/matching/estimate';
import { PRIOR_MODEL } from '../../../shared/domain/matching/model';
import { scorePair } from '../../../shared/domain/matching/score';
import frequencies from '../../../shared/domain/matching/name-frequencies.json';

const named = (given: string, family: string, over: Partial<PersonFacts> = {}): PersonFacts => ({ ...EMPTY_FACTS, names: [{ given, family }], ...over });

describe("givenNameShares: how common a given name is among the retailer's people", () => {
  it('counts distinct full names, so one person reported ten times counts once', () => {
    const facts = [
      ...Array.from({ length: 10 }, () => named('Tane', 'Walker')),
      named('Tane', 'Ngata'),
      named('Tane', 'Smith'),
      ...['Brown', 'Jones', 'Wilson', 'Taylor', 'Hall', 'Young', 'King'].map((f, i) => named(`Name${'abcdefg'[i]}`, f)),
    ];
    // 10 distinct full names, 3 of them Tane.
    expect(givenNameShares(facts).tane).toBeCloseTo(0.3, 4);
  });

  it('a given name that is also a property of every object is just a name', () => {
    expect(retailerGivenShare({}, 'constructor', ['constructor'])).toBe(0);
  });

  it('keeps only names held by three distinct full names: an aggregate, never one person', () => {
    const shares = givenNameShares([named('Aroha', 'Walker'), named('Aroha', 'Ngata'), named('Mere', 'Smith')]);
    expect(shares).toEqual({});
  });

  it('a nickname counts for its group, and a lookup reads the group', () => {
    const shares = givenNameShares([named('Mike', 'Walker'), named('Michael', 'Ngata'), named('Mikey', 'Smith'), named('Jo', 'Brown')]);
    expect(shares.michael).toBeCloseTo(0.75, 4);
    expect(retailerGivenShare(shares, 'mike', ['michael'])).toBeCloseTo(0.75, 4);
    expect(retailerGivenShare(undefined, 'mike', ['michael'])).toBe(0);
  });
});

describe("a full name weighs what the retailer's given names say", () => {
  const ctx = { frequency: () => 0, imageMatching: false, people: 200 };
  const a = named('Michael', 'Smith');
  const b = named('Michael', 'Smith');
  const nameWeight = (model = PRIOR_MODEL) => scorePair(a, b, { ...ctx, model }).reasons.find((r) => r.signal === 'name')!.weight;

  it('a given name one in ten of the retailer holds makes two Michael Smiths weaker evidence than the national table does', () => {
    const local = { ...PRIOR_MODEL, givenNames: { michael: 0.1 } };
    expect(nameWeight(local)).toBeLessThan(nameWeight() - 1);
  });

  it('the estimate carries the shares it counted', () => {
    // Sixty distinct full names, a third of them Michael's.
    const surnames = Object.keys(frequencies.family).slice(0, 60);
    const profiles = surnames.map((family, i) => ({ facts: named(i % 3 === 0 ? 'Michael' : `Given${i}`, family, { eventIds: [`e${i}`] }) }));
    const model = estimateModel({ profiles, seed: 1 });
    expect(model.givenNames?.michael).toBeCloseTo(20 / 60, 3);
  });
});
