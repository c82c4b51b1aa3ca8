/*
 * AU hardware: an independent synthetic evaluation generator for "Connect the Dots" (issue 18).
 *
 * Written from PRODUCT §2 (the body of POST /api/v1/events) and the issue only. It models an
 * Australian hardware chain whose store staff file incident reports: each person has stable true
 * attributes (legal name, nickname, DOB, phones over time, cars over time, lasting features,
 * height, build, home area, preferred stores, an active window, a habit of offending); each report
 * is what one member of staff knew or saw at the time, with the errors staff make.
 *
 * Self-contained on purpose: no imports, no I/O, no clock. A seeded PRNG (sfc32 seeded through
 * cyrb128) makes generate(regime, seed) a pure function of its arguments.
 */

export interface GeneratedEvent { id: string; body: Record<string, unknown> }
export interface TruthRow { eventId: string; ref: string; personId: string }
export interface Dataset { name: string; description: string; events: GeneratedEvent[]; truth: TruthRow[] }

export const REGIMES: readonly string[] = ['issue-set', 'issue-set-large', 'households', 'nameless'];

// ---------------------------------------------------------------------------------------------
// PRNG and small helpers

function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function at<T>(arr: readonly T[], i: number): T {
  const v = arr[i];
  if (v === undefined) throw new Error(`index ${i} out of range (${arr.length})`);
  return v;
}

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly key: string) {
    const h = cyrb128(key);
    this.a = h[0];
    this.b = h[1];
    this.c = h[2];
    this.d = h[3];
    for (let i = 0; i < 20; i++) this.next();
  }

  /** sfc32: uniform in [0, 1). */
  next(): number {
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  fork(label: string): Rng {
    return new Rng(`${this.key}/${label}`);
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    return at(arr, Math.floor(this.next() * arr.length));
  }

  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= at(weights, i);
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = at(arr, i);
      arr[i] = at(arr, j);
      arr[j] = tmp;
    }
    return arr;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

/** A fixed weighted table sampled by binary search over cumulative weights. */
class Table<T> {
  private readonly cum: number[] = [];
  private total = 0;

  constructor(readonly items: readonly T[], weights: readonly number[]) {
    for (const w of weights) {
      this.total += w;
      this.cum.push(this.total);
    }
  }

  sample(rng: Rng): T {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(this.cum, mid) > r) hi = mid;
      else lo = mid + 1;
    }
    return at(this.items, lo);
  }
}

function zipf(n: number, s: number): number[] {
  const w: number[] = [];
  for (let r = 1; r <= n; r++) w.push(1 / Math.pow(r, s));
  return w;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

function cap(s: string): string {
  return s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

// ---------------------------------------------------------------------------------------------
// Name data (Australian / New Zealand / UK; relative frequencies are approximate)

/** Top surnames with approximate relative frequencies (per ~100k of an AU/NZ/UK mix). */
const SURNAMES_TOP: readonly [string, number][] = [
  ['Smith', 1000], ['Jones', 560], ['Williams', 520], ['Brown', 500], ['Wilson', 450], ['Taylor', 420],
  ['Johnson', 330], ['White', 310], ['Martin', 300], ['Anderson', 290], ['Thompson', 280], ['Nguyen', 270],
  ['Thomas', 250], ['Walker', 245], ['Harris', 235], ['Lee', 230], ['Ryan', 225], ['Robinson', 215],
  ['Kelly', 210], ['King', 200], ['Davis', 195], ['Wright', 190], ['Evans', 185], ['Roberts', 180],
  ['Green', 175], ['Hall', 170], ['Wood', 165], ['Jackson', 160], ['Clarke', 155], ['Patel', 150],
  ['Lewis', 145], ['James', 140], ['Phillips', 135], ['Mitchell', 135], ['Turner', 130], ['Cooper', 128],
  ['Young', 126], ['Scott', 124], ['Campbell', 122], ['Murphy', 120], ['Edwards', 118], ['Hughes', 116],
  ['Moore', 114], ['Hill', 112], ['Clark', 110], ['Baker', 108], ['Stewart', 106], ['Morris', 104],
  ['Tran', 102], ['Singh', 100], ['Johnston', 98], ['Watson', 96], ['Kennedy', 94], ['Bell', 92],
  ['Morgan', 90], ['Allen', 88], ['Collins', 86], ['Miller', 86], ['Davies', 84], ['Harrison', 82],
  ['Walsh', 80], ["O'Brien", 78],
];

/** A middle tail of real surnames, each rarer than the top list. */
const SURNAMES_MID: readonly string[] = (
  'Adams Andrews Armstrong Atkinson Bailey Barker Barnes Bates Bennett Berry Bird Bishop Black Blake ' +
  'Bolton Bond Booth Bowen Boyd Bradley Brennan Briggs Brooks Burke Burns Butler Byrne Cameron Carr ' +
  'Carter Chapman Chen Cole Coleman Connolly Cox Craig Crawford Cunningham Curtis Dawson Dixon Doherty ' +
  'Doyle Duncan Dunn Elliott Ellis Ferguson Fisher Fitzgerald Fleming Fletcher Foster Fox Fraser ' +
  'Gardner Gibson Gill Gordon Graham Grant Gray Griffiths Hamilton Harper Hart Hayes Henderson Higgins ' +
  'Holmes Howard Hudson Hunt Hunter Jenkins Kaur Kerr Knight Lambert Lane Lawrence Lawson Li Lloyd Long ' +
  'Lynch Macdonald Marshall Mason Matthews McCarthy McDonald McKenzie McLean Mills Moran Morrison Murray ' +
  'Nash Nelson Newman Nicholson Noble Norris Owen Palmer Parker Payne Pearce Pearson Perry Peters Pham ' +
  'Porter Powell Price Quinn Ramsay Reid Reynolds Rice Richards Richardson Riley Robertson Rogers Rose ' +
  'Ross Russell Saunders Shaw Simpson Sinclair Spencer Stevens Stone Sullivan Sutton Tan Tucker Vu ' +
  'Wallace Wang Ward Warren Watts Webb Wells West Wheeler Whitehead Wilkinson Williamson Woods Wu Zhang ' +
  'Ngata Tuilagi Fonoti Papadopoulos Nikolaidis Rossi Russo Romano Esposito Costa Ferrari Kowalski ' +
  'Novak Schmidt Muller Jansen DeVries Haddad Khoury Nasser Kumar Sharma Gupta Ali Hussain Le Huynh Hoang'
).split(' ');

/** Roots and endings of plausible English-looking surnames for the long tail of rare names. */
const TAIL_ROOTS: readonly string[] = (
  'Ash Brad Chad Dun Fair Hart Hol Kings Mar Pem Ran Sel Stan Thorn Wal Whit Win Al Bar Brom Cal Chil ' +
  'Cor Dal Ed Els Fen Gar Gil Ham Hay Hed Kel Lang Lin Mel Mid Nor Ox Pen Ring Rod Sal Shel Stam Sud ' +
  'Tal Wes'
).split(' ');
const TAIL_ENDINGS: readonly string[] = (
  'ford ley ton wood field by worth well more ham stead croft cliffe bridge don combe hurst wick low ' +
  'brook shaw dale land gate mere'
).split(' ');

const MALE_TOP: readonly [string, number][] = [
  ['Michael', 420], ['Daniel', 380], ['Matthew', 370], ['James', 360], ['Joshua', 350], ['David', 330],
  ['Christopher', 320], ['Andrew', 300], ['Benjamin', 260], ['Ryan', 250], ['Thomas', 245], ['Luke', 240],
  ['Nathan', 235], ['Jason', 230], ['Adam', 225], ['Jack', 220], ['Samuel', 215], ['Mark', 210],
  ['Scott', 205], ['John', 200], ['Nicholas', 195], ['Anthony', 190], ['Peter', 185], ['Paul', 180],
  ['Steven', 175], ['Robert', 170], ['William', 165], ['Shane', 160], ['Bradley', 155], ['Aaron', 150],
  ['Jesse', 145], ['Dylan', 140], ['Kyle', 135], ['Liam', 130], ['Jordan', 125], ['Blake', 120],
  ['Mitchell', 118], ['Corey', 116], ['Brett', 114], ['Craig', 112], ['Jake', 110], ['Lachlan', 108],
  ['Cameron', 106], ['Jarrod', 104], ['Brendan', 102], ['Troy', 100], ['Wayne', 98], ['Darren', 96],
  ['Dean', 94], ['Glenn', 92], ['Tyson', 90], ['Jayden', 88], ['Brodie', 86], ['Kane', 84],
  ['Richard', 82], ['Stephen', 80], ['Timothy', 78], ['Patrick', 76], ['Sean', 74], ['Zachary', 72],
  ['Alexander', 70], ['Jeffrey', 60],
];
const MALE_TAIL: readonly string[] = (
  'Gary Barry Warren Kevin Greg Rodney Trent Clinton Dale Todd Heath Jamie Rhys Callum Harrison Declan ' +
  'Cooper Riley Connor Ethan Isaac Oscar Hamish Angus Fraser Duncan Rohan Marcus Vincent Leon Hayden ' +
  'Logan Tyler Mason Bailey Jai Kieran Damien Travis Joel Dominic Nathaniel Minh Duc Ali Raj Arjun Wei ' +
  'Tama Sione Nikolaos Marco Luca Keanu Rawiri Quang Hamza'
).split(' ');

const FEMALE_TOP: readonly [string, number][] = [
  ['Jessica', 300], ['Sarah', 290], ['Emma', 270], ['Rebecca', 260], ['Emily', 250], ['Amy', 240],
  ['Melissa', 235], ['Lauren', 230], ['Stephanie', 225], ['Nicole', 220], ['Michelle', 215], ['Kylie', 210],
  ['Natalie', 205], ['Hannah', 200], ['Chloe', 195], ['Samantha', 190], ['Danielle', 185], ['Ashleigh', 180],
  ['Jennifer', 175], ['Lisa', 170], ['Kelly', 165], ['Tanya', 160], ['Rachel', 155], ['Amanda', 150],
  ['Elizabeth', 148], ['Sharon', 146], ['Karen', 144], ['Kimberley', 142], ['Tegan', 140], ['Brooke', 138],
  ['Shannon', 136], ['Courtney', 134], ['Tahlia', 132], ['Jade', 130], ['Renee', 128], ['Leah', 126],
  ['Megan', 124], ['Kayla', 122], ['Casey', 120], ['Katherine', 118], ['Catherine', 116], ['Olivia', 114],
  ['Sophie', 112], ['Georgia', 110], ['Madison', 108], ['Mia', 106], ['Bianca', 104], ['Crystal', 102],
  ['Tiffany', 100], ['Jacqueline', 98], ['Deborah', 96], ['Patricia', 94], ['Susan', 92], ['Margaret', 90],
  ['Victoria', 88], ['Alexandra', 86], ['Charlotte', 84], ['Isabella', 82], ['Zoe', 80], ['Caitlin', 78],
];
const FEMALE_TAIL: readonly string[] = (
  'Rhiannon Kirra Jasmine Taylah Shanice Krystal Skye Belinda Tracey Donna Joanne Kerry Leanne Narelle ' +
  'Simone Vanessa Monique Kristy Hayley Ellie Ruby Grace Maddison Tamara Naomi Holly Erin Aimee Carly ' +
  'Jodie Linh Mai Priya Aroha Mele Sofia Elena Yasmin Mei Anahera'
).split(' ');

/** The issue's small pools: 25 surnames and 30 given names, drawn Zipf-like. */
const SMALL_SURNAMES: readonly string[] = (
  'Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson Nguyen Thomas Walker ' +
  'Harris Lee Ryan Robinson Kelly King Davis Wright Clarke Mitchell Campbell'
).split(' ');
const SMALL_MALE: readonly string[] = (
  'Michael James Daniel Matthew Robert David Christopher Joshua Andrew William Thomas Anthony Benjamin ' +
  'Nicholas Steven Jason Shane Mark Richard Darren'
).split(' ');
const SMALL_FEMALE: readonly string[] = (
  'Jessica Sarah Rebecca Elizabeth Michelle Katherine Samantha Jennifer Kylie Natalie'
).split(' ');

/** Formal given name → nicknames people go by (and staff write down). */
const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Michael: ['Mick', 'Mike', 'Micky'], Daniel: ['Dan', 'Danny'], Matthew: ['Matt'], James: ['Jim', 'Jimmy', 'Jamie'],
  Joshua: ['Josh'], David: ['Dave'], Christopher: ['Chris'], Andrew: ['Andy', 'Drew'], Benjamin: ['Ben', 'Benny'],
  Thomas: ['Tom', 'Tommy'], Samuel: ['Sam', 'Sammy'], Nicholas: ['Nick'], Anthony: ['Tony', 'Ant'],
  Peter: ['Pete'], Steven: ['Steve', 'Stevo'], Stephen: ['Steve'], Robert: ['Bob', 'Rob', 'Robbie', 'Bobby'],
  William: ['Bill', 'Will', 'Billy'], Bradley: ['Brad'], Jason: ['Jase'], Mitchell: ['Mitch'], Cameron: ['Cam'],
  Richard: ['Rick', 'Richie'], Timothy: ['Tim'], Patrick: ['Pat', 'Paddy'], Zachary: ['Zac'], Jeffrey: ['Jeff'],
  Gary: ['Gazza'], Barry: ['Bazza'], Darren: ['Dazza'], Warren: ['Wazza'], Lachlan: ['Lachie'], Brendan: ['Brendo'],
  Shane: ['Shano'], Kevin: ['Kev'], Nathan: ['Nate'], Alexander: ['Alex', 'Xander'], Harrison: ['Harry'],
  Callum: ['Cal'], Dominic: ['Dom'], Vincent: ['Vinnie'], Jonathan: ['Jon'], Jessica: ['Jess', 'Jessie'],
  Rebecca: ['Bec', 'Becky'], Emily: ['Em'], Melissa: ['Mel'], Stephanie: ['Steph'], Nicole: ['Nikki'],
  Michelle: ['Shell'], Natalie: ['Nat'], Samantha: ['Sam', 'Sammy'], Danielle: ['Dani'], Ashleigh: ['Ash'],
  Jennifer: ['Jen', 'Jenny'], Kimberley: ['Kim'], Elizabeth: ['Liz', 'Lizzie', 'Beth'], Sharon: ['Shazza'],
  Karen: ['Kazza'], Katherine: ['Kate', 'Katie', 'Kath'], Catherine: ['Cath', 'Cathy', 'Kate'], Olivia: ['Liv'],
  Alexandra: ['Alex', 'Lexi'], Charlotte: ['Charlie'], Isabella: ['Bella', 'Izzy'], Victoria: ['Tori', 'Vicky'],
  Margaret: ['Maggie', 'Marg'], Patricia: ['Trish'], Susan: ['Sue'], Deborah: ['Deb', 'Debbie'],
  Jacqueline: ['Jacqui'], Madison: ['Maddie'], Georgia: ['Georgie'], Tiffany: ['Tiff'], Amanda: ['Mandy'],
  Kerry: ['Kezza'], Belinda: ['Bel'], Joanne: ['Jo'], Tracey: ['Trace'], Caitlin: ['Cait'],
};

/** Aussie surname-derived street names. */
const SURNAME_ALIASES: Readonly<Record<string, string>> = {
  Smith: 'Smithy', Jones: 'Jonesy', Williams: 'Willo', Brown: 'Browny', Wilson: 'Wilso', Thompson: 'Thommo',
  Robinson: 'Robbo', Davis: 'Davo', Anderson: 'Ando', Harris: 'Hazza', Mitchell: 'Mitch', Campbell: 'Cambo',
  King: 'Kingy', Johnson: 'Johnno', Martin: 'Marto', Hughes: 'Hughesy', Murphy: 'Murph', Morgan: 'Morgsy',
  Clarke: 'Clarkey', Kennedy: 'Kenno', McDonald: 'Macca', Macdonald: 'Macca', McCarthy: 'Macca',
  Henderson: 'Hendo', Stevens: 'Stevo', Johnston: 'Johnno', Walsh: 'Walshy', Kelly: 'Kel', Taylor: 'Tay',
};
const STREET_ALIASES: readonly string[] = (
  'Tank Shorty Snake Spider Tiny Stretch Chook Bones Rooster Moose Sparky Bear Ghost Squirrel Ratbag ' +
  'Froggy Boof Muzza Gus Bluey'
).split(' ');

/** Spelling variants that sound alike (each row is one group). */
const VARIANT_GROUPS: readonly (readonly string[])[] = [
  ['Catherine', 'Katherine', 'Kathryn'], ['Steven', 'Stephen'], ['John', 'Jon'], ['Sean', 'Shaun', 'Shawn'],
  ['Leigh', 'Lee'], ['Smith', 'Smyth'], ['Thompson', 'Thomson'], ['Clarke', 'Clark'], ['Phillips', 'Philips'],
  ['Matthew', 'Mathew'], ['Jeffrey', 'Geoffrey'], ['Rebecca', 'Rebekah'], ['Michelle', 'Michele'],
  ['Ashleigh', 'Ashley'], ['Brendan', 'Brendon'], ['Jarrod', 'Jarred', 'Jared'], ['Nicholas', 'Nicolas'],
  ['Mitchell', 'Mitchel'], ['Natalie', 'Nathalie'], ['Tegan', 'Teagan'], ['Zachary', 'Zachery'],
  ['Johnson', 'Jonson'], ['Davis', 'Davies'], ['Reid', 'Reed', 'Read'], ['McDonald', 'Macdonald'],
  ['Anderson', 'Andersen'], ['Allen', 'Allan'], ['Jayden', 'Jaiden', 'Jaden'], ['Brodie', 'Brody'],
  ['Tahlia', 'Talia'], ['Kylie', 'Kiley'], ['Jessica', 'Jessika'], ['Jennifer', 'Jenifer'], ['Phillip', 'Philip'],
  ['Campbell', 'Cambell'], ['Nguyen', 'Nguyn'], ['Kimberley', 'Kimberly'], ['Elizabeth', 'Elisabeth'],
  ['Samantha', 'Samatha'], ['Harris', 'Harriss'],
];
const VARIANTS: Map<string, string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const g of VARIANT_GROUPS) for (const n of g) m.set(n.toLowerCase(), g.filter((x) => x !== n));
  return m;
})();

