// nz-namesakes: synthetic evaluation data for Connect the Dots (PRODUCT.md §4 / §4b).
//
// Written from PRODUCT.md alone (§2 event body, §4 and §4b); the matcher's code was
// not read. The regimes stress a record-linkage model whose weights are learned from
// one small retailer's own data: few people return, and namesakes abound.
//
// Self-contained on purpose: no imports, no I/O, no clock, no Math.random. Everything
// is derived from a seeded PRNG, so generate(regime, seed) is a pure function.

export const REGIMES: readonly string[] = ["one-offs", "strangers", "whanau", "few-repeaters-large"];

export interface GeneratedEvent {
  id: string;
  body: Record<string, unknown>;
}
export interface TruthRow {
  eventId: string;
  ref: string;
  personId: string;
}
export interface Dataset {
  events: GeneratedEvent[];
  truth: TruthRow[];
}

// ---------------------------------------------------------------------------
// PRNG (sfc32 seeded through a 32-bit string hash)
// ---------------------------------------------------------------------------

function hash32(s: string): number {
  let h = 1779033703 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    this.a = hash32(key + "|a");
    this.b = hash32(key + "|b");
    this.c = hash32(key + "|c");
    this.d = hash32(key + "|d");
    for (let i = 0; i < 20; i++) this.next();
  }

  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** integer in [lo, hi], inclusive */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** approximately standard normal (Irwin–Hall, no transcendental functions) */
  normal(): number {
    let s = 0;
    for (let i = 0; i < 12; i++) s += this.next();
    return s - 6;
  }

  /** exponential with the given mean */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }
}

// ---------------------------------------------------------------------------
// Name pools
// ---------------------------------------------------------------------------

type Sex = "m" | "f";
interface GivenName {
  name: string;
  sex: Sex;
}

const g = (sex: Sex, names: string): GivenName[] =>
  names.split(",").map((n) => ({ name: n.trim(), sex }));

/** The 16 × 16 pool shared by `one-offs` and `strangers`. */
const POOL16_GIVEN: readonly GivenName[] = [
  ...g("m", "Daniel, James, Joshua, Michael, Hemi, Tamati, Wiremu, Sione"),
  ...g("f", "Jessica, Rebecca, Sarah, Aroha, Mere, Samantha, Kayla, Ngaire"),
];
const POOL16_FAMILY: readonly string[] = [
  "Smith", "Williams", "Wilson", "Brown", "Taylor", "Walker", "Thompson", "Harris",
  "King", "Ngata", "Parata", "Tipene", "Tawhiri", "Fonoti", "Tuilagi", "Morgan",
];

/** Less common names for the distinct 30 % of `one-offs`. */
const RARE_GIVEN: readonly GivenName[] = [
  ...g("m", "Lachlan, Ihaia, Fergus, Taniela, Rewi, Hamish, Tevita, Quinn, Rawiri, Caleb, Tai, Ruben, Manaaki, Ewan, Otis"),
  ...g("f", "Ataahua, Kiri, Moana, Ruby, Isla, Georgia, Anahera, Lusia, Mereana, Niamh, Harriet, Paige, Maia, Ivy, Huia"),
];
const RARE_FAMILY: readonly string[] = [
  "Hapeta", "Rangiwai", "Te Huia", "Kereama", "Whaanga", "Paewai", "Ruatapu", "Tamihana",
  "Houkamau", "Pohatu", "Mahuika", "Aperahama", "Poutama", "Faleolo", "Leaupepe", "Vaifale",
  "Taufa", "Havili", "McKinnon", "Fairbairn", "Galbraith", "Lindqvist", "Donaldson", "Pemberton",
  "Rutherford", "Ashworth", "Holloway", "Kerrigan", "Sutherland", "Cavanagh", "Drummond",
  "Whitcombe", "Bannister", "Ormsby", "Tapsell", "Kingi", "Nikora", "Ruwhiu", "Herewini",
  "Tomoana", "Waaka", "Pirihi", "Tautari", "Keepa", "Marsters", "Matenga", "Heremaia",
  "Pomare", "Tuhakaraina", "Fitzgerald", "Lockhart", "Quigley",
];

/** `whanau`: a small community's family names (several households per name). */
const WHANAU_FAMILY: readonly string[] = [
  "Ngata", "Parata", "Tipene", "Wihongi", "Hohaia", "Te Awa", "Paki", "Karaka",
  "Mokaraka", "Tamehana", "Walker", "Smith", "Fonoti", "Te Rangi",
];
const WHANAU_FAMILY_W: readonly number[] = [14, 12, 11, 9, 8, 8, 7, 6, 5, 5, 5, 4, 3, 3];
const WHANAU_GIVEN_M: readonly string[] = [
  "Hemi", "Tamati", "Wiremu", "Rawiri", "Hone", "Mikaere", "Nikau", "Tane",
  "Ihaia", "Manaia", "Jayden", "Tyson", "Shane", "Wayne", "Ricky", "Kauri",
];
const WHANAU_GIVEN_M_W: readonly number[] = [12, 10, 10, 8, 8, 6, 6, 5, 4, 4, 5, 4, 4, 3, 3, 2];
const WHANAU_GIVEN_F: readonly string[] = [
  "Aroha", "Mere", "Ngaire", "Huia", "Kiri", "Anahera", "Mereana", "Hana",
  "Tia", "Maia", "Kayla", "Moana", "Tracey", "Shania",
];
const WHANAU_GIVEN_F_W: readonly number[] = [12, 10, 8, 7, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3];

