import { plateCompany, type PersonFacts } from './facts';
import { featureTokens, type FeatureTokens } from './features';
import { retailerGivenShare, type GivenNameShares } from './given-names';
import { familyKey, nameKeys, ocrCanonical } from './keys';
import { compareFamily, compareGiven, nameToken, normaliseFamily, normaliseGiven, typoClose, type Agreement, type NameToken } from './names';

/**
 * The comparison vector of Fellegi–Sunter: for each signal, which level of agreement two people
 * show (absent when either side lacks the field: no evidence either way), and for levels whose
 * chance agreement depends on the value (a rare surname against Smith), the share of the
 * retailer's people holding that value — the term frequency that stands in for u. What each level
 * is worth is not decided here: the model (model.ts) holds m and u per level, learned from the
 * retailer's data (estimate.ts).
 */

export const SIGNALS = ['name', 'dob', 'phone', 'plate', 'feature', 'physique', 'context', 'offence', 'image'] as const;
export type Signal = (typeof SIGNALS)[number];

/** The levels of each signal, strongest agreement first. */
export const LEVELS = {
  name: ['full-exact', 'full-fuzzy', 'swapped', 'family-only', 'given-only', 'family-given-differs', 'given-family-differs', 'differ'],
  dob: ['exact', 'near', 'differ'],
  phone: ['exact', 'near', 'differ'],
  plate: ['exact', 'ocr', 'near', 'differ'],
  feature: ['multi', 'one', 'generic', 'disjoint'],
  physique: ['close', 'compatible', 'conflict'],
  context: ['store-near', 'store', 'near', 'none'],
  offence: ['products', 'type', 'none'],
  image: ['same', 'similar', 'differ'],
} as const satisfies Record<Signal, readonly string[]>;

export interface Comparison {
  /** Level per signal; a signal missing here had no data on one side. */
  levels: Partial<Record<Signal, string>>;
  /** Term frequency (share of people holding the agreeing value) for value-dependent levels. */
  tf: Partial<Record<Signal, number>>;
  /** Two people of one event: certainly two different people. */
  sameEvent: boolean;
  /** Reports behind the pair: one side's events times the other's (a merged profile is several reports of one person). Absent: 1. */
  reports?: number;
  /** The most people seen at once with the plate they share, where more than one: a crew's car (model.ts crewCap). */
  crew?: number;
  /** For a swapped name: the share of people named as the rarer of the two orders is written, strangers who truly hold the mirrored name (model.ts swappedShare). */
  mirror?: number;
}

export interface Explained extends Comparison {
  /** What was compared, in words, per signal (ids and masked values only where personal). */
  details: Partial<Record<Signal, string>>;
}

export interface CompareContext {
  /** Share of the retailer's *other* people holding this key, 0..1 (0 when unknown). */
  frequency(key: string): number;
  imageMatching: boolean;
  /** The retailer's indexed people (for the chance that two holders of a surname are relatives). */
  people?: number;
  /** The retailer's given-name shares, from its model (given-names.ts); absent: the national table alone. */
  givenNames?: GivenNameShares;
  /** The two are of different retailers (a cross-retailer candidate): each names its own stores, so one id is not one store. */
  otherRetailer?: boolean;
}

/**
 * Households break independence: relatives share a surname and often a car or a phone. When two
 * people share a surname and nothing else of their name, the chance that a stranger with that
 * surname shares the car is the chance they are a relative (RELATIVES_PER_PERSON among the
 * surname's holders) times the chance a relative uses the same car (or phone): that is u of the
 * shared car then, not the car's own rarity.
 */
const RELATIVES_PER_PERSON = 0.5;
const RELATIVE_SHARES = { plate: 0.3, phone: 0.1 } as const;
const HOUSEHOLD_NAME_LEVELS = new Set(['family-only', 'family-given-differs']);

/** Below these shares a value's rarity says more about data entry than about people: floors of u. */
export const TF_FLOOR: Partial<Record<Signal, number>> = {
  dob: 1 / 1500,
  phone: 1 / 8700,
  plate: 1 / 1700,
  feature: 1 / 64,
};
const FAMILY_FLOOR = 1 / 2048;
const GIVEN_FLOOR = 1 / 128;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NEAR_DAYS = 30;
/** Years of slack on estimated ages, cm on estimated heights. */
const AGE_SLACK = 3;
const HEIGHT_CLOSE = 5;
const HEIGHT_COMPATIBLE = 12;

// ---- prepared forms (cached per facts object: a profile is compared with many) ----------------

