/**
 * Store staff type fast: a word of five letters or more with two neighbouring letters swapped
 * ("studnet", "Asain") still reads as that word. A letter left out or added is not read: it makes
 * real words ("office" from "officer", "water" from "waiter").
 */
export const MIN_SLIP_LENGTH = 5;

/** Each spelling of `word` with two neighbouring (different) letters swapped. */
export function swaps(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) if (word[i] !== word[i + 1]) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  return out;
}

/** The slips of `words` (of MIN_SLIP_LENGTH letters or more), each mapped to its word; never a word itself nor one of `notSlips` (real words and names). */
export function slipsOf(words: Iterable<string>, notSlips: Iterable<string>): Map<string, string> {
  const all = new Set(words);
  const slips = new Map<string, string>();
  for (const w of all) if (w.length >= MIN_SLIP_LENGTH && /^\p{Ll}+$/u.test(w)) for (const s of swaps(w)) if (!slips.has(s)) slips.set(s, w);
  for (const w of [...all, ...notSlips]) slips.delete(w);
  return slips;
}
