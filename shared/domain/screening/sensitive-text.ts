/**
 * Screens free text (descriptions, distinguishing features, clothing, decision notes, message
 * bodies) against the lexicon of sensitive-characteristic terms in sensitive-lexicon.json
 * (PRODUCT §2). A hit is answered with 422 `SENSITIVE_TEXT` by the caller.
 *
 * Callers must not pass names: a person may be called Christian, Gay or Parkinson, and names are
 * never screened. Pass only the free-text fields.
 *
 * The lexicon (data, so a deployment can extend it) also holds the word lists the context rules
 * read (`context`); without them every use of a term trips, as before context was read.
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
 * What is and is not a term, and when it trips (sensitive-context.ts judges each hit):
 * - A term trips only where it describes a person of the report: "looked Indian", "of Asian
 *   descent", "a Chinese national", "Greens activist", "has diabetes", "male, white, 5'10". The
 *   same words naming a product, a place, an organisation or a display ("Indian tonic water",
 *   "pride month display", "diabetes test strips", "Labour Party office"), a name ("Mr Islam",
 *   "Christian Smith") or a pretence ("faked a limp") pass.
 * - Words that mostly name things (nationalities, colours, "union", "labour", "religion") are
 *   listed as `contextual`: they need a person context to trip. The others trip unless they name
 *   a thing.
 * - Words that name an offence rather than a person are not terms: racial, racist, homophobic.
 * - Slurs that are also ordinary words (fag, faggot the food) are left out.
 */
import { z } from 'zod';
import { LONG_TERM, nearSpellings, slipsOf } from './slips';
import defaultLexiconData from './sensitive-lexicon.json';
import { createContextJudge, forgetLastSentence, type ContextJudge } from './sensitive-context';
import { findDescriptionPatterns } from './sensitive-patterns';

const lowerCaseTerm = z
  .string()
  .min(1)
  .refine((term) => term === term.toLowerCase() && term === term.trim(), 'Terms are lower case, without outer spaces.');

const words = z.array(lowerCaseTerm).default([]);
export const LexiconSchema = z.object({
  version: z.literal(1),
  categories: z.record(z.string().min(1), z.array(lowerCaseTerm).min(1)),
  exceptions: z.array(lowerCaseTerm).default([]),
  /** Word lists for judging whether a term describes a person (sensitive-context.ts); without them every term trips. */
  context: z
    .object({
      personNouns: words,
      descriptorNouns: words,
      linkingWords: words,
      conditionCues: words,
      pretendCues: words,
      nameCues: words,
      sexWords: words,
      wornNouns: words,
      quantityCues: words,
      contextual: words,
      nameLike: words,
      /** Terms that are also surnames ("Bishop", "Deacon"): after a given name written as a name, someone's surname. */
      surnameLike: words.default([]),
      originOnly: words,
      thingHeads: words,
      /** Towns and regions of the markets, and their accents: "he's from Hamilton", "a Scouse accent" say nothing of national origin. */
      homePlaces: words.default([]),
      colouredThings: words.default([]),
      /** Real words and names two swapped letters from a term or a person noun ("Christina", "Paris"): never read as a slip (slips.ts). */
      notSlips: words.default([]),
    })
    .optional(),
});
export type Lexicon = z.infer<typeof LexiconSchema>;