interface PName {
  given?: NameToken;
  family?: NameToken;
  familyKey?: string;
  givenAsFamilyKey?: string;
  nameKey?: string;
  swappedNameKey?: string;
}
interface Prepared {
  names: PName[];
  ocr: string[];
  features: FeatureTokens;
  hasFeatures: boolean;
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
    if (p.given && p.family) {
      p.nameKey = nameKeys(n.family!, n.given!)[0];
      p.swappedNameKey = nameKeys(n.given!, n.family!)[0];
    }
    if (p.given || p.family) names.push(p);
  }
  const features = featureTokens(f.features);
  const out: Prepared = {
    names,
    ocr: f.plates.map(ocrCanonical),
    features,
    hasFeatures: features.informative.length + features.generic.length > 0,
    skus: new Set(f.skus),
    times: f.times.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t)),
    images: f.imageHashes.map((h) => [parseInt(h.slice(0, 8), 16), parseInt(h.slice(8, 16), 16)]),
    events: f.eventIds ?? [],
  };
  prepared.set(f, out);
  return out;
}

// ---- the comparison -----------------------------------------------------------------------------

type Freq = (key: string | undefined) => number;

/** The comparison vector of two people's facts; with `explain`, the words for each signal too. */
export function compareFacts(a: PersonFacts, b: PersonFacts, ctx: CompareContext, explain = false): Explained {
  const pa = prepare(a);
  const pb = prepare(b);
  const freq: Freq = (key) => {
    if (!key) return 0;
    const v = ctx.frequency(key);
    return Number.isFinite(v) && v > 0 ? Math.min(1, v) : 0;
  };
  const reports = Math.max(1, pa.events.length) * Math.max(1, pb.events.length);
  const out: Explained = { levels: {}, tf: {}, details: {}, sameEvent: pa.events.some((e) => pb.events.includes(e)), ...(reports > 1 ? { reports } : {}) };
  const set = (s: Signal, level: string, detail: () => string, tf?: number) => {
    out.levels[s] = level;
    if (tf !== undefined) out.tf[s] = tf;
    if (explain) out.details[s] = detail();
  };
  const mirror = compareName(pa, pb, freq, (t) => givenShareIn(t, ctx.givenNames), set);
  if (mirror !== undefined) out.mirror = mirror;
  compareDob(a, b, freq, set);
  comparePhone(a, b, freq, set);
  const crew = comparePlate(a, b, pa, pb, freq, set);
  if (crew > 1) out.crew = crew;
  compareFeatures(pa, pb, freq, set);
  comparePhysique(a, b, set);
  compareContext(a, b, pa, pb, set, ctx.otherRetailer === true);
  if (ctx.imageMatching) compareImage(pa, pb, set);
  const surname = out.tf.name;
  if (out.levels.name && HOUSEHOLD_NAME_LEVELS.has(out.levels.name) && surname !== undefined) {
    const relative = Math.min(1, RELATIVES_PER_PERSON / Math.max(1, surname * (ctx.people ?? 1000)));
    for (const s of ['plate', 'phone'] as const) {
      const t = out.tf[s];
      if (t !== undefined) out.tf[s] = Math.max(t, relative * RELATIVE_SHARES[s]);
    }
  }
  return out;
}

type Setter = (s: Signal, level: string, detail: () => string, tf?: number) => void;

// -- names

const NAME_ORDER: readonly string[] = LEVELS.name;
const agreesFamily = (a: Agreement) => a === 'exact' || a === 'phonetic' || a === 'typo';
const agreesGiven = (a: Agreement) => agreesFamily(a) || a === 'nickname';

interface NameResult {
  level: string;
  tf?: number;
  /** Swapped only: the rarer written order's share (Comparison.mirror). */
  mirror?: number;
  text: () => string;
}

function familyShare(t: NameToken, key: string | undefined, freq: Freq): number {
  return Math.max(freq(key), t.familyPrior, FAMILY_FLOOR);
}
function givenShareIn(t: NameToken, shares: GivenNameShares | undefined): number {
  return Math.max(t.givenPrior, retailerGivenShare(shares, t.norm, t.canon), GIVEN_FLOOR);
}
type GivenShare = (t: NameToken) => number;

