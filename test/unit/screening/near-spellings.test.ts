import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultLexicon, screenText, wordForms } from '../../../shared/domain/screening';
import { LONG_TERM, nearSpellings } from '../../../shared/domain/screening/slips';
import frequencies from '../../../shared/domain/matching/name-frequencies.json';
import nicknames from '../../../shared/domain/matching/nicknames.json';

/** English words (word-list: about 275,000, lower case, one per line) and the names the matcher knows: none may be read as a term. */
const english = new Set([
  ...readFileSync(path.join(path.dirname(require.resolve('word-list')), 'words.txt'), 'utf8').split('\n'),
  ...Object.keys(frequencies.given),
  ...Object.keys(frequencies.family),
  ...Object.entries(nicknames.groups).flatMap(([name, variants]) => [name, ...variants]),
]);
const terms = Object.values(defaultLexicon.categories).flat();
/** English spellings that mean their term (another variety's spelling, a plural the forms miss): read as the term on purpose. */
const SAME_WORD = new Set(['colored', 'traveler', 'laborite', 'colorblind', 'transexual', 'quadraplegic', 'albinoism', 'yarmelke', 'psychoses', 'hepatites', 'osteoporoses', 'scolioses', 'dialyses', 'tuberculoses', 'anaphylaxes', 'anaphylaxies']);
const known = new Set([...terms.flatMap((t) => wordForms(t)), ...SAME_WORD]);

describe('near spellings of a long term', () => {
  test('are the commonest slips inside the word, never the word itself', () => {
    const near = nearSpellings('pakistani');
    for (const slip of ['pakistanni', 'pakstani', 'pakistoni', 'pakiastani']) expect(near).toContain(slip);
    expect(near).not.toContain('pakistani');
    // First and last letters are kept: an added ending is another word ('americano', 'americana').
    expect(nearSpellings('american')).not.toContain('americano');
    expect(nearSpellings('american')).not.toContain('americana');
    expect(nearSpellings('muslim')).toEqual([]); // shorter than LONG_TERM
    expect(LONG_TERM).toBe(8);
  });

  test("that are English words or known names are listed in notSlips (the lexicon's list of real words), so none is read as a term", () => {
    const notSlips = new Set(defaultLexicon.context!.notSlips);
    const missing = terms
      .filter((t) => /^[a-z]+$/.test(t))
      .flatMap((t) => nearSpellings(t).filter((s) => english.has(s) && !known.has(s) && !notSlips.has(s)).map((s) => `${s} (near ${t})`));
    expect(missing).toEqual([]);
  });

  test('are read as their term where it describes a person, and pass where the word is an English one', () => {
    for (const text of ['pakistanni male took phone chargers', 'romainian women took Rimmel', 'she is transgendr', 'aborigonal girl pink top took headphones'])
      expect(screenText(text)).not.toEqual([]);
    for (const text of ['took 2 crotches of stock off the shelf', 'the parcel oversees delivery', 'ordered 2 americanos and left', 'an artistic display'])
      expect(screenText(text)).toEqual([]);
  });
});
