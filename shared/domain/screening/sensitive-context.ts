import winkNLP, { type WinkMethods } from 'wink-nlp';
import { slipsOf } from './slips';
import model from 'wink-eng-lite-web-model';
import nicknameData from '../matching/nicknames.json';

/**
 * Whether a sensitive term found in free text describes a person of the report (the offender, a
 * witness, the staff) or names a thing: a product, a place, an organisation, a display, an event.
 * "Looked Indian", "of Indian descent", "an Indian national", "two Indian lads" describe a person;
 * "Indian tonic water", "the Indian place next door" do not. Names are never screened (Christian
 * on checkout 3, Mr Islam from the takeaway), and what someone pretended ("faked a limp") is not
 * their characteristic.
 *
 * The sentence around each hit is read by wink-nlp (tokens and parts of speech); the rules below
 * read its phrase structure with word lists kept in the lexicon (`context`), so a deployment can
 * grow them without code. Only sentences with a hit are parsed: most text has none and costs the
 * lexicon's one regular expression only.
 */

export interface ContextLists {
  /** Nouns for people: a term that modifies one describes a person ("Samoan lady", "gay couple"). */
  personNouns: readonly string[];
  /** Nouns that make a term a description of someone ("of Asian descent", "Irish accent", "Greens activist"). */
  descriptorNouns: readonly string[];
  /** Words that attribute what follows to someone ("looked", "was", "possibly", "openly"). */
  linkingWords: readonly string[];
  /** Words that give a person a condition ("has", "with", "on", "uses"). */
  conditionCues: readonly string[];
  /** What someone pretended or mimicked is not their characteristic. */
  pretendCues: readonly string[];
  /** Words that introduce a name ("Mr", "named", "Sgt"). */
  nameCues: readonly string[];
  /** Words for a person's sex, which a colour beside them in a description list makes a skin colour. */
  sexWords: readonly string[];
  /** Things worn: a party's or union's badge on someone is their affiliation. */
  wornNouns: readonly string[];
  /** Signs that a worn thing is merchandise ("x3", "from the rack"). */
  quantityCues: readonly string[];
  /** Terms that describe a person only in a person context; the others do unless they name a thing. */
  contextual: readonly string[];
  /** Terms that are also given names: bare at the start of a sentence and doing something, they are someone's name. */
  nameLike: readonly string[];
  /** Terms that are also surnames ("Bishop", "Deacon"): after a given name written as a name, someone's surname. */
  surnameLike?: readonly string[];
  /** Real words and names two swapped letters from a person noun or a term ("Christina"): never read as a slip. */
  notSlips?: readonly string[];
  /** Places (countries, regions): they describe someone only as where that person is from ("he's from Tonga"). */
  originOnly: readonly string[];
  /** Nouns after a person noun that make the phrase a thing's name ("Indigenous Peoples Day", "Women's Refuge Centre"). */
  thingHeads: readonly string[];
  /** Garments, bags and vehicles: a colour written right before one is that thing's colour ("black hoodie", "white van"). */
  colouredThings?: readonly string[];
}

export interface Judgement {
  /** True when the term describes a person in the report. */
  person: boolean;
  /** The words the judgement rests on, as written ("looked Indian", "Indian tonic water"). */
  phrase: string;
  /** Which rule decided, for the evaluation's explanations. */
  rule: string;
}

export interface Token {
  text: string;
  lower: string;
  pos: string;
  start: number;
  end: number;
  punct: boolean;
}