/** `few-repeaters-large`: ~60 common family names (half of people), then a long tail. */
const COMMON_FAMILY: readonly string[] = [
  "Smith", "Singh", "Williams", "Wilson", "Brown", "Taylor", "Jones", "Walker", "Thompson", "Anderson",
  "Patel", "Li", "Campbell", "Stewart", "Martin", "Clark", "Robinson", "White", "Young", "Harris",
  "King", "Scott", "Kelly", "Lee", "Chen", "Wang", "Kumar", "Mitchell", "Davies", "Thomas",
  "Ngata", "Parata", "Tipene", "Hohaia", "Paki", "Karaka", "Wihongi", "Te Awa", "Fonoti", "Tuilagi",
  "Fifita", "Tupou", "Fa'alogo", "Nguyen", "Kim", "Zhang", "Morgan", "Murray", "Johnson", "Hall",
  "Wood", "Hughes", "Ross", "Bell", "Evans", "Moore", "McDonald", "Reid", "Graham", "Baker",
];
const TAIL_FAMILY: readonly string[] = [
  ...RARE_FAMILY,
  "Abernethy", "Ainsworth", "Alofaituli", "Ah Kuoi", "Amituanai", "Arapeta", "Bartlett", "Beattie",
  "Blackwood", "Blyth", "Brathwaite", "Broughton", "Buchanan", "Calder", "Carmody", "Chadwick",
  "Cherrington", "Coleman", "Corbett", "Crichton", "Cuthbert", "Dalziel", "Dunlop", "Eruera",
  "Falaniko", "Fergusson", "Finau", "Forsyth", "Gillespie", "Goodall", "Grierson", "Hakaraia",
  "Halbert", "Hapi", "Hartley", "Hawkins", "Heke", "Hetaraka", "Hewitt", "Hinewai",
  "Horomona", "Iosefa", "Ioane", "Jamieson", "Kaihau", "Kawhia", "Keremete", "Kirkpatrick",
  "Kupenga", "Lauina", "Leota", "Lolohea", "Lucas", "Maaka", "MacLeod", "Maihi",
  "Makoare", "Manuel", "Marino", "Matagi", "Maxwell", "McAllister", "McGregor", "Meredith",
  "Moala", "Moffat", "Moananui", "Morunga", "Munro", "Naera", "Nathan", "Ngawati",
  "Nuku", "O'Brien", "O'Connell", "Ogilvie", "Paora", "Pauga", "Peihopa", "Penitani",
  "Piripi", "Pohio", "Potae", "Puketapu", "Rakena", "Ranginui", "Rata", "Rawiri",
  "Renata", "Ririnui", "Rolleston", "Ropata", "Sapolu", "Schaw", "Semu", "Sefo",
  "Shortland", "Sinclair", "Solomona", "Stirling", "Tahau", "Tahitahi", "Takerei", "Tamatea",
  "Tangira", "Tapu", "Tautahi", "Te Hira", "Te Kani", "Te Moana", "Te Paa", "Teariki",
  "Thorburn", "Tuhoro", "Tuiasau", "Tukaki", "Turei", "Urlich", "Vaioleti", "Waititi",
  "Wakefield", "Walford", "Wharerau", "Whatarau", "Whittaker", "Wiapo", "Winiata", "Yallop",
  "Zhou", "Xu", "Huang", "Liu", "Sharma", "Prasad", "Reddy", "Chand", "Naidu", "Park",
  "Tran", "Pham", "Sato", "Tanaka", "Santos", "Reyes", "Cruz", "Dela Cruz", "Mendoza", "Kaur",
];
const LARGE_GIVEN_M: readonly string[] = [
  "Jack", "James", "Daniel", "Joshua", "Michael", "Ryan", "Liam", "Thomas", "Matthew", "Benjamin",
  "Samuel", "Jacob", "Nathan", "Luke", "William", "Hemi", "Tamati", "Wiremu", "Nikau", "Sione",
  "Jayden", "Tyler", "Blake", "Connor", "Dylan", "Ethan", "Cameron", "Bradley", "Shane", "Wayne",
  "Craig", "Jason", "Aaron", "Hone", "Rawiri", "Tane", "Mikaere", "Tevita", "Sefa", "Mose",
  "Rajesh", "Arjun", "Wei", "Jun", "Minh", "Hamish", "Angus", "Callum", "Logan", "Kyle",
];
const LARGE_GIVEN_F: readonly string[] = [
  "Jessica", "Sarah", "Emma", "Olivia", "Chloe", "Hannah", "Sophie", "Rebecca", "Samantha", "Emily",
  "Aroha", "Mere", "Ngaire", "Kayla", "Ashleigh", "Amber", "Courtney", "Brooke", "Tayla", "Jade",
  "Stacey", "Michelle", "Nicole", "Melissa", "Kirsty", "Tracey", "Leanne", "Donna", "Kiri", "Huia",
  "Anahera", "Mereana", "Moana", "Maia", "Lusia", "Ana", "Losa", "Priya", "Mei", "Linh",
  "Isla", "Ruby", "Georgia", "Zoe", "Paige", "Shania", "Krystal", "Tania", "Lisa", "Ella",
];

/** Nicknames / short forms staff write instead of the full given name. */
const NICKNAMES: Record<string, readonly string[]> = {
  Daniel: ["Dan", "Danny"],
  James: ["Jim", "Jimmy", "Jamie"],
  Joshua: ["Josh"],
  Michael: ["Mike", "Mikey"],
  Matthew: ["Matt"],
  Benjamin: ["Ben"],
  Samuel: ["Sam", "Sammy"],
  Thomas: ["Tom", "Tommy"],
  William: ["Will", "Billy"],
  Nathan: ["Nate"],
  Jacob: ["Jake"],
  Cameron: ["Cam"],
  Bradley: ["Brad"],
  Jack: ["Jacko"],
  Tamati: ["Tama"],
  Wiremu: ["Wiri", "Bill"],
  Rawiri: ["Wiri", "Dave"],
  Hone: ["Johnny"],
  Mikaere: ["Mike"],
  Hemi: ["Jimmy"],
  Manaia: ["Naia"],
  Tevita: ["Dave"],
  Lachlan: ["Lachie"],
  Hamish: ["Hame"],
  Jessica: ["Jess", "Jessie"],
  Rebecca: ["Bec", "Becky"],
  Samantha: ["Sam", "Sammy"],
  Sarah: ["Sez"],
  Kayla: ["Kay"],
  Anahera: ["Ana"],
  Mereana: ["Mere"],
  Ashleigh: ["Ash"],
  Stephanie: ["Steph"],
  Michelle: ["Shell"],
  Melissa: ["Mel"],
  Olivia: ["Liv"],
  Courtney: ["Court"],
  Kirsty: ["Kirst"],
};

/** Spellings with macrons that staff may or may not type. */
const MACRON_FORMS: Record<string, string> = {
  Tamati: "Tāmati",
  Rawiri: "Rāwiri",
  Hone: "Hōne",
  Tane: "Tāne",
  Mikaere: "Mīkaere",
  Tamehana: "Tāmehana",
  Maaka: "Māka",
  Waaka: "Wāka",
};

// ---------------------------------------------------------------------------
// Text variation: typos, macrons, spacing, case
// ---------------------------------------------------------------------------

const KEY_NEIGHBOURS: Record<string, string> = {
  a: "sq", b: "vn", c: "xv", d: "sf", e: "wr", f: "dg", g: "fh", h: "gj", i: "uo", j: "hk",
  k: "jl", l: "k", m: "n", n: "bm", o: "ip", p: "o", q: "w", r: "et", s: "ad", t: "ry",
  u: "yi", v: "cb", w: "qe", x: "zc", y: "tu", z: "x",
};
const PHONETIC: readonly (readonly [string, string])[] = [
  ["ph", "f"], ["ck", "k"], ["ie", "y"], ["ey", "y"], ["ll", "l"], ["tt", "t"], ["mm", "m"],
  ["ss", "s"], ["nn", "n"], ["Mc", "Mac"], ["Mac", "Mc"], ["ai", "ay"], ["th", "t"], ["wh", "w"],
  ["Wh", "W"], ["ng", "n"], ["ou", "oo"], ["ea", "ee"], ["y", "i"], ["i", "y"], ["aa", "a"],
  ["son", "sen"], ["sen", "son"], ["er", "a"],
];

