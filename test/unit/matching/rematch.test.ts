import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { likelySubjects } from '../../../shared/domain/matching/rematch';
import { PRIOR_MODEL, REMATCH_BAR } from '../../../shared/domain/matching/model';

/** Which profiles a re-match asks the matcher again of: those with a candidate likely under the model, found as the matcher finds them. */
const person = (given: string, family: string, extra: Partial<PersonFacts> = {}): PersonFacts => ({ ...EMPTY_FACTS, names: [{ given, family }], ...extra });

function run(facts: PersonFacts[], windowOf?: (key: string) => readonly string[] | undefined): { likely: number[]; steps: number } {
  const steps = likelySubjects(facts, PRIOR_MODEL, { imageMatching: false, bar: REMATCH_BAR, windowOf });
  for (let n = 0; ; n += 1) {
    const step = steps.next();
    if (step.done) return { likely: step.value, steps: n };
  }
}

describe('likelySubjects', () => {
  it('picks both profiles of one person reported twice, and none of the strangers around them', () => {
    // Names that sound apart (the keys are phonetic: digits would make them one name).
    const word = (i: number, salt: number) => Array.from({ length: 7 }, (_, k) => String.fromCharCode(97 + ((i * (k + 3) * 7 + salt * (k + 1) * 11 + k * k) % 26))).join('');
    const strangers = Array.from({ length: 120 }, (_, i) => person(word(i, 1), word(i, 2)));
    const twice = person('Tamati', 'Ngatai', { dobs: ['1990-04-01'], phones: ['+64215550101'] });
    const { likely, steps } = run([twice, ...strangers, { ...twice }]);
    expect(likely).toEqual([0, 121]);
    // It hands the event loop back between slices of subjects.
    expect(steps).toBeGreaterThan(1);
  });

  it('one sharing a name key held by more than a key lists is picked whatever its scores: the matcher reads that key\'s newest holders, not these', () => {
    const crowd = Array.from({ length: 60 }, (_, i) => person(`Given${i}`, `Family${i}`));
    expect(run(crowd).likely).toHaveLength(60);
    // Given the holders its document lists (the newest 50), they are scored as the matcher scores them: namesakes, none likely.
    const newest = Array.from({ length: 50 }, (_, i) => String(10 + i));
    // Only the saturated key has a document listing its newest holders.
    const windowOf = (k: string) => (k.startsWith('nm:') ? newest : undefined);
    expect(run(crowd, windowOf).likely).toEqual([]);
    // The same person twice among them: found through the keys they share that are not saturated, whatever the window.
    const twice = person('Given0', 'Family0', { dobs: ['1990-04-01'], phones: ['+64215550101'] });
    expect(run([twice, ...crowd.slice(1), { ...twice }], windowOf).likely).toEqual([0, 60]);
  });

  it('a surname held by more than a key lists is no reason (that kind keeps a count, not holders); a profile of two reports is picked whatever its scores (the matcher looks it up by its newest report\'s keys)', () => {
    const word = (i: number) => Array.from({ length: 6 }, (_, k) => String.fromCharCode(97 + ((i * (k + 5) * 3 + k * 7) % 26))).join('');
    const smiths = Array.from({ length: 60 }, (_, i) => person(word(i), 'Smith'));
    const twoReports = { ...person('Wiremu', 'Tane'), eventIds: ['e1', 'e2'] };
    expect(run([...smiths, twoReports]).likely).toEqual([60]);
  });

  it('a common surname alone is no likely candidate; nor is anyone without a key', () => {
    const { likely } = run([person('Aroha', 'Smith'), person('Bevan', 'Smith'), EMPTY_FACTS, EMPTY_FACTS]);
    expect(likely).toEqual([]);
  });
});
