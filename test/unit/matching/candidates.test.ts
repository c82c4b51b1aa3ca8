import { consistentCandidates, consistentWithNeighbours, holderScores, NEIGHBOUR_VETO, peopleFrequency, type HolderScore } from '../../../shared/domain/matching/candidates';
import { identifierMatchesPerPerson } from '../../../shared/domain/matching/estimate';
import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';

const person = (over: Partial<PersonFacts>): PersonFacts => ({ ...EMPTY_FACTS, ...over });

describe('peopleFrequency: key shares count people, not profiles', () => {
  const key = 'nm:RM:ANJ';
  const holders = Array.from({ length: 5 }, (_, i) => ({ facts: person({ dobs: [`1990-01-0${i + 1}`] }), keys: [key] }));
  const count = () => 6; // the subject and five candidates
  // `dob` says how alike the holders are otherwise; the name weighs 30 bits when its share is read
  // from its count of holders (which is what is being counted), `strangers` when read as strangers
  // would share it (the full-name key answering 0: its surname's and given name's shares decide).
  const scoreWith =
    (dob: number, strangers = 0): HolderScore =>
    (_a, _b, frequency) => ({ weights: { name: frequency(key) > 0 ? 30 : strangers, dob }, lambda: 0.01 });

  it('holders that are surely one person count once, so their own name is not common', () => {
    const f = peopleFrequency({ facts: person({}), keys: [key] }, holders, count, 1000, scoreWith(40));
    expect(f(key)).toBeCloseTo(0, 3);
  });

  it('holders that other evidence says are different people count each, as raw counts do', () => {
    const f = peopleFrequency({ facts: person({}), keys: [key] }, holders, count, 1000, scoreWith(-20));
    expect(f(key)).toBeCloseTo(5 / 1100, 4);
  });

  it("the key's own count is no evidence: a name weighing 30 bits by its count does not group its holders", () => {
    const f = peopleFrequency({ facts: person({}), keys: [key] }, holders, count, 1000, scoreWith(0));
    expect(f(key)).toBeGreaterThan(4 / 1100);
  });

  it('a name rare among strangers groups its holders: one person reported six times does not make it common', () => {
    const f = peopleFrequency({ facts: person({}), keys: [key] }, holders, count, 1000, scoreWith(0, 20));
    expect(f(key)).toBeLessThan(0.5 / 1100);
  });

  it('a name common among strangers does not: its holders stay several people', () => {
    const f = peopleFrequency({ facts: person({}), keys: [key] }, holders, count, 1000, scoreWith(0, 2));
    expect(f(key)).toBeGreaterThan(4 / 1100);
  });

  it('more holders than are compared pairwise: the first are compared and the rest taken alike', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ facts: person({ dobs: [`1990-01-${String(i + 1).padStart(2, '0')}`] }), keys: [key] }));
    // 24 holders (the subject and 23 candidates), surely one person: the first 12 are one person, so the 24 are taken as two, not 24.
    expect(peopleFrequency({ facts: person({}), keys: [key] }, many, () => 24, 1000, scoreWith(40))(key)).toBeCloseTo(1 / 1100, 3);
    // Surely different people: 23 besides the subject, as the raw count says.
    expect(peopleFrequency({ facts: person({}), keys: [key] }, many, () => 24, 1000, scoreWith(-20))(key)).toBeCloseTo(23 / 1100, 4);
  });

  it("keys held by few leave the raw share; holders not among the candidates count one each, a full name's taken alike", () => {
    const dob = 'db:19900101';
    const byDob: HolderScore = (_a, _b, frequency) => ({ weights: { dob: frequency(dob) > 0 ? 30 : 0, name: 40 }, lambda: 0.01 });
    const f = peopleFrequency({ facts: person({}), keys: [dob] }, holders.slice(0, 2).map((h) => ({ ...h, keys: [dob] })), () => 10, 1000, byDob);
    // 3 compared holders (one person) + 7 unseen = 8 people, 7 besides the subject's own.
    expect(f(dob)).toBeCloseTo(7 / 1100, 4);
    // A full name held by 10, its 3 compared holders one person: the 10 are taken as 10 / 3 people, not 8.
    const g = peopleFrequency({ facts: person({}), keys: [key] }, holders.slice(0, 2), () => 10, 1000, scoreWith(40));
    expect(g(key)).toBeCloseTo((10 / 3 - 1) / 1100, 4);
    expect(peopleFrequency({ facts: person({}), keys: ['zz:other'] }, [], () => 4, 1000, scoreWith(40))('zz:other')).toBeCloseTo(2 / 1100, 4);
  });

  it("scores kept across subjects counted alike (one estimate's) score each ordered pair once and change no share", () => {
    // Subjects that are each other's candidates, as an estimate's are: A's holders are B, C; B's are A, C.
    const [a, b, c] = [1, 2, 3].map((d) => ({ facts: person({ dobs: [`1990-01-0${d}`] }), keys: [key] }));
    const calls: string[] = [];
    // Asymmetric on purpose: A before B scores them one person, B before A apart, so scoring a
    // kept pair in the other order would change the shares.
    const counted: HolderScore = (x, y, frequency) => {
      calls.push(`${x.dobs[0]!.slice(-1)}~${y.dobs[0]!.slice(-1)}`);
      return scoreWith(x.dobs[0] === '1990-01-01' && y.dobs[0] === '1990-01-02' ? 40 : -20)(x, y, frequency);
    };
    const kept = holderScores();
    const shared = [peopleFrequency(a!, [b!, c!], () => 3, 1000, counted, kept)(key), peopleFrequency(b!, [a!, c!], () => 3, 1000, counted, kept)(key)];
    const sharedCalls = calls.length;
    calls.length = 0;
    const fresh = [peopleFrequency(a!, [b!, c!], () => 3, 1000, counted)(key), peopleFrequency(b!, [a!, c!], () => 3, 1000, counted)(key)];
    expect(shared).toEqual(fresh);
    expect(shared[0]).not.toEqual(shared[1]);
    // Fresh: each call scores its three pairs, the lower-numbered holder first, and their names as
    // strangers' (12). Kept: the second call's B~C and A~C are the first's; only B~A is its own.
    expect(calls).toEqual(['1~2', '1~2', '1~3', '1~3', '2~3', '2~3', '2~1', '2~1', '2~3', '2~3', '1~3', '1~3']);
    expect(sharedCalls).toBe(8);
  });
});

