import type { PersonFacts } from './facts';
import { featureTokens, type FeatureTokens } from './features';
import { familyKey, keyKind, MAX_KEY_MEMBERS, nameKeys, ocrCanonical } from './keys';
import {
  compareFamily,
  compareGiven,
  nameToken,
  normaliseFamily,
  normaliseGiven,
  typoClose,
  type Agreement,
  type NameToken,
} from './names';

// Bound once rather than looked up as globals on every call: scoring runs per candidate pair,
// and global look-ups are slow in some hosts (jest's vm contexts).
const { abs: mathAbs, ceil: mathCeil, log2, max: mathMax, min: mathMin, round: mathRound } = Math;
const isFiniteNumber = Number.isFinite;

/**
 * Fellegi–Sunter scoring. For each signal the weight is log2(m/u): m is the chance the signal
 * looks like this when both mentions are the same person, u the chance it does for two different
 * people of the retailer. The score is the sum: log2 of the likelihood ratio, in bits, under the
 * usual conditional-independence assumption (broken on purpose only where noted: names, plates
 * and phones within a household; the "context" signals, which are capped together).
 *
 * Evidence needs both sides: a field missing on either side contributes nothing, never a
 * negative. u comes from the retailer's own data through ctx.frequency (the share of its people
 * holding a key), from conservative priors for common names, and from floors that stop a value
 * seen once from weighing as if it were unique in the world.
 */

export interface Reason {
  /** name | dob | phone | plate | feature | time | store | products | type | image | event */
  signal: string;
  detail: string;
  weight: number;
}
export interface PairScore {
  score: number;
  reasons: Reason[];
}
export interface ScoreContext {
  /** Share of the retailer's *other* people holding this key, 0..1 (0 when unknown). See keyFrequency. */
  frequency(key: string): number;
  imageMatching: boolean;
}

/**
 * Score at or above which a pair becomes a suggestion: 12 bits, a likelihood ratio of 4096 to 1.
 * The prior odds that two mentions in a retailer of a few thousand people are the same person are
 * of that order against, so a suggestion is a pair that is at least as likely the same as not.
 * What reaches it on its own: a rare full name (~15), a phone (≤ 13), DOB with a similar name, a
 * plate with a similar name. What does not: a common full name (John Smith ≈ 10.4), a plate, a
 * DOB, distinguishing features, or the context signals on their own.
 */
export const SUGGEST_THRESHOLD = 12;
/** Re-exported here for the interface; defined with the keys it bounds. */
export { MAX_KEY_MEMBERS };
/** Candidates worth reading per mention, strongest shared keys first (see rankCandidates). */
export const MAX_CANDIDATES = 40;

/**
 * ctx.frequency from a key document, as the matcher reads it after indexing the subject's own
 * profile: `count` = profiles listed under the key, the subject's own included; `population` =
 * the retailer's indexed profiles. u is the share of *other* people holding the value, so two
 * holders are not counted: the subject and the candidate being scored. A value nobody else holds
 * answers 0, and the priors and floors decide. A hundred people are added to the population so
 * that a young retailer's first few profiles do not make every shared surname look common.
 */
const FREQUENCY_PRIOR_POPULATION = 100;
export function keyFrequency(count: number, population: number): number {
  return mathMax(0, count - 2) / (mathMax(0, population) + FREQUENCY_PRIOR_POPULATION);
}

// ---- weights (bits) ----------------------------------------------------------------------------

/** m for an exact name token: reporters copy names from ID or hear them; ~10 % come out otherwise. */
const M_NAME = 0.9;
/** u floor of a family name: 1 in 2048 people (weight ≤ 10.8). Below that, name data quality, not rarity, dominates. */
const FAMILY_U_FLOOR = 1 / 2048;
/**
 * u floor of a given name: 1 in 128 (weight ≤ 6.8). Given names are more often invented,
 * anglicised or misheard than surnames, so even a rare one proves less.
 */
