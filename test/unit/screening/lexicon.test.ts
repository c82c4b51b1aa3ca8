import lexiconJson from '../../../shared/domain/screening/sensitive-lexicon.json';
import { defaultLexicon, foldDiacritics, LexiconSchema, screenText, wordForms } from '../../../shared/domain/screening';

const CATEGORIES = ['ethnicity-race', 'religion', 'political', 'sexual-orientation', 'health', 'disability', 'union'];
const entries = Object.entries(defaultLexicon.categories).flatMap(([category, terms]) =>
  terms.map((term) => ({ term, category })),
);
const allTerms = entries.map((e) => e.term);

describe('the lexicon file', () => {
  test('parses against the schema, version 1', () => {
    expect(LexiconSchema.parse(lexiconJson).version).toBe(1);
  });

  test('has exactly the seven product categories, none empty', () => {
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

  test('no colour word alone is a term', () => {
    for (const colour of ['black', 'white', 'brown', 'dark', 'fair', 'light', 'olive', 'pale', 'red', 'yellow'])
      expect(allTerms).not.toContain(colour);
  });

  test('no exception is itself a term', () => {
    for (const exception of defaultLexicon.exceptions) expect(screenText(exception)).toEqual([]);
  });
});

describe('no term is dead', () => {
  test.each(entries)('$term ($category) matches itself in a sentence', ({ term, category }) => {
    expect(screenText(`Staff noted: ${term}, then left.`)).toEqual([{ term, category }]);
  });

  test.each(entries)('$term matches in upper case and in its plural', ({ term, category }) => {
    expect(screenText(`STAFF NOTED ${term.toUpperCase()} TODAY`)).toEqual([{ term, category }]);
    const [, head, last] = /^(.*?)([^ -]+)$/.exec(term)!;
    const plural = `${head}${wordForms(last!).at(-1)}`;
    expect(screenText(`they were ${plural} here`)).toEqual([{ term, category }]);
  });
});