interface NamePools {
  surname: Table<string>;
  male: Table<string>;
  female: Table<string>;
}

function smallPools(): NamePools {
  return {
    surname: new Table(SMALL_SURNAMES, zipf(SMALL_SURNAMES.length, 0.85)),
    male: new Table(SMALL_MALE, zipf(SMALL_MALE.length, 0.9)),
    female: new Table(SMALL_FEMALE, zipf(SMALL_FEMALE.length, 0.9)),
  };
}

let realisticCache: NamePools | null = null;

/**
 * Realistic pools: the top list with its relative frequencies (≈ 18 % of people), a middle tail of
 * real surnames (≈ 22 %), and ≈ 1,200 rare names built from English roots and endings (≈ 60 %).
 * Smith comes out at ≈ 1.2 % of people, about what AU/UK population figures show.
 */
function realisticPools(): NamePools {
  if (realisticCache) return realisticCache;
  const names: string[] = [];
  const weights: number[] = [];
  const seen = new Set<string>();
  let topTotal = 0;
  for (const [n, w] of SURNAMES_TOP) {
    names.push(n);
    weights.push(w);
    seen.add(n);
    topTotal += w;
  }
  const midMass = (topTotal * 22) / 18;
  const mid = SURNAMES_MID.filter((n) => !seen.has(n));
  // Uneven but not ranked (the list is alphabetical): a fixed hash spreads them over ≈ 1:4.
  const midW = mid.map((n) => 0.25 + (cyrb128(n)[1] % 1000) / 1000);
  const midSum = midW.reduce((a, b) => a + b, 0);
  mid.forEach((n, i) => {
    names.push(n);
    weights.push((at(midW, i) / midSum) * midMass);
    seen.add(n);
  });
  const tail: string[] = [];
  for (const r of TAIL_ROOTS) for (const e of TAIL_ENDINGS) {
    const n = r + e;
    if (!seen.has(n)) {
      seen.add(n);
      tail.push(n);
    }
  }
  const tailMass = (topTotal * 60) / 18;
  // Deterministic, mildly uneven weights for the rare tail (no RNG needed: a fixed hash).
  const tailW = tail.map((n) => 0.5 + (cyrb128(n)[0] % 1000) / 1000);
  const tailSum = tailW.reduce((a, b) => a + b, 0);
  tail.forEach((n, i) => {
    names.push(n);
    weights.push((at(tailW, i) / tailSum) * tailMass);
  });
  const given = (top: readonly [string, number][], rest: readonly string[]): Table<string> => {
    const gn = top.map(([n]) => n);
    const gw = top.map(([, w]) => w);
    const topSum = gw.reduce((a, b) => a + b, 0);
    // Given names concentrate more than surnames: the tail holds ≈ 12 % of people.
    const restW = zipf(rest.length, 0.5);
    const restSum = restW.reduce((a, b) => a + b, 0);
    rest.forEach((n, i) => {
      gn.push(n);
      gw.push(((at(restW, i) / restSum) * topSum * 12) / 88);
    });
    return new Table(gn, gw);
  };
  realisticCache = {
    surname: new Table(names, weights),
    male: given(MALE_TOP, MALE_TAIL),
    female: given(FEMALE_TOP, FEMALE_TAIL),
  };
  return realisticCache;
}

// ---------------------------------------------------------------------------------------------
// Places, vehicles, products

type State = 'NSW' | 'ACT' | 'VIC' | 'QLD' | 'WA' | 'SA' | 'TAS';

interface Region { code: string; state: State; utcOffset: number; landlineDigit: string; stores: number; weight: number }

/** Plate patterns (L letter, D digit, other characters literal) with display groups. */
const PLATE_FORMATS: Readonly<Record<State, readonly [string, readonly number[], number][]>> = {
  NSW: [['LLDDLL', [2, 2, 2], 0.85], ['LLLDDD', [3, 3], 0.15]],
  ACT: [['YLLDDL', [3, 3], 0.8], ['LLDDLL', [2, 2, 2], 0.2]],
  VIC: [['DLLDLL', [3, 3], 0.6], ['LLLDDD', [3, 3], 0.4]],
  QLD: [['DDDLLL', [3, 3], 0.7], ['DDDLLD', [3, 3], 0.3]],
  WA: [['DLLLDDD', [4, 3], 1]],
  SA: [['SDDDLLL', [4, 3], 1]],
  TAS: [['LDDLL', [1, 2, 2], 1]],
};
const PLATE_LETTERS = 'ABCDEFGHJKLMNOPRSTUVWXYZ';

const VEHICLES: readonly [string, string, number][] = [
  ['Toyota', 'Hilux', 12], ['Ford', 'Ranger', 11], ['Toyota', 'Corolla', 9], ['Mazda', '3', 7], ['Hyundai', 'i30', 7],
  ['Holden', 'Commodore', 8], ['Mitsubishi', 'Triton', 6], ['Nissan', 'Navara', 5], ['Toyota', 'Camry', 5],
  ['Kia', 'Cerato', 4], ['Mazda', 'CX-5', 4], ['Toyota', 'RAV4', 5], ['Holden', 'Colorado', 4], ['Isuzu', 'D-Max', 4],
  ['Ford', 'Falcon', 5], ['Subaru', 'Forester', 3], ['Toyota', 'HiAce', 3], ['Volkswagen', 'Golf', 2],
  ['Mitsubishi', 'Lancer', 3], ['Toyota', 'LandCruiser', 3], ['Nissan', 'Patrol', 2], ['Ford', 'Territory', 2],
  ['Holden', 'Barina', 2], ['Suzuki', 'Swift', 3], ['Hyundai', 'Tucson', 2], ['Kia', 'Sportage', 2],
];
const COLOURS: readonly [string, number][] = [
  ['white', 30], ['silver', 18], ['grey', 15], ['black', 14], ['blue', 10], ['red', 8], ['maroon', 2], ['green', 2], ['gold', 1],
];
const COLOUR_CONFUSION: Readonly<Record<string, readonly string[]>> = {
  silver: ['grey', 'white'], grey: ['silver', 'black'], white: ['silver'], black: ['grey', 'blue'],
  blue: ['grey', 'black'], red: ['maroon'], maroon: ['red'], green: ['grey'], gold: ['silver'],
};