const GIVEN_U_FLOOR = 1 / 128;
/** A nickname ("Bob" for Robert): m halves (most people are reported consistently), u is the group's share: −1 bit. */
const NICKNAME_PENALTY = 1;
/** A slip or sound-alike: m ≈ 0.1 against 0.9, u a few times the exact share: about −2 bits for family, −1.5 given. */
const FAMILY_TYPO_PENALTY = 2;
const GIVEN_TYPO_PENALTY = 1.5;
/** Given and family reported the other way round: rare (m ≈ 5 %) but so is the coincidence: −1 bit. */
const SWAP_PENALTY = 1;
/** An initial that fits ("J." for John): u ≈ 1/15, m low (initials are rare and unreliable). */
const INITIAL_AGREES = 1;
const INITIAL_DIFFERS = -2;
/** Both reported and different: the same person's family name differs in ~3 % of records (marriage, aliases): log2(0.03/0.97) ≈ −5. */
const FAMILY_DIFFERS = -5;
/** Given names differ more often for one person (a second name, an unknown nickname): ~6 %: −4. */
const GIVEN_DIFFERS = -4;

/** Same DOB: m ≈ 0.95; u ≈ 1/(365·30) for adults of similar age, floored at ~1/1500 (weight ≤ 10.5) for typed-in guesses. */
const DOB_U_FLOOR = 0.95 / 2 ** 10.5;
/** Same year, one digit off or day/month swapped: weakly for (a typing slip), never against. */
const DOB_NEAR = 1;
/** Both known and different: a wrong DOB for one person is ~1.5 % of records: log2(0.015) ≈ −6. */
const DOB_CONFLICT = -6;

/** Same phone: m ≈ 0.95, u floored at 1 in 8,700 (≤ 13): a number is held by one person or a household. */
const PHONE_U_FLOOR = 0.95 / 2 ** 13;
/** Different phones: people change numbers and use several (m ≈ 0.45): log2(0.45) ≈ −1. */
const PHONE_DIFFERS = -1;

/**
 * Same plate: m ≈ 0.6 (the car is not always theirs, and not always noted); u floored at one
 * vehicle in ~1,700 (≤ 10). Different plates are no evidence (people borrow cars and take taxis).
 */
const PLATE_M = 0.6;
const PLATE_U_FLOOR = PLATE_M / 2 ** 10;
/** An OCR-confusable reading (A8C123 for ABC123): m ≈ 0.15 rather than 0.6, u similar: −2 bits. */
const PLATE_OCR_PENALTY = 2;
/** One other character off: a likely misreading, but neighbouring plates are issued in sequence. */
const PLATE_NEAR = 2;
/**
 * Households break independence: relatives share a surname and often a car (and sometimes a
 * phone). When the family names agree and both given names are known and differ, a shared car or
 * phone is what a brother or a parent has too (u given the same surname ≈ 0.2 for a car, 0.1 for
 * a phone): they weigh log2(0.6/0.2) ≈ 1.5 and log2(0.95/0.1) ≈ 3 at most.
 * When the family names agree and a given name is missing, u of the plate is raised to the chance
 * that another holder of the surname is a relative (RELATIVE_SHARE / the surname's share, so
 * nearly 1 for a rare surname, ~7 % for Smith) times the chance a relative uses the same car.
 */
const HOUSEHOLD_PLATE = 1.5;
const HOUSEHOLD_PHONE = 3;
const RELATIVE_SHARE = 0.001;
const RELATIVE_SHARES_CAR = 0.3;

/**
 * A distinguishing-feature word both share: m ≈ 0.6 (features are noted inconsistently), u its
 * share among the retailer's people, floored at 1/32 (≤ 4.3 per word). Words of one feature are
 * strongly correlated ("anchor" and "forearm" of one tattoo), so the strongest shared word counts
 * in full and each further one a quarter (a lower bound of the joint weight, as the joint u is
 * at most the smallest single u), at most 6 in all. Shared generic words only (tattoo, arm):
 * +0.5. Features on both sides with nothing in common: −0.5 (m ≈ 0.6: one person's features are
 * noted partially and differently; u ≈ 0.95).
 */
const FEATURE_M = 0.6;
const FEATURE_U_FLOOR = 1 / 32;
const FEATURE_EXTRA_WORD = 0.25;
const FEATURE_CAP = 6;
const FEATURE_GENERIC = 0.5;
const FEATURE_DISJOINT = -0.5;

/** Image perceptual hash (opt-in): near-identical stills (≤ 4 of 64 bits) are strong, similar (≤ 10) moderate. */
const IMAGE_SAME = 8;
const IMAGE_SIMILAR = 4;

/**
 * Context: repeat offenders return to the same store, at the same time of year, for the same
 * products and the same kind of offence. Each has m > u, but they are strongly correlated with each
 * other and with every other offender at that store, so together they weigh at most 1 bit.
 */
