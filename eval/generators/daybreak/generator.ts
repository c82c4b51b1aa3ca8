import type { z } from 'zod';
import type { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { mulberry32 } from '../../../shared/domain/matching/random';

/**
 * Seeded generator of noisy synthetic repeat offenders with ground truth, for measuring Connect
 * the Dots. N identities, each appearing in 1–6 events (more when an accomplice brings them
 * along), reported the way store staff report people: names with typos, nicknames, given and
 * family swapped or missing, DOB and phone often missing, plates misread, features paraphrased
 * or half noted. Distinct people share common names (five John Smiths), relatives share a
 * surname and a car. Output: EventInput bodies, and per person mention the identity it truly is.
 *
 * Its vocabularies are its own (not the matcher's tables), so that the matcher is not measured
 * against itself.
 */

export type EventBody = z.input<typeof EventInputSchema>;

export interface NoiseRates {
  /** one edit (substitution, insertion, deletion, transposition) in the given or the family name */
  typo: number;
  /** given name reported as a nickname, when it has one */
  nickname: number;
  /** given and family the other way round */
  swap: number;
  missingGiven: number;
  missingFamily: number;
  /** DOB reported, when the identity's is known */
  dobReported: number;
  /** phone reported, when the identity has one */
  phoneReported: number;
  /** the identity's vehicle noted, when it has one */
  plateReported: number;
  /** a noted plate with one OCR confusion */
  plateOcr: number;
  /** each of the identity's features noted */
  featureReported: number;
  /** a noted feature paraphrased or partial */
  featureParaphrase: number;
  /** an alias recorded */
  alias: number;
  /** name in upper or lower case */
  casing: number;
}

export const DEFAULT_NOISE: NoiseRates = {
  typo: 0.12,
  nickname: 0.25,
  swap: 0.06,
  missingGiven: 0.1,
  missingFamily: 0.07,
  dobReported: 0.7,
  phoneReported: 0.6,
  plateReported: 0.7,
  plateOcr: 0.15,
  featureReported: 0.65,
  featureParaphrase: 0.6,
  alias: 0.08,
  casing: 0.15,
};

export interface SyntheticOptions {
  seed: number;
  identities: number;
  /** Scales the "bad" rates (typos, nicknames, swaps, missing fields, OCR, paraphrase) and the reporting rates inversely. 1 = DEFAULT_NOISE. */
  noiseLevel?: number;
  /** Override individual rates (after scaling). */
  noise?: Partial<NoiseRates>;
  stores?: number;
  /** First day of the period (ISO date) and its length. */
  start?: string;
  days?: number;
}

export interface SyntheticEvent {
  id: string;
  body: EventBody;
}
export interface SyntheticMention {
  /** `${eventId}/${ref}` */
  id: string;
  eventId: string;
  ref: string;
  /** ground truth: the identity this person is */
  truthId: string;
}
export interface SyntheticDataset {
  events: SyntheticEvent[];
  mentions: SyntheticMention[];
  /** ground truth: who each identity really is (for inspection; matching never sees it) */
  identities: { id: string; given: string; family: string; dob?: string; plate?: string }[];
}

// ---- seeded randomness ---------------------------------------------------------------------------

export { mulberry32 };

class Rng {
  constructor(readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  /** Zipf-like: rank r drawn with weight 1/(r+1)^s. */
  zipf<T>(list: readonly T[], s = 1): T {
    let total = 0;
    for (let i = 0; i < list.length; i++) total += 1 / (i + 1) ** s;
    let x = this.next() * total;
    for (let i = 0; i < list.length; i++) {
      x -= 1 / (i + 1) ** s;
      if (x <= 0) return list[i]!;
    }
    return list[list.length - 1]!;
  }
  weighted<T>(items: readonly [T, number][]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of items) {
      x -= w;
      if (x <= 0) return v;
    }
    return items[items.length - 1]![0];
  }
}

// ---- vocabularies -----------------------------------------------------------------------------------

/** Common surnames, most common first (drawn Zipf-like). */
const COMMON_SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Singh', 'Nguyen', 'Lee', 'Thompson', 'Walker', 'Anderson',
  'Johnson', 'White', 'Martin', 'Robinson', 'Wright', 'Patel', 'Kim', 'Wang', 'Li', 'Chen', 'Campbell', 'Scott',
  'Clarke', 'Young', 'Harris', 'King', 'Mitchell', 'Hall', 'Thomas', 'Roberts', 'Evans', 'Green', 'Wood', 'Jackson',
  'Murphy', 'Kelly', 'Ryan', 'Stewart', 'Ngata', 'Parata', 'Henare', 'Tupou', 'Khan', 'Ali', 'Kumar', 'Wong', 'Chan',
  'Tran', 'Garcia', 'Cooper', 'Edwards', 'Turner', 'Hill', 'Baker', 'Ward', 'Morris', 'Cook', 'Bell',
];
/** Less common surnames (drawn uniformly). */
const MID_SURNAMES = [
  'Fitzgerald', 'Donovan', 'Sullivan', 'Gallagher', 'Hayes', 'Bishop', 'Pearce', 'Fletcher', 'Hodges', 'Barker',
  'Holland', 'Sutton', 'Chambers', 'Gibbs', 'Lambert', 'Nash', 'Osborne', 'Page', 'Quinn', 'Rowe', 'Sharpe', 'Tucker',
  'Vaughan', 'Webster', 'Yates', 'Abbott', 'Blake', 'Carr', 'Dawson', 'Elliott', 'Ferguson', 'Gordon', 'Hanson',
  'Irwin', 'Jennings', 'Kerr', 'Lowe', 'Marsh', 'Norris', 'Owens', 'Palmer', 'Reeves', 'Saunders', 'Tait', 'Upton',
  'Waite', 'Tamihana', 'Wihongi', 'Tipene', 'Rangihau', 'Fonoti', 'Faleolo', 'Taufa', 'Fifita', 'Okonkwo', 'Haddad',
  'Kowalczyk', 'Novak', 'Horvath', 'Jansen', 'Bakker', 'Rossi', 'Russo', 'Moreau', 'Dubois', 'Schneider', 'Fischer',
  'Nakamura', 'Takahashi', 'Yamamoto', 'Sato', 'Pham', 'Hoang', 'Vu', 'Dang', 'Gupta', 'Reddy', 'Iyer', 'Menon',
  'Mendoza', 'Castillo', 'Ortega', 'Vargas', 'Ramos', 'Herrera', 'Kovac', 'Petrov', 'Ivanova', 'Andersen', 'Lindqvist',
];
const RARE_ONSETS = ['Brack', 'Thorn', 'Ash', 'Kel', 'Mor', 'Dun', 'Hal', 'Wex', 'Quill', 'Ferr', 'Gal', 'Pen', 'Stra', 'Bel', 'Cor', 'Dray', 'El', 'Fen', 'Gar', 'Hol', 'Lan', 'Mar', 'Nor', 'Os', 'Rad', 'Sel', 'Tam', 'Ul', 'Var', 'Wy', 'Crag', 'Brim', 'Hask', 'Pim', 'Trel'];
const RARE_MIDDLES = ['', '', 'en', 'in', 'er', 'an', 'ing', 'ow', 'a', 'i'];
const RARE_ENDS = ['well', 'bury', 'ford', 'ton', 'by', 'wick', 'combe', 'stead', 'hurst', 'more', 'dale', 'field', 'gate', 'worth', 'ham', 'croft', 'ridge', 'shaw', 'ley', 'son', 'ski', 'ova', 'ez', 'aki', 'ani'];