export interface SensitiveTerm {
  term: string;
  category: string;
  /** The words judged to describe a person, as written ("looked Indian"); absent without context lists. */
  phrase?: string;
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

/** A word of the text, as the index of first words reads it: letters and digits, with apostrophes inside ("Sikh's"); a slash parts words ("asian/white", "w/m"). */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'\u2018\u2019\u02BC`]*/gu;
const wordKey = (word: string): string => {
  const lower = word.toLowerCase();
  // Most words have no apostrophe of another kind (a search is cheaper than a replacement).
  return CURLY_APOSTROPHE.test(lower) ? lower.replace(/['\u2018\u2019\u02BC`]/g, "'") : lower;
};
const CURLY_APOSTROPHE = /[\u2018\u2019\u02BC`]/;
/** Terms sharing a first word, from which a match at one place is remembered for the same words at another. */
const REMEMBERED_FROM = 6;
const REPEATED_SEPARATORS = /[\s\-\u2010-\u2015_]{2}/;
const NOT_PLAIN_ASCII = /[\u0080-\uffff`]/;
/** Characters no reader sees: zero-width spaces and joiners, soft hyphens, direction marks. */
const INVISIBLE = /\p{Cf}+/gu;

/** An ellipsis, which NFKC would make three full stops, a sentence's end: "he looked… Indian" is one phrase. */
const ELLIPSIS = /\u2026/g;

/**
 * The ways a text is read, each screened: as written, an invisible character standing as the word
 * boundary it may be ("a\u200bmuslim"); and as a reader sees it, compatibility forms as their plain
 * letters (fullwidth "ｍｕｓｌｉｍ") and nothing invisible inside a word ("mus\u200blim"). NFKC alone
 * would glue a term to what follows it ("Muslim™" → "MuslimTM"), so the first reading stays.
 * Plain ASCII (most reports) is read once, as written.
 */
export function readings(text: string): string[] {
  if (!NOT_PLAIN_ASCII.test(text)) return [text];
  const written = text.replace(INVISIBLE, ' ');
  const seen = text.replace(ELLIPSIS, ' ').normalize('NFKC').replace(INVISIBLE, '');
  return seen === written ? [written] : [written, seen];
}

/**
 * Builds a screener from a lexicon. Terms are indexed by the first word of each way they can be
 * spelled; a text is read word by word, and at each word only the terms that can start there
 * are tried (each its own compiled expression, the longest match winning): the cost grows with
 * the text, not with the lexicon (one alternation of a thousand terms cost 4 ms a description).
 * Exceptions are one alternation, blanked out first. Where the lexicon has context lists, each
 * match is judged (sensitive-context.ts) and only a use that describes a person is reported.
 */
export function createTextScreener(lexiconData: unknown): TextScreener {
  const lexicon = LexiconSchema.parse(lexiconData);
  /** Each term, and each slip of a one-word term (slips.ts: "Asain" is "asian"), with the spelling matched. */
  const entries: (SensitiveTerm & { spelling: string })[] = [];
  const seen = new Set<string>();
  for (const [category, terms] of Object.entries(lexicon.categories)) {
    for (const term of terms) {
      const key = foldDiacritics(term);
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ term, category, spelling: term });
    }
  }
  if (lexicon.context) {
    const oneWord = new Map(entries.filter((e) => /^\p{Ll}+$/u.test(foldDiacritics(e.term))).map((e) => [foldDiacritics(e.term), e]));
    for (const [slip, word] of slipsOf(oneWord.keys(), lexicon.context.notSlips)) {
      if (seen.has(slip)) continue;
      seen.add(slip);
      const { term, category } = oneWord.get(word)!;
      entries.push({ term, category, spelling: slip });
    }
  }
  const homePlaces = new Set(lexicon.context?.homePlaces ?? []);
  const judge: ContextJudge | undefined = lexicon.context && createContextJudge(lexicon.context, entries.map((e) => foldDiacritics(e.term)));
  const exceptionsRegex = alternation(lexicon.exceptions);
  /** Each entry's expression, compiled when a text first holds its first word (most are never needed: a cold start pays for none). */
  const patterns: (RegExp | undefined)[] = new Array<RegExp | undefined>(entries.length).fill(undefined);
  const patternOf = (index: number): RegExp => (patterns[index] ??= new RegExp(`${BEFORE}(?:${termPattern(entries[index]!.spelling)})${AFTER}`, 'iuy'));
  const byFirstWord = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    for (const spelling of canonicalSpellings(entry.spelling)) {
      const first = spelling.split(/[ /]/)[0]!;
      if (!first) continue;
      const list = byFirstWord.get(first);
      if (!list) byFirstWord.set(first, [index]);
      else if (!list.includes(index)) list.push(index);
    }
  });
  /**
   * A long one-word term's near spellings (slips.ts: "pakistanni", "transgendr"), looked up only
   * where a word starts no term: a map of words, not entries of their own (27,000 entries cost the
   * cold start 120 ms and 15 MB).
   */
  const nearMisses = new Map<string, number>();
  if (lexicon.context) {
    const notSlips = new Set(lexicon.context.notSlips);
    entries.forEach((entry, index) => {
      if (entry.spelling !== entry.term || !/^[a-z]+$/.test(entry.term)) return;
      for (const near of nearSpellings(entry.term)) if (!byFirstWord.has(near) && !notSlips.has(near) && !nearMisses.has(near)) nearMisses.set(near, index);
    });
  }
  /** Characters the terms of one first word can span, generously: separators may repeat ("black   man"), so a longer match is tried afresh. */
  const longestFrom = new Map([...byFirstWord.values()].map((list) => [list, Math.max(...list.map((index) => entries[index]!.spelling.length)) * 2 + 8]));

  /** Each reading's terms, each term once, in the order found. */
  return (text: string): SensitiveTerm[] => {
    const [only, ...more] = readings(text);
    const found = screenOne(only!);
    for (const reading of more) for (const t of screenOne(reading)) if (!found.some((f) => f.term === t.term)) found.push(t);
    return found;
  };

  function screenOne(text: string): SensitiveTerm[] {
    if (entries.length === 0 || text.length === 0) return [];
    forgetLastSentence();
    let folded = foldDiacritics(text);
    // A NUL is neither a letter nor a separator: it ends any phrase that would run through an exception.
    if (exceptionsRegex) folded = folded.replace(exceptionsRegex, '\u0000');
    const found: SensitiveTerm[] = [];
    /** Terms reported (a slip and its term are one). */
    const reported = new Set<string>();
    const seenAhead = new Map<string, { best: number; length: number }>();
    let resumeAt = 0;
    /** A term's entry found at [start, end): reported once, and with context only where it describes a person (it may still trip later in the text). */
    const report = (best: number, start: number, end: number, judged = folded): void => {
      const entry = entries[best]!;
      if (reported.has(entry.term)) return;
      const judgement = judge?.(judged, start, end, entry.term, entry.category);
      if (judgement && !judgement.person) return;
      reported.add(entry.term);
      found.push(judgement ? { term: entry.term, category: entry.category, phrase: judgement.phrase } : { term: entry.term, category: entry.category });
    };
    /**
     * A near spelling is judged as if it were spelt right, so that the parser, the name rules and
     * the exceptions read the real word ("conservitive guess" as "conservative guess", "Christin
     * (2IC)" as a name, "dimentia-friendly" as the exception it is).
     */
    const reportNear = (best: number, start: number, end: number, ending: string): void => {
      const term = entries[best]!.term + ending;
      const written = folded.slice(start, end);
      const spelt = /^\p{Lu}/u.test(written) ? (written === written.toUpperCase() ? term.toUpperCase() : term[0]!.toUpperCase() + term.slice(1)) : term;
      const corrected = folded.slice(0, start) + spelt + folded.slice(end);
      // No exception matched the text as written: one that matches now holds the corrected word.
      if (exceptionsRegex && corrected.replace(exceptionsRegex, '\u0000') !== corrected) return;
      report(best, start, start + spelt.length, corrected);
    };
    // Plain ASCII (most reports) is lower-cased once: a word's key is then its slice.
    const lowered = NOT_PLAIN_ASCII.test(folded) ? undefined : folded.toLowerCase();
    WORD.lastIndex = 0;
    for (let word = WORD.exec(folded); word; word = WORD.exec(folded)) {
      if (word.index < resumeAt) continue;
      const key = lowered === undefined ? wordKey(word[0]) : lowered.slice(word.index, WORD.lastIndex);
      // A possessive reads as its word ("Sikh's" → sikh).
      const bare = key.endsWith("'") || key.endsWith("'s") ? key.replace(/'s?$/, '') : undefined;
      const candidates = byFirstWord.get(key) ?? (bare === undefined ? undefined : byFirstWord.get(bare));
      if (!candidates) {
        // A near spelling, or its plural ("pakistannis").
        const written = bare ?? key;
        const plural = written.endsWith('s') ? 1 : 0;
        const near = written.length < LONG_TERM - 1 ? undefined : (nearMisses.get(written) ?? (plural ? nearMisses.get(written.slice(0, -1)) : undefined));
        if (near !== undefined) reportNear(near, word.index, word.index + written.length, nearMisses.has(written) ? '' : 's');
        continue;
      }
      // The same words at another place match the same way (a text that repeats itself is read once):
      // remembered for a first word of many terms ("white", "black"); a few are cheaper to try again.
      const remember = candidates.length >= REMEMBERED_FROM;
      const longest = longestFrom.get(candidates)!;
      const ahead = remember ? folded.slice(word.index, word.index + longest + 1) : '';
      let known = remember ? seenAhead.get(ahead) : undefined;
      if (!known) {
        known = { best: -1, length: 0 };
        for (const index of candidates) {
          const pattern = patternOf(index);
          pattern.lastIndex = word.index;
          if (pattern.test(folded) && pattern.lastIndex - word.index > known.length) known = { best: index, length: pattern.lastIndex - word.index };
        }
        // Cached only when what decided it lies within `ahead` (the match and the character after it):
        // without repeated separators ("black   man"), no term's match runs past it.
        if (remember && word.index + longest < folded.length && known.length < longest && !REPEATED_SEPARATORS.test(ahead)) seenAhead.set(ahead, known);
      }
      if (known.best < 0) continue;
      resumeAt = word.index + known.length;
      report(known.best, word.index, resumeAt);
    }
    // With context, the shapes of a description too (an unlisted nationality, a condition by its medical form).
    if (judge)
      for (const f of findDescriptionPatterns(folded, homePlaces)) {
        if (found.some((x) => x.term === f.term || (x.phrase && (x.phrase.includes(f.phrase) || f.phrase.includes(x.phrase))))) continue;
        found.push(f);
      }
    return found;
  }
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
