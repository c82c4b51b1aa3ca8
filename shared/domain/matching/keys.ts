import type { Signal } from './compare';
import type { PersonFacts } from './facts';
import { featureTokens } from './features';
import {
  canonicalGivens,
  familyPhoneticPart,
  normaliseFamily,
  normaliseGiven,
  phoneticCodes,
} from './names';

/**
 * Blocking keys: short strings two mentions of one person are likely to share. The store keeps
 * one document per key listing the profiles holding it; a new mention's candidates are the
 * profiles listed under its keys (a saturated key's newest, or none: see MAX_KEY_MEMBERS).
 *
 * Format `<kind>:<value>`; only [A-Za-z0-9:_-], at most 200 characters, so a key is a valid
 * Cosmos id as it is. The values of dob, phone and plate keys are those values in clear: hash
 * the part after the kind prefix when the key is stored if that matters (keyKind still works
 * on the prefix).
 */

/**
 * A key listing more profiles than this is saturated: it keeps its count, and only a key of an
 * identifying kind (WINDOW_KINDS) its newest MAX_KEY_MEMBERS holders; a saturated surname, feature
 * or partial name stops producing candidates (its share makes it weigh little anyway). 50 keeps a
 * key document small and a mention's candidate reads bounded.
 */
export const MAX_KEY_MEMBERS = 50;
/**
 * A full name, a surname with a year of birth, a DOB, a phone or a plate held by more than
 * MAX_KEY_MEMBERS profiles is mostly one person reported that often, until someone merges their
 * reports: skipping it left each new report of a prolific offender with no way back to their
 * history. Its newest holders still find candidates (ranked and capped like any other).
 */
const WINDOW_KINDS: ReadonlySet<string> = new Set(['nm', 'ny', 'db', 'ph', 'pl']);
/** Whether a saturated key (or key document id, which keeps the kind in clear) keeps its newest holders. */
export function keepsNewestHolders(keyOrDocId: string): boolean {
  return WINDOW_KINDS.has(keyOrDocId.split(':')[0]!);
}
/** The holders of a key that produce candidates: all of them, or once saturated its newest (none for a kind that keeps none). */
export function candidateHolders<T>(key: string, holders: readonly T[]): readonly T[] {
  if (holders.length <= MAX_KEY_MEMBERS) return holders;
  return keepsNewestHolders(key) ? holders.slice(-MAX_KEY_MEMBERS) : [];
}
/** Upper bound of keys per person (a profile's write cost per mention). */
export const MAX_KEYS = 30;
const MAX_FEATURE_KEYS = 6;
const MAX_GIVEN_CANONICALS = 3;

const KINDS: Record<string, string> = {
  nm: 'name',
  fm: 'family',
  ny: 'name-year',
  np: 'name-part',
  db: 'dob',
  ph: 'phone',
  pl: 'plate',
  po: 'plate-ocr',
  ft: 'feature',
  im: 'image',
};

/**
 * The signals (compare.ts) each kind of key selects its holders on: a pair found only through keys
 * selecting on a signal agrees on it because it was chosen for it (estimate.ts, untaughtBy).
 */
export const KEY_KIND_SIGNALS: Readonly<Record<string, readonly Signal[]>> = {
  name: ['name'],
  family: ['name'],
  'name-year': ['name', 'dob'],
  'name-part': ['name'],
  dob: ['dob'],
  phone: ['phone'],
  plate: ['plate'],
  'plate-ocr': ['plate'],
  feature: ['feature'],
  image: ['image'],
};

/** 'name' | 'family' | 'name-year' | 'name-part' | 'dob' | 'phone' | 'plate' | 'plate-ocr' | 'feature' | 'image' ('unknown' otherwise). */
export function keyKind(key: string): string {
  return KINDS[key.slice(0, 2)] ?? 'unknown';
}

/**
 * Plate as an OCR reader could have produced it from either reading: characters a camera or a
 * tired eye confuses are mapped to one of them (O/Q/D → 0, I/L → 1, Z → 2, S → 5, G → 6, B → 8, T → 7).
 */
export function ocrCanonical(plate: string): string {
  let out = '';
  for (const ch of plate.toUpperCase()) out += OCR_MAP[ch] ?? ch;
  return out;
}
const OCR_MAP: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', Z: '2', S: '5', G: '6', B: '8', T: '7' };

/** The family-name key of a family name ("Smith" and "Smyth" → fm:SM0): its share is the surname's frequency. */
export function familyKey(family: string): string | undefined {
  const norm = normaliseFamily(family);
  const code = phoneticCodes(norm)[0];
  return code === undefined ? undefined : `fm:${familyPhoneticPart(norm, code)}`;
}