/** Given names with their nicknames, roughly most common first. */
const GIVEN: [string, string[]][] = [
  ['John', ['Jon', 'Johnny', 'Jack']], ['Michael', ['Mike', 'Mick', 'Mikey']], ['David', ['Dave', 'Davey']],
  ['James', ['Jim', 'Jimmy', 'Jamie']], ['Robert', ['Bob', 'Rob', 'Robbie', 'Bobby']], ['Sarah', []],
  ['William', ['Bill', 'Will', 'Billy', 'Liam']], ['Daniel', ['Dan', 'Danny']], ['Jessica', ['Jess']],
  ['Christopher', ['Chris']], ['Thomas', ['Tom', 'Tommy']], ['Emma', []], ['Matthew', ['Matt']],
  ['Elizabeth', ['Liz', 'Beth', 'Lizzie']], ['Joseph', ['Joe', 'Joey']], ['Mark', []], ['Paul', []],
  ['Katherine', ['Kate', 'Katie', 'Kathy']], ['Anthony', ['Tony']], ['Andrew', ['Andy', 'Drew']],
  ['Rebecca', ['Becky', 'Becca']], ['Steven', ['Steve']], ['Richard', ['Rich', 'Rick', 'Ricky']], ['Jason', []],
  ['Margaret', ['Maggie', 'Peggy']], ['Benjamin', ['Ben']], ['Samuel', ['Sam']], ['Ryan', []], ['Laura', []],
  ['Jennifer', ['Jen', 'Jenny']], ['Nicholas', ['Nick']], ['Kevin', []], ['Edward', ['Ed', 'Eddie', 'Ted']],
  ['Rachel', []], ['Jonathan', ['Jon', 'Jonny']], ['Timothy', ['Tim']], ['Susan', ['Sue', 'Susie']],
  ['Peter', ['Pete']], ['Patrick', ['Pat', 'Paddy']], ['Alexander', ['Alex']], ['Samantha', ['Sam']],
  ['Charles', ['Charlie']], ['Henry', ['Harry']], ['Victoria', ['Vicky', 'Tori']], ['Gregory', ['Greg']],
  ['Michelle', []], ['Shane', []], ['Wayne', []], ['Craig', []], ['Nicole', []], ['Hannah', []], ['Chloe', []],
  ['Tane', []], ['Wiremu', []], ['Rangi', []], ['Aroha', []], ['Mere', []], ['Tama', []], ['Hemi', []],
  ['Ravi', []], ['Arjun', []], ['Priya', []], ['Wei', []], ['Jun', []], ['Minh', []], ['Linh', []],
  ['Mohammed', []], ['Omar', []], ['Fatima', []], ['Carlos', []], ['Luis', []], ['Maria', []], ['Ana', []],
  ['Frederick', ['Fred', 'Freddie']], ['Deborah', ['Debbie', 'Deb']], ['Patricia', ['Trish', 'Patty']],
  ['Lawrence', ['Larry']], ['Kenneth', ['Ken', 'Kenny']], ['Ronald', ['Ron', 'Ronnie']], ['Vincent', ['Vince']],
  ['Dominic', ['Dom']], ['Zachary', ['Zach', 'Zac']], ['Isabel', ['Izzy', 'Bella']], ['Natalie', ['Nat']],
  ['Stuart', ['Stu']], ['Douglas', ['Doug']], ['Geoffrey', ['Geoff', 'Jeff']], ['Terence', ['Terry']],
  ['Kieran', []], ['Brendon', []], ['Logan', []], ['Tyler', []], ['Jayden', []], ['Kayla', []], ['Courtney', []],
  ['Sione', []], ['Losa', []], ['Tevita', []], ['Mele', []], ['Quentin', []], ['Ignatius', []], ['Xavier', []],
];