/** Sets the name's level; answers Comparison.mirror for a swapped name. */
function compareName(pa: Prepared, pb: Prepared, freq: Freq, givenShare: GivenShare, set: Setter): number | undefined {
  let best: NameResult | undefined;
  const better = (r: NameResult | undefined) => {
    if (!r) return;
    if (!best) best = r;
    else {
      const d = NAME_ORDER.indexOf(r.level) - NAME_ORDER.indexOf(best.level);
      if (d < 0 || (d === 0 && (r.tf ?? 1) < (best.tf ?? 1))) best = r;
    }
  };
  for (const x of pa.names) for (const y of pb.names) better(nameLevel(x, y, freq, givenShare));
  if (best) set('name', best.level, best.text, best.tf);
  return best?.mirror;
}

function nameLevel(x: PName, y: PName, freq: Freq, givenShare: GivenShare): NameResult | undefined {
  const fam = x.family && y.family ? compareFamily(x.family, y.family) : undefined;
  const giv = x.given && y.given ? compareGiven(x.given, y.given) : undefined;
  const famOk = fam !== undefined && agreesFamily(fam);
  const givOk = giv !== undefined && agreesGiven(giv);
  const text = () => [fam && `family ${say(x.family!, y.family!, fam)}`, giv && `given ${say(x.given!, y.given!, giv)}`].filter(Boolean).join(', ');
  if (famOk && givOk) {
    const share = Math.max(freq(x.nameKey), freq(y.nameKey), familyShare(x.family!, x.familyKey, freq) * givenShare(x.given!));
    const tf = Math.max(share, familyShare(y.family!, y.familyKey, freq) * givenShare(y.given!));
    return { level: fam === 'exact' && giv === 'exact' ? 'full-exact' : 'full-fuzzy', tf, text };
  }
  // Given and family the other way round: every cross pair present must agree.
  const crossA = x.given && y.family ? compareFamily(x.given, y.family) : undefined;
  const crossB = x.family && y.given ? compareFamily(x.family, y.given) : undefined;
  if (crossA && crossB && agreesFamily(crossA) && agreesFamily(crossB)) {
    const asWrittenY = familyShare(y.family!, y.familyKey, freq) * givenShare(y.given!);
    const asWrittenX = familyShare(x.family!, x.familyKey, freq) * givenShare(x.given!);
    const tf = Math.max(freq(x.swappedNameKey), freq(y.swappedNameKey), asWrittenY, asWrittenX);
    return { level: 'swapped', tf, mirror: Math.min(asWrittenX, asWrittenY), text: () => `${x.given!.display} ${x.family!.display} ~ ${y.family!.display} ${y.given!.display} (given and family swapped)` };
  }
  if (famOk && giv === undefined) return { level: 'family-only', tf: Math.max(familyShare(x.family!, x.familyKey, freq), familyShare(y.family!, y.familyKey, freq)), text };
  if (givOk && fam === undefined) return { level: 'given-only', tf: Math.max(givenShare(x.given!), givenShare(y.given!)), text };
  // The surname's share rides along (not as u: see HOUSEHOLD_NAME_LEVELS).
  if (famOk) return { level: 'family-given-differs', tf: Math.max(familyShare(x.family!, x.familyKey, freq), familyShare(y.family!, y.familyKey, freq)), text };
  if (givOk) return { level: 'given-family-differs', text };
  if (fam !== undefined || giv !== undefined) {
    // A surname in the other field with nothing to cross-check ("Smith" as the given name of a
    // report without a family name): a shared surname, at most.
    const loneA = crossA && agreesFamily(crossA) && !crossB;
    const loneB = crossB && agreesFamily(crossB) && !crossA;
    if (loneA || loneB) {
      const [t, o] = loneA ? [x.given!, y.family!] : [x.family!, y.given!];
      const tf = Math.max(familyShare(t, familyKey(t.display), freq), familyShare(o, familyKey(o.display), freq));
      return { level: 'family-only', tf, text: () => `${t.display} ~ ${o.display} (in the other name field)` };
    }
    return { level: 'differ', text };
  }
  return undefined;
}

