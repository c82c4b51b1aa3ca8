/**
 * Screens free text (descriptions, distinguishing features, clothing, decision notes, message
 * bodies) against the lexicon of sensitive-characteristic terms in sensitive-lexicon.json
 * (PRODUCT §2). A hit is answered with 422 `SENSITIVE_TEXT` by the caller.
 *
 * Callers must not pass names: a person may be called Christian, Gay or Parkinson, and names are
 * never screened. Pass only the free-text fields.
 *
 * The lexicon (data, so a deployment can extend it):
 *   { "version": 1, "categories": { "<category>": ["term", …], … }, "exceptions": ["phrase", …] }
 * - Terms are lower case and singular; diacritics are optional in the text ("māori" matches
 *   "Maori"). The plural of a term's last word is generated (muslim → muslims, black man →
 *   black men, tory → tories, disabled person → disabled people), so the lexicon lists one form.
 * - A space between words in a term matches one or more spaces, line breaks, hyphens, dashes or
 *   underscores ("trade union" matches "trade-union", "black\n  man"). A hyphen in a term also
 *   matches nothing at all ("dark-skinned" matches "darkskinned"; "black man" does not match the
 *   surname "Blackman"). Sentence punctuation (. , ; : ! ?) ends a phrase: "wore black. Man fled".
 * - An apostrophe before "s" is optional ("down's syndrome" matches "downs syndrome"); any other
 *   apostrophe is required. Straight and curly apostrophes are the same.
 * - Matches respect Unicode word boundaries (a letter or digit on either side prevents a match):
 *   "Christmas" ≠ christ…, "blackcurrant" ≠ black, "Jewellery" ≠ jew, "Hindustan" ≠ hindu. A
 *   possessive or a hyphenated suffix does not prevent a match ("Sikh's", "muslim-looking").
 * - Exceptions are phrases blanked out before screening, so a term inside them never trips:
 *   brands ("Christian Dior", "Tory Burch"), clothing departments ("black men's jacket"),
 *   connector genders ("male-to-female"), food ("Asian grocery").
 * - The longest term wins where several match at one place; each term is reported once, in the
 *   order of its first appearance, as written in the lexicon (not as the user wrote it).
 *
 * What is and is not a term (the aim: no false positives on unrelated words; a genuine use of
 * a sensitive word may trip, and the reporter rephrases):
 * - A colour word alone never is. Only colour + person noun ("black man", "white guy", "brown
 *   youth") and skin-tone words ("dark-skinned", "olive skin", "dark complexion", "skin tone").
 * - Ethnic descriptors are (asian, caucasian, māori, pākehā, pacific islander, hispanic, arab,
 *   mixed-race…). Nationalities are not (Indian, Chinese, Turkish, Samoan): they are not a product
 *   category and mostly name food, products and places. A deployment can add phrases such as
 *   "indian man".
 * - Words that name an offence rather than a person are not: racial, racist, homophobic.
 * - Category words used in ordinary English are not terms on their own: race, faith, health,
 *   party, labour, union, disabled ("disabled the alarm"), blind, cancer, pregnancy (tests),
 *   depression, far right, green party (party supplies). Specific phrases are: "health condition",
 *   "labour voter", "trade union", "disabled person", "cancer patient", "pregnant".
 * - Religious dress that signals a faith (hijab, niqab, burqa, kippah) is a term; turbans and
 *   headscarves are not.
 * - Gender identity (transgender, non-binary, "trans woman") sits with sexual orientation.
 * - Slurs are mostly left out: most are also ordinary words (fag, dyke, faggot the food).
 */
import { z } from 'zod';
import defaultLexiconData from './sensitive-lexicon.json';

const lowerCaseTerm = z
  .string()
  .min(1)
  .refine((term) => term === term.toLowerCase() && term === term.trim(), 'Terms are lower case, without outer spaces.');

export const LexiconSchema = z.object({
  version: z.literal(1),
  categories: z.record(z.string().min(1), z.array(lowerCaseTerm).min(1)),
  exceptions: z.array(lowerCaseTerm).default([]),
});
export type Lexicon = z.infer<typeof LexiconSchema>;

export interface SensitiveTerm {
  term: string;
  category: string;
}

export type TextScreener = (text: string) => SensitiveTerm[];

/** Letters or digits on either side of a match mean it is part of another word. */
const BEFORE = '(?<![\\p{L}\\p{N}])';
const AFTER = '(?![\\p{L}\\p{N}])';
/** What may stand between the words of a phrase. */
const SEPARATOR = '[\\s\\-\\u2010-\\u2015_]';
const APOSTROPHE = "['\\u2018\\u2019\\u02BC`]";

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  man: 'men',
  woman: 'women',
  gentleman: 'gentlemen',
  person: 'people',
  child: 'children',
};