const CONTEXT_CAP = 1;
const TIME_DAYS_CLOSE = 2;
const TIME_CLOSE = 0.6;
const TIME_DAYS_NEAR = 30;
const TIME_NEAR = 0.3;
const STORE_SAME = 0.6;
const PRODUCTS_SHARED = 0.4;
const TYPE_SAME = 0.2;

/** Two people of one event are two different people. */
const SAME_EVENT = -40;

// ---- prepared forms (cached per facts object) ---------------------------------------------------

interface PName {
  given?: NameToken;
  family?: NameToken;
  familyKey?: string;
  givenAsFamilyKey?: string;
  /** the full-name key (family + first nickname group of the given name) */
  nameKey?: string;
}
interface Prepared {
  names: PName[];
  dobs: string[];
  phones: string[];
  plates: string[];
  ocr: string[];
  features: FeatureTokens;
  hasFeatures: boolean;
  stores: string[];
  types: string[];
  skus: Set<string>;
  times: number[];
  images: [number, number][];
  events: string[];
}

const prepared = new WeakMap<PersonFacts, Prepared>();

function prepare(f: PersonFacts): Prepared {
  const hit = prepared.get(f);
  if (hit) return hit;
  const names: PName[] = [];
  for (const n of f.names) {
    const g = normaliseGiven(n.given);
    const fam = normaliseFamily(n.family);
    const p: PName = {};
    if (g) {
      p.given = nameToken(n.given!, g);
      p.givenAsFamilyKey = familyKey(n.given!);
    }
    if (fam) {
      p.family = nameToken(n.family!, fam);
      p.familyKey = familyKey(n.family!);
    }
    if (p.given && p.family) p.nameKey = nameKeys(n.family!, n.given!)[0];
    if (p.given || p.family) names.push(p);
  }
  const features = featureTokens(f.features);
  const out: Prepared = {
    names,
    dobs: f.dobs,
    phones: f.phones,
    plates: f.plates,
    ocr: f.plates.map(ocrCanonical),
    features,
    hasFeatures: features.informative.length + features.generic.length > 0,
    stores: f.stores,
    types: f.types,
    skus: new Set(f.skus),
    times: f.times.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t)),
    images: f.imageHashes.map((h) => [parseInt(h.slice(0, 8), 16), parseInt(h.slice(8, 16), 16)]),
    events: f.eventIds ?? [],
  };
  prepared.set(f, out);
  return out;
}

// ---- scoring ------------------------------------------------------------------------------------

const round = (x: number): number => mathRound(x * 100) / 100;
const pct = (u: number): string => (u >= 0.001 ? `${(u * 100).toFixed(u >= 0.01 ? 1 : 2)}%` : 'rare');

export function scorePair(a: PersonFacts, b: PersonFacts, ctx: ScoreContext): PairScore {
  const pa = prepare(a);
  const pb = prepare(b);
  const reasons: Reason[] = [];
  const freq = (key: string | undefined): number => {
    if (!key) return 0;
    const v = ctx.frequency(key);
    return isFiniteNumber(v) && v > 0 ? mathMin(1, v) : 0;
  };

  const sharedEvent = pa.events.find((e) => pb.events.includes(e));
  if (sharedEvent !== undefined) {
    reasons.push({ signal: 'event', detail: 'both are people of the same event, so two different people', weight: SAME_EVENT });
  }

  const name = bestNameEvidence(pa, pb, freq);
  if (name) reasons.push({ signal: 'name', detail: nameDetail(name), weight: round(name.weight) });
  scoreDob(pa, pb, freq, reasons);
  scorePhone(pa, pb, freq, !!name?.household, reasons);
  scorePlate(pa, pb, freq, name, reasons);
  scoreFeatures(pa, pb, freq, reasons);
  if (ctx.imageMatching) scoreImage(pa, pb, reasons);
  scoreContext(pa, pb, reasons);

  const score = round(reasons.reduce((s, r) => s + r.weight, 0));
  return { score, reasons };
}

// -- names

interface NamePart {
  role: 'family' | 'given' | 'name';
  x: NameToken;
  y: NameToken;
  agreement: Agreement;
  weight: number;
  /** u of the tokens as family names (shown for an agreeing family) */
  u: number;
}