interface Product { sku: string; name: string; unit: number; maxQty: number; cheap?: boolean }
const PRODUCTS: readonly Product[] = [
  { sku: '3021457', name: 'Makita 18V 5.0Ah battery', unit: 139, maxQty: 4 },
  { sku: '3120874', name: 'Makita 18V brushless drill (tool only)', unit: 189, maxQty: 2 },
  { sku: '3000654', name: 'Makita 18V circular saw (tool only)', unit: 249, maxQty: 1 },
  { sku: '6290019', name: 'DeWalt 18V XR hammer drill kit', unit: 399, maxQty: 1 },
  { sku: '6290533', name: 'DeWalt 18V 5Ah battery twin pack', unit: 289, maxQty: 2 },
  { sku: '0410772', name: 'Ryobi ONE+ 18V 4Ah battery', unit: 99, maxQty: 4 },
  { sku: '0410889', name: 'Ryobi ONE+ 18V impact driver', unit: 129, maxQty: 2 },
  { sku: '6600199', name: 'Ryobi ONE+ 18V leaf blower', unit: 119, maxQty: 1 },
  { sku: '6610244', name: 'Milwaukee M18 5Ah battery', unit: 219, maxQty: 3 },
  { sku: '6610367', name: 'Milwaukee M18 FUEL angle grinder', unit: 449, maxQty: 1 },
  { sku: '2201534', name: 'Ozito 18V PXC drill kit', unit: 79, maxQty: 2 },
  { sku: '5019882', name: 'Bosch 50m laser measure', unit: 149, maxQty: 2 },
  { sku: '5200117', name: 'Stanley FatMax 8m tape measure', unit: 34.98, maxQty: 4 },
  { sku: '1003246', name: 'Copper pipe 15mm x 5.5m', unit: 68.5, maxQty: 6 },
  { sku: '1003271', name: 'Twin and earth cable 2.5mm 100m', unit: 189, maxQty: 2 },
  { sku: '4400129', name: 'Gerni pressure washer 2000psi', unit: 279, maxQty: 1 },
  { sku: '4700211', name: 'Weber Baby Q BBQ', unit: 349, maxQty: 1 },
  { sku: '4700418', name: 'Gas bottle 9kg (swap)', unit: 34.95, maxQty: 2 },
  { sku: '2904411', name: 'Dulux Wash&Wear 10L', unit: 189, maxQty: 2 },
  { sku: '2904422', name: 'Taubmans Endure 4L', unit: 89, maxQty: 3 },
  { sku: '7802213', name: 'Garden hose 30m', unit: 59.98, maxQty: 2 },
  { sku: '7810054', name: 'Ozito line trimmer', unit: 79, maxQty: 1 },
  { sku: '8100331', name: 'Padlock 50mm laminated', unit: 24.5, maxQty: 4 },
  { sku: '8120099', name: 'Power board 6 outlet surge protected', unit: 29.98, maxQty: 3 },
  { sku: '8120110', name: 'Extension lead 20m heavy duty', unit: 44.9, maxQty: 3 },
  { sku: '3330821', name: 'Drill bit set 100pc', unit: 49.98, maxQty: 3 },
  { sku: '3340017', name: 'Socket set 94pc', unit: 129, maxQty: 1 },
  { sku: '9000211', name: 'Brass mixer tap', unit: 159, maxQty: 2 },
  { sku: '9000487', name: 'Tile cutter 600mm', unit: 119, maxQty: 1 },
  { sku: '5300145', name: 'Rechargeable head torch', unit: 39.98, maxQty: 3 },
  { sku: '5300177', name: 'Steel cap work boots', unit: 119, maxQty: 1 },
  { sku: '1200334', name: 'Cable ties 100pk', unit: 6.98, maxQty: 3, cheap: true },
  { sku: '1200412', name: 'WD-40 350g', unit: 9.98, maxQty: 2, cheap: true },
  { sku: '1500220', name: 'Pine 90x45 3.6m', unit: 18.5, maxQty: 4, cheap: true },
  { sku: '1200678', name: 'Masking tape 24mm', unit: 4.5, maxQty: 3, cheap: true },
];
const VALUABLE = PRODUCTS.filter((p) => !p.cheap);
const CHEAP = PRODUCTS.filter((p) => p.cheap);

// ---------------------------------------------------------------------------------------------
// Event types

type EventType =
  | 'shoplifting' | 'cash-theft' | 'refund-fraud' | 'pos-fraud' | 'currency-fraud' | 'theft-from-person' | 'robbery'
  | 'burglary' | 'assault' | 'threatening-behaviour' | 'verbal-abuse' | 'anti-social' | 'trespass' | 'damage'
  | 'suspicious' | 'other';

/** Hardware-store mix of event types (no fuel, so no drive-off). */
const TYPE_MIX: readonly [EventType, number][] = [
  ['shoplifting', 55], ['refund-fraud', 8], ['pos-fraud', 8], ['threatening-behaviour', 6], ['verbal-abuse', 5],
  ['trespass', 4], ['suspicious', 4], ['damage', 2], ['robbery', 2], ['burglary', 1.5], ['anti-social', 1.5],
  ['assault', 1], ['cash-theft', 0.5], ['currency-fraud', 0.5], ['theft-from-person', 0.5], ['other', 0.5],
];
const TYPE_TABLE = new Table(TYPE_MIX.map(([t]) => t), TYPE_MIX.map(([, w]) => w));
const WITH_PRODUCTS: ReadonlySet<EventType> = new Set<EventType>([
  'shoplifting', 'refund-fraud', 'pos-fraud', 'robbery', 'burglary', 'currency-fraud', 'threatening-behaviour', 'assault',
]);
const VIOLENT: ReadonlySet<EventType> = new Set<EventType>(['robbery', 'assault', 'threatening-behaviour']);

// ---------------------------------------------------------------------------------------------
// Lasting features, worded differently by each reporter

type Side = 'left' | 'right' | '';

interface FeatureSpec {
  kind: 'tattoo' | 'sleeve' | 'scar' | 'piercing' | 'tooth' | 'hair' | 'facial';
  motif: number;
  part: number;
  side: Side;
  /** 0..1: how likely it is to be seen (face and hands high, calves low). */
  visibility: number;
  from: number;
  to: number;
}

const TATTOO_MOTIFS: readonly (readonly string[])[] = [
  ['snake', 'serpent', 'snake', 'cobra'], ['skull', 'skull', 'skull and bones'], ['rose', 'rose', 'flower', 'red rose'],
  ['dragon', 'dragon'], ['spider web', 'spiderweb', 'cobweb', 'web'], ['eagle', 'eagle', 'hawk', 'bird'],
  ['anchor', 'anchor', 'ship anchor'], ['stars', 'star', 'three stars'], ['teardrop', 'tear drop', 'teardrop'],
  ['barbed wire', 'barbwire', 'barbed wire band'], ['lion', 'lion head', 'lion face'], ['wolf', 'wolf head', 'wolf'],
  ['clock', 'clock face', 'pocket watch'], ['dice', 'pair of dice', 'dice'], ['compass', 'compass', 'nautical star'],
  ['writing', 'lettering', 'script', 'words'], ['heart with "Mum"', '"Mum" heart', 'heart'], ['butterfly', 'butterfly', 'moth'],
  ['swallow', 'swallows', 'bird'], ['koi fish', 'fish', 'koi'], ['scorpion', 'scorpion'], ['flames', 'fire', 'flames'],
  ['dagger', 'knife', 'dagger'], ['tiger', 'tiger head', 'tiger'], ['playing cards', 'cards', 'ace of spades'],
  ['number 13', '13', 'numbers'], ['crown', 'crown'], ['feather', 'feathers'], ['shark', 'shark'], ['spider', 'spider'],
  ['gum leaves', 'leaves', 'gum leaf'], ['kangaroo', 'roo'],
];
const TATTOO_PARTS: readonly { names: readonly string[]; sided: boolean; visibility: number }[] = [
  { names: ['forearm', 'forearm', 'lower arm', 'arm'], sided: true, visibility: 0.8 },
  { names: ['upper arm', 'bicep', 'arm'], sided: true, visibility: 0.45 },
  { names: ['hand', 'hand', 'back of hand'], sided: true, visibility: 0.85 },
  { names: ['knuckles', 'fingers'], sided: true, visibility: 0.7 },
  { names: ['neck', 'neck', 'side of neck', 'throat'], sided: false, visibility: 0.9 },
  { names: ['face', 'cheek', 'under eye'], sided: true, visibility: 0.95 },
  { names: ['calf', 'lower leg', 'leg'], sided: true, visibility: 0.35 },
  { names: ['wrist', 'inner wrist'], sided: true, visibility: 0.6 },
  { names: ['chest', 'upper chest'], sided: false, visibility: 0.3 },
  { names: ['behind ear', 'behind the ear'], sided: true, visibility: 0.5 },
];
const SCAR_PARTS: readonly { names: readonly string[]; sided: boolean; visibility: number }[] = [
  { names: ['cheek', 'cheek', 'face'], sided: true, visibility: 0.85 },
  { names: ['chin', 'chin', 'jaw'], sided: false, visibility: 0.75 },
  { names: ['eyebrow', 'eyebrow', 'brow'], sided: true, visibility: 0.8 },
  { names: ['forehead', 'forehead', 'head'], sided: false, visibility: 0.75 },
  { names: ['upper lip', 'lip', 'mouth'], sided: false, visibility: 0.7 },
  { names: ['nose', 'nose', 'bridge of nose'], sided: false, visibility: 0.75 },
  { names: ['hand', 'hand', 'knuckles'], sided: true, visibility: 0.55 },
  { names: ['neck', 'neck', 'throat'], sided: false, visibility: 0.65 },
  { names: ['forearm', 'forearm', 'arm'], sided: true, visibility: 0.5 },
];
const PIERCINGS: readonly (readonly string[])[] = [
  ['nose ring', 'nose piercing', 'pierced nose', 'nose stud', 'ring in nose'],
  ['eyebrow piercing', 'eyebrow ring', 'pierced eyebrow', 'bar through eyebrow'],
  ['lip ring', 'lip piercing', 'lip stud', 'ring in bottom lip'],
  ['stretched ears', 'ear plugs', 'gauges in both ears', 'stretched earlobes', 'large ear plugs'],
  ['septum ring', 'septum piercing', 'ring through septum'],
  ['tongue stud', 'tongue piercing'],
];
const TEETH: readonly (readonly string[])[] = [
  ['gold tooth', 'gold front tooth', 'gold cap on front tooth', 'gold tooth at front'],
  ['missing front tooth', 'gap in front teeth', 'front tooth missing', 'missing tooth at front'],
];
const HAIR: readonly (readonly string[])[] = [
  ['mullet', 'long mullet', 'mullet haircut'], ['ponytail', 'long hair in a ponytail', 'hair tied back'],
  ['shaved head', 'bald', 'head shaved'], ['ginger hair', 'red hair', 'ginger'],
  ['bleached blond hair', 'peroxide blond hair', 'bleached hair'], ['rat tail', 'rat-tail haircut', 'thin rat tail at back'],
  ['curly hair', 'curly hair', 'tight curly hair', 'curls'], ['undercut', 'undercut hairstyle', 'sides shaved'],
];
const FACIAL: readonly (readonly string[])[] = [
  ['long beard', 'big beard', 'full beard', 'bushy beard'], ['goatee', 'goatee beard', 'small goatee'],
  ['handlebar moustache', 'big moustache', 'thick mo', 'moustache'], ['ginger beard', 'red beard'],
];

function sideWord(side: Side, rng: Rng): string {
  if (side === '') return '';
  const r = rng.next();
  if (side === 'left') return r < 0.65 ? 'left' : r < 0.85 ? 'L' : 'lt';
  return r < 0.65 ? 'right' : r < 0.85 ? 'R' : 'rt';
}

