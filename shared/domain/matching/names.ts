import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import damerauLevenshtein from 'talisman/metrics/damerau-levenshtein';
import jaroWinkler from 'talisman/metrics/jaro-winkler';
import nicknameData from './nicknames.json';
import frequencyData from './name-frequencies.json';

/**
 * Name handling for Connect the Dots: normalisation, phonetic codes, nickname groups and the
 * prior frequencies of common names. Everything here is a pure function of its input.
 */

// Bound once rather than looked up as globals on every call: scoring runs per candidate pair,
// and global look-ups are slow in some hosts (jest's vm contexts).
const { abs: mathAbs, max: mathMax, min: mathMin } = Math;

/** Letters only, lower case, accents stripped: "O'Brien" → "obrien", "Zoë" → "zoe". */
export function normaliseName(value: string | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** A given name keeps its first word ("Mary Anne" → "mary"). */
export function normaliseGiven(value: string | undefined): string {
  const first = (value ?? '').trim().split(/[\s.]+/)[0];
  return normaliseName(first);
}
/** A family name keeps all of its words ("Te Whare" → "tewhare"). */
export function normaliseFamily(value: string | undefined): string {
  return normaliseName(value);
}

const groupsOfName = new Map<string, string[]>();
for (const [canonical, nicks] of Object.entries(nicknameData.groups as Record<string, string[]>)) {
  for (const name of [canonical, ...nicks]) {
    const list = groupsOfName.get(name) ?? [];
    if (!list.includes(canonical)) list.push(canonical);
    groupsOfName.set(name, list);
  }
}

/** The nickname groups a given name belongs to ("jon" → ["john", "jonathan"]), or the name itself when it is in none. */
export function canonicalGivens(norm: string): string[] {
  return groupsOfName.get(norm) ?? [norm];
}
export function inNicknameTable(norm: string): boolean {
  return groupsOfName.has(norm);
}

const codeCache = new Map<string, string[]>();

/** Double-metaphone codes, primary first, without duplicates or empties (memoised: names repeat). */
export function phoneticCodes(norm: string): string[] {
  if (!norm) return [];
  const hit = codeCache.get(norm);
  if (hit) return hit;
  const [primary, alternate] = doubleMetaphone(norm);
  const out: string[] = [];
  if (primary) out.push(primary);
  if (alternate && alternate !== primary) out.push(alternate);
  if (codeCache.size >= 20_000) codeCache.clear();
  codeCache.set(norm, out);
  return out;
}

/**
 * The part of a blocking key that stands for a family name. A code shorter than three characters
 * ("L" for Lee, Li, Leigh, Lau…; "A" for Wu, Oh) says too little on its own, so the name itself
 * is kept next to it.
 */
export function familyPhoneticPart(norm: string, code: string): string {
  return code.length >= 3 ? code : `${code}_${norm.slice(0, 3)}`;
}

const familyPrior = frequencyData.family as Record<string, number>;
const givenPrior = frequencyData.given as Record<string, number>;
/** A given name in the nickname table is a "known" name, so it is not rare: at least 1 %. */
const KNOWN_GIVEN_PRIOR = 0.01;

/** Prior share of people with this family name (0 when it is not a listed common name). */
export function familyNamePrior(norm: string): number {
  return familyPrior[norm] ?? 0;
}

/** Prior share of people with this given name or one of its nickname group (0 when rare). */
export function givenNamePrior(norm: string): number {
  let prior = givenPrior[norm] ?? 0;
  const groups = groupsOfName.get(norm);
  if (groups) {
    prior = mathMax(prior, KNOWN_GIVEN_PRIOR);
    for (const g of groups) prior = mathMax(prior, givenPrior[g] ?? 0);
  }
  return prior;
}

/** One name token, prepared once for fast comparison. */
export interface NameToken {
  display: string;
  norm: string;
  codes: string[];
  canon: string[];
  initial: boolean;
  /** prior share as a family name / as a given name (see familyNamePrior, givenNamePrior) */
  familyPrior: number;
  givenPrior: number;
}

export function nameToken(display: string, norm: string): NameToken {
  return {
    display: display.trim(),
    norm,
    codes: phoneticCodes(norm),
    canon: canonicalGivens(norm),
    initial: norm.length === 1,
    familyPrior: familyNamePrior(norm),
    givenPrior: givenNamePrior(norm),
  };
}

export type Agreement = 'exact' | 'nickname' | 'phonetic' | 'typo' | 'initial' | 'initial-differs' | 'differs';

/**
 * Sound-alike: a double-metaphone code in common, and spelled alike enough (lengths within two,
 * Jaro–Winkler ≥ 0.8): four-character codes alone put "Waite" with "Wood" and "Ana" with "Wayne".
 */
function soundsAlike(a: NameToken, b: NameToken): boolean {
  // Codes stop at four characters: "Bryant" and "Bryantworth" share one.
  if (mathAbs(a.norm.length - b.norm.length) > 2) return false;
  let shared = false;
  for (const c of a.codes) if (c.length >= 2 && b.codes.includes(c)) shared = true;
  return shared && jaroWinkler(a.norm, b.norm) >= 0.8;
}

/**
 * One keyboard or transcription slip: Damerau–Levenshtein ≤ 1 for names of four letters or more,
 * ≤ 2 from eight letters. Three-letter names are too close to other real names ("Tom"/"Tim",
 * "Jon"/"Jan") to forgive.
 */
export function typoClose(a: string, b: string): boolean {
  const shorter = mathMin(a.length, b.length);
  const limit = shorter >= 8 ? 2 : 1;
  if (shorter < 4 || mathAbs(a.length - b.length) > limit) return false;
  return damerauLevenshtein.limited(limit, a, b) <= limit;
}

export function compareGiven(a: NameToken, b: NameToken): Agreement {
  if (a.norm === b.norm) return 'exact';
  if (a.initial || b.initial) return a.norm[0] === b.norm[0] ? 'initial' : 'initial-differs';
  for (const c of a.canon) if (b.canon.includes(c)) return 'nickname';
  const min = mathMin(a.norm.length, b.norm.length);
  if (min >= 4 && soundsAlike(a, b)) return 'phonetic';
  if (typoClose(a.norm, b.norm)) return 'typo';
  // A slip in a nickname's canonical form ("Jonh" ~ "Johnny" = John).
  for (const x of a.canon) for (const y of b.canon) if ((x !== a.norm || y !== b.norm) && typoClose(x, y)) return 'typo';
  return 'differs';
}

export function compareFamily(a: NameToken, b: NameToken): Agreement {
  if (a.norm === b.norm) return 'exact';
  if (a.initial || b.initial) return a.norm[0] === b.norm[0] ? 'initial' : 'initial-differs';
  const min = mathMin(a.norm.length, b.norm.length);
  if (min >= 3 && soundsAlike(a, b)) return 'phonetic';
  if (typoClose(a.norm, b.norm)) return 'typo';
  return 'differs';
}

/**
 * Splits an alias into a name. "Smith, John" and "John Smith" are full names (middle names are
 * dropped); one word is a nickname: with the reported family name when it is a known given name
 * or nickname ("Bobby" of Robert Jones → Bobby Jones), alone otherwise ("Tank", "Smithy").
 */
export function splitAlias(alias: string, reportedFamily?: string): { given?: string; family?: string } {
  const trimmed = alias.trim();
  if (!trimmed) return {};
  if (trimmed.includes(',')) {
    const [family, rest] = trimmed.split(',', 2);
    const given = rest?.trim().split(/\s+/)[0];
    return clean({ given, family: family?.trim() });
  }
  const words = trimmed.split(/\s+/).filter((w) => normaliseName(w));
  if (words.length === 0) return {};
  if (words.length === 1) {
    // A known given name or nickname ("Bobby" of Robert Jones) is that person's given name: Bobby
    // Jones. Anything else ("Tank", "Smithy") is a moniker that many people share: it stands alone.
    const a = normaliseName(words[0]);
    const known = inNicknameTable(a) || givenNamePrior(a) > 0;
    return clean({ given: words[0], family: known ? reportedFamily : undefined });
  }
  return clean({ given: words[0], family: words[words.length - 1] });
}

function clean(n: { given?: string; family?: string }): { given?: string; family?: string } {
  const out: { given?: string; family?: string } = {};
  if (n.given && normaliseName(n.given)) out.given = n.given.trim();
  if (n.family && normaliseName(n.family)) out.family = n.family.trim();
  return out;
}
