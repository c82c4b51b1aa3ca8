import type { PersonFacts } from './facts';
import { candidateHolders, keepsNewestHolders, keyIndex, MAX_KEY_MEMBERS } from './keys';
import { holderScores, keyFrequency, MAX_CANDIDATES, peopleFrequency, rankCandidates } from './candidates';
import { compareFacts } from './compare';
import { scoreComparison, signalWeights, type MatchModel } from './model';

/** Profiles indexed between two steps of likelySubjects (a subject with many lookalikes is a step of its own). */
const PROFILES_PER_STEP = 200;

/**
 * The profiles a re-match under `model` could suggest anything for: those with a candidate, found
 * and ranked as the matcher finds them (the same keys and ranking, counted from these profiles),
 * whose probability under the model reaches `bar`. A re-match asks the matcher again of these
 * alone: one whose every candidate is unlikely would be read, scored and left as it is. Where the
 * matcher could find other candidates than these counts do, the profile is picked whatever its
 * scores: it shares a saturated key of a kind that keeps its newest holders whose listed holders
 * (`windowOf`, the key document's; the matcher reads those) are not given, or it holds more than one report (the matcher looks it up
 * by its newest report's keys, which can differ from the profile's where these were cut: names,
 * features, years of birth, images; and so rank its candidates otherwise). Ties in the ranking
 * fall by profile id, as in the matcher. Their indices, in order; in steps (it yields between subjects).
 */
export function* likelySubjects(
  facts: readonly PersonFacts[],
  model: MatchModel,
  /**
   * `ids`: the profiles' ids, by which the matcher breaks ties in its ranking (by default, their
   * indices); `windowOf`: the ids a saturated key lists (its newest holders), where known.
   */
  options: { imageMatching: boolean; bar: number; ids?: readonly string[]; windowOf?: (key: string) => readonly string[] | undefined },
): Generator<void, number[], void> {
  const { imageMatching, bar } = options;
  const people = facts.length;
  const idOf = (j: number) => options.ids?.[j] ?? String(j);
  const indexOf = new Map(facts.map((_, j) => [idOf(j), j]));
  const { keysOf, index } = yield* keyIndex(facts, { imageMatching }, PROFILES_PER_STEP);
  const count = (key: string) => index.get(key)?.length ?? 0;
  const frequency = (key: string) => keyFrequency(count(key), people);
  const holder = (j: number) => ({ facts: facts[j]!, keys: keysOf[j]! });
  const weigh = (a: PersonFacts, b: PersonFacts, f: (key: string) => number) => signalWeights(compareFacts(a, b, { frequency: f, imageMatching, people, givenNames: model.givenNames }), model, people);
  // Every subject's holders are counted alike (one index, one model): each ordered pair scored once.
  const scores = holderScores();
  const likely: number[] = [];
  for (let i = 0; i < people; i++) {
    yield;
    const keys = keysOf[i]!;
    if ((facts[i]!.eventIds?.length ?? 0) > 1) {
      likely.push(i);
      continue;
    }
    let uncertain = false;
    const shared = new Map<string, string[]>();
    for (const k of keys) {
      const all = index.get(k)!;
      // A saturated key lists its newest holders (also once it has fewer than it once had): those, where known.
      const window = keepsNewestHolders(k) ? options.windowOf?.(k) : undefined;
      if (!window && keepsNewestHolders(k) && all.length > MAX_KEY_MEMBERS) {
        uncertain = true;
        break;
      }
      const holders = window ? window.flatMap((id) => indexOf.get(id) ?? []) : candidateHolders(k, all);
      for (const j of holders) {
        if (j === i) continue;
        const list = shared.get(idOf(j));
        if (list) list.push(k);
        else shared.set(idOf(j), [k]);
      }
    }
    if (uncertain) {
      likely.push(i);
      continue;
    }
    if (shared.size === 0) continue;
    const ranked = rankCandidates(shared, frequency, MAX_CANDIDATES).map((id) => indexOf.get(id)!);
    const byPeople = peopleFrequency(holder(i), ranked.map(holder), count, people, weigh, scores);
    const context = { frequency: byPeople, imageMatching, people, givenNames: model.givenNames };
    if (ranked.some((j) => scoreComparison(compareFacts(facts[i]!, facts[j]!, context), model, people).probability >= bar)) likely.push(i);
  }
  return likely;
}
