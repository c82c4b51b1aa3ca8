import lexiconJson from '../../../shared/domain/screening/sensitive-lexicon.json';
import { defaultLexicon, foldDiacritics, LexiconSchema, screenText, wordForms } from '../../../shared/domain/screening';

const CATEGORIES = ['ethnicity-race', 'national-origin', 'religion', 'political', 'sexual-orientation', 'gender-identity', 'health', 'disability', 'union'];
const entries = Object.entries(defaultLexicon.categories).flatMap(([category, terms]) =>
  terms.map((term) => ({ term, category })),
);
const allTerms = entries.map((e) => e.term);

describe('the lexicon file', () => {
  test('parses against the schema, version 1', () => {
    expect(LexiconSchema.parse(lexiconJson).version).toBe(1);
  });

  test('has exactly the nine categories, none empty', () => {
    expect(Object.keys(defaultLexicon.categories).sort()).toEqual([...CATEGORIES].sort());
    for (const category of CATEGORIES) expect(defaultLexicon.categories[category]!.length).toBeGreaterThan(0);
  });

  test('has at least 150 distinct terms, with no duplicates (even ignoring diacritics)', () => {
    expect(allTerms.length).toBeGreaterThanOrEqual(150);
    expect(new Set(allTerms).size).toBe(allTerms.length);
    expect(new Set(allTerms.map(foldDiacritics)).size).toBe(allTerms.length);
  });

  test('every term and exception is lower case and trimmed, with single spaces', () => {
    for (const term of [...allTerms, ...defaultLexicon.exceptions]) {
      expect(term).toBe(term.toLowerCase());
      expect(term).toBe(term.trim());
      expect(term).not.toMatch(/\s{2,}|[\t\n]/);
    }
  });

  test('a colour word alone is a term only in context: never a trip by itself', () => {
    for (const colour of ['black', 'white', 'brown', 'dark', 'fair', 'light', 'olive', 'pale', 'red', 'yellow']) {
      if (allTerms.includes(colour)) expect(defaultLexicon.context!.contextual).toContain(colour);
      expect(screenText(colour)).toEqual([]);
      expect(screenText(`wore ${colour}, ran off`)).toEqual([]);
    }
  });

  test('every contextual term and name-like word is a term', () => {
    for (const term of [...defaultLexicon.context!.contextual, ...defaultLexicon.context!.nameLike.filter((w) => allTerms.includes(w))]) expect(allTerms).toContain(term);
  });

  test('no exception is itself a term', () => {
    for (const exception of defaultLexicon.exceptions) expect(screenText(exception)).toEqual([]);
  });
});

/** What a report says of a person: every term, contextual ones included, trips in it. */
const strip = (found: { term: string; category: string }[]) => found.map(({ term, category }) => ({ term, category }));

const originOnly = new Set(defaultLexicon.context!.originOnly);
const described = entries.filter((e) => !originOnly.has(e.term));
const places = entries.filter((e) => originOnly.has(e.term));

describe('no term is dead', () => {
  test.each(described)('$term ($category) trips in a description of a person', ({ term, category }) => {
    expect(strip(screenText(`Offender: male, ${term}, approx 30.`))).toEqual([{ term, category }]);
  });

  test.each(places)('$term ($category) trips as where someone is from, and not as a place', ({ term, category }) => {
    expect(strip(screenText(`Offender: male, approx 30, he is from ${term}.`))).toEqual([{ term, category }]);
    expect(screenText(`Offender: male, approx 30, the stock came from ${term}.`)).toEqual([]);
  });

  test.each(described)('$term trips in upper case and in its plural', ({ term, category }) => {
    expect(strip(screenText(`OFFENDER: MALE, ${term.toUpperCase()}, APPROX 30`))).toEqual([{ term, category }]);
    const [, head, last] = /^(.*?)([^ -]+)$/.exec(term)!;
    const plural = `${head}${wordForms(last!).at(-1)}`;
    // A word that is plural already has none ("into women": "womens" is how "women's" is written, an exception);
    // nor a worn thing whose plural is stock ("rainbow lanyards", an exception).
    if (defaultLexicon.exceptions.some((e) => [wordForms(last!).at(-1), plural].includes(e.replace(/['\u2019]/g, '')))) return;
    // Two spellings may share a plural (pommy, pommie → pommies): the plural trips as one of them.
    expect(screenText(`two males, both ${plural}, approx 30`).map((f) => f.category)).toEqual([category]);
  });
});
