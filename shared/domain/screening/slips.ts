/**
 * Store staff type fast: a word of five letters or more with two neighbouring letters swapped
 * ("studnet", "Asain") still reads as that word. A letter left out or added is not read in short
 * words: it makes real words ("office" from "officer", "water" from "waiter"). In a long term
 * (LONG_TERM letters or more) the commonest misspellings are read too: a vowel inside the word
 * left out, added or written for another ("transgendr", "romainian", "aborigonal"), and a letter
 * doubled or undoubled ("pakistanni"). Those that are English words ("oversees", "crotches") are
 * listed in the lexicon's notSlips, which a unit test keeps complete against a word list.
 */
export const MIN_SLIP_LENGTH = 5;
export const LONG_TERM = 8;
const VOWELS = 'aeiouy';

/** Each spelling of `word` with two neighbouring (different) letters swapped. */
export function swaps(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) if (word[i] !== word[i + 1]) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  return out;
}

/** Each misspelling of a long `word` inside it (its first and last letters kept): a vowel left out, added or changed; a letter doubled or undoubled. */
export function nearSpellings(word: string): string[] {
  const out = new Set<string>();
  if (word.length < LONG_TERM) return [];
  for (let i = 1; i < word.length - 1; i++) {
    const c = word[i]!;
    const [before, after] = [word.slice(0, i), word.slice(i + 1)];
    if (VOWELS.includes(c)) {
      out.add(before + after);
      for (const v of VOWELS) if (v !== c) out.add(before + v + after);
    }
    out.add(c === word[i + 1] ? before + after : before + c + c + after);
  }
  for (let i = 1; i < word.length; i++) for (const v of VOWELS) out.add(word.slice(0, i) + v + word.slice(i));
  out.delete(word);
  return [...out];
}

/** The slips of `words` (of MIN_SLIP_LENGTH letters or more), each mapped to its word; never a word itself nor one of `notSlips` (real words and names). */
export function slipsOf(words: Iterable<string>, notSlips: Iterable<string>): Map<string, string> {
  const all = new Set(words);
  const slips = new Map<string, string>();
  for (const w of all) if (w.length >= MIN_SLIP_LENGTH && /^\p{Ll}+$/u.test(w)) for (const s of swaps(w)) if (!slips.has(s)) slips.set(s, w);
  for (const w of [...all, ...notSlips]) slips.delete(w);
  return slips;
}