function stripMacrons(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

function isLetter(ch: string): boolean {
  return /[A-Za-z]/.test(ch);
}

/** One plausible keying or hearing error; keeps the first letter. */
function typo(rng: Rng, input: string): string {
  const s = stripMacrons(input);
  for (let attempt = 0; attempt < 8; attempt++) {
    const pos: number[] = [];
    for (let i = 1; i < s.length; i++) if (isLetter(s.charAt(i))) pos.push(i);
    if (pos.length === 0) return s;
    const i = rng.pick(pos);
    let t = s;
    switch (rng.int(0, 5)) {
      case 0: // transpose with next letter
        if (i + 1 < s.length && isLetter(s.charAt(i + 1)) && s.charAt(i) !== s.charAt(i + 1)) {
          t = s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2);
        }
        break;
      case 1: // drop a letter
        if (s.length > 3) t = s.slice(0, i) + s.slice(i + 1);
        break;
      case 2: // double a letter
        t = s.slice(0, i) + s.charAt(i) + s.slice(i);
        break;
      case 3: { // wrong vowel
        const ch = s.charAt(i).toLowerCase();
        if ("aeiou".includes(ch)) {
          const other = rng.pick("aeiou".replace(ch, "").split(""));
          t = s.slice(0, i) + other + s.slice(i + 1);
        }
        break;
      }
      case 4: { // heard, not seen
        const leading = (from: string): boolean => from.charAt(0) === from.charAt(0).toUpperCase() && s.startsWith(from);
        const rules = PHONETIC.filter(([from]) => s.indexOf(from, 1) > 0 || leading(from));
        if (rules.length > 0) {
          const [from, to] = rng.pick(rules);
          const at = leading(from) ? 0 : s.indexOf(from, 1);
          t = s.slice(0, at) + to + s.slice(at + from.length);
        }
        break;
      }
      default: { // neighbouring key
        const lower = s.charAt(i).toLowerCase();
        const nb = KEY_NEIGHBOURS[lower];
        if (nb) t = s.slice(0, i) + rng.pick(nb.split("")) + s.slice(i + 1);
        break;
      }
    }
    if (t !== s && t.length >= 2) return t;
  }
  return s + (s.endsWith("e") ? "" : "e");
}

function spacingVariant(rng: Rng, family: string): string {
  if (!family.includes(" ")) return family;
  const parts = family.split(" ");
  return rng.pick([parts.join(""), parts.join("-"), parts[0] + parts.slice(1).join("").toLowerCase()]);
}

// ---------------------------------------------------------------------------
// Physical description pools (no sensitive characteristics; no hair or skin colours
// that could be read as describing a person's origin)
// ---------------------------------------------------------------------------

type Build = "slim" | "medium" | "heavy";
const BUILDS: readonly Build[] = ["slim", "medium", "heavy"];

interface Feature {
  /** ways staff describe the same thing */
  variants: readonly string[];
}

const TATTOO_MOTIFS: readonly string[] = [
  "snake", "rose", "star", "skull", "spider web", "eagle", "anchor", "dragon", "butterfly",
  "dagger", "tiger", "swallow", "scorpion", "compass", "clock", "lion", "wolf", "shark",
];
const TATTOO_PLACES: readonly { part: string; sided: boolean }[] = [
  { part: "forearm", sided: true },
  { part: "hand", sided: true },
  { part: "upper arm", sided: true },
  { part: "wrist", sided: true },
  { part: "calf", sided: true },
  { part: "neck", sided: false },
  { part: "throat", sided: false },
];

function makeTattoo(rng: Rng): Feature {
  const motif = rng.pick(TATTOO_MOTIFS);
  const place = rng.pick(TATTOO_PLACES);
  if (!place.sided) {
    return {
      variants: [
        `tattoo of a ${motif} on ${place.part}`,
        `${motif} tattoo on ${place.part}`,
        `${motif} tat ${place.part}`,
        `${place.part} tattoo`,
      ],
    };
  }
  const side = rng.pick(["left", "right"]);
  const abbr = side === "left" ? "L" : "R";
  return {
    variants: [
      `tattoo of a ${motif} on ${side} ${place.part}`,
      `${motif} tattoo on ${side} ${place.part}`,
      `${motif} tattoo ${abbr} ${place.part}`,
      `${motif} tattoo on ${place.part}`,
      `tattoo on ${side} ${place.part}`,
    ],
  };
}

const OTHER_FEATURES: readonly Feature[] = [
  { variants: ["scar above left eyebrow", "scar on left eyebrow", "scarred eyebrow", "small scar near eye"] },
  { variants: ["scar above right eyebrow", "scar on right eyebrow", "scarred eyebrow"] },
  { variants: ["scar on chin", "chin scar", "small scar on chin"] },
  { variants: ["scar across left cheek", "cheek scar", "scar on face (left)"] },
  { variants: ["nose ring", "nose stud", "pierced nose"] },
  { variants: ["eyebrow piercing", "eyebrow ring", "pierced eyebrow"] },
  { variants: ["lip ring", "lip piercing", "ring in bottom lip"] },
  { variants: ["stretched earlobes", "large ear plugs", "ear stretchers"] },
  { variants: ["missing front tooth", "gap in front teeth", "front tooth missing"] },
  { variants: ["gold tooth", "gold front tooth", "gold cap on tooth"] },
  { variants: ["freckles", "freckled face", "lots of freckles"] },
  { variants: ["teardrop tattoo under left eye", "teardrop tattoo by eye", "tattoo under left eye"] },
  { variants: ["MUM tattooed on knuckles", "knuckle tattoos", "letters tattooed on fingers"] },
  { variants: ["barbed wire tattoo around right bicep", "barbed wire tattoo on arm", "armband tattoo R arm"] },
  { variants: ["sleeve tattoo on left arm", "full sleeve L arm", "left arm fully tattooed"] },
];
const MALE_FACE: readonly Feature[] = [
  { variants: ["full beard", "bushy beard", "beard"] },
  { variants: ["goatee", "goatee beard", "small beard on chin"] },
  { variants: ["moustache", "mo", "thin moustache"] },
  { variants: ["stubble", "unshaven", "few days stubble"] },
];

const HAIR_COLOURS: readonly string[] = ["dark", "light", "blonde", "ginger", "grey", "bleached", "dyed red"];
function makeHair(rng: Rng, sex: Sex): Feature {
  const c = rng.pick(HAIR_COLOURS);
  const style = sex === "m"
    ? rng.weighted(["short", "shaved", "buzz", "curly", "mullet", "long", "spiky"], [30, 14, 10, 12, 10, 8, 6])
    : rng.weighted(["long", "ponytail", "bun", "short", "curly"], [30, 25, 15, 12, 12]);
  switch (style) {
    case "shaved": return { variants: ["shaved head", "head shaved", "bald/shaved"] };
    case "buzz": return { variants: ["buzz cut", "very short hair", `buzz cut, ${c}`] };
    case "mullet": return { variants: [`${c} mullet`, "mullet", `mullet haircut, ${c}`] };
    case "ponytail": return { variants: [`${c} hair in a ponytail`, "ponytail", `${c} hair tied back`, `long ${c} hair`] };
    case "bun": return { variants: [`${c} hair in a bun`, "hair in a bun", `${c} hair tied up`] };
    case "spiky": return { variants: [`spiky ${c} hair`, "spiky hair", `short ${c} hair`] };
    default: return { variants: [`${style} ${c} hair`, `${c} hair`, `${style} hair`] };
  }
}

const CLOTHING_COLOURS: readonly string[] = [
  "grey", "navy", "red", "green", "blue", "maroon", "khaki", "camo", "yellow", "orange", "charcoal", "purple",
];
const TOPS: readonly string[] = ["hoodie", "puffer jacket", "t-shirt", "rugby jersey", "hi-vis vest", "track jacket", "singlet", "zip-up jacket", "polo shirt"];
const BOTTOMS: readonly string[] = ["trackpants", "jeans", "shorts", "work shorts", "leggings", "cargo pants"];
const HEADWEAR: readonly string[] = ["cap", "beanie", "bucket hat", "hood up"];
const FOOTWEAR: readonly string[] = ["jandals", "sneakers", "work boots", "slides"];

function randomGarment(rng: Rng): string {
  return `${rng.pick(CLOTHING_COLOURS)} ${rng.pick(TOPS)}`;
}

// ---------------------------------------------------------------------------
// Events: types, products, descriptions
// ---------------------------------------------------------------------------