describe('consistentCandidates: one report is one person', () => {
  const a = { facts: person({ names: [{ given: 'A' }] }), probability: 0.95 };
  const b = { facts: person({ names: [{ given: 'B' }] }), probability: 0.9 };
  const c = { facts: person({ names: [{ given: 'C' }] }), probability: 0.85 };

  it('keeps candidates that are one person with each other, strongest first', () => {
    expect(consistentCandidates([c, a, b], () => 0.99, 0.8)).toEqual([a, b, c]);
  });

  it('leaves out a candidate the stronger ones say is someone else', () => {
    const apart = (x: PersonFacts, y: PersonFacts) => ([x, y].includes(a.facts) && [x, y].includes(b.facts) ? 0.01 : 0.99);
    expect(consistentCandidates([a, b, c], apart, 0.8)).toEqual([a, c]);
  });
});

describe('consistentWithNeighbours: a suggestion does not join people the matcher says are apart', () => {
  const holder = (given: string, keys: string[]) => ({ facts: person({ names: [{ given }] }), keys });
  const s = holder('S', ['nm:x', 'ph:1']);
  const c = holder('C', ['ph:1', 'db:1']);
  const d = holder('D', ['db:1', 'nm:x']); // suggested with C already; shares a name key with S
  const e = holder('E', ['pl:9']); // suggested with C; shares no key with S, so never compared
  const apart = (x: PersonFacts, y: PersonFacts) => ([x, y].includes(s.facts) && [x, y].includes(d.facts) ? NEIGHBOUR_VETO / 2 : 0.5);

  it('refuses when a neighbour of one side shares a key with the other side and is certainly someone else', () => {
    expect(consistentWithNeighbours(s, c, [], [d], apart)).toBe(false);
    expect(consistentWithNeighbours(c, s, [d], [], apart)).toBe(false);
  });

  it('allows it when the neighbours are likely enough the same, or were never comparable', () => {
    expect(consistentWithNeighbours(s, c, [], [d], () => NEIGHBOUR_VETO)).toBe(true);
    expect(consistentWithNeighbours(s, c, [], [e], () => 0)).toBe(true);
  });

  it('does not judge the pair itself: that is the threshold\'s work', () => {
    expect(consistentWithNeighbours(s, c, [], [], () => 0)).toBe(true);
  });
});

describe('identifierMatchesPerPerson: matches counted from identifiers a person keeps', () => {
  const m = Array.from({ length: 9 }, () => [1, 0, 0]);
  it('three reports of each of ten people, each carrying their phone: two other reports each', () => {
    const facts = Array.from({ length: 30 }, (_, i) => person({ phones: [`+6421000${String(i % 10).padStart(3, '0')}`] }));
    expect(identifierMatchesPerPerson(facts, m)).toBeCloseTo(2, 5);
  });

  it('scales up when only some reports carry the field, and says nothing with too few', () => {
    const facts = Array.from({ length: 60 }, (_, i) => person(i < 30 ? { phones: [`+6421000${String(i % 10).padStart(3, '0')}`] } : {}));
    expect(identifierMatchesPerPerson(facts, m)).toBeCloseTo(4, 5);
    expect(identifierMatchesPerPerson(facts.slice(0, 10), m)).toBeUndefined();
  });
});

describe('matches per report: merged profiles are known matches', () => {
  const m = Array.from({ length: 9 }, () => [1, 0, 0]);
  it('ten profiles of three reports each, and nothing else to count: two other reports each', () => {
    const facts = Array.from({ length: 10 }, (_, i) => person({ eventIds: [`e${i}a`, `e${i}b`, `e${i}c`] }));
    expect(identifierMatchesPerPerson(facts, m)).toBeCloseTo(2, 5);
  });
});