const STREET_NAMES = ['Tank', 'Spider', 'Ghost', 'Fingers', 'Smokey', 'Bones', 'Ace', 'Red', 'Snake', 'Tiny', 'Moose', 'Shadow'];

const TATTOO_SUBJECTS = ['snake', 'skull', 'rose', 'dragon', 'spider web', 'eagle', 'anchor', 'star', 'cross', 'dagger', 'butterfly', 'lion', 'wolf', 'panther', 'koru', 'scorpion', 'heart', 'clock', 'crown', 'barcode', 'swallow', 'tiger', 'compass', 'shark'];
const TATTOO_PLACES = ['forearm', 'neck', 'hand', 'wrist', 'calf', 'shoulder', 'knuckles', 'upper arm', 'chest', 'temple'];
const SCAR_PLACES = ['eyebrow', 'cheek', 'chin', 'lip', 'forehead', 'jaw', 'hand', 'neck'];
const PIERCINGS = ['eyebrow', 'lip', 'nose', 'septum', 'tongue'];
const OTHER_FEATURES: [string, string[]][] = [
  ['missing front tooth', ['gap in front teeth', 'front tooth missing']],
  ['gold front tooth', ['gold tooth', 'has a gold tooth at the front']],
  ['walks with a limp', ['limping', 'noticeable limp']],
  ['stutters', ['speaks with a stutter', 'stammer']],
  ['burn scar on hand', ['burn mark on hand', 'burns to hand']],
  ['birthmark on neck', ['birth mark on side of neck', 'neck birthmark']],
  ['facial moko', ['moko on face', 'face moko']],
  ['dreadlocks', ['dreads', 'long dreadlocks']],
  ['teardrop tattoo under eye', ['teardrop tattoo', 'tear drop tat under eye']],
  ['wears a neck brace', ['neck brace']],
  ['lazy eye', ['turned eye', 'eye turns in']],
];