type EventType =
  | "shoplifting" | "pos-fraud" | "refund-fraud" | "verbal-abuse" | "threatening-behaviour"
  | "trespass" | "anti-social" | "damage" | "robbery" | "assault" | "drive-off";

const TYPES: readonly EventType[] = [
  "shoplifting", "pos-fraud", "refund-fraud", "verbal-abuse", "threatening-behaviour",
  "trespass", "anti-social", "damage", "robbery", "assault",
];
const TYPE_W: readonly number[] = [62, 9, 5, 6, 5, 4, 5, 2, 1, 1];

interface Product {
  sku: string;
  name: string;
  unitValue: number;
}
const PRODUCTS: readonly Product[] = [
  { sku: "9300633001", name: "Razor blades 8pk", unitValue: 24.99 },
  { sku: "9415007012", name: "Infant formula 900g", unitValue: 32.5 },
  { sku: "2100450021", name: "Beef scotch fillet 1kg", unitValue: 39.99 },
  { sku: "9415077004", name: "Butter 500g", unitValue: 7.49 },
  { sku: "9300605110", name: "Chocolate block 250g", unitValue: 5.5 },
  { sku: "9421902960", name: "Energy drink 4pk", unitValue: 11.99 },
  { sku: "9300631522", name: "Laundry powder 2kg", unitValue: 18.99 },
  { sku: "0412345678", name: "AA batteries 12pk", unitValue: 16.99 },
  { sku: "3600530911", name: "Foundation makeup", unitValue: 24 },
  { sku: "8710103867", name: "Electric toothbrush", unitValue: 89 },
  { sku: "6925281941", name: "Bluetooth earbuds", unitValue: 59 },
  { sku: "2100450038", name: "Lamb leg roast", unitValue: 34 },
  { sku: "9415551003", name: "Coffee beans 1kg", unitValue: 29.99 },
  { sku: "9416200014", name: "Sauvignon blanc 750ml", unitValue: 16.99 },
  { sku: "9421900440", name: "Whey protein 1kg", unitValue: 54.99 },
  { sku: "9415990002", name: "Manuka honey 500g", unitValue: 44.99 },
  { sku: "9415077129", name: "Cheese block 1kg", unitValue: 13.5 },
  { sku: "9300830054", name: "Shampoo 900ml", unitValue: 12.99 },
  { sku: "9310072001", name: "Phone charger cable", unitValue: 19.99 },
  { sku: "9300601245", name: "Salmon fillets 400g", unitValue: 21.99 },
];

const BAGS: readonly string[] = ["a backpack", "a handbag", "their jacket", "a reusable bag", "their trackpants", "a pram", "a chilly bin"];

function describe(
  rng: Rng,
  type: EventType,
  lines: { name: string; quantity: number }[],
  prevented: boolean,
  nPeople: number,
  hasVehicle: boolean,
): string {
  const who = nPeople > 1 ? rng.pick(["Two people", "A pair", "Offender and an associate"]) : rng.pick(["Person", "Offender", "Customer", "Subject"]);
  const goods = lines.map((l) => `${l.quantity} x ${l.name.toLowerCase()}`).join(", ");
  let text = "";
  switch (type) {
    case "shoplifting":
      text = rng.pick([
        `${who} concealed ${goods} in ${rng.pick(BAGS)} and walked past the checkouts without paying.`,
        `${who} selected ${goods}, removed security tags in the aisle and left through the entry doors.`,
        `${who} filled a basket with ${goods} and walked out through the entry gate.`,
        `${who} took ${goods} from the shelf and left via the side door. Seen on CCTV.`,
        `${who} placed ${goods} into ${rng.pick(BAGS)} near the back aisle and exited without paying.`,
      ]);
      break;
    case "pos-fraud":
      text = rng.pick([
        `${who} scanned cheaper items at self-checkout and bagged ${goods} without scanning.`,
        `${who} swapped barcodes so that ${goods} went through at a lower price.`,
        `${who} weighed ${goods} as loose carrots at self-checkout.`,
      ]);
      break;
    case "refund-fraud":
      text = rng.pick([
        `${who} attempted a refund of ${goods} without a receipt; stock appears to have been taken from the shelf earlier.`,
        `${who} brought ${goods} to the service desk claiming a return; items had no purchase record.`,
      ]);
      break;
    case "verbal-abuse":
      text = rng.pick([
        `${who} became abusive when asked to show their bag at the exit and swore at staff repeatedly.`,
        `${who} yelled at the checkout operator over a price and called her names before leaving.`,
        `${who} abused staff after being refused a refund.`,
      ]);
      break;
    case "threatening-behaviour":
      text = rng.pick([
        `${who} threatened a staff member when challenged at the door and said they would wait outside.`,
        `${who} squared up to the duty manager and threatened to come back and smash the windows.`,
        `${who} made threats toward staff after being asked to leave.`,
      ]);
      break;
    case "trespass":
      text = rng.pick([
        `${who} entered the store while under a trespass notice; asked to leave and did so.`,
        `${who} is trespassed from this site and came in again; staff asked them to leave.`,
      ]);
      break;
    case "anti-social":
      text = rng.pick([
        `${who} loitered by the entrance asking customers for money and refused to move on.`,
        `${who} rode a bike through the aisles and knocked over a display.`,
        `${who} was shouting at customers in the car park and kicking trolleys.`,
      ]);
      break;
    case "damage":
      text = rng.pick([
        `${who} kicked the sliding door after being refused service; glass cracked.`,
        `${who} pulled a shelf display over on the way out.`,
      ]);
      break;
    case "robbery":
      text = `${who} demanded cash from the till, threatened the operator and left with the cash drawer contents.`;
      break;
    case "assault":
      text = `${who} pushed a staff member into a shelf when stopped at the exit with ${goods || "unpaid goods"}.`;
      break;
    case "drive-off":
      text = `${who} filled the vehicle at pump ${rng.int(1, 8)} and drove off without paying.`;
      break;
  }
  if (prevented) text += rng.pick([" Stopped at the exit and the goods were recovered.", " Staff intervened; items recovered.", " Attempt stopped before leaving the store."]);
  if (hasVehicle && type !== "drive-off") text += rng.pick([" Left in a car.", " Got into a waiting car in the car park.", " Drove off in the vehicle below."]);
  return text;
}

// ---------------------------------------------------------------------------
// People, stores, time
// ---------------------------------------------------------------------------

interface Car {
  plate: string;
  make: string;
  model: string;
  colour: string;
}

interface Person {
  id: string;
  sex: Sex;
  given: string;
  family: string;
  dob: string; // YYYY-MM-DD
  birthMs: number;
  heightCm: number;
  build: Build;
  hair?: Feature | undefined;
  altHair?: Feature | undefined;
  features: Feature[];
  phone?: string | undefined;
  altPhone?: string | undefined;
  householdPhone?: string | undefined;
  car?: Car | undefined;
  carShareP: number;
  homeStore: string;
  reports: number;
  primaryType: EventType;
  signature?: string | undefined;
  household: number; // -1 when not modelled
}

interface Params {
  stores: readonly string[];
  storeW: readonly number[];
  pName: number;        // a name (given and/or family) is on the report
  pDob: number;         // share of reports with a date of birth (only ever with a name)
  pPhone: number;       // for a person who has a phone: share of their reports carrying it
  pNick: number;
  pTypoGiven: number;
  pTypoFamily: number;
  pHome: number;        // repeat report at the person's home store
  pMerge: number;       // a report becomes a two-person event
  pFalseName: number;   // a repeat report carries a household member's name (whanau)
  pDobError: number;
  gapMeanDays: number;
}