interface NameEvidence {
  weight: number;
  parts: NamePart[];
  swapped: boolean;
  /** share of people holding the full name, when that capped the weight */
  fullNameU?: number;
  /** family agrees while both given names are known and differ: a relative, perhaps. */
  household: boolean;
  /** family agrees while the given names do not (one is missing): u of that surname, else undefined. */
  sharedSurnameU?: number;
}

function bestNameEvidence(pa: Prepared, pb: Prepared, freq: (k?: string) => number): NameEvidence | undefined {
  let best: NameEvidence | undefined;
  for (const x of pa.names) {
    for (const y of pb.names) {
      const e = compareNames(x, y, freq);
      if (e && (!best || e.weight > best.weight)) best = e;
    }
  }
  return best;
}

/** The reason's text, built only for the evidence that is kept. */
function nameDetail(e: NameEvidence): string {
  const parts = e.parts.map((p) => `${p.role} ${describe(p.x, p.y, p.agreement)}${p.role !== 'given' && agrees(p.agreement) ? ` (${pct(p.u)})` : ''}`);
  let detail = parts.join(', ');
  if (e.swapped) detail += ' (given and family swapped)';
  if (e.fullNameU !== undefined) detail += `; ${pct(e.fullNameU)} of people have this full name`;
  return detail;
}

function familyU(t: NameToken, key: string | undefined, freq: (k?: string) => number): number {
  return mathMax(freq(key), t.familyPrior, FAMILY_U_FLOOR);
}
function givenU(t: NameToken): number {
  return mathMax(t.givenPrior, GIVEN_U_FLOOR);
}

function familyPart(
  x: NameToken,
  xKey: string | undefined,
  y: NameToken,
  yKey: string | undefined,
  freq: (k?: string) => number,
  role: NamePart['role'] = 'family',
): NamePart {
  const agreement = compareFamily(x, y);
  const u = mathMax(familyU(x, xKey, freq), familyU(y, yKey, freq));
  const full = log2(M_NAME / u);
  let weight: number;
  switch (agreement) {
    case 'exact':
      weight = full;
      break;
    case 'phonetic':
    case 'typo':
      weight = full - FAMILY_TYPO_PENALTY;
      break;
    case 'initial':
      weight = INITIAL_AGREES;
      break;
    case 'initial-differs':
      weight = INITIAL_DIFFERS;
      break;
    default:
      weight = FAMILY_DIFFERS;
  }
  if (weight < 0 && agrees(agreement)) weight = 0;
  return { role, x, y, agreement, weight, u };
}

function givenPart(x: NameToken, y: NameToken, role: NamePart['role'] = 'given'): NamePart {
  const agreement = compareGiven(x, y);
  const u = mathMax(givenU(x), givenU(y));
  const full = log2(M_NAME / u);
  let weight: number;
  switch (agreement) {
    case 'exact':
      weight = full;
      break;
    case 'nickname':
      weight = full - NICKNAME_PENALTY;
      break;
    case 'phonetic':
    case 'typo':
      weight = full - GIVEN_TYPO_PENALTY;
      break;
    case 'initial':
      weight = INITIAL_AGREES;
      break;
    case 'initial-differs':
      weight = INITIAL_DIFFERS;
      break;
    default:
      weight = GIVEN_DIFFERS;
  }
  if (weight < 0 && agrees(agreement)) weight = 0;
  return { role, x, y, agreement, weight, u };
}

function agrees(a: Agreement): boolean {
  return a === 'exact' || a === 'nickname' || a === 'phonetic' || a === 'typo' || a === 'initial';
}

function describe(x: NameToken, y: NameToken, a: Agreement): string {
  switch (a) {
    case 'exact':
      return `${x.display} = ${y.display}`;
    case 'nickname':
      return `${x.display} = ${y.display} (nickname)`;
    case 'phonetic':
      return `${x.display} ~ ${y.display} (sounds alike)`;
    case 'typo':
      return `${x.display} ~ ${y.display} (one slip)`;
    case 'initial':
      return `${x.display} fits ${y.display} (initial)`;
    default:
      return `${x.display} ≠ ${y.display}`;
  }
}