/** Strips diacritics, so "Māori" and "Maori" compare equal. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '');
}

/** The singular and plural of a word (the last word of a term). */
export function wordForms(word: string): string[] {
  if (!/\p{L}$/u.test(word) || /'s$/.test(word)) return [word];
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return [word, irregular];
  if (/[^aeiou]y$/.test(word)) return [word, `${word.slice(0, -1)}ies`];
  if (/(?:s|x|z|ch|sh)$/.test(word)) return [word, `${word}es`];
  return [word, `${word}s`];
}

function escapeWord(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (ch === "'" || ch === '\u2019') out += word[i + 1] === 's' ? `${APOSTROPHE}?` : APOSTROPHE;
    else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

/** The regular-expression source of one term (without boundaries). */
export function termPattern(term: string): string {
  const folded = foldDiacritics(term).replace(/\u2019/g, "'");
  const parts = folded.split(/([ -]+)/);
  let source = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 1) {
      source += part.includes(' ') ? `${SEPARATOR}+` : `${SEPARATOR}*`;
    } else if (i === parts.length - 1) {
      const forms = wordForms(part).sort((a, b) => b.length - a.length);
      source += forms.length === 1 ? escapeWord(part) : `(?:${forms.map(escapeWord).join('|')})`;
    } else {
      source += escapeWord(part);
    }
  }
  return source;
}

function alternation(terms: readonly string[]): RegExp | null {
  if (terms.length === 0) return null;
  return new RegExp(`${BEFORE}(?:${terms.map(termPattern).join('|')})${AFTER}`, 'giu');
}

/** A matched span or a term, reduced so the two compare: folded, lower case, one kind of apostrophe, one space between words. */
function canonical(text: string): string {
  return foldDiacritics(text)
    .toLowerCase()
    .replace(/['\u2018\u2019\u02BC`]/g, "'")
    .replace(/[\s\-\u2010-\u2015_]+/g, ' ');
}

/** Every canonical spelling a term matches: each form of its last word, each hyphen written or closed up. */
function canonicalSpellings(term: string): string[] {
  const parts = foldDiacritics(term).replace(/\u2019/g, "'").split(/([ -]+)/);
  let spellings = [''];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 1) {
      const joins = part.includes(' ') ? [' '] : [' ', ''];
      spellings = spellings.flatMap((s) => joins.map((j) => s + j));
    } else {
      const forms = (i === parts.length - 1 ? wordForms(part) : [part]).flatMap((form) =>
        // An apostrophe before "s" is optional; any other is required.
        form.includes("'s") ? [form, form.replace(/'(?=s)/g, '')] : [form],
      );
      spellings = spellings.flatMap((s) => forms.map((f) => s + f));
    }
  }
  return spellings.map(canonical);
}

/**
 * Builds a screener from a lexicon: one alternation regular expression for the terms (longest
 * first) and one for the exceptions, compiled once. A match is traced back to its term through a
 * map of every canonical spelling, so no capture groups are needed.
 */
export function createTextScreener(lexiconData: unknown): TextScreener {
  const lexicon = LexiconSchema.parse(lexiconData);
  const entries: SensitiveTerm[] = [];
  const seen = new Set<string>();
  for (const [category, terms] of Object.entries(lexicon.categories)) {
    for (const term of terms) {
      const key = foldDiacritics(term);
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ term, category });
    }
  }
  // Longest first, so "hiv-positive" wins over "hiv" and "union representative" over "union rep".
  entries.sort((a, b) => b.term.length - a.term.length);
  const termsRegex = alternation(entries.map((entry) => entry.term));
  const exceptionsRegex = alternation(lexicon.exceptions);

  const bySpelling = new Map<string, SensitiveTerm>();
  for (const entry of entries)
    for (const spelling of canonicalSpellings(entry.term)) if (!bySpelling.has(spelling)) bySpelling.set(spelling, entry);

  // Only for a span whose canonical form the map misses (an exotic case fold): try each term in turn.
  let sticky: RegExp[] | undefined;
  const identify = (span: string): SensitiveTerm | undefined => {
    const entry = bySpelling.get(canonical(span));
    if (entry) return entry;
    sticky ??= entries.map((e) => new RegExp(`${BEFORE}(?:${termPattern(e.term)})${AFTER}`, 'iuy'));
    const index = sticky.findIndex((regex) => {
      regex.lastIndex = 0;
      return regex.test(span) && regex.lastIndex === span.length;
    });
    return entries[index];
  };

  return (text: string): SensitiveTerm[] => {
    if (!termsRegex || text.length === 0) return [];
    let folded = foldDiacritics(text);
    // A NUL is neither a letter nor a separator: it ends any phrase that would run through an exception.
    if (exceptionsRegex) folded = folded.replace(exceptionsRegex, '\u0000');
    const found: SensitiveTerm[] = [];
    const reported = new Set<SensitiveTerm>();
    // exec() on the one compiled expression, not matchAll(): matchAll clones its regular
    // expression on every call, and recompiling this one (12 kB of source) cost ~35 µs a text.
    termsRegex.lastIndex = 0;
    for (let match = termsRegex.exec(folded); match; match = termsRegex.exec(folded)) {
      if (match[0] === '') termsRegex.lastIndex += 1; // as matchAll does, so a term that can match nothing never stalls
      const entry = identify(match[0]);
      if (!entry || reported.has(entry)) continue;
      reported.add(entry);
      found.push({ term: entry.term, category: entry.category });
    }
    return found;
  };
}

/** The lexicon shipped in the repository. */
export const defaultLexicon: Lexicon = LexiconSchema.parse(defaultLexiconData);

const defaultScreener = createTextScreener(defaultLexicon);

/**
 * The distinct sensitive-characteristic terms in `text`, in order of first appearance, each as
 * written in the lexicon with its category. Never pass names (see the module comment).
 */
export function screenText(text: string): SensitiveTerm[] {
  return defaultScreener(text);
}