const MAKES: [string, string[]][] = [
  ['Toyota', ['Corolla', 'Camry', 'Hilux', 'Aqua']], ['Mazda', ['Demio', 'Atenza', 'Axela']], ['Nissan', ['Tiida', 'Navara', 'Leaf']],
  ['Honda', ['Fit', 'Civic', 'Odyssey']], ['Holden', ['Commodore', 'Barina']], ['Ford', ['Falcon', 'Ranger', 'Focus']],
  ['Subaru', ['Legacy', 'Impreza']], ['Suzuki', ['Swift']],
];
const COLOURS = ['silver', 'white', 'black', 'blue', 'red', 'grey', 'green'];
const TYPES = ['shoplifting', 'shoplifting', 'shoplifting', 'refund-fraud', 'pos-fraud', 'drive-off', 'theft-from-person', 'robbery', 'threatening-behaviour', 'verbal-abuse', 'anti-social', 'damage', 'trespass'];
const PRODUCT_WORDS = ['Razor blades', 'Baby formula', 'Energy drink', 'Steak', 'Butter', 'Coffee', 'Chocolate', 'Vodka', 'Beer', 'Cheese', 'Lamb shoulder', 'Shampoo', 'Moisturiser', 'Vitamins', 'Headphones', 'Phone charger', 'Batteries', 'Perfume', 'Salmon', 'Honey'];

// ---- identities ------------------------------------------------------------------------------------

interface Feature {
  canonical: string;
  variants: string[];
  partials: string[];
}
interface Identity {
  id: string;
  given: string;
  nicknames: string[];
  family: string;
  dob?: string;
  phone?: string;
  vehicle?: { plate: string; make: string; model: string; colour: string };
  features: Feature[];
  homeStores: string[];
  windowStart: number;
  windowDays: number;
  type: string;
  skus: number[];
  events: number;
  partner?: Identity;
}

function rareSurname(rng: Rng): string {
  return rng.pick(RARE_ONSETS) + rng.pick(RARE_MIDDLES) + rng.pick(RARE_ENDS);
}

function surname(rng: Rng): string {
  const r = rng.next();
  if (r < 0.45) return rng.zipf(COMMON_SURNAMES, 0.7);
  if (r < 0.7) return rng.pick(MID_SURNAMES);
  return rareSurname(rng);
}