function describeFeature(f: FeatureSpec, rng: Rng): string {
  switch (f.kind) {
    case 'tattoo': {
      const motif = rng.pick(at(TATTOO_MOTIFS, f.motif));
      const part = rng.pick(at(TATTOO_PARTS, f.part).names);
      // Some reporters miss the side, some the motif.
      const side = rng.chance(0.2) ? '' : sideWord(f.side, rng);
      const where = side ? `${side} ${part}` : part;
      if (rng.chance(0.1)) return rng.pick([`tattoo on ${where}`, `tatts on ${where}`, `${where} tattoo`]);
      const article = /^[aeiou]/.test(motif) ? 'an' : 'a';
      return rng.pick([
        `tattoo of ${article} ${motif} on ${where}`, `tattoo of ${article} ${motif} on ${where}`, `${motif} tattoo on ${where}`,
        `${motif} tattoo, ${where}`, `${where} tattoo (${motif})`, `${motif} tatt on ${where}`, `tattooed ${motif} on ${where}`,
        `${cap(where)}: ${motif} tattoo`, `has a ${motif} tattoo on the ${part}`,
      ]);
    }
    case 'sleeve': {
      const side = sideWord(f.side, rng);
      return rng.pick([
        `full sleeve tattoo on ${side} arm`, `sleeve tatts ${side} arm`, `${side} arm fully tattooed`, `tattoo sleeve, ${side} arm`,
        'one arm fully tattooed',
      ]);
    }
    case 'scar': {
      const part = rng.pick(at(SCAR_PARTS, f.part).names);
      const side = rng.chance(0.25) ? '' : sideWord(f.side, rng);
      const where = side ? `${side} ${part}` : part;
      return rng.pick([`scar on ${where}`, `scar on ${where}`, `${where} scar`, `scarred ${where}`, `visible scar ${where}`,
        `old scar across ${where}`, `scar through ${where}`]);
    }
    case 'piercing':
      return rng.pick(at(PIERCINGS, f.motif));
    case 'tooth':
      return rng.pick(at(TEETH, f.motif));
    case 'hair':
      return rng.pick(at(HAIR, f.motif));
    case 'facial':
      return rng.pick(at(FACIAL, f.motif));
  }
}

// ---------------------------------------------------------------------------------------------
// Clothing (kept separate from features; it changes every visit)

const TOPS: readonly string[] = [
  'grey hoodie', 'black hoodie', 'navy hoodie', 'orange hi-vis shirt', 'yellow hi-vis vest', 'blue work shirt',
  'flannelette shirt', 'black puffer jacket', 'white t-shirt', 'black t-shirt', 'footy jumper', 'green polo shirt',
  'camo jacket', 'red tracksuit top', 'denim jacket', 'grey singlet', 'checked shirt', 'maroon hoodie',
];
const BOTTOMS: readonly string[] = [
  'black trackpants', 'blue jeans', 'work shorts', 'grey trackies', 'cargo shorts', 'black jeans', 'board shorts', 'navy work pants',
];
const HATS: readonly string[] = ['black cap', 'red cap', 'white cap', 'beanie', 'bucket hat', 'wide-brim hat', 'hood up'];
const SHOES: readonly string[] = ['work boots', 'thongs', 'white sneakers', 'slides', 'black runners', 'steel caps'];

// ---------------------------------------------------------------------------------------------
// Regimes

interface ModeWeights { id: number; gave: number; known: number; overheard: number }

interface Cfg {
  name: string;
  code: string;
  description: string;
  people: number;
  events: number;
  mentionRatio: number;
  regions: readonly Region[];
  names: 'small' | 'realistic';
  paretoAlpha: number;
  maxShare: number;
  crewShare: number;
  jointRate: number;
  pickupRate: number;
  households: boolean;
  /** Base chance that a mention has no name at all. */
  nameless: number;
  /** 0..1: how much seeing someone before makes staff put a name to them. */
  recognition: number;
  modes: ModeWeights;
  nickShare: number;
  aliasShare: number;
  falseName: number;
  typo: number;
  variant: number;
  swap: number;
  dobId: number;
  dobGave: number;
  dobKnown: number;
  phoneId: number;
  phoneGave: number;
  phoneKnown: number;
  phoneNameless: number;
  hasPhone: number;
  phoneChange: number;
  carOwner: number;
  carUse: number;
  plateChange: number;
  lprShare: number;
  ocrChar: number;
  featOwner: number;
  featReport: number;
  ageRate: number;
  heightRate: number;
  buildRate: number;
  clothingRate: number;
  moShare: number;
}

function regions(spec: readonly [string, State, number, string, number, number][]): Region[] {
  return spec.map(([code, state, utcOffset, landlineDigit, stores, weight]) => ({ code, state, utcOffset, landlineDigit, stores, weight }));
}

const ISSUE_BASE: Omit<Cfg, 'name' | 'code' | 'description' | 'people' | 'events' | 'regions' | 'names' | 'maxShare'> = {
  mentionRatio: 1.17,
  paretoAlpha: 1.15,
  crewShare: 0.22,
  jointRate: 0.45,
  pickupRate: 0.04,
  households: false,
  nameless: 0.235,
  recognition: 1,
  modes: { id: 0.14, gave: 0.4, known: 0.41, overheard: 0.05 },
  nickShare: 0.45,
  aliasShare: 0.3,
  falseName: 0.05,
  typo: 0.05,
  variant: 0.05,
  swap: 0.04,
  dobId: 0.92,
  dobGave: 0.5,
  dobKnown: 0.1,
  phoneId: 0.45,
  phoneGave: 0.55,
  phoneKnown: 0.1,
  phoneNameless: 0.04,
  hasPhone: 0.85,
  phoneChange: 0.25,
  carOwner: 0.65,
  carUse: 0.7,
  plateChange: 0.1,
  lprShare: 0.3,
  ocrChar: 0.3,
  featOwner: 0.8,
  featReport: 0.8,
  ageRate: 0.8,
  heightRate: 0.55,
  buildRate: 0.7,
  clothingRate: 0.85,
  moShare: 0.55,
};

const CONFIGS: Readonly<Record<string, Cfg>> = {
  'issue-set': {
    ...ISSUE_BASE,
    name: 'issue-set',
    code: 'is',
    description:
      "Modelled on issue 18's independent set: 150 people, 346 events at 20 NSW/ACT stores; 25 surnames and 30 given " +
      'names drawn Zipf-like (many namesakes); a fifth of mentions without a name; nicknames, typos, swapped names, ' +
      'OCR-misread plates; DOB and phone often missing; some co-offenders.',
    people: 150,
    events: 346,
    regions: regions([['syd', 'NSW', 10, '2', 10, 6], ['ncl', 'NSW', 10, '2', 4, 2], ['wol', 'NSW', 10, '2', 3, 1.5], ['cbr', 'ACT', 10, '2', 3, 1.5]]),
    names: 'small',
    maxShare: 0.04,
  },
  'issue-set-large': {
    ...ISSUE_BASE,
    name: 'issue-set-large',
    code: 'il',
    description:
      'The issue-set behaviour at scale: 2,000 people, 4,600 events at 40 stores in six states; realistic skewed ' +
      'AU/NZ/UK surname and given-name frequencies (top ~60 with relative frequencies, then a long tail).',
    people: 2000,
    events: 4600,
    regions: regions([
      ['syd', 'NSW', 10, '2', 10, 6], ['mel', 'VIC', 10, '3', 9, 5.5], ['bne', 'QLD', 10, '7', 7, 3.5], ['gc', 'QLD', 10, '7', 3, 1.2],
      ['per', 'WA', 8, '8', 5, 2.5], ['adl', 'SA', 9.5, '8', 4, 1.8], ['cbr', 'ACT', 10, '2', 2, 0.8],
    ]),
    names: 'realistic',
    maxShare: 0.012,
    paretoAlpha: 1.4,
  },
  households: {
    ...ISSUE_BASE,
    name: 'households',
    code: 'hh',
    description:
      '300 people in ~120 households at 15 Victorian stores, ~800 events: household members share a surname, ' +
      'often a landline or a mobile, and the family car; siblings and parent-child pairs are close in age and ' +
      'build, and often offend together. Different people who look alike on surname, phone and plate.',
    people: 300,
    events: 800,
    mentionRatio: 1.3,
    regions: regions([['mel', 'VIC', 10, '3', 10, 3], ['gee', 'VIC', 10, '3', 5, 1.2]]),
    names: 'realistic',
    maxShare: 0.03,
    households: true,
    crewShare: 0,
    jointRate: 0.4,
  },
  nameless: {
    ...ISSUE_BASE,
    name: 'nameless',
    code: 'nl',
    description:
      '400 people, 1,000 events at 25 Queensland stores; 60 % of mentions carry no name. People link only through ' +
      'plates (some read by cameras, OCR-misread), phones (lay-by, click-and-collect, refund forms), lasting ' +
      'features worded differently by each reporter, physique, and the stores and hours they keep.',
    people: 400,
    events: 1000,
    regions: regions([['bne', 'QLD', 10, '7', 12, 3], ['gc', 'QLD', 10, '7', 7, 1.6], ['sun', 'QLD', 10, '7', 6, 1.2]]),
    names: 'realistic',
    maxShare: 0.025,
    nameless: 0.72,
    recognition: 0.3,
    phoneNameless: 0.1,
    carOwner: 0.75,
    carUse: 0.75,
    lprShare: 0.45,
    featOwner: 0.85,
    featReport: 0.8,
    ageRate: 0.9,
    heightRate: 0.7,
    buildRate: 0.85,
    clothingRate: 0.9,
  },
};

// ---------------------------------------------------------------------------------------------
// The population

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
/** The reporting window: two financial years, well in the past. */
const T0 = Date.UTC(2024, 6, 1);
const T1 = Date.UTC(2026, 6, 1) - 60_000;
const T_MID = (T0 + T1) / 2;

type Sex = 'M' | 'F';
type Build = 'slim' | 'medium' | 'heavy';

interface Phone { number: string; from: number; to: number }
interface Car { plate: string; state: State; make: string; model: string; colour: string; from: number; to: number }

interface Person {
  id: string;
  index: number;
  sex: Sex;
  given: string;
  family: string;
  nickname: string | null;
  alias: string | null;
  /** How store staff who know the person refer to them (kept the same across their reports). */
  knownAs: { given?: string; family?: string; alias?: string };
  /** The given name the person usually offers. */
  givesAs: string;
  birth: number;
  dob: string;
  heightCm: number;
  build: Build;
  phones: Phone[];
  /** Other numbers the person may give: a household landline, a partner's or parent's mobile. */
  altPhones: string[];
  cars: Car[];
  /** Cars of the household or a partner that the person also drives. */
  sharedCars: Car[];
  features: FeatureSpec[];
  region: Region;
  stores: string[];
  storeWeights: number[];
  from: number;
  to: number;
  hourCentre: number | null;
  mo: EventType;
  /** Person-level modifiers: how often nameless, how willing to give details. */
  namelessFactor: number;
  talk: number;
  favourite: string | null;
  household: number | null;
  crew: number | null;
  weight: number;
  count: number;
}

interface World {
  cfg: Cfg;
  rng: Rng;
  pools: NamePools;
  stores: Map<string, string[]>; // region code → store ids
  storeRegion: Map<string, Region>;
  usedPhones: Set<string>;
  usedPlates: Set<string>;
  people: Person[];
  /** The last wording used for each feature (reports copy earlier ones). */
  lastWording: Map<FeatureSpec, string>;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + ':00Z';
}

function makeStores(w: World): void {
  const used = new Set<string>();
  for (const r of w.cfg.regions) {
    const ids: string[] = [];
    while (ids.length < r.stores) {
      const id = `${r.code}-${pad(w.rng.int(1, 120), 3)}`;
      if (used.has(id)) continue;
      used.add(id);
      ids.push(id);
      w.storeRegion.set(id, r);
    }
    ids.sort();
    w.stores.set(r.code, ids);
  }
}

function newMobile(w: World): string {
  for (;;) {
    const n = `+614${w.rng.digits(8)}`;
    if (!w.usedPhones.has(n)) {
      w.usedPhones.add(n);
      return n;
    }
  }
}

function newLandline(w: World, r: Region): string {
  for (;;) {
    const n = `+61${r.landlineDigit}${w.rng.pick(['9', '4', '8', '5', '6'])}${w.rng.digits(7)}`;
    if (!w.usedPhones.has(n)) {
      w.usedPhones.add(n);
      return n;
    }
  }
}

function newPlate(w: World, state: State): string {
  const formats = PLATE_FORMATS[state];
  for (;;) {
    const f = at(formats, w.rng.weighted(formats.map((x) => x[2])));
    let s = '';
    for (const ch of f[0]) {
      if (ch === 'L') s += w.rng.pick(PLATE_LETTERS.split(''));
      else if (ch === 'D') s += String(w.rng.int(0, 9));
      else s += ch;
    }
    if (!w.usedPlates.has(s)) {
      w.usedPlates.add(s);
      return s;
    }
  }
}

function plateGroups(plate: string, state: State): readonly number[] {
  for (const [pattern, groups] of PLATE_FORMATS[state]) if (pattern.length === plate.length) return groups;
  return [plate.length];
}

function carState(w: World, r: Region): State {
  // Canberra sits inside NSW: plenty of NSW plates there.
  if (r.state === 'ACT' && w.rng.chance(0.3)) return 'NSW';
  return r.state;
}