function compareNames(x: PName, y: PName, freq: (k?: string) => number): NameEvidence | undefined {
  // As reported: family with family, given with given.
  let straight: NameEvidence | undefined;
  {
    const parts: NamePart[] = [];
    let familyAgrees = false;
    let givenDiffers = false;
    let givenAgrees = false;
    let familyU = 1;
    if (x.family && y.family) {
      const p = familyPart(x.family, x.familyKey, y.family, y.familyKey, freq);
      parts.push(p);
      familyAgrees = p.agreement === 'exact' || p.agreement === 'phonetic' || p.agreement === 'typo';
      familyU = p.u;
    }
    if (x.given && y.given) {
      const p = givenPart(x.given, y.given);
      parts.push(p);
      givenDiffers = p.agreement === 'differs' || p.agreement === 'initial-differs';
      givenAgrees = agrees(p.agreement) && p.agreement !== 'initial';
    }
    if (parts.length) {
      let weight = parts.length === 1 ? parts[0]!.weight : parts[0]!.weight + parts[1]!.weight;
      let fullNameU: number | undefined;
      if (familyAgrees && givenAgrees) {
        // The full name's own share among the retailer's people, when others hold it: family and
        // given are not independent (five John Smiths are more than 1.5 % × 4 % predicts).
        const u = mathMax(freq(x.nameKey), freq(y.nameKey));
        const cap = u > 0 ? log2((M_NAME * M_NAME) / u) : Infinity;
        if (weight > cap) {
          weight = mathMax(0, cap);
          fullNameU = u;
        }
      }
      straight = {
        weight,
        parts,
        swapped: false,
        fullNameU,
        household: familyAgrees && givenDiffers,
        sharedSurnameU: familyAgrees && !givenAgrees ? familyU : undefined,
      };
    }
  }
  // The other way round: counts only when every cross pair agrees (disagreeing across fields
  // is not evidence of anything), with its own small penalty.
  let swapped: NameEvidence | undefined;
  {
    const parts: NamePart[] = [];
    let ok = true;
    let weight = -SWAP_PENALTY;
    let lastU = 1;
    const cross: [NameToken | undefined, string | undefined, NameToken | undefined, string | undefined][] = [
      [x.given, x.givenAsFamilyKey, y.family, y.familyKey],
      [x.family, x.familyKey, y.given, y.givenAsFamilyKey],
    ];
    for (const [s, sKey, t, tKey] of cross) {
      if (!s || !t) continue;
      // A token in the other field: weigh it as the commoner of a family and a given name.
      const fam = familyPart(s, sKey, t, tKey, freq, 'name');
      const giv = givenPart(s, t, 'name');
      const famOk = agrees(fam.agreement) && fam.agreement !== 'initial';
      const givOk = agrees(giv.agreement) && giv.agreement !== 'initial';
      if (!famOk && !givOk) {
        ok = false;
        break;
      }
      const weakest = famOk && givOk ? (giv.weight < fam.weight ? giv : fam) : famOk ? fam : giv;
      weight += weakest.weight;
      parts.push(weakest);
      lastU = fam.u;
    }
    if (ok && parts.length) {
      swapped = {
        weight,
        parts,
        swapped: true,
        household: false,
        // One name in common, and it may be a surname: a relative could share the car.
        sharedSurnameU: parts.length === 1 ? lastU : undefined,
      };
    }
  }
  if (straight && swapped) return swapped.weight > straight.weight ? swapped : straight;
  return straight ?? swapped;
}

// -- identifiers

function scoreDob(pa: Prepared, pb: Prepared, freq: (k?: string) => number, reasons: Reason[]): void {
  if (!pa.dobs.length || !pb.dobs.length) return;
  const same = pa.dobs.find((d) => pb.dobs.includes(d));
  if (same) {
    const u = mathMax(freq(`db:${same.replace(/-/g, '')}`), DOB_U_FLOOR);
    reasons.push({ signal: 'dob', detail: `same date of birth ${same}${u > DOB_U_FLOOR ? ` (${pct(u)} of people)` : ''}`, weight: round(log2(0.95 / u)) });
    return;
  }
  for (const x of pa.dobs) {
    for (const y of pb.dobs) {
      if (dobNear(x, y)) {
        reasons.push({ signal: 'dob', detail: `date of birth ${x} ≈ ${y} (a slip?)`, weight: DOB_NEAR });
        return;
      }
    }
  }
  reasons.push({ signal: 'dob', detail: `dates of birth differ (${pa.dobs[0]} vs ${pb.dobs[0]})`, weight: DOB_CONFLICT });
}