function dobOf(rng: Rng): string {
  const y = rng.int(1962, 2007);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function plateOf(rng: Rng): string {
  const L = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  const letters = [0, 1, 2].map(() => L[rng.int(0, L.length - 1)]).join('');
  return `${letters}${rng.int(100, 999)}`;
}

function featureOf(rng: Rng): Feature {
  const kind = rng.weighted<string>([
    ['tattoo', 5],
    ['scar', 2],
    ['piercing', 1.5],
    ['other', 2],
  ]);
  const side = rng.pick(['left', 'right']);
  const sideShort = side === 'left' ? 'L' : 'R';
  if (kind === 'tattoo') {
    const s = rng.pick(TATTOO_SUBJECTS);
    const p = rng.pick(TATTOO_PLACES);
    return {
      canonical: `tattoo of a ${s} on ${side} ${p}`,
      variants: [`${s} tattoo, ${sideShort} ${p}`, `${s} tatt on ${p}`, `has a ${s} tattoo on their ${p}`, `${p} tattoo (${s})`, `${s} tattoos on ${side} ${p}`],
      partials: [`${s} tattoo`, `tattoo on ${p}`, `tattoos`],
    };
  }
  if (kind === 'scar') {
    const p = rng.pick(SCAR_PLACES);
    return {
      canonical: `scar through ${side} ${p}`,
      variants: [`scarred ${p}`, `${p} scar (${side})`, `long scar on ${p}`],
      partials: [`scar on face`, `facial scar`],
    };
  }
  if (kind === 'piercing') {
    const p = rng.pick(PIERCINGS);
    return {
      canonical: `${p} piercing`,
      variants: [`pierced ${p}`, `ring in ${p}`, `${p} ring`],
      partials: ['piercings'],
    };
  }
  const [canonical, variants] = rng.pick(OTHER_FEATURES);
  return { canonical, variants, partials: variants.slice(0, 1) };
}

// ---- noise -----------------------------------------------------------------------------------------

const KEYBOARD: Record<string, string> = {
  a: 'qsz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k', m: 'n',
  n: 'bm', o: 'ip', p: 'o', q: 'wa', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x',
};

/** One edit, rarely at the first letter. Keeps the original case pattern. */
function typo(rng: Rng, word: string): string {
  if (word.length < 3) return word;
  const pos = rng.chance(0.1) ? 0 : rng.int(1, word.length - 1);
  const ch = word[pos]!;
  const lower = ch.toLowerCase();
  const kind = rng.weighted<string>([
    ['sub', 4],
    ['del', 3],
    ['dup', 2],
    ['swap', 3],
  ]);
  if (kind === 'swap' && pos < word.length - 1) {
    const a = word[pos + 1]!;
    const b = ch;
    return word.slice(0, pos) + (pos === 0 ? a.toUpperCase() : a) + (pos === 0 ? b.toLowerCase() : b) + word.slice(pos + 2);
  }
  if (kind === 'del' && word.length > 3) return word.slice(0, pos) + word.slice(pos + 1);
  if (kind === 'dup') return word.slice(0, pos + 1) + lower + word.slice(pos + 1);
  const near = KEYBOARD[lower] ?? 'e';
  const sub = near[rng.int(0, near.length - 1)]!;
  return word.slice(0, pos) + (ch === lower ? sub : sub.toUpperCase()) + word.slice(pos + 1);
}

const OCR_SWAPS: Record<string, string> = { O: '0', '0': 'O', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z', G: '6', '6': 'G', D: '0', Q: '0' };

function ocrError(rng: Rng, plate: string): string {
  const positions = [...plate].map((c, i) => (OCR_SWAPS[c] ? i : -1)).filter((i) => i >= 0);
  if (!positions.length) return plate;
  const i = rng.pick(positions);
  return plate.slice(0, i) + OCR_SWAPS[plate[i]!]! + plate.slice(i + 1);
}

function scaled(level: number): NoiseRates {
  const bad = (p: number) => Math.min(0.9, p * level);
  const good = (p: number) => Math.max(0.05, Math.min(0.98, 1 - (1 - p) * level));
  return {
    typo: bad(DEFAULT_NOISE.typo),
    nickname: bad(DEFAULT_NOISE.nickname),
    swap: bad(DEFAULT_NOISE.swap),
    missingGiven: bad(DEFAULT_NOISE.missingGiven),
    missingFamily: bad(DEFAULT_NOISE.missingFamily),
    dobReported: good(DEFAULT_NOISE.dobReported),
    phoneReported: good(DEFAULT_NOISE.phoneReported),
    plateReported: good(DEFAULT_NOISE.plateReported),
    plateOcr: bad(DEFAULT_NOISE.plateOcr),
    featureReported: good(DEFAULT_NOISE.featureReported),
    featureParaphrase: bad(DEFAULT_NOISE.featureParaphrase),
    alias: DEFAULT_NOISE.alias,
    casing: DEFAULT_NOISE.casing,
  };
}

// ---- generator ---------------------------------------------------------------------------------------

export function generateSynthetic(opts: SyntheticOptions): SyntheticDataset {
  const rng = new Rng(mulberry32(opts.seed));
  const noise: NoiseRates = { ...scaled(opts.noiseLevel ?? 1), ...opts.noise };
  const storeCount = opts.stores ?? 25;
  const stores = Array.from({ length: storeCount }, (_, i) => `store-${String(i + 1).padStart(3, '0')}`);
  const days = opts.days ?? 365;
  const start = Date.parse(`${opts.start ?? '2025-01-01'}T00:00:00Z`);
  const catalogue = Array.from({ length: 150 }, (_, i) => i);

  const identities: Identity[] = [];
  // Distinct people who share a common full name.
  const collisions: [string, string, number][] = [
    ['John', 'Smith', 5],
    ['Michael', 'Brown', 3],
    ['David', 'Jones', 2],
    ['Sarah', 'Wilson', 2],
    ['James', 'Lee', 2],
    ['Jessica', 'Singh', 2],
  ];
  const forced: [string, string][] = [];
  const scale = Math.min(1, opts.identities / 300);
  for (const [g, f, n] of collisions) for (let i = 0; i < Math.max(1, Math.round(n * scale)); i++) forced.push([g, f]);

  for (let i = 0; i < opts.identities; i++) {
    const id = `id-${String(i + 1).padStart(5, '0')}`;
    let given: [string, string[]];
    let family: string;
    let relative: Identity | undefined;
    if (i < forced.length) {
      const [g, f] = forced[i]!;
      given = GIVEN.find(([n]) => n === g)!;
      family = f;
    } else {
      given = rng.zipf(GIVEN, 0.5);
      if (identities.length > 5 && rng.chance(0.07)) {
        // A relative of someone already generated: same surname, another given name, often the same car.
        relative = rng.pick(identities);
        family = relative.family;
        while (given[0] === relative.given) given = rng.zipf(GIVEN, 0.5);
      } else {
        family = surname(rng);
      }
    }
    const homeCount = rng.int(1, 3);
    const firstHome = rng.int(0, storeCount - 1);
    const homeStores = Array.from({ length: homeCount }, (_, k) => stores[(firstHome + k * rng.int(1, 3)) % storeCount]!);
    const windowDays = rng.int(7, 200);
    const identity: Identity = {
      id,
      given: given[0],
      nicknames: given[1],
      family,
      dob: rng.chance(0.95) ? dobOf(rng) : undefined,
      phone: rng.chance(0.7) ? `+6421${rng.int(1000000, 9999999)}` : undefined,
      features: Array.from({ length: rng.weighted<number>([[0, 35], [1, 45], [2, 20]]) }, () => featureOf(rng)),
      homeStores: relative ? relative.homeStores : homeStores,
      windowStart: relative ? relative.windowStart : rng.int(0, Math.max(0, days - windowDays)),
      windowDays,
      type: rng.pick(TYPES),
      skus: [0, 1, 2].map(() => rng.zipf(catalogue, 0.8)),
      events: rng.weighted<number>([[1, 22], [2, 24], [3, 20], [4, 14], [5, 10], [6, 10]]),
    };
    if (relative && (relative.vehicle || rng.chance(0.5))) {
      relative.vehicle ??= vehicleOf(rng);
      identity.vehicle = relative.vehicle;
    } else if (rng.chance(0.4)) {
      identity.vehicle = vehicleOf(rng);
    }
    identities.push(identity);
  }
  // Some offend in pairs: the partner comes along to part of the events.
  for (const identity of identities) {
    if (!identity.partner && rng.chance(0.08)) {
      const other = rng.pick(identities);
      if (other !== identity && !other.partner) {
        identity.partner = other;
        other.partner = identity;
      }
    }
  }

  const raw: { at: number; body: EventBody; truth: string[] }[] = [];
  for (const identity of identities) {
    for (let e = 0; e < identity.events; e++) {
      const at = start + (identity.windowStart + rng.next() * identity.windowDays) * 86_400_000;
      const storeId = rng.chance(0.8) ? rng.pick(identity.homeStores) : rng.pick(stores);
      const people = [identity];
      if (identity.partner && rng.chance(0.4)) people.push(identity.partner);
      const vehicles = people
        .map((p) => p.vehicle)
        .filter((v): v is NonNullable<Identity['vehicle']> => !!v && rng.chance(noise.plateReported))
        .map((v) => ({
          plate: formatPlate(rng, rng.chance(noise.plateOcr) ? ocrError(rng, v.plate) : v.plate),
          make: v.make,
          model: v.model,
          colour: v.colour,
        }));
      const products = Array.from({ length: rng.int(1, 3) }, () => {
        const sku = rng.chance(0.6) ? rng.pick(identity.skus) : rng.zipf(catalogue, 0.8);
        return {
          sku: `SKU${String(sku).padStart(5, '0')}`,
          name: `${PRODUCT_WORDS[sku % PRODUCT_WORDS.length]} ${1 + (sku % 4)}pk`,
          quantity: rng.int(1, 4),
          unitValue: Math.round((3 + ((sku * 37) % 120)) * 100) / 100,
        };
      });
      const type = rng.chance(0.75) ? identity.type : rng.pick(TYPES);
      const violent = type === 'robbery' || type === 'threatening-behaviour' || rng.chance(0.05);
      const body: EventBody = {
        storeId,
        occurredAt: new Date(Math.round(at / 60_000) * 60_000).toISOString(),
        type,
        prevented: rng.chance(0.2),
        products: [...new Map(products.map((p) => [p.sku, p])).values()],
        currency: 'NZD',
        people: people.map((p, k) => personOf(rng, noise, p, `p${k + 1}`, k === 0 ? 'offender' : 'accomplice')),
        ...(vehicles.length ? { vehicles } : {}),
        ...(violent
          ? { violence: { threatened: true, used: rng.chance(0.3), weapon: rng.weighted<'none' | 'knife' | 'blunt'>([['none', 8], ['knife', 1], ['blunt', 1]]) } }
          : {}),
      };
      raw.push({ at, body, truth: people.map((p) => p.id) });
    }
  }
  raw.sort((a, b) => a.at - b.at);
  const events: SyntheticEvent[] = [];
  const mentions: SyntheticMention[] = [];
  raw.forEach((r, i) => {
    const id = `ev-${String(i + 1).padStart(6, '0')}`;
    events.push({ id, body: r.body });
    r.truth.forEach((truthId, k) => mentions.push({ id: `${id}/p${k + 1}`, eventId: id, ref: `p${k + 1}`, truthId }));
  });
  return {
    events,
    mentions,
    identities: identities.map((i) => ({ id: i.id, given: i.given, family: i.family, dob: i.dob, plate: i.vehicle?.plate })),
  };
}

function vehicleOf(rng: Rng): NonNullable<Identity['vehicle']> {
  const [make, models] = rng.pick(MAKES);
  return { plate: plateOf(rng), make, model: rng.pick(models), colour: rng.pick(COLOURS) };
}

function formatPlate(rng: Rng, plate: string): string {
  const r = rng.next();
  if (r < 0.5) return plate;
  if (r < 0.75) return `${plate.slice(0, 3)} ${plate.slice(3)}`;
  if (r < 0.9) return plate.toLowerCase();
  return `${plate.slice(0, 3)}-${plate.slice(3)}`;
}

type PersonBody = NonNullable<EventBody['people']>[number];

function personOf(rng: Rng, noise: NoiseRates, who: Identity, ref: string, role: 'offender' | 'accomplice'): PersonBody {
  let given: string | undefined = who.nicknames.length && rng.chance(noise.nickname) ? rng.pick(who.nicknames) : who.given;
  let family: string | undefined = who.family;
  if (rng.chance(noise.typo)) {
    if (rng.chance(0.4)) given = typo(rng, given);
    else family = typo(rng, family);
  }
  if (rng.chance(noise.swap)) [given, family] = [family, given];
  if (rng.chance(noise.missingGiven)) given = undefined;
  if (rng.chance(noise.missingFamily)) family = undefined;
  if (rng.chance(noise.casing)) {
    const up = rng.chance(0.7);
    const c = (s?: string) => (s === undefined ? s : up ? s.toUpperCase() : s.toLowerCase());
    given = c(given);
    family = c(family);
  }
  const aliases: string[] = [];
  if (rng.chance(noise.alias)) {
    const kind = rng.next();
    if (kind < 0.4 && who.nicknames.length) aliases.push(rng.pick(who.nicknames));
    else if (kind < 0.7) aliases.push(rng.pick(STREET_NAMES));
    else aliases.push(`${who.family}y`);
  }
  const name = {
    ...(given ? { given } : {}),
    ...(family ? { family } : {}),
    ...(aliases.length ? { aliases } : {}),
  };
  const features = who.features
    .filter(() => rng.chance(noise.featureReported))
    .map((f) => {
      if (!rng.chance(noise.featureParaphrase)) return f.canonical;
      return rng.chance(0.7) ? rng.pick(f.variants) : rng.pick(f.partials);
    });
  const person: PersonBody = { ref, role };
  if (Object.keys(name).length) person.name = name;
  if (who.dob && rng.chance(noise.dobReported)) person.dateOfBirth = who.dob;
  if (who.phone && rng.chance(noise.phoneReported)) person.phone = who.phone;
  if (features.length) person.distinguishingFeatures = features;
  return person;
}