/** The combined name key of a family and given name (given through its nickname groups). */
export function nameKeys(family: string, given: string): string[] {
  const fNorm = normaliseFamily(family);
  const gNorm = normaliseGiven(given);
  const fCode = phoneticCodes(fNorm)[0];
  if (fCode === undefined || !gNorm) return [];
  return givenCodes(gNorm).map((g) => `nm:${familyPhoneticPart(fNorm, fCode)}:${g}`);
}

function givenCodes(gNorm: string): string[] {
  const out: string[] = [];
  for (const canon of canonicalGivens(gNorm).slice(0, MAX_GIVEN_CANONICALS)) {
    const code = phoneticCodes(canon)[0] ?? canon.slice(0, 16);
    if (code && !out.includes(code)) out.push(code);
  }
  return out;
}

function yearsOf(dobs: string[]): string[] {
  return [...new Set(dobs.map((d) => d.slice(0, 4)).filter((y) => /^\d{4}$/.test(y)))].slice(0, 2);
}

/**
 * The key index as the matcher sees it, built from facts: each one's blocking keys, and the holders
 * of each key in the order given. In steps (it yields every `perStep` facts).
 */
export function* keyIndex(facts: readonly PersonFacts[], options: { imageMatching: boolean }, perStep: number): Generator<void, { keysOf: string[][]; index: Map<string, number[]> }, void> {
  const keysOf: string[][] = [];
  const index = new Map<string, number[]>();
  for (let i = 0; i < facts.length; i++) {
    keysOf.push(blockingKeys(facts[i]!, options));
    for (const k of keysOf[i]!) {
      const list = index.get(k);
      if (list) list.push(i);
      else index.set(k, [i]);
    }
    if (i % perStep === perStep - 1) yield;
  }
  return { keysOf, index };
}

export function blockingKeys(f: PersonFacts, opts: { imageMatching: boolean }): string[] {
  // Tiers, strongest and cheapest-to-be-wrong first; the cap cuts from the end.
  const tiers: string[][] = Array.from({ length: 9 }, () => []);
  for (const p of f.phones) {
    const digits = p.replace(/\D/g, '');
    if (digits) tiers[0]!.push(`ph:${digits}`);
  }
  for (const d of f.dobs) {
    const compact = d.replace(/-/g, '');
    if (/^\d{8}$/.test(compact)) tiers[0]!.push(`db:${compact}`);
  }
  for (const p of f.plates) {
    tiers[1]!.push(`pl:${p}`);
    tiers[4]!.push(`po:${ocrCanonical(p)}`);
  }
  const years = yearsOf(f.dobs);
  for (const n of f.names) {
    const fNorm = normaliseFamily(n.family);
    const gNorm = normaliseGiven(n.given);
    const fCodes = phoneticCodes(fNorm);
    if (fNorm && fCodes.length) {
      const fPart = familyPhoneticPart(fNorm, fCodes[0]!);
      if (gNorm) {
        for (const g of givenCodes(gNorm)) tiers[2]!.push(`nm:${fPart}:${g}`);
        // The same person reported with given and family the other way round.
        const gAsFamily = phoneticCodes(gNorm)[0];
        if (gAsFamily) for (const g of givenCodes(fNorm)) tiers[2]!.push(`nm:${familyPhoneticPart(gNorm, gAsFamily)}:${g}`);
        // A slip in the family name that changes its sound keeps its first or its last three letters.
        if (fNorm.length >= 5) {
          const g = givenCodes(gNorm)[0]!;
          tiers[5]!.push(`np:f-${fNorm.slice(0, 3)}:${g}`, `np:b-${fNorm.slice(-3)}:${g}`);
        }
      }
      for (const c of fCodes) tiers[3]!.push(`fm:${familyPhoneticPart(fNorm, c)}`);
      for (const y of years) tiers[3]!.push(`ny:${fPart}:${y}`);
    }
  }
  if (opts.imageMatching) {
    for (const h of f.imageHashes.slice(0, 2)) {
      // Four 16-bit bands: two hashes within Hamming distance 3 share at least one band exactly.
      for (let b = 0; b < 4; b++) tiers[6]!.push(`im:${b}:${h.slice(b * 4, b * 4 + 4)}`);
    }
  }
  for (const t of featureTokens(f.features).informative.slice(0, MAX_FEATURE_KEYS)) tiers[7]!.push(`ft:${t}`);

  const out: string[] = [];
  const seen = new Set<string>();
  for (const tier of tiers) {
    for (const raw of tier) {
      const key = raw.replace(/[^A-Za-z0-9:_-]/g, '').slice(0, 200);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(key);
      if (out.length >= MAX_KEYS) return out;
    }
  }
  return out;
}