function say(x: NameToken, y: NameToken, a: Agreement): string {
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

// -- identifiers

function compareDob(a: PersonFacts, b: PersonFacts, freq: Freq, set: Setter): void {
  if (!a.dobs.length || !b.dobs.length) return;
  const same = a.dobs.find((d) => b.dobs.includes(d));
  if (same) return set('dob', 'exact', () => `same date of birth ${same}`, Math.max(freq(`db:${same.replace(/-/g, '')}`), TF_FLOOR.dob!));
  for (const x of a.dobs) for (const y of b.dobs) if (dobNear(x, y)) return set('dob', 'near', () => `date of birth ${x} ≈ ${y} (a slip?)`);
  set('dob', 'differ', () => `dates of birth differ (${a.dobs[0]} vs ${b.dobs[0]})`);
}

/** Day and month swapped, one digit off, or the year off by one with day and month the same. */
function dobNear(x: string, y: string): boolean {
  if (x.length !== 10 || y.length !== 10) return false;
  if (x.slice(0, 4) === y.slice(0, 4) && x.slice(5, 7) === y.slice(8, 10) && x.slice(8, 10) === y.slice(5, 7)) return true;
  let diff = 0;
  for (let i = 0; i < 10; i++) if (x[i] !== y[i]) diff++;
  if (diff === 1) return true;
  return x.slice(4) === y.slice(4) && Math.abs(Number(x.slice(0, 4)) - Number(y.slice(0, 4))) === 1;
}

function comparePhone(a: PersonFacts, b: PersonFacts, freq: Freq, set: Setter): void {
  if (!a.phones.length || !b.phones.length) return;
  const same = a.phones.find((p) => b.phones.includes(p));
  if (same) return set('phone', 'exact', () => `same phone …${same.slice(-4)}`, Math.max(freq(`ph:${same.replace(/\D/g, '')}`), TF_FLOOR.phone!));
  for (const x of a.phones) for (const y of b.phones) if (x.length >= 8 && y.length === x.length && typoClose(x, y)) return set('phone', 'near', () => `phones …${x.slice(-4)} ≈ …${y.slice(-4)} (one digit off)`);
  set('phone', 'differ', () => 'different phone numbers');
}

/** Sets the plate level; returns the most people seen at once with the shared plate (1 when none is shared, or it came alone). */
function comparePlate(a: PersonFacts, b: PersonFacts, pa: Prepared, pb: Prepared, freq: Freq, set: Setter): number {
  if (!a.plates.length || !b.plates.length) return 1;
  const company = (x: string, y: string) => Math.max(plateCompany(a.plateCompany, x), plateCompany(b.plateCompany, y));
  const with_ = (n: number) => (n > 1 ? `, seen with ${n} people at once` : '');
  // Of several shared plates, the one that says most: a car that came alone before a crew's, then the rarer.
  const best = <T extends { n: number; tf: number; key: string }>(found: T[]): T | undefined =>
    found.sort((x, y) => x.n - y.n || x.tf - y.tf || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))[0];
  const exact = best(a.plates.filter((p) => b.plates.includes(p)).map((p) => ({ n: company(p, p), tf: Math.max(freq(`pl:${p}`), TF_FLOOR.plate!), key: p })));
  if (exact) {
    set('plate', 'exact', () => `same plate ${exact.key}${with_(exact.n)}`, exact.tf);
    return exact.n;
  }
  const ocr = best(
    a.plates.flatMap((x, i) =>
      b.plates.flatMap((y, j) => (pa.ocr[i] === pb.ocr[j] ? [{ n: company(x, y), tf: Math.max(freq(`po:${pa.ocr[i]}`), TF_FLOOR.plate!), key: [x, y].sort().join('~'), x, y }] : [])),
    ),
  );
  if (ocr) {
    set('plate', 'ocr', () => `plate ${ocr.x} ~ ${ocr.y} (OCR-confusable)${with_(ocr.n)}`, ocr.tf);
    return ocr.n;
  }
  const near = best(
    a.plates.flatMap((x) => b.plates.flatMap((y) => (Math.min(y.length, x.length) >= 5 && typoClose(y, x) ? [{ n: company(x, y), tf: 0, key: [x, y].sort().join('~'), x, y }] : []))),
  );
  if (near) {
    set('plate', 'near', () => `plate ${near.x} ~ ${near.y} (one character off)${with_(near.n)}`);
    return near.n;
  }
  set('plate', 'differ', () => 'different plates');
  return 1;
}

// -- descriptions

function compareFeatures(pa: Prepared, pb: Prepared, freq: Freq, set: Setter): void {
  if (!pa.hasFeatures || !pb.hasFeatures) return;
  const shared = pa.features.informative.filter((t) => pb.features.informative.includes(t));
  if (shared.length >= 2) return set('feature', 'multi', () => `features share ${shared.slice(0, 6).join(', ')}`);
  if (shared.length === 1) {
    const t = shared[0]!;
    return set('feature', 'one', () => `features share ${t}`, Math.max(freq(`ft:${t}`), TF_FLOOR.feature!));
  }
  const generic = pa.features.generic.filter((t) => pb.features.generic.includes(t));
  if (generic.length) return set('feature', 'generic', () => `features share only generic words (${generic.slice(0, 4).join(', ')})`);
  set('feature', 'disjoint', () => 'distinguishing features have nothing in common');
}