const START_MS = Date.UTC(2025, 0, 1, 0, 0, 0);
const END_MS = Date.UTC(2026, 9, 31, 23, 59, 0);
const DAY_MS = 86400000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** a UTC instant during NZ trading hours (08:00–21:00 local, DST approximated by month) */
function tradingInstant(rng: Rng, approxMs: number): number {
  const month = new Date(approxMs).getUTCMonth(); // 0..11
  const offH = month >= 3 && month <= 8 ? 12 : 13;
  const localMs = approxMs + offH * 3600000;
  const dayStart = Math.floor(localMs / DAY_MS) * DAY_MS;
  const minute = rng.weighted([8, 10, 12, 14, 16, 18, 20], [6, 12, 14, 16, 18, 20, 10]) * 60 + rng.int(0, 119);
  let utc = dayStart + minute * 60000 - offH * 3600000;
  while (utc > END_MS) utc -= DAY_MS;
  while (utc < START_MS) utc += DAY_MS;
  return utc;
}

function randomDob(rng: Rng, minYear: number, maxYear: number): { dob: string; ms: number } {
  const lo = Date.UTC(minYear, 0, 1);
  const hi = Date.UTC(maxYear, 11, 31);
  const ms = lo + Math.floor(rng.next() * ((hi - lo) / DAY_MS + 1)) * DAY_MS;
  return { dob: isoDate(ms), ms };
}

function ageAt(birthMs: number, atMs: number): number {
  return Math.floor((atMs - birthMs) / (365.2425 * DAY_MS));
}

class Uniq {
  private seen = new Set<string>();
  make(rng: Rng, f: (r: Rng) => string): string {
    for (;;) {
      const v = f(rng);
      if (!this.seen.has(v)) {
        this.seen.add(v);
        return v;
      }
    }
  }
}

function nzMobile(r: Rng): string {
  const prefix = r.weighted(["21", "22", "27", "20"], [45, 25, 27, 3]);
  let digits = "";
  const n = prefix === "21" && r.chance(0.3) ? 6 : 7;
  for (let i = 0; i < n; i++) digits += String(r.int(0, 9));
  if (digits[0] === "0") digits = String(r.int(1, 9)) + digits.slice(1);
  return `+64${prefix}${digits}`;
}

const PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
function nzPlate(r: Rng): string {
  let s = "";
  for (let i = 0; i < 3; i++) s += PLATE_LETTERS[r.int(0, PLATE_LETTERS.length - 1)];
  return s + String(r.int(1, 999));
}
const CARS: readonly (readonly [string, string])[] = [
  ["Toyota", "Corolla"], ["Mazda", "Demio"], ["Nissan", "Tiida"], ["Honda", "Odyssey"], ["Toyota", "Hilux"],
  ["Ford", "Falcon"], ["Subaru", "Legacy"], ["Holden", "Commodore"], ["Mitsubishi", "Outlander"],
  ["Suzuki", "Swift"], ["Toyota", "Estima"], ["Nissan", "Navara"], ["Mazda", "Atenza"], ["Honda", "Fit"],
];
const CAR_COLOURS: readonly string[] = ["silver", "grey", "blue", "red", "green", "maroon", "gold", "dark blue"];

function makeCar(rng: Rng, plates: Uniq): Car {
  const [make, model] = rng.pick(CARS);
  return { plate: plates.make(rng, nzPlate), make, model, colour: rng.pick(CAR_COLOURS) };
}

interface BaseOpts {
  id: string;
  sex: Sex;
  given: string;
  family: string;
  dob: { dob: string; ms: number };
  homeStore: string;
  reports: number;
  household?: number;
}

function makePerson(rng: Rng, o: BaseOpts): Person {
  const height = Math.round((o.sex === "m" ? 176 : 164) + rng.normal() * (o.sex === "m" ? 7 : 6));
  const features: Feature[] = [];
  const nFeat = rng.weighted([0, 1, 2, 3], [40, 35, 18, 7]);
  for (let i = 0; i < nFeat; i++) {
    const r = rng.next();
    if (r < 0.45) features.push(makeTattoo(rng));
    else if (o.sex === "m" && r < 0.65) features.push(rng.pick(MALE_FACE));
    else features.push(rng.pick(OTHER_FEATURES));
  }
  const hair = rng.chance(0.85) ? makeHair(rng, o.sex) : undefined;
  return {
    id: o.id,
    sex: o.sex,
    given: o.given,
    family: o.family,
    dob: o.dob.dob,
    birthMs: o.dob.ms,
    heightCm: Math.max(145, Math.min(203, height)),
    build: rng.weighted(BUILDS, [35, 45, 20]),
    hair,
    altHair: rng.chance(0.25) ? makeHair(rng, o.sex) : undefined,
    features,
    carShareP: 0,
    homeStore: o.homeStore,
    reports: o.reports,
    primaryType: rng.weighted(TYPES, TYPE_W),
    signature: rng.chance(0.3) ? randomGarment(rng) : undefined,
    household: o.household ?? -1,
  };
}

// ---------------------------------------------------------------------------
// Rendering one person on one report, as store staff would write it
// ---------------------------------------------------------------------------

function renderGiven(rng: Rng, p: Person, prm: Params): string {
  const nicks = NICKNAMES[p.given];
  const u = rng.next();
  if (nicks && u < prm.pNick) return rng.pick(nicks);
  if (u < prm.pNick + prm.pTypoGiven) return typo(rng, p.given);
  const macron = MACRON_FORMS[p.given];
  if (macron && rng.chance(0.35)) return macron;
  return p.given;
}

function renderFamily(rng: Rng, p: Person, prm: Params): string {
  let f = p.family;
  if (rng.chance(prm.pTypoFamily)) f = typo(rng, f);
  else if (f.includes(" ") && rng.chance(0.3)) f = spacingVariant(rng, f);
  else if (MACRON_FORMS[f] !== undefined && rng.chance(0.35)) f = MACRON_FORMS[f] ?? f;
  return f;
}