function dobNear(x: string, y: string): boolean {
  if (x.length !== 10 || y.length !== 10 || x.slice(0, 4) !== y.slice(0, 4)) return false;
  // Day and month swapped (04-01 for 01-04), or one digit of month/day off.
  if (x.slice(5, 7) === y.slice(8, 10) && x.slice(8, 10) === y.slice(5, 7)) return true;
  let diff = 0;
  for (let i = 5; i < 10; i++) if (x[i] !== y[i]) diff++;
  return diff === 1;
}

function scorePhone(pa: Prepared, pb: Prepared, freq: (k?: string) => number, household: boolean, reasons: Reason[]): void {
  if (!pa.phones.length || !pb.phones.length) return;
  const same = pa.phones.find((p) => pb.phones.includes(p));
  if (!same) {
    reasons.push({ signal: 'phone', detail: 'different phone numbers', weight: PHONE_DIFFERS });
    return;
  }
  const u = mathMax(freq(`ph:${same.replace(/\D/g, '')}`), PHONE_U_FLOOR);
  let weight = log2(0.95 / u);
  let detail = `same phone ${maskPhone(same)}${u > PHONE_U_FLOOR ? ` (${pct(u)} of people)` : ''}`;
  if (household && weight > HOUSEHOLD_PHONE) {
    weight = HOUSEHOLD_PHONE;
    detail += ', but given names differ (a household phone?)';
  }
  reasons.push({ signal: 'phone', detail, weight: round(weight) });
}

function maskPhone(p: string): string {
  return p.length > 4 ? `…${p.slice(-4)}` : p;
}

function scorePlate(pa: Prepared, pb: Prepared, freq: (k?: string) => number, name: NameEvidence | undefined, reasons: Reason[]): void {
  if (!pa.plates.length || !pb.plates.length) return;
  let weight = 0;
  let detail = '';
  // u of a car shared with a relative, when the surname agrees and the given names do not.
  const relativeU = name?.sharedSurnameU ? mathMin(1, RELATIVE_SHARE / name.sharedSurnameU) * RELATIVE_SHARES_CAR : 0;
  const same = pa.plates.find((p) => pb.plates.includes(p));
  if (same) {
    const shared = freq(`pl:${same}`);
    const u = mathMax(shared, PLATE_U_FLOOR, relativeU);
    weight = log2(PLATE_M / u);
    detail = `same plate ${same}${shared > PLATE_U_FLOOR && shared >= relativeU ? ` (${pct(shared)} of people)` : ''}`;
  } else {
    for (let i = 0; i < pa.plates.length && !detail; i++) {
      const j = pb.ocr.indexOf(pa.ocr[i]!);
      if (j >= 0) {
        const u = mathMax(freq(`po:${pa.ocr[i]}`), PLATE_U_FLOOR, relativeU);
        weight = log2(PLATE_M / u) - PLATE_OCR_PENALTY;
        detail = `plate ${pa.plates[i]} ~ ${pb.plates[j]} (OCR-confusable)`;
      }
    }
    for (let i = 0; i < pa.plates.length && !detail; i++) {
      const x = pa.plates[i]!;
      const y = pb.plates.find((p) => mathMin(p.length, x.length) >= 5 && typoClose(p, x));
      if (y) {
        weight = PLATE_NEAR;
        detail = `plate ${x} ~ ${y} (one character off)`;
      }
    }
  }
  if (!detail || weight <= 0) return;
  if (relativeU > PLATE_U_FLOOR && weight <= log2(PLATE_M / relativeU) + 1e-9) detail += ', discounted: a relative with the surname may share the car';
  if (name?.household && weight > HOUSEHOLD_PLATE) {
    weight = HOUSEHOLD_PLATE;
    detail += ', but given names differ (a family car?)';
  }
  reasons.push({ signal: 'plate', detail, weight: round(weight) });
}