function newCars(w: World, r: Region, from: number, to: number): Car[] {
  const cars: Car[] = [];
  const vehicleTable = new Table(VEHICLES, VEHICLES.map((v) => v[2]));
  const colourTable = new Table(COLOURS.map((c) => c[0]), COLOURS.map((c) => c[1]));
  const n = w.rng.chance(0.2) ? 2 : 1;
  for (let i = 0; i < n; i++) {
    const [make, model] = vehicleTable.sample(w.rng);
    const state = carState(w, r);
    const car: Car = { plate: newPlate(w, state), state, make, model, colour: colourTable.sample(w.rng), from, to };
    // A change of plate mid-window (re-registration, personalised plate, interstate move).
    if (w.rng.chance(w.cfg.plateChange)) {
      const switchAt = from + w.rng.next() * (to - from);
      cars.push({ ...car, to: switchAt }, { ...car, plate: newPlate(w, state), from: switchAt });
    } else cars.push(car);
  }
  return cars;
}

function newPhones(w: World, from: number, to: number): Phone[] {
  if (!w.rng.chance(w.cfg.hasPhone)) return [];
  const phones: Phone[] = [];
  let start = T0 - YEAR;
  const changes = w.rng.chance(w.cfg.phoneChange) ? (w.rng.chance(0.25) ? 2 : 1) : 0;
  const cuts: number[] = [];
  for (let i = 0; i < changes; i++) cuts.push(from + w.rng.next() * (to - from));
  cuts.sort((a, b) => a - b);
  for (const c of cuts) {
    phones.push({ number: newMobile(w), from: start, to: c });
    start = c;
  }
  phones.push({ number: newMobile(w), from: start, to: T1 + YEAR });
  return phones;
}

function newFeatures(w: World, sex: Sex, count: number): FeatureSpec[] {
  const rng = w.rng;
  const out: FeatureSpec[] = [];
  // Prolific people are more often the ones with something memorable about them.
  const p = clamp(w.cfg.featOwner + (count >= 5 ? 0.15 : 0), 0, 0.97);
  if (!rng.chance(p)) return out;
  const n = at([1, 1, 1, 2, 2, 3], rng.int(0, 5));
  const kinds: FeatureSpec['kind'][] = [];
  for (let i = 0; i < n; i++) {
    const k = at(['tattoo', 'tattoo', 'tattoo', 'tattoo', 'sleeve', 'scar', 'scar', 'piercing', 'tooth', 'hair', 'facial'] as const, rng.int(0, 10));
    kinds.push(sex === 'F' && k === 'facial' ? 'tattoo' : k);
  }
  for (const kind of kinds) {
    let f: FeatureSpec;
    const side: Side = rng.chance(0.5) ? 'left' : 'right';
    if (kind === 'tattoo') {
      const part = rng.int(0, TATTOO_PARTS.length - 1);
      const pp = at(TATTOO_PARTS, part);
      f = { kind, motif: rng.int(0, TATTOO_MOTIFS.length - 1), part, side: pp.sided ? side : '', visibility: pp.visibility, from: T0 - YEAR, to: T1 + YEAR };
    } else if (kind === 'sleeve') {
      f = { kind, motif: 0, part: 0, side, visibility: 0.75, from: T0 - YEAR, to: T1 + YEAR };
    } else if (kind === 'scar') {
      const part = rng.int(0, SCAR_PARTS.length - 1);
      const pp = at(SCAR_PARTS, part);
      f = { kind, motif: 0, part, side: pp.sided ? side : '', visibility: pp.visibility, from: T0 - YEAR, to: T1 + YEAR };
    } else if (kind === 'piercing') {
      f = { kind, motif: rng.int(0, PIERCINGS.length - 1), part: 0, side: '', visibility: 0.7, from: T0 - YEAR, to: T1 + YEAR };
    } else if (kind === 'tooth') {
      f = { kind, motif: rng.int(0, TEETH.length - 1), part: 0, side: '', visibility: 0.5, from: T0 - YEAR, to: T1 + YEAR };
    } else {
      // Hair and beards change: they last for a stretch of the window only.
      const table = kind === 'hair' ? HAIR : FACIAL;
      const a = T0 - YEAR + rng.next() * (T1 - T0 + YEAR);
      const len = rng.chance(0.5) ? 3 * YEAR : (60 + rng.next() * 400) * DAY;
      f = { kind, motif: rng.int(0, table.length - 1), part: 0, side: '', visibility: 0.75, from: a, to: a + len };
    }
    if (!out.some((o) => o.kind === f.kind && o.motif === f.motif && o.part === f.part)) out.push(f);
  }
  return out;
}

function ageAtMid(rng: Rng): number {
  const bands: readonly [number, number, number][] = [
    [15, 17, 0.5], [19, 24, 22], [25, 34, 35], [35, 44, 23], [45, 54, 12], [55, 68, 5.5],
  ];
  const b = at(bands, rng.weighted(bands.map((x) => x[2])));
  return b[0] + rng.next() * (b[1] - b[0] + 1);
}

function pickName(w: World, sex: Sex): string {
  return (sex === 'M' ? w.pools.male : w.pools.female).sample(w.rng);
}

function pickStores(w: World, r: Region): { stores: string[]; weights: number[] } {
  const local = w.rng.shuffle([...(w.stores.get(r.code) ?? [])]);
  const n = Math.min(local.length, at([1, 2, 2, 3, 3, 4], w.rng.int(0, 5)));
  const stores = local.slice(0, n);
  const weights = [0.6, 0.25, 0.1, 0.05].slice(0, n);
  return { stores, weights };
}

function basePerson(w: World, index: number, sex: Sex, given: string, family: string, birth: number, r: Region): Person {
  const rng = w.rng;
  const heightMean = sex === 'M' ? 177 : 164;
  const { stores, weights } = pickStores(w, r);
  const nicks = NICKNAMES[given];
  const nickname = nicks && rng.chance(w.cfg.nickShare) ? rng.pick(nicks) : null;
  let alias: string | null = null;
  if (rng.chance(w.cfg.aliasShare * 0.6)) {
    const fromSurname = SURNAME_ALIASES[family];
    alias = fromSurname && rng.chance(0.7) ? fromSurname : rng.pick(STREET_ALIASES);
  }
  const buildTable: readonly [Build, number][] = [['slim', 35], ['medium', 45], ['heavy', 20]];
  const goesBy = nickname ?? given;
  const k = rng.next();
  const knownAs = alias && k < 0.12 ? { alias } : k < 0.85 ? { given: goesBy, family } : k < 0.96 ? { given: goesBy } : { family };
  return {
    id: `${w.cfg.code}-P${pad(index + 1, 4)}`,
    index,
    sex,
    given,
    family,
    nickname,
    alias,
    knownAs,
    givesAs: nickname && rng.chance(0.55) ? nickname : given,
    birth,
    dob: isoDate(birth),
    heightCm: Math.round(heightMean + rng.normal() * (sex === 'M' ? 7 : 6)),
    build: at(buildTable, rng.weighted(buildTable.map((b) => b[1])))[0],
    phones: [],
    altPhones: [],
    cars: [],
    sharedCars: [],
    features: [],
    region: r,
    stores,
    storeWeights: weights,
    from: T0,
    to: T1,
    hourCentre: rng.chance(0.6) ? 9 + rng.next() * 10 : null,
    mo: TYPE_TABLE.sample(rng),
    namelessFactor: Math.exp(0.5 * rng.normal() - 0.125),
    talk: rng.next(),
    favourite: rng.chance(0.35) ? rng.pick([...TOPS, ...HATS]) : null,
    household: null,
    crew: null,
    weight: 1,
    count: 1,
  };
}

function regionTable(cfg: Cfg): Table<Region> {
  return new Table(cfg.regions, cfg.regions.map((r) => r.weight));
}

function birthFromAge(rng: Rng, age: number): number {
  return Math.floor((T_MID - age * YEAR - rng.next() * DAY) / DAY) * DAY;
}

/** Counts of mentions per person: heavy-tailed (Pareto weights, then a multinomial on top of one each). */
function assignCounts(w: World): void {
  const { cfg, rng, people } = w;
  const total = Math.round(cfg.events * cfg.mentionRatio);
  for (const p of people) {
    const u = 1 - rng.next();
    p.weight = Math.pow(u, -1 / cfg.paretoAlpha) - 0.85;
    p.count = 1;
  }
  // Cap any one person at maxShare of mentions (a handful of prolific offenders, not one), by
  // saturating the weights smoothly (w / (1 + w / K)) rather than piling people up at the cap.
  const cap = Math.max(6, Math.round(total * cfg.maxShare));
  const extraTotal = total - people.length;
  const raw = people.map((p) => p.weight);
  let k = Math.max(...raw);
  for (let it = 0; it < 40; it++) {
    const sat = raw.map((x) => x / (1 + x / k));
    const sum = sat.reduce((a, b) => a + b, 0);
    const top = Math.max(...sat);
    if ((top / sum) * extraTotal <= cap - 1) break;
    k *= 0.8;
  }
  people.forEach((p, i) => {
    const x = at(raw, i);
    p.weight = x / (1 + x / k);
  });
  const table = new Table(people, people.map((p) => p.weight));
  let extra = total - people.length;
  let guard = 0;
  while (extra > 0 && guard++ < total * 50) {
    const p = table.sample(rng);
    if (p.count >= cap) continue;
    p.count++;
    extra--;
  }
}

function setWindows(w: World): void {
  const rng = w.rng;
  for (const p of w.people) {
    // Prolific people stay active for longer; a one-off is a single day.
    const span = T1 - T0;
    const len = p.count <= 1 ? DAY : Math.min(span, (30 + p.count * 25 + rng.next() * 300) * DAY);
    const start = T0 + rng.next() * (span - len);
    p.from = start;
    p.to = start + len;
  }
}

function finishPerson(w: World, p: Person): void {
  p.phones = newPhones(w, p.from, p.to);
  if (w.rng.chance(w.cfg.carOwner)) p.cars = newCars(w, p.region, T0 - YEAR, T1 + YEAR);
  p.features = newFeatures(w, p.sex, p.count);
}

function buildIndividuals(w: World): void {
  const { cfg, rng } = w;
  const rt = regionTable(cfg);
  for (let i = 0; i < cfg.people; i++) {
    const sex: Sex = rng.chance(0.74) ? 'M' : 'F';
    const r = rt.sample(rng);
    const p = basePerson(w, i, sex, pickName(w, sex), w.pools.surname.sample(rng), birthFromAge(rng, ageAtMid(rng)), r);
    w.people.push(p);
  }
  assignCounts(w);
  setWindows(w);
  for (const p of w.people) {
    finishPerson(w, p);
    // Someone else's number now and then (a partner's, a mate's).
    if (rng.chance(0.08)) p.altPhones.push(newMobile(w));
  }
  // Crews: small groups of regulars who offend together; they share a region, stores and window.
  const pool = rng.shuffle(w.people.filter((p) => p.count >= 2));
  let crew = 0;
  let i = 0;
  const wanted = Math.round(cfg.people * cfg.crewShare);
  let inCrews = 0;
  while (inCrews < wanted && i + 1 < pool.length) {
    const size = rng.chance(0.8) ? 2 : 3;
    const members = pool.slice(i, i + size);
    i += size;
    const lead = at(members, 0);
    for (const m of members) {
      m.crew = crew;
      if (m === lead) continue;
      m.region = lead.region;
      m.stores = [...lead.stores];
      m.storeWeights = [...lead.storeWeights];
      m.from = lead.from;
      m.to = lead.to;
      m.hourCentre = lead.hourCentre;
      m.mo = lead.mo;
      if (m.cars.length === 0 && lead.cars.length > 0 && rng.chance(0.5)) m.sharedCars = lead.cars;
    }
    inCrews += members.length;
    crew++;
  }
}