const BUILD_RANK: Record<string, number> = { slim: 0, medium: 1, heavy: 2 };

/** Age (years of birth), height and build: each dimension known on both sides is close, compatible or in conflict. */
function comparePhysique(a: PersonFacts, b: PersonFacts, set: Setter): void {
  // Each dimension's distance (undefined: not known on both sides); words only when asked for.
  let ages: number | undefined;
  let heights: number | undefined;
  let builds: number | undefined;
  const ba = a.born ?? [];
  const bb = b.born ?? [];
  // Dates of birth on both sides are the dob signal's evidence: not counted twice.
  if (ba.length && bb.length && !(a.dobs.length && b.dobs.length)) {
    ages = Infinity;
    for (const [lo1, hi1] of ba) for (const [lo2, hi2] of bb) ages = Math.min(ages, Math.max(0, lo1 - hi2, lo2 - hi1));
  }
  const ha = a.heights ?? [];
  const hb = b.heights ?? [];
  if (ha.length && hb.length) {
    heights = Infinity;
    for (const x of ha) for (const y of hb) heights = Math.min(heights, Math.abs(x - y));
  }
  const ua = a.builds ?? [];
  const ub = b.builds ?? [];
  if (ua.length && ub.length) {
    builds = Infinity;
    for (const x of ua) for (const y of ub) builds = Math.min(builds, Math.abs((BUILD_RANK[x] ?? 1) - (BUILD_RANK[y] ?? 1)));
  }
  const known = (ages !== undefined ? 1 : 0) + (heights !== undefined ? 1 : 0) + (builds !== undefined ? 1 : 0);
  if (!known) return;
  const conflict = (ages ?? 0) > AGE_SLACK || (heights ?? 0) > HEIGHT_COMPATIBLE || (builds ?? 0) >= 2;
  const close = (ages === 0 ? 1 : 0) + (heights !== undefined && heights <= HEIGHT_CLOSE ? 1 : 0) + (builds === 0 ? 1 : 0);
  const level = conflict ? 'conflict' : close >= 2 && close === known ? 'close' : 'compatible';
  set('physique', level, () =>
    [
      ages === undefined ? undefined : ages === 0 ? 'ages fit' : `ages ${ages} years apart`,
      heights === undefined ? undefined : `heights ${heights} cm apart`,
      builds === undefined ? undefined : builds === 0 ? 'same build' : builds === 1 ? 'similar build' : 'different build',
    ]
      .filter((n) => n !== undefined)
      .join(', '),
  );
}

// -- context

function compareContext(a: PersonFacts, b: PersonFacts, pa: Prepared, pb: Prepared, set: Setter, otherRetailer: boolean): void {
  let min = Infinity;
  for (const x of pa.times) for (const y of pb.times) min = Math.min(min, Math.abs(x - y));
  const near = min <= NEAR_DAYS * DAY;
  const store = otherRetailer ? undefined : a.stores.find((s) => b.stores.includes(s));
  const days = () => (min < HOUR ? 'within the hour' : Math.round(min / HOUR) < 24 ? `${Math.round(min / HOUR)} hour(s) apart` : `${Math.round(min / DAY)} day(s) apart`);
  if (store !== undefined) set('context', near ? 'store-near' : 'store', () => `same store ${store}${near ? `, ${days()}` : ''}`);
  else set('context', near ? 'near' : 'none', () => (near ? `other stores, ${days()}` : 'other stores, months apart'));
  const skus = [...pa.skus].filter((s) => pb.skus.has(s));
  const type = a.types.find((t) => b.types.includes(t));
  if (skus.length) set('offence', 'products', () => `same products (${skus.slice(0, 3).join(', ')})`);
  else set('offence', type !== undefined ? 'type' : 'none', () => (type !== undefined ? `same type of offending (${type})` : 'different offending'));
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function compareImage(pa: Prepared, pb: Prepared, set: Setter): void {
  if (!pa.images.length || !pb.images.length) return;
  let min = 64;
  for (const [h1, l1] of pa.images) for (const [h2, l2] of pb.images) min = Math.min(min, popcount((h1 ^ h2) >>> 0) + popcount((l1 ^ l2) >>> 0));
  set('image', min <= 4 ? 'same' : min <= 10 ? 'similar' : 'differ', () => `images ${min} of 64 hash bits apart`);
}