function scoreFeatures(pa: Prepared, pb: Prepared, freq: (k?: string) => number, reasons: Reason[]): void {
  if (!pa.hasFeatures || !pb.hasFeatures) return;
  const shared = pa.features.informative.filter((t) => pb.features.informative.includes(t));
  if (shared.length) {
    const parts = shared.map((t) => {
      const u = mathMax(freq(`ft:${t}`), FEATURE_U_FLOOR);
      return { t, w: mathMax(0, log2(FEATURE_M / u)) };
    });
    const ws = parts.map((p) => p.w).sort((x, y) => y - x);
    const total = mathMin(FEATURE_CAP, ws.reduce((s, w, i) => s + (i === 0 ? w : FEATURE_EXTRA_WORD * w), 0));
    if (total > 0) {
      reasons.push({ signal: 'feature', detail: `features share ${shared.slice(0, 6).join(', ')}`, weight: round(total) });
      return;
    }
  }
  const generic = pa.features.generic.filter((t) => pb.features.generic.includes(t));
  if (generic.length) {
    reasons.push({ signal: 'feature', detail: `features share only generic words (${generic.slice(0, 4).join(', ')})`, weight: FEATURE_GENERIC });
  } else if (!shared.length) {
    reasons.push({ signal: 'feature', detail: 'distinguishing features have nothing in common', weight: FEATURE_DISJOINT });
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function scoreImage(pa: Prepared, pb: Prepared, reasons: Reason[]): void {
  if (!pa.images.length || !pb.images.length) return;
  let min = 64;
  for (const [h1, l1] of pa.images) for (const [h2, l2] of pb.images) min = mathMin(min, popcount((h1 ^ h2) >>> 0) + popcount((l1 ^ l2) >>> 0));
  if (min <= 4) reasons.push({ signal: 'image', detail: `near-identical images (${min} of 64 hash bits differ)`, weight: IMAGE_SAME });
  else if (min <= 10) reasons.push({ signal: 'image', detail: `similar images (${min} of 64 hash bits differ)`, weight: IMAGE_SIMILAR });
}

// -- context

function scoreContext(pa: Prepared, pb: Prepared, reasons: Reason[]): void {
  const found: Reason[] = [];
  if (pa.times.length && pb.times.length) {
    let min = Infinity;
    for (const x of pa.times) for (const y of pb.times) min = mathMin(min, mathAbs(x - y));
    const days = min / 86_400_000;
    if (days <= TIME_DAYS_CLOSE) found.push({ signal: 'time', detail: `within ${mathMax(1, mathCeil(days))} day(s)`, weight: TIME_CLOSE });
    else if (days <= TIME_DAYS_NEAR) found.push({ signal: 'time', detail: `within ${mathCeil(days)} days`, weight: TIME_NEAR });
  }
  const store = pa.stores.find((s) => pb.stores.includes(s));
  if (store !== undefined) found.push({ signal: 'store', detail: `same store ${store}`, weight: STORE_SAME });
  const skus = [...pa.skus].filter((s) => pb.skus.has(s));
  if (skus.length) found.push({ signal: 'products', detail: `same products (${skus.slice(0, 3).join(', ')})`, weight: PRODUCTS_SHARED });
  const type = pa.types.find((t) => pb.types.includes(t));
  if (type !== undefined) found.push({ signal: 'type', detail: `same type of offending (${type})`, weight: TYPE_SAME });
  const total = found.reduce((s, r) => s + r.weight, 0);
  const scale = total > CONTEXT_CAP ? CONTEXT_CAP / total : 1;
  for (const r of found) {
    reasons.push({ ...r, detail: scale < 1 ? `${r.detail} (context capped at ${CONTEXT_CAP})` : r.detail, weight: round(r.weight * scale) });
  }
}

// -- candidates

/** Roughly the bits a shared key of each kind is worth (see the weights above), for ordering candidates before reading them. */
const KIND_STRENGTH: Record<string, number> = {
  phone: 13,
  dob: 10,
  'name-year': 10,
  plate: 9,
  name: 8,
  image: 7,
  'plate-ocr': 6,
  'name-part': 5,
  family: 3,
  feature: 2,
};

/**
 * Orders candidates by the keys they share with the subject (strong kinds first, rarer keys
 * first) and keeps the first `limit`: which profiles are worth a read.
 */
export function rankCandidates(
  shared: Map<string, string[]>,
  frequency: (key: string) => number,
  limit = MAX_CANDIDATES,
): string[] {
  const scored = [...shared].map(([id, keys]) => {
    let s = 0;
    for (const k of keys) s += (KIND_STRENGTH[keyKind(k)] ?? 1) * (1 - mathMin(1, mathMax(0, frequency(k))));
    return { id, s };
  });
  scored.sort((x, y) => y.s - x.s || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return scored.slice(0, limit).map((x) => x.id);
}