const COLOURS = new Set(['black', 'white', 'brown', 'coloured', 'colored', 'mixed', 'teal']);
/** After "straight", words of going somewhere ("straight to the exit", "straight out the door"); not "in", "on", "at" ("straight in my opinion"). */
/** After "is", only these make "straight" a way of going ("she's straight to the bank"), not "he's straight for sure". */
const STRAIGHT_AFTER_BE = new Set(['to', 'into', 'out', 'through', 'past', 'back', 'away', 'off', 'home', 'onto', 'across', 'towards', 'toward', 'after', 'over', 'down', 'up']);
const STRAIGHT_WAY = new Set(['to', 'for', 'into', 'out', 'through', 'past', 'back', 'away', 'off', 'over', 'down', 'towards', 'toward', 'ahead', 'home', 'onto', 'across', 'outside', 'inside', 'round', 'around']);
/** Nouns for a group of people, after a term: "the convoy lot", "that Labour mob". */
const GROUP_NOUNS = new Set(['lot', 'mob', 'crowd', 'crew', 'bunch', 'brigade']);
/** Words right before a term that point at a group ("that ... mob", "those ... types"; "one of the ... lot" too). */
const GROUP_POINTERS = new Set(['that', 'those', 'them']);
/** Verbs of a device fixed to someone or their clothes. */
const ATTACHED = new Set(['clipped', 'attached', 'strapped', 'taped', 'hooked', 'pinned', 'connected', 'fitted', 'plugged']);
/** Whose a device is, after the verb that fixes it ("clipped to her belt"). */
const OWNERS = new Set(['her', 'his', 'their', 'him']);
/** Health terms that are devices worn on the body ("insulin pump on his belt"; not "the blind in his office"). */
const DEVICES = /(?:pump|bag|aid|aids|cannula|catheter|brace|monitor|tube|sensor|implant|oxygen|cgm)$/;
/** Words of someone's build and age, which a tagger may read as nouns after a person ("guy skinny"). */
const BUILD = /^(?:skinny|tall|short|fat|big|small|old|young|thin|stocky|chubby|slim|heavy|heavyset|bald|skinnyish|tallish)$/;
/** An episode or a sign of a condition ("ASD meltdown", "psychotic episode", "Parkinson's tremor"). */
const EPISODES = /^(?:meltdown|meltdowns|episode|episodes|attack|attacks|fit|fits|flare-up|flareup|crisis|relapse|tremor|tremors)$/;
/** What shows someone's membership ("his IBEW card"). */
const MEMBERSHIP_PROOF = /^(?:card|cards|membership|ticket|number)$/;
/** Places that serve or sell, whose people a term before them does not describe ("Korean BBQ staff"). */
const EATERIES = /^(?:bbq|barbecue|restaurant|takeaway|takeout|grocery|bakery|cafe|caf\u00e9|deli|salon|diner|eatery|bistro|noodle|sushi|kebab|curry|pizza|pub|restaurants)$/;
/** What is delivered, not someone arriving ("arrived from Italy on the morning pallet"). */
const DELIVERED = /^(?:pallet|pallets|stock|delivery|deliveries|order|orders|shipment|consignment|cases|boxes|cartons|container|parcel|parcels|batch|range|freight)$/;
/** Things sent or held somewhere ("the batch was sent back in China"). */
const SENT_BACK = /^(?:sent|shipped|stuck|held|returned|posted|made|manufactured|packed|produced)$/;
/** Signs of an injury that the incident itself may have caused ("a limp after kicking the door"). */
const INJURY_SIGNS = /^(?:limp|limping|crutches|crutch|on crutches|sling|in a sling|cast|stitches|neck brace|in a neck brace|moon boot)$/;
/** What an injury came from, in the report's own words ("from the assault"). */
const INCIDENT = /^(?:assault|attack|incident|fall|scuffle|struggle|altercation|fight|door|glass|collision|punch|kick)$/;
/** Said after stock, before "from": "hijabs taken from the rack", "walking frame gone from the aisle". */
const TAKEN_FROM = /^(?:taken|stolen|nicked|missing|lifted|gone|pinched|swiped|removed)$/;
/** Verbs of taking stock: a badge or a device after them is what was taken. */
const THEFT = new Set(['stole', 'steal', 'stealing', 'took', 'taken', 'nicked', 'pocketed', 'grabbed', 'lifted', 'concealed', 'shoplifted', 'wheeled', 'stolen', 'restocking', 'restocked', 'restock', 'unpacking', 'unpacked', 'facing', 'faced']);
/** The two words before a hit, lower case, apostrophes dropped ("he's" → "hes", as the linking words spell it). */
function twoWordsBefore(text: string, start: number): string[] {
  return text.slice(Math.max(0, start - 40), start).toLowerCase().replace(/['\u2019]/g, '').split(/[^\p{L}]+/u).filter(Boolean).slice(-2);
}
/** The word right after a hit, past a few spaces only (a comma or a hyphen between them is left to the parse). */
const NEXT_WORD = / {1,3}(\p{L}+)(?![\p{L}'\u2019-])/uy;
const POLITICAL = new Set(['political', 'union', 'sexual-orientation', 'gender-identity']);
/** Categories a worn thing shows of its wearer: a party's badge, a union's lanyard, a religion's cap or collar. */
const SHOWN_BY_DRESS = new Set([...POLITICAL, 'religion']);
const PUNCT_BREAK = /^[,;:()[\]/|\-–—•*"“”]+$|^\.+$|^[!?]+$/;
/** Tokens a cue may stand behind: "looked to be of", "was possibly a", "has had a bad". */
const SKIPPABLE_POS = new Set(['DET', 'ADV', 'PART', 'NUM', 'ADJ']);
/** An age or a build in a description list ("30s", "approx", "20ish", "5'10", "180cm"). */
const AGE = /^(?:\d+(?:s|ish|yo|y\/o|yrs?|cm)?|approx|aged|age|early|mid|late|teens?|twenties|thirties|forties|fifties|elderly|old|young|tall|short|slim|stocky|thin|skinny|heavy|build)$/;
/** What a writer adds after a description they are unsure of. */
const HEDGE = new Set(['i think', 'i reckon', 'i guess', 'i believe', "i'd say", 'id say', 'i suspect', 'maybe', 'probably', 'possibly', 'perhaps', 'apparently', 'prob', 'i think.', 'idk', 'tbh', 'ngl', 'imo', 'lol', 'deffo', 'defo', 'lowkey']);
/** A noun phrase after a term is read for at most this many words. */
const MAX_PHRASE = 6;
const SKIPPABLE_WORDS = new Set(['to', 'be', 'like', 'of', 'a', 'an', 'the', 'kind', 'sort', 'bit', 'quite', 'very', 'really', 'half', 'part', 'some', 'as']);
/** "and" as store staff write it ("muslim n said", "bipolar & off his meds"): a tagger reads "n" as a noun. */
const SHORTHAND_AND = new Set(['n', "n'", 'nd', '&', '+']);
/** "with" as store staff write it ("activist w a clipboard"): it ends the phrase a term heads. */
const SHORTHAND_WITH = new Set(['w', 'w/', 'wi', 'wiv']);
/** Words before "said" that make what follows a name on a card, not a description ("name tag said Christian"). */
const NAME_CARRIERS = new Set(['tag', 'badge', 'card', 'licence', 'license', 'lanyard', 'receipt']);
const SAID = new Set(['said', 'says']);
/** A union's action someone is on. */
const STRIKES = /^(?:strikes?|pickets?|picket-line|walkouts?|stop-?work)$/;
const DATING_APPS = new Set(['grindr']);
const ADVERTS = /^(?:billboard|ad|ads|advert|adverts|advertisement|poster|posters|sign|logo|sticker|banner|campaign)$/;
/** Words before "after" that make it someone's return ("back after chemo"), not an order of events. */
const RETURNED = /^(?:back|recovering|returned|return|returning)$/;
/** What someone is back after: a treatment or an illness, not a medicine or a device. */
const AFTER_ILLNESS = /^(?:chemo|chemotherapy|radiotherapy|radiation|dialysis|rehab|stroke|seizure|heart attack|breakdown|nervous breakdown|overdose|miscarriage|surgery|cancer)$/;
/** A relative before a noun names a product's style ("Irish grandpa cardigans"). */
const RELATIVES = new Set(['aunty', 'aunties', 'auntie', 'grandpa', 'grandma', 'granny', 'uncle', 'uncles', 'nanna']);
/** "I'm" says what the writer is only of a bare word ("I'm Nigerian, we don't steal"), not before what follows ("I'm expecting a delivery", "I'm straight to the bank"). */
/** Someone's role in a party or a union ("member of", "secretary of", "delegate for"). */
const MEMBER_ROLES = /^(?:members?|secretary|president|chair|chairman|chairwoman|chairperson|treasurer|delegates?|organi[sz]ers?|reps?|representatives?|officials?|volunteers?|candidates?|activists?|supporters?|donors?|stewards?)$/;
const FIRST_PERSON = /^(?:i'm|i\u2019m|im)$/;
const HYPHEN = /^[-\u2010-\u2015]$/;
/** Aids and devices: had as stock as often as by someone ("got a walking stick on layby"). */
const AIDS = /(?:scooter|stick|frame|chair|walker|bag|pump|pen|glove|crutch|aid|bottle|cane|brace|monitor|strip|needle|inhaler|hearing)/;
const BRANCHES = /^(?:branch|branches|chapter|caucus|committee|wing|meeting|meetings)$/;
const SCHOOL = /^(?:primary|secondary|intermediate|college|grammar|academy)$/;
/** "have got", "'ve got", "'s got": having. */
const HAVE = /^(?:have|has|had|'ve|\u2019ve|ve|'s|\u2019s|'d|\u2019d)$/;
/** A saint's name before "'s" names a church or a school ("St Paul's Anglican"), not a person who is something. */
const SAINT = /^(?:st|st\.|saint|ss)$/;
/** Parts of a body: a health term heading one describes the person it belongs to. */
/** Where something is worn on someone ("round her wrist", "on his neck"). */
/** What a religious object is made into when worn: "rosary beads", "cross necklace". */
/** What is sold for a condition or its recovery ("knee replacement supports", "knee surgery scar gel"). */
const HEALTH_PRODUCTS = /^(?:supports?|braces?|pillows?|gels?|aisle|kits?|cushions?|socks|stockings|bandages?|tape|sleeves?|wraps?|aids?|recovery)$/;
/** Past tenses that end in none of -ed, -s, -ing: a person doing something ("a refugee took two phones"). */
const IRREGULAR_PAST = /^(?:took|stole|saw|came|went|ran|got|left|said|told|gave|made|hit|put|threw|broke|bought|brought|caught|held|kept|knew|sat|stood|swore|spat|drove|rode|grabbed|was|were|had|did|can|could|would|will|may|might|must|should)$/;
const RELIGIOUS_OBJECT_HEADS = /^(?:beads|necklace|pendant|chain|earrings?)$/;
/** The trade's words: a religious object or a slogan among these is stock ("hold the rosary until payday", "$49.99", "on layby"). */
const TRADE = /^(?:[$\u00a3\u20ac].*|\d+\.\d\d|price|priced|layby|lay-by|hold|order|ordered|orders|delivery|delivered|broken|stock|stocked|display|shelf|box|boxes|pack|packs|window|wrapped|till|sale|sold|buy|bought|asked|stolen|found|searched|tagged|tag|tags|ours|recovered|mannequin|dummy|special|specials|promo)$/;
/** An order, a delivery, a recall: a medicine there is stock, whoever's name is on it. */
const ORDERED = /\b(?:order|ordered|orders|ordering|stock|wholesaler|portal|invoice|supplier|recall|recalled|batch|delivery|delivered|found|lost)\b/iu;
/** Religious dress and objects worn one at a time. */
const RELIGIOUS_WEAR = /^(?:hijab|niqab|burqa|burka|chador|abaya|jilbab|turban|dastar|patka|kippah|kippa|yarmulke|kufi|taqiyah|crucifix|rosary|bindi|kara|kirpan|tallit|tzitzit)$/;
const RELIGIOUS_OBJECTS = /^(?:crucifix|rosary|cross necklace|cross pendant)$/;
const BODY_PARTS_WORN = new Set(['wrist', 'wrists', 'neck', 'hand', 'hands', 'arm', 'arms', 'finger', 'head', 'chest']);
const BODY_PARTS = new Set(['leg', 'legs', 'arm', 'arms', 'hand', 'hands', 'foot', 'feet', 'eye', 'eyes', 'knee', 'knees', 'hip', 'hips', 'ear', 'ears', 'limb', 'limbs', 'fingers', 'finger']);
/** Words of arriving in a country: a nationality beside them is someone's. */
const MIGRATION = new Set(['came', 'moved', 'immigrated', 'migrated', 'emigrated', 'arrived', 'refugee', 'asylum', 'visa', 'migrant', 'immigrant']);
/** A clause's subject that is not a person, right before its verb and its term: "it was manic", "that was mental". */
const NOT_A_PERSON = new Set(['it', 'that', 'this']);
const CLAUSE_START = new Set(['and', 'but', 'so', 'n', '&', '+']);
/** Forms of "be" that say what their subject is ("dude was def gay …"); "'s" only after "he" or "she" (after a noun it is a possessive). */
interface SentenceFacts {
  /** stockBefore[n] = 1 when a count or a word of the trade is among the first n tokens; theftBefore likewise for a taking. */
  stockBefore: Uint8Array;
  theftBefore: Uint8Array;
  trade: boolean;
  heOrShe: boolean;
}
/**
 * What the rules ask of a whole sentence, once per sentence: a sentence that repeats a term
 * hundreds of times ("trans-trans-…") would otherwise be scanned again for every hit.
 */
const sentenceFactsCache = new WeakMap<readonly Token[], SentenceFacts>();
function sentenceFacts(tokens: readonly Token[], quantity: ReadonlySet<string>): SentenceFacts {
  let facts = sentenceFactsCache.get(tokens);
  if (facts) return facts;
  const stockBefore = new Uint8Array(tokens.length + 1);
  const theftBefore = new Uint8Array(tokens.length + 1);
  let trade = false;
  let heOrShe = false;
  tokens.forEach((t, n) => {
    const isTrade = TRADE.test(t.lower);
    trade ||= isTrade;
    heOrShe ||= /^(?:he|she|his|her|him|hes|shes)$/.test(t.lower);
    const stock = isTrade || quantity.has(t.lower) || /^\d+x$|^x\d+$/.test(t.lower) || (t.pos === 'NUM' && tokens[n + 1]?.lower === 'x');
    stockBefore[n + 1] = stockBefore[n]! | (stock ? 1 : 0);
    // "walked out with", "made off with": a taking in three words.
    const walkedOff = t.lower === 'with' && /^(?:out|off)$/.test(tokens[n - 1]?.lower ?? '') && /^(?:walked|walks|walk|ran|runs|run|made|makes|went|legged|snuck|strolled|wheeled)$/.test(tokens[n - 2]?.lower ?? '');
    theftBefore[n + 1] = theftBefore[n]! | (THEFT.has(t.lower) || walkedOff ? 1 : 0);
  });
  facts = { stockBefore, theftBefore, trade, heOrShe };
  sentenceFactsCache.set(tokens, facts);
  return facts;
}
/** What a person wears or has on, plural ("in heels", "fake lashes"): "they" after them is still the person. */
const ON_A_PERSON = /^(?:heels|boots|shoes|sneakers|trainers|jeans|pants|trousers|trackies|shorts|leggings|tights|sunnies|sunglasses|glasses|earrings|lashes|nails|clothes|tattoos|tatts|piercings)$/;
const COPULAS = new Set(['is', 'was', 'were', 'are', 'am', "'s", '\u2019s', 'hes', 'shes']);
/** Pronouns that make a copula's subject a person ("they" is often the goods: "they were Indian sweets"). */
const PERSON_PRONOUNS = new Set(['he', 'she', 'i', 'who']);
/** Verbs whose "as" gives what someone was taken to be ("described by the guard as Aboriginal", "known as a Mormon"). */
const AS_VERBS = new Set(['described', 'describes', 'identified', 'identifies', 'known', 'presents', 'presented', 'presenting', 'passes', 'passing', 'pegged', 'clocked']);
/** A party's or a union's material handed out or held up by someone: canvassing ("handing out Reform UK leaflets"). */
const CAMPAIGN_MATERIAL = /^(?:leaflets?|cards?|flyers?|fliers?|pamphlets?|placards?|banners?|signs?|petitions?|brochures?|how-to-vote|htv|tracts?|magazines?)$/;
const CAMPAIGNING = new Set(['handing', 'handed', 'hands', 'dishing', 'distributing', 'pushing', 'holding', 'waving', 'flogging']);
/** Words of wearing before a religion's dress ("in a priest collar", "guy in one of those muslim caps"); without one it is stock ("we sell Islamic clothing"). */
/** Verbs of taking part in a party's or a union's work, before "with" or "for". */
const TAKING_PART = /^(?:marched|marches|marching|rallied|rallies|protested|protests|campaigned|campaigns|campaigning|canvassed|canvasses|canvassing|volunteers|volunteered|volunteering|organises|organized|organizes|organised|organising|organizing|stood|stands|standing|runs|ran|running)$/;
const WEARING = new Set(['in', 'wearing', 'wore', 'wears', 'donning', 'sporting', 'dressed']);
/** Verbs of speaking: a language after them and "in" is the speaker's ("talking in Vietnamese"). */
const SPEAKING = new Set(['talking', 'speaking', 'spoke', 'speaks', 'chatting', 'yelling', 'shouting', 'swearing', 'muttering', 'arguing', 'talked', 'chatted', 'yelled', 'shouted', 'swore', 'argued']);
/** What someone's origin is judged by ("Irish by the accent"). */
const JUDGED_BY = new Set(['accent', 'voice', 'look', 'looks', 'appearance', 'features']);
/** What someone is "on" for a condition ("on our methadone program"; not "on my mental health first aid roster"). */
const TREATMENTS = new Set(['program', 'programme', 'list', 'treatment', 'script', 'scripts', 'prescription', 'regime', 'regimen', 'meds', 'medication']);
/** Named occasions (capitalised): people after them are that day's ("the Labour Day sale crowd", "Pride Week shoppers"; not "Muslim day shift worker"). */
/** After a term and a hyphen, the way a thing was made ("Amish-made", "Thai-style"). */
const MADE_AS = /^(?:made|style|styled|inspired|themed|flavoured|flavored|branded|owned|run)$/;
const EVENT_FIRST = /^(?:bake|cake|garage|yard|rummage|jumble|car\s*boot)$/;
const OCCASIONS = new Set(['day', 'days', "day's", 'week', 'weekend', 'month', 'holiday', 'festival']);

let nlp: WinkMethods | undefined;
/** The model loads on the first hit (about 100 ms): a host that screens only clean text never pays. */
function parser(): WinkMethods {
  nlp ??= winkNLP(model, ['pos']);
  return nlp;
}

/** Tokens of a sentence with their parts of speech and offsets. */
export function parseSentence(raw: string): Token[] {
  // Unicode hyphens and dashes read as the ASCII hyphen (same length, so offsets hold).
  const sentence = raw.replace(/[\u2010-\u2015]/g, '-');
  const doc = parser().readDoc(sentence);
  const its = parser().its;
  const texts = doc.tokens().out() as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  const out: Token[] = [];
  let cursor = 0;
  texts.forEach((text, i) => {
    const at = sentence.indexOf(text, cursor);
    const start = at < 0 ? cursor : at;
    cursor = start + text.length;
    out.push({ text, lower: text.toLowerCase(), pos: tags[i] ?? 'X', start, end: cursor, punct: tags[i] === 'PUNCT' || tags[i] === 'SYM' || PUNCT_BREAK.test(text) });
  });
  return out;
}

export interface ParsedSentence {
  from: number;
  to: number;
  sentence: string;
  tokens: Token[];
}

let parsedOf: { text: string; byStart: Map<number, ParsedSentence>; last?: ParsedSentence } | undefined;
/**
 * Each screening starts with no last sentence, so that its answer never depends on what was
 * screened before (a sentence widened by a hit across a line break would otherwise hold the next
 * screening's first hits); parses of the same text, looked up by exact bounds, are kept.
 */
export function forgetLastSentence(): void {
  if (parsedOf) parsedOf.last = undefined;
}
/**
 * The sentence around [start, end) of `text`, parsed once per text: its hits, and the description
 * patterns looking at the same sentence, share one parse. The last sentence is checked first, so
 * that a sentence of many hits is not searched for its bounds again for each.
 */
export function parsedAround(text: string, start: number, end: number): ParsedSentence {
  if (parsedOf?.text !== text) parsedOf = { text, byStart: new Map() };
  const last = parsedOf.last;
  if (last && start >= last.from && end <= last.to) return last;
  const { from, to } = sentenceAround(text, start, end);
  let parsed = parsedOf.byStart.get(from);
  if (parsed?.to !== to) parsedOf.byStart.set(from, (parsed = { from, to, sentence: text.slice(from, to), tokens: parseSentence(text.slice(from, to)) }));
  return (parsedOf.last = parsed!);
}

export interface ContextJudge {
  /**
   * Judges the term found at [start, end) of `text` (offsets into `text`), whose category is
   * `category` and whose lexicon entry is `term`.
   */
  (text: string, start: number, end: number, term: string, category: string): Judgement;
}

const SENTENCE_ENDS = new Set([...'.!?;\n'].map((c) => c.charCodeAt(0)));
/** The sentence (or line, or clause after a semicolon) around [start, end). */
export function sentenceAround(text: string, start: number, end: number): { from: number; to: number } {
  // Any full stop ends it, inside a number or an abbreviation too ("approx. 30"): close enough for context.
  let from = start;
  while (from > 0 && !SENTENCE_ENDS.has(text.charCodeAt(from - 1))) from--;
  let to = end;
  while (to < text.length && !SENTENCE_ENDS.has(text.charCodeAt(to))) to++;
  return { from, to };
}

/** Given names that are ordinary words as well: before a capitalised term they are not taken for a name. */
const ORDINARY_WORD_NAMES = new Set(['rich', 'frank', 'will', 'mark', 'pat', 'bill', 'jack', 'art', 'ray', 'rose', 'hope', 'sue', 'don', 'nick', 'rob', 'sandy', 'rusty', 'lance', 'gene', 'pip', 'dot', 'gus', 'val', 'vic', 'les', 'max', 'ash', 'jazz', 'chip', 'chuck', 'ward', 'win', 'eve', 'kit', 'cat', 'con', 'col', 'den', 'may', 'guy', 'dawn', 'joy', 'sunny', 'grant', 'miles', 'dean', 'drew', 'wally', 'tiny', 'lou', 'nat', 'tel', 'bea']);

export function createContextJudge(lists: ContextLists, terms: readonly string[] = []): ContextJudge {
  /** One-word terms: a term before another ("Fijian Indian", "Greek Cypriot") is one description, not a thing. */
  const words = new Set(terms.filter((t) => !/[\s-]/.test(t)));
  const person = new Set(lists.personNouns);
  const descriptor = new Set(lists.descriptorNouns);
  const linking = new Set(lists.linkingWords);
  const condition = new Set([...lists.conditionCues, 'in']);
  const pretend = new Set(lists.pretendCues);
  const names = new Set(lists.nameCues);
  const sex = new Set(lists.sexWords);
  const worn = new Set(lists.wornNouns);
  const quantity = new Set(lists.quantityCues);
  const contextual = new Set(lists.contextual);
  const nameLike = new Set(lists.nameLike);
  const surnameLike = new Set(lists.surnameLike ?? []);
  /** Given names (the matcher's nickname groups): a capitalised term after one, itself written as a name, is a surname ("Chris Bishop"). */
  // Not those that are ordinary words too ("Rich Indian took…", "Frank Muslim man…").
  const givenNames = new Set(
    Object.entries(nicknameData.groups)
      .flatMap(([name, variants]) => [name, ...variants])
      .filter((n) => n.length >= 3 && !ORDINARY_WORD_NAMES.has(n)),
  );
  const originOnly = new Set(lists.originOnly);
  const thingHeads = new Set(lists.thingHeads);
  const misspelt = slipsOf(person, lists.notSlips ?? []);
  const isPersonNoun = (w: string) => person.has(w) || (w.endsWith('s') && person.has(w.slice(0, -1)));
  /** A person noun as written: a capitalised slip is a name ("Christina", "Parton"), not a typo. */
  const isPerson = (t: Token): boolean => isPersonNoun(t.lower) || (misspelt.has(t.lower) && !/^\p{Lu}/u.test(t.text));
  const coloured = new Set(lists.colouredThings ?? []);

  return (text, start, end, term, category) => {
    // The commonest sentences of a report need no parse: a colour right before a garment or a
    // vehicle is that thing's colour (as the rules below would find), and "walked straight to the
    // exit" is a way of going.
    NEXT_WORD.lastIndex = end;
    // After a linking word ("is", "he's", "openly") or "as", the term is said of someone: the full rules decide.
    const said = () => twoWordsBefore(text, start).some((w) => (linking.has(w) && !FIRST_PERSON.test(w)) || w === 'as');
    const after = (COLOURS.has(term) || term === 'straight') && NEXT_WORD.exec(text);
    if (after) {
      const word = after[1]!.toLowerCase();
      const phrase = text.slice(start, end + after[0].length);
      // After "is" too, "straight to the bank" and "straight after close" are ways of going ("she's straight to the bank after close").
      const going = term === 'straight' && (said() ? STRAIGHT_AFTER_BE.has(word) && !/^\s*to\s+(?:be|say|tell)\b/iu.test(text.slice(end + after[0].length - word.length - 1)) : STRAIGHT_WAY.has(word));
      // "brown crew cut": a haircut's colour ("crew" alone is people).
      const haircut = word === 'crew' && /^\s*cut\b(?!\s+(?:the|a|an|his|her|their|through|open|off|into)\b)/iu.test(text.slice(end + after[0].length));
      if (going || (term !== 'straight' && !said() && (coloured.has(word) || haircut))) return { person: false, phrase, rule: going ? 'a way of going' : 'names a thing' };
    }
    // Hits of one sentence share its bounds and parse (a text that repeats a term hundreds of times is read once).
    const { from, to, sentence, tokens } = parsedAround(text, start, end);
    const hitStart = start - from;
    const hitEnd = end - from;
    // The first token ending after the hit's start (binary search: a long sentence may hold many hits).
    let lo = 0;
    let hi = tokens.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.end > hitStart) hi = mid;
      else lo = mid + 1;
    }
    const i = lo;
    let j = i;
    while (j + 1 < tokens.length && tokens[j + 1]!.start < hitEnd) j++;
    // A hyphenated suffix belongs to the hit ("muslim-looking" reads as "muslim looking").
    const phrase = (from: number, b: number) => {
      let a = Math.max(0, from);
      while (a < b && tokens[a]!.pos === 'DET') a++; // "a black man" says no more than "black man"
      return sentence.slice(tokens[a]!.start, tokens[Math.min(tokens.length - 1, b)]!.end);
    };
    const decide = (isPerson: boolean, rule: string, a = i, b = j): Judgement => ({ person: isPerson, phrase: phrase(a, b), rule });
    const colour = COLOURS.has(term);
    /** Stock in view: a count ("3 x"), a taking before the term, or the trade's words (a box, a display, a price). Not what someone wore, said or shouted. */
    const facts = sentenceFacts(tokens, quantity);
    const stockInView = (upTo = tokens.length) => facts.stockBefore[upTo] === 1 || facts.theftBefore[i] === 1;

    // Before the hit: skip what may stand between a cue and the term.
    const before: number[] = [];
    for (let k = i - 1; k >= 0 && before.length < 6; k--) {
      const t = tokens[k]!;
      if (t.punct) break;
      before.push(k);
      if (!(SKIPPABLE_POS.has(t.pos) || SKIPPABLE_WORDS.has(t.lower))) break;
    }
    const nearest = before.map((k) => tokens[k]!);
    if (nearest.some((t) => pretend.has(t.lower)) || tokens.slice(Math.max(0, i - 4), i).some((t) => pretend.has(t.lower))) return decide(false, 'pretended');
    const prev = tokens[i - 1];
    if (prev && names.has(prev.lower.replace(/\.$/, ''))) return decide(false, 'name', i - 1);
    const hit = tokens[i]!;
    const next = tokens[j + 1];
    // A capitalised term followed by a capitalised name is a name ("Christian Smith", "Tom Black").
    // Not an acronym: "UFCW Local 1006A" is a union's local, not someone's name.
    // Nor a role before someone's name: "Shop steward Dave", "Mandate rep Niamh".
    if (/^\p{Lu}/u.test(hit.text) && !/^\p{Lu}{2,}$/u.test(hit.text) && next && /^\p{Lu}\p{Ll}/u.test(next.text) && next.pos === 'PROPN' && !isPerson(next) && !descriptor.has(next.lower) && !words.has(next.lower) && !MEMBER_ROLES.test(tokens[j]!.lower))
      return decide(false, 'name', i, j + 1);
    // A firm's name: "Brown Brothers moscato", "Warner Bros".
    if (/^\p{Lu}/u.test(hit.text) && next && /^(?:Brothers|Bros|Sisters)$/.test(next.text)) return decide(false, 'name', i, j + 1);
    // A capitalised term after a capitalised given name is a surname ("Grace Bishop from the florist").
    // Only a term that is a surname too ("Chris Bishop"): "Dan Muslim, wore a cap" is a description after a name.
    const givenBefore =
      surnameLike.has(term) && !!prev && givenNames.has(prev.lower) && prev.pos === 'PROPN' && !(next && (isPerson(next) || descriptor.has(next.lower) || /^[-\u2010-\u2015]/.test(next.text)));
    if (/^\p{Lu}/u.test(hit.text) && prev && /^\p{Lu}\p{Ll}/u.test(prev.text) && (nameLike.has(prev.lower) || givenBefore) && !words.has(prev.lower))
      return decide(false, 'name', i - 1, j);
    // "Hi, I'm Christian from Countdown": someone introducing themselves by a name that is a term too.
    const introduced = /^(?:hi|hello|hey|this)$/.test(tokens[i - 2]?.lower ?? '') || (!!tokens[i - 2]?.punct && /^(?:hi|hello|hey)$/.test(tokens[i - 3]?.lower ?? '')) || /^(?:from|at|here)$/.test(next?.lower ?? '') || (!!next && /^\p{Lu}\p{Ll}/u.test(next.text));
    if (/^i['\u2019]m$/.test(prev?.lower ?? '') && nameLike.has(term) && /^\p{Lu}/u.test(hit.text) && introduced) return decide(false, 'name', i - 1, j);
    // A bare singular term that begins a sentence and does something is someone's name ("christian was on lock up").
    const startsSentence = i === 0 || (i === 1 && tokens[0]!.punct) || (prev?.text === ':' && i <= 3);
    if (startsSentence && nameLike.has(term) && i === j && hit.lower === term && next && (next.pos === 'VERB' || next.pos === 'AUX' || next.lower === "'s" || next.text === '(' || next.pos === 'ADP' || next.pos === 'CCONJ'))
      return decide(false, 'name', i, j + 1);
    // "English: customer didn't understand the sign": a label.
    if (i === 0 && next?.text === ':' && category === 'national-origin') return decide(false, 'names a thing', i, j + 1);
    // "Students' union hoodie", "credit union card": organisations that are not trade unions.
    const before1 = prev && /^['\u2019]$/.test(prev.text) ? tokens[i - 2] : prev;
    if (category === 'union' && /^(?:students?|students'|credit|european|rugby|soviet|postal)$/.test(before1?.lower ?? '')) return decide(false, 'names a thing', i - 1, j);
    // "FIRST Union asked for a copy of the report": a union by its name, acting as an organisation.
    if (category === 'union' && /^\p{Lu}/u.test(hit.text) && next?.pos === 'VERB' && /(?:ed|s)$/.test(next.lower)) return decide(false, 'names a thing', i, j + 1);
    // "CFMEU branded hi-vis vests", "the Unifor 444 hall": a union's name on stock or a place.
    if (category === 'union' && (MADE_AS.test(next?.lower ?? '') || (prev?.lower === 'the' && next?.pos === 'NUM' && (thingHeads.has(tokens[j + 2]?.lower ?? '') || /^(?:hall|office|building)$/.test(tokens[j + 2]?.lower ?? '')))))
      return decide(false, 'names a thing', i, j + 1);
    // "dumped the trolley in the dyke": a ditch.
    if (term === 'dyke' && prev?.lower === 'the' && /^(?:in|into|across|along|down)$/.test(tokens[i - 2]?.lower ?? '')) return decide(false, 'names a thing', i - 2, j);
    // "not a service dog": a dog, said to be none.
    if (/ dog$/.test(term) && prev?.lower === 'a' && tokens[i - 2]?.lower === 'not') return decide(false, 'denied', i - 2, j);
    // "two hijabs off the rack": a count of what is worn one at a time is stock, with stock in view and no one ("two males, two turbans").
    if (
      RELIGIOUS_WEAR.test(term) && hit.lower !== term && prev && (((prev.pos === 'NUM' || /^\d+$/.test(prev.text)) && !/^(?:1|one)$/.test(prev.lower)) || (prev.lower === 'of' && quantity.has(tokens[i - 2]?.lower ?? ''))) &&
      (stockInView() || tokens.slice(j + 1).some((t) => quantity.has(t.lower))) && !tokens.slice(0, i).some((t) => isPerson(t) || /^(?:he|she|they|them)$/.test(t.lower))
    )
      return decide(false, 'names a thing', i - 1, j);
    // "Pharmacist on duty: Christian.": a name after a label.
    if (prev?.text === ':' && nameLike.has(term) && i === j && /^\p{Lu}\p{Ll}/u.test(hit.text) && (!next || next.punct)) return decide(false, 'name', i, j);
    // "Called the sparky, Christian, he fixed the lights": a name set beside the person it names.
    if (prev?.text === ',' && tokens[i - 2] && isPerson(tokens[i - 2]!) && nameLike.has(term) && i === j && /^\p{Lu}\p{Ll}/u.test(hit.text) && (!next || next.punct) && !sex.has(tokens[i - 2]!.lower)) return decide(false, 'name', i - 2, j);
    // "from mass grab-and-go raids", "calculated from mass on the label": mass is not the service unless the words end there or say when.
    if (/^(?:from|after) mass$/.test(term) && next && !next.punct && next.pos !== 'CCONJ' && !/^(?:this|last|on|every|yesterday|today|tonight|at|so|then|with|like|as)$/.test(next.lower)) return decide(false, 'names a thing', i, j + 1);
    if (/^(?:from|after) mass$/.test(term) && next?.lower === 'on' && !/^(?:sunday|saturday|sundays|saturdays)$/.test(tokens[j + 2]?.lower ?? '')) return decide(false, 'names a thing', i, j + 1);
    // "Firefighter came in from the bushfire, ash on his forehead": ash from a fire.
    if (/^ash /.test(term) && /\b(?:fire|fires|bushfire|bushfires|smoke|smoky|soot|burn|burnt|burning|bbq|barbecue|ashtray|cigarette|ciggie|smoking|firefighter|fireman|volcano)\b/iu.test(sentence)) return decide(false, 'names a thing', i, j);
    // "Knee replacement supports", "knee surgery scars gel": a product for it.
    if (category === 'health' && /(?:surgery|replacement)$/.test(term) && next && HEALTH_PRODUCTS.test(next.lower)) return decide(false, 'names a thing', i, j + 1);
    // A place describes someone only as where they are from: "he's from Tonga", "sounded like he was from Lagos".
    if (originOnly.has(term)) {
      // "from the Philippines" as "from Tonga".
      const k = prev?.lower === 'from' ? i - 1 : prev?.lower === 'the' && tokens[i - 2]?.lower === 'from' ? i - 2 : -1;
      // "came over from Ukraine", "been here from Guatemala": a country after "over" or "here" is where someone moved from.
      const over = k > 1 && /^(?:over|here|out)$/.test(tokens[k - 1]!.lower) ? 1 : 0;
      const before = k > 0 ? tokens[k - 1 - over]! : undefined;
      // "Priya, who came over from Sri Lanka": "who" stands for a person.
      // "an illegal from Guatemala", "a refugee from Syria": someone named by how they came.
      const someone = (t: Token | undefined) => !!t && (/^(he|she|they|hes|shes|who|originally|illegal|illegals|refugee|refugees|migrant|migrants|immigrant|immigrants)$/.test(t.lower) || isPerson(t) || linking.has(t.lower));
      // "is/was/he's from", or "came/comes from" with someone as its subject (not "the stock came from China").
      // "he just came over from": an adverb between someone and the verb.
      let subjectAt = k - 2 - over;
      // "he just came over", "who had recently immigrated": adverbs and an auxiliary between someone and the verb.
      while (subjectAt > 0 && subjectAt > k - 5 - over && /^(?:just|only|recently|originally|had|has|have|'d|\u2019d)$/.test(tokens[subjectAt]?.lower ?? '')) subjectAt--;
      // "been here from", "come/coming from": only with a person as the subject ("he's been here from Peru", not "the pallet has been here from Vietnam").
      // "been out from Lebanon a year" (come out from: migrated, in Australia and New Zealand) likewise.
      const strict = (over === 1 && /^(?:here|out)$/.test(tokens[k - 1]!.lower)) || /^(?:come|coming)$/.test(before?.lower ?? '');
      let at = subjectAt;
      while (strict && at > 0 && /^(?:is|was|are|were|be|been|has|have|had|'s|'ve|'d|\u2019s|only|just)$/.test(tokens[at]?.lower ?? '')) at--;
      const aPerson = (t: Token | undefined) => !!t && (/^(he|she|hes|shes|he's|she's|he'd|she'd|who|i|i'm|i've)$/.test(t.lower) || isPerson(t));
      // "came over from Italy for the expo", "coming from Japan next week": a trip.
      // Not "came over from the Philippines on a work visa": a visa is how someone settled.
      const onVisa = tokens[j + 1]?.lower === 'on' && tokens.slice(j + 2, j + 6).some((t) => /^(?:visas?|permits?)$/.test(t.lower));
      const trip = /^(?:come|coming|came|comes)$/.test(before?.lower ?? '') && /^(?:for|next|to|on)$/.test(tokens[j + 1]?.lower ?? '') && !onVisa;
      // "Recently arrived from Somalia": a description that opens with someone's arrival, its subject the person described.
      // Not stock: "Arrived from Italy on the morning pallet" (a person in view, nothing delivered).
      const arrivedOpening =
        /^(?:arrived|fled|emigrated|immigrated|migrated)$/.test(before?.lower ?? '') &&
        tokens.slice(0, k - 1).every((t) => t.pos === 'ADV') &&
        tokens.some((t) => /^(?:he|she|his|her|him|they|them|their)$/.test(t.lower) || isPerson(t)) &&
        !tokens.some((t) => DELIVERED.test(t.lower));
      const person =
        !!before &&
        !trip &&
        (arrivedOpening ||
          // "Came over from the Philippines on a work visa": a description that opens with how its person came (not a delivery).
          (subjectAt < 0 && k - 1 - over === 0 && /^(?:came|come|comes)$/.test(before.lower) && !tokens.some((t) => DELIVERED.test(t.lower))) ||
          (strict ? aPerson(tokens[at]) : linking.has(before.lower) || someone(before) || (/^(comes|came|originally|hails|immigrated|migrated|moved|arrived|fled)$/.test(before.lower) && someone(tokens[subjectAt]))));
      if (person) return decide(true, 'where someone is from', k - 1 - over, j);
      // "he trained as a nurse back in the Philippines": "back in" a country after someone is where they come from.
      const inAt = prev?.lower === 'in' ? i - 1 : prev?.lower === 'the' && tokens[i - 2]?.lower === 'in' ? i - 2 : -1;
      // The person is what is "back in" it: no thing between them ("the order got stuck back in India"), nor a thing sent back.
      let who = inAt - 2;
      while (who >= 0 && !(aPerson(tokens[who]) || /^(?:they|his|her|their)$/.test(tokens[who]!.lower))) who--;
      // A role after "as" is the person's ("worked as a pharmacist back in Nigeria").
      const thingBetween = who >= 0 && tokens.slice(who + 1, inAt - 1).some((t, n, all) => (t.pos === 'NOUN' || t.pos === 'PROPN') && !isPerson(t) && !(all[n - 1]?.lower === 'as' || (/^(?:a|an)$/.test(all[n - 1]?.lower ?? '') && all[n - 2]?.lower === 'as')));
      if (inAt > 0 && tokens[inAt - 1]!.lower === 'back' && who >= 0 && !thingBetween && !SENT_BACK.test(tokens[inAt - 2]?.lower ?? ''))
        return decide(true, 'where someone is from', inAt - 1, j);
      return decide(false, 'a place', i, j);
    }
    const health = category === 'health' || category === 'disability';
    /** A person described within tokens [a, b): their sex, a person noun or an age. */
    const personBetween = (a: number, b: number) => tokens.slice(Math.max(0, a), Math.min(tokens.length, b)).some((t) => t !== hit && (sex.has(t.lower) || isPerson(t) || AGE.test(t.lower)));
    // "converted to Islam last year": someone's faith.
    if (category === 'religion' && prev?.lower === 'to' && /^convert(?:ed|ing|s)?$/.test(tokens[i - 2]?.lower ?? '') && !(next && (next.pos === 'NOUN' || next.pos === 'PROPN')))
      return decide(true, 'a faith someone has', i - 2, j);
    // "wears a headscarf for religious reasons": why someone wears or does something (not "closed for religious reasons").
    if (category === 'religion' && prev?.lower === 'for' && /^(?:reasons|grounds)$/.test(next?.lower ?? '') && tokens.slice(Math.max(0, i - 9), i - 1).some((t) => WEARING.has(t.lower) || /^(?:wears|covers|covering|fasting|fasts|keeps|kept)$/.test(t.lower)))
      return decide(true, 'a faith someone has', i - 1, j + 1);
    // "she's just finished chemo", "started dialysis in March": someone's treatment (not "the chemo display").
    const cueAt = prev?.pos === 'DET' ? i - 2 : i - 1;
    let doer = cueAt - 1;
    while (doer >= 0 && /^(?:just|only|recently|has|had|have|'s|\u2019s|'d|only)$/.test(tokens[doer]!.lower)) doer--;
    const aPersonDoes = doer < 0 || /^(?:he|she|they|i|who|hes|shes|he's|she's)$/.test(tokens[doer]!.lower) || isPerson(tokens[doer]!);
    if (
      health &&
      term !== 'rehab' &&
      AFTER_ILLNESS.test(term) &&
      /^(?:finished|finishing|started|starting|completed|completing|doing|between)$/.test(tokens[cueAt]?.lower ?? '') &&
      aPersonDoes &&
      !(next && (next.pos === 'NOUN' || next.pos === 'PROPN' || /^(?:ward|unit|centre|center|collection|clinic|room|fund|appeal|drive|display)$/.test(next.lower))) &&
      // A nurse's work: "finished dialysis on ward 3", "started dialysis for a patient".
      !tokens.slice(j + 1, j + 5).some((t) => /^(?:patients?|ward|clients?|residents?)$/.test(t.lower))
    )
      return decide(true, 'a condition someone has', cueAt, j);
    // "a limp after kicking the door", "on crutches ... from it": hurt in the incident itself, a fact of the report.
    if (health && INJURY_SIGNS.test(term)) {
      const rest = tokens.slice(j + 1, j + 9);
      const dated = (n: number) => /^(?:he|she|they|in|last|back|years?|months?|\d+)$/.test(rest[n]?.lower ?? '');
      const cause = rest.findIndex(
        (t, n) =>
          (t.lower === 'after' && /ing$/.test(rest[n + 1]?.lower ?? '') && !/^(?:having|being|getting)$/.test(rest[n + 1]!.lower)) ||
          // "limping after he jump the fence and fall": a clause of what he did in the incident.
          (t.lower === 'after' && /^(?:he|she|they)$/.test(rest[n + 1]?.lower ?? '') && /^(?:jump|jumped|fell|fall|ran|run|kicked|kick|hit|climbed|climb|tripped|trip|slipped|slip)$/.test(rest[n + 2]?.lower ?? '')) ||
          (t.lower === 'from' && (rest[n + 1]?.lower === 'it' || (/^(?:the|this|today's)$/.test(rest[n + 1]?.lower ?? '') && INCIDENT.test(rest[n + 2]?.lower ?? '') && !dated(n + 3)))),
      );
      if (cause >= 0) return decide(false, 'hurt in the incident', i, j + 1 + cause);
    }
    // "on the methadone programme", "comes in for his suboxone": a condition or treatment someone has.
    const possessive = nearest.find((t) => /^(his|her|their|hes|shes)$/.test(t.lower));
    if (health && possessive) return decide(true, 'a condition someone has', tokens.indexOf(possessive), j);
    // The object of a theft is stock: "lifted a walking frame", "took two insulin pens" (not "took his insulin", above).
    // A list of things taken may run on ("stole a back brace and an ostomy bag"); not a person's ("the deaf woman's purse").
    let k = j + 1;
    while (tokens[k] && tokens[k]!.pos === 'ADJ' && k < j + 4) k++;
    const ofSomeone = !!tokens[k] && (isPerson(tokens[k]!) || /^['\u2019]s$/.test(tokens[k]!.lower));
    // Religious and political items too, when counted ("took 3 hijabs from the rack", "stole two Labour signs").
    let c = i - 1;
    while (c > 0 && tokens[c]!.pos === 'ADJ') c--;
    const counted = !!tokens[c] && (tokens[c]!.pos === 'NUM' || /^\d+$/.test(tokens[c]!.text));
    // Or one, right after the taking ("took a hijab from the rack"): the thing taken.
    const taken = THEFT.has(tokens[c]?.pos === 'DET' ? tokens[c - 1]?.lower ?? '' : tokens[c]?.lower ?? '');
    const item = !health && (category === 'religion' || category === 'political') && (counted || taken);
    if ((health || item) && i > 0 && !ofSomeone && tokens.slice(Math.max(0, i - 8), i).some((t, n, all) => THEFT.has(t.lower) && all.slice(n + 1).every((u) => u.pos === 'DET' || u.pos === 'NUM' || u.pos === 'ADJ' || u.pos === 'ADV' || u.pos === 'NOUN' || u.pos === 'CCONJ' || (u.text === ',' && health) || /^\d+$/.test(u.text))))
      return decide(false, 'counted: stock');
    // Or taken, said after it: "several hijabs and scarves taken from the rack", "a walking frame gone from the aisle".
    // Only as the subject of its clause, with no person near and no wearing before it ("she wore a hijab taken from…").
    if (health || category === 'religion' || category === 'political') {
      const gone = tokens.slice(j + 1, j + 8).findIndex((t, n, all) => TAKEN_FROM.test(t.lower) && /^(?:from|off|out)$/.test(all[n + 1]?.lower ?? '') && all.slice(0, n).every((u) => !u.punct || u.text === ','));
      // A list of stock may come first ("incontinence pads and a walking frame taken from…").
      const opens = tokens.slice(0, i).every((t) => /^(?:DET|NUM|ADJ|NOUN|PROPN|CCONJ)$/.test(t.pos) || t.text === ',' || /^\d+$/.test(t.text) || /^(?:several|some|multiple|few)$/.test(t.lower));
      if (gone >= 0 && opens && !personBetween(0, j + 2 + gone) && !tokens.slice(0, j + 1 + gone).some((t) => OWNERS.has(t.lower))) return decide(false, 'counted: stock', i, j + 1 + gone);
    }
    // "quetiapine and lithium in her name on the system": medicines dispensed to someone.
    // Not an order placed in someone's name ("Clozaril stock in her name on the wholesaler portal").
    if (health && !ORDERED.test(sentence) && tokens.slice(j + 1, j + 8).some((t, n, all) => t.lower === 'in' && OWNERS.has(all[n + 1]?.lower ?? '') && all[n + 2]?.lower === 'name'))
      return decide(true, 'a condition someone has', i, j);
    // "gets a weekly blister pack of olanzapine": a pharmacy packs a person's own medicines so (stolen packs are stock, above).
    // Someone's own: "gets", "his", "weekly" before it (a blister pack found, ordered or recalled is stock).
    const packAt = tokens.slice(Math.max(0, i - 4), i - 1).findIndex((t) => /^(?:blister|webster|dosette|dose)$/.test(t.lower));
    if (health && prev?.lower === 'of' && packAt >= 0 && facts.theftBefore[i] !== 1 && !ORDERED.test(sentence) && tokens.slice(Math.max(0, i - 8), Math.max(0, i - 4) + packAt).some((t) => /^(?:gets|get|got|collects|collected|picks|his|her|their|weekly|daily|fortnightly|monthly)$/.test(t.lower)))
      return decide(true, 'a condition someone has', i - 2, j);
    // "her repeat prescription is for sertraline": a medicine someone takes.
    // Someone's own ("her", "my"): a forged script for a medicine says nothing of anyone's health.
    if (health && prev?.lower === 'for' && tokens.slice(Math.max(0, i - 8), i - 1).some((t, n, all) => TREATMENTS.has(t.lower) && /^(?:his|her|their|my)$/.test((all[n - 1]?.lower === 'repeat' ? all[n - 2] : all[n - 1])?.lower ?? '')))
      return decide(true, 'a condition someone has', i - 1, j);
    // "I've got bad anxiety", "she's got MS": "got" after "have" is having (alone, "got insulin" is fetching it).
    // Only a person's having, of the term itself: not "we've got insulin pens", "the store's got a wheelchair", "I've got the methadone doses".
    const having = (t: Token) => {
      const g = tokens.indexOf(t);
      const have = tokens[g - 1]?.lower ?? '';
      const who = /^(?:he's|she's|hes|shes|i've|ive)$/.test(have) ? have : HAVE.test(have) ? tokens[g - 2]?.lower ?? '' : '';
      const subject = /^(?:he|she|they|who|i|he's|she's|hes|shes|i've|ive)$/.test(who) || (!!tokens[g - 2] && isPerson(tokens[g - 2]!) && HAVE.test(have));
      const between = tokens.slice(g + 1, i).every((u) => u.pos === 'ADJ' || u.pos === 'ADV' || /^(?:a|an)$/.test(u.lower));
      const heads = !next || (next.punct ? !HYPHEN.test(next.text) : next.pos !== 'NOUN' && next.pos !== 'PROPN');
      // An aid on layby or on order is stock ("he's got a mobility scooter on layby"): only a condition is had this way.
      return subject && between && heads && !AIDS.test(term);
    };
    const cue = nearest.find((t) => condition.has(t.lower) || (t.lower === 'got' && having(t)));
    // "he had sex reassignment surgery last year": a surgery someone had, like a condition.
    const hadSurgery = category === 'gender-identity' && / surgery$/.test(term);
    // A device the shop has on special is stock ("Pharmacy had the Freestyle Libre sensor on special").
    const deviceStock = health && DEVICES.test(tokens[j + 1]?.lower.replace(/s$/, '') ?? '') && stockInView();
    if ((health || hadSurgery) && cue && cue.lower !== 'in' && cue.lower !== 'with' && cue.lower !== 'from' && !deviceStock) return decide(true, 'a condition someone has', tokens.indexOf(cue), j);
    // "third day back after chemo", "weeks after her stroke": someone's return from a treatment or an illness.
    // Only after a treatment or an illness (not "just after insulin needles": wanting them), with no noun after it.
    const afterAt = prev?.lower === 'after' ? i - 1 : /^(?:a|an|her|his|their)$/.test(prev?.lower ?? '') && tokens[i - 2]?.lower === 'after' ? i - 2 : -1;
    const backAt = afterAt > 0 ? tokens.slice(Math.max(0, afterAt - 4), afterAt).findIndex((t) => RETURNED.test(t.lower)) : -1;
    if (health && backAt >= 0 && AFTER_ILLNESS.test(term) && (!next || (next.punct ? !HYPHEN.test(next.text) : next.pos !== 'NOUN' && next.pos !== 'PROPN' && next.lower !== 'of')))
      return decide(true, 'a condition someone has', Math.max(0, afterAt - 4) + backAt, j);
    // "her transition to the night shift": a change of job or of system, not of gender.
    const timeAfter = tokens.slice(j + 2, j + 5).some((t) => /^(?:years?|months?|while|ago|few|couple)$/.test(t.lower));
    if (/transition(?:ed|ing|s)?$/.test(term) && (/^(?:to|into|from|between|onto|over)$/.test(next?.lower ?? '') || (!timeAfter && (/^(?:the|a|an|our|their|his|her|its|well|smoothly|quickly|easily|nicely|fine)$/.test(next?.lower ?? '') || next?.pos === 'DET')))) return decide(false, 'names a thing', i, j + 1);
    // "expecting a delivery", "expecting the rep", "expecting to close early": what someone waits for.
    // Not "expecting another", "expecting twins", "expecting a baby", "expecting her second".
    const child = /^(?:another|twins|triplets)$/.test(next?.lower ?? '') || /^(?:baby|bub|child|kid|second|third|fourth|first|boy|girl)$/.test(tokens[j + 2]?.lower ?? '');
    if (term === 'expecting' && next && !child && (next.pos === 'DET' || next.pos === 'NUM' || next.pos === 'PRON' || next.lower === 'to' || /^\d/.test(next.text))) return decide(false, 'a plan', i, j + 1);
    // "Not pregnant - she had a towel under her dress": a clause that opens by denying it says nothing of anyone.
    if (prev?.lower === 'not' && (i === 1 || tokens[i - 2]!.punct) && (!next || next.punct)) return decide(false, 'denied', i - 1, j);
    // "past the Catholic primary", "the Anglican college": a school of that faith.
    // Not with a person there: "a Catholic college student", "Muslim high school girl".
    const schoolEnd = /^(?:high|prep)$/.test(next?.lower ?? '') && tokens[j + 2]?.lower === 'school' ? j + 2 : j + 1;
    const afterSchool = tokens[schoolEnd + 1];
    if (category === 'religion' && next && (SCHOOL.test(next.lower) || schoolEnd === j + 2) && !(afterSchool && isPerson(afterSchool))) return decide(false, 'names a thing', i, schoolEnd);

    // A term that ends in a person ("black guy", "Asian lady") describes them, whatever a tagger makes of the words after ("black guy tall take 2 red bull").
    // A possessive: "the Sikh's car" is someone's.
    if (next && (next.lower === "'s" || next.lower === '\u2019s')) return decide(true, 'describes someone', i, j + 1);
    // "Took the store's own wheelchair": the shop's.
    // Not before a person: "the store's deaf employee", "the shop's Muslim manager".
    const shopsOwn = !(next && (isPerson(next) || descriptor.has(next.lower) || MEMBER_ROLES.test(next.lower) || next.pos === 'NOUN' || next.pos === 'PROPN' || next.pos === 'ADJ'));
    if (shopsOwn && prev?.lower === 'own' && /^['\u2019]s$/.test(tokens[i - 2]?.lower ?? '') && /^(?:store|shop|pharmacy|centre|center|mall|company)$/.test(tokens[i - 3]?.lower ?? '')) return decide(false, 'names a thing', i - 3, j);
    // "the store's wheelchair" likewise.
    if (shopsOwn && /^['\u2019]s$/.test(prev?.lower ?? '') && /^(?:store|shop|pharmacy|centre|center|mall|company)$/.test(tokens[i - 2]?.lower ?? '')) return decide(false, 'names a thing', i - 2, j);

    // Said of a person by "be" ("dude was def gay super feminine voice"): whatever nouns follow describe them.
    // Not before a named occasion: "I was Labour Day rostered on".
    const occasionNext = !!next && OCCASIONS.has(next.lower) && /^\p{Lu}/u.test(next.text);
    if (!colour && !occasionNext) {
      // Back over adverbs and hedges between "be" and the term ("was def", "is prob"), not an article:
      // "he is a Catholic school teacher" works at a school.
      let k: number | undefined = i - 1;
      // "he is half samoan half palagi": "half" too.
      while (k >= 0 && k > i - 4 && !COPULAS.has(tokens[k]!.lower) && !tokens[k]!.punct && tokens[k]!.pos !== 'DET' && (tokens[k]!.pos === 'ADV' || linking.has(tokens[k]!.lower) || tokens[k]!.lower === 'half')) k--;
      if (k < 0 || !COPULAS.has(tokens[k]?.lower ?? '')) k = undefined;
      const subject = k === undefined ? undefined : tokens[k - 1];
      const possessive = k !== undefined && /^['\u2019]s$/.test(tokens[k]!.lower) && !/^(he|she)$/.test(subject?.lower ?? '');
      const bare = k !== undefined && /^(hes|shes)$/.test(tokens[k]!.lower);
      // A gender identity is only ever a person's: "Sam on the tech bench is trans".
      // Only with someone named or a person earlier in the clause and the term alone ("The delivery was trans Tasman", "the fat is trans" are things).
      const anyone =
        category === 'gender-identity' &&
        !!subject &&
        /^(?:is|was|'s|\u2019s)$/.test(tokens[k ?? -1]?.lower ?? '') &&
        i === j &&
        (!next || (next.punct && !HYPHEN.test(next.text)) || next.pos === 'CCONJ' || next.pos === 'ADV') &&
        ((first) => !!first && (isPerson(first) || (first.pos === 'PROPN' && /^\p{Lu}\p{Ll}/u.test(first.text)) || /^(?:they|them|he|she)$/.test(first.lower)))(
          tokens.slice(0, k).find((t) => t.pos === 'NOUN' || t.pos === 'PROPN' || t.pos === 'PRON'),
        );
      if (k !== undefined && !possessive && (bare || anyone || (subject && (PERSON_PRONOUNS.has(subject.lower) || isPerson(subject))))) return decide(true, 'attributed', k, j);
    }
    // "she pregnant", "he gay he tell me": "be" left out, as second-language and hurried writers do (a colour only alone: "he black, tall").
    // Not "he black and white hoodie" (what he wore, "be" and "wore" alike left out).
    const endsHere = !next || (next.punct && !HYPHEN.test(next.text));
    // After a person noun too, the order of many first languages: "offender queer she say", "girl pregnent big belly".
    // Not a name ("manager christian he late"), nor a verb with its object ("man polish it", "lady polish her nails", "kid chinese small lantern").
    const personBefore = category !== 'union' && !!prev && isPerson(prev) && prev.pos !== 'PROPN' && !/^\p{Lu}/u.test(hit.text) && i === j && !nameLike.has(term);
    const buildAlone = !!next && BUILD.test(next.lower) && !(tokens[j + 2] && (tokens[j + 2]!.pos === 'NOUN' || tokens[j + 2]!.pos === 'PROPN') && !BUILD.test(tokens[j + 2]!.lower) && !BODY_PARTS.has(tokens[j + 2]!.lower) && !/^(?:belly|tummy|bump)$/.test(tokens[j + 2]!.lower));
    const subjectAfter = !!next && /^(?:he|she|they|i)$/.test(next.lower);
    if (personBefore && !colour && (!next || next.punct || buildAlone || subjectAfter || HEDGE.has(next.lower) || HEDGE.has(`${next.lower} ${tokens[j + 2]?.lower}`))) return decide(true, 'attributed', i - 1, j);
    // He or she, then the term with "be" left out; hedges between ("he deffo jewish"). Not a verb with its object ("he polish the floor",
    // "she depress the lever"), nor a name ("he trans am drive").
    let pronounAt = i - 1;
    while (pronounAt > i - 3 && pronounAt >= 0 && HEDGE.has(tokens[pronounAt]!.lower)) pronounAt--;
    const objectAfter = !!next && /^(?:the|a|an|his|her|its|it|them|their|my|this|that|am)$/.test(next.lower);
    const colourAlone = endsHere || buildAlone;
    if (/^(?:he|she)$/.test(tokens[pronounAt]?.lower ?? '') && (hit.pos !== 'VERB' || i === j) && !objectAfter && (colour ? colourAlone : !(next && (next.pos === 'NOUN' || next.pos === 'PROPN'))))
      return decide(true, 'attributed', pronounAt, j);
    // Not before a noun of its own: "the Jehovah's Witness kingdom hall", "Torres Strait Islander flag stickers".
    // A build word a tagger reads as a noun ("black guy skinny take 2") is still the person's.
    // So is their hair ("white boy ginger hair").
    // And what they wear ("black lady hoodie grey").
    const thingAfter = !!next && (next.pos === 'NOUN' || next.pos === 'PROPN' || thingHeads.has(next.lower)) && !BUILD.test(next.lower) && !(worn.has(next.lower) && !SHOWN_BY_DRESS.has(category) && !(tokens[j + 2] && (tokens[j + 2]!.pos === 'NOUN' || tokens[j + 2]!.pos === 'PROPN'))) && !/^(?:hair|beard|moustache|mustache|eyes)$/.test(tokens[j + 2]?.lower ?? '');
    // Not in a story, a book or the news about one ("News story about a sex worker being attacked").
    const told = tokens.slice(Math.max(0, i - 5), i).some((t) => /^(?:about|story|stories|article|news|documentary|book|film|movie|show|podcast|report)$/.test(t.lower));
    if (j > i && isPerson(tokens[j]!) && !thingAfter && !told) return decide(true, 'describes a person', i, j);
    // After the hit: the run of nouns it modifies, and that run's head.
    // The head is its last noun: "Sikh security guard" is a guard, "Jewish community centre car park" a car park,
    // "Hispanic heritage month display" a display.
    const run: number[] = [];
    // A hyphen joins the next word to the term's phrase ("muslim-looking", "trans-Tasman").
    // Written without spaces only: "Anaphylaxis – peanuts" is two phrases.
    const joined = next?.text === '-' && tokens[j + 2] && !tokens[j + 2]!.punct && next.start === hit.end && tokens[j + 2]!.start === next.end ? 1 : 0;
    // "Amish-made quilt", "Thai-style curry": where or how a thing was made.
    if (joined && MADE_AS.test(tokens[j + 2]!.lower)) return decide(false, 'names a thing', i, j + 2);
    for (let k = j + 1 + joined; k < tokens.length && k <= j + MAX_PHRASE; k++) {
      const t = tokens[k]!;
      // A hyphen inside a word ("t-shirt", "how-to-vote") does not end the run.
      if (t.text === '-' && tokens[k - 1]!.end === t.start && tokens[k + 1]?.start === t.end && !tokens[k + 1]!.punct) continue;
      // Nor the closing quote of a name before its thing's noun ('"Trump 2024" novelty hats').
      if (k === j + 1 && /^["\u201d]$/.test(t.text) && (tokens[k + 1]?.pos === 'NOUN' || tokens[k + 1]?.pos === 'ADJ') && !isPerson(tokens[k + 1]!) && stockInView()) continue;
      // "shop steward Dave", "SDA delegate Mel": a name after a role ends the phrase.
      if (t.pos === 'PROPN' && /^\p{Lu}\p{Ll}/u.test(t.text) && MEMBER_ROLES.test(tokens[k - 1]!.lower)) break;
      // "chinese new year ppl": the occasion's people, not the term's.
      if (t.lower === 'new' && /^(?:year|years)$/.test(tokens[k + 1]?.lower ?? '')) break;
      // "last year", "this morning": when, not a thing the term names ("he try kill himself last year").
      if (/^(?:last|this|next)$/.test(t.lower) && /^(?:year|years|week|weeks|month|months|night|morning|afternoon|evening|time|summer|winter|spring|autumn|fall)$/.test(tokens[k + 1]?.lower ?? '')) break;
      // "crucifix round his neck": a tagger may read "round" before "his" as a noun.
      if (/^(?:round|around)$/.test(t.lower) && OWNERS.has(tokens[k + 1]?.lower ?? '')) break;
      // "greek orthodox bake sale": a tagger reads the first word of some events as a verb.
      const nounish = t.pos === 'NOUN' || t.pos === 'PROPN' || isPerson(t) || descriptor.has(t.lower) || (EVENT_FIRST.test(t.lower) && tokens[k + 1]?.lower === 'sale');
      // A number ends it ("B/F 30s" is a person in her thirties, not a thing called 30s).
      if (t.punct || SHORTHAND_AND.has(t.lower) || SHORTHAND_WITH.has(t.lower) || HEDGE.has(t.lower) || HEDGE.has(`${t.lower} ${tokens[k + 1]?.lower}`) || /^\d/.test(t.text) || !(nounish || t.pos === 'ADJ')) break;
      run.push(k);
      // A person noun heads its phrase ("caucasian male approx 35", "staff member"); a tagger's slip after it does not
      // extend it, but a thing's name does ("Indigenous Peoples Day poster").
      // "Indian Aunty chai blend", "Irish grandpa cardigans": a relative before a noun names a product's style.
      const styled = RELATIVES.has(t.lower) && (tokens[k + 1]?.pos === 'NOUN' || tokens[k + 1]?.pos === 'PROPN') && !isPerson(tokens[k + 1]!);
      // A term that names people too, before a thing's noun, is its style: "Te Reo Maori picture books".
      const termBeforeThing = (category === 'ethnicity-race' || category === 'national-origin') && words.has(t.lower) && (tokens[k + 1]?.pos === 'NOUN' || tokens[k + 1]?.pos === 'PROPN') && !isPerson(tokens[k + 1]!) && !descriptor.has(tokens[k + 1]!.lower);
      if (isPerson(t) && !thingHeads.has(tokens[k + 1]?.lower ?? '') && !styled && !termBeforeThing) break;
    }
    while (run.length && !(tokens[run[run.length - 1]!]!.pos === 'NOUN' || tokens[run[run.length - 1]!]!.pos === 'PROPN' || isPerson(tokens[run[run.length - 1]!]!) || descriptor.has(tokens[run[run.length - 1]!]!.lower))) run.pop();
    const head = run.length ? tokens[run[run.length - 1]!]! : undefined;
    // A colour is the colour of the nearest thing: "white van man" is a van's colour.
    const first = run.length ? tokens[run[0]!]! : undefined;
    if (colour && first && (first.pos === 'NOUN' || first.pos === 'PROPN') && !isPerson(first)) return decide(false, 'names a thing', i, run[0]!);
    // The people of an occasion the term names: "the Labour Day sale crowd".
    const occasion = run.slice(0, -1).some((k) => OCCASIONS.has(tokens[k]!.lower) && /^\p{Lu}/u.test(tokens[k]!.text));
    if (head && isPerson(head) && occasion) return decide(false, 'names a thing', i, run[run.length - 1]!);
    // "Korean BBQ staff", "the Indian grocer's owner": the people of a shop or restaurant the term describes.
    if (head && isPerson(head) && run.slice(0, -1).some((k) => EATERIES.test(tokens[k]!.lower))) return decide(false, 'names a thing', i, run[run.length - 1]!);
    // A carving's moko is stock ("tiki figurine with a full face moko missing from cabinet, $89").
    if (/moko$/.test(term) && stockInView()) return decide(false, 'names a thing', i, j);
    // "Aboriginal F approx 35", "Pakeha M, 50s": a sex written as one letter.
    if (head && run.length === 1 && /^[MF]$/.test(head.text)) return decide(true, 'modifies a person', i, run[0]!);
    // "the Liberal candidate's poster": campaign material of someone whose party is public (not "the Liberal MP's office", where someone works).
    if (category === 'political' && head && !tokens.slice(Math.max(0, i - 5), i).some((t) => CAMPAIGNING.has(t.lower)) && /^(?:candidate|mp|senator|councillor|councilor|mayor|premier|minister|politician)$/.test(head.lower) && /^['\u2019]s$/.test(tokens[run[run.length - 1]! + 1]?.lower ?? '') && (CAMPAIGN_MATERIAL.test(tokens[run[run.length - 1]! + 2]?.lower ?? '') || /^(?:posters?|corflutes?|billboards?|stickers?|hoardings?)$/.test(tokens[run[run.length - 1]! + 2]?.lower ?? ''))) return decide(false, 'names a thing', i, run[run.length - 1]! + 1);
    if (head && isPerson(head)) return decide(true, 'modifies a person', i, run[run.length - 1]!);
    // "lesbian vibes", "gay energy": how someone came across.
    if (head && (category === 'sexual-orientation' || category === 'gender-identity') && /^(?:vibe|vibes|energy)$/.test(head.lower) && tokens.slice(0, i).some((t) => /^(?:he|she|they|his|her)$/.test(t.lower) || isPerson(t)))
      return decide(true, 'attributed', i, run[run.length - 1]!);
    // "ASD meltdown", "a psychotic episode", "panic attack": an episode of someone's condition.
    if (head && health && EPISODES.test(head.lower)) return decide(true, 'a condition someone has', i, run[run.length - 1]!);
    // "flashed his IBEW card": someone's membership shown.
    // "USDAW card fall out his wallet": a card someone carries (not "the UNISON card machine").
    const cardAt = run.find((k) => /^cards?$/.test(tokens[k]!.lower));
    const carried = cardAt !== undefined && !(tokens[cardAt + 1]?.pos === 'NOUN' && /^(?:machine|machines|reader|readers|terminal|payment|payments)$/.test(tokens[cardAt + 1]!.lower)) && tokens.slice(cardAt + 1, cardAt + 7).some((t) => OWNERS.has(t.lower) && t.lower !== 'him');
    if (head && category === 'union' && ((MEMBERSHIP_PROOF.test(head.lower) && OWNERS.has(tokens[prev?.pos === 'DET' ? i - 2 : i - 1]?.lower ?? '')) || carried))
      return decide(true, 'a member', i, cardAt ?? run[run.length - 1]!);
    // "prosthetic right leg", "arthritic hands": a condition of someone's body.
    if (head && health && BODY_PARTS.has(head.lower)) return decide(true, "of someone's body", i, run[run.length - 1]!);
    // "blind in his left eye", "deaf in one ear".
    if (health && !run.length && next?.lower === 'in') {
      const part = tokens.slice(j + 2, j + 6).findIndex((t) => BODY_PARTS.has(t.lower));
      if (part >= 0 && tokens.slice(j + 2, j + 2 + part).every((t) => /^(?:his|her|their|one|the|left|right|both)$/.test(t.lower))) return decide(true, "of someone's body", i, j + 2 + part);
    }
    // "Irish by the accent", "Polish I think going by the accent": what someone was judged to be.
    for (let b = j + 1; b < Math.min(tokens.length - 1, j + 6) && (!tokens[b]!.punct || (b === j + 1 && tokens[b]!.text === ',')); b++) {
      if (tokens[b]!.lower !== 'by') continue;
      const n = /^(?:the|his|her|their)$/.test(tokens[b + 1]?.lower ?? '') ? b + 2 : b + 1;
      if (JUDGED_BY.has(tokens[n]?.lower ?? '')) return decide(true, 'attributed', i, n);
    }
    if (head && descriptor.has(head.lower)) return decide(true, 'describes someone', i, run[run.length - 1]!);
    // "on our methadone program": a treatment someone is on.
    if (head && health && TREATMENTS.has(head.lower)) {
      let o = i - 1;
      while (o >= 0 && o > i - 4 && (tokens[o]!.pos === 'DET' || tokens[o]!.pos === 'PRON')) o--;
      if (tokens[o]?.lower === 'on') return decide(true, 'a condition someone has', o, run[run.length - 1]!);
    }
    // "14/88 tattooed across the knuckles": inked on someone.
    if (SHOWN_BY_DRESS.has(category) && next && /^(?:tattooed|inked|tatted)$/.test(next.lower)) return decide(true, 'worn by someone', i, j + 1);
    // Religious dress needs a word of wearing: before it ("in a kippah"), or where it sits on someone after it ("rosary wrapped round her wrist").
    // "round his right wrist": a side may stand between.
    const onSomeone = tokens.slice(j + 1, j + 7).some((t, n, all) => OWNERS.has(t.lower) && (BODY_PARTS_WORN.has(all[n + 1]?.lower ?? '') || (/^(?:left|right)$/.test(all[n + 1]?.lower ?? '') && BODY_PARTS_WORN.has(all[n + 2]?.lower ?? ''))));
    const wearing = category !== 'religion' || onSomeone || tokens.slice(Math.max(0, i - 4), i).some((t) => WEARING.has(t.lower));
    // Plural only after a word of wearing ("two guys in MAGA hats"; a "box of MAGA hats" is stock).
    let wearAt = i - 1;
    // "in one of those muslim caps" too.
    while (wearAt > i - 5 && wearAt >= 0 && (/^(?:DET|ADJ|NUM)$/.test(tokens[wearAt]!.pos) || /^(?:one|of)$/.test(tokens[wearAt]!.lower))) wearAt--;
    const wornHead = !!head && (worn.has(head.lower) || (worn.has(head.lower.replace(/s$/, '')) && WEARING.has(tokens[wearAt]?.lower ?? '')));
    // A sticker or a flag stuck on the shop is not worn ("stuck a Palestine flag sticker on the shop window").
    const stuckOnThings = !!head && /^(?:stickers?|flags?|posters?)$/.test(head.lower) && /\b(?:stuck|sprayed|painted|taped|graffiti)\b|\bon\s+the\s+(?:shop\s+|store\s+|front\s+)?(?:window|windows|door|doors|wall|walls|fridge|freezer|counter|sign|till|car|pole)\b/iu.test(sentence) && !/\bon\s+(?:his|her|their)\b/iu.test(sentence);
    if (head && SHOWN_BY_DRESS.has(category) && wornHead && wearing && !stuckOnThings) {
      const after = tokens.slice(run[run.length - 1]! + 1, run[run.length - 1]! + 6);
      // "rosette still pinned on from the launch" is worn; "badges from the display" is stock.
      const counted = after.findIndex((t) => quantity.has(t.lower) || /^x\d+$/.test(t.lower));
      const pinned = counted > 0 && after.slice(0, counted).some((t) => ATTACHED.has(t.lower));
      // "3 x" before it is a count of stock too.
      const tallied = tokens.slice(Math.max(0, i - 4), i).some((t, n, all) => /^\d+x$/.test(t.lower) || (t.pos === 'NUM' && /^x$/.test(all[n + 1]?.lower ?? '')));
      if ((counted < 0 || pinned) && !tallied && !nearest.some((t) => THEFT.has(t.lower)))
        return decide(true, 'worn by someone', i, run[run.length - 1]!);
    }
    // "a rosary wrapped round her wrist": a religious object itself, on someone.
    // "Rosary beads wrapped around his right wrist", "large crucifix on a gold chain", "wearing a crucifix", "had a crucifix on".
    const objectHead = !run.length || RELIGIOUS_OBJECT_HEADS.test(head!.lower);
    const objectEnd = run.length ? run[run.length - 1]! : j;
    // On a chain is worn unless counted ("crucifix on a chain, 3 of them missing").
    // "big cross necklace on him".
    // Not stock found on him: what the words after say ("turned out to be ours", "tag still attached"), before another item's count.
    const onHim = tokens[objectEnd + 1]?.lower === 'on' && /^(?:him|her|them)$/.test(tokens[objectEnd + 2]?.lower ?? '') && !facts.trade && !stockInView(i);
    const onAChain =
      tokens[objectEnd + 1]?.lower === 'on' &&
      tokens.slice(objectEnd + 2, objectEnd + 5).some((t) => /^(?:chain|necklace|cord|string|lanyard)$/.test(t.lower)) &&
      !tokens.slice(objectEnd + 1).some((t, n, all) => quantity.has(t.lower) || /^x\d+$/.test(t.lower) || (t.pos === 'NUM' && /^(?:of|x|missing|gone|taken|stolen)$/.test(all[n + 1]?.lower ?? ''))) &&
      !facts.trade;
    // "had a big crucifix necklace", "guy with a rosary" (not "walked out with a rosary").
    let hadAt = i - 1;
    while (hadAt >= 0 && hadAt > i - 5 && /^(?:DET|ADJ|NUM)$/.test(tokens[hadAt]!.pos)) hadAt--;
    const haver = tokens[hadAt - 1];
    const had =
      /^(?:had|has|with)$/.test(tokens[hadAt]?.lower ?? '') &&
      hadAt < i - 1 &&
      (!haver || haver.punct || /^(?:he|she|who|hes|shes)$/.test(haver.lower) || isPerson(haver) || (tokens[hadAt]!.lower !== 'with' && haver.pos === 'ADV')) &&
      !stockInView();
    const woreIt = tokens.slice(Math.max(0, i - 4), i).some((t) => WEARING.has(t.lower) && t.lower !== 'in') || had;
    // "big crucifix necklace, rosary hanging out of his back pocket": listed first in a sentence about someone.
    let openAt = i - 1;
    while (openAt >= 0 && tokens[openAt]!.pos === 'ADJ') openAt--;
    const listedFirst = (openAt < 0 || tokens[openAt]!.punct) && !!tokens[objectEnd + 1] && tokens[objectEnd + 1]!.punct && facts.heOrShe && !stockInView();
    if (category === 'religion' && objectHead && (onSomeone || onAChain || woreIt || onHim || (listedFirst && RELIGIOUS_OBJECTS.test(term))) && !nearest.some((t) => THEFT.has(t.lower))) return decide(true, 'worn by someone', i, objectEnd);
    if (head && (category === 'political' || category === 'union' || category === 'religion') && CAMPAIGN_MATERIAL.test(head.lower) && !occasion && tokens.slice(Math.max(0, i - 4), i).some((t) => CAMPAIGNING.has(t.lower)))
      return decide(true, 'campaigning', i, run[run.length - 1]!);
    // "marched with the Proud Boys", "volunteers for the Greens": taking part.
    if ((category === 'political' || category === 'union') && !occasion && !occasionNext && tokens.slice(Math.max(0, i - 4), i).some((t, n, all) => TAKING_PART.test(t.lower) && /^(?:with|for|alongside)$/.test(all[n + 1]?.lower ?? '')))
      return decide(true, 'taking part', i, j);
    // "one of the freedom convoy lot", "that Labour mob": people of a group.
    const pointed = (at: number) => GROUP_POINTERS.has(tokens[at - 1]?.lower ?? '') || ((tokens[at - 1]?.lower === 'the' || tokens[at - 1]?.lower === 'those') && tokens[at - 2]?.lower === 'of' && tokens[at - 3]?.lower === 'one');
    if (run.length === 1 && GROUP_NOUNS.has(head!.lower) && pointed(i)) return decide(true, 'one of a group', i, run[0]!);
    // "out on the GMB strike", "back from the OPSEU picket": someone taking part in their union's action.
    const onAt = prev?.pos === 'DET' ? i - 2 : i - 1;
    const on = tokens[onAt]?.lower ?? '';
    // Someone on it: a person in the words before ("he's out on", "the staff were out on"), "back from" it, or joined it.
    const striker = tokens.slice(Math.max(0, onAt - 4), onAt).some((t) => /^(?:he|she|they|who|i|he's|she's|hes|shes|i'm)$/.test(t.lower) || isPerson(t));
    if (head && category === 'union' && STRIKES.test(head.lower) && ((/^(?:on|at)$/.test(on) && striker) || (on === 'from' && tokens[onAt - 1]?.lower === 'back') || on === 'joined'))
      return decide(true, 'taking part', onAt, run[run.length - 1]!);
    // A gay dating app is someone's ("his profile on Grindr", "Grindr last week"): no product of that name is sold.
    if (DATING_APPS.has(term) && !ADVERTS.test(next?.lower ?? '')) return decide(true, 'describes someone', i, j);
    // "a paid-up member of the Labour Party", "secretary of the Unite branch", "delegate for the SDA": someone's role in it.
    // "secretary of the local Liberal Party branch", "a steward with the teachers' federation": a determiner and adjectives may stand between.
    let ofAt = i - 1;
    while (ofAt > i - 4 && ofAt > 0 && (tokens[ofAt]!.pos === 'DET' || tokens[ofAt]!.pos === 'ADJ')) ofAt--;
    const party = category === 'political' || category === 'union';
    // Not of a thing it names: "a chair of the old Liberal Party hall" is furniture.
    const thingHead = !!head && head.pos === 'NOUN' && !BRANCHES.test(head.lower) && !words.has(head.lower);
    if (party && !thingHead && !(next && OCCASIONS.has(next.lower)) && /^(?:of|for|with)$/.test(tokens[ofAt]?.lower ?? '') && MEMBER_ROLES.test(tokens[ofAt - 1]?.lower ?? ''))
      return decide(true, 'a member', ofAt - 1, run.length ? run[run.length - 1]! : j);
    // "Said he's with the ETU", "a sparky with the ETU": someone who is with it, a member.
    const withWhom = tokens[ofAt - 1];
    // A trade with a bare name may be its employer ("The lineman with Unison said the power…" is a lines company's).
    const beIsWith = /^(?:hes|shes)$/.test(withWhom?.lower ?? '') || (!!withWhom && linking.has(withWhom.lower) && (/^(?:he|she|they|who)$/.test(tokens[ofAt - 2]?.lower ?? '') || (!!tokens[ofAt - 2] && isPerson(tokens[ofAt - 2]!))));
    const withSomeone = !!withWhom && (beIsWith || (isPerson(withWhom) && tokens.slice(ofAt + 1, i).some((t) => t.lower === 'the')));
    if (party && !thingHead && !(next && OCCASIONS.has(next.lower)) && tokens[ofAt]?.lower === 'with' && withSomeone) return decide(true, 'a member', ofAt - 1, run.length ? run[run.length - 1]! : j);
    // "a UFCW Local 1006A steward", "the Unite branch secretary": a role in it, after its name and branch.
    const roleAt = party && /^\p{Lu}/u.test(hit.text) ? tokens.slice(j + 1, j + 5).findIndex((t, n, all) => MEMBER_ROLES.test(t.lower) && t.lower !== 'chair' && all.slice(0, n).every((u) => !u.punct && !isPerson(u)) && !(all[n + 1] && (all[n + 1]!.pos === 'NOUN' || all[n + 1]!.pos === 'PROPN'))) : -1;
    if (roleAt >= 0 && !(next && OCCASIONS.has(next.lower))) return decide(true, 'a member', i, j + 1 + roleAt);
    // "special needs kind of kid": a kind of person.
    if (head && /^(?:kind|sort|type)$/.test(head.lower) && tokens[run[run.length - 1]! + 1]?.lower === 'of' && tokens[run[run.length - 1]! + 2] && isPerson(tokens[run[run.length - 1]! + 2]!))
      return decide(true, 'modifies a person', i, run[run.length - 1]! + 2);
    // "the Republican and Democratic results": two modifiers of one thing.
    if (!run.length && next?.pos === 'CCONJ' && tokens[j + 2] && (words.has(tokens[j + 2]!.lower) || tokens[j + 2]!.pos === 'ADJ')) {
      const shared = tokens[j + 3];
      if (shared && (shared.pos === 'NOUN' || shared.pos === 'PROPN') && !isPerson(shared) && !descriptor.has(shared.lower)) return decide(false, 'names a thing', i, j + 3);
    }
    // "he's in the local Labor branch": a member of a party's or a union's branch.
    if (head && (category === 'political' || category === 'union') && BRANCHES.test(head.lower) && !(term === 'act' && tokens[j + 1]?.lower !== 'party')) {
      let o = i - 1;
      while (o > 0 && (tokens[o]!.pos === 'DET' || tokens[o]!.pos === 'ADJ')) o--;
      // "he's in the local Labor branch"; "he'd been at a union branch meeting".
      if ((/^(?:in|on)$/.test(tokens[o]?.lower ?? '') && linking.has(tokens[o - 1]?.lower ?? '')) || (tokens[o]?.lower === 'at' && tokens[o - 1]?.lower === 'been'))
        return decide(true, 'a member', o - 1, run[run.length - 1]!);
    }
    // "pregnent belly very big": a body, not a thing.
    if (health && head && /^(?:belly|bump|tummy|stomach)$/.test(head.lower) && run.length === 1 && !stockInView()) return decide(true, 'a condition someone has', i, run[0]!);
    // A device on someone or worn: "Freestyle Libre sensor on the back of his left arm", "wearing insulin pump" (not after a theft).
    // Stock only by what comes before it or the trade's words ("took 4 x Lynx" after is another thing).
    if (health && (DEVICES.test(term) || (head && DEVICES.test(head.lower))) && !tokens.slice(0, i).some((t) => THEFT.has(t.lower)) && !stockInView(i) && !facts.trade) {
      const end = run.length ? run[run.length - 1]! : j;
      let at = end + 1;
      if (/^(?:on|in|under)$/.test(tokens[at]?.lower ?? '')) {
        at++;
        if (tokens[at]?.lower === 'the' && /^(?:back|side|top|front|inside|underside)$/.test(tokens[at + 1]?.lower ?? '') && tokens[at + 2]?.lower === 'of') at += 3;
        if (OWNERS.has(tokens[at]?.lower ?? '')) return decide(true, 'worn by someone', i, at);
      }
      if (tokens.slice(Math.max(0, i - 3), i).some((t) => WEARING.has(t.lower) && t.lower !== 'in')) return decide(true, 'worn by someone', i, end);
    }
    // "Top surgery scars visible across his chest": scars are on a body.
    // Scars are on someone in view (a person, or a body: "scars on both legs"); else a product's ("scar gel for knee surgery scars").
    // Not tyre marks of an aid ("mobility scooter marks on the new carpet").
    if (head && (health || category === 'gender-identity') && /^(?:scars?|scarring|patches|patch|rash|rashes|sores|lesions|marks)$/.test(head.lower) && !/(?:scooter|wheelchair|walker|frame|crutch|pump|aid)s?$/.test(term)) {
      if (stockInView()) return decide(false, 'names a thing', i, run[run.length - 1]!);
      // No scar gel is sold for a gender's surgery: its scars are someone's.
      if (category === 'gender-identity' || tokens.some((t) => isPerson(t) || /^(?:he|she|his|her|him|hes|shes)$/.test(t.lower) || BODY_PARTS.has(t.lower) || BODY_PARTS_WORN.has(t.lower) || /^(?:forearms?|chest|back|face|neck|thighs?|stomach|belly|tummy)$/.test(t.lower)))
        return decide(true, 'a condition someone has', i, run[run.length - 1]!);
    }
    // "ladyboy lookin, heaps of makeup": how someone looked, the tagger's noun aside.
    // Not of a thing named before with no one in view ("dessert fridge is very French lookin").
    const thingBefore = () => tokens.slice(0, i).some((t) => t.pos === 'NOUN' && !isPerson(t)) && !tokens.slice(0, i).some((t) => isPerson(t) || /^(?:he|she|hes|shes|his|her|they)$/.test(t.lower));
    if (head && run.length === 1 && /^(?:looking|lookin|lookin['\u2019]|lookn)$/.test(head.lower) && !thingBefore()) return decide(true, 'looked like', i, run[0]!);
    if (head && words.has(head.lower)) {
      // Another term heads it: judged in its own right below and when the scan reaches it.
    } else if (head && (head.pos === 'NOUN' || head.pos === 'PROPN' || run.some((k) => tokens[k]!.pos === 'NOUN' || tokens[k]!.pos === 'PROPN')) && !(colour && !run.some((k) => tokens[k]!.pos === 'NOUN' || tokens[k]!.pos === 'PROPN')))
      return decide(false, 'names a thing', i, run[run.length - 1]!);

    // "talking in Vietnamese": the language someone spoke.
    if (prev?.lower === 'in' && SPEAKING.has(tokens[i - 2]?.lower ?? '')) return decide(true, 'attributed', i - 2, j);
    // A cue before it: "looked Indian", "was possibly Samoan", "has diabetes", "in a wheelchair".
    for (const k of before) {
      const t = tokens[k]!;
      if (linking.has(t.lower)) {
        const subject = tokens[k - 1];
        /** A noun phrase "the (knit) pattern" ends at `at`, its determiner not after "of" ("Driver of the van"). */
        const determined = (at: number) => {
          let d = at;
          while (d > at - 3 && d >= 0 && (tokens[d]!.pos === 'NOUN' || tokens[d]!.pos === 'ADJ')) d--;
          return tokens[d]?.pos === 'DET' && tokens[d - 1]?.lower !== 'of';
        };
        // "they're Russian" of things named before ("asked about the vodka brands, told him they're Russian"), or "we're Irish owned".
        // Not what someone wears ("Bloke in makeup and heels, think they're trans").
        // Only worn by someone ("we have new boots in, they're Italian" is stock, and so are "the boots" a guy asked about).
        // Not an origin, which a thing has too ("lady wearing boots, reckon they're Italian").
        const wornThing = (u: Token, at: number) =>
          category !== 'national-origin' &&
          category !== 'ethnicity-race' &&
          (worn.has(u.lower) || coloured.has(u.lower) || coloured.has(u.lower.replace(/s$/, '')) || ON_A_PERSON.test(u.lower)) &&
          tokens.slice(Math.max(0, at - 4), at).some((w) => WEARING.has(w.lower)) &&
          tokens.slice(0, at).some((w) => isPerson(w) || /^(?:he|she)$/.test(w.lower));
        if (/^['\u2019]re$/.test(t.lower) && (/^(?:owned|made|run|style|brewed|built|designed|grown)$/.test(next?.lower ?? '') || tokens.slice(0, k - 1).some((u, at) => u.pos === 'NOUN' && /s$/.test(u.lower) && !isPerson(u) && !wornThing(u, at)))) continue;
        if (FIRST_PERSON.test(t.lower) && !(!next || (next.punct && !HYPHEN.test(next.text)) || next.pos === 'CCONJ' || HEDGE.has(next.lower))) continue;
        // "St Paul's Anglican", "St Mary's Catholic": a church or a school named for its saint.
        if (/^['\u2019]s$/.test(t.lower) && k === i - 1 && SAINT.test(tokens[k - 2]?.lower ?? '')) return decide(false, 'names a place', k - 2, j);
        // "it was manic" (the day), not "he said it was bipolar" nor "it was a sikh who took it".
        const opens = !tokens[k - 2] || tokens[k - 2]!.punct || CLAUSE_START.has(tokens[k - 2]!.lower);
        if (subject && NOT_A_PERSON.has(subject.lower) && k === i - 1 && opens && !COLOURS.has(term)) return decide(false, 'said of a thing', k - 1, j);
        // A word that also names things, said of a thing: "the knit pattern was Nordic", "the sausages were Polish" (not "Driver of the van is Indian").
        if (subject && contextual.has(term) && k === i - 1 && subject.pos === 'NOUN' && !isPerson(subject) && !descriptor.has(subject.lower) && /^(?:is|was|were|are)$/.test(t.lower) && determined(k - 2))
          return decide(false, 'said of a thing', k - 1, j);
        if (subject && NAME_CARRIERS.has(subject.lower) && SAID.has(t.lower)) return decide(false, 'name', k - 1, j);
        // "guy name is Christian": a name.
        if (subject && /^(?:name|names|nickname|called)$/.test(subject.lower) && /^(?:is|was)$/.test(t.lower) && nameLike.has(term)) return decide(false, 'name', k - 1, j);
        // A colour after "was" is a skin colour only when a person is the subject ("he was black", not "the car was white").
        if (colour && !/^(hes|shes|he's|she's|i'm|i\u2019m|im)$/.test(t.lower)) {
          const subject = tokens[k - 1];
          if (!subject || !(subject.lower === 'he' || subject.lower === 'she' || subject.lower === 'they' || isPerson(subject))) continue;
        }
        return decide(true, 'attributed', k, j);
      }
      // Not "walked out with 2 walking sticks": an aid someone took (not "walked out with a limp", "with his stick").
      const tookAid = t.lower === 'with' && facts.theftBefore[k + 1] === 1 && /^(?:out|off)$/.test(tokens[k - 1]?.lower ?? '') && AIDS.test(term) && !tokens.slice(k + 1, i).some((u) => OWNERS.has(u.lower));
      if (condition.has(t.lower) && health && !tookAid) return decide(true, 'a condition someone has', k, j);
      // "described by the guard as Aboriginal": what someone was taken to be.
      // A colour too when a person is what was described: "described them as Black" (not "described the car as white").
      if (t.lower === 'as') {
        for (let v = k - 1; v >= Math.max(0, k - 7) && !tokens[v]!.punct; v--)
          if (AS_VERBS.has(tokens[v]!.lower) && (!colour || tokens.slice(v + 1, k).some((u) => /^(?:him|her|them|he|she|they)$/.test(u.lower) || isPerson(u)))) return decide(true, 'attributed', v, j);
      }
      if (/^(?:joined|joining|join|joins)$/.test(t.lower)) return decide(true, 'joined', k, j);
      // "she's in the SDA", "is in the Greens": a member.
      // "who's in the union" too: the word itself, lower case, is the organisation someone belongs to.
      // "she in NEU" too, "be" left out.
      if (t.lower === 'in' && (category === 'union' || category === 'political') && (/^\p{Lu}/u.test(hit.text) || hit.lower === 'union' || !contextual.has(term) || !(next && (next.pos === 'NOUN' || next.pos === 'PROPN'))) && /^(?:he|she)$/.test(tokens[k - 1]?.lower ?? ''))
        return decide(true, 'a member', k - 1, j);
      if (t.lower === 'in' && (category === 'union' || category === 'political') && (/^\p{Lu}/u.test(hit.text) || hit.lower === 'union') && tokens[k - 1] && linking.has(tokens[k - 1]!.lower)) {
        // "cashier Janet is in the union"; "works at the mill and is in the union there" (the clause's subject before "and").
        const subject = tokens[k - 2]?.pos === 'CCONJ' ? tokens.slice(0, k - 2).find((t) => t.pos === 'NOUN' || t.pos === 'PROPN' || t.pos === 'PRON') : tokens[k - 2];
        if (/^(hes|shes)$/.test(tokens[k - 1]!.lower) || (subject && (/^(he|she|they|who)$/.test(subject.lower) || isPerson(subject) || (subject.pos === 'PROPN' && /^\p{Lu}\p{Ll}/u.test(subject.text)))))
          return decide(true, 'a member', k - 1, j);
      }
    }

    // Counted and not a person: "two walking frames from the home health aisle" is stock.
    /** Clothing in view: "Jewish, black hat and long black coat" lists what a person wore. */
    const clothedBetween = (a: number, b: number) => tokens.slice(Math.max(0, a), Math.min(tokens.length, b)).some((t, n, all) => t !== hit && worn.has(t.lower) && !/^\d/.test(all[n - 1]?.text ?? ''));
    const describing = personBetween(i - 6, j + 6);
    // "type 1 diabetes" names the condition, not a count.
    if (health && !describing && nearest.some((t, n) => (t.pos === 'NUM' || /^\d+$/.test(t.text)) && nearest[n + 1]?.lower !== 'type')) return decide(false, 'counted: stock');
    // "insulin pump on his belt", "a cannula in her arm": a device on someone (not after a theft).
    if (health && DEVICES.test(term) && !tokens.slice(0, i).some((t) => THEFT.has(t.lower)) && /^(?:on|in|under)$/.test(tokens[(run.length ? run[run.length - 1]! : j) + 1]?.lower ?? '') && OWNERS.has(tokens[(run.length ? run[run.length - 1]! : j) + 2]?.lower ?? ''))
      return decide(true, 'worn by someone', i, (run.length ? run[run.length - 1]! : j) + 2);
    // A device on someone: "insulin pump clipped to her belt" (not "stole an insulin pump, taped it to his leg").
    if (health && !tokens.slice(0, i).some((t) => THEFT.has(t.lower))) {
      const v = tokens.slice(j + 1, j + 4).findIndex((t) => ATTACHED.has(t.lower));
      if (v >= 0 && tokens.slice(j + 2 + v, j + 5 + v).some((t) => OWNERS.has(t.lower) || isPerson(t))) return decide(true, 'worn by someone', i, j + 1 + v);
    }
    // "one of the travellers ..., big lad": a member of the group the term names, with a person in view.
    if (!run.length && pointed(i) && personBetween(i - 6, j + 10)) return decide(true, 'one of a group', GROUP_POINTERS.has(prev?.lower ?? '') ? i - 1 : i - 3, j);

    // A term that names a kind of person, doing something: "a refugee took two phones", "the priest saw it all",
    // "a nun in the full habit saw the whole thing" (a phrase of where or what between). After an article, a number,
    // an owner or adjectives; not a union's picket, nor travellers (tourists) but the capitalised Travellers.
    let verbAt = j + 1;
    // Two such phrases at most: "the imam at the back of the queue called out".
    for (let phrases = 0; phrases < 2 && tokens[verbAt]?.pos === 'ADP' && (tokens[verbAt]!.lower !== 'of' || phrases > 0); phrases++) {
      verbAt++;
      while (verbAt <= j + 9 && tokens[verbAt] && /^(?:DET|ADJ|NOUN|ADV|PROPN)$/.test(tokens[verbAt]!.pos)) verbAt++;
    }
    if (tokens[verbAt]?.pos === 'ADV') verbAt++;
    let openerAt = i - 1;
    while (openerAt >= 0 && openerAt > i - 3 && tokens[openerAt]!.pos === 'ADJ') openerAt--;
    const kindOpens = !told && (openerAt < 0 || tokens[openerAt]!.punct || /^(?:a|an|the|this|that|our|their|his|her|my|one|two|2|3|some|local)$/.test(tokens[openerAt]!.lower));
    // Not a title's next word ("the Christian Living section").
    // Nor a team's result ("The Islanders lost again").
    const acts =
      !!tokens[verbAt] &&
      (tokens[verbAt]!.pos === 'VERB' || tokens[verbAt]!.pos === 'AUX') &&
      !/^['\u2019]s$/.test(tokens[verbAt]!.lower) &&
      !(/^\p{Lu}/u.test(hit.text) && /^\p{Lu}/u.test(tokens[verbAt]!.text)) &&
      !(/^\p{Lu}/u.test(hit.text) && /^(?:lost|won|beat|beats|drew|draw|play|plays|played|lose|win|wins|scored|thrashed)$/.test(tokens[verbAt]!.lower)) &&
      // A bare word before a noun is a compound the tagger misread ("Aboriginal dot painting print").
      !(verbAt === j + 1 && tokens[verbAt + 1]?.pos === 'NOUN' && !/(?:ed|s|ing)$/.test(tokens[verbAt]!.lower) && !IRREGULAR_PAST.test(tokens[verbAt]!.lower));
    // "2 travellers from the site up the lane": Travellers, from a site of theirs.
    // Not a camp ground or a backpackers' camp: tourists.
    if (term === 'traveller' && /^(?:from|off)$/.test(next?.lower ?? '') && tokens.slice(j + 2, j + 5).some((t, n, all) => /^(?:site|encampment)$/.test(t.lower) && !/^(?:camp|caravan|camping|building|work|construction|cruise)$/.test(all[n - 1]?.lower ?? '')))
      return decide(true, 'a person of that kind', i, j + 1);
    if (category !== 'union' && isPersonNoun(tokens[j]!.lower) && (term !== 'traveller' || (/^T/.test(hit.text) && i > 0)) && kindOpens && acts) return decide(true, 'a person of that kind', i, verbAt);
    // A description list: the term alone between commas ("male, Asian, 30s"; "hijab, long black dress").
    // "n" parts list items, but not two colours ("black n white top").
    const boundary = (t: Token) => t.punct || t.pos === 'CCONJ' || (!colour && SHORTHAND_AND.has(t.lower));
    let a = i - 1;
    while (a >= 0 && a > i - MAX_PHRASE && !boundary(tokens[a]!) && (SKIPPABLE_POS.has(tokens[a]!.pos) || SKIPPABLE_WORDS.has(tokens[a]!.lower) || linking.has(tokens[a]!.lower))) a--;
    const aloneBefore = a < 0 || boundary(tokens[a]!);
    // A hedge after it still leaves it alone: "Greek I think", "Fijian Indian I'd say".
    let z = j + 1;
    if (HEDGE.has(`${tokens[z]?.lower} ${tokens[z + 1]?.lower}`)) z += 2;
    else if (tokens[z] && (tokens[z]!.pos === 'ADV' || HEDGE.has(tokens[z]!.lower))) z += 1;
    // A quoted name before a thing's noun is that thing's ('3 x "Trump 2024" novelty hats').
    const quotedName = !!tokens[z] && /^["\u201c\u201d']$/.test(tokens[z]!.text) && (tokens[z + 1]?.pos === 'NOUN' || tokens[z + 1]?.pos === 'ADJ') && !isPerson(tokens[z + 1]!) && stockInView();
    const aloneAfter = !tokens[z] || (tokens[z]!.punct && !quotedName) || (!colour && SHORTHAND_AND.has(tokens[z]!.lower));
    if (aloneBefore && aloneAfter) {
      // A field that holds nothing but the term ("Asian", "two Christians") says it of the person it describes.
      const wholeText = a < 0 && from === 0 && to === text.length && tokens.slice(j + 1).every((t) => t.punct);
      if (!contextual.has(term) || (wholeText && !colour)) return decide(true, 'in a description', a + 1, j);
      // A guessed condition: "shakes a lot, parkinsons maybe".
      if (health && z > j + 1 && (HEDGE.has(tokens[j + 1]!.lower) || tokens[j + 1]!.pos === 'ADV') && a >= 0) return decide(true, 'in a description', a + 1, z - 1);
      // A word that also names things ("union", "white", "Samoan") describes someone only in a list
      // that describes a person: their sex, a person noun or an age beside it ("male, white, 5'10").
      // A religious object among the trade's words is stock ("Cross pendant, silver, $49.99").
      // A build after it describes a body ("Samoan, big, lavalava, jandals").
      // Only a build that is itself a list item ("big,"), with no other origin listed and no stock ("Sauces: Thai, Indian, small jars" is stock).
      const builtAfter =
        !colour &&
        (category === 'national-origin' || category === 'ethnicity-race') &&
        tokens.slice(j + 1, j + 4).some((t, n, all) => BUILD.test(t.lower) && (!all[n + 1] || all[n + 1]!.punct)) &&
        !tokens.some((t, n) => n !== i && words.has(t.lower) && (category === 'national-origin' || category === 'ethnicity-race')) &&
        !stockInView() &&
        !/:/.test(sentence.slice(0, hitStart));
      if ((personBetween(a - 4, j + 6) || builtAfter || (!colour && clothedBetween(j + 1, j + 8))) && !(RELIGIOUS_OBJECTS.test(term) && stockInView())) return decide(true, 'in a description', a + 1, j);
      // A religious object listed alone in a sentence about someone ("Cross necklace, kept saying God would forgive her"), not counted stock.
      const stock = () => stockInView() || tokens.some((t, n, all) => t.pos === 'NUM' && /^(?:of|x)$/.test(all[n + 1]?.lower ?? ''));
      if (category === 'religion' && RELIGIOUS_OBJECTS.test(term) && facts.heOrShe && !stock()) return decide(true, 'worn by someone', a + 1, j);
      // "ukrainian, came over last yr": a nationality beside how its holder arrived.
      if (category === 'national-origin' && tokens.slice(Math.max(0, a - 4), j + 6).some((t) => t !== hit && MIGRATION.has(t.lower))) return decide(true, 'where someone came from', a + 1, j);
      // "mexican, didnt speak english": a nationality beside the language someone spoke.
      // Not a list of stock ("Italian, Spanish wine shelf: man spoke to staff"), nor English itself.
      const listed = tokens[j + 1]?.text === ',' && words.has(tokens[j + 2]?.lower ?? '');
      if (category === 'national-origin' && a < 0 && term !== 'english' && !listed && tokens.slice(j + 1, j + 8).some((t) => /^(?:speak|spoke|speaks|english|accent|understand)$/.test(t.lower)))
        return decide(true, 'where someone came from', 0, j);
    }

    return decide(!contextual.has(term), contextual.has(term) ? 'no person in view' : 'describes a person');
  };
}