function jitterDob(rng: Rng, dob: string): string {
  const [y = 2000, m = 1, d = 1] = dob.split("-").map(Number);
  const r = rng.next();
  if (r < 0.5 && d <= 12 && d !== m) return `${y}-${String(d).padStart(2, "0")}-${String(m).padStart(2, "0")}`;
  if (r < 0.8) return `${y + (rng.chance(0.5) ? 1 : -1)}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const nd = d >= 28 ? d - 1 : d + 1;
  return `${y}-${String(m).padStart(2, "0")}-${String(nd).padStart(2, "0")}`;
}

function renderPerson(
  rng: Rng,
  p: Person,
  ref: string,
  role: "offender" | "accomplice",
  atMs: number,
  reportIndex: number,
  prm: Params,
  household: Person[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ref, role };

  // Name. A repeat offender sometimes gives a relative's name.
  let named = p;
  if (reportIndex > 0 && household.length > 1 && rng.chance(prm.pFalseName)) {
    const others = household.filter((h) => h.id !== p.id);
    if (others.length > 0) named = rng.pick(others);
  }
  let hasName = false;
  if (rng.chance(prm.pName)) {
    hasName = true;
    const r = rng.next();
    const includeGiven = r >= 0.1;          // 10 %: family name only
    const includeFamily = r < 0.1 || r >= 0.24; // 14 %: given name only
    let given = includeGiven ? renderGiven(rng, named, prm) : undefined;
    let family = includeFamily ? renderFamily(rng, named, prm) : undefined;
    if (given && family && rng.chance(0.02)) {
      const t = given;
      given = family;
      family = t;
    }
    const c = rng.next();
    if (c < 0.05) {
      given = given?.toUpperCase();
      family = family?.toUpperCase();
    } else if (c < 0.08) {
      given = given?.toLowerCase();
      family = family?.toLowerCase();
    }
    const name: Record<string, unknown> = {};
    if (given) name.given = given;
    if (family) name.family = family;
    const nicks = NICKNAMES[named.given];
    if (nicks && given && rng.chance(0.08)) {
      const alias = rng.pick(nicks);
      if (alias.toLowerCase() !== given.toLowerCase()) name.aliases = [alias];
    }
    out.name = name;
  }

  // Date of birth: only with a name (it comes from ID or a previous trespass notice).
  const pDobGivenName = Math.min(1, prm.pDob / Math.max(prm.pName, 0.01));
  if (hasName && rng.chance(pDobGivenName)) {
    out.dateOfBirth = rng.chance(prm.pDobError) ? jitterDob(rng, named.dob) : named.dob;
  } else if (rng.chance(0.55)) {
    const apparent = ageAt(p.birthMs, atMs) + Math.round(rng.normal() * 4);
    const min = Math.max(16, 5 * Math.round((apparent - 5) / 5));
    out.ageRange = { min, max: min + rng.pick([5, 10, 10, 15]) };
  }

  if (rng.chance(0.7)) {
    let h = p.heightCm + Math.round(rng.normal() * 3.5);
    if (rng.chance(0.5)) h = 5 * Math.round(h / 5);
    out.heightCm = h;
  }
  if (rng.chance(0.75)) {
    const i = BUILDS.indexOf(p.build);
    out.build = rng.chance(0.85) ? p.build : BUILDS[Math.max(0, Math.min(2, i + rng.pick([-1, 1])))];
  }

  const phone = p.householdPhone && (!p.phone || rng.chance(0.4)) ? p.householdPhone : p.phone;
  if (phone && rng.chance(prm.pPhone)) {
    out.phone = p.altPhone && reportIndex > 0 && rng.chance(0.15) ? p.altPhone : phone;
  }

  const feats: string[] = [];
  const hair = p.altHair && rng.chance(0.15) ? p.altHair : p.hair;
  if (hair && rng.chance(0.45)) feats.push(rng.pick(hair.variants));
  for (const f of p.features) if (rng.chance(0.55)) feats.push(rng.pick(f.variants));
  if (feats.length > 0) out.distinguishingFeatures = feats;

  if (rng.chance(0.8)) {
    const parts: string[] = [];
    parts.push(p.signature && rng.chance(0.5) ? p.signature : randomGarment(rng));
    if (rng.chance(0.5)) parts.push(`${rng.pick(CLOTHING_COLOURS)} ${rng.pick(BOTTOMS)}`);
    if (rng.chance(0.35)) {
      const hw = rng.pick(HEADWEAR);
      parts.push(hw === "hood up" ? hw : `${rng.pick(CLOTHING_COLOURS)} ${hw}`);
    }
    if (rng.chance(0.15)) parts.push(rng.pick(FOOTWEAR));
    out.clothing = parts.join(", ");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Populations per regime
// ---------------------------------------------------------------------------

interface Population {
  people: Person[];
  prm: Params;
}

const SMALL_TOWN_STORES: readonly string[] = ["tkr-01", "tkr-02", "ptr-01", "tkr-03", "mng-01"];
const SMALL_TOWN_W: readonly number[] = [40, 25, 15, 12, 8];

function baseParams(over: Partial<Params> & Pick<Params, "stores" | "storeW">): Params {
  return {
    pName: 0.85,
    pDob: 0.7,
    pPhone: 0.35,
    pNick: 0.1,
    pTypoGiven: 0.07,
    pTypoFamily: 0.07,
    pHome: 0.75,
    pMerge: 0.03,
    pFalseName: 0,
    pDobError: 0.04,
    gapMeanDays: 45,
    ...over,
  };
}

function pickRepeaters(rng: Rng, n: number, k: number): Set<number> {
  const idx = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  return new Set(idx.slice(0, k));
}

function popOneOffs(rng: Rng, pid: (i: number) => string): Population {
  const nStores = rng.int(3, 5);
  const stores = SMALL_TOWN_STORES.slice(0, nStores);
  const storeW = SMALL_TOWN_W.slice(0, nStores);
  const n = rng.int(98, 106);
  const nPool = Math.round(n * 0.7);
  const repeaters = pickRepeaters(rng, n, Math.round(n * rng.pick([0.15, 0.16, 0.17])));
  const phones = new Uniq();
  const plates = new Uniq();
  const rareFamilies = rng.shuffle([...RARE_FAMILY]);
  const people: Person[] = [];
  for (let i = 0; i < n; i++) {
    const gn = i < nPool ? rng.pick(POOL16_GIVEN) : rng.pick(RARE_GIVEN);
    const family = i < nPool ? rng.pick(POOL16_FAMILY) : rareFamilies[i - nPool] ?? rng.pick(RARE_FAMILY);
    const p = makePerson(rng, {
      id: pid(i),
      sex: gn.sex,
      given: gn.name,
      family,
      dob: randomDob(rng, 1958, 2006),
      homeStore: rng.weighted(stores, storeW),
      reports: repeaters.has(i) ? rng.weighted([2, 3, 4], [25, 35, 40]) : 1,
    });
    if (rng.chance(0.35)) p.phone = phones.make(rng, nzMobile);
    if (p.phone && rng.chance(0.1)) p.altPhone = phones.make(rng, nzMobile);
    if (rng.chance(0.08)) {
      p.car = makeCar(rng, plates);
      p.carShareP = 0.35;
    }
    people.push(p);
  }
  // pool names and distinct names interleaved, ids renumbered in the new order
  rng.shuffle(people);
  people.forEach((p, i) => (p.id = pid(i)));
  return {
    people,
    prm: baseParams({ stores, storeW, pName: 0.88, pDob: 0.78, pPhone: 0.45, pMerge: 0.015 }),
  };
}

function popStrangers(rng: Rng, pid: (i: number) => string): Population {
  const nStores = rng.int(3, 5);
  const stores = SMALL_TOWN_STORES.slice(0, nStores);
  const storeW = SMALL_TOWN_W.slice(0, nStores);
  const phones = new Uniq();
  const plates = new Uniq();
  const people: Person[] = [];
  for (let i = 0; i < 120; i++) {
    const gn = rng.pick(POOL16_GIVEN);
    const p = makePerson(rng, {
      id: pid(i),
      sex: gn.sex,
      given: gn.name,
      family: rng.pick(POOL16_FAMILY),
      dob: randomDob(rng, 1958, 2006),
      homeStore: rng.weighted(stores, storeW),
      reports: 1,
    });
    if (rng.chance(0.5)) p.phone = phones.make(rng, nzMobile);
    if (rng.chance(0.1)) {
      p.car = makeCar(rng, plates);
      p.carShareP = 0.4;
    }
    people.push(p);
  }
  return {
    people,
    prm: baseParams({ stores, storeW, pName: 0.88, pDob: 0.75, pPhone: 0.55, pMerge: 0.05 }),
  };
}

function popWhanau(rng: Rng, pid: (i: number) => string): Population {
  const stores = ["kti-01", "kti-02", "kti-03", "awn-01"];
  const storeW = [45, 25, 18, 12];
  const phones = new Uniq();
  const plates = new Uniq();
  const people: Person[] = [];
  let hh = 0;
  const given = (sex: Sex): string =>
    sex === "m" ? rng.weighted(WHANAU_GIVEN_M, WHANAU_GIVEN_M_W) : rng.weighted(WHANAU_GIVEN_F, WHANAU_GIVEN_F_W);

  while (people.length < 200) {
    const size = rng.weighted([2, 3, 4, 5, 6], [24, 26, 22, 15, 13]);
    const family = rng.weighted(WHANAU_FAMILY, WHANAU_FAMILY_W);
    const home = rng.weighted(stores, storeW);
    const householdPhone = rng.chance(0.5) ? phones.make(rng, nzMobile) : undefined;
    const car = rng.chance(0.45) ? makeCar(rng, plates) : undefined;
    const add = (sex: Sex, name: string, dob: { dob: string; ms: number }): Person => {
      const p = makePerson(rng, {
        id: pid(people.length),
        sex,
        given: name,
        family,
        dob,
        homeStore: rng.chance(0.9) ? home : rng.weighted(stores, storeW),
        reports: 1,
        household: hh,
      });
      if (rng.chance(0.4)) p.phone = phones.make(rng, nzMobile);
      if (householdPhone) p.householdPhone = householdPhone;
      if (car) {
        p.car = car;
        p.carShareP = 0.25;
      }
      people.push(p);
      return p;
    };

    const parentYear = rng.int(1960, 1982);
    const nParents = size === 2 ? rng.int(1, 2) : rng.chance(0.75) ? 2 : 1;
    const parents: Person[] = [];
    const firstSex: Sex = rng.chance(0.5) ? "m" : "f";
    for (let i = 0; i < nParents; i++) {
      const sex: Sex = i === 0 ? firstSex : rng.chance(0.9) ? (firstSex === "m" ? "f" : "m") : firstSex;
      const y = Math.max(1955, Math.min(1984, parentYear + (i === 0 ? 0 : rng.int(-4, 4))));
      parents.push(add(sex, given(sex), randomDob(rng, y, y)));
    }
    const father = parents.find((p) => p.sex === "m");
    const mother = parents.find((p) => p.sex === "f");
    const childNames = new Set<string>();
    for (let i = nParents; i < size; i++) {
      const sex: Sex = rng.chance(0.55) ? "m" : "f";
      const parentNames = new Set(parents.map((q) => q.given));
      let name = given(sex);
      // siblings do not share a given name, and a child shares a parent's name only when named after them
      for (let tries = 0; tries < 10 && (childNames.has(name) || parentNames.has(name)); tries++) name = given(sex);
      if (sex === "m" && father && !childNames.has(father.given) && rng.chance(0.4)) name = father.given; // Hemi and Hemi junior
      else if (sex === "f" && mother && !childNames.has(mother.given) && rng.chance(0.25)) name = mother.given;
      childNames.add(name);
      const y = rng.int(parentYear + 20, Math.min(parentYear + 40, 2006));
      const child = add(sex, name, randomDob(rng, y, y));
      // siblings and parents often look alike to staff
      const like = rng.pick(parents);
      if (like.sex === sex && rng.chance(0.5)) {
        child.build = like.build;
        child.heightCm = like.heightCm + rng.int(-3, 3);
      }
    }
    hh++;
  }
  // exactly 30 % repeat offenders, 2–6 reports each
  for (const i of pickRepeaters(rng, people.length, Math.round(people.length * 0.3))) {
    const p = people[i];
    if (p) p.reports = rng.weighted([2, 3, 4, 5, 6], [34, 26, 18, 12, 10]);
  }
  return {
    people,
    prm: baseParams({
      stores,
      storeW,
      pName: 0.82,
      pDob: 0.55,
      pPhone: 0.35,
      pHome: 0.82,
      pMerge: 0.15,
      pFalseName: 0.04,
      gapMeanDays: 40,
    }),
  };
}

function popLarge(rng: Rng, pid: (i: number) => string): Population {
  const stores = [
    "akl-011", "akl-024", "akl-042", "ham-003", "tga-007", "wlg-015",
    "wlg-021", "chc-008", "chc-019", "dud-004", "npl-002", "pmr-006",
  ];
  const storeW = [14, 12, 12, 9, 7, 9, 7, 9, 7, 5, 4, 5];
  const zipf = (n: number, s: number): number[] => Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
  const commonW = zipf(COMMON_FAMILY.length, 0.7);
  const tailW = zipf(TAIL_FAMILY.length, 0.35);
  const gmW = zipf(LARGE_GIVEN_M.length, 0.8);
  const gfW = zipf(LARGE_GIVEN_F.length, 0.8);
  const phones = new Uniq();
  const plates = new Uniq();
  const repeaters = pickRepeaters(rng, 1500, 150);
  const people: Person[] = [];
  for (let i = 0; i < 1500; i++) {
    const sex: Sex = rng.chance(0.6) ? "m" : "f";
    const gName = sex === "m" ? rng.weighted(LARGE_GIVEN_M, gmW) : rng.weighted(LARGE_GIVEN_F, gfW);
    let family: string;
    if (rng.chance(0.5)) family = rng.weighted(COMMON_FAMILY, commonW);
    else if (rng.chance(0.15)) family = `${rng.pick(TAIL_FAMILY)}-${rng.pick([...TAIL_FAMILY, ...COMMON_FAMILY])}`;
    else family = rng.weighted(TAIL_FAMILY, tailW);
    const p = makePerson(rng, {
      id: pid(i),
      sex,
      given: gName,
      family,
      dob: randomDob(rng, 1958, 2006),
      homeStore: rng.weighted(stores, storeW),
      reports: repeaters.has(i) ? rng.weighted([2, 3, 4, 5, 6, 7, 8], [30, 22, 16, 12, 9, 6, 5]) : 1,
    });
    if (rng.chance(0.6)) p.phone = phones.make(rng, nzMobile);
    if (p.phone && rng.chance(0.1)) p.altPhone = phones.make(rng, nzMobile);
    if (rng.chance(0.12)) {
      p.car = makeCar(rng, plates);
      p.carShareP = 0.35;
    }
    people.push(p);
  }
  return {
    people,
    prm: baseParams({ stores, storeW, pName: 0.78, pDob: 0.5, pPhone: 0.34, pHome: 0.72, pMerge: 0.04 }),
  };
}

// ---------------------------------------------------------------------------
// Reports → events
// ---------------------------------------------------------------------------

interface Slot {
  person: Person;
  index: number; // 0 = first report of this person
  atMs: number;
  store: string;
}
interface Draft {
  host: Slot;
  guest?: Slot | undefined;
  consumed: boolean;
}

function scheduleReports(rng: Rng, pop: Population): Slot[] {
  const { prm } = pop;
  const slots: Slot[] = [];
  for (const p of pop.people) {
    const times: number[] = [];
    let t = START_MS + rng.next() * (END_MS - START_MS);
    times.push(t);
    for (let i = 1; i < p.reports; i++) {
      t += Math.max(1, rng.exp(prm.gapMeanDays)) * DAY_MS;
      times.push(t);
    }
    const t0 = times[0] ?? t;
    if (t > END_MS) {
      // squeeze the run into the window, keeping its start
      const first = Math.min(t0, END_MS - 30 * DAY_MS);
      const scale = (END_MS - first) / (t - t0);
      for (let i = 0; i < times.length; i++) times[i] = first + ((times[i] ?? t0) - t0) * scale;
    }
    times.forEach((at, i) => {
      const store = i === 0 || rng.chance(prm.pHome) ? p.homeStore : rng.weighted(prm.stores, prm.storeW);
      slots.push({ person: p, index: i, atMs: tradingInstant(rng, at), store });
    });
  }
  return slots;
}

function pairUp(rng: Rng, slots: Slot[], prm: Params, byHousehold: Map<number, Person[]>): Draft[] {
  const drafts: Draft[] = slots.map((s) => ({ host: s, consumed: false }));
  const order = rng.shuffle(drafts.map((_, i) => i));
  const byPerson = new Map<string, number[]>();
  drafts.forEach((d, i) => {
    const list = byPerson.get(d.host.person.id) ?? [];
    list.push(i);
    byPerson.set(d.host.person.id, list);
  });
  const D = (k: number): Draft => drafts[k] as Draft;
  for (const i of order) {
    const d = D(i);
    if (d.consumed || d.guest || !rng.chance(prm.pMerge)) continue;
    let candidates: number[] = [];
    const hh = d.host.person.household;
    if (hh >= 0) {
      for (const m of byHousehold.get(hh) ?? []) {
        if (m.id === d.host.person.id) continue;
        for (const j of byPerson.get(m.id) ?? []) if (!D(j).consumed && !D(j).guest && j !== i) candidates.push(j);
      }
    } else {
      for (let tries = 0; tries < 12 && candidates.length === 0; tries++) {
        const j = rng.int(0, drafts.length - 1);
        if (j !== i && !D(j).consumed && !D(j).guest && D(j).host.person.id !== d.host.person.id) candidates = [j];
      }
    }
    if (candidates.length === 0) continue;
    const j = rng.pick(candidates);
    D(j).consumed = true;
    d.guest = { ...D(j).host, atMs: d.host.atMs, store: d.host.store };
  }
  return drafts.filter((d) => !d.consumed);
}

function buildBody(rng: Rng, d: Draft, prm: Params, byHousehold: Map<number, Person[]>): { body: Record<string, unknown>; refs: { ref: string; personId: string }[] } {
  const host = d.host;
  const p = host.person;
  let type: EventType = rng.chance(0.75) ? p.primaryType : rng.weighted(TYPES, TYPE_W);
  const car = p.car ?? d.guest?.person.car;
  const carShown = !!car && rng.chance(p.car ? p.carShareP : 0.2);
  if (carShown && rng.chance(0.12)) type = "drive-off";

  const people: Record<string, unknown>[] = [];
  const refs: { ref: string; personId: string }[] = [];
  const slotsHere: Slot[] = d.guest ? [host, d.guest] : [host];
  slotsHere.forEach((s, k) => {
    const ref = `p${k + 1}`;
    const hh = s.person.household >= 0 ? byHousehold.get(s.person.household) ?? [] : [];
    people.push(renderPerson(rng, s.person, ref, k === 0 ? "offender" : "accomplice", host.atMs, s.index, prm, hh));
    refs.push({ ref, personId: s.person.id });
  });

  const body: Record<string, unknown> = {
    storeId: host.store,
    occurredAt: isoInstant(host.atMs),
    type,
  };
  const withGoods = type === "shoplifting" || type === "pos-fraud" || type === "refund-fraud" || type === "assault";
  const lines: { sku: string; name: string; quantity: number; unitValue: number }[] = [];
  if (withGoods) {
    const nLines = rng.weighted([1, 2, 3], [55, 30, 15]);
    const chosen = rng.shuffle([...PRODUCTS]).slice(0, nLines);
    for (const pr of chosen) lines.push({ sku: pr.sku, name: pr.name, quantity: rng.weighted([1, 2, 3, 4, 6], [45, 25, 15, 8, 7]), unitValue: pr.unitValue });
  }
  const prevented = withGoods && type !== "assault" && rng.chance(0.15);
  if (withGoods) body.prevented = prevented;
  body.description = describe(rng, type, lines, prevented, people.length, carShown);
  if (lines.length > 0) {
    body.products = lines;
    body.currency = "NZD";
  }
  body.people = people;
  if (carShown && car) {
    const v: Record<string, unknown> = {};
    let plate = car.plate;
    if (rng.chance(0.3)) plate = plate.slice(0, 3) + " " + plate.slice(3);
    v.plate = plate;
    if (rng.chance(0.7)) v.make = car.make;
    if (rng.chance(0.6)) v.model = car.model;
    if (rng.chance(0.8)) v.colour = car.colour;
    body.vehicles = [v];
  }
  if (type === "threatening-behaviour" || type === "robbery" || type === "assault") {
    body.violence = {
      threatened: true,
      used: type === "assault",
      weapon: type === "robbery" ? rng.weighted(["none", "knife", "blunt", "other"], [50, 20, 20, 10]) : "none",
    };
    if (rng.chance(0.6)) body.policeReference = `P${String(rng.int(100000000, 999999999))}`;
  }
  return { body, refs };
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

export function generate(regime: string, seed: number): Dataset {
  const { events, truth } = run(regime, seed);
  return { events, truth };
}

/** The hidden population behind generate(regime, seed): canonical names, for stats only. */
export function population(regime: string, seed: number): { personId: string; given: string; family: string; dateOfBirth: string; household: number }[] {
  return run(regime, seed).people.map((p) => ({ personId: p.id, given: p.given, family: p.family, dateOfBirth: p.dob, household: p.household }));
}

function run(regime: string, seed: number): Dataset & { people: Person[] } {
  if (!REGIMES.includes(regime)) throw new Error(`unknown regime "${regime}"; expected one of ${REGIMES.join(", ")}`);
  const rng = new Rng(`nz-namesakes/${regime}/${seed}`);
  const prefix = `nzn-${regime}-${seed}`;
  const pid = (i: number): string => `${prefix}-P${String(i + 1).padStart(4, "0")}`;

  let pop: Population;
  switch (regime) {
    case "one-offs": pop = popOneOffs(rng, pid); break;
    case "strangers": pop = popStrangers(rng, pid); break;
    case "whanau": pop = popWhanau(rng, pid); break;
    default: pop = popLarge(rng, pid); break;
  }

  const byHousehold = new Map<number, Person[]>();
  for (const p of pop.people) {
    if (p.household < 0) continue;
    const list = byHousehold.get(p.household) ?? [];
    list.push(p);
    byHousehold.set(p.household, list);
  }

  const slots = scheduleReports(rng, pop);
  const drafts = pairUp(rng, slots, pop.prm, byHousehold);
  const built = drafts.map((d, k) => ({ k, ...buildBody(rng, d, pop.prm, byHousehold) }));
  built.sort((a, b) => {
    const ta = a.body.occurredAt as string;
    const tb = b.body.occurredAt as string;
    return ta < tb ? -1 : ta > tb ? 1 : a.k - b.k;
  });

  const events: GeneratedEvent[] = [];
  const truth: TruthRow[] = [];
  built.forEach((b, i) => {
    const id = `${prefix}-e${String(i + 1).padStart(4, "0")}`;
    events.push({ id, body: b.body });
    for (const r of b.refs) truth.push({ eventId: id, ref: r.ref, personId: r.personId });
  });
  return { events, truth, people: pop.people };
}