/** Households: a shared surname (mostly), home, landline, car; parents and children, siblings, couples. */
function buildHouseholds(w: World): void {
  const { cfg, rng } = w;
  const rt = regionTable(cfg);
  const sizes: readonly [number, number][] = [[1, 15], [2, 35], [3, 30], [4, 15], [5, 5]];
  let hh = 0;
  const households: { members: Person[]; landline: string | null }[] = [];
  while (w.people.length < cfg.people) {
    const size = Math.min(at(sizes, rng.weighted(sizes.map((s) => s[1])))[0], cfg.people - w.people.length);
    const r = rt.sample(rng);
    const family = w.pools.surname.sample(rng);
    const landline = rng.chance(0.55) ? newLandline(w, r) : null;
    const members: Person[] = [];
    type Role = 'parent' | 'child' | 'partner' | 'sibling';
    const roles: Role[] = [];
    const kind = size === 1 ? 'single' : size === 2 ? rng.pick(['couple', 'parent-child', 'siblings'] as const)
      : rng.chance(0.7) ? 'family' : 'siblings';
    for (let k = 0; k < size; k++) {
      if (kind === 'single') roles.push('parent');
      else if (kind === 'couple') roles.push(k === 0 ? 'parent' : 'partner');
      else if (kind === 'parent-child') roles.push(k === 0 ? 'parent' : 'child');
      else if (kind === 'siblings') roles.push('sibling');
      else roles.push(k === 0 ? 'parent' : k === 1 && rng.chance(0.6) ? 'partner' : 'child');
    }
    const parentAge = 38 + rng.next() * 20;
    const siblingBase = 18 + rng.next() * 14;
    const usedGiven = new Set<string>();
    let first: Person | null = null;
    for (const role of roles) {
      const sex: Sex = role === 'partner' && first ? (first.sex === 'M' ? 'F' : 'M') : rng.chance(0.68) ? 'M' : 'F';
      let age: number;
      if (role === 'parent') age = kind === 'single' ? ageAtMid(rng) : kind === 'couple' ? 22 + rng.next() * 30 : parentAge;
      else if (role === 'partner') age = (first ? (T_MID - first.birth) / YEAR : parentAge) + rng.normal() * 3;
      else if (role === 'child') age = rng.chance(0.03) ? 15 + rng.next() * 3 : 18.5 + rng.next() * Math.max(1, Math.min(parentAge - 19, 38) - 18.5);
      else age = siblingBase + rng.next() * 7;
      let given = pickName(w, sex);
      // Junior: a son named after his father, now and then.
      if (role === 'child' && first && first.sex === 'M' && sex === 'M' && rng.chance(0.08)) given = first.given;
      else for (let g = 0; g < 5 && usedGiven.has(given); g++) given = pickName(w, sex);
      usedGiven.add(given);
      const surname = role === 'partner' && rng.chance(0.4) ? w.pools.surname.sample(rng) : family;
      const p = basePerson(w, w.people.length, sex, given, surname, birthFromAge(rng, age), r);
      p.household = hh;
      if (first) {
        p.stores = [...first.stores];
        p.storeWeights = [...first.storeWeights];
        // Family resemblance: height and build run in families.
        if (p.sex === first.sex) p.heightCm = Math.round((p.heightCm + first.heightCm) / 2 + rng.normal() * 3);
        if (rng.chance(0.5)) p.build = first.build;
      } else first = p;
      w.people.push(p);
      members.push(p);
    }
    // Members of a household offend together: they form one crew.
    for (const m of members) m.crew = members.length > 1 ? 100000 + hh : null;
    households.push({ members, landline });
    hh++;
  }
  assignCounts(w);
  setWindows(w);
  for (const { members, landline } of households) {
    const lead = at(members, 0);
    // Members who offend together keep overlapping windows.
    for (const m of members) {
      if (m === lead) continue;
      if (m.count > 1 && rng.chance(0.7)) {
        const len = Math.max(m.to - m.from, lead.to - lead.from);
        m.from = clamp(lead.from + rng.normal() * 30 * DAY, T0, T1 - len);
        m.to = m.from + len;
      }
    }
    const hhCars = rng.chance(0.7) ? newCars(w, lead.region, T0 - YEAR, T1 + YEAR) : [];
    for (const m of members) {
      m.phones = newPhones(w, m.from, m.to);
      m.features = newFeatures(w, m.sex, m.count);
      m.sharedCars = hhCars;
      if (rng.chance(0.25)) m.cars = newCars(w, m.region, T0 - YEAR, T1 + YEAR);
      if (landline) m.altPhones.push(landline);
    }
    // Younger members sometimes give a parent's mobile; partners each other's.
    for (const m of members) {
      for (const o of members) {
        if (o === m) continue;
        const older = o.birth < m.birth;
        const last = o.phones[o.phones.length - 1];
        if (last && rng.chance(older ? 0.35 : 0.15)) m.altPhones.push(last.number);
      }
    }
    // A matching tattoo between siblings or partners, now and then.
    if (members.length > 1 && rng.chance(0.12)) {
      const src = members.find((m) => m.features.some((f) => f.kind === 'tattoo'));
      const dst = members.find((m) => m !== src);
      const f = src?.features.find((x) => x.kind === 'tattoo');
      if (f && dst) dst.features.push({ ...f });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scheduling: which people are in which event, where and when

interface Slot { members: Person[]; time: number; store: string }

function schedule(w: World): Slot[] {
  const { cfg, rng, people } = w;
  const remaining = new Map<Person, number>();
  for (const p of people) remaining.set(p, p.count);
  const groups: Person[][] = [];
  // Crews and households: joint events.
  const crews = new Map<number, Person[]>();
  for (const p of people) if (p.crew !== null) {
    const list = crews.get(p.crew) ?? [];
    list.push(p);
    crews.set(p.crew, list);
  }
  for (const members of crews.values()) {
    if (members.length < 2) continue;
    for (;;) {
      const avail = members.filter((m) => (remaining.get(m) ?? 0) > 0).sort((a, b) => (remaining.get(b) ?? 0) - (remaining.get(a) ?? 0));
      if (avail.length < 2) break;
      if (!rng.chance(cfg.jointRate)) {
        // Consume one solo appearance of the busiest member instead, so the loop ends.
        const a = at(avail, 0);
        remaining.set(a, (remaining.get(a) ?? 0) - 1);
        groups.push([a]);
        continue;
      }
      const g = [at(avail, 0), at(avail, 1)];
      if (avail.length > 2 && rng.chance(0.35)) g.push(at(avail, 2));
      for (const m of g) remaining.set(m, (remaining.get(m) ?? 0) - 1);
      groups.push(rng.shuffle(g));
    }
  }
  for (const p of people) for (let k = remaining.get(p) ?? 0; k > 0; k--) groups.push([p]);
  // Now and then a one-off joins a regular as an accomplice (same region).
  const oneOffs = rng.shuffle(people.filter((p) => p.count === 1 && p.crew === null));
  const solos = groups.filter((g) => g.length === 1 && at(g, 0).count > 1);
  const merged = new Set<Person[]>();
  for (const g of solos) {
    if (!rng.chance(cfg.pickupRate)) continue;
    const lead = at(g, 0);
    const idx = oneOffs.findIndex((o) => o.region === lead.region);
    if (idx < 0) continue;
    const o = at(oneOffs, idx);
    oneOffs.splice(idx, 1);
    g.push(o);
    merged.add(groups.find((x) => x.length === 1 && x[0] === o) ?? []);
  }
  const list = groups.filter((g) => !merged.has(g));
  // Hit the event target exactly: drop or add solo appearances of repeat people.
  const weights = new Table(people, people.map((p) => p.weight));
  let guard = 0;
  while (list.length > cfg.events && guard++ < 100000) {
    const i = rng.int(0, list.length - 1);
    const g = at(list, i);
    const p = at(g, 0);
    if (g.length !== 1 || p.count <= 1) continue;
    p.count--;
    list.splice(i, 1);
  }
  while (list.length < cfg.events) {
    const p = weights.sample(rng);
    p.count++;
    list.push([p]);
  }
  return list.map((members) => {
    const lead = at(members, 0);
    return { members, time: eventTime(w, lead, members), store: pickStore(w, lead) };
  });
}

function pickStore(w: World, p: Person): string {
  const rng = w.rng;
  if (rng.chance(0.08)) {
    // Anywhere in the chain now and then (a trip, a new job, a spree).
    const all = [...w.storeRegion.keys()];
    return rng.pick(all);
  }
  if (rng.chance(0.1)) return rng.pick(w.stores.get(p.region.code) ?? p.stores);
  return at(p.stores, rng.weighted(p.storeWeights));
}

function eventTime(w: World, lead: Person, members: Person[]): number {
  const rng = w.rng;
  // A one-off travelling with a regular takes the regular's window.
  const from = Math.max(lead.from, ...members.filter((m) => m.count > 1).map((m) => m.from));
  const to = Math.min(lead.to, ...members.filter((m) => m.count > 1).map((m) => m.to));
  const a = from <= to ? from : lead.from;
  const b = from <= to ? to : lead.to;
  const day = Math.floor((a + rng.next() * (b - a) - T0) / DAY);
  let hour: number;
  if (lead.hourCentre !== null && rng.chance(0.75)) hour = clamp(lead.hourCentre + rng.normal() * 1.5, 6.5, 20.7);
  else {
    const hours = [6.5, 8, 10, 12, 14, 16, 18, 19.5];
    const weights = [1, 3, 6, 7, 7, 6, 4, 2];
    hour = at(hours, rng.weighted(weights)) + rng.next() * 1.5;
  }
  let minute = Math.floor(hour * 60);
  if (rng.chance(0.6)) minute = Math.round(minute / 5) * 5;
  const r = lead.region;
  const t = T0 + clamp(day, 0, 729) * DAY + minute * 60_000 - r.utcOffset * 3_600_000;
  return clamp(t, T0, T1);
}

// ---------------------------------------------------------------------------------------------
// Reporting: what one member of staff writes down about one person

const KEY_ROWS: readonly string[] = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function adjacentKey(c: string, rng: Rng): string {
  const lower = c.toLowerCase();
  for (const row of KEY_ROWS) {
    const i = row.indexOf(lower);
    if (i < 0) continue;
    const options = [row[i - 1], row[i + 1]].filter((x): x is string => x !== undefined);
    const out = rng.pick(options);
    return c === lower ? out : out.toUpperCase();
  }
  return c;
}

function typo(s: string, rng: Rng): string {
  if (s.length < 4) return s;
  const i = rng.int(2, s.length - 1);
  switch (rng.int(0, 3)) {
    case 0: return s.slice(0, i) + adjacentKey(s.charAt(i), rng) + s.slice(i + 1);
    case 1: return s.slice(0, i) + s.slice(i + 1);
    case 2: return s.slice(0, i) + s.charAt(i) + s.slice(i);
    default: return s.slice(0, i - 1) + s.charAt(i) + s.charAt(i - 1) + s.slice(i + 1);
  }
}

function spell(s: string, cfg: Cfg, rng: Rng, typoScale = 1): string {
  let out = s;
  const v = VARIANTS.get(s.toLowerCase());
  if (v && rng.chance(cfg.variant)) out = rng.pick(v);
  else if (rng.chance(cfg.typo * typoScale)) out = typo(out, rng);
  const r = rng.next();
  if (r < 0.06) out = out.toUpperCase();
  else if (r < 0.09) out = out.toLowerCase();
  return out;
}

function ocr(plate: string, cfg: Cfg, rng: Rng): string {
  const swaps: Readonly<Record<string, string>> = { O: '0', '0': 'O', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z' };
  let out = '';
  for (const ch of plate) {
    const s = swaps[ch];
    out += s !== undefined && rng.chance(cfg.ocrChar) ? s : ch;
  }
  return out;
}

function displayPlate(plate: string, state: State, rng: Rng): string {
  const r = rng.next();
  if (r < 0.5) return plate;
  const groups = plateGroups(plate, state);
  const parts: string[] = [];
  let i = 0;
  for (const g of groups) {
    parts.push(plate.slice(i, i + g));
    i += g;
  }
  if (r < 0.85) return parts.join(' ');
  if (r < 0.95) return parts.join('-');
  return plate.toLowerCase();
}

function phoneTypo(n: string, rng: Rng): string {
  const digits = n.slice(4).split('');
  const i = rng.int(0, digits.length - 1);
  if (rng.chance(0.6)) digits[i] = String((Number(digits[i]) + rng.int(1, 9)) % 10);
  else if (i + 1 < digits.length) {
    const t = at(digits, i);
    digits[i] = at(digits, i + 1);
    digits[i + 1] = t;
  }
  return n.slice(0, 4) + digits.join('');
}

function dobError(dob: string, rng: Rng): string {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const r = rng.next();
  let yy = y;
  let mm = m;
  let dd = d;
  if (r < 0.35 && d <= 12 && d !== m) {
    mm = d;
    dd = m;
  } else if (r < 0.6) yy = y + (rng.chance(0.5) ? 1 : -1);
  else if (r < 0.8) dd = clamp(d + (rng.chance(0.5) ? 1 : -1), 1, 28);
  else {
    // A made-up date of birth, about the right age.
    yy = y + rng.int(-3, 3);
    mm = rng.int(1, 12);
    dd = rng.int(1, 28);
  }
  // A real calendar date still (29 February moved a year is not one).
  if (new Date(Date.UTC(yy, mm - 1, dd)).getUTCDate() !== dd) dd = 28;
  return `${yy}-${pad(mm, 2)}-${pad(dd, 2)}`;
}

function currentPhone(p: Person, t: number): Phone | null {
  for (const ph of p.phones) if (ph.from <= t && t < ph.to) return ph;
  return p.phones[p.phones.length - 1] ?? null;
}

function reportPhone(w: World, p: Person, t: number): string | null {
  const rng = w.rng;
  const cur = currentPhone(p, t);
  const r = rng.next();
  let n: string | null;
  if (r < 0.1) n = `+614${rng.digits(8)}`; // made up
  else if (r < 0.1 + (p.altPhones.length > 0 ? (p.household !== null ? 0.3 : 0.12) : 0)) n = rng.pick(p.altPhones);
  else if (r < 0.5 && p.phones.length > 1 && rng.chance(0.2)) n = rng.pick(p.phones).number; // an old number
  else n = cur?.number ?? null;
  if (n === null) return null;
  if (rng.chance(0.06)) n = phoneTypo(n, rng);
  return n;
}

type Mode = 'none' | 'id' | 'gave' | 'known' | 'overheard';

interface Mention {
  person: Person;
  ref: string;
  role: 'offender' | 'accomplice';
  body: Record<string, unknown>;
  mode: Mode;
}

function chooseMode(w: World, p: Person, type: EventType, prior: number, priorAny: number, policeAttended: boolean): Mode {
  const { cfg, rng } = w;
  // Staff put names to faces they have seen before (at this store, or on the chain's alerts);
  // the nameless reports are mostly of strangers.
  const full = prior >= 2 ? 0.2 : prior === 1 ? 0.45 : priorAny >= 3 ? 0.4 : priorAny > 0 ? 0.75 : 1.6;
  const recognised = 1 + cfg.recognition * (full - 1);
  let pNone = cfg.nameless * p.namelessFactor * recognised;
  if (type === 'refund-fraud') pNone *= 0.3;
  if (type === 'burglary' || type === 'suspicious') pNone *= 1.8;
  if (rng.chance(clamp(pNone, 0, 0.97))) return 'none';
  const m = cfg.modes;
  const weights = [
    m.id * (type === 'refund-fraud' ? 3 : 1) * (policeAttended ? 2 : 1),
    m.gave * (0.5 + p.talk),
    m.known * (prior > 0 ? 2 + Math.min(prior, 6) * 0.3 : priorAny > 0 ? 0.8 : 0.3),
    m.overheard,
  ];
  return at(['id', 'gave', 'known', 'overheard'] as const, rng.weighted(weights));
}

function reportName(w: World, p: Person, mode: Mode): { given?: string; family?: string; aliases?: string[] } | null {
  const { cfg, rng } = w;
  if (mode === 'none') return null;
  let given: string | undefined;
  let family: string | undefined;
  const aliases: string[] = [];
  const goesBy = p.nickname ?? p.given;
  switch (mode) {
    case 'id':
      given = p.given;
      family = p.family;
      break;
    case 'gave':
      if (rng.chance(cfg.falseName)) {
        given = pickName(w, p.sex);
        family = w.pools.surname.sample(rng);
        break;
      }
      // People introduce themselves the same way most times (always "Bob", or always "Robert").
      given = rng.chance(0.85) ? p.givesAs : p.nickname && rng.chance(0.5) ? p.nickname : p.given;
      if (rng.chance(0.9)) family = p.family;
      if (p.alias && rng.chance(0.1)) aliases.push(p.alias);
      break;
    case 'known': {
      if (rng.chance(0.85)) {
        given = p.knownAs.given;
        family = p.knownAs.family;
        if (p.knownAs.alias) aliases.push(p.knownAs.alias);
        break;
      }
      const r = rng.next();
      if (r < 0.55) {
        given = rng.chance(0.6) ? goesBy : p.given;
        family = p.family;
      } else if (r < 0.8) given = goesBy;
      else if (r < 0.9 && p.alias) aliases.push(p.alias);
      else if (r < 0.9) given = goesBy;
      else family = p.family;
      if (p.alias && aliases.length === 0 && rng.chance(0.35)) aliases.push(p.alias);
      break;
    }
    case 'overheard': {
      const r = rng.next();
      if (p.alias && r < 0.3) aliases.push(p.alias);
      else given = rng.chance(0.7) ? goesBy : p.given;
      break;
    }
  }
  const scale = mode === 'id' ? 0.4 : mode === 'known' || mode === 'overheard' ? 1.4 : 1;
  if (given) given = spell(given, cfg, rng, scale);
  if (family) family = spell(family, cfg, rng, scale);
  if (given && family && rng.chance(cfg.swap)) [given, family] = [family, given];
  const out: { given?: string; family?: string; aliases?: string[] } = {};
  if (given) out.given = given;
  if (family) out.family = family;
  if (aliases.length) out.aliases = aliases;
  return out.given || out.family || out.aliases ? out : null;
}

function reportPerson(w: World, slot: Slot, p: Person, k: number, type: EventType, prior: number, priorAny: number, police: boolean): Mention {
  const { cfg, rng } = w;
  const t = slot.time;
  const mode = chooseMode(w, p, type, prior, priorAny, police);
  const name = reportName(w, p, mode);
  const body: Record<string, unknown> = { ref: `p${k + 1}`, role: k === 0 ? 'offender' : 'accomplice' };
  if (name) body.name = name;
  // Date of birth: read off a licence, given, or rarely known to staff.
  const pDob = mode === 'id' ? cfg.dobId : mode === 'gave' ? cfg.dobGave * (0.6 + 0.8 * p.talk) : mode === 'known' ? cfg.dobKnown : 0;
  if (rng.chance(pDob)) body.dateOfBirth = rng.chance(mode === 'id' ? 0.04 : 0.12) ? dobError(p.dob, rng) : p.dob;
  const pPhone = mode === 'id' ? cfg.phoneId : mode === 'gave' ? cfg.phoneGave * (0.6 + 0.8 * p.talk) : mode === 'known' ? cfg.phoneKnown
    : mode === 'none' ? cfg.phoneNameless * (type === 'refund-fraud' || type === 'pos-fraud' ? 3 : 1) : 0.02;
  if (rng.chance(pPhone)) {
    const n = reportPhone(w, p, t);
    if (n) body.phone = n;
  }
  // Physique, as estimated by staff.
  const age = (t - p.birth) / YEAR;
  if (rng.chance(cfg.ageRate)) {
    const centre = age + rng.normal() * 4;
    const width = rng.pick([5, 10, 10, 10, 15]);
    let min = Math.round(centre - width / 2);
    if (rng.chance(0.5)) min = Math.round(min / 5) * 5;
    min = clamp(min, 14, 80);
    body.ageRange = { min, max: min + width };
  }
  if (rng.chance(cfg.heightRate)) {
    const est = p.heightCm + rng.normal() * (rng.chance(0.2) ? 2 : 6);
    body.heightCm = rng.chance(0.8) ? Math.round(est / 5) * 5 : Math.round(est);
  }
  if (rng.chance(cfg.buildRate)) {
    const builds: Build[] = ['slim', 'medium', 'heavy'];
    const i = builds.indexOf(p.build);
    const j = rng.chance(0.18) ? clamp(i + (rng.chance(0.5) ? 1 : -1), 0, 2) : i;
    body.build = at(builds, j);
  }
  // With no name to go on, reporters look harder at what they can see; a regular with no name is
  // known by a feature ("the one with the snake tattoo").
  // Regulars' tattoos and scars get written down more than a stranger's.
  const lookHarder = mode === 'none' ? (priorAny > 0 ? 1.6 : 1.3) : priorAny > 0 ? 1.3 : 1;
  const feats: string[] = [];
  for (const f of p.features) {
    if (t < f.from || t >= f.to) continue;
    const pf = cfg.featReport * f.visibility * lookHarder * (f.kind === 'hair' || f.kind === 'facial' ? 0.6 : 1);
    if (!rng.chance(Math.min(pf, 0.95))) continue;
    // Staff often copy the wording of an earlier report or a store alert; otherwise they describe
    // what they see in their own words.
    const before = w.lastWording.get(f);
    const text = before !== undefined && rng.chance(0.5) ? before : describeFeature(f, rng);
    w.lastWording.set(f, text);
    feats.push(text);
  }
  // Now and then a reporter notes something that is not a lasting feature of this person.
  if (rng.chance(0.03)) {
    const wrong = newFeaturesFor(rng);
    feats.push(describeFeature(wrong, rng));
  }
  if (feats.length) body.distinguishingFeatures = feats.slice(0, 3);
  if (rng.chance(cfg.clothingRate)) {
    const items: string[] = [];
    items.push(p.favourite && TOPS.includes(p.favourite) && rng.chance(0.5) ? p.favourite : rng.pick(TOPS));
    if (rng.chance(0.6)) items.push(rng.pick(BOTTOMS));
    if (rng.chance(0.5)) items.push(p.favourite && HATS.includes(p.favourite) && rng.chance(0.6) ? p.favourite : rng.pick(HATS));
    if (rng.chance(0.3)) items.push(rng.pick(SHOES));
    body.clothing = items.join(', ');
  }
  return { person: p, ref: `p${k + 1}`, role: k === 0 ? 'offender' : 'accomplice', body, mode };
}

function newFeaturesFor(rng: Rng): FeatureSpec {
  const part = rng.int(0, TATTOO_PARTS.length - 1);
  return {
    kind: 'tattoo', motif: rng.int(0, TATTOO_MOTIFS.length - 1), part, side: rng.chance(0.5) ? 'left' : 'right',
    visibility: 1, from: 0, to: 0,
  };
}

function pickCar(w: World, members: Person[], t: number): Car | null {
  const rng = w.rng;
  for (const p of members) {
    const own = p.cars.filter((c) => c.from <= t && t < c.to);
    const shared = p.sharedCars.filter((c) => c.from <= t && t < c.to);
    const all = [...own, ...own, ...shared];
    if (all.length === 0) continue;
    if (!rng.chance(w.cfg.carUse)) continue;
    return rng.pick(all);
  }
  return null;
}

function reportVehicle(w: World, car: Car): Record<string, unknown> {
  const { cfg, rng } = w;
  let plate = car.plate;
  if (rng.chance(cfg.lprShare)) plate = ocr(plate, cfg, rng);
  else if (rng.chance(0.06)) {
    const chars = plate.split('');
    const i = rng.int(0, chars.length - 1);
    const c = at(chars, i);
    chars[i] = /\d/.test(c) ? String(rng.int(0, 9)) : rng.pick(PLATE_LETTERS.split(''));
    plate = chars.join('');
  }
  const v: Record<string, unknown> = { plate: displayPlate(plate, car.state, rng) };
  if (rng.chance(0.9)) {
    if (rng.chance(0.05)) {
      const other = rng.pick(VEHICLES);
      v.make = other[0];
      if (rng.chance(0.7)) v.model = other[1];
    } else {
      v.make = car.make;
      if (rng.chance(0.75)) v.model = car.model;
    }
  }
  if (rng.chance(0.85)) v.colour = rng.chance(0.15) ? rng.pick(COLOUR_CONFUSION[car.colour] ?? [car.colour]) : car.colour;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Narrative

const AISLES: readonly string[] = [
  'power tools aisle', 'garden centre', 'plumbing aisle', 'electrical aisle', 'paint section', 'hand tools aisle',
  'outdoor power equipment bay', 'BBQ display', 'timber yard', 'hardware aisle',
];
const EXITS: readonly string[] = ['garden centre gate', 'trade entrance', 'main entry', 'timber yard gate', 'fire exit'];
const BAGS: readonly string[] = ['backpack', 'shopping bag', 'jacket', 'tool bag', 'pram', 'esky'];
const STAFF: readonly string[] = ['team member', 'checkout operator', 'loss prevention officer', 'duty manager', 'trade desk staff member'];

function itemsText(products: { name: string; quantity: number }[]): string {
  if (products.length === 0) return 'stock';
  return products.map((p) => (p.quantity > 1 ? `${p.quantity} x ${p.name}` : p.name)).join(', ');
}

function subjectText(mentions: Mention[], t: number): string {
  const ages = mentions.map((m) => (t - m.person.birth) / YEAR);
  const word = (m: Mention, i: number): string => {
    const a = at(ages, i);
    const base = m.person.sex === 'M' ? 'male' : 'female';
    return a < 18 ? `juvenile ${base}` : a < 25 ? `young ${base}` : base;
  };
  if (mentions.length === 1) return `${cap(word(at(mentions, 0), 0))} offender`;
  const words = mentions.map(word);
  const same = words.every((x) => x === words[0]);
  if (same) return `${mentions.length === 2 ? 'Two' : 'Three'} ${words[0]}s`;
  return cap(words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1]);
}

function narrative(w: World, type: EventType, prevented: boolean, mentions: Mention[], products: { name: string; quantity: number }[], car: Car | null, vehicleListed: boolean, t: number, police: boolean): string {
  const rng = w.rng;
  const subj = subjectText(mentions, t);
  const s = subj.charAt(0).toLowerCase() + subj.slice(1);
  const items = itemsText(products);
  const cheap = rng.pick(CHEAP).name;
  const aisle = rng.pick(AISLES);
  const exit = rng.pick(EXITS);
  const bag = rng.pick(BAGS);
  const staff = rng.pick(STAFF);
  const parts: string[] = [];
  switch (type) {
    case 'shoplifting':
      parts.push(rng.pick([
        `${subj} selected ${items} from the ${aisle}, concealed them in a ${bag} and walked past all registers without paying.`,
        `${subj} loaded a trolley with ${items} and pushed it out through the ${exit} without paying.`,
        `${subj} removed ${items} from their packaging in the ${aisle}, hid them in a ${bag} and left the store.`,
        `${subj} took ${items} from the ${aisle} and walked out the ${exit} when it opened for a customer.`,
      ]));
      if (prevented) parts.push(`Stopped by a ${staff} at the ${exit}; stock recovered.`);
      break;
    case 'refund-fraud':
      parts.push(rng.pick([
        `${subj} attempted a no-receipt refund for ${items}. The stock appears to have been taken from the shelf minutes earlier.`,
        `${subj} presented an old receipt to return ${items} picked up from the ${aisle}.`,
        `${subj} tried to refund ${items} to a gift card at the service desk; no proof of purchase.`,
      ]));
      if (prevented) parts.push('Refund declined.');
      break;
    case 'pos-fraud':
      parts.push(rng.pick([
        `At self-checkout ${s} scanned the barcode of ${cheap} in place of ${items}.`,
        `${subj} swapped the price label on ${items} with one from ${cheap}.`,
        `${subj} scanned only part of the trolley at self-checkout; ${items} not scanned.`,
      ]));
      if (prevented) parts.push('Picked up by the self-checkout attendant before leaving.');
      break;
    case 'threatening-behaviour':
      parts.push(`When a ${staff} asked about ${items} in a ${bag}, ${s} became aggressive and threatened to ${rng.pick([
        'come back and hurt staff', 'smash the front window', 'wait for staff in the car park', 'burn the place down',
      ])}.`);
      break;
    case 'verbal-abuse':
      parts.push(`${subj} swore repeatedly at the ${staff} after ${rng.pick([
        'being refused a refund', 'being asked to show the contents of a bag', 'being told the store was closing', 'a long wait at the trade desk',
      ])}.`);
      break;
    case 'robbery':
      parts.push(`${subj} took ${items} and, when challenged by a ${staff}, ${rng.pick([
        'pushed past and threatened to stab them', 'swung a hammer towards them', 'produced a knife and left', 'threatened them with a screwdriver',
      ])}.`);
      break;
    case 'burglary':
      parts.push(`After close, ${s} forced the ${rng.pick(['timber yard gate', 'roller door', 'garden centre fence', 'rear loading dock door'])} and took ${items}.`);
      break;
    case 'assault':
      parts.push(`${subj} pushed a ${staff} to the ground while leaving with ${items}.`);
      break;
    case 'trespass':
      parts.push(`${subj} entered the store while under a trespass notice issued ${rng.int(2, 14)} months ago. Asked to leave${rng.chance(0.7) ? ' and did so' : '; refused at first'}.`);
      break;
    case 'suspicious':
      parts.push(`${subj} spent about ${rng.int(10, 50)} minutes near the ${aisle} ${rng.pick([
        'photographing security tags', 'testing the locked cabinets', 'watching the staff', 'moving stock towards the exit',
      ])} and left without buying anything.`);
      break;
    case 'damage':
      parts.push(`${subj} ${rng.pick([
        'cut the security cable on a tool display', 'tore open packaging to remove spider wraps', 'kicked in a display cabinet door',
        'smashed a pot in the garden centre',
      ])} in the ${aisle}.`);
      break;
    case 'anti-social':
      parts.push(`${subj} ${rng.pick(['rode a trolley through the car park', 'abused customers at the sausage sizzle', 'threw pallets around in the car park'])} and was asked to leave.`);
      break;
    case 'cash-theft':
      parts.push(`${subj} reached over the ${rng.pick(['trade desk', 'service desk', 'garden centre counter'])} and took cash from the till while the operator was distracted.`);
      break;
    case 'currency-fraud':
      parts.push(`${subj} paid for ${items} with counterfeit $50 notes.`);
      break;
    case 'theft-from-person':
      parts.push(`${subj} took a wallet from a customer's trolley in the ${aisle}.`);
      break;
    case 'other':
      parts.push(`${subj} ${rng.pick(['took gas bottles from the swap cage without paying', 'drove off with an unpaid trailer hire'])}.`);
      break;
  }
  for (const m of mentions) {
    // Names stay in the name fields: the description is screened for sensitive terms and names are
    // not (a typo of "Gary", or a real "Christian", must not make the body a 422).
    if (m.mode === 'gave' && rng.chance(0.4)) parts.push(rng.pick(['Gave a name when asked.', 'Gave details verbally; no ID.']));
    if (m.mode === 'id' && rng.chance(0.5)) parts.push(`Driver licence sighted.`);
    if (m.mode === 'known' && rng.chance(0.6)) parts.push(rng.pick(['Known to staff from previous incidents.', 'Recognised by staff.', 'Regular at this store.']));
    if (m.mode === 'overheard' && rng.chance(0.5)) parts.push('Name overheard from an associate.');
  }
  if (car) {
    if (vehicleListed && rng.chance(0.5)) parts.push(`Left in a ${car.colour} ${car.make}${rng.chance(0.5) ? ' ' + car.model : ''}.`);
    if (!vehicleListed) parts.push(`Left in a ${car.colour} ${car.make}${rng.chance(0.6) ? `, partial plate ${car.plate.slice(0, 3)}` : ''}.`);
  }
  if (police) parts.push(rng.pick(['Police attended.', 'Reported to police.', 'Police notified; CCTV retained.']));
  else if (rng.chance(0.3)) parts.push('CCTV retained.');
  return parts.join(' ').slice(0, 2000);
}

// ---------------------------------------------------------------------------------------------
// Events

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function buildEvents(w: World, slots: Slot[]): { events: GeneratedEvent[]; truth: TruthRow[] } {
  const { cfg, rng } = w;
  // First decide each event's type (and move burglaries to the small hours), then order by time.
  const typed = slots.map((slot, i) => {
    const lead = at(slot.members, 0);
    let type: EventType = rng.chance(cfg.moShare) ? lead.mo : TYPE_TABLE.sample(rng);
    if (type === 'burglary' && slot.members.length === 1 && rng.chance(0.5)) type = 'shoplifting';
    let time = slot.time;
    if (type === 'burglary') {
      const local = time + lead.region.utcOffset * 3_600_000;
      const day = Math.floor(local / DAY) * DAY;
      time = clamp(day + (1 + rng.next() * 4) * 3_600_000 - lead.region.utcOffset * 3_600_000, T0, T1);
    }
    return { slot: { ...slot, time }, type, i };
  });
  typed.sort((a, b) => a.slot.time - b.slot.time || a.i - b.i);
  const priorAtStore = new Map<string, number>();
  const priorSeen = new Map<Person, number>();
  const events: GeneratedEvent[] = [];
  const truth: TruthRow[] = [];
  typed.forEach(({ slot, type }, n) => {
    const id = `${cfg.code}-E${pad(n + 1, 5)}`;
    const time = slot.time;
    const police = rng.chance(VIOLENT.has(type) || type === 'burglary' ? 0.7 : 0.15);
    const prevented = type === 'suspicious' || type === 'trespass' || type === 'anti-social' ? false
      : rng.chance(type === 'pos-fraud' || type === 'refund-fraud' ? 0.35 : 0.18);
    const mentions: Mention[] = slot.members.map((p, k) => {
      const key = `${p.id}|${slot.store}`;
      const prior = priorAtStore.get(key) ?? 0;
      priorAtStore.set(key, prior + 1);
      const priorAny = priorSeen.get(p) ?? 0;
      priorSeen.set(p, priorAny + 1);
      return reportPerson(w, slot, p, k, type, prior, priorAny, police);
    });
    const body: Record<string, unknown> = {
      storeId: slot.store,
      occurredAt: isoMinute(time),
      type,
      prevented,
    };
    const products: { sku: string; name: string; quantity: number; unitValue: number }[] = [];
    if (WITH_PRODUCTS.has(type) && rng.chance(type === 'threatening-behaviour' || type === 'assault' ? 0.6 : 0.95)) {
      const k = type === 'burglary' ? rng.int(2, 4) : rng.chance(0.7) ? 1 : rng.int(2, 3);
      const chosen = new Set<Product>();
      for (let i = 0; i < k; i++) chosen.add(rng.pick(VALUABLE));
      for (const p of chosen) products.push({ sku: p.sku, name: p.name, quantity: rng.int(1, p.maxQty), unitValue: round2(p.unit) });
    }
    const car = pickCar(w, slot.members, time);
    const listed = car !== null && rng.chance(0.8);
    body.description = narrative(w, type, prevented, mentions, products, car, listed, time, police);
    if (products.length) {
      body.products = products;
      body.currency = 'AUD';
    }
    body.people = mentions.map((m) => m.body);
    if (car && listed) body.vehicles = [reportVehicle(w, car)];
    if (VIOLENT.has(type)) {
      const weapon = type === 'robbery' ? rng.pick(['knife', 'blunt', 'other', 'none', 'syringe'] as const)
        : rng.chance(0.85) ? 'none' : rng.pick(['blunt', 'other', 'knife'] as const);
      body.violence = { threatened: true, used: type === 'assault' || (type === 'robbery' && rng.chance(0.3)), weapon };
    } else if (rng.chance(0.25)) body.violence = { threatened: false, used: false, weapon: 'none' };
    const minor = slot.members.some((p) => (time - p.birth) / YEAR < 18);
    // A minor involved (as offender, or a child brought along): restricted.
    body.sensitive = minor || rng.chance(0.01);
    if (rng.chance(0.85)) body.policeSharing = { mode: rng.chance(0.9) ? 'default' : rng.pick(['internal', 'jurisdiction', 'all'] as const), excludeAgencies: [] };
    if (police && rng.chance(0.8)) body.policeReference = `${rng.pick(['E', 'P', 'Q', 'W'])}${rng.digits(9)}`;
    events.push({ id, body });
    for (const m of mentions) truth.push({ eventId: id, ref: m.ref, personId: m.person.id });
  });
  return { events, truth };
}

// ---------------------------------------------------------------------------------------------
// Entry point

export function generate(regime: string, seed: number): Dataset {
  const cfg = CONFIGS[regime];
  if (!cfg) throw new Error(`unknown regime "${regime}"; known: ${REGIMES.join(', ')}`);
  const root = new Rng(`au-hardware|${regime}|${seed}`);
  const w: World = {
    cfg,
    rng: root.fork('population'),
    pools: cfg.names === 'small' ? smallPools() : realisticPools(),
    stores: new Map(),
    storeRegion: new Map(),
    usedPhones: new Set(),
    usedPlates: new Set(),
    people: [],
    lastWording: new Map(),
  };
  makeStores(w);
  if (cfg.households) buildHouseholds(w);
  else buildIndividuals(w);
  w.rng = root.fork('schedule');
  const slots = schedule(w);
  w.rng = root.fork('reports');
  const { events, truth } = buildEvents(w, slots);
  return { name: cfg.name, description: cfg.description, events, truth };
}
