import type { PersonFacts } from './facts';
import { blockingKeys, candidateHolders } from './keys';
import { holderScores, keyFrequency, MAX_CANDIDATES, peopleFrequency, rankCandidates } from './candidates';
import { compareFacts } from './compare';
import { scoreComparison, signalWeights, type MatchModel } from './model';

/** Subjects scored between two steps of likelySubjects: a few milliseconds of work. */
const SUBJECTS_PER_STEP = 50;

/**
 * The profiles a re-match under `model` could suggest anything for: those with a candidate, found
 * and ranked as the matcher finds them (the same keys, saturated keys' windows and ranking, counted
 * from these profiles), whose probability under the model reaches `bar`. A re-match asks the
 * matcher again of these alone: one whose every candidate is unlikely would be read, scored and
 * left as it is. Their indices, in order; in steps (it yields between slices of subjects).
 */
export function* likelySubjects(facts: readonly PersonFacts[], model: MatchModel, options: { imageMatching: boolean; bar: number }): Generator<void, number[], void> {
  const { imageMatching, bar } = options;
  const people = facts.length;
  const keysOf = facts.map((f) => blockingKeys(f, { imageMatching }));
  const index = new Map<string, number[]>();
  keysOf.forEach((keys, i) => {
    for (const k of keys) {
      const list = index.get(k);
      if (list) list.push(i);
      else index.set(k, [i]);
    }
  });
  const count = (key: string) => index.get(key)?.length ?? 0;
  const frequency = (key: string) => keyFrequency(count(key), people);
  const holder = (j: number) => ({ facts: facts[j]!, keys: keysOf[j]! });
  const weigh = (a: PersonFacts, b: PersonFacts, f: (key: string) => number) => signalWeights(compareFacts(a, b, { frequency: f, imageMatching, people, givenNames: model.givenNames }), model, people);
  // Every subject's holders are counted alike (one index, one model): each ordered pair scored once.
  const scores = holderScores();
  const likely: number[] = [];
  for (let i = 0; i < people; i++) {
    if (i % SUBJECTS_PER_STEP === SUBJECTS_PER_STEP - 1) yield;
    const shared = new Map<string, string[]>();
    for (const k of keysOf[i]!) {
      for (const j of candidateHolders(k, index.get(k)!)) {
        if (j === i) continue;
        const list = shared.get(String(j));
        if (list) list.push(k);
        else shared.set(String(j), [k]);
      }
    }
    if (shared.size === 0) continue;
    const ranked = rankCandidates(shared, frequency, MAX_CANDIDATES).map(Number);
    const byPeople = peopleFrequency(holder(i), ranked.map(holder), count, people, weigh, scores);
    const context = { frequency: byPeople, imageMatching, people, givenNames: model.givenNames };
    if (ranked.some((j) => scoreComparison(compareFacts(facts[i]!, facts[j]!, context), model, people).probability >= bar)) likely.push(i);
  }
  return likely;
}
